//! Cancel and reject: 72 hours from validation on the sandbox clock, by the right party.

use chrono::TimeDelta;
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{Harness, replace, signed_credit_note, signed_invoice_numbered};

async fn error_code(response: reqwest::Response) -> (StatusCode, String) {
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    (
        status,
        body["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    )
}

#[tokio::test]
async fn the_issuer_cancels_within_72_hours_and_not_after() {
    let h = Harness::start().await;
    let token = h.token("supplier").await;
    let first = h.valid_invoice(&token).await;
    let (second, _) = h
        .submit_and_wait(
            &token,
            &signed_invoice_numbered("INV-2026-000124"),
            "INV-2026-000124",
        )
        .await;

    let response = h
        .change_state(&token, &first, "cancelled", "Wrong customer")
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["uuid"], first);
    assert_eq!(body["status"], "Cancelled");
    let details = h.details(&token, &first).await;
    assert_eq!(details["status"], "Cancelled");
    assert_eq!(details["documentStatusReason"], "Wrong customer");
    assert!(details["cancelDateTime"].is_string());
    assert_eq!(details["longId"], Value::Null);
    // Once cancelled, the state cannot change again.
    let again = h.change_state(&token, &first, "cancelled", "again").await;
    assert_eq!(
        error_code(again).await,
        (StatusCode::BAD_REQUEST, "IncorrectState".into())
    );

    h.sandbox.advance_clock(TimeDelta::hours(73));
    let token = h.token("supplier").await;
    let late = h
        .change_state(&token, &second, "cancelled", "Wrong customer")
        .await;
    assert_eq!(late_code(late).await, "OperationPeriodOver");
}

async fn late_code(response: reqwest::Response) -> String {
    let (status, code) = error_code(response).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    code
}

#[tokio::test]
async fn the_receiver_requests_rejection_once_and_the_document_stays_valid() {
    let h = Harness::start().await;
    let supplier = h.token("supplier").await;
    let buyer = h.token("buyer").await;
    let uuid = h.valid_invoice(&supplier).await;

    // The buyer may not cancel, the supplier may not reject.
    let response = h.change_state(&buyer, &uuid, "cancelled", "not ours").await;
    assert_eq!(
        error_code(response).await,
        (StatusCode::FORBIDDEN, "Forbidden".into())
    );
    let response = h
        .change_state(&supplier, &uuid, "rejected", "not ours")
        .await;
    assert_eq!(
        error_code(response).await,
        (StatusCode::FORBIDDEN, "Forbidden".into())
    );

    let response = h
        .change_state(&buyer, &uuid, "rejected", "Goods not delivered")
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "Requested for Rejection");
    let details = h.details(&supplier, &uuid).await;
    assert_eq!(details["status"], "Valid");
    assert!(details["rejectRequestDateTime"].is_string());
    assert_eq!(details["documentStatusReason"], "Goods not delivered");

    let again = h.change_state(&buyer, &uuid, "rejected", "again").await;
    assert_eq!(
        error_code(again).await,
        (StatusCode::BAD_REQUEST, "IncorrectState".into())
    );
    // The issuer then cancels.
    let response = h
        .change_state(&supplier, &uuid, "cancelled", "Rejected by buyer")
        .await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_invoice_with_a_valid_note_cannot_be_cancelled() {
    let h = Harness::start().await;
    let token = h.token("supplier").await;
    let invoice = h.valid_invoice(&token).await;
    let (note, details) = h
        .submit_and_wait(&token, &signed_credit_note(&invoice), "CN-2026-000007")
        .await;
    assert_eq!(details["status"], "Valid");
    let response = h.change_state(&token, &invoice, "cancelled", "Wrong").await;
    assert_eq!(
        error_code(response).await,
        (StatusCode::BAD_REQUEST, "ActiveReferencingDocuments".into())
    );
    // Cancel the note first, then the invoice.
    assert_eq!(
        h.change_state(&token, &note, "cancelled", "Wrong")
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        h.change_state(&token, &invoice, "cancelled", "Wrong")
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_state_change_needs_a_reason_json_and_a_valid_document() {
    let h = Harness::start().await;
    let token = h.token("supplier").await;
    let uuid = h.valid_invoice(&token).await;
    let response = h.change_state(&token, &uuid, "cancelled", "").await;
    assert_eq!(
        error_code(response).await,
        (StatusCode::BAD_REQUEST, "BadArgument".into())
    );
    let response = h
        .change_state(&token, &uuid, "cancelled", &"x".repeat(301))
        .await;
    assert_eq!(
        error_code(response).await,
        (StatusCode::BAD_REQUEST, "BadArgument".into())
    );
    let response = h
        .http
        .put(h.url(&format!("/api/v1.0/documents/state/{uuid}/state")))
        .bearer_auth(&token)
        .body(r#"{"status":"cancelled","reason":"x"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let broken = replace(
        &signed_invoice_numbered("INV-2026-000300"),
        "Klang",
        "Kelang",
    );
    let (invalid, details) = h.submit_and_wait(&token, &broken, "INV-2026-000300").await;
    assert_eq!(details["status"], "Invalid");
    let response = h.change_state(&token, &invalid, "cancelled", "Wrong").await;
    assert_eq!(
        error_code(response).await,
        (StatusCode::BAD_REQUEST, "IncorrectState".into())
    );
    let response = h
        .change_state(&token, "NOSUCHDOCUMENT000000000010", "cancelled", "Wrong")
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}
