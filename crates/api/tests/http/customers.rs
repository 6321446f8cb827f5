//! `/customers` end to end: register, read back, list with read-your-writes, amend with
//! If-Match, contacts, interactions and the pipeline, with roles and every refusal as
//! problem+json.

use axum::http::{Method, StatusCode};
use niaga_api::auth::Role;
use serde_json::{Value, json};

use crate::helpers::{TestApp, send_as as send};

pub(crate) fn acme() -> Value {
    json!({
        "kind": "company",
        "name": "Acme Timbang Sdn. Bhd.",
        "tin": "C2584563202",
        "identification": { "scheme": "BRN", "value": "201901234567" },
        "sst": "W10-1808-32000001",
        "msic": "46599",
        "address": {
            "lines": ["Lot 5, Jalan Utas 15/7", "Seksyen 15"],
            "city": "Shah Alam",
            "postcode": "40200",
            "state": "10"
        },
        "email": "purchasing@acme.com.my",
        "phone": "+60 3-5510 1234"
    })
}

pub(crate) async fn register(app: &TestApp) -> String {
    let created = app.post("/customers", &acme(), Some(Role::Sales)).await;
    assert_eq!(
        created.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&created.body)
    );
    created.json()["id"].as_str().unwrap().to_owned()
}

async fn a_registered_customer_reads_back_and_appears_in_the_list(app: TestApp) {
    let projectors = niaga_projections::runner::spawn_all(app.state.db(), app.state.committed());
    let created = app.post("/customers", &acme(), Some(Role::Sales)).await;
    assert_eq!(created.status, StatusCode::CREATED);
    let accepted = created.json();
    let id = accepted["id"].as_str().unwrap();
    assert_eq!(accepted["version"], 1);
    assert_eq!(created.header("location"), format!("/customers/{id}"));
    assert_eq!(created.header("etag"), "\"1\"");

    let customer = app
        .get(&format!("/customers/{id}"), Some(Role::Auditor))
        .await;
    assert_eq!(customer.status, StatusCode::OK);
    let customer = customer.json();
    assert_eq!(customer["name"], "Acme Timbang Sdn. Bhd.");
    assert_eq!(
        customer["tin"], "C25845632020",
        "the TIN is normalised per LHDN's rule"
    );
    assert_eq!(customer["phone"], "+60355101234");
    assert_eq!(customer["address"]["country"], "MYS");

    let position = accepted["position"].as_i64().unwrap();
    let list = app
        .get(
            &format!("/customers?q=acme&min_position={position}"),
            Some(Role::Finance),
        )
        .await;
    assert_eq!(
        list.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&list.body)
    );
    let items = list.json()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], id);
    let by_tin = app
        .get("/customers?q=C2584", Some(Role::Finance))
        .await
        .json();
    assert_eq!(by_tin["items"].as_array().unwrap().len(), 1);
    projectors.iter().for_each(tokio::task::JoinHandle::abort);
}

async fn every_invalid_field_is_reported_with_a_pointer(app: TestApp) {
    let mut body = acme();
    body["tin"] = json!("X123");
    body["address"]["postcode"] = json!("4020");
    body["email"] = json!("not an email");
    body["identification"]["scheme"] = json!("DRIVING_LICENCE");
    let refused = app.post("/customers", &body, Some(Role::Sales)).await;
    let problem = refused.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation");
    let mut pointers: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pointer"].as_str().unwrap())
        .collect();
    pointers.sort_unstable();
    assert_eq!(
        pointers,
        ["/address/postcode", "/email", "/identification", "/tin"]
    );
    assert!(
        problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["message"].as_str().is_some_and(|m| !m.is_empty()))
    );
}

async fn a_rule_across_fields_is_a_refusal_naming_it(app: TestApp) {
    let mut body = acme();
    body["kind"] = json!("individual");
    let refused = app.post("/customers", &body, Some(Role::Sales)).await;
    refused.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "tin-does-not-match-kind");
}

