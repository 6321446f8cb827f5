//! The LHDN taxpayer identification number (TIN).

use serde::Serialize;

use super::{ValueError, stored_value, string_value};

/// A TIN in LHDN's current format, so that what we send matches what MyInvois has on file.
///
/// `parse` applies LHDN's normalisation (SDK FAQ): upper case without spaces; the old
/// individual prefixes `OG` and `SG` become `IG`; a non-individual TIN loses the leading zeros
/// after its prefix and ends in `0` (one is appended to an old-format number). The four
/// general TINs (`EI000000000x0`) stand for buyers or suppliers who have no TIN of their own.
///
/// The prefixes, the general TINs and the normalisation are LHDN's policy, which has changed
/// before (`OG`/`SG` became `IG`). Events are kept 7 years, so a stored TIN is read back as it
/// was written, checked only for its shape (1 to 14 upper-case letters and digits): it is
/// neither refused nor re-normalised by a rule that came later.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "String")]
pub struct Tin(String);

string_value!(Tin);
stored_value!(Tin, "1 to 14 upper-case letters and digits");

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

    /// A TIN read back from storage, as it was written: 1 to 14 upper-case letters and digits,
    /// whatever today's prefixes and general TINs (see the type).
    pub(crate) fn from_stored(stored: String) -> Option<Self> {
        let shaped = (1..=MAX_LEN).contains(&stored.len())
            && stored
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        shaped.then_some(Self(stored))
    }

    /// An individual's TIN (`IG…`): an individual customer must have one, or a general TIN.
    /// A stored TIN in the old `OG`/`SG` form counts too; `parse` never makes one.
    pub fn is_individual(&self) -> bool {
        strip_any(&self.0, &INDIVIDUAL_PREFIXES).is_some()
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
        let json = serde_json::to_string(&tin).unwrap();
        assert_eq!(json, r#""C25845632020""#);
        assert_eq!(serde_json::from_str::<Tin>(&json).unwrap(), tin);
    }

    #[test]
    fn a_stored_tin_is_read_as_written_even_if_lhdns_rules_changed() {
        // An old-format TIN is neither refused nor re-normalised on the way back.
        let old = serde_json::from_str::<Tin>(r#""OG12345678912""#).unwrap();
        assert_eq!(old.as_str(), "OG12345678912");
        assert!(old.is_individual());
        // A prefix or a general TIN LHDN no longer knows.
        assert_eq!(Tin::parse("X1"), Err(ValueError::TinPrefix));
        assert_eq!(
            serde_json::from_str::<Tin>(r#""X1""#).unwrap().as_str(),
            "X1"
        );
        assert_eq!(Tin::parse("EI00000000050"), Err(ValueError::TinGeneral));
        let general = serde_json::from_str::<Tin>(r#""EI00000000050""#).unwrap();
        assert!(!general.is_general());
    }

    #[test]
    fn a_stored_tin_must_still_be_short_upper_case_letters_and_digits() {
        for stored in [
            "",
            "c2584563202",
            "C 2584563202",
            "C-2584563202",
            "IG1234567890123",
        ] {
            let json = serde_json::to_string(stored).unwrap();
            assert!(serde_json::from_str::<Tin>(&json).is_err(), "{stored}");
        }
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
