//! `GET /receivables` as staff see it, and the auditor's `GET /audit/receivables` folded from
//! the events: the two agree, and what is recorded after the day looked at does not change
//! the auditor's answer for it.

use std::time::Duration;

use axum::http::{Method, StatusCode};
use chrono::{DateTime, Datelike, Days, NaiveDate, TimeZone, Utc};
use niaga_api::auth::Role;
use niaga_domain::{
    Actor, Ctx, Money, business_day,
    customer::{Customer, CustomerCommand},
    ids::{CustomerId, InvoiceId, PaymentId},
    invoice::{
        CancelInvoice, DocumentKind, DocumentNumber, Invoice, InvoiceCommand, IssueInvoice,
        PaymentMethod, RecordPayment,
    },
    testing::{sample_company, sample_invoice},
};
use niaga_projections::{customer_list, receivables, runner};
use niaga_store::{CommandOptions, NumberSeries};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{
    customers::{acme, register},
    helpers::{TestApp, TestResponse, send_as},
};

fn myr(amount: &str) -> Value {
    json!({ "amount": amount, "currency": "MYR" })
}

#[track_caller]
fn ok(response: &TestResponse) -> Value {
    assert_eq!(
        response.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&response.body)
    );
    response.json()
}

async fn post(app: &TestApp, path: &str, body: &Value) -> Value {
    let response = send_as(app, Method::POST, path, body, Role::Finance, &[]).await;
    assert!(
        response.status.is_success(),
        "{path}: {}",
        String::from_utf8_lossy(&response.body)
    );
    response.json()
}

/// The buckets of one currency, in the answer's shape.
fn aged(current: &str, days_1_30: &str, total: &str) -> Value {
    json!({
        "currency": "MYR",
        "current": myr(current),
        "days_1_30": myr(days_1_30),
        "days_31_60": myr("0.00"),
        "days_61_90": myr("0.00"),
        "over_90": myr("0.00"),
        "total": myr(total),
    })
}

/// `aged(…)` for one customer.
fn customer_row(id: &str, name: &str, amounts: Value) -> Value {
    let mut row = amounts;
    row["customer_id"] = json!(id);
    row["customer_name"] = json!(name);
    row
}

/// An issued invoice of one calibration and one case for `customer`, due in 30 days: its id,
/// what it owes, and the position of its issue.
async fn issued_invoice(app: &TestApp, customer: &str) -> (String, String, i64) {
    let lines = json!([
        {
            "description": "Calibration of 20 kg test weight, class M1",
            "quantity": "1", "unit": "C62", "unit_price": myr("350.00"),
            "tax": { "kind": "service" }
        },
        {
            "description": "Carrying case for 20 kg weights",
            "quantity": "1", "unit": "H87", "unit_price": myr("120.00"),
            "tax": { "kind": "goods_resale" }
        }
    ]);
    let body = json!({ "customer_id": customer, "lines": lines, "payment_terms_days": 30 });
    let id = post(app, "/invoices", &body).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let issued = post(app, &format!("/invoices/{id}/issue"), &json!({})).await;
    let invoice = ok(&app
        .get(&format!("/invoices/{id}"), Some(Role::Finance))
        .await);
    let owes = invoice["account"]["outstanding"]["amount"]
        .as_str()
        .unwrap()
        .to_owned();
    (id, owes, issued["position"].as_i64().unwrap())
}

