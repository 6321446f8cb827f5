//! An armed forces number.

use serde::{Deserialize, Serialize};

use super::passport::is_short_alphanumeric;
use super::{ValueError, string_value};

/// A service number, for members of the armed forces who identify with it under LHDN's scheme
/// `ARMY`: 1 to 12 letters or digits, kept as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ArmyNumber(String);

string_value!(ArmyNumber);

impl ArmyNumber {
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        let number = input.trim();
        if is_short_alphanumeric(number) {
            Ok(Self(number.to_owned()))
        } else {
            Err(ValueError::ArmyNumber)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_army_number_is_one_to_twelve_alphanumerics() {
        assert_eq!(
            ArmyNumber::parse(" T1234567 ").map(String::from),
            Ok("T1234567".to_owned())
        );
        for input in ["", "T 1234567", "T1234567890123"] {
            assert_eq!(
                ArmyNumber::parse(input),
                Err(ValueError::ArmyNumber),
                "{input}"
            );
        }
    }
}
