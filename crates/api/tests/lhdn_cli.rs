//! `niaga lhdn sign` and `niaga lhdn verify` as an operator runs them: a certificate made
//! for the test, an official LHDN sample as the document; the signed output verifies, and
//! an edited copy fails with a non-zero exit.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::Command;

use niaga_lhdn::testing::{TEST_PASSWORD, TEST_TIN, TestPki};

/// Runs `niaga <args>`: exit code, stdout, stderr.
fn niaga(args: &[&str]) -> (i32, Vec<u8>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_niaga"))
        .args(args)
        .env_remove("NIAGA_LHDN_P12")
        .env_remove("NIAGA_LHDN_P12_PASSWORD_FILE")
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        output.stdout,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// LHDN's unsigned invoice sample (pretty-printed, as an operator might have it), at
/// version 1.1 so that it is to be signed.
fn unsigned_sample(dir: &Path) -> std::path::PathBuf {
    let sample =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../lhdn/tests/samples/1.0-Invoice-Sample.json");
    let text = std::fs::read_to_string(sample)
        .unwrap()
        .replace("\"listVersionID\": \"1.0\"", "\"listVersionID\": \"1.1\"");
    let file = dir.join("invoice.json");
    std::fs::write(&file, text).unwrap();
    file
}

/// `niaga lhdn sign`.
fn sign(unsigned: &Path, p12: &Path, password_file: &Path) -> (i32, Vec<u8>, String) {
    niaga(&[
        "lhdn",
        "sign",
        path(unsigned),
        "--p12",
        path(p12),
        "--password-file",
        path(password_file),
    ])
}

#[test]
fn a_signed_document_verifies_and_an_edited_one_fails() {
    let dir = tempfile::tempdir().unwrap();
    let pki = TestPki::new();
    let files = pki.write_to(dir.path());
    let unsigned = unsigned_sample(dir.path());

    let (code, signed, err) = sign(&unsigned, &files.p12, &files.password);
    assert_eq!(code, 0, "{err}");
    assert!(
        signed.starts_with(b"{\"_D\":"),
        "minified document on stdout"
    );
    assert!(!String::from_utf8_lossy(&signed).contains(TEST_PASSWORD));
    let signed_file = dir.path().join("signed.json");
    std::fs::write(&signed_file, &signed).unwrap();

    let verify = |file: &Path| {
        let (code, out, err) = niaga(&[
            "lhdn",
            "verify",
            path(file),
            "--ca",
            path(&files.ca),
            "--tin",
            TEST_TIN,
        ]);
        (code, String::from_utf8(out).unwrap(), err)
    };
    let (code, out, err) = verify(&signed_file);
    assert_eq!(code, 0, "{out}{err}");
    for line in [
        "DS322 ok",
        "DS320 ok",
        "DS318 ok",
        "DS333 ok",
        "DS329 ok",
        "signature valid",
    ] {
        assert!(out.contains(line), "{line} missing in:\n{out}");
    }

    let tampered = String::from_utf8(signed).unwrap().replacen(
        "\"PayableAmount\":[{\"_\":1436.5",
        "\"PayableAmount\":[{\"_\":143.65",
        1,
    );
    let tampered_file = dir.path().join("tampered.json");
    std::fs::write(&tampered_file, tampered).unwrap();
    let (code, out, _) = verify(&tampered_file);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("DS322 FAILED"), "{out}");
    assert!(out.contains("signature INVALID"), "{out}");
}

#[test]
fn a_wrong_password_or_a_missing_file_is_an_error_not_a_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let pki = TestPki::new();
    let files = pki.write_to(dir.path());
    let wrong = dir.path().join("wrong-password");
    std::fs::write(&wrong, "not-the-password-xyz\n").unwrap();
    let unsigned = unsigned_sample(dir.path());
    let (code, out, err) = sign(&unsigned, &files.p12, &wrong);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    assert!(!err.contains("not-the-password-xyz"), "{err}");

    let (code, out, _) = niaga(&["lhdn", "verify", path(&dir.path().join("absent.json"))]);
    assert_eq!(code, 2);
    assert!(String::from_utf8_lossy(&out).contains("cannot check"));
}
