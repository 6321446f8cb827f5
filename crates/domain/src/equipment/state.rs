//! An equipment unit as its events leave it: every rate card version and certificate kept.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{
    AccuracyClass, CalibrationIssue, CalibrationPolicy, CertificateNumber, NominalMass, RateCard,
    RateCardVersion, SerialNumber, UnitFacts, Unrentable,
};
use crate::ids::EquipmentUnitId;
use crate::money::Currency;

/// An equipment unit, as the API returns it and a snapshot stores it.
///
/// `NotRegistered` is the state of a stream with no events (the `Default`), so that every
/// command but `Register` has a state to be refused in.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum EquipmentUnit {
    #[default]
    NotRegistered,
    Registered(Box<EquipmentUnitRecord>),
}

impl EquipmentUnit {
    /// The unit, if it has been registered.
    pub fn registered(&self) -> Option<&EquipmentUnitRecord> {
        match self {
            Self::NotRegistered => None,
            Self::Registered(unit) => Some(unit),
        }
    }
}

/// A registered unit with its rate cards, calibrations and retirement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EquipmentUnitRecord {
    pub id: EquipmentUnitId,
    pub serial: SerialNumber,
    pub class: AccuracyClass,
    pub nominal_mass: NominalMass,
    pub registered_on: NaiveDate,
    /// The card it was registered with, effective from `registered_on`.
    pub first_rate_card: RateCardVersion,
    /// Every later version in the order recorded, which is also the order of
    /// `effective_from` (a change is never dated before the latest one). A version dated the
    /// same day as the one before it supersedes it.
    pub rate_changes: Vec<RateCardVersion>,
    /// Every certificate, in the order recorded.
    pub calibrations: Vec<Calibration>,
    pub retirement: Option<Retirement>,
}

impl EquipmentUnitRecord {
    /// The currency the unit is rented in: its first rate card's.
    pub fn currency(&self) -> Currency {
        self.first_rate_card.rate_card.currency()
    }

    /// Every rate card version, the first one first.
    pub fn rate_cards(&self) -> impl Iterator<Item = &RateCardVersion> {
        std::iter::once(&self.first_rate_card).chain(&self.rate_changes)
    }

    /// The latest version, whatever day it takes effect.
    pub fn latest_rate_card(&self) -> &RateCardVersion {
        self.rate_changes.last().unwrap_or(&self.first_rate_card)
    }

    /// The rate card in force on `day`: the last version recorded whose `effective_from` is
    /// not after it. The first card also covers days before registration, so that a rental
    /// back-dated to before the unit was entered is priced.
    pub fn rate_card_on(&self, day: NaiveDate) -> RateCard {
        self.rate_changes
            .iter()
            .rev()
            .find(|version| version.effective_from <= day)
            .unwrap_or(&self.first_rate_card)
            .rate_card
    }

    /// The calibration in force: the certificate with the latest calibration day (a
    /// certificate entered late does not replace a newer one).
    pub fn current_calibration(&self) -> Option<&Calibration> {
        self.calibrations.iter().max_by_key(|c| c.calibrated_on)
    }

    pub fn calibration(&self, certificate: &CertificateNumber) -> Option<&Calibration> {
        self.calibrations
            .iter()
            .find(|c| &c.certificate == certificate)
    }

    /// What a rental starting on `start_on` needs to know about the unit: its rate card
    /// then, its calibration and whether it is retired. The application layer puts these in
    /// the rental's commands.
    pub fn facts_for_rental(&self, start_on: NaiveDate) -> UnitFacts {
        UnitFacts {
            unit_id: self.id,
            serial: self.serial.clone(),
            class: self.class,
            nominal_mass: self.nominal_mass,
            rate_card: self.rate_card_on(start_on),
            calibration_due_on: self.current_calibration().map(|c| c.due_on),
            retired_on: self.retirement.as_ref().map(|r| r.retired_on),
        }
    }

    /// Whether the unit may be out on a rental until `day` (inclusive, the rental's expected
    /// return day): never once retired; and, if its calibration will have lapsed by then or
    /// it has none, as `policy` says: `Ok(Some(issue))` is a warning to show under
    /// [`CalibrationPolicy::Warn`], `Err` a refusal under [`CalibrationPolicy::Refuse`].
    ///
    /// Whether the unit is free on those days (not out on or reserved for another rental)
    /// is for the rentals read model: it is not the unit's fact.
    pub fn rentable_on(
        &self,
        day: NaiveDate,
        policy: CalibrationPolicy,
    ) -> Result<Option<CalibrationIssue>, Unrentable> {
        self.facts_for_rental(day).rentable_until(day, policy)
    }
}

/// A recorded calibration certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Calibration {
    pub certificate: CertificateNumber,
    pub calibrated_on: NaiveDate,
    pub due_on: NaiveDate,
    pub recorded_at: DateTime<Utc>,
}

/// Why and when a unit was retired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retirement {
    pub reason: String,
    pub retired_on: NaiveDate,
    pub retired_at: DateTime<Utc>,
}
