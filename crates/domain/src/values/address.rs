//! A postal address.

use serde::{Deserialize, Deserializer, Serialize};

use super::{CountryCode, Lines, Postcode, StateCode, ValueError, check_text};

/// A postal address in the shape of LHDN's `PostalAddress`: 1 to 3 lines of at most 150
/// characters, a city of at most 50, a postcode, a state and a country.
///
/// The parts are checked together: a Malaysian address has a 5-digit postcode and a real
/// state, and an address abroad uses state `17` (LHDN restricts `17` to foreign and
/// consolidated documents since 30 April 2026).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Address {
    lines: Vec<String>,
    city: String,
    postcode: Postcode,
    state: StateCode,
    country: CountryCode,
}

const MAX_LINES: usize = 3;
const MAX_LINE_LEN: usize = 150;
const MAX_CITY_LEN: usize = 50;

impl Address {
    /// Checks and normalises an address. Lines are trimmed and blank lines after the first
    /// are dropped, so a form's empty "line 3" does not count.
    pub fn new(
        lines: Vec<String>,
        city: String,
        postcode: Postcode,
        state: StateCode,
        country: CountryCode,
    ) -> Result<Self, ValueError> {
        if lines.is_empty() || lines.len() > MAX_LINES {
            return Err(ValueError::AddressLines);
        }
        let mut checked = Vec::with_capacity(lines.len());
        for (index, line) in lines.iter().enumerate() {
            match check_text(line, MAX_LINE_LEN, Lines::Single) {
                Ok(line) => checked.push(line),
                Err(super::TextProblem::Empty) if index > 0 => {}
                Err(problem) => {
                    return Err(ValueError::Text {
                        field: "address line",
                        problem,
                    });
                }
            }
        }
        let city =
            check_text(&city, MAX_CITY_LEN, Lines::Single).map_err(|problem| ValueError::Text {
                field: "city",
                problem,
            })?;
        if country.is_malaysia() == state.is_not_applicable() {
            return Err(ValueError::StateDoesNotMatchCountry);
        }
        if country.is_malaysia() && !postcode.is_malaysian_form() {
            return Err(ValueError::MalaysianPostcode);
        }
        Ok(Self {
            lines: checked,
            city,
            postcode,
            state,
            country,
        })
    }

    /// The address lines, one to three, the first never empty.
    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    pub fn city(&self) -> &str {
        &self.city
    }

    pub fn postcode(&self) -> &Postcode {
        &self.postcode
    }

    pub fn state(&self) -> &StateCode {
        &self.state
    }

    pub fn country(&self) -> &CountryCode {
        &self.country
    }
}

/// The stored shape, read and then checked by [`Address::new`] like any input.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AddressWire {
    lines: Vec<String>,
    city: String,
    postcode: Postcode,
    state: StateCode,
    country: CountryCode,
}

impl<'de> Deserialize<'de> for Address {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let w = AddressWire::deserialize(deserializer)?;
        Self::new(w.lines, w.city, w.postcode, w.state, w.country).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::values::TextProblem;

    fn malaysian(lines: &[&str], state: &str) -> Result<Address, ValueError> {
        Address::new(
            lines.iter().map(|l| (*l).to_owned()).collect(),
            "Shah Alam".to_owned(),
            Postcode::parse("40150").unwrap(),
            StateCode::parse(state).unwrap(),
            CountryCode::malaysia(),
        )
    }

    #[test]
    fn a_malaysian_address_drops_blank_lines() {
        let address = malaysian(&[" Lot 5, Jalan Utas 15/7 ", "", "Seksyen 15"], "10").unwrap();
        assert_eq!(address.lines(), ["Lot 5, Jalan Utas 15/7", "Seksyen 15"]);
        assert_eq!(address.state().name(), "Selangor");
    }

    #[test]
    fn an_address_has_one_to_three_lines_the_first_not_blank() {
        assert_eq!(malaysian(&[], "10"), Err(ValueError::AddressLines));
        assert_eq!(
            malaysian(&["a", "b", "c", "d"], "10"),
            Err(ValueError::AddressLines)
        );
        assert_eq!(
            malaysian(&[" ", "Seksyen 15"], "10"),
            Err(ValueError::Text {
                field: "address line",
                problem: TextProblem::Empty
            })
        );
        assert_eq!(
            malaysian(&["a", &"b".repeat(151)], "10"),
            Err(ValueError::Text {
                field: "address line",
                problem: TextProblem::TooLong { max: 150 }
            })
        );
    }

    #[test]
    fn state_17_is_for_addresses_abroad_only() {
        assert_eq!(
            malaysian(&["Lot 5"], "17"),
            Err(ValueError::StateDoesNotMatchCountry)
        );
        let abroad = |state: &str| {
            Address::new(
                vec!["1 Raffles Place".to_owned()],
                "Singapore".to_owned(),
                Postcode::parse("048616").unwrap(),
                StateCode::parse(state).unwrap(),
                CountryCode::parse("SGP").unwrap(),
            )
        };
        assert!(abroad("17").is_ok());
        assert_eq!(abroad("10"), Err(ValueError::StateDoesNotMatchCountry));
    }

    #[test]
    fn a_malaysian_address_needs_a_five_digit_postcode() {
        let address = Address::new(
            vec!["Lot 5".to_owned()],
            "Shah Alam".to_owned(),
            Postcode::parse("4015").unwrap(),
            StateCode::parse("10").unwrap(),
            CountryCode::malaysia(),
        );
        assert_eq!(address, Err(ValueError::MalaysianPostcode));
    }

    #[test]
    fn an_address_is_checked_again_when_read() {
        let address = malaysian(&["Lot 5"], "10").unwrap();
        let json = serde_json::to_value(&address).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "lines": ["Lot 5"], "city": "Shah Alam", "postcode": "40150",
                "state": "10", "country": "MYS"
            })
        );
        assert_eq!(
            serde_json::from_value::<Address>(json.clone()).unwrap(),
            address
        );
        let mut foreign_state = json;
        foreign_state["state"] = "17".into();
        assert!(serde_json::from_value::<Address>(foreign_state).is_err());
    }
}
