//! Why an equipment unit command is refused. Each message names the unit by its serial and
//! says the rule.

use chrono::NaiveDate;

use super::{CertificateNumber, SerialNumber};
use crate::ids::RentalId;
use crate::money::Currency;
use crate::values::TextProblem;

/// A refusal of the EquipmentUnit aggregate; the API answers it with a 4xx.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EquipmentUnitError {
    #[error("this equipment unit has not been registered")]
    NotRegistered,
    #[error("this equipment unit is already registered (serial {serial})")]
    AlreadyRegistered { serial: SerialNumber },
    /// A retired unit's record stays as it was left.
    #[error("unit {serial} was retired on {retired_on} and can no longer change")]
    Retired {
        serial: SerialNumber,
        retired_on: NaiveDate,
    },
    #[error("unit {serial} is rented in {expected}: its rate card cannot be in {found}")]
    RateCardCurrency {
        serial: SerialNumber,
        expected: Currency,
        found: Currency,
    },
    /// Versions of a rate card follow each other in time: a change cannot slip under a later
    /// one.
    #[error(
        "unit {serial}'s rate card already has a version from {latest}: a change takes effect on that day or later, not on {effective_from}"
    )]
    RateChangeBeforeLatest {
        serial: SerialNumber,
        effective_from: NaiveDate,
        latest: NaiveDate,
    },
    #[error(
        "certificate {certificate} for unit {serial}: the due date ({due_on}) must be after the calibration date ({calibrated_on})"
    )]
    CalibrationDueNotAfter {
        serial: SerialNumber,
        certificate: CertificateNumber,
        calibrated_on: NaiveDate,
        due_on: NaiveDate,
    },
    #[error(
        "certificate {certificate} for unit {serial}: a calibration cannot be dated in the future ({calibrated_on} is after today, {today})"
    )]
    CalibratedInFuture {
        serial: SerialNumber,
        certificate: CertificateNumber,
        calibrated_on: NaiveDate,
        today: NaiveDate,
    },
    #[error(
        "certificate {certificate} is already recorded for unit {serial} with other dates: a certificate is recorded once"
    )]
    CertificateAlreadyRecorded {
        serial: SerialNumber,
        certificate: CertificateNumber,
    },
    #[error(
        "unit {serial} is reserved for or out on rental {rental_id}: check it in (as lost, if it is) before retiring it"
    )]
    OnRental {
        serial: SerialNumber,
        rental_id: RentalId,
    },
    #[error("say why unit {serial} is retired")]
    ReasonRequired { serial: SerialNumber },
    #[error("{field} {problem}")]
    InvalidText {
        field: &'static str,
        problem: TextProblem,
    },
}

impl EquipmentUnitError {
    /// Where the problem is in the request body, as a JSON pointer (RFC 6901) relative to the
    /// command's object, or `None` when the refusal is about the unit as a whole.
    pub fn pointer(&self) -> Option<String> {
        match self {
            Self::RateCardCurrency { .. } => Some("/rate_card".to_owned()),
            Self::RateChangeBeforeLatest { .. } => Some("/effective_from".to_owned()),
            Self::CalibrationDueNotAfter { .. } => Some("/due_on".to_owned()),
            Self::CalibratedInFuture { .. } => Some("/calibrated_on".to_owned()),
            Self::CertificateAlreadyRecorded { .. } => Some("/certificate".to_owned()),
            Self::ReasonRequired { .. } => Some("/reason".to_owned()),
            Self::InvalidText { field, .. } => Some(format!("/{field}")),
            Self::NotRegistered
            | Self::AlreadyRegistered { .. }
            | Self::Retired { .. }
            | Self::OnRental { .. } => None,
        }
    }
}
