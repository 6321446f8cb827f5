//! The asynchronous validation: documents Niaga makes become Valid; broken ones Invalid,
//! with LHDN's step names and error codes in Get Document Details.

use chrono::TimeDelta;
use niaga_lhdn::sign::Signer;
use niaga_lhdn::testing::{TEST_TIN, TestPki};
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{
    Harness, failed_step, inner_codes, replace, signed_credit_note, signed_credit_note_numbered,
    signed_invoice, unsigned_invoice,
};

#[tokio::test]
async fn a_mapped_and_signed_invoice_becomes_valid_with_a_long_id_and_share_link() {
    let h = Harness::start().await;
    let token = h.token("supplier").await;
    let accepted = h
        .submit(&token, &[(&signed_invoice(), "INV-2026-000123")])
        .await;
    let uid = accepted["submissionUid"].as_str().unwrap();
    let submission = h.wait(&token, uid).await;
    assert_eq!(submission["overallStatus"], "Valid");
    assert_eq!(submission["documentCount"], 1);
    let summary = &submission["documentSummary"][0];
    assert_eq!(summary["status"], "Valid");
    assert_eq!(summary["internalId"], "INV-2026-000123");
    assert_eq!(summary["issuerTin"], "C25845632020");
    assert_eq!(summary["receiverName"], "Kedai Runcit Maju Sdn Bhd");
    assert_eq!(summary["typeName"], "Invoice");
    assert_eq!(summary["typeVersionName"], "1.1");
    assert_eq!(summary["totalPayableAmount"], 1532.5);
    assert!(summary["dateTimeValidated"].is_string());
    let uuid = summary["uuid"].as_str().unwrap();
    let long_id = summary["longId"].as_str().unwrap();

    let details = h.details(&token, uuid).await;
    let steps = details["validationResults"]["validationSteps"]
        .as_array()
        .unwrap();
    assert!(steps.iter().all(|s| s["status"] == "Valid"), "{details}");
    assert!(
        steps
            .iter()
            .any(|s| s["name"] == "Step08-Document Signature Validator")
    );

    let share = format!("{}/{uuid}/share/{long_id}", h.sandbox.portal_url());
    let page = h.http.get(&share).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("INV-2026-000123"));

    let received = h.sandbox.received("INV-2026-000123");
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].uuid, uuid);
    assert_eq!(received[0].submission_uid, uid);
    assert_eq!(
        received[0].status,
        niaga_lhdn_sandbox::DocumentStatus::Valid
    );
}

#[tokio::test]
async fn a_document_changed_after_signing_is_invalid_with_ds322() {
    let h = Harness::start().await;
    let token = h.token("supplier").await;
    let tampered = replace(
        &signed_invoice(),
        "Kedai Runcit Maju Sdn Bhd",
        "Kedai Runcit Maju Bhd",
    );
    let (_, details) = h
        .submit_and_wait(&token, &tampered, "INV-2026-000123")
        .await;
    assert_eq!(details["status"], "Invalid");
    assert_eq!(details["longId"], Value::Null);
    let step = failed_step(&details);
    assert_eq!(step["name"], "Step08-Document Signature Validator");
    assert_eq!(step["error"]["errorCode"], "Error21");
    assert_eq!(step["error"]["error"], "Document Signature Validator");
    let codes = inner_codes(step);
    assert!(codes.contains(&"DS322".to_owned()), "{codes:?}");
    let inner = &step["error"]["innerError"][0];
    for key in [
        "propertyName",
        "propertyPath",
        "errorCode",
        "error",
        "errorMs",
        "innerError",
    ] {
        assert!(inner.get(key).is_some(), "{key} missing: {inner}");
    }
}

#[tokio::test]
async fn a_certificate_of_an_untrusted_ca_is_ds329() {
    let h = Harness::start().await;
    let token = h.token("supplier").await;
    let other = TestPki::named("Unknown CA", TEST_TIN);
    let signed = Signer::with_clock(other.identity(), crate::helpers::sandbox_start())
        .sign(&unsigned_invoice())
        .unwrap();
    let (_, details) = h.submit_and_wait(&token, &signed, "INV-2026-000123").await;
    assert_eq!(details["status"], "Invalid");
    assert_eq!(inner_codes(failed_step(&details)), ["DS329"]);
}

