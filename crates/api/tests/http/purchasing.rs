//! Suppliers and purchase orders through the API: an order received in three partial
//! deliveries, one line closed short and the order closed, with its delivery variance per
//! line and the supplier's performance for the month; a supplier's own tolerance; and the
//! refusals a buyer or a storekeeper meets, each a problem document with a pointer where a
//! field is at fault.

use axum::http::{Method, StatusCode};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use niaga_api::auth::Role;
use niaga_domain::{
    Actor, Ctx, Money,
    ids::{PurchaseOrderId, SupplierId},
    purchase_order::{DraftPurchaseOrder, OrderLine, PurchaseOrder, PurchaseOrderCommand},
    values::{Quantity, UnitCode},
};
use niaga_projections::runner;
use niaga_store::CommandOptions;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{
    customers::acme,
    helpers::{TestApp, TestResponse, send_as},
};

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

async fn post(app: &TestApp, path: &str, body: &Value, role: Role) -> Value {
    succeeded(&send_as(app, Method::POST, path, body, role, &[]).await)
}

async fn get(app: &TestApp, path: &str) -> Value {
    succeeded(&app.get(path, Some(Role::Auditor)).await)
}

/// The pointer of the only field error of a 422 validation problem.
#[track_caller]
fn pointer(response: &TestResponse) -> String {
    let problem = response.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation");
    problem["errors"][0]["pointer"]
        .as_str()
        .unwrap_or_else(|| panic!("no pointer: {problem}"))
        .to_owned()
}

/// A registered supplier (Acme's details), with `tolerance` of its own if given, in the
/// supplier list: its id.
async fn supplier(app: &TestApp, tolerance: Option<&str>) -> String {
    let body = json!({ "details": acme(), "tolerance_override": tolerance });
    let registered = post(app, "/suppliers", &body, Role::Finance).await;
    get(
        app,
        &format!("/suppliers?min_position={}", registered["position"]),
    )
    .await;
    registered["id"].as_str().unwrap().to_owned()
}

fn line(quantity: &str, unit: &str, price: &str) -> Value {
    json!({
        "description": format!("{quantity} {unit} at {price}"),
        "quantity": quantity, "unit": unit,
        "unit_price": { "amount": price, "currency": "MYR" }
    })
}

/// Drafts and sends an order of `lines` to `supplier` through the API, promised `promised_on`:
/// its id.
async fn order(app: &TestApp, supplier: &str, lines: Value, promised_on: NaiveDate) -> String {
    let body = json!({ "supplier_id": supplier, "lines": lines, "promised_on": promised_on });
    let id = post(app, "/purchase-orders", &body, Role::Finance).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let sent = post(
        app,
        &format!("/purchase-orders/{id}/send"),
        &json!(null),
        Role::Finance,
    )
    .await;
    assert!(
        sent["number"].as_str().unwrap().starts_with("PO-"),
        "{sent}"
    );
    id
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// 09:00 in Kuala Lumpur on `day`.
fn morning(day: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(1, 0, 0).unwrap())
}

/// An order drafted on `drafted_on` (so deliveries may be recorded from that day on), as the
/// buyer would have drafted it through the API then: its id.
async fn drafted_back_then(
    app: &TestApp,
    supplier: &str,
    lines: &[(&str, &str, &str)],
    promised_on: NaiveDate,
    drafted_on: NaiveDate,
) -> String {
    let id = PurchaseOrderId::from_uuid(Uuid::now_v7());
    let command = PurchaseOrderCommand::Draft(DraftPurchaseOrder {
        id,
        supplier_id: SupplierId::from_uuid(supplier.parse().unwrap()),
        currency: niaga_domain::Currency::MYR,
        lines: lines
            .iter()
            .map(|(quantity, unit, price)| OrderLine {
                item_code: None,
                description: format!("{quantity} {unit}"),
                quantity: Quantity::parse(quantity).unwrap(),
                unit: UnitCode::parse(unit).unwrap(),
                unit_price: Money::myr(price.parse().unwrap()),
            })
            .collect(),
        promised_on,
    });
    let ctx = Ctx::new(
        morning(drafted_on),
        Actor::User(Uuid::nil()),
        Uuid::now_v7(),
    );
    app.state
        .commands::<PurchaseOrder>()
        .execute(&id.to_string(), &command, &ctx, &CommandOptions::default())
        .await
        .unwrap();
    id.to_string()
}