async fn roles_decide_who_may_register_and_read(app: TestApp) {
    let refused = app.post("/customers", &acme(), Some(Role::Warehouse)).await;
    refused.assert_problem(StatusCode::FORBIDDEN, "forbidden");
    let auditor = app.post("/customers", &acme(), Some(Role::Auditor)).await;
    auditor.assert_problem(StatusCode::FORBIDDEN, "forbidden");
    let anonymous = app.post("/customers", &acme(), None).await;
    anonymous.assert_problem(StatusCode::UNAUTHORIZED, "unauthorized");
    let id = register(&app).await;
    let read = app.get(&format!("/customers/{id}"), None).await;
    read.assert_problem(StatusCode::UNAUTHORIZED, "unauthorized");
}

async fn a_repeated_create_with_the_same_key_answers_the_first_result(app: TestApp) {
    let key = [("idempotency-key", "create-acme-1")];
    let first = send(&app, Method::POST, "/customers", &acme(), Role::Sales, &key).await;
    let again = send(&app, Method::POST, "/customers", &acme(), Role::Sales, &key).await;
    assert_eq!(first.status, StatusCode::CREATED);
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(first.body, again.body, "same id, version and position");
    assert_eq!(again.header("idempotent-replayed"), "true");

    let mut other = acme();
    other["name"] = json!("Another Company Sdn. Bhd.");
    let reused = send(&app, Method::POST, "/customers", &other, Role::Sales, &key).await;
    reused.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "idempotency-key-reused");
}

async fn amending_with_a_stale_version_is_refused(app: TestApp) {
    let id = register(&app).await;
    let path = format!("/customers/{id}");
    let mut amended = acme();
    amended["email"] = json!("accounts@acme.com.my");
    let stale = send(
        &app,
        Method::PUT,
        &path,
        &amended,
        Role::Sales,
        &[("if-match", "\"0\"")],
    )
    .await;
    let problem = stale.assert_problem(StatusCode::PRECONDITION_FAILED, "version-conflict");
    assert_eq!(problem["current_version"], 1);

    let ok = send(
        &app,
        Method::PUT,
        &path,
        &amended,
        Role::Sales,
        &[("if-match", "\"1\"")],
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK);
    assert_eq!(ok.json()["version"], 2);
    let unchanged = send(&app, Method::PUT, &path, &amended, Role::Sales, &[]).await;
    assert_eq!(
        unchanged.json()["version"],
        2,
        "the same form again writes nothing"
    );
    assert_eq!(unchanged.json()["position"], Value::Null);
    let customer = app.get(&path, Some(Role::Sales)).await.json();
    assert_eq!(customer["email"], "accounts@acme.com.my");
}

async fn contacts_and_interactions_are_kept_on_the_customer(app: TestApp) {
    let id = register(&app).await;
    let contact_id = "0197a000-0000-7000-8000-000000000001";
    let contact = json!({ "id": contact_id, "name": "Siti Aminah", "role": "QA manager", "phone": "012-345 6789" });
    let added = app
        .post(
            &format!("/customers/{id}/contacts"),
            &contact,
            Some(Role::Sales),
        )
        .await;
    assert_eq!(added.status, StatusCode::OK);
    let note = json!({ "kind": "whatsapp", "occurred_at": "2026-01-05T03:00:00Z", "summary": "Sent the calibration schedule." });
    let recorded = app
        .post(
            &format!("/customers/{id}/interactions"),
            &note,
            Some(Role::Warehouse),
        )
        .await;
    assert_eq!(recorded.status, StatusCode::OK);
    let future = json!({ "kind": "call", "occurred_at": "2099-01-01T00:00:00Z", "summary": "?" });
    app.post(
        &format!("/customers/{id}/interactions"),
        &future,
        Some(Role::Sales),
    )
    .await
    .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "interaction-in-future");

    let customer = app
        .get(&format!("/customers/{id}"), Some(Role::Sales))
        .await
        .json();
    assert_eq!(customer["contacts"][0]["name"], "Siti Aminah");
    assert_eq!(customer["interactions"][0]["kind"], "whatsapp");
    let warehouse = app.users[&Role::Warehouse];
    assert_eq!(
        customer["interactions"][0]["author"],
        format!("user:{warehouse}")
    );

    let remove = format!("/customers/{id}/contacts/{contact_id}");
    let removed = send(
        &app,
        Method::DELETE,
        &remove,
        &json!(null),
        Role::Sales,
        &[],
    )
    .await;
    assert_eq!(removed.status, StatusCode::OK);
    send(
        &app,
        Method::DELETE,
        &remove,
        &json!(null),
        Role::Sales,
        &[],
    )
    .await
    .assert_problem(StatusCode::NOT_FOUND, "not-found");
}

