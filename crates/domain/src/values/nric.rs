//! The MyKad (NRIC) number.

use serde::{Deserialize, Serialize};

use super::{ValueError, exact_digits, string_value};

/// A 12-digit MyKad number, stored without dashes as LHDN expects under scheme `NRIC`.
/// MyTentera, MyPR and MyKAS numbers use the same scheme and shape.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Nric(String);

string_value!(Nric);

impl Nric {
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        exact_digits(input, 12).map(Self).ok_or(ValueError::Nric)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_nric_is_twelve_digits_with_or_without_dashes() {
        for input in ["900101-14-5678", "900101145678", " 900101 14 5678 "] {
            assert_eq!(
                Nric::parse(input).map(String::from),
                Ok("900101145678".to_owned())
            );
        }
    }

    #[test]
    fn malformed_nrics_are_refused() {
        for input in ["", "900101-14-567", "900101-14-56789", "A00101-14-5678"] {
            assert_eq!(Nric::parse(input), Err(ValueError::Nric), "{input}");
        }
    }
}
