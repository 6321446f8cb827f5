//! What happened to an equipment unit. Stored forever: never rename a variant or a field;
//! change a payload's shape only with a new schema version and an upcaster below.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{AccuracyClass, CertificateNumber, NominalMass, RateCard, SerialNumber};
use crate::DomainEvent;
use crate::ids::EquipmentUnitId;

/// An event of the EquipmentUnit stream. The variant name is the stored event type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum EquipmentUnitEvent {
    EquipmentUnitRegistered(EquipmentUnitRegistered),
    EquipmentRateCardChanged(EquipmentRateCardChanged),
    EquipmentCalibrationRecorded(EquipmentCalibrationRecorded),
    EquipmentUnitRetired(EquipmentUnitRetired),
}

/// A unit was registered with its first rate card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EquipmentUnitRegistered {
    pub unit_id: EquipmentUnitId,
    pub serial: SerialNumber,
    pub class: AccuracyClass,
    pub nominal_mass: NominalMass,
    pub rate_card: RateCard,
    /// The business day of registration: the first rate card's `effective_from`.
    pub registered_on: NaiveDate,
    pub registered_at: DateTime<Utc>,
}

/// A new version of the rate card applies from `effective_from`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EquipmentRateCardChanged {
    pub rate_card: RateCard,
    pub effective_from: NaiveDate,
    pub changed_at: DateTime<Utc>,
}

/// A calibration certificate was recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EquipmentCalibrationRecorded {
    pub certificate: CertificateNumber,
    pub calibrated_on: NaiveDate,
    /// After `calibrated_on`; the certificate is good through this day.
    pub due_on: NaiveDate,
    pub recorded_at: DateTime<Utc>,
}

/// The unit was retired for `reason` (trimmed, never empty). The serial is repeated so that
/// a reader of the feed needs no lookup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EquipmentUnitRetired {
    pub serial: SerialNumber,
    pub reason: String,
    pub retired_on: NaiveDate,
    pub retired_at: DateTime<Utc>,
}

impl DomainEvent for EquipmentUnitEvent {
    fn event_type(&self) -> &'static str {
        match self {
            Self::EquipmentUnitRegistered(_) => "EquipmentUnitRegistered",
            Self::EquipmentRateCardChanged(_) => "EquipmentRateCardChanged",
            Self::EquipmentCalibrationRecorded(_) => "EquipmentCalibrationRecorded",
            Self::EquipmentUnitRetired(_) => "EquipmentUnitRetired",
        }
    }
}