async fn staff_see_what_each_customer_owes_by_how_late(app: TestApp) {
    let _projectors = runner::spawn_all(app.state.db(), app.state.committed());
    let acme_id = register(&app).await;
    let mut other = acme();
    other["name"] = json!("Syarikat Neraca Jaya");
    let created = app.post("/customers", &other, Some(Role::Sales)).await;
    assert_eq!(created.status, StatusCode::CREATED);
    let other_id = created.json()["id"].as_str().unwrap().to_owned();
    let (invoice, owes, _) = issued_invoice(&app, &acme_id).await;
    assert_eq!(owes, "498.00");
    post(
        &app,
        &format!("/invoices/{invoice}/payments"),
        &json!({ "amount": myr("100.00"), "method": "bank_transfer" }),
    )
    .await;
    let (_, other_owes, position) = issued_invoice(&app, &other_id).await;

    // Read-your-writes: the amounts wait for `min_position`; the names come from the
    // customer list, which the test waits for as a client would retry.
    runner::wait_for(
        app.state.db(),
        customer_list::NAME,
        position,
        Duration::from_secs(10),
    )
    .await
    .unwrap();
    let today = business_day(Utc::now());
    let now = ok(&app
        .get(
            &format!("/receivables?min_position={position}"),
            Some(Role::Sales),
        )
        .await);
    let acme_row = customer_row(
        &acme_id,
        "Acme Timbang Sdn. Bhd.",
        aged("398.00", "0.00", "398.00"),
    );
    let other_row = customer_row(
        &other_id,
        "Syarikat Neraca Jaya",
        aged(&other_owes, "0.00", &other_owes),
    );
    assert_eq!(
        now,
        json!({
            "as_of": today.to_string(),
            "totals": [aged("896.00", "0.00", "896.00")],
            "customers": [acme_row, other_row],
        })
    );

    // 45 days on, both invoices are 15 days late; one customer asked for, one shown.
    let later = today.checked_add_days(Days::new(45)).unwrap();
    let acme_later = ok(&app
        .get(
            &format!("/receivables?as_of={later}&customer_id={acme_id}"),
            Some(Role::Finance),
        )
        .await);
    let late = customer_row(
        &acme_id,
        "Acme Timbang Sdn. Bhd.",
        aged("0.00", "398.00", "398.00"),
    );
    assert_eq!(
        acme_later,
        json!({
            "as_of": later.to_string(),
            "totals": [aged("0.00", "398.00", "398.00")],
            "customers": [late],
        })
    );

    // The day before, nothing had been issued.
    let yesterday = today.pred_opt().unwrap();
    let before = ok(&app
        .get(
            &format!("/receivables?as_of={yesterday}"),
            Some(Role::Auditor),
        )
        .await);
    assert_eq!(before["totals"], json!([]));
    assert_eq!(before["customers"], json!([]));

    for bad in ["2026-02-30", "31/03/2026", "2026-3-1", "today"] {
        let problem = app
            .get(&format!("/receivables?as_of={bad}"), Some(Role::Sales))
            .await
            .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation");
        assert_eq!(problem["errors"][0]["pointer"], "/as_of", "{bad}");
    }
    app.get("/receivables?customer=x", Some(Role::Sales))
        .await
        .assert_problem(StatusCode::BAD_REQUEST, "bad-request");
    app.get("/receivables", Some(Role::Integrator))
        .await
        .assert_problem(StatusCode::FORBIDDEN, "forbidden");
    app.get("/receivables", None)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED, "unauthorized");
}

/// 10:00 on `day` in Kuala Lumpur.
fn morning(day: &str) -> DateTime<Utc> {
    let day = NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
    Utc.from_utc_datetime(&day.and_hms_opt(2, 0, 0).unwrap())
}

/// Books kept through the command pipeline on chosen days, so events are recorded then.
struct Books<'a> {
    app: &'a TestApp,
    ctx: Ctx,
    last: i64,
}