/// One delivery of `lines` (`(line, quantity)`) on `on`: the global position written.
async fn receive(app: &TestApp, id: &str, on: NaiveDate, lines: &[(u16, &str)]) -> i64 {
    let body = json!({
        "received_on": on, "receiver": "Ahmad bin Ali",
        // Text COPY must escape (a line break, a tab, a backslash): the rebuild check at the
        // end of the flow copies it into PostgreSQL and back.
        "note": "Carton 3 dented\n\tseen by stores at C:\\bay 2",
        "lines": lines.iter().map(|(line, quantity)| json!({ "line": line, "quantity": quantity })).collect::<Vec<_>>()
    });
    let accepted = post(
        app,
        &format!("/purchase-orders/{id}/receipts"),
        &body,
        Role::Warehouse,
    )
    .await;
    accepted["position"].as_i64().unwrap()
}

async fn listed(app: &TestApp, id: &str, position: i64) -> Value {
    let page = get(
        app,
        &format!("/purchase-orders?min_position={position}&limit=200"),
    )
    .await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == id)
        .unwrap_or_else(|| panic!("{id} not listed: {page}"))
        .clone()
}

async fn a_purchase_order_received_in_three_partial_deliveries_shows_its_variance_and_the_supplier_performance(
    app: TestApp,
) {
    let _projectors = runner::spawn_all(app.state.db(), app.state.committed());
    let supplier = supplier(&app, None).await;
    // Promised for 20 January; drafted on the 5th. Line 1: 100 weights, line 2: 50 kg of
    // brass, line 3: 10 cases.
    let id = drafted_back_then(
        &app,
        &supplier,
        &[
            ("100", "H87", "10.00"),
            ("50", "KGM", "2.50"),
            ("10", "H87", "100.00"),
        ],
        day(2026, 1, 20),
        day(2026, 1, 5),
    )
    .await;
    let drafted = get(&app, &format!("/purchase-orders/{id}")).await;
    assert_eq!(drafted["status"], "draft");
    assert_eq!(drafted["total"]["amount"], "2125.00", "{drafted}");
    // Nothing arrives on an order the supplier never got.
    send_as(
        &app,
        Method::POST,
        &format!("/purchase-orders/{id}/receipts"),
        &json!({ "receiver": "Ahmad bin Ali", "lines": [{ "line": 1, "quantity": "1" }] }),
        Role::Warehouse,
        &[],
    )
    .await
    .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "purchase-order-not-sent");
    let sent = post(
        &app,
        &format!("/purchase-orders/{id}/send"),
        &json!(null),
        Role::Finance,
    )
    .await;
    let number = sent["number"].as_str().unwrap().to_owned();
    let row = listed(&app, &id, sent["position"].as_i64().unwrap()).await;
    assert_eq!(
        (&row["status"], &row["receipt_status"], &row["number"]),
        (&json!("sent"), &json!("not_received"), &json!(number))
    );
    assert_eq!(row["supplier_name"], "Acme Timbang Sdn. Bhd.");
    assert_eq!(row["promised_on"], "2026-01-20");
    assert_eq!(
        row["total"],
        json!({ "amount": "2125.00", "currency": "MYR" })
    );

    // 10 January, on time: 40 weights and 20 kg.
    let at = receive(&app, &id, day(2026, 1, 10), &[(1, "40"), (2, "20")]).await;
    let row = listed(&app, &id, at).await;
    assert_eq!(row["receipt_status"], "partly_received", "{row}");
    // 22 January, 2 days late: 40 weights and 10 kg.
    receive(&app, &id, day(2026, 1, 22), &[(1, "40"), (2, "10")]).await;
    // 27 January, 7 days late: 25 weights (5 over: exactly the 5 % tolerance) and 12 cases
    // (2 over: 20 %, beyond it).
    receive(&app, &id, day(2026, 1, 27), &[(1, "25"), (3, "12")]).await;
    // The rest of the brass will never come: 30 of 50 kg is 40 % short.
    let short = post(
        &app,
        &format!("/purchase-orders/{id}/lines/2/short-close"),
        &json!({ "reason": "Maker discontinued this alloy" }),
        Role::Finance,
    )
    .await;
    let row = listed(&app, &id, short["position"].as_i64().unwrap()).await;
    assert_eq!(row["receipt_status"], "short_closed", "{row}");

    let variance = get(
        &app,
        &format!(
            "/purchase-orders/{id}/variance?min_position={}",
            short["position"]
        ),
    )
    .await;
    let lines = variance["lines"].as_array().unwrap();
    let tolerance = json!({ "version": 1, "percent": "5" });
    let expected = [
        // line, ordered, received, short-closed, difference, percent, status, assessment,
        // flagged, days late
        (
            1,
            "100",
            "105",
            "0",
            "5",
            "5",
            "over_received",
            "over_within_tolerance",
            false,
            7,
        ),
        (
            2,
            "50",
            "30",
            "20",
            "-20",
            "-40",
            "short_closed",
            "under_tolerance",
            true,
            2,
        ),
        (
            3,
            "10",
            "12",
            "0",
            "2",
            "20",
            "over_received",
            "over_tolerance",
            true,
            7,
        ),
    ];
    assert_eq!(lines.len(), 3, "{variance}");
    for (l, row) in expected.iter().zip(lines) {
        let got = (
            row["line"].as_i64().unwrap(),
            row["ordered"].as_str().unwrap(),
            row["received"].as_str().unwrap(),
            row["short_closed"].as_str().unwrap(),
            row["difference"].as_str().unwrap(),
            row["percent"].as_str().unwrap(),
            row["status"].as_str().unwrap(),
            row["assessment"].as_str().unwrap(),
            row["flagged"].as_bool().unwrap(),
            row["days_late"].as_i64().unwrap(),
        );
        assert_eq!(got, *l, "{row}");
        assert_eq!(row["tolerance"], tolerance, "{row}");
    }
    let deliveries: Vec<(&str, i64, bool)> = variance["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["received_on"].as_str().unwrap(),
                d["days_late"].as_i64().unwrap(),
                d["flagged"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        deliveries,
        [
            ("2026-01-10", 0, false),
            ("2026-01-22", 2, true),
            ("2026-01-27", 7, true)
        ]
    );
    // Two late deliveries (one with a line over) and the short-close.
    assert_eq!(variance["order"]["variance_flags"], 3, "{variance}");
    assert_eq!(variance["order"]["max_days_late"], 7);
    assert_eq!(variance["order"]["deliveries"], 3);
    assert_eq!(variance["tolerance"], tolerance);

    // Every line is in or closed short: the order closes without a reason.
    let closed = post(
        &app,
        &format!("/purchase-orders/{id}/close"),
        &json!({}),
        Role::Finance,
    )
    .await;
    let row = listed(&app, &id, closed["position"].as_i64().unwrap()).await;
    assert_eq!(
        (&row["status"], &row["receipt_status"]),
        (&json!("closed"), &json!("closed"))
    );
    let order = get(&app, &format!("/purchase-orders/{id}")).await;
    assert_eq!(order["status"], "closed");
    assert_eq!(order["receipts"].as_array().unwrap().len(), 3);
    assert_eq!(order["lines"][1]["status"], "short_closed");
    assert_eq!(order["lines"][0]["received"], "105");

    // January: 1 of 3 deliveries on time, (0 + 2 + 7) / 3 = 3 days late on average, 147 of
    // the 160 ordered received (91.875 %). February: nothing.
    let performance = get(
        &app,
        &format!(
            "/suppliers/{supplier}/performance?from=2026-01&to=2026-02&min_position={}",
            closed["position"]
        ),
    )
    .await;
    assert_eq!(performance["supplier_id"], supplier.as_str());
    assert_eq!(
        performance["months"],
        json!([
            {
                "month": "2026-01", "deliveries": 3, "on_time": 1, "late": 2,
                "total_days_late": 9, "on_time_rate": "33.33", "average_days_late": "3",
                "ordered": "160", "received": "147", "fill_rate": "91.88"
            },
            {
                "month": "2026-02", "deliveries": 0, "on_time": 0, "late": 0,
                "total_days_late": 0, "on_time_rate": null, "average_days_late": null,
                "ordered": "0", "received": "0", "fill_rate": null
            }
        ])
    );
    crate::rebuilds::assert_read_models_rebuild_identically(&app).await;
}

