//! The Malaysian state code.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use super::{ValueError, code_table, string_value};

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
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct StateCode(String);

string_value!(StateCode);

impl StateCode {
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

    /// The code for an address outside Malaysia.
    pub fn not_applicable() -> Self {
        Self(NOT_APPLICABLE.to_owned())
    }

    /// Whether this is `17`, which stands for "not in a Malaysian state".
    pub fn is_not_applicable(&self) -> bool {
        self.0 == NOT_APPLICABLE
    }

    /// The state's name as LHDN writes it.
    pub fn name(&self) -> &'static str {
        STATES.get(&self.0).map_or("", String::as_str)
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
        assert_eq!(StateCode::parse("10").unwrap().name(), "Selangor");
        assert_eq!(
            StateCode::parse(" 14 ").unwrap().name(),
            "Wilayah Persekutuan Kuala Lumpur"
        );
        let abroad = StateCode::parse("17").unwrap();
        assert!(abroad.is_not_applicable());
        assert_eq!(abroad, StateCode::not_applicable());
        assert_eq!(abroad.name(), "Not Applicable");
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
}