async fn an_opportunity_moves_through_the_pipeline_and_stays_closed(app: TestApp) {
    let id = register(&app).await;
    let deal = "0197a000-0000-7000-8000-0000000000d1";
    let opportunity = json!({
        "id": deal, "title": "Calibration of 20 kg weights",
        "expected_value": { "amount": "12500.00", "currency": "MYR" },
        "expected_close": "2099-07-31", "source": "referral"
    });
    let base = format!("/customers/{id}/opportunities");
    assert_eq!(
        app.post(&base, &opportunity, Some(Role::Sales))
            .await
            .status,
        StatusCode::OK
    );
    let stage = format!("{base}/{deal}/stage");
    assert_eq!(
        app.post(&stage, &json!({ "stage": "qualified" }), Some(Role::Sales))
            .await
            .status,
        StatusCode::OK
    );
    app.post(&stage, &json!({ "stage": "qualified" }), Some(Role::Sales))
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "already-in-stage");
    app.post(
        &format!("{base}/{deal}/lose"),
        &json!({ "reason": "  " }),
        Some(Role::Sales),
    )
    .await
    .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "lost-reason-required");
    assert_eq!(
        app.post(&format!("{base}/{deal}/win"), &json!({}), Some(Role::Sales))
            .await
            .status,
        StatusCode::OK
    );
    app.post(&stage, &json!({ "stage": "proposal" }), Some(Role::Sales))
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "opportunity-closed");

    let customer = app
        .get(&format!("/customers/{id}"), Some(Role::Sales))
        .await
        .json();
    assert_eq!(customer["opportunities"][0]["status"], "won");
    assert_eq!(customer["opportunities"][0]["stage"], "qualified");

    let mut free = opportunity.clone();
    free["id"] = json!("0197a000-0000-7000-8000-0000000000d2");
    free["expected_value"]["amount"] = json!("0");
    app.post(&base, &free, Some(Role::Sales))
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "non-positive-value");
    free["expected_value"]["amount"] = json!(12.5);
    app.post(&base, &free, Some(Role::Sales))
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation");
}

async fn unknown_customers_and_bad_ids_are_problems(app: TestApp) {
    app.get(
        "/customers/0197a000-0000-7000-8000-00000000ffff",
        Some(Role::Sales),
    )
    .await
    .assert_problem(StatusCode::NOT_FOUND, "not-found");
    let note = json!({ "kind": "note", "occurred_at": "2026-01-05T03:00:00Z", "summary": "x" });
    app.post(
        "/customers/0197a000-0000-7000-8000-00000000ffff/interactions",
        &note,
        Some(Role::Sales),
    )
    .await
    .assert_problem(StatusCode::NOT_FOUND, "not-found");
    app.get("/customers/not-a-uuid", Some(Role::Sales))
        .await
        .assert_problem(StatusCode::BAD_REQUEST, "bad-request");
    app.get("/customers?after=garbage", Some(Role::Sales))
        .await
        .assert_problem(StatusCode::BAD_REQUEST, "bad-request");
}

crate::on_both_backends!(
    a_registered_customer_reads_back_and_appears_in_the_list,
    every_invalid_field_is_reported_with_a_pointer,
    a_rule_across_fields_is_a_refusal_naming_it,
    roles_decide_who_may_register_and_read,
    a_repeated_create_with_the_same_key_answers_the_first_result,
    amending_with_a_stale_version_is_refused,
    contacts_and_interactions_are_kept_on_the_customer,
    an_opportunity_moves_through_the_pipeline_and_stays_closed,
    unknown_customers_and_bad_ids_are_problems,
);