async fn a_supplier_with_its_own_tolerance_has_its_deliveries_judged_against_it(app: TestApp) {
    let _projectors = runner::spawn_all(app.state.db(), app.state.committed());
    let supplier = supplier(&app, Some("10")).await;
    let read = app
        .get(&format!("/suppliers/{supplier}"), Some(Role::Warehouse))
        .await;
    let etag = read.header("etag").to_owned();
    let read = succeeded(&read);
    assert_eq!(
        read["delivery_tolerance"],
        json!({ "percent": "10", "version": 0, "source": "supplier" })
    );
    assert_eq!(read["details"]["tin"], "C25845632020");

    // 108 of 100 is within this supplier's 10 %, beyond the company's 5 %.
    let today = niaga_domain::business_day(Utc::now());
    let id = order(&app, &supplier, json!([line("100", "H87", "1.00")]), today).await;
    let at = receive(&app, &id, today, &[(1, "108")]).await;
    let variance = get(
        &app,
        &format!("/purchase-orders/{id}/variance?min_position={at}"),
    )
    .await;
    assert_eq!(variance["lines"][0]["assessment"], "over_within_tolerance");
    assert_eq!(
        variance["lines"][0]["tolerance"],
        json!({ "version": 0, "percent": "10" })
    );
    assert_eq!(variance["deliveries"][0]["flagged"], false);

    // Back to the company default, with If-Match: a stale version is refused.
    let patched = send_as(
        &app,
        Method::PATCH,
        &format!("/suppliers/{supplier}"),
        &json!({ "tolerance_override": null }),
        Role::Finance,
        &[("if-match", etag.as_str())],
    )
    .await;
    let patched = succeeded(&patched);
    send_as(
        &app,
        Method::PATCH,
        &format!("/suppliers/{supplier}"),
        &json!({ "tolerance_override": "3" }),
        Role::Finance,
        &[("if-match", etag.as_str())],
    )
    .await
    .assert_problem(StatusCode::PRECONDITION_FAILED, "version-conflict");
    let read = get(&app, &format!("/suppliers/{supplier}")).await;
    assert_eq!(
        read["delivery_tolerance"],
        json!({ "percent": "5", "version": 1, "source": "company" })
    );
    assert_eq!(read["tolerance_override"], Value::Null);
    let page = get(
        &app,
        &format!(
            "/suppliers?tin=c25845632020&min_position={}",
            patched["position"]
        ),
    )
    .await;
    assert_eq!(page["items"][0]["id"], supplier.as_str(), "{page}");
    assert_eq!(page["items"][0]["tolerance_override"], Value::Null);
}

