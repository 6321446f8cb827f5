//! `GET /pipeline` and `GET /customers/{id}/overview` as a sales manager and an account
//! manager see them: deals opened, moved, won and lost through the customer routes, then the
//! report and the customer 360 read back with read-your-writes; refusals as problem+json.

use axum::http::StatusCode;
use chrono::{Datelike, Months, Utc};
use niaga_api::auth::Role;
use serde_json::{Value, json};

use crate::{customers::register, helpers::TestApp};

fn money(amount: &str, currency: &str) -> Value {
    json!({ "amount": amount, "currency": currency })
}

fn myr(amount: &str) -> Value {
    money(amount, "MYR")
}

#[track_caller]
fn ok(response: &crate::helpers::TestResponse) -> Value {
    assert_eq!(
        response.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&response.body)
    );
    response.json()
}

/// POSTs as sales and returns the position written.
async fn command(app: &TestApp, path: &str, body: &Value) -> i64 {
    let response = app.post(path, body, Some(Role::Sales)).await;
    let accepted = ok(&response);
    accepted["position"].as_i64().unwrap()
}

/// Opens a deal on `customer` expected to close on `close`; its id and the position.
async fn open(app: &TestApp, customer: &str, value: Value, close: &str) -> (String, i64) {
    let id = uuid::Uuid::now_v7().to_string();
    let body = json!({
        "id": id, "title": "Calibration of 20 kg weights", "expected_value": value,
        "expected_close": close, "source": "referral"
    });
    let position = command(app, &format!("/customers/{customer}/opportunities"), &body).await;
    (id, position)
}

/// This month in Malaysia (closings are dated by the business day) and the one before.
fn this_and_last_month() -> (String, String) {
    let today = niaga_domain::business_day(Utc::now());
    let first = today.with_day(1).unwrap();
    let before = first.checked_sub_months(Months::new(1)).unwrap();
    (
        first.format("%Y-%m").to_string(),
        before.format("%Y-%m").to_string(),
    )
}

async fn the_report_shows_open_deals_by_stage_and_close_month_and_this_months_closings(
    app: TestApp,
) {
    let _projectors = niaga_projections::runner::spawn_all(app.state.db(), app.state.committed());
    let acme = register(&app).await;
    let beta = register(&app).await;
    open(&app, &acme, myr("12500.00"), "2099-07-31").await;
    let (qualified, _) = open(&app, &acme, myr("3000.50"), "2099-07-15").await;
    let (proposal, _) = open(&app, &beta, money("800.00", "USD"), "2099-08-01").await;
    let (won, _) = open(&app, &beta, myr("4000.00"), "2099-09-30").await;
    let (also_won, _) = open(&app, &acme, myr("1000.00"), "2099-09-30").await;
    let (lost, _) = open(&app, &acme, myr("999.99"), "2099-09-30").await;
    let stage = |customer: &str, deal: &str| format!("/customers/{customer}/opportunities/{deal}");
    command(
        &app,
        &format!("{}/stage", stage(&acme, &qualified)),
        &json!({ "stage": "qualified" }),
    )
    .await;
    command(
        &app,
        &format!("{}/stage", stage(&beta, &proposal)),
        &json!({ "stage": "proposal" }),
    )
    .await;
    command(&app, &format!("{}/win", stage(&beta, &won)), &json!({})).await;
    command(
        &app,
        &format!("{}/win", stage(&acme, &also_won)),
        &json!({}),
    )
    .await;
    let last = command(
        &app,
        &format!("{}/lose", stage(&acme, &lost)),
        &json!({ "reason": "Chose a cheaper lab" }),
    )
    .await;

    let (this_month, last_month) = this_and_last_month();
    let report = ok(&app
        .get(
            &format!("/pipeline?from={last_month}&to={this_month}&min_position={last}"),
            Some(Role::Auditor),
        )
        .await);
    assert_eq!(report["from"], last_month.as_str());
    assert_eq!(report["to"], this_month.as_str());
    assert_eq!(
        report["open_by_stage"],
        json!([
            { "stage": "lead", "count": 1, "by_currency": [
                { "count": 1, "expected_value": myr("12500.00") } ] },
            { "stage": "qualified", "count": 1, "by_currency": [
                { "count": 1, "expected_value": myr("3000.50") } ] },
            { "stage": "proposal", "count": 1, "by_currency": [
                { "count": 1, "expected_value": money("800.00", "USD") } ] },
        ]),
        "{report}"
    );
    assert_eq!(
        report["expected_close_by_month"],
        json!([
            { "month": "2099-07", "count": 2, "by_currency": [
                { "count": 2, "expected_value": myr("15500.50") } ] },
            { "month": "2099-08", "count": 1, "by_currency": [
                { "count": 1, "expected_value": money("800.00", "USD") } ] },
        ]),
        "{report}"
    );
    assert_eq!(
        report["closed_by_month"],
        json!([
            { "month": last_month, "closed": 0, "won": 0, "lost": 0, "won_value": [],
              "win_rate": null },
            { "month": this_month, "closed": 3, "won": 2, "lost": 1,
              "won_value": [myr("5000.00")], "win_rate": "0.6667" },
        ]),
        "{report}"
    );

    // Without a range: a year up to this month.
    let year = ok(&app.get("/pipeline", Some(Role::Finance)).await);
    assert_eq!(year["to"], this_month.as_str());
    assert_eq!(year["closed_by_month"].as_array().unwrap().len(), 12);
    crate::rebuilds::assert_read_models_rebuild_identically(&app).await;
}

