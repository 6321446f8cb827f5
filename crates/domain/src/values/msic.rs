//! The MSIC business activity code.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Serialize;

use super::{ValueError, code_table, stored_value, string_value};

/// LHDN's MSIC sub-category table (`MSICSubCategoryCodes.json`), shipped in the binary so a
/// code is checked without a network call. LHDN edits its tables: update the file, not code.
static MSIC: LazyLock<HashMap<String, String>> = LazyLock::new(|| {
    code_table(
        include_str!("../../data/msic.json"),
        "Description",
        "data/msic.json",
    )
});

/// A 5-digit MSIC 2008 code from LHDN's table, which MyInvois requires of a supplier
/// (`IndustryClassificationCode`) together with its description. `00000` ("not applicable")
/// is in the table and accepted.
///
/// [`MsicCode::parse`] checks the code against today's table. Reading a stored one checks
/// only that it is five digits: events are kept 7 years, and a code LHDN drops from its table
/// later (a new MSIC edition, say) must still load. Such a code has no
/// [`description`](MsicCode::description).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "String")]
pub struct MsicCode(String);

string_value!(MsicCode);
stored_value!(MsicCode, "five digits");

impl MsicCode {
    /// Checks new input against LHDN's current table.
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        let code = input.trim();
        if MSIC.contains_key(code) {
            Ok(Self(code.to_owned()))
        } else {
            Err(ValueError::MsicCode)
        }
    }

    /// A code read back from storage: five digits, in or out of today's table (see the type).
    pub(crate) fn from_stored(stored: String) -> Option<Self> {
        (stored.len() == 5 && stored.bytes().all(|b| b.is_ascii_digit())).then_some(Self(stored))
    }

    /// LHDN's description of the activity, sent as the code's `name` on a document, or
    /// `None` for a stored code that is not in today's table.
    pub fn description(&self) -> Option<&'static str> {
        MSIC.get(&self.0).map(String::as_str)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_msic_table_is_lhdns() {
        // 1,175 rows, one of them (16211) listed twice.
        assert_eq!(MSIC.len(), 1174);
        assert!(
            MSIC.keys()
                .all(|c| c.len() == 5 && c.bytes().all(|b| b.is_ascii_digit()))
        );
    }

    #[test]
    fn a_known_code_has_its_description() {
        let code = MsicCode::parse(" 01111 ").unwrap();
        assert_eq!(code.as_str(), "01111");
        assert_eq!(code.description(), Some("Growing of maize"));
        assert_eq!(
            MsicCode::parse("00000").unwrap().description(),
            Some("NOT APPLICABLE")
        );
    }

    #[test]
    fn unknown_codes_are_refused() {
        for input in ["", "99999", "1111", "011111", "0111A"] {
            assert_eq!(MsicCode::parse(input), Err(ValueError::MsicCode), "{input}");
        }
    }

    #[test]
    fn a_stored_msic_code_loads_even_if_lhdn_dropped_it() {
        assert_eq!(MsicCode::parse("99999"), Err(ValueError::MsicCode));
        let dropped = serde_json::from_str::<MsicCode>(r#""99999""#).unwrap();
        assert_eq!(dropped.as_str(), "99999");
        assert_eq!(dropped.description(), None);
        let maize = serde_json::from_str::<MsicCode>(r#""01111""#).unwrap();
        assert_eq!(maize, MsicCode::parse("01111").unwrap());
        assert_eq!(maize.description(), Some("Growing of maize"));
    }

    #[test]
    fn a_stored_msic_code_must_still_be_five_digits() {
        for stored in ["", "1111", "011111", "0111A", " 01111"] {
            let json = serde_json::to_string(stored).unwrap();
            assert!(serde_json::from_str::<MsicCode>(&json).is_err(), "{stored}");
        }
    }
}
