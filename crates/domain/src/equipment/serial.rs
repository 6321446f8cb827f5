//! The serial number of an equipment unit, and the number of a calibration certificate.

use serde::{Deserialize, Serialize};

use super::EquipmentValueError;

const SERIAL_MAX: usize = 40;
const CERTIFICATE_MAX: usize = 50;

/// One word of letters, digits and `- _ . /`, upper-cased: how serials and certificate
/// numbers are written on weights, cases and certificates.
fn code(input: &str, max: usize) -> Option<String> {
    let code = input.trim();
    let well_formed = !code.is_empty()
        && code.chars().count() <= max
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'));
    well_formed.then(|| code.to_ascii_uppercase())
}

/// A unit's serial number, as engraved on the weight or its case (`TW-20KG-0042`): one word
/// of 1 to 40 ASCII letters, digits and `- _ . /`.
///
/// Letters are upper-cased, so `tw-0042` and `TW-0042` are the same serial: a serial names
/// one unit, and the application layer keeps it unique across units by comparing this form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SerialNumber(String);

impl SerialNumber {
    pub fn parse(input: &str) -> Result<Self, EquipmentValueError> {
        code(input, SERIAL_MAX)
            .map(Self)
            .ok_or(EquipmentValueError::SerialNumber)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The number printed on a calibration certificate (`CAL/2026/00731`): one word of 1 to 50
/// ASCII letters, digits and `- _ . /`, upper-cased so that a certificate is recognised
/// however it was typed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CertificateNumber(String);

impl CertificateNumber {
    pub fn parse(input: &str) -> Result<Self, EquipmentValueError> {
        code(input, CERTIFICATE_MAX)
            .map(Self)
            .ok_or(EquipmentValueError::CertificateNumber)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

macro_rules! code_value {
    ($name:ident) => {
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = EquipmentValueError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = EquipmentValueError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::parse(&s)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }
    };
}

code_value!(SerialNumber);
code_value!(CertificateNumber);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_serial_is_one_word_upper_cased() {
        assert_eq!(
            SerialNumber::parse(" tw-20kg/0042 ").map(String::from),
            Ok("TW-20KG/0042".to_owned())
        );
        assert!(SerialNumber::parse(&"A".repeat(40)).is_ok());
        let too_long = "A".repeat(41);
        for input in ["", "  ", "TW 0042", "TW#1", "ТW-1", too_long.as_str()] {
            assert_eq!(
                SerialNumber::parse(input),
                Err(EquipmentValueError::SerialNumber),
                "{input}"
            );
        }
    }

    #[test]
    fn a_serial_is_stored_as_a_string_and_read_back_through_its_rule() {
        let serial = SerialNumber::parse("TW-0042").map_err(|e| e.to_string());
        assert_eq!(
            serial.as_ref().map(|s| serde_json::to_string(s).ok()),
            Ok(Some(r#""TW-0042""#.to_owned()))
        );
        assert!(serde_json::from_str::<SerialNumber>(r#""TW 0042""#).is_err());
    }

    #[test]
    fn a_certificate_number_is_one_word_upper_cased() {
        assert_eq!(
            CertificateNumber::parse("cal/2026/00731").map(String::from),
            Ok("CAL/2026/00731".to_owned())
        );
        assert_eq!(
            CertificateNumber::parse("CAL 1"),
            Err(EquipmentValueError::CertificateNumber)
        );
    }
}