impl Books<'_> {
    fn on(&mut self, day: &str) {
        self.ctx = Ctx::new(morning(day), Actor::User(Uuid::nil()), Uuid::now_v7());
    }

    async fn customer(&mut self, name: &str) -> CustomerId {
        let id = CustomerId::from_uuid(Uuid::now_v7());
        let register = sample_company(id, name, "C25845632020").unwrap();
        let outcome = self
            .app
            .state
            .commands::<Customer>()
            .execute(
                &id.to_string(),
                &CustomerCommand::Register(register),
                &self.ctx,
                &CommandOptions::default(),
            )
            .await
            .unwrap();
        self.last = outcome.position.unwrap();
        id
    }

    async fn run(&mut self, id: InvoiceId, command: InvoiceCommand) {
        let outcome = self
            .app
            .state
            .commands::<Invoice>()
            .execute(
                &id.to_string(),
                &command,
                &self.ctx,
                &CommandOptions::default(),
            )
            .await
            .unwrap();
        self.last = outcome.position.unwrap();
    }

    async fn issue(&mut self, customer: CustomerId) -> InvoiceId {
        let id = InvoiceId::from_uuid(Uuid::now_v7());
        self.run(
            id,
            InvoiceCommand::Draft(sample_invoice(id, customer).unwrap()),
        )
        .await;
        let year = self.ctx.business_day().year();
        let series = NumberSeries::new(DocumentKind::Invoice.series(), year);
        let outcome = self
            .app
            .state
            .commands::<Invoice>()
            .execute_numbered(
                &id.to_string(),
                &series,
                &|n| {
                    DocumentNumber::new(DocumentKind::Invoice, year, n)
                        .ok()
                        .map(|number| {
                            InvoiceCommand::Issue(IssueInvoice {
                                number,
                                einvoice: niaga_domain::invoice::EInvoiceChoice::Individual,
                                exchange_rate: None,
                            })
                        })
                },
                &self.ctx,
                &CommandOptions::default(),
            )
            .await
            .unwrap();
        self.last = outcome.position.unwrap();
        id
    }

    async fn pay(&mut self, id: InvoiceId, amount: &str, received_on: &str) {
        let payment = RecordPayment {
            payment_id: PaymentId::from_uuid(Uuid::now_v7()),
            amount: Money::parse(amount, "MYR").unwrap(),
            method: PaymentMethod::Cash,
            reference: None,
            received_on: NaiveDate::parse_from_str(received_on, "%Y-%m-%d").unwrap(),
        };
        self.run(id, InvoiceCommand::RecordPayment(payment)).await;
    }

    /// Both answers for `as_of`, once the read models have all the books.
    async fn both(&self, as_of: &str) -> (Value, Value) {
        for projection in [receivables::NAME, customer_list::NAME] {
            runner::wait_for(
                self.app.state.db(),
                projection,
                self.last,
                Duration::from_secs(10),
            )
            .await
            .unwrap();
        }
        let read_model = ok(&self
            .app
            .get(&format!("/receivables?as_of={as_of}"), Some(Role::Auditor))
            .await);
        let audit = ok(&self
            .app
            .get(
                &format!("/audit/receivables?as_of={as_of}"),
                Some(Role::Auditor),
            )
            .await);
        (read_model, audit)
    }
}

