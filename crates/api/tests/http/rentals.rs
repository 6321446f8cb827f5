//! Equipment and rentals through the API: units registered and calibrated, a rental reserved,
//! taken out, overdue, charged late fees by the daily job, returned (one unit back-dated),
//! invoiced, its deposit settled and closed; double booking refused; a unit's custody
//! timeline and the overdue list answering who has it, since when, how late, what they owe.

use axum::http::{Method, StatusCode};
use chrono::{Days, NaiveDate, Utc};
use niaga_api::auth::Role;
use niaga_domain::business_day;
use niaga_projections::runner;
use niaga_scheduler::{JobContext, Outcome, Trigger, run_once};
use serde_json::{Value, json};

use crate::{
    customers::register,
    helpers::{TestApp, TestResponse, send_as},
};

fn myr(amount: &str) -> Value {
    json!({ "amount": amount, "currency": "MYR" })
}

fn today() -> NaiveDate {
    business_day(Utc::now())
}

pub fn days_ago(days: u64) -> NaiveDate {
    today().checked_sub_days(Days::new(days)).unwrap()
}

#[track_caller]
fn succeeded(response: &TestResponse) -> Value {
    assert!(
        response.status.is_success(),
        "{}: {}",
        response.status,
        String::from_utf8_lossy(&response.body)
    );
    response.json()
}

async fn post(app: &TestApp, path: &str, body: &Value) -> Value {
    succeeded(&send_as(app, Method::POST, path, body, Role::Warehouse, &[]).await)
}

async fn get(app: &TestApp, path: &str) -> Value {
    succeeded(&app.get(path, Some(Role::Sales)).await)
}

/// A 20 kg M1 weight at RM 25 a day, calibrated a year ago and due in a year: its id.
pub async fn unit(app: &TestApp, serial: &str) -> String {
    let body = json!({
        "serial": serial, "class": "M1", "nominal_mass": "20 kg",
        "rate_card": { "per_day": myr("25.00"), "per_week": myr("120.00"), "per_month": myr("400.00") }
    });
    let id = post(app, "/equipment", &body).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let certificate = json!({
        "certificate": format!("SIRIM-{serial}"),
        "calibrated_on": days_ago(365), "due_on": today().checked_add_days(Days::new(365)).unwrap()
    });
    post(app, &format!("/equipment/{id}/calibrations"), &certificate).await;
    id
}

/// Runs the daily overdue job as of `as_of`; its counts.
async fn overdue_job(app: &TestApp, as_of: NaiveDate) -> Value {
    let ctx = JobContext {
        db: app.state.db().clone(),
        committed: app.state.committed().clone(),
        late_fees: app.state.rental_policy().late_fees,
    };
    let job = niaga_scheduler::find("overdue").unwrap();
    match run_once(job.as_ref(), &ctx, as_of, "test", Trigger::Command)
        .await
        .unwrap()
    {
        Outcome::Ran(run) => serde_json::from_str(&run.counts).unwrap(),
        Outcome::Busy => panic!("nobody else runs the job here"),
    }
}

