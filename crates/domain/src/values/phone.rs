//! The phone number.

use serde::{Deserialize, Serialize};

use super::{ValueError, string_value};

/// A phone number as LHDN takes it (`Telephone`): an optional leading `+` and digits, 8 to 20
/// characters. People write `+60 12-345 6789` or `(03) 1234 5678`, so spaces, dashes and
/// brackets are dropped first.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

string_value!(Phone);

impl Phone {
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        let phone: String = input
            .chars()
            .filter(|c| !(c.is_whitespace() || matches!(c, '-' | '(' | ')')))
            .collect();
        let digits = phone.strip_prefix('+').unwrap_or(&phone);
        if (8..=20).contains(&phone.len())
            && !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
        {
            Ok(Self(phone))
        } else {
            Err(ValueError::Phone)
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn phone_numbers_lose_their_punctuation() {
        let cases = [
            ("+60 12-345 6789", "+60123456789"),
            ("(03) 1234 5678", "0312345678"),
            ("12345678", "12345678"),
            ("+1234567", "+1234567"),
        ];
        for (input, expected) in cases {
            assert_eq!(
                Phone::parse(input).map(String::from),
                Ok(expected.to_owned())
            );
        }
    }

    #[test]
    fn malformed_phone_numbers_are_refused() {
        let cases = [
            "",
            "1234567",
            "+123456",
            "012-345 678X",
            "60+12345678",
            "++60123456789",
            "123456789012345678901",
        ];
        for input in cases {
            assert_eq!(Phone::parse(input), Err(ValueError::Phone), "{input}");
        }
    }

    proptest! {
        #[test]
        fn punctuation_never_changes_a_phone_number(
            plus in any::<bool>(),
            digits in "[0-9]{7,19}",
            separators in proptest::collection::vec("[ ()-]{0,2}", 20),
        ) {
            let number = if plus { format!("+{digits}") } else { digits.clone() };
            let written: String = number
                .chars()
                .zip(separators.iter().cycle())
                .map(|(c, sep)| format!("{c}{sep}"))
                .collect();
            let parsed = Phone::parse(&written);
            if (8..=20).contains(&number.len()) {
                let phone = parsed.unwrap();
                prop_assert_eq!(phone.as_str(), number.as_str());
                prop_assert_eq!(Phone::parse(phone.as_str()), Ok(phone.clone()));
            } else {
                prop_assert_eq!(parsed, Err(ValueError::Phone));
            }
        }

        #[test]
        fn a_phone_number_with_a_letter_is_refused(
            before in "[0-9]{4,10}", letter in "[a-zA-Z]", after in "[0-9]{4,10}",
        ) {
            prop_assert_eq!(Phone::parse(&format!("{before}{letter}{after}")), Err(ValueError::Phone));
        }

        #[test]
        fn any_text_either_parses_to_a_fixed_point_or_is_refused(input in any::<String>()) {
            if let Ok(phone) = Phone::parse(&input) {
                prop_assert_eq!(Phone::parse(phone.as_str()), Ok(phone));
            }
        }
    }
}
