//! A passport number.

use serde::{Deserialize, Serialize};

use super::{ValueError, string_value};

/// A passport number as LHDN takes it under scheme `PASSPORT`: 1 to 12 letters or digits,
/// upper case so that `a1234567` and `A1234567` are one person.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Passport(String);

string_value!(Passport);

impl Passport {
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        let number = input.trim().to_ascii_uppercase();
        if is_short_alphanumeric(&number) {
            Ok(Self(number))
        } else {
            Err(ValueError::Passport)
        }
    }
}

/// LHDN's shape for passport and army numbers: 1 to 12 ASCII letters or digits.
pub(super) fn is_short_alphanumeric(s: &str) -> bool {
    (1..=12).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_passport_number_is_upper_cased() {
        assert_eq!(
            Passport::parse(" a1234567 ").map(String::from),
            Ok("A1234567".to_owned())
        );
        assert!(Passport::parse("ABCDEF123456").is_ok());
    }

    #[test]
    fn malformed_passport_numbers_are_refused() {
        for input in ["", "A123 4567", "A-1234567", "ABCDEF1234567", "Ä1234567"] {
            assert_eq!(Passport::parse(input), Err(ValueError::Passport), "{input}");
        }
    }
}
