//! Why a value describing an equipment unit was refused.

use crate::money::Currency;

/// A refused serial number, certificate number, accuracy class, nominal mass or rate card,
/// worded for the person who typed it: the API shows the message beside the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EquipmentValueError {
    #[error(
        "a serial number is one word of 1 to 40 letters, digits and - _ . /, as engraved on the unit or its case"
    )]
    SerialNumber,
    #[error("a calibration certificate number is one word of 1 to 50 letters, digits and - _ . /")]
    CertificateNumber,
    #[error("the accuracy class is one of OIML R111's: E1, E2, F1, F2, M1, M1-2, M2, M2-3 or M3")]
    AccuracyClass,
    #[error("a nominal mass is a number more than zero followed by g or kg, e.g. 500 g or 20 kg")]
    NominalMass,
    #[error("the {field} rate is in {found}, but the rate card is in {expected}")]
    RateCardCurrency {
        field: &'static str,
        expected: Currency,
        found: Currency,
    },
    #[error("the {field} rate must be more than zero")]
    RateNotPositive { field: &'static str },
    #[error("the {field} rate is written in whole sen (two decimals at most)")]
    RateFractionOfSen { field: &'static str },
}

impl EquipmentValueError {
    /// The field of the request the problem is in, as a JSON pointer relative to the object
    /// holding it (`/rate_card/per_week`).
    pub fn pointer(&self) -> String {
        match self {
            Self::SerialNumber => "/serial".to_owned(),
            Self::CertificateNumber => "/certificate".to_owned(),
            Self::AccuracyClass => "/class".to_owned(),
            Self::NominalMass => "/nominal_mass".to_owned(),
            Self::RateCardCurrency { field, .. }
            | Self::RateNotPositive { field }
            | Self::RateFractionOfSen { field } => format!("/rate_card/{field}"),
        }
    }
}
