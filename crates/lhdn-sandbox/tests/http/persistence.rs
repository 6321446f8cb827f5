//! The state file: a restarted sandbox still knows what it accepted, its tokens and clock.

use chrono::TimeDelta;
use niaga_lhdn_sandbox::StateConfig;
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{Harness, config, signed_invoice};

#[tokio::test]
async fn state_survives_a_restart_with_a_state_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sandbox.db");
    let make = || {
        let mut config = config("");
        config.state = StateConfig::Sqlite(path.clone());
        config
    };
    let h = Harness::from_config(make()).await;
    let token = h.token("supplier").await;
    let (uuid, details) = h
        .submit_and_wait(&token, &signed_invoice(), "INV-2026-000123")
        .await;
    assert_eq!(details["status"], "Valid");
    h.sandbox.advance_clock(TimeDelta::minutes(30));
    let before = h.sandbox.now();
    h.sandbox.shutdown().await;

    let h = Harness::from_config(make()).await;
    // The clock moved at run time is kept (to the second; real time passed too).
    assert!((h.sandbox.now() - before).num_seconds().abs() < 5);
    // The token still works, the document is still there, its body unchanged.
    let raw: Value = h
        .get(&token, &format!("/api/v1.0/documents/{uuid}/raw"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(raw["status"], "Valid");
    assert_eq!(
        raw["document"].as_str().unwrap().as_bytes(),
        signed_invoice().as_slice()
    );
    assert_eq!(h.sandbox.received("INV-2026-000123").len(), 1);
    h.sandbox.shutdown().await;

    // In memory, nothing survives.
    let h = Harness::start().await;
    assert_eq!(
        h.get(&token, "/api/v1.0/documents/recent").await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn validations_pending_at_shutdown_run_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sandbox.db");
    let make = |delay_ms: u64| {
        let mut config = config("");
        config.state = StateConfig::Sqlite(path.clone());
        config.validation_delay_ms = delay_ms;
        config
    };
    let h = Harness::from_config(make(60_000)).await;
    let token = h.token("supplier").await;
    let accepted = h
        .submit(&token, &[(&signed_invoice(), "INV-2026-000123")])
        .await;
    let uid = accepted["submissionUid"].as_str().unwrap().to_owned();
    h.sandbox.shutdown().await;

    let h = Harness::from_config(make(0)).await;
    let submission = h.wait(&token, &uid).await;
    assert_eq!(submission["overallStatus"], "Valid");
    h.sandbox.shutdown().await;
}
