//! Injected faults: error statuses, the HTML maintenance page, slow validation, late
//! `longId`, and the work done with the answer lost (500 or a dropped connection).

use std::time::Duration;

use niaga_lhdn_sandbox::{Endpoint, FailMode, FaultAction, FaultRule};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Harness, envelope, signed_invoice};

#[tokio::test]
async fn a_status_fault_fires_its_number_of_times() {
    let h = Harness::start().await;
    let token = h.token("supplier").await;
    h.sandbox.inject(FaultRule::new(
        Some(Endpoint::Recent),
        FaultAction::Status { status: 503 },
        Some(2),
    ));
    for _ in 0..2 {
        let response = h.get(&token, "/api/v1.0/documents/recent").await;
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(response.headers().contains_key("correlationId"));
    }
    assert_eq!(
        h.get(&token, "/api/v1.0/documents/recent").await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_maintenance_page_is_html_with_403() {
    let h = Harness::with("[[faults]]\nendpoint = \"submit\"\naction = \"maintenance\"").await;
    let token = h.token("supplier").await;
    let response = h
        .submit_body(&token, &envelope(&[(&signed_invoice(), "INV-2026-000123")]))
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(response.text().await.unwrap().contains("maintenance"));
    assert!(h.sandbox.received("INV-2026-000123").is_empty());
}

#[tokio::test]
async fn accept_then_500_keeps_the_submission() {
    let h = Harness::start().await;
    let token = h.token("supplier").await;
    h.sandbox.inject(FaultRule::new(
        Some(Endpoint::Submit),
        FaultAction::AcceptThenFail {
            then: FailMode::Status500,
        },
        Some(1),
    ));
    let body = envelope(&[(&signed_invoice(), "INV-2026-000123")]);
    let response = h.submit_body(&token, &body).await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let received = h.sandbox.received("INV-2026-000123");
    assert_eq!(
        received.len(),
        1,
        "LHDN accepted it although the client saw a 500"
    );
    // A blind retry of the same body is a duplicate submission.
    let retry = h.submit_body(&token, &body).await;
    assert_eq!(retry.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn accept_then_drop_closes_the_connection_after_the_work() {
    let h = Harness::start().await;
    let token = h.token("supplier").await;
    h.sandbox.inject(FaultRule::new(
        Some(Endpoint::Submit),
        FaultAction::AcceptThenFail {
            then: FailMode::Drop,
        },
        Some(1),
    ));
    let result = h
        .http
        .post(h.url("/api/v1.0/documentsubmissions/"))
        .bearer_auth(&token)
        .json(&envelope(&[(&signed_invoice(), "INV-2026-000123")]))
        .send()
        .await;
    let error = result.expect_err("the connection should be dropped");
    assert!(!error.is_status());
    let received = h.sandbox.received("INV-2026-000123");
    assert_eq!(received.len(), 1);
    // The document is validated all the same.
    let submission = h.wait(&token, &received[0].submission_uid).await;
    assert_eq!(submission["overallStatus"], "Valid");
}

#[tokio::test]
async fn slow_validation_and_a_late_long_id() {
    let h = Harness::start().await;
    let token = h.token("supplier").await;
    h.sandbox.inject(FaultRule::new(
        None,
        FaultAction::SlowValidation { seconds: 1 },
        Some(1),
    ));
    h.sandbox.inject(FaultRule::new(
        None,
        FaultAction::LateLongId { seconds: 3600 },
        Some(1),
    ));
    let accepted = h
        .submit(&token, &[(&signed_invoice(), "INV-2026-000123")])
        .await;
    let uid = accepted["submissionUid"].as_str().unwrap();
    let path = format!("/api/v1.0/documentsubmissions/{uid}");
    let first: Value = h.get(&token, &path).await.json().await.unwrap();
    assert_eq!(first["overallStatus"], "InProgress");
    assert_eq!(first["documentSummary"][0]["status"], "Submitted");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let done = h.wait(&token, uid).await;
    assert_eq!(done["overallStatus"], "Valid");
    assert_eq!(done["documentSummary"][0]["longId"], Value::Null);
    h.sandbox.advance_clock(chrono::TimeDelta::hours(1));
    let token = h.token("supplier").await;
    let later: Value = h.get(&token, &path).await.json().await.unwrap();
    assert!(later["documentSummary"][0]["longId"].is_string());
}

#[tokio::test]
async fn faults_are_managed_through_the_admin_routes() {
    let h = Harness::start().await;
    let rule = json!({"endpoint": "document_types", "action": "status", "status": 500, "times": 1});
    let (status, _) = h
        .admin(reqwest::Method::POST, "/_sandbox/faults", Some(rule))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, listed) = h
        .admin(reqwest::Method::GET, "/_sandbox/faults", None)
        .await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let token = h.token("supplier").await;
    assert_eq!(
        h.get(&token, "/api/v1.0/documenttypes").await.status(),
        StatusCode::INTERNAL_SERVER_ERROR
    );
    let (status, _) = h
        .admin(reqwest::Method::DELETE, "/_sandbox/faults", None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    let (_, before) = h.admin(reqwest::Method::GET, "/_sandbox/clock", None).await;
    let advance = json!({"advanceSeconds": 3600});
    let (_, clock) = h
        .admin(reqwest::Method::POST, "/_sandbox/clock", Some(advance))
        .await;
    let moved =
        clock["offsetSeconds"].as_i64().unwrap() - before["offsetSeconds"].as_i64().unwrap();
    assert!((3599..=3601).contains(&moved), "{moved}");
    let token = h.token("supplier").await;
    h.submit(&token, &[(&signed_invoice(), "INV-2026-000123")])
        .await;
    let path = "/_sandbox/documents?internalId=INV-2026-000123";
    let (_, documents) = h.admin(reqwest::Method::GET, path, None).await;
    assert_eq!(documents.as_array().unwrap().len(), 1);
    assert_eq!(documents[0]["codeNumber"], "INV-2026-000123");
}
