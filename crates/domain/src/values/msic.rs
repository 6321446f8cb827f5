//! The MSIC business activity code.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use super::{ValueError, code_table, string_value};

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
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MsicCode(String);

string_value!(MsicCode);

impl MsicCode {
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        let code = input.trim();
        if MSIC.contains_key(code) {
            Ok(Self(code.to_owned()))
        } else {
            Err(ValueError::MsicCode)
        }
    }

    /// LHDN's description of the activity, sent as the code's `name` on a document.
    pub fn description(&self) -> &'static str {
        MSIC.get(&self.0).map_or("", String::as_str)
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
        assert_eq!(code.description(), "Growing of maize");
        assert_eq!(
            MsicCode::parse("00000").unwrap().description(),
            "NOT APPLICABLE"
        );
    }

    #[test]
    fn unknown_codes_are_refused() {
        for input in ["", "99999", "1111", "011111", "0111A"] {
            assert_eq!(MsicCode::parse(input), Err(ValueError::MsicCode), "{input}");
        }
    }
}