async fn units_are_registered_once_per_serial_and_calibrated(app: TestApp) {
    let _projectors = runner::spawn_all(app.state.db(), app.state.committed());
    let id = unit(&app, "TW-0001").await;
    let again = json!({
        "serial": "TW-0001", "class": "F1", "nominal_mass": "1 kg",
        "rate_card": { "per_day": myr("5.00"), "per_week": myr("30.00"), "per_month": myr("100.00") }
    });
    let clash = send_as(
        &app,
        Method::POST,
        "/equipment",
        &again,
        Role::Warehouse,
        &[],
    )
    .await;
    let problem = clash.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation");
    assert_eq!(problem["errors"][0]["pointer"], "/serial", "{problem}");
    let invalid = json!({
        "serial": "TW 0002!", "class": "Z9", "nominal_mass": "heavy",
        "rate_card": { "per_day": myr("0.00"), "per_week": myr("30.00"), "per_month": myr("100.00") }
    });
    let problem = send_as(
        &app,
        Method::POST,
        "/equipment",
        &invalid,
        Role::Warehouse,
        &[],
    )
    .await
    .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation");
    let pointers: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pointer"].as_str().unwrap())
        .collect();
    for pointer in ["/serial", "/class", "/nominal_mass", "/rate_card"] {
        assert!(
            pointers.iter().any(|p| p.starts_with(pointer)),
            "{pointer} in {problem}"
        );
    }
    send_as(&app, Method::POST, "/equipment", &again, Role::Auditor, &[])
        .await
        .assert_problem(StatusCode::FORBIDDEN, "forbidden");

    let shown = get(&app, &format!("/equipment/{id}")).await;
    assert_eq!(shown["serial"], "TW-0001");
    assert_eq!(shown["calibration"]["certificate"], "SIRIM-TW-0001");
    assert_eq!(shown["rate_cards"][0]["per_day"], myr("25.00"));
    let late = json!({
        "certificate": "SIRIM-OLD", "calibrated_on": today(), "due_on": days_ago(1)
    });
    let problem = send_as(
        &app,
        Method::POST,
        &format!("/equipment/{id}/calibrations"),
        &late,
        Role::Warehouse,
        &[],
    )
    .await
    .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation");
    assert_eq!(problem["errors"][0]["pointer"], "/due_on");

    let listed = get(&app, "/equipment?serial=TW-0001").await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    assert_eq!(
        listed["items"][0]["calibration_due_on"],
        json!(today().checked_add_days(Days::new(365)).unwrap())
    );
}

