//! `/admin/projections`: every read model's position, and a projector stuck on an event it
//! cannot apply shows the error instead of skipping the event.

use std::time::Duration;

use axum::http::StatusCode;
use chrono::Utc;
use niaga_api::auth::Role;
use niaga_store::{Append, Metadata, NewEvent, StreamRef, Tip};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{customers::register, helpers::TestApp};

async fn projections(app: &TestApp) -> Vec<Value> {
    let listed = app.get("/admin/projections", Some(Role::Admin)).await;
    assert_eq!(listed.status, StatusCode::OK);
    listed.json().as_array().unwrap().clone()
}

fn named<'a>(all: &'a [Value], name: &str) -> &'a Value {
    all.iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {all:?}"))
}

/// Polls until `done` holds for the customer list's entry, for at most 20 s.
async fn customer_list_until(app: &TestApp, done: impl Fn(&Value) -> bool) -> Value {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let all = projections(app).await;
        let entry = named(&all, "customer_list").clone();
        if done(&entry) {
            return entry;
        }
        assert!(std::time::Instant::now() < deadline, "{entry}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn a_stuck_projector_shows_its_error_and_skips_nothing(app: TestApp) {
    app.get("/admin/projections", Some(Role::Sales))
        .await
        .assert_problem(StatusCode::FORBIDDEN, "forbidden");
    let _projectors = niaga_projections::runner::spawn_all(app.state.db(), app.state.committed());
    register(&app).await;
    let entry = customer_list_until(&app, |e| e["behind"] == 0 && e["position"] != 0).await;
    assert_eq!(entry["stuck"], false);
    let all = projections(&app).await;
    for name in [
        "customer_list",
        "invoice_list",
        "customer_ledger",
        "quotation_list",
    ] {
        assert!(named(&all, name)["position"].is_i64(), "{name}");
    }

    // An event the customer list cannot read: it stops there and says why.
    let broken = NewEvent {
        event_id: Uuid::now_v7(),
        event_type: "CustomerRegistered".into(),
        schema_version: 2,
        payload: json!({ "not": "a customer" }),
    };
    app.state
        .db()
        .event_store()
        .append(Append {
            stream: StreamRef::new("customer", Uuid::now_v7().to_string()),
            expected: Tip::default(),
            events: vec![broken],
            metadata: Metadata::default(),
            recorded_at: Utc::now(),
            idempotency: None,
        })
        .await
        .unwrap();
    app.state.committed().notify_waiters();
    let stuck = customer_list_until(&app, |e| e["stuck"] == true).await;
    assert!(
        stuck["last_error"].as_str().unwrap().contains("cannot"),
        "{stuck}"
    );
    assert_eq!(stuck["behind"], 1, "the event is not skipped: {stuck}");
    // A later event waits behind it too.
    register(&app).await;
    let still = customer_list_until(&app, |e| e["behind"] == 2).await;
    assert_eq!(still["position"], stuck["position"]);
}

async fn jobs_show_their_latest_runs(app: TestApp) {
    app.get("/admin/jobs", Some(Role::Auditor))
        .await
        .assert_problem(StatusCode::FORBIDDEN, "forbidden");
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
    let outcome = app.run_job("expire-quotations", as_of).await;
    assert!(matches!(outcome, niaga_scheduler::Outcome::Ran(_)));
    let listed = app.get("/admin/jobs", Some(Role::Admin)).await;
    assert_eq!(listed.status, StatusCode::OK);
    let jobs = listed.json();
    let expiry = jobs
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["name"] == "expire-quotations")
        .unwrap();
    assert_eq!(expiry["runs"][0]["as_of"], "2026-07-01");
    assert_eq!(expiry["runs"][0]["outcome"], "succeeded");
    assert_eq!(expiry["runs"][0]["trigger"], "command");
    assert_eq!(expiry["runs"][0]["counts"]["expired"], 0);
}

crate::on_both_backends!(
    a_stuck_projector_shows_its_error_and_skips_nothing,
    jobs_show_their_latest_runs
);
