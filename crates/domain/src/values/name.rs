//! A registered name.

use serde::{Deserialize, Serialize};

use super::{Lines, ValueError, check_text, string_value};

/// A person's or a company's name as registered (`RegistrationName`): not empty, one line,
/// at most 300 characters as LHDN allows. Case and spelling are kept: LHDN compares names
/// with its records.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Name(String);

string_value!(Name);

const MAX_LEN: usize = 300;

impl Name {
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        check_text(input, MAX_LEN, Lines::Single)
            .map(Self)
            .map_err(|problem| ValueError::Text {
                field: "name",
                problem,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::TextProblem;

    #[test]
    fn a_name_is_trimmed_and_kept_as_written() {
        assert_eq!(
            Name::parse("  Syarikat Timbang Jaya Sdn. Bhd. ").map(String::from),
            Ok("Syarikat Timbang Jaya Sdn. Bhd.".to_owned())
        );
        assert!(Name::parse(&"é".repeat(300)).is_ok());
    }

    #[test]
    fn empty_long_or_multi_line_names_are_refused() {
        let refused = |problem| {
            Err(ValueError::Text {
                field: "name",
                problem,
            })
        };
        assert_eq!(Name::parse("   "), refused(TextProblem::Empty));
        assert_eq!(
            Name::parse(&"a".repeat(301)),
            refused(TextProblem::TooLong { max: 300 })
        );
        assert_eq!(
            Name::parse("Ali\nBaba"),
            refused(TextProblem::ControlCharacters)
        );
    }
}
