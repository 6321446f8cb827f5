//! The signer and the verifier against LHDN's own signed samples (golden vectors: LHDN.md
//! §3.2, shared/lhdn/README.md), and against certificates made for the test: signed
//! documents verify, tampered ones fail with the code LHDN would give.
#![allow(clippy::unwrap_used)]

mod common;

use chrono::{DateTime, TimeZone, Utc};
use common::{SIGNED_SAMPLES, customer, invoice_record, sample, supplier};
use niaga_domain::Currency;
use niaga_lhdn::codes::SignatureCode::{self, *};
use niaga_lhdn::map::{self, DocumentVersion, Options};
use niaga_lhdn::sign::{
    Password, SignError, Signer, SigningCertificate, SigningIdentity, document_digest,
    properties_digest, qualifying_properties,
};
use niaga_lhdn::testing::{TEST_PASSWORD, TEST_TIN, TestPki};
use niaga_lhdn::ubl::Document;
use niaga_lhdn::verify::{Outcome, Report, TrustAnchors, VerifyOptions, verify};
use serde_json::Value;

fn signing_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 1, 2, 10, 0).unwrap()
}

#[track_caller]
fn assert_valid(report: &Report, what: &str) {
    let failed: Vec<String> = report
        .checks
        .iter()
        .filter(|c| matches!(c.outcome, Outcome::Failed(_)))
        .map(|c| format!("{} {:?}", c.code, c.outcome))
        .collect();
    assert!(failed.is_empty(), "{what} fails: {failed:?}");
}

#[track_caller]
fn assert_fails_with(report: &Report, code: SignatureCode) {
    assert!(
        report.failed(code),
        "expected {code}, failures: {:?}",
        report.failures().collect::<Vec<_>>()
    );
}

/// The signed golden invoice, with the test PKI.
fn signed_invoice(pki: &TestPki) -> Vec<u8> {
    let record = invoice_record(Currency::MYR, false);
    let document = map::invoice(&record, &customer(), &supplier(), &Options::default()).unwrap();
    Signer::with_clock(pki.identity(), signing_at())
        .sign_document(&document)
        .unwrap()
}

fn trusting(pki: &TestPki) -> VerifyOptions {
    VerifyOptions {
        trust: pki.trust(),
        submitter_tin: Some(TEST_TIN.to_owned()),
    }
}

fn edit(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    assert!(text.contains(from), "{from} is not in the document");
    text.replacen(from, to, 1).into_bytes()
}

fn signature_field(bytes: &[u8], pointer: &str) -> String {
    let value: Value = serde_json::from_slice(bytes).unwrap();
    let base = "/Invoice/0/UBLExtensions/0/UBLExtension/0/ExtensionContent/0/UBLDocumentSignatures/0/SignatureInformation/0/Signature/0";
    value
        .pointer(&format!("{base}{pointer}"))
        .and_then(Value::as_str)
        .unwrap()
        .to_owned()
}

// ---- LHDN's samples ----------------------------------------------------------------------

#[test]
fn every_official_signed_sample_verifies() {
    for name in SIGNED_SAMPLES {
        let report = verify(&sample(name), &VerifyOptions::default());
        assert_valid(&report, name);
        // The chain and the submitter cannot be checked: LHDN publishes neither.
        assert!(
            report
                .checks
                .iter()
                .any(|c| c.code == Ds329 && matches!(c.outcome, Outcome::Skipped(_)))
        );
    }
}

#[test]
fn the_1_3_samples_edited_after_signing_fail_the_document_digest() {
    let report = verify(
        &sample("1.3-Invoice-Sample.json"),
        &VerifyOptions::default(),
    );
    assert_fails_with(&report, Ds322);
    assert_fails_with(&report, Ds333);
    assert!(
        !report.failed(Ds320),
        "the signed properties were not edited"
    );
}

