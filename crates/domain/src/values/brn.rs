//! The SSM business registration number.

use serde::{Deserialize, Serialize};

use super::{ValueError, exact_digits, string_value};

/// A business registration number in SSM's new 12-digit form (e.g. `201901234567`).
///
/// LHDN requires the new form for SSM-registered companies and, from 1 August 2026,
/// cross-checks it against the TIN, so the old `1234567-A` form is refused here rather than at
/// submission. Spaces and dashes are dropped because people copy the number as
/// `2019-01-234567`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Brn(String);

string_value!(Brn);

impl Brn {
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        exact_digits(input, 12).map(Self).ok_or(ValueError::Brn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_brn_is_twelve_digits_written_any_way() {
        for input in ["201901234567", " 2019-01-234567 ", "2019 01 234567"] {
            assert_eq!(
                Brn::parse(input).map(String::from),
                Ok("201901234567".to_owned())
            );
        }
    }

    #[test]
    fn old_and_malformed_brns_are_refused() {
        for input in [
            "",
            "1234567-A",
            "20190123456",
            "2019012345678",
            "20190123456X",
        ] {
            assert_eq!(Brn::parse(input), Err(ValueError::Brn), "{input}");
        }
    }
}
