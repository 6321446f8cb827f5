//! Request bodies of the equipment routes, and how each becomes a command. Every field is
//! checked and every invalid one reported at once, with a JSON pointer to it.

use chrono::NaiveDate;
use niaga_domain::{
    equipment::{
        AccuracyClass, CertificateNumber, ChangeRateCard, NominalMass, RateCard, RecordCalibration,
        RegisterUnit, SerialNumber,
    },
    ids::EquipmentUnitId,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{error::Result, http::money::MoneyBody, validate::Validator};

/// A unit's rates, each more than zero, in whole sen and in one currency. A week is 7 days
/// and a month 30; a rental is charged the cheapest cover of its days.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "per_day": { "amount": "25.00", "currency": "MYR" },
    "per_week": { "amount": "120.00", "currency": "MYR" },
    "per_month": { "amount": "400.00", "currency": "MYR" }
}))]
pub struct RateCardBody {
    pub per_day: MoneyBody,
    pub per_week: MoneyBody,
    pub per_month: MoneyBody,
}

impl RateCardBody {
    /// The card, its errors recorded under `at` (`/rate_card/per_day`, …).
    fn check(&self, v: &mut Validator, at: &str) -> Option<RateCard> {
        let day = v.check(format!("{at}/per_day"), self.per_day.parse());
        let week = v.check(format!("{at}/per_week"), self.per_week.parse());
        let month = v.check(format!("{at}/per_month"), self.per_month.parse());
        let (day, week, month) = (day?, week?, month?);
        v.check(at.to_owned(), RateCard::new(day, week, month))
    }
}

/// A unit to register. Its serial must not belong to another unit.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "serial": "TW-0042", "class": "M1", "nominal_mass": "20 kg",
    "rate_card": {
        "per_day": { "amount": "25.00", "currency": "MYR" },
        "per_week": { "amount": "120.00", "currency": "MYR" },
        "per_month": { "amount": "400.00", "currency": "MYR" }
    }
}))]
pub struct RegisterBody {
    /// As engraved on the unit: letters, digits, `-`, `/` and `.`.
    pub serial: String,
    /// OIML R 111 class: E1, E2, F1, F2, M1, M1-2, M2, M2-3 or M3.
    pub class: String,
    /// A number and a unit: `20 kg`, `500 g`, `1 t`, `10 mg`.
    pub nominal_mass: String,
    pub rate_card: RateCardBody,
}

impl RegisterBody {
    pub fn register(&self, id: EquipmentUnitId) -> Result<RegisterUnit> {
        let mut v = Validator::new();
        let serial = v.check("/serial", SerialNumber::parse(&self.serial));
        let class = v.check("/class", AccuracyClass::parse(&self.class));
        let nominal_mass = v.check("/nominal_mass", NominalMass::parse(&self.nominal_mass));
        let rate_card = self.rate_card.check(&mut v, "/rate_card");
        v.build(|| {
            Some(RegisterUnit {
                id,
                serial: serial?,
                class: class?,
                nominal_mass: nominal_mass?,
                rate_card: rate_card?,
            })
        })
    }
}

/// A new rate card from a day on; rentals reserved before keep the card they were reserved
/// with.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RateCardChangeBody {
    pub rate_card: RateCardBody,
    /// Not before the latest change's day.
    pub effective_from: NaiveDate,
}

impl RateCardChangeBody {
    pub fn change(&self) -> Result<ChangeRateCard> {
        let mut v = Validator::new();
        let rate_card = self.rate_card.check(&mut v, "/rate_card");
        v.build(|| {
            Some(ChangeRateCard {
                rate_card: rate_card?,
                effective_from: self.effective_from,
            })
        })
    }
}

/// A calibration certificate.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "certificate": "SIRIM-2026-0815", "calibrated_on": "2026-06-01", "due_on": "2027-05-31"
}))]
pub struct CalibrationBody {
    pub certificate: String,
    /// Not in the future.
    pub calibrated_on: NaiveDate,
    /// After `calibrated_on`; the certificate is good through this day.
    pub due_on: NaiveDate,
}

impl CalibrationBody {
    pub fn record(&self) -> Result<RecordCalibration> {
        let mut v = Validator::new();
        let certificate = v.check("/certificate", CertificateNumber::parse(&self.certificate));
        v.build(|| {
            Some(RecordCalibration {
                certificate: certificate?,
                calibrated_on: self.calibrated_on,
                due_on: self.due_on,
            })
        })
    }
}

/// Why the unit leaves service for good.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetireBody {
    /// One line, at most 300 characters.
    pub reason: String,
}