#[test]
fn our_document_digest_of_the_1_0_invoice_at_version_1_1_is_lhdns() {
    let unsigned = edit(
        &sample("1.0-Invoice-Sample.json"),
        "\"listVersionID\": \"1.0\"",
        "\"listVersionID\": \"1.1\"",
    );
    assert_eq!(
        document_digest(&unsigned).unwrap(),
        "3+0mMUPmCNfK/yILqruu9vXKnHsj50Q9knpXrBXzfV0="
    );
}

#[test]
fn our_signed_properties_digest_is_lhdns_for_both_sample_certificates() {
    for (name, at, expected) in [
        (
            "1.1-Invoice-Sample.json",
            Utc.with_ymd_and_hms(2025, 4, 15, 2, 1, 36).unwrap(),
            "YtnXjwGD9a3izt01otM5PrZWSqCkALYkRogvArtxK9Q=",
        ),
        (
            "sample-ul-invoice-2.1-signed.min.json",
            Utc.with_ymd_and_hms(2024, 7, 23, 15, 14, 54).unwrap(),
            "Rzuzz+70GSnGBF1YxhHnjSzFpQ1MW4vyX/Q9bTHkE2c=",
        ),
    ] {
        let bytes = sample(name);
        let der = base64_decode(&signature_field(
            &bytes,
            "/KeyInfo/0/X509Data/0/X509Certificate/0/_",
        ));
        let certificate = SigningCertificate::from_der(&der).unwrap();
        let properties = qualifying_properties(&certificate, at);
        assert_eq!(properties_digest(&properties), expected, "{name}");
    }
}

#[test]
fn the_issuer_name_is_written_in_reverse_encoding_order_for_both_cas() {
    for (name, issuer, serial) in [
        (
            "1.1-Invoice-Sample.json",
            "C=MY, O=Raffcomm Technologies Sdn Bhd, OU=1000449-W, CN=CypherSign Pro Max",
            "1308502606566147853",
        ),
        (
            "sample-ul-invoice-2.1-signed.min.json",
            "CN=Trial LHDNM Sub CA V1, OU=Terms of use at http://www.posdigicert.com.my, O=LHDNM, C=MY",
            "162880276254639189035871514749820882117",
        ),
    ] {
        let der = base64_decode(&signature_field(
            &sample(name),
            "/KeyInfo/0/X509Data/0/X509Certificate/0/_",
        ));
        let certificate = SigningCertificate::from_der(&der).unwrap();
        assert_eq!(certificate.issuer_name(), issuer);
        assert_eq!(certificate.serial(), serial);
    }
}

// ---- our signer --------------------------------------------------------------------------

#[test]
fn a_document_we_sign_verifies_against_our_ca() {
    let pki = TestPki::new();
    let signed = signed_invoice(&pki);
    let report = verify(&signed, &trusting(&pki));
    assert_valid(&report, "our signed invoice");
    assert!(
        report.checks.iter().all(|c| c.outcome == Outcome::Passed),
        "nothing is skipped with a CA and a TIN: {report:?}"
    );
}

#[test]
fn the_signed_bytes_are_the_mapped_document_plus_the_signature_blocks() {
    let pki = TestPki::new();
    let record = invoice_record(Currency::MYR, false);
    let document = map::invoice(&record, &customer(), &supplier(), &Options::default()).unwrap();
    let signed = signed_invoice(&pki);
    let unsigned = document.to_bytes();
    // T is a prefix of the signed document up to Invoice[0]'s closing brace.
    let close = unsigned.len() - 3;
    assert_eq!(&signed[..close], &unsigned[..close]);
    assert!(signed[close..].starts_with(b",\"UBLExtensions\":"));
    assert!(signed.ends_with(b"}]}"));
    // And it reads back as our types, with the signature where the samples have it.
    let parsed: Document = serde_json::from_slice(&signed).unwrap();
    assert_eq!(parsed.to_bytes(), signed);
    assert_eq!(
        signature_field(
            &signed,
            "/Object/0/QualifyingProperties/0/SignedProperties/0/SignedSignatureProperties/0/SigningTime/0/_"
        ),
        "2026-06-01T02:10:00Z"
    );
}