async fn the_auditor_folds_the_same_aging_from_the_events_as_recorded_by_then(app: TestApp) {
    let _projectors = runner::spawn_all(app.state.db(), app.state.committed());
    let mut books = Books {
        app: &app,
        ctx: niaga_domain::testing::test_ctx(),
        last: 0,
    };
    books.on("2026-01-05");
    let acme = books.customer("Acme Timbang Sdn. Bhd.").await;
    let neraca = books.customer("Syarikat Neraca Jaya").await;
    // Due 4 February: 34 days late on 10 March.
    let old = books.issue(acme).await;
    books.on("2026-03-02");
    let part_paid = books.issue(acme).await;
    let cancelled = books.issue(neraca).await;
    let open = books.issue(neraca).await;
    books.on("2026-03-03");
    books
        .run(
            cancelled,
            InvoiceCommand::Cancel(CancelInvoice {
                reason: "Issued to the wrong branch".into(),
            }),
        )
        .await;
    books.on("2026-03-09");
    books.pay(part_paid, "100.00", "2026-03-09").await;
    books.pay(old, "200.00", "2026-03-09").await;

    let (read_model, audit) = books.both("2026-03-10").await;
    assert_eq!(read_model, audit);
    assert_eq!(read_model["customers"].as_array().unwrap().len(), 2);
    assert_eq!(read_model["customers"][0]["customer_id"], acme.to_string());
    assert_eq!(
        read_model["customers"][0]["customer_name"],
        "Acme Timbang Sdn. Bhd."
    );
    assert_eq!(
        read_model["customers"][1]["customer_name"],
        "Syarikat Neraca Jaya"
    );
    // Acme's January invoice, less its payment, is 34 days late; the rest is current.
    assert_ne!(
        read_model["customers"][0]["days_31_60"],
        myr("0.00"),
        "{read_model}"
    );
    assert_ne!(
        read_model["customers"][0]["current"],
        myr("0.00"),
        "{read_model}"
    );

    // Recorded after the 10th: a payment received on the 12th, and one received on the 9th
    // but keyed in on the 12th. The auditor's 10 March is what the books said then.
    books.on("2026-03-12");
    books.pay(part_paid, "50.00", "2026-03-12").await;
    books.pay(open, "70.00", "2026-03-09").await;
    let (read_model_after, audit_after) = books.both("2026-03-10").await;
    assert_eq!(audit_after, audit);
    // The read model dates entries as the statement does: the payment received on the 9th
    // counts for the 10th, however late it was recorded.
    let neraca_then = &read_model["customers"][1]["total"]["amount"];
    let neraca_now = &read_model_after["customers"][1]["total"]["amount"];
    let less = |amount: &Value, by: &str| {
        let amount = Money::parse(amount.as_str().unwrap(), "MYR").unwrap();
        amount
            .checked_sub(Money::parse(by, "MYR").unwrap())
            .unwrap()
            .amount_string()
    };
    assert_eq!(neraca_now.as_str().unwrap(), less(neraca_then, "70.00"));
    assert_eq!(read_model_after["customers"][0], read_model["customers"][0]);

    // As of the 12th, everything recorded is dated by then: the two agree again.
    let (read_model, audit) = books.both("2026-03-12").await;
    assert_eq!(read_model, audit);
    // Before anything was issued there is nothing, either way.
    let (read_model, audit) = books.both("2026-01-04").await;
    assert_eq!(read_model, audit);
    assert_eq!(audit["customers"], json!([]));
}

async fn only_auditors_and_admins_fold_the_receivables(app: TestApp) {
    for role in [Role::Auditor, Role::Admin] {
        let answer = ok(&app
            .get("/audit/receivables?as_of=2026-03-31", Some(role))
            .await);
        assert_eq!(
            answer,
            json!({ "as_of": "2026-03-31", "totals": [], "customers": [] })
        );
    }
    let today = ok(&app.get("/audit/receivables", Some(Role::Auditor)).await);
    assert_eq!(today["as_of"], business_day(Utc::now()).to_string());
    for role in [
        Role::Integrator,
        Role::Sales,
        Role::Finance,
        Role::Warehouse,
    ] {
        app.get("/audit/receivables?as_of=2026-03-31", Some(role))
            .await
            .assert_problem(StatusCode::FORBIDDEN, "forbidden");
    }
    let problem = app
        .get("/audit/receivables?as_of=2026-02-30", Some(Role::Auditor))
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation");
    assert_eq!(problem["errors"][0]["pointer"], "/as_of");
    // A date, not an instant: the day's end is the cut.
    app.get(
        "/audit/receivables?as_of=2026-03-31T23:59:59%2B08:00",
        Some(Role::Auditor),
    )
    .await
    .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation");
}

crate::on_both_backends!(
    staff_see_what_each_customer_owes_by_how_late,
    the_auditor_folds_the_same_aging_from_the_events_as_recorded_by_then,
    only_auditors_and_admins_fold_the_receivables,
);