#[tokio::test]
async fn the_same_document_again_within_two_hours_is_invalid_error03() {
    let h = Harness::start().await;
    let token = h.token("supplier").await;
    let invoice = signed_invoice();
    let (_, first) = h.submit_and_wait(&token, &invoice, "INV-2026-000123").await;
    assert_eq!(first["status"], "Valid");
    // Another envelope (a different codeNumber), so not a duplicate submission.
    let (_, second) = h
        .submit_and_wait(&token, &invoice, "INV-2026-000123 again")
        .await;
    assert_eq!(second["status"], "Invalid");
    let step = failed_step(&second);
    assert_eq!(step["name"], "Step03-Duplicated Submission Validator");
    assert_eq!(step["error"]["errorCode"], "Error03");
    assert_eq!(h.sandbox.received("INV-2026-000123").len(), 2);
}

#[tokio::test]
async fn a_note_referencing_a_valid_invoice_is_valid_and_an_unknown_one_invalid() {
    let h = Harness::start().await;
    let token = h.token("supplier").await;
    let (invoice_uuid, invoice) = h
        .submit_and_wait(&token, &signed_invoice(), "INV-2026-000123")
        .await;
    assert_eq!(invoice["status"], "Valid");
    let (_, note) = h
        .submit_and_wait(&token, &signed_credit_note(&invoice_uuid), "CN-2026-000007")
        .await;
    assert_eq!(note["status"], "Valid", "{note}");
    assert_eq!(note["typeName"], "Credit Note");

    let (_, orphan) = h
        .submit_and_wait(
            &token,
            &signed_credit_note_numbered("ABCDEFGHIJKLMNOPQRSTUVWX10", "CN-2026-000008"),
            "CN-2026-000008",
        )
        .await;
    assert_eq!(orphan["status"], "Invalid");
    let step = failed_step(&orphan);
    assert_eq!(step["name"], "Step09-Referenced Documents Validator");
    assert!(
        step["error"]["innerError"][0]["error"]
            .as_str()
            .unwrap()
            .contains("does not exist")
    );
}

#[tokio::test]
async fn an_invoice_issued_more_than_72_hours_before_submission_is_too_old() {
    let h = Harness::start().await;
    h.sandbox.advance_clock(TimeDelta::hours(72));
    let token = h.token("supplier").await;
    let (_, details) = h
        .submit_and_wait(&token, &signed_invoice(), "INV-2026-000123")
        .await;
    assert_eq!(details["status"], "Invalid");
    let step = failed_step(&details);
    assert_eq!(step["name"], "Step04-Issuance Date Validator");
    assert_eq!(
        step["error"]["innerError"][0]["error"],
        "Issuance date time value of the document is too old and cannot be submitted"
    );
}

#[tokio::test]
async fn an_unsigned_1_0_document_needs_no_signature_and_core_field_errors_are_reported() {
    let h = Harness::start().await;
    let token = h.token("supplier").await;
    let v1_0 = replace(
        &unsigned_invoice(),
        "\"listVersionID\":\"1.1\"",
        "\"listVersionID\":\"1.0\"",
    );
    let (_, details) = h.submit_and_wait(&token, &v1_0, "INV-2026-000123").await;
    assert_eq!(details["status"], "Valid", "{details}");

    let no_phone = replace(
        &replace(&v1_0, "INV-2026-000123", "INV-2026-000200"),
        "{\"Telephone\":[{\"_\":\"0331234567\"}],",
        "{",
    );
    let (_, details) = h
        .submit_and_wait(&token, &no_phone, "INV-2026-000200")
        .await;
    assert_eq!(details["status"], "Invalid");
    let step = failed_step(&details);
    assert_eq!(step["name"], "Step02-Core Fields Validator");
    assert_eq!(inner_codes(step), ["CF349"]);
}