#[test]
fn signing_is_reproducible_with_a_fixed_clock_and_replaces_an_old_signature() {
    let pki = TestPki::new();
    let once = signed_invoice(&pki);
    let signer = Signer::with_clock(pki.identity(), signing_at());
    assert_eq!(signer.sign(&once).unwrap(), once);
    // Pretty-printed input signs to the same minified bytes.
    assert_eq!(signer.sign(&pretty_keep_numbers(&once)).unwrap(), once);
}

/// `bytes` with newlines and indentation before every key but the first, numbers untouched.
/// (`,"` never occurs inside a JSON string: a quote there is escaped.)
fn pretty_keep_numbers(bytes: &[u8]) -> Vec<u8> {
    String::from_utf8(bytes.to_vec())
        .unwrap()
        .replace(",\"", ",\n    \"")
        .into_bytes()
}

#[test]
fn a_version_1_0_document_is_not_signed() {
    let pki = TestPki::new();
    let record = invoice_record(Currency::MYR, false);
    let options = Options {
        version: DocumentVersion::V1_0,
    };
    let document = map::invoice(&record, &customer(), &supplier(), &options).unwrap();
    let signer = Signer::with_clock(pki.identity(), signing_at());
    assert!(matches!(
        signer.sign_document(&document),
        Err(SignError::UnsignedVersion(v)) if v == "1.0"
    ));
    assert!(matches!(signer.sign(b"[1,2"), Err(SignError::NotJson(_))));
}

#[test]
fn the_p12_opens_only_with_its_password_and_picks_the_companys_certificate() {
    let pki = TestPki::new();
    let identity = pki.identity();
    // The .p12 also holds the CA certificate: the key's own is chosen.
    assert_eq!(identity.certificate().der(), pki.company_der.as_slice());
    assert!(
        identity
            .certificate()
            .subject_name()
            .contains("OID.2.5.4.97=C25845632020")
    );
    assert!(matches!(
        SigningIdentity::from_p12(&pki.p12, &Password::new("wrong".to_owned())),
        Err(SignError::Pkcs12(_))
    ));
    assert!(!format!("{identity:?}").contains(TEST_PASSWORD));
    // The 3DES / SHA-1 MAC form many Windows-exported .pfx files have.
    let legacy =
        SigningIdentity::from_p12(&pki.legacy_p12, &Password::new(TEST_PASSWORD.to_owned()))
            .unwrap();
    assert_eq!(legacy.certificate().der(), pki.company_der.as_slice());
}

// ---- tampering ---------------------------------------------------------------------------

#[test]
fn a_changed_amount_fails_the_document_digest() {
    let pki = TestPki::new();
    let signed = signed_invoice(&pki);
    let tampered = edit(
        &signed,
        "\"PayableAmount\":[{\"_\":1532.50",
        "\"PayableAmount\":[{\"_\":1.00",
    );
    let report = verify(&tampered, &trusting(&pki));
    assert_fails_with(&report, Ds322);
    assert_fails_with(&report, Ds333);
}

#[test]
fn a_changed_signature_value_fails_the_signature_check() {
    let pki = TestPki::new();
    let signed = signed_invoice(&pki);
    let value = signature_field(&signed, "/SignatureValue/0/_");
    let mut bytes = base64_decode(&value);
    bytes[10] ^= 0x01;
    let tampered = edit(&signed, &value, &base64_encode(&bytes));
    let report = verify(&tampered, &trusting(&pki));
    assert_fails_with(&report, Ds333);
    assert!(!report.failed(Ds322));
}

