//! The country code.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use super::{ValueError, code_table, string_value};

/// LHDN's country table (`CountryCodes.json`): ISO 3166-1 alpha-3 plus a few LHDN keeps
/// (`ANT`, `XKX`).
static COUNTRIES: LazyLock<HashMap<String, String>> = LazyLock::new(|| {
    code_table(
        include_str!("../../data/countries.json"),
        "Country",
        "data/countries.json",
    )
});

const MALAYSIA: &str = "MYS";

/// A three-letter country code from LHDN's table, as a document's
/// `Country.IdentificationCode` needs it. Lower-case input is upper-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CountryCode(String);

string_value!(CountryCode);

impl CountryCode {
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        let code = input.trim().to_ascii_uppercase();
        if code.len() == 3 && COUNTRIES.contains_key(&code) {
            Ok(Self(code))
        } else {
            Err(ValueError::CountryCode)
        }
    }

    /// Malaysia, the default country of every address here.
    pub fn malaysia() -> Self {
        Self(MALAYSIA.to_owned())
    }

    /// Malaysian addresses follow stricter rules (5-digit postcode, a real state).
    pub fn is_malaysia(&self) -> bool {
        self.0 == MALAYSIA
    }

    /// The country's name as LHDN writes it (upper case).
    pub fn name(&self) -> &'static str {
        COUNTRIES.get(&self.0).map_or("", String::as_str)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_country_table_is_lhdns() {
        assert_eq!(COUNTRIES.len(), 253);
    }

    #[test]
    fn a_country_code_has_its_name() {
        let mys = CountryCode::parse(" mys ").unwrap();
        assert_eq!(mys, CountryCode::malaysia());
        assert!(mys.is_malaysia());
        assert_eq!(mys.name(), "MALAYSIA");
        assert!(!CountryCode::parse("SGP").unwrap().is_malaysia());
    }

    #[test]
    fn unknown_country_codes_are_refused() {
        for input in ["", "MY", "MYSS", "ZZZ", "M1S"] {
            assert_eq!(
                CountryCode::parse(input),
                Err(ValueError::CountryCode),
                "{input}"
            );
        }
    }
}