async fn the_overview_shows_a_customer_at_a_glance(app: TestApp) {
    let _projectors = niaga_projections::runner::spawn_all(app.state.db(), app.state.committed());
    let acme = register(&app).await;
    let other = register(&app).await;
    let base = format!("/customers/{acme}");
    command(
        &app,
        &format!("{base}/contacts"),
        &json!({ "name": "Siti Aminah", "role": "QA manager", "phone": "012-345 6789" }),
    )
    .await;
    for (at, summary) in [
        ("2026-01-05T03:00:00Z", "Sent the calibration schedule."),
        ("2026-03-02T01:00:00Z", "Asked for a revised quotation."),
        (
            "2026-02-10T06:00:00Z",
            "Written up late: a visit in February.",
        ),
    ] {
        let note = json!({ "kind": "call", "occurred_at": at, "summary": summary });
        command(&app, &format!("{base}/interactions"), &note).await;
    }
    let (later, _) = open(&app, &acme, myr("12500.00"), "2099-07-31").await;
    let (sooner, _) = open(&app, &acme, myr("3000.00"), "2099-07-15").await;
    let (closed, _) = open(&app, &acme, myr("10.00"), "2099-07-15").await;
    command(
        &app,
        &format!("{base}/opportunities/{closed}/win"),
        &json!({}),
    )
    .await;
    open(&app, &other, myr("99.00"), "2099-07-01").await;

    // A quotation and an issued invoice, with part of it paid.
    let line = json!([{
        "description": "Calibration of 20 kg test weight, class M1", "quantity": "2",
        "unit": "C62", "unit_price": myr("350.00"), "tax": { "kind": "service" }
    }]);
    let drafted = app
        .post(
            "/quotations",
            &json!({ "customer_id": acme, "lines": line }),
            Some(Role::Sales),
        )
        .await;
    assert_eq!(drafted.status, StatusCode::CREATED);
    let quotation = drafted.json()["id"].as_str().unwrap().to_owned();
    let drafted = app
        .post(
            "/invoices",
            &json!({ "customer_id": acme, "lines": line, "payment_terms_days": 30 }),
            Some(Role::Finance),
        )
        .await;
    assert_eq!(drafted.status, StatusCode::CREATED);
    let invoice = drafted.json()["id"].as_str().unwrap().to_owned();
    let issued = app
        .post(
            &format!("/invoices/{invoice}/issue"),
            &json!({}),
            Some(Role::Finance),
        )
        .await;
    ok(&issued);
    let paid = app
        .post(
            &format!("/invoices/{invoice}/payments"),
            &json!({ "amount": myr("500.00"), "method": "bank_transfer",
                     "reference": "MBB 889120" }),
            Some(Role::Finance),
        )
        .await;
    let last = ok(&paid)["position"].as_i64().unwrap();

    let overview = ok(&app
        .get(
            &format!("{base}/overview?min_position={last}"),
            Some(Role::Warehouse),
        )
        .await);
    let customer = &overview["customer"];
    assert_eq!(customer["id"], acme.as_str());
    assert_eq!(customer["name"], "Acme Timbang Sdn. Bhd.");
    assert_eq!(customer["tin"], "C25845632020");
    assert_eq!(customer["address"]["city"], "Shah Alam");
    assert_eq!(overview["contacts"]["items"][0]["name"], "Siti Aminah");
    assert_eq!(overview["contacts"]["more"], Value::Null);

    let deals = overview["open_opportunities"]["items"].as_array().unwrap();
    let ids: Vec<&str> = deals.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [sooner.as_str(), later.as_str()], "{overview}");
    assert_eq!(deals[0]["stage"], "lead");
    assert_eq!(deals[0]["expected_value"], myr("3000.00"));
    assert_eq!(deals[0]["expected_close"], "2099-07-15");

    let quotations = overview["quotations"]["items"].as_array().unwrap();
    assert_eq!(quotations.len(), 1, "{overview}");
    assert_eq!(quotations[0]["id"], quotation.as_str());
    assert_eq!(quotations[0]["status"], "draft");
    assert_eq!(quotations[0]["payable"], myr("756.00"));
    let invoices = overview["invoices"]["items"].as_array().unwrap();
    assert_eq!(invoices.len(), 1, "{overview}");
    assert_eq!(invoices[0]["id"], invoice.as_str());
    assert_eq!(invoices[0]["status"], "partly_paid");
    assert_eq!(invoices[0]["total"], myr("756.00"));
    assert_eq!(invoices[0]["outstanding"], myr("256.00"));
    assert_eq!(overview["invoices"]["more"], Value::Null);
    assert_eq!(overview["balance"], json!([myr("256.00")]));

    let last_interaction = &overview["last_interaction"];
    assert_eq!(
        last_interaction["summary"], "Asked for a revised quotation.",
        "the latest by when it happened, not when it was written: {overview}"
    );

    // A customer with nothing yet has empty lists and no balance.
    let quiet = ok(&app
        .get(&format!("/customers/{other}/overview"), Some(Role::Sales))
        .await);
    assert_eq!(quiet["quotations"]["items"], json!([]));
    assert_eq!(quiet["balance"], json!([]));
    assert_eq!(quiet["last_interaction"], Value::Null);
}

