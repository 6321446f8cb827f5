//! The item code of a document line.

use serde::{Deserialize, Serialize};

use super::{ValueError, string_value};

/// The company's code for what a line sells (`CAL-M1-20KG`, `RENT/WB-500`), kept as written
/// apart from surrounding spaces. One word of 1 to 50 letters, digits and `- _ . /`, so that it
/// prints in a narrow column and is searched as typed. A line without one is free text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ItemCode(String);

string_value!(ItemCode);

const MAX_LEN: usize = 50;

impl ItemCode {
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        let code = input.trim();
        let well_formed = !code.is_empty()
            && code.chars().count() <= MAX_LEN
            && code
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'));
        if well_formed {
            Ok(Self(code.to_owned()))
        } else {
            Err(ValueError::ItemCode)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_item_code_is_kept_as_written() {
        assert_eq!(
            ItemCode::parse(" CAL-M1-20kg ").map(String::from),
            Ok("CAL-M1-20kg".to_owned())
        );
        assert!(ItemCode::parse("RENT/WB_500.1").is_ok());
        assert!(ItemCode::parse(&"A".repeat(50)).is_ok());
    }

    #[test]
    fn malformed_item_codes_are_refused() {
        let too_long = "A".repeat(51);
        for input in ["", "  ", "CAL M1", "CAL#1", "a\tb", too_long.as_str()] {
            assert_eq!(ItemCode::parse(input), Err(ValueError::ItemCode), "{input}");
        }
    }
}
