//! The country code.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Serialize;

use super::{ValueError, code_table, stored_value, string_value};

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
///
/// [`CountryCode::parse`] checks the code against today's table. Reading a stored one checks
/// only that it is three upper-case letters: events are kept 7 years, and a code LHDN drops
/// from its table later (as ISO retires countries' codes) must still load. Such a code has no
/// [`name`](CountryCode::name).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "String")]
pub struct CountryCode(String);

string_value!(CountryCode);
stored_value!(CountryCode, "three upper-case letters");

impl CountryCode {
    /// Checks new input against LHDN's current table.
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        let code = input.trim().to_ascii_uppercase();
        if code.len() == 3 && COUNTRIES.contains_key(&code) {
            Ok(Self(code))
        } else {
            Err(ValueError::CountryCode)
        }
    }

    /// A code read back from storage: three upper-case letters, in or out of today's table
    /// (see the type).
    pub(crate) fn from_stored(stored: String) -> Option<Self> {
        (stored.len() == 3 && stored.bytes().all(|b| b.is_ascii_uppercase()))
            .then_some(Self(stored))
    }

    /// Malaysia, the default country of every address here.
    pub fn malaysia() -> Self {
        Self(MALAYSIA.to_owned())
    }

    /// Malaysian addresses follow stricter rules (5-digit postcode, a real state).
    pub fn is_malaysia(&self) -> bool {
        self.0 == MALAYSIA
    }

    /// The country's name as LHDN writes it (upper case), or `None` for a stored code that
    /// is not in today's table.
    pub fn name(&self) -> Option<&'static str> {
        COUNTRIES.get(&self.0).map(String::as_str)
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
        assert_eq!(mys.name(), Some("MALAYSIA"));
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

    #[test]
    fn a_stored_country_code_loads_even_if_lhdn_dropped_it() {
        assert_eq!(CountryCode::parse("ZZZ"), Err(ValueError::CountryCode));
        let dropped = serde_json::from_str::<CountryCode>(r#""ZZZ""#).unwrap();
        assert_eq!(dropped.as_str(), "ZZZ");
        assert_eq!(dropped.name(), None);
        assert!(!dropped.is_malaysia());
        let mys = serde_json::from_str::<CountryCode>(r#""MYS""#).unwrap();
        assert_eq!(mys, CountryCode::malaysia());
        assert_eq!(serde_json::to_string(&mys).unwrap(), r#""MYS""#);
    }

    #[test]
    fn a_stored_country_code_must_still_be_three_upper_case_letters() {
        for stored in ["", "MY", "MYSS", "mys", "M1S", " MYS"] {
            let json = serde_json::to_string(stored).unwrap();
            assert!(
                serde_json::from_str::<CountryCode>(&json).is_err(),
                "{stored}"
            );
        }
    }
}
