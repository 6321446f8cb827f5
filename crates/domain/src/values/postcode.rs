//! The postcode.

use serde::{Deserialize, Serialize};

use super::{CountryCode, Lines, ValueError, check_text, string_value};

/// A postcode (`PostalZone`). Its rule depends on the country: exactly 5 digits in Malaysia,
/// any text up to 50 characters elsewhere. Use [`Postcode::parse_for`] when the country is
/// known; [`crate::values::Address::new`] checks the pair again.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Postcode(String);

string_value!(Postcode);

const MAX_LEN: usize = 50;

impl Postcode {
    /// Checks only the rule every country shares (not empty, at most 50 characters).
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        check_text(input, MAX_LEN, Lines::Single)
            .map(Self)
            .map_err(|problem| ValueError::Text {
                field: "postcode",
                problem,
            })
    }

    /// Checks the postcode by the rule of its country.
    pub fn parse_for(country: &CountryCode, input: &str) -> Result<Self, ValueError> {
        let postcode = Self::parse(input);
        if !country.is_malaysia() {
            return postcode;
        }
        match postcode {
            Ok(p) if p.is_malaysian_form() => Ok(p),
            _ => Err(ValueError::MalaysianPostcode),
        }
    }

    pub(super) fn is_malaysian_form(&self) -> bool {
        self.0.len() == 5 && self.0.bytes().all(|b| b.is_ascii_digit())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_malaysian_postcode_is_five_digits() {
        let mys = CountryCode::malaysia();
        assert_eq!(
            Postcode::parse_for(&mys, " 40150 ").map(String::from),
            Ok("40150".to_owned())
        );
        for input in ["", "4015", "401500", "4O150", "40 150"] {
            assert_eq!(
                Postcode::parse_for(&mys, input),
                Err(ValueError::MalaysianPostcode),
                "{input}"
            );
        }
    }

    #[test]
    fn a_foreign_postcode_is_short_text() {
        let uk = CountryCode::parse("GBR").unwrap();
        assert_eq!(
            Postcode::parse_for(&uk, "SW1A 1AA").map(String::from),
            Ok("SW1A 1AA".to_owned())
        );
        assert_eq!(
            Postcode::parse_for(&uk, &"9".repeat(51)),
            Err(ValueError::Text {
                field: "postcode",
                problem: super::super::TextProblem::TooLong { max: 50 }
            })
        );
    }
}