#[tokio::test]
async fn a_submission_with_valid_and_invalid_documents_is_partially_valid() {
    let h = Harness::start().await;
    let token = h.token("supplier").await;
    let good = signed_invoice();
    let unknown_buyer = crate::helpers::signed_invoice_numbered("INV-2026-000999");
    let unknown_buyer = replace(&unknown_buyer, "C20880498010", "C99999999990");
    let accepted = h
        .submit(
            &token,
            &[
                (&good, "INV-2026-000123"),
                (&unknown_buyer, "INV-2026-000999"),
            ],
        )
        .await;
    let submission = h
        .wait(&token, accepted["submissionUid"].as_str().unwrap())
        .await;
    assert_eq!(submission["overallStatus"], "PartiallyValid");
    let statuses: Vec<&str> = submission["documentSummary"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["Valid", "Invalid"]);
    let bad_uuid = submission["documentSummary"][1]["uuid"].as_str().unwrap();
    assert_eq!(submission["documentSummary"][1]["longId"], Value::Null);
    let details = h.details(&token, bad_uuid).await;
    // The edit also breaks the signature; the taxpayer step names the unknown buyer.
    let steps = details["validationResults"]["validationSteps"]
        .as_array()
        .unwrap();
    let taxpayer = steps
        .iter()
        .find(|s| s["name"] == "Step07-Taxpayer Validator")
        .unwrap();
    assert_eq!(inner_codes(taxpayer), ["ERR406"]);
}

/// The mapped invoice as version 1.0 (unsigned) with a payable amount that does not add up.
fn unbalanced_v1_0() -> Vec<u8> {
    let v1_0 = replace(
        &unsigned_invoice(),
        "\"listVersionID\":\"1.1\"",
        "\"listVersionID\":\"1.0\"",
    );
    replace(
        &v1_0,
        "\"PayableAmount\":[{\"_\":1532.5",
        "\"PayableAmount\":[{\"_\":1532.6",
    )
}

#[tokio::test]
async fn arithmetic_mismatches_are_warnings_unless_enforced() {
    let h = Harness::start().await;
    let token = h.token("supplier").await;
    let (_, details) = h
        .submit_and_wait(&token, &unbalanced_v1_0(), "INV-2026-000123")
        .await;
    assert_eq!(details["status"], "Valid");
    let received = h.sandbox.received("INV-2026-000123");
    assert_eq!(received[0].warnings.len(), 1, "{:?}", received[0].warnings);
    assert!(received[0].warnings[0].contains("PayableAmount"));

    let h = Harness::with("arithmetic = \"enforce\"").await;
    let token = h.token("supplier").await;
    let (_, details) = h
        .submit_and_wait(&token, &unbalanced_v1_0(), "INV-2026-000123")
        .await;
    assert_eq!(details["status"], "Invalid");
    let step = failed_step(&details);
    assert_eq!(step["name"], "Step10-Mathematical Validator");
    assert_eq!(
        step["error"]["innerError"][0]["propertyName"],
        "PayableAmount"
    );
}

#[tokio::test]
async fn structure_errors_can_be_reported_by_validation_instead() {
    let h = Harness::with("structure_errors = \"invalid\"").await;
    let token = h.token("supplier").await;
    let bad_date = replace(
        &signed_invoice(),
        "\"IssueDate\":[{\"_\":\"2026-06-01\"}]",
        "\"IssueDate\":[{\"_\":\"01/06/2026\"}]",
    );
    let (_, details) = h
        .submit_and_wait(&token, &bad_date, "INV-2026-000123")
        .await;
    assert_eq!(details["status"], "Invalid");
    let step = failed_step(&details);
    assert_eq!(step["name"], "Step01-Structure Validator");
    assert_eq!(
        step["error"]["innerError"][0]["error"],
        "DateExpected: #/Invoice[0].IssueDate[0]._"
    );
}
