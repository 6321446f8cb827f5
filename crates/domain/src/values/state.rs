//! The Malaysian state code.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Serialize;

use super::{ValueError, code_table, stored_value, string_value};

/// LHDN's state table (`StateCodes.json`): `01` Johor to `16` Putrajaya, and `17`.
static STATES: LazyLock<HashMap<String, String>> = LazyLock::new(|| {
    code_table(
        include_str!("../../data/states.json"),
        "State",
        "data/states.json",
    )
});

/// LHDN's retired "not applicable" state, which MyInvois no longer accepts (June 2025).
const RETIRED: &str = "00";

/// The code LHDN wants for an address outside Malaysia.
const NOT_APPLICABLE: &str = "17";

/// A state code from LHDN's table (`CountrySubentityCode`). `17` (Not Applicable) is for
/// addresses abroad, and since 30 April 2026 only for those or for consolidated documents;
/// `00` was retired and is refused with its own message, as old data still carries it.
///
/// [`StateCode::parse`] checks the code against today's table. Reading a stored one checks
/// only that it is two digits: events are kept 7 years, and one written with `00` before LHDN
/// retired it, or with any code LHDN drops later, must still load. Such a code has no
/// [`name`](StateCode::name).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "String")]
pub struct StateCode(String);

string_value!(StateCode);
stored_value!(StateCode, "two digits");

impl StateCode {
    /// Checks new input against LHDN's current table; `00` gets its own refusal.
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        let code = input.trim();
        if code == RETIRED {
            Err(ValueError::StateCodeRetired)
        } else if STATES.contains_key(code) {
            Ok(Self(code.to_owned()))
        } else {
            Err(ValueError::StateCode)
        }
    }

    /// A code read back from storage: two digits, in or out of today's table (see the type).
    pub(crate) fn from_stored(stored: String) -> Option<Self> {
        (stored.len() == 2 && stored.bytes().all(|b| b.is_ascii_digit())).then_some(Self(stored))
    }

    /// The code for an address outside Malaysia.
    pub fn not_applicable() -> Self {
        Self(NOT_APPLICABLE.to_owned())
    }

    /// Whether this is `17`, which stands for "not in a Malaysian state".
    pub fn is_not_applicable(&self) -> bool {
        self.0 == NOT_APPLICABLE
    }

    /// The state's name as LHDN writes it, or `None` for a stored code that is not in
    /// today's table (such as the retired `00`).
    pub fn name(&self) -> Option<&'static str> {
        STATES.get(&self.0).map(String::as_str)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_state_table_is_lhdns() {
        assert_eq!(STATES.len(), 17);
        assert!(!STATES.contains_key(RETIRED));
    }

    #[test]
    fn a_state_code_has_its_name() {
        assert_eq!(StateCode::parse("10").unwrap().name(), Some("Selangor"));
        assert_eq!(
            StateCode::parse(" 14 ").unwrap().name(),
            Some("Wilayah Persekutuan Kuala Lumpur")
        );
        let abroad = StateCode::parse("17").unwrap();
        assert!(abroad.is_not_applicable());
        assert_eq!(abroad, StateCode::not_applicable());
        assert_eq!(abroad.name(), Some("Not Applicable"));
    }

    #[test]
    fn the_retired_and_unknown_codes_are_refused() {
        assert_eq!(StateCode::parse("00"), Err(ValueError::StateCodeRetired));
        for input in ["", "1", "18", "Selangor", "010"] {
            assert_eq!(
                StateCode::parse(input),
                Err(ValueError::StateCode),
                "{input}"
            );
        }
    }

    #[test]
    fn a_stored_state_code_loads_even_if_lhdn_retired_it() {
        assert_eq!(StateCode::parse("00"), Err(ValueError::StateCodeRetired));
        let retired = serde_json::from_str::<StateCode>(r#""00""#).unwrap();
        assert_eq!(retired.as_str(), "00");
        assert_eq!(retired.name(), None);
        assert!(!retired.is_not_applicable());
        assert_eq!(serde_json::to_string(&retired).unwrap(), r#""00""#);

        assert_eq!(StateCode::parse("99"), Err(ValueError::StateCode));
        assert_eq!(
            serde_json::from_str::<StateCode>(r#""99""#).unwrap().name(),
            None
        );
        let selangor = serde_json::from_str::<StateCode>(r#""10""#).unwrap();
        assert_eq!(selangor, StateCode::parse("10").unwrap());
        assert_eq!(selangor.name(), Some("Selangor"));
    }

    #[test]
    fn a_stored_state_code_must_still_be_two_digits() {
        for stored in ["", "1", "010", " 10", "1A", "Selangor", "١٠"] {
            let json = serde_json::to_string(stored).unwrap();
            assert!(
                serde_json::from_str::<StateCode>(&json).is_err(),
                "{stored}"
            );
        }
        assert!(serde_json::from_str::<StateCode>("10").is_err());
    }
}
