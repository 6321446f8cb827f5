//! The signature validator for versions 1.1 and 1.3: our verifier (`niaga_lhdn::verify`),
//! which names each failed check by LHDN's DS code, with the configured trusted CAs. The
//! certificate must be the issuer's or, for a document submitted by an intermediary, may be
//! the intermediary's own (LHDN.md §3.1).

use niaga_lhdn::codes::SignatureCode;
use niaga_lhdn::verify::{Outcome, Report, TrustAnchors, VerifyOptions, verify};

use super::Finding;
use super::structure::is_signed_version;
use crate::ubl::Facts;

#[derive(Debug, Clone, Default)]
pub(crate) struct SignatureSettings {
    pub(crate) trust: TrustAnchors,
    /// The intermediary that submitted the document, if one did.
    pub(crate) intermediary_tin: Option<String>,
}

const SIGNATURE_PATH: &str = "Invoice.UBLExtensions.UBLExtensions.ExtensionContent.UBLDocumentSignatures.SignatureInformation.Signature";

pub(crate) fn check(bytes: &[u8], facts: &Facts, settings: &SignatureSettings) -> Vec<Finding> {
    if !is_signed_version(&facts.version) {
        return Vec::new();
    }
    let report = |tin: &str| {
        verify(
            bytes,
            &VerifyOptions {
                trust: settings.trust.clone(),
                submitter_tin: Some(tin.to_owned()),
            },
        )
    };
    let mut result = report(&facts.issuer().tin);
    if let Some(intermediary) = &settings.intermediary_tin
        && result.failed(SignatureCode::Ds311)
    {
        let theirs = report(intermediary);
        if !theirs.failed(SignatureCode::Ds311) {
            result = theirs;
        }
    }
    findings(&result)
}

fn findings(report: &Report) -> Vec<Finding> {
    report
        .checks
        .iter()
        .filter_map(|check| match &check.outcome {
            Outcome::Failed(why) => Some(finding(check.code, why)),
            Outcome::Passed | Outcome::Skipped(_) => None,
        })
        .collect()
}

fn finding(code: SignatureCode, why: &str) -> Finding {
    let message = format!("{}: {why}", capitalised(code.meaning()));
    let finding = Finding::new(code.code(), message);
    // The one observed property path (syukranDev #3); others name the signature.
    match code {
        SignatureCode::Ds320 => finding.at(
            "DigestValue",
            format!("{SIGNATURE_PATH}.SignedInfo.Reference@Type=\"http://uri.etsi.org/01903/v1.3.2#SignedProperties\".DigestValue"),
        ),
        SignatureCode::Ds322 => finding.at(
            "DigestValue",
            format!("{SIGNATURE_PATH}.SignedInfo.Reference@Id=\"id-doc-signed-data\".DigestValue"),
        ),
        _ => finding.at("Signature", SIGNATURE_PATH),
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsigned_versions_are_not_checked() {
        let facts = Facts {
            version: "1.0".into(),
            ..Facts::default()
        };
        assert!(check(b"{}", &facts, &SignatureSettings::default()).is_empty());
    }

    #[test]
    fn a_signed_version_without_signature_is_ds301() {
        let facts = Facts {
            version: "1.1".into(),
            ..Facts::default()
        };
        let document = br#"{"Invoice":[{"ID":[{"_":"X"}]}]}"#;
        let codes: Vec<String> = check(document, &facts, &SignatureSettings::default())
            .into_iter()
            .map(|f| f.code)
            .collect();
        assert_eq!(codes, ["DS301"]);
    }
}