async fn a_late_rental_is_charged_once_per_unit_and_day_and_billed_apart(app: TestApp) {
    let _projectors = runner::spawn_all(app.state.db(), app.state.committed());
    let customer = register(&app).await;
    let a = unit(&app, "TW-0101").await;
    let b = unit(&app, "TW-0102").await;
    // Out twenty days ago, due back ten days ago.
    let reserve = json!({
        "customer_id": customer, "unit_ids": [a, b],
        "start_on": days_ago(20), "expected_return_on": days_ago(10),
        "deposit": myr("500.00")
    });
    let rental = post(&app, "/rentals", &reserve).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // The same unit for overlapping days is refused, naming who holds it.
    let overlapping = json!({
        "customer_id": customer, "unit_ids": [b],
        "start_on": days_ago(12), "expected_return_on": days_ago(2)
    });
    let problem = send_as(
        &app,
        Method::POST,
        "/rentals",
        &overlapping,
        Role::Sales,
        &[],
    )
    .await
    .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation");
    assert_eq!(problem["errors"][0]["pointer"], "/unit_ids/0", "{problem}");
    let message = problem["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains(&rental) && message.contains("TW-0102"),
        "{problem}"
    );

    for unit in [&a, &b] {
        let out = json!({ "unit_id": unit, "collected_by": "Ahmad bin Ali", "on": days_ago(20) });
        post(&app, &format!("/rentals/{rental}/check-out"), &out).await;
    }
    let collected = post(
        &app,
        &format!("/rentals/{rental}/deposit/collect"),
        &json!({ "amount": myr("500.00") }),
    )
    .await;

    // Ten days late today, nothing charged yet.
    let overdue = get(
        &app,
        &format!(
            "/rentals/overdue?as_of={}&min_position={}",
            today(),
            collected["position"]
        ),
    )
    .await;
    assert_eq!(overdue.as_array().unwrap().len(), 2, "{overdue}");
    assert_eq!(overdue[0]["days_late"], 10);
    assert_eq!(overdue[0]["collected_by"], "Ahmad bin Ali");
    assert_eq!(overdue[0]["late_fees"], myr("0.00"));

    // The job five days ago: one day's grace, then RM 25 a day from the 2nd to the 5th day
    // late, for each unit. Again the same day: nothing. Then today: the 6th to 10th days.
    let first = overdue_job(&app, days_ago(5)).await;
    assert_eq!(first["fees_charged"], 8, "{first}");
    let again = overdue_job(&app, days_ago(5)).await;
    assert_eq!(again["fees_charged"], 0, "{again}");
    assert_eq!(again["unchanged"], 1, "{again}");
    let today_run = overdue_job(&app, today()).await;
    assert_eq!(today_run["fees_charged"], 10, "{today_run}");
    assert_eq!(today_run["units_overdue"], 2, "{today_run}");

    // B came back eight days ago, recorded only now: its fees after that day are reversed.
    let back = json!({ "unit_id": b, "condition": "good", "on": days_ago(8) });
    let checked_in = post(&app, &format!("/rentals/{rental}/check-in"), &back).await;
    let position = checked_in["position"].as_i64().unwrap();
    let overdue = get(
        &app,
        &format!("/rentals/overdue?as_of={}&min_position={position}", today()),
    )
    .await;
    assert_eq!(overdue.as_array().unwrap().len(), 1, "{overdue}");
    assert_eq!(overdue[0]["unit_id"], json!(a));
    assert_eq!(
        overdue[0]["late_fees"],
        myr("225.00"),
        "nine days, 2nd to 10th"
    );
    let listed = get(&app, &format!("/rentals?min_position={position}")).await;
    assert_eq!(listed["items"][0]["late_fees"], myr("250.00"), "{listed}");
    assert_eq!(listed["items"][0]["units_out"], 1);

    // B's custody: who had it, from when to when, how it came back.
    let custody = get(&app, &format!("/equipment/{b}/custody")).await;
    assert_eq!(custody.as_array().unwrap().len(), 1, "{custody}");
    assert_eq!(custody[0]["status"], "back");
    assert_eq!(custody[0]["out_on"], json!(days_ago(20)));
    assert_eq!(custody[0]["back_on"], json!(days_ago(8)));
    assert_eq!(custody[0]["customer_id"], json!(customer));
    assert_eq!(custody[0]["condition"], "good");

    // Closing waits for A, the deposit and the late fees.
    send_as(
        &app,
        Method::POST,
        &format!("/rentals/{rental}/close"),
        &json!({}),
        Role::Sales,
        &[],
    )
    .await
    .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "units-still-out");
    let damaged = json!({
        "unit_id": a, "condition": "damaged", "damage_charge": myr("150.00"), "note": "Hook bent"
    });
    post(&app, &format!("/rentals/{rental}/check-in"), &damaged).await;

    let fees_invoice = succeeded(
        &send_as(
            &app,
            Method::POST,
            &format!("/rentals/{rental}/late-fee-invoice"),
            &json!({ "payment_terms_days": 14 }),
            Role::Finance,
            &[],
        )
        .await,
    );
    let fees_invoice_id = fees_invoice["id"].as_str().unwrap();
    let invoice = succeeded(
        &app.get(&format!("/invoices/{fees_invoice_id}"), Some(Role::Finance))
            .await,
    );
    assert_eq!(invoice["lines"].as_array().unwrap().len(), 2, "{invoice}");
    send_as(
        &app,
        Method::POST,
        &format!("/rentals/{rental}/late-fee-invoice"),
        &json!({}),
        Role::Finance,
        &[],
    )
    .await
    .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "no-late-fees-to-bill");

    let charges = succeeded(
        &send_as(
            &app,
            Method::POST,
            &format!("/rentals/{rental}/invoice"),
            &json!({}),
            Role::Finance,
            &[],
        )
        .await,
    );
    let charges_id = charges["id"].as_str().unwrap().to_owned();
    assert_ne!(
        charges_id, fees_invoice_id,
        "late fees are a document of their own"
    );
    let invoice = succeeded(
        &app.get(&format!("/invoices/{charges_id}"), Some(Role::Finance))
            .await,
    );
    let descriptions: Vec<&str> = invoice["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["description"].as_str().unwrap())
        .collect();
    assert!(
        descriptions.iter().any(|d| d.contains("TW-0101")),
        "{descriptions:?}"
    );
    assert!(
        descriptions.iter().any(|d| d.contains("Hook bent")),
        "{descriptions:?}"
    );
    // Asked again, it is the same invoice.
    let again = succeeded(
        &send_as(
            &app,
            Method::POST,
            &format!("/rentals/{rental}/invoice"),
            &json!({}),
            Role::Finance,
            &[],
        )
        .await,
    );
    assert_eq!(again["id"], json!(charges_id));

    // The deposit: more than is held cannot be kept; the damage can.
    let problem = send_as(
        &app,
        Method::POST,
        &format!("/rentals/{rental}/deposit/retain"),
        &json!({ "amount": myr("600.00"), "reason": "Hook bent on TW-0101" }),
        Role::Finance,
        &[],
    )
    .await
    .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation");
    assert_eq!(problem["errors"][0]["pointer"], "/amount");
    post(
        &app,
        &format!("/rentals/{rental}/deposit/retain"),
        &json!({ "amount": myr("150.00"), "reason": "Hook bent on TW-0101" }),
    )
    .await;
    post(
        &app,
        &format!("/rentals/{rental}/deposit/refund"),
        &json!({}),
    )
    .await;
    let closed = post(&app, &format!("/rentals/{rental}/close"), &json!({})).await;
    let shown = get(&app, &format!("/rentals/{rental}")).await;
    assert_eq!(shown["status"], "closed");
    assert_eq!(shown["deposit"]["refunded"], myr("350.00"));
    assert_eq!(shown["deposit"]["held"], myr("0.00"));
    let position = closed["position"].as_i64().unwrap();
    let overdue = get(
        &app,
        &format!("/rentals/overdue?as_of={}&min_position={position}", today()),
    )
    .await;
    assert_eq!(overdue, json!([]));
    crate::rebuilds::assert_read_models_rebuild_identically(&app).await;
}