async fn refusals_are_problems(app: TestApp) {
    app.get(
        "/customers/0197a000-0000-7000-8000-00000000ffff/overview",
        Some(Role::Sales),
    )
    .await
    .assert_problem(StatusCode::NOT_FOUND, "not-found");
    app.get("/customers/not-a-uuid/overview", Some(Role::Sales))
        .await
        .assert_problem(StatusCode::BAD_REQUEST, "bad-request");
    let customer = register(&app).await;
    app.get(
        &format!("/customers/{customer}/overview?limit=5"),
        Some(Role::Sales),
    )
    .await
    .assert_problem(StatusCode::BAD_REQUEST, "bad-request");

    for (query, pointer) in [
        ("from=2026-13", "/from"),
        ("from=2026-1", "/from"),
        ("to=June", "/to"),
        ("from=2026-07&to=2026-06", "/to"),
        ("from=2020-01&to=2026-06", "/to"),
    ] {
        let problem = app
            .get(&format!("/pipeline?{query}"), Some(Role::Sales))
            .await
            .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation");
        assert_eq!(
            problem["errors"][0]["pointer"], pointer,
            "{query}: {problem}"
        );
    }
    app.get("/pipeline?stage=lead", Some(Role::Sales))
        .await
        .assert_problem(StatusCode::BAD_REQUEST, "bad-request");
    app.get("/pipeline", None)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED, "unauthorized");
    app.get("/pipeline", Some(Role::Integrator))
        .await
        .assert_problem(StatusCode::FORBIDDEN, "forbidden");
    app.get(
        &format!("/customers/{customer}/overview"),
        Some(Role::Integrator),
    )
    .await
    .assert_problem(StatusCode::FORBIDDEN, "forbidden");
}

crate::on_both_backends!(
    the_report_shows_open_deals_by_stage_and_close_month_and_this_months_closings,
    the_overview_shows_a_customer_at_a_glance,
    refusals_are_problems,
);
