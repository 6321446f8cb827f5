//! A postal address.

use serde::{Deserialize, Deserializer, Serialize};

use super::{CountryCode, Lines, Postcode, StateCode, ValueError, check_text};

/// A postal address in the shape of LHDN's `PostalAddress`: 1 to 3 lines of at most 150
/// characters, a city of at most 50, a postcode, a state and a country.
///
/// The parts are checked together: a Malaysian address has a 5-digit postcode and a real
/// state, and an address abroad uses state `17` (LHDN restricts `17` to foreign and
/// consolidated documents since 30 April 2026).
///
/// The state rule is LHDN's policy and has changed before (`00` once stood for "abroad"), so
/// only [`Address::new`] applies it. A stored address, kept 7 years, is read back with its
/// shape checked (lines, city, Malaysian postcode) but not the state rule, nor the state and
/// country against LHDN's tables: what was accepted when it was written still loads.
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

/// Which rules an address is checked by: all of today's, or only its shape (stored data).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Rules {
    Current,
    ShapeOnly,
}

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
        Self::check(lines, city, postcode, state, country, Rules::Current)
    }

    fn check(
        lines: Vec<String>,
        city: String,
        postcode: Postcode,
        state: StateCode,
        country: CountryCode,
        rules: Rules,
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
        if rules == Rules::Current && country.is_malaysia() == state.is_not_applicable() {
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

/// The stored shape. Its state and country are read by shape only (see [`StateCode`] and
/// [`CountryCode`]), and the address is checked by its shape only: see [`Address`].
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
        Self::check(
            w.lines,
            w.city,
            w.postcode,
            w.state,
            w.country,
            Rules::ShapeOnly,
        )
        .map_err(serde::de::Error::custom)
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
        assert_eq!(address.state().name(), Some("Selangor"));
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
        let mut short_postcode = json.clone();
        short_postcode["postcode"] = "4015".into();
        assert!(serde_json::from_value::<Address>(short_postcode).is_err());
        let mut no_lines = json.clone();
        no_lines["lines"] = serde_json::json!([]);
        assert!(serde_json::from_value::<Address>(no_lines).is_err());
        let mut bad_state = json;
        bad_state["state"] = "Selangor".into();
        assert!(serde_json::from_value::<Address>(bad_state).is_err());
    }

    #[test]
    fn a_stored_address_loads_even_if_lhdns_state_rule_changed() {
        let stored = |state: &str, country: &str| {
            serde_json::from_value::<Address>(serde_json::json!({
                "lines": ["Lot 5"], "city": "Shah Alam", "postcode": "40150",
                "state": state, "country": country
            }))
        };
        // `00` as LHDN once took it, for Malaysia or abroad.
        let retired = stored("00", "MYS").unwrap();
        assert_eq!(retired.state().as_str(), "00");
        assert_eq!(retired.state().name(), None);
        assert!(stored("00", "SGP").is_ok());
        // State and country that break today's rule or tables.
        assert!(stored("17", "MYS").is_ok());
        assert!(stored("10", "SGP").is_ok());
        assert_eq!(stored("99", "ZZZ").unwrap().country().name(), None);
        // New input still follows today's rule.
        assert_eq!(
            malaysian(&["Lot 5"], "17"),
            Err(ValueError::StateDoesNotMatchCountry)
        );
    }
}
