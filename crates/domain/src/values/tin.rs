//! The LHDN taxpayer identification number (TIN).

use serde::{Deserialize, Serialize};

use super::{ValueError, string_value};

/// A TIN in LHDN's current format, so that what we send matches what MyInvois has on file.
///
/// `parse` applies LHDN's normalisation (SDK FAQ): upper case without spaces; the old
/// individual prefixes `OG` and `SG` become `IG`; a non-individual TIN loses the leading zeros
/// after its prefix and ends in `0` (one is appended to an old-format number). The four
/// general TINs (`EI000000000x0`) stand for buyers or suppliers who have no TIN of their own.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Tin(String);

string_value!(Tin);

/// LHDN's TIN length limit, after normalisation.
const MAX_LEN: usize = 14;

/// Prefixes of companies and other non-individual bodies. Longest first, so that `CS…` is not
/// read as `C` followed by `S…`, nor `FA…` as `F`.
const NON_INDIVIDUAL_PREFIXES: [&str; 13] = [
    "CS", "FA", "PT", "TA", "TC", "TN", "TR", "TP", "LE", "C", "D", "F", "J",
];

/// Individual prefixes: `IG` today, `OG` and `SG` in the old format.
const INDIVIDUAL_PREFIXES: [&str; 3] = ["IG", "OG", "SG"];

/// The general TINs of LHDN's e-invoice guideline (Appendix 1): general public, foreign buyer,
/// foreign supplier, and government bodies without a TIN.
const GENERAL: [&str; 4] = [
    "EI00000000010",
    "EI00000000020",
    "EI00000000030",
    "EI00000000040",
];

impl Tin {
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        let tin: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();

        if tin.starts_with("EI") {
            return if GENERAL.contains(&tin.as_str()) {
                Ok(Self(tin))
            } else {
                Err(ValueError::TinGeneral)
            };
        }

        let normalised = if let Some(digits) = strip_any(&tin, &INDIVIDUAL_PREFIXES) {
            check_digits(digits)?;
            format!("IG{digits}")
        } else if let Some((prefix, digits)) = NON_INDIVIDUAL_PREFIXES
            .iter()
            .find_map(|p| tin.strip_prefix(p).map(|rest| (*p, rest)))
        {
            check_digits(digits)?;
            let digits = digits.trim_start_matches('0');
            let tail = if digits.ends_with('0') { "" } else { "0" };
            format!("{prefix}{digits}{tail}")
        } else {
            return Err(ValueError::TinPrefix);
        };

        if normalised.len() > MAX_LEN {
            return Err(ValueError::TinTooLong);
        }
        Ok(Self(normalised))
    }

    /// An individual's TIN (`IG…`): an individual customer must have one, or a general TIN.
    pub fn is_individual(&self) -> bool {
        self.0.starts_with("IG")
    }

    /// One of the general TINs, which stand for "no TIN of their own".
    pub fn is_general(&self) -> bool {
        GENERAL.contains(&self.0.as_str())
    }
}

fn strip_any<'a>(tin: &'a str, prefixes: &[&str]) -> Option<&'a str> {
    prefixes.iter().find_map(|p| tin.strip_prefix(p))
}

/// The number after the prefix: digits only, and not all zeros (which would leave nothing
/// once the leading zeros go).
fn check_digits(digits: &str) -> Result<(), ValueError> {
    if digits.bytes().all(|b| b.is_ascii_digit()) && digits.bytes().any(|b| b != b'0') {
        Ok(())
    } else {
        Err(ValueError::TinDigits)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn tins_are_normalised_as_lhdn_does() {
        let cases = [
            ("C2584563202", "C25845632020"),
            ("C0025845632020", "C25845632020"),
            ("C25845632020", "C25845632020"),
            ("  c 2584 5632 020 ", "C25845632020"),
            ("IG12345678912", "IG12345678912"),
            ("IG123456789012", "IG123456789012"),
            ("OG12345678912", "IG12345678912"),
            ("sg12345678912", "IG12345678912"),
            ("CS1234567", "CS12345670"),
            ("FA00123", "FA1230"),
            ("LE123450", "LE123450"),
            ("J1", "J10"),
            ("PT12345678901", "PT123456789010"),
            ("EI00000000010", "EI00000000010"),
            ("ei00000000040", "EI00000000040"),
        ];
        for (input, expected) in cases {
            assert_eq!(
                Tin::parse(input).map(|t| t.to_string()),
                Ok(expected.to_owned()),
                "{input}"
            );
        }
    }

    #[test]
    fn malformed_tins_are_refused() {
        let cases = [
            ("X123", ValueError::TinPrefix),
            ("", ValueError::TinPrefix),
            ("123456", ValueError::TinPrefix),
            ("C", ValueError::TinDigits),
            ("IG", ValueError::TinDigits),
            ("CS", ValueError::TinDigits),
            ("C000", ValueError::TinDigits),
            ("C12A45", ValueError::TinDigits),
            ("IG12-345", ValueError::TinDigits),
            ("IG1234567890123", ValueError::TinTooLong),
            // 13 digits ending in 3 gain a 0: 15 characters.
            ("C1234567890123", ValueError::TinTooLong),
            ("EI00000000050", ValueError::TinGeneral),
            ("EI1", ValueError::TinGeneral),
        ];
        for (input, expected) in cases {
            assert_eq!(Tin::parse(input), Err(expected), "{input}");
        }
    }

    #[test]
    fn a_tin_knows_whether_it_is_an_individuals_or_general() {
        let individual = Tin::parse("OG12345678912").unwrap();
        assert!(individual.is_individual() && !individual.is_general());
        let company = Tin::parse("C25845632020").unwrap();
        assert!(!company.is_individual() && !company.is_general());
        let public = Tin::parse("EI00000000010").unwrap();
        assert!(public.is_general() && !public.is_individual());
    }

    #[test]
    fn a_tin_is_stored_as_its_normalised_string() {
        let tin = Tin::parse("C2584563202").unwrap();
        assert_eq!(serde_json::to_string(&tin).unwrap(), r#""C25845632020""#);
        assert_eq!(
            serde_json::from_str::<Tin>(r#""OG123""#).unwrap().as_str(),
            "IG123"
        );
        assert!(serde_json::from_str::<Tin>(r#""X1""#).is_err());
    }

    proptest! {
        #[test]
        fn normalising_a_tin_twice_changes_nothing(
            input in "(IG|OG|SG|C|CS|D|F|FA|PT|TA|TC|TN|TR|TP|J|LE|EI|ig|cs|X)?[0 ]{0,4}[0-9 ]{0,14}"
        ) {
            if let Ok(tin) = Tin::parse(&input) {
                prop_assert_eq!(Tin::parse(tin.as_str()), Ok(tin.clone()));
                prop_assert!(tin.as_str().len() <= MAX_LEN);
                prop_assert!(tin.is_individual() || tin.is_general() || tin.as_str().ends_with('0'));
            }
        }

        #[test]
        fn any_text_either_parses_to_a_fixed_point_or_is_refused(input in any::<String>()) {
            if let Ok(tin) = Tin::parse(&input) {
                prop_assert_eq!(Tin::parse(tin.as_str()), Ok(tin));
            }
        }
    }
}