#[test]
fn a_swapped_certificate_fails_the_certificate_digest() {
    let pki = TestPki::new();
    let other = TestPki::named("Another Test CA", TEST_TIN);
    let signed = signed_invoice(&pki);
    let ours = signature_field(&signed, "/KeyInfo/0/X509Data/0/X509Certificate/0/_");
    let tampered = edit(&signed, &ours, &base64_encode(&other.company_der));
    let report = verify(&tampered, &trusting(&pki));
    assert_fails_with(&report, Ds318);
    assert_fails_with(&report, Ds333);
}

#[test]
fn a_changed_signing_time_fails_the_signed_properties_digest() {
    let pki = TestPki::new();
    let signed = signed_invoice(&pki);
    let tampered = edit(&signed, "2026-06-01T02:10:00Z", "2026-06-01T02:11:00Z");
    let report = verify(&tampered, &trusting(&pki));
    assert_fails_with(&report, Ds320);
    assert!(!report.failed(Ds322) && !report.failed(Ds333));
}

#[test]
fn an_issuer_name_in_the_wrong_order_fails_ds326() {
    let pki = TestPki::new();
    let signed = signed_invoice(&pki);
    let issuer = "CN=Niaga Test Root CA, OU=For testing only, O=Niaga Test CA, C=MY";
    assert!(String::from_utf8_lossy(&signed).contains(issuer));
    let tampered = String::from_utf8(signed).unwrap().replace(
        issuer,
        "C=MY, O=Niaga Test CA, OU=For testing only, CN=Niaga Test Root CA",
    );
    let report = verify(tampered.as_bytes(), &trusting(&pki));
    assert_fails_with(&report, Ds326);
    assert_fails_with(&report, Ds320);
}

#[test]
fn a_serial_in_hex_fails_ds327() {
    let pki = TestPki::new();
    let signed = signed_invoice(&pki);
    let serial = signature_field(
        &signed,
        "/KeyInfo/0/X509Data/0/X509IssuerSerial/0/X509SerialNumber/0/_",
    );
    let tampered = String::from_utf8(signed).unwrap().replace(&serial, "7F3A");
    let report = verify(tampered.as_bytes(), &trusting(&pki));
    assert_fails_with(&report, Ds327);
    assert_fails_with(&report, Ds328);
}

#[test]
fn a_certificate_from_an_untrusted_ca_fails_ds329_and_another_tin_ds311() {
    let pki = TestPki::new();
    let signed = signed_invoice(&pki);
    let stranger = TestPki::named("Stranger CA", TEST_TIN);
    let report = verify(
        &signed,
        &VerifyOptions {
            trust: stranger.trust(),
            submitter_tin: Some("C99999999990".to_owned()),
        },
    );
    assert_fails_with(&report, Ds329);
    assert_fails_with(&report, Ds311);
    let pem = TrustAnchors::from_pem(pki.ca_pem.as_bytes()).unwrap();
    let report = verify(
        &signed,
        &VerifyOptions {
            trust: pem,
            submitter_tin: None,
        },
    );
    assert_valid(&report, "with the CA as PEM");
}

#[test]
fn signing_before_the_certificate_was_valid_fails_ds304() {
    let pki = TestPki::new();
    let record = invoice_record(Currency::MYR, false);
    let document = map::invoice(&record, &customer(), &supplier(), &Options::default()).unwrap();
    let early = Utc.with_ymd_and_hms(2025, 12, 31, 23, 0, 0).unwrap();
    let signed = Signer::with_clock(pki.identity(), early)
        .sign_document(&document)
        .unwrap();
    assert_fails_with(&verify(&signed, &trusting(&pki)), Ds304);
}

#[test]
fn a_document_without_a_signature_fails_ds301() {
    let unsigned = sample("1.0-Invoice-Sample.json");
    let report = verify(&unsigned, &VerifyOptions::default());
    assert_fails_with(&report, Ds301);
    assert_fails_with(&verify(b"not json", &VerifyOptions::default()), Ds300);
}

fn base64_decode(text: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .unwrap()
}

fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}
