//! Why a line is exempt from tax.

use serde::Serialize;

use super::{ValueError, stored_value, string_value};

/// The reason a line is exempt (`TaxExemptionReason`), e.g. the exemption order and the
/// customer's certificate number. LHDN takes at most 300 characters of letters, digits,
/// spaces and `. - , ( )` only (LHDN.md §2.6), so a reason is checked against that before it
/// can reach a document.
///
/// That character rule is LHDN's and may change; a stored reason is read back checked only for
/// its shape (not blank, one line): a line exempted years ago must still load.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "String")]
pub struct ExemptionReason(String);

string_value!(ExemptionReason);
stored_value!(ExemptionReason, "one line of text, not blank");

const MAX_LEN: usize = 300;

impl ExemptionReason {
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        let reason = input.trim();
        let allowed =
            |c: char| c.is_alphanumeric() || matches!(c, ' ' | '.' | '-' | ',' | '(' | ')');
        if reason.is_empty() {
            Err(ValueError::ExemptionReasonMissing)
        } else if reason.chars().count() > MAX_LEN || !reason.chars().all(allowed) {
            Err(ValueError::ExemptionReason)
        } else {
            Ok(Self(reason.to_owned()))
        }
    }

    /// A reason written in Niaga's own tax table; a test checks each passes [`Self::parse`].
    pub(crate) fn from_table(reason: &'static str) -> Self {
        Self(reason.to_owned())
    }

    /// A reason read back from storage: not blank and without control characters.
    pub(crate) fn from_stored(stored: String) -> Option<Self> {
        (!stored.trim().is_empty() && !stored.chars().any(char::is_control)).then_some(Self(stored))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_keeps_lhdns_characters() {
        let reason = ExemptionReason::parse(
            " Exempted under Service Tax (Amendment) Regulations 2025, cert. no. 12-345 ",
        )
        .unwrap();
        assert_eq!(
            reason.as_str(),
            "Exempted under Service Tax (Amendment) Regulations 2025, cert. no. 12-345"
        );
    }

    #[test]
    fn a_reason_is_required() {
        assert_eq!(
            ExemptionReason::parse("  "),
            Err(ValueError::ExemptionReasonMissing)
        );
    }

    #[test]
    fn characters_lhdn_refuses_are_refused() {
        let too_long = "a".repeat(301);
        for input in [
            "Cert 12/345",
            "Schedule B; item 3",
            "a\nb",
            too_long.as_str(),
        ] {
            assert_eq!(
                ExemptionReason::parse(input),
                Err(ValueError::ExemptionReason),
                "{input}"
            );
        }
    }

    #[test]
    fn a_stored_reason_loads_even_if_lhdn_tightens_its_characters() {
        let stored = serde_json::from_str::<ExemptionReason>(r#""Cert 12/345""#).unwrap();
        assert_eq!(stored.as_str(), "Cert 12/345");
        for stored in ["", "  ", "a\nb"] {
            let json = serde_json::to_string(stored).unwrap();
            assert!(serde_json::from_str::<ExemptionReason>(&json).is_err());
        }
    }
}
