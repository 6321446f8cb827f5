//! Submit Documents: what is refused at once, in LHDN's shapes, and what is accepted.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{
    Harness, envelope, replace, signed_invoice, signed_invoice_numbered, unsigned_invoice,
};

const SUBMIT: &str = "/api/v1.0/documentsubmissions/";

async fn post_raw(
    h: &Harness,
    token: &str,
    content_type: &str,
    body: Vec<u8>,
) -> reqwest::Response {
    h.http
        .post(h.url(SUBMIT))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_accepted_submission_is_202_with_26_character_ids() {
    let h = Harness::start().await;
    let token = h.token("supplier").await;
    let body = h
        .submit(&token, &[(&signed_invoice(), "INV-2026-000123")])
        .await;
    let uid = body["submissionUid"].as_str().unwrap();
    let uuid = body["acceptedDocuments"][0]["uuid"].as_str().unwrap();
    for id in [uid, uuid] {
        assert_eq!(id.len(), 26);
        assert!(
            id.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        );
    }
    assert_eq!(
        body["acceptedDocuments"][0]["invoiceCodeNumber"],
        "INV-2026-000123"
    );
    assert_eq!(body["rejectedDocuments"], json!([]));
}

#[tokio::test]
async fn a_malformed_envelope_is_400_in_lhdns_shape() {
    let h = Harness::start().await;
    let token = h.token("supplier").await;
    let response = post_raw(&h, &token, "application/json", b"{not json".to_vec()).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let correlation = response.headers()["correlationId"]
        .to_str()
        .unwrap()
        .to_owned();
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "ValidationError");
    assert_eq!(body["error"]["message"], "JSON is not valid");
    assert_eq!(body["error"]["target"], "submission");
    let detail = body["error"]["details"][0]["message"].as_str().unwrap();
    assert!(detail.contains(&correlation), "{detail}");

    for bad in [
        json!({}),
        json!({"documents": []}),
        json!({"documents": [{"format": "JSON"}]}),
    ] {
        let response = h.submit_body(&token, &bad).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "BadStructure", "{bad}");
    }
    // The format must be the Content-Type's.
    let body = serde_json::to_vec(&envelope(&[(&signed_invoice(), "INV-2026-000123")])).unwrap();
    let response = post_raw(&h, &token, "application/xml", body.clone()).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let response = post_raw(&h, &token, "text/plain", body).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn more_than_100_documents_or_5_mb_is_maximum_size_exceeded() {
    let h = Harness::start().await;
    let token = h.token("supplier").await;
    let invoice = signed_invoice();
    let many: Vec<(&[u8], &str)> = (0..101).map(|_| (invoice.as_slice(), "INV")).collect();
    let response = h.submit_body(&token, &envelope(&many)).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "MaximumSizeExceeded");

    let huge = vec![b' '; 5 * 1024 * 1024 + 1];
    let response = post_raw(&h, &token, "application/json", huge).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "MaximumSizeExceeded");
}

#[tokio::test]
async fn documents_failing_the_synchronous_checks_are_rejected_one_by_one() {
    let h = Harness::start().await;
    let token = h.token("supplier").await;
    let good = signed_invoice();
    let mut wrong_hash = envelope(&[(&good, "INV-2026-000123")]);
    wrong_hash["documents"][0]["documentHash"] = json!("0".repeat(64));
    let response = h.submit_body(&token, &wrong_hash).await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let body: Value = response.json().await.unwrap();
    // Nothing accepted: no submission at all.
    assert_eq!(body["submissionUid"], Value::Null);
    let error = &body["rejectedDocuments"][0]["error"];
    assert_eq!(
        body["rejectedDocuments"][0]["invoiceCodeNumber"],
        "INV-2026-000123"
    );
    assert_eq!(error["code"], "InvalidDocumentHash");
    assert_eq!(error["target"], "INV-2026-000123");
    assert!(error.get("propertyPath").is_some() && error.get("details").is_some());

    // Over 300 KB decoded, next to a good document.
    let mut big = unsigned_invoice();
    big.extend(std::iter::repeat_n(b' ', 300 * 1024));
    let body = h
        .submit(&token, &[(&good, "INV-2026-000123"), (&big, "BIG")])
        .await;
    assert!(body["submissionUid"].is_string());
    assert_eq!(body["acceptedDocuments"].as_array().unwrap().len(), 1);
    assert_eq!(
        body["rejectedDocuments"][0]["error"]["code"],
        "MaximumSizeExceeded"
    );

    // A structure error, in the schema validator's words (as observed from LHDN).
    let unsigned_with_extension = replace(
        &replace(
            &unsigned_invoice(),
            "\"listVersionID\":\"1.1\"",
            "\"listVersionID\":\"1.0\"",
        ),
        "\"InvoiceLine\":",
        "\"UBLExtensions\":[{}],\"InvoiceLine\":",
    );
    let body = h
        .submit(&token, &[(&unsigned_with_extension, "INV-X")])
        .await;
    let error = &body["rejectedDocuments"][0]["error"];
    assert_eq!(error["code"], "ValidationError");
    assert_eq!(
        error["details"][0]["message"],
        "NoAdditionalPropertiesAllowed: #/UBLExtensions"
    );
    assert_eq!(error["details"][0]["propertyPath"], "#/UBLExtensions");
}

#[tokio::test]
async fn a_document_of_another_taxpayer_is_incorrect_submitter() {
    let h = Harness::start().await;
    let buyer = h.token("buyer").await;
    let response = h
        .submit_body(&buyer, &envelope(&[(&signed_invoice(), "INV-2026-000123")]))
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "IncorrectSubmitter");
    assert!(h.sandbox.received("INV-2026-000123").is_empty());
}

#[tokio::test]
async fn the_same_body_within_10_minutes_is_422_with_retry_after() {
    let h = Harness::start().await;
    let token = h.token("supplier").await;
    let body = envelope(&[(&signed_invoice(), "INV-2026-000123")]);
    assert_eq!(
        h.submit_body(&token, &body).await.status(),
        StatusCode::ACCEPTED
    );
    let response = h.submit_body(&token, &body).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let retry_after: i64 = response.headers()["Retry-After"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((500..=600).contains(&retry_after), "{retry_after}");
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["error"]["code"], "DuplicateSubmission");
    assert_eq!(h.sandbox.received("INV-2026-000123").len(), 1);
    // Ten minutes later the same body goes through.
    h.sandbox.advance_clock(chrono::TimeDelta::minutes(10));
    let token = h.token("supplier").await;
    assert_eq!(
        h.submit_body(&token, &body).await.status(),
        StatusCode::ACCEPTED
    );
    // A different body (another document) is never a duplicate submission.
    let other = envelope(&[(
        &signed_invoice_numbered("INV-2026-000124"),
        "INV-2026-000124",
    )]);
    assert_eq!(
        h.submit_body(&token, &other).await.status(),
        StatusCode::ACCEPTED
    );
}
