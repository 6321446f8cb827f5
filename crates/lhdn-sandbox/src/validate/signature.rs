//! The signature validator for versions 1.1 and 1.3: our verifier (`niaga_lhdn::verify`),
//! which names each failed check by LHDN's DS code, with the configured trusted CAs. The
//! certificate must be the issuer's or, for a document submitted by an intermediary, may be
//! the intermediary's own (LHDN.md §3.1). The verifier checks the certificate's TIN (DS311);
//! its SERIALNUMBER must also be that taxpayer's registration number (DS312), checked here.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use niaga_lhdn::codes::SignatureCode;
use niaga_lhdn::sign::{SERIAL_NUMBER, SigningCertificate, attribute_text};
use niaga_lhdn::verify::{Outcome, Report, TrustAnchors, VerifyOptions, verify};
use serde_json::Value;

use super::Finding;
use super::structure::is_signed_version;
use crate::ubl::{self, Facts};

#[derive(Debug, Clone, Default)]
pub(crate) struct SignatureSettings {
    pub(crate) trust: TrustAnchors,
    /// The intermediary that submitted the document, if one did: TIN and registration number.
    pub(crate) intermediary: Option<(String, String)>,
}

const SIGNATURE_PATH: &str = "Invoice.UBLExtensions.UBLExtensions.ExtensionContent.UBLDocumentSignatures.SignatureInformation.Signature";

pub(crate) fn check(
    bytes: &[u8],
    document: &Value,
    facts: &Facts,
    settings: &SignatureSettings,
) -> Vec<Finding> {
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
    let issuer = facts.issuer();
    let mut result = report(&issuer.tin);
    let mut registration = issuer.id_value.as_deref();
    if let Some((tin, brn)) = &settings.intermediary
        && result.failed(SignatureCode::Ds311)
    {
        let theirs = report(tin);
        if !theirs.failed(SignatureCode::Ds311) {
            result = theirs;
            registration = Some(brn);
        }
    }
    let mut found = findings(&result);
    if let Some(finding) = registration_number(document, registration) {
        found.push(finding);
    }
    found
}

const CERTIFICATE: &str = "UBLExtensions/UBLExtension/ExtensionContent/UBLDocumentSignatures/SignatureInformation/Signature/KeyInfo/X509Data/X509Certificate";

/// DS312: the certificate's SERIALNUMBER is not the signer's registration number. Silent
/// when the certificate cannot be read: the verifier reports that (DS305).
fn registration_number(document: &Value, expected: Option<&str>) -> Option<Finding> {
    let certificate = ubl::invoice(document).and_then(|i| ubl::text(i, CERTIFICATE))?;
    let der = STANDARD.decode(certificate).ok()?;
    let certificate = SigningCertificate::from_der(&der).ok()?;
    let serial_number = attribute_text(
        certificate.parsed().tbs_certificate().subject(),
        SERIAL_NUMBER,
    )?;
    (Some(serial_number.as_str()) != expected).then(|| {
        Finding::new(
            "DS312",
            format!(
                "Certificate SERIALNUMBER {serial_number} is not the signer's registration number"
            ),
        )
        .at("X509Certificate", SIGNATURE_PATH)
    })
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
        let document = serde_json::json!({});
        assert!(check(b"{}", &document, &facts, &SignatureSettings::default()).is_empty());
    }

    #[test]
    fn a_signed_version_without_signature_is_ds301() {
        let facts = Facts {
            version: "1.1".into(),
            ..Facts::default()
        };
        let document = br#"{"Invoice":[{"ID":[{"_":"X"}]}]}"#;
        let json: Value = serde_json::from_slice(document).unwrap();
        let codes: Vec<String> = check(document, &json, &facts, &SignatureSettings::default())
            .into_iter()
            .map(|f| f.code)
            .collect();
        assert_eq!(codes, ["DS301"]);
    }
}