async fn purchasing_refusals_are_problems_with_pointers(app: TestApp) {
    let _projectors = runner::spawn_all(app.state.db(), app.state.committed());
    let today = niaga_domain::business_day(Utc::now());
    // Suppliers: every invalid field at once, under `details`.
    let mut details = acme();
    details["tin"] = json!("nonsense");
    let problem = send_as(
        &app,
        Method::POST,
        "/suppliers",
        &json!({ "details": details, "tolerance_override": "101" }),
        Role::Finance,
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
    assert_eq!(
        pointers,
        ["/details/tin", "/tolerance_override"],
        "{problem}"
    );
    // Sales does not buy; the auditor changes nothing.
    for role in [Role::Sales, Role::Auditor, Role::Warehouse] {
        send_as(
            &app,
            Method::POST,
            "/suppliers",
            &json!({ "details": acme() }),
            role,
            &[],
        )
        .await
        .assert_problem(StatusCode::FORBIDDEN, "forbidden");
    }
    let supplier = supplier(&app, None).await;

    // An order to nobody.
    let nobody = json!({
        "supplier_id": Uuid::now_v7(), "lines": [line("1", "H87", "1.00")], "promised_on": today
    });
    let response = send_as(
        &app,
        Method::POST,
        "/purchase-orders",
        &nobody,
        Role::Finance,
        &[],
    )
    .await;
    assert_eq!(pointer(&response), "/supplier_id");
    let bad_line = json!({
        "supplier_id": supplier, "lines": [line("0", "H87", "1.00")], "promised_on": today
    });
    let response = send_as(
        &app,
        Method::POST,
        "/purchase-orders",
        &bad_line,
        Role::Finance,
        &[],
    )
    .await;
    assert_eq!(pointer(&response), "/lines/0/quantity");
    let response = send_as(
        &app,
        Method::POST,
        "/purchase-orders",
        &json!({ "supplier_id": supplier, "lines": [], "promised_on": today }),
        Role::Finance,
        &[],
    )
    .await;
    assert_eq!(pointer(&response), "/lines");
    send_as(
        &app,
        Method::POST,
        "/purchase-orders",
        &json!({ "supplier_id": supplier, "lines": [line("1", "H87", "1.00")], "promised_on": today }),
        Role::Sales,
        &[],
    )
    .await
    .assert_problem(StatusCode::FORBIDDEN, "forbidden");

    let id = order(
        &app,
        &supplier,
        json!([line("10", "H87", "5.00"), line("4", "H87", "5.00")]),
        today,
    )
    .await;
    let receipts = format!("/purchase-orders/{id}/receipts");
    let receipt = |lines: Value| json!({ "receiver": "Ahmad bin Ali", "lines": lines });
    // Finance does not sign for deliveries.
    send_as(
        &app,
        Method::POST,
        &receipts,
        &receipt(json!([{ "line": 1, "quantity": "1" }])),
        Role::Finance,
        &[],
    )
    .await
    .assert_problem(StatusCode::FORBIDDEN, "forbidden");
    for (lines, at) in [
        (json!([{ "line": 9, "quantity": "1" }]), "/lines/0/line"),
        (json!([{ "line": 0, "quantity": "1" }]), "/lines/0/line"),
        (
            json!([{ "line": 1, "quantity": "1" }, { "line": 1, "quantity": "1" }]),
            "/lines/1/line",
        ),
        (
            json!([{ "line": 1, "quantity": "-1" }]),
            "/lines/0/quantity",
        ),
        (json!([]), "/lines"),
    ] {
        let response = send_as(
            &app,
            Method::POST,
            &receipts,
            &receipt(lines),
            Role::Warehouse,
            &[],
        )
        .await;
        assert_eq!(pointer(&response), at);
    }
    let tomorrow = today.succ_opt().unwrap();
    let response = send_as(
        &app,
        Method::POST,
        &receipts,
        &json!({ "receiver": "Ahmad", "received_on": tomorrow, "lines": [{ "line": 1, "quantity": "1" }] }),
        Role::Warehouse,
        &[],
    )
    .await;
    assert_eq!(pointer(&response), "/received_on");

    // Over-receipt is accepted and flagged beyond tolerance; beyond what a quantity can hold
    // it is refused, never a 500.
    let at = receive(&app, &id, today, &[(1, "30")]).await;
    let variance = get(
        &app,
        &format!("/purchase-orders/{id}/variance?min_position={at}"),
    )
    .await;
    assert_eq!(variance["lines"][0]["assessment"], "over_tolerance");
    assert_eq!(variance["lines"][0]["flagged"], true);
    assert_eq!(variance["lines"][0]["percent"], "200");
    let huge = "79228162514264337593543950335";
    receive(&app, &id, today, &[(2, huge)]).await;
    send_as(
        &app,
        Method::POST,
        &receipts,
        &receipt(json!([{ "line": 2, "quantity": huge }])),
        Role::Warehouse,
        &[],
    )
    .await
    .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "quantity-too-large");

    // Short-closing a line the order does not have, or line 0.
    for line in [9, 0] {
        let response = send_as(
            &app,
            Method::POST,
            &format!("/purchase-orders/{id}/lines/{line}/short-close"),
            &json!({ "reason": "Never coming" }),
            Role::Finance,
            &[],
        )
        .await;
        assert_eq!(pointer(&response), "/line");
    }
    // A line received in full has nothing to close short.
    let response = send_as(
        &app,
        Method::POST,
        &format!("/purchase-orders/{id}/lines/1/short-close"),
        &json!({ "reason": "Never coming" }),
        Role::Finance,
        &[],
    )
    .await;
    assert_eq!(pointer(&response), "/line");

    // What the supplier started delivering is no longer amended.
    send_as(
        &app,
        Method::PATCH,
        &format!("/purchase-orders/{id}"),
        &json!({ "promised_on": tomorrow }),
        Role::Finance,
        &[],
    )
    .await
    .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "amend-after-receipt");

    // A second order, amended while nothing arrived: a new revision; then short of one line,
    // it closes only when forced.
    let other = order(&app, &supplier, json!([line("10", "H87", "5.00")]), today).await;
    let amended = post_patch(
        &app,
        &format!("/purchase-orders/{other}"),
        &json!({ "lines": [line("12", "H87", "5.00")] }),
    )
    .await;
    assert_eq!(amended["version"], 3);
    let read = get(&app, &format!("/purchase-orders/{other}")).await;
    assert_eq!(read["revision"], 2);
    assert_eq!(read["lines"][0]["quantity"], "12");
    receive(&app, &other, today, &[(1, "6")]).await;
    let close = format!("/purchase-orders/{other}/close");
    send_as(&app, Method::POST, &close, &json!({}), Role::Finance, &[])
        .await
        .assert_problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "purchase-order-not-complete",
        );
    let closed = post(
        &app,
        &close,
        &json!({ "force_reason": "Supplier is out of stock until next year" }),
        Role::Finance,
    )
    .await;
    let variance = get(
        &app,
        &format!(
            "/purchase-orders/{other}/variance?min_position={}",
            closed["position"]
        ),
    )
    .await;
    assert_eq!(variance["order"]["receipt_status"], "closed");
    assert_eq!(variance["lines"][0]["short_closed"], "6");
    assert_eq!(variance["lines"][0]["assessment"], "under_tolerance");
    send_as(
        &app,
        Method::POST,
        &receipts.replace(&id, &other),
        &receipt(json!([{ "line": 1, "quantity": "1" }])),
        Role::Warehouse,
        &[],
    )
    .await
    .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "purchase-order-closed");

    // Unknown orders and suppliers, malformed months.
    let unknown = Uuid::now_v7();
    for path in [
        format!("/purchase-orders/{unknown}"),
        format!("/purchase-orders/{unknown}/variance"),
        format!("/suppliers/{unknown}"),
        format!("/suppliers/{unknown}/performance?from=2026-01&to=2026-01"),
    ] {
        app.get(&path, Some(Role::Sales))
            .await
            .assert_problem(StatusCode::NOT_FOUND, "not-found");
    }
    send_as(
        &app,
        Method::POST,
        &format!("/purchase-orders/{unknown}/receipts"),
        &receipt(json!([{ "line": 1, "quantity": "1" }])),
        Role::Warehouse,
        &[],
    )
    .await
    .assert_problem(StatusCode::NOT_FOUND, "not-found");
    let performance = format!("/suppliers/{supplier}/performance");
    for (query, at) in [
        ("from=2026-13&to=2026-12", "/from"),
        ("from=2026-1&to=2026-12", "/from"),
        ("from=2026-03&to=2026-02", "/to"),
        ("from=2020-01&to=2026-01", "/to"),
    ] {
        let response = app
            .get(&format!("{performance}?{query}"), Some(Role::Sales))
            .await;
        assert_eq!(pointer(&response), at, "{query}");
    }
}

async fn post_patch(app: &TestApp, path: &str, body: &Value) -> Value {
    succeeded(&send_as(app, Method::PATCH, path, body, Role::Finance, &[]).await)
}

crate::on_both_backends!(
    a_purchase_order_received_in_three_partial_deliveries_shows_its_variance_and_the_supplier_performance,
    a_supplier_with_its_own_tolerance_has_its_deliveries_judged_against_it,
    purchasing_refusals_are_problems_with_pointers,
);
