//! The SST (sales and service tax) registration.

use serde::{Deserialize, Serialize};

use super::{ValueError, string_value};

/// One or two SST registration numbers (e.g. `W10-1808-32000001`), as LHDN's `SST`
/// identification takes them: at most 35 characters, numbers separated by `;`, only letters,
/// digits and `-`.
///
/// A party that is not registered has no `SstRegistration` (an `Option`); LHDN's `"NA"` is
/// written by the document mapping, so it is refused here to keep one way of saying "none".
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SstRegistration(String);

string_value!(SstRegistration);

const MAX_LEN: usize = 35;

impl SstRegistration {
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        let numbers: Vec<String> = input
            .split(';')
            .map(|n| n.trim().to_ascii_uppercase())
            .collect();
        let well_formed = |n: &String| {
            !n.is_empty() && n != "NA" && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        };
        let joined = numbers.join(";");
        if numbers.len() <= 2 && numbers.iter().all(well_formed) && joined.len() <= MAX_LEN {
            Ok(Self(joined))
        } else {
            Err(ValueError::Sst)
        }
    }

    /// The registration numbers, one or two.
    pub fn numbers(&self) -> impl Iterator<Item = &str> {
        self.0.split(';')
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn one_or_two_sst_numbers_are_accepted() {
        let cases = [
            ("W10-1808-32000001", "W10-1808-32000001"),
            (" w10-1808-32000001 ", "W10-1808-32000001"),
            (
                "W10-1808-32000001; W10-1808-32000002",
                "W10-1808-32000001;W10-1808-32000002",
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(
                SstRegistration::parse(input).map(String::from),
                Ok(expected.to_owned())
            );
        }
        let two = SstRegistration::parse("A-1;B-2").unwrap();
        assert_eq!(two.numbers().collect::<Vec<_>>(), ["A-1", "B-2"]);
    }

    #[test]
    fn malformed_sst_registrations_are_refused() {
        let cases = [
            "",
            "NA",
            "A;B;C",
            "W10-1808-32000001;",
            "W10/1808",
            "W10 1808",
            "W10-1808-32000001;W10-1808-320000021",
        ];
        for input in cases {
            assert_eq!(
                SstRegistration::parse(input),
                Err(ValueError::Sst),
                "{input}"
            );
        }
    }
}