async fn a_unit_on_rental_is_neither_retired_nor_free(app: TestApp) {
    let _projectors = runner::spawn_all(app.state.db(), app.state.committed());
    let customer = register(&app).await;
    let held = unit(&app, "TW-0201").await;
    let free = unit(&app, "TW-0202").await;
    let start = today().checked_add_days(Days::new(3)).unwrap();
    let until = today().checked_add_days(Days::new(10)).unwrap();
    let reserve = json!({
        "customer_id": customer, "unit_ids": [held], "start_on": start, "expected_return_on": until
    });
    let rental = post(&app, "/rentals", &reserve).await;
    let position = rental["position"].as_i64().unwrap();
    let availability = get(
        &app,
        &format!(
            "/equipment/availability?from={}&until={}&min_position={position}",
            today().checked_add_days(Days::new(5)).unwrap(),
            today().checked_add_days(Days::new(6)).unwrap()
        ),
    )
    .await;
    let by_serial = |serial: &str| {
        availability
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["unit"]["serial"] == serial)
            .cloned()
            .unwrap()
    };
    assert_eq!(by_serial("TW-0201")["free"], false);
    assert_eq!(
        by_serial("TW-0201")["held_by"][0]["rental_id"],
        rental["id"]
    );
    assert_eq!(by_serial("TW-0202")["free"], true);
    // Before the rental starts, the unit is free.
    let earlier = get(
        &app,
        &format!(
            "/equipment/availability?from={}&until={}",
            today(),
            today().checked_add_days(Days::new(2)).unwrap()
        ),
    )
    .await;
    assert!(
        earlier
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["free"] == true),
        "{earlier}"
    );
    send_as(
        &app,
        Method::POST,
        &format!("/equipment/{held}/retire"),
        &json!({ "reason": "Worn" }),
        Role::Warehouse,
        &[],
    )
    .await
    .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "unit-on-rental");
    post(
        &app,
        &format!("/equipment/{free}/retire"),
        &json!({ "reason": "Worn" }),
    )
    .await;
    // A retired unit cannot be reserved.
    let retired = json!({
        "customer_id": customer, "unit_ids": [free], "start_on": start, "expected_return_on": until
    });
    let problem = send_as(&app, Method::POST, "/rentals", &retired, Role::Sales, &[])
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation");
    assert_eq!(problem["errors"][0]["pointer"], "/unit_ids", "{problem}");
    let unknown = json!({
        "customer_id": customer, "unit_ids": [held, uuid::Uuid::now_v7()],
        "start_on": start, "expected_return_on": until
    });
    let problem = send_as(&app, Method::POST, "/rentals", &unknown, Role::Sales, &[])
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation");
    assert_eq!(problem["errors"][0]["pointer"], "/unit_ids/1", "{problem}");
    let backwards = get_problem(
        &app,
        &format!(
            "/equipment/availability?from={}&until={}",
            today(),
            days_ago(1)
        ),
    )
    .await;
    assert_eq!(backwards["errors"][0]["pointer"], "/until");
}

async fn get_problem(app: &TestApp, path: &str) -> Value {
    app.get(path, Some(Role::Sales))
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation")
}

crate::on_both_backends!(
    units_are_registered_once_per_serial_and_calibrated,
    a_late_rental_is_charged_once_per_unit_and_day_and_billed_apart,
    a_unit_on_rental_is_neither_retired_nor_free,
);
