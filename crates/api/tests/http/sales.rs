//! The money path as a front end drives it: quotation → revision → accept → convert → issue →
//! partial payment → credit note → statement, with every refusal on the way as problem+json,
//! the roles of each step, and invoice numbers under concurrent issuers.

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use niaga_api::auth::Role;
use serde_json::{Value, json};

use crate::{
    customers::register,
    helpers::{TestApp, TestResponse, send_as},
};

fn myr(amount: &str) -> Value {
    json!({ "amount": amount, "currency": "MYR" })
}

/// Calibration (service tax 8 %) of `weights` weights at RM 350, and a resold case (no SST).
fn lines(weights: &str) -> Value {
    json!([
        {
            "item_code": "CAL-M1-20KG",
            "description": "Calibration of 20 kg test weight, class M1",
            "quantity": weights,
            "unit": "C62",
            "unit_price": myr("350.00"),
            "tax": { "kind": "service" }
        },
        {
            "description": "Carrying case for 20 kg weights",
            "quantity": "1",
            "unit": "H87",
            "unit_price": myr("120.00"),
            "tax": { "kind": "goods_resale" }
        }
    ])
}

#[track_caller]
fn assert_status(response: &TestResponse, status: StatusCode) -> Value {
    assert_eq!(
        response.status,
        status,
        "{}",
        String::from_utf8_lossy(&response.body)
    );
    response.json()
}

async fn post(app: &TestApp, path: &str, body: &Value, role: Role) -> TestResponse {
    send_as(app, Method::POST, path, body, role, &[]).await
}

async fn get(app: &TestApp, path: &str) -> Value {
    assert_status(&app.get(path, Some(Role::Auditor)).await, StatusCode::OK)
}

/// A sent quotation for a new customer: (customer id, quotation id).
async fn sent_quotation(app: &TestApp) -> (String, String) {
    let customer = register(app).await;
    let drafted = post(
        app,
        "/quotations",
        &json!({ "customer_id": customer, "lines": lines("2") }),
        Role::Sales,
    )
    .await;
    let id = assert_status(&drafted, StatusCode::CREATED)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let to = json!({ "to": { "name": "Puan Aminah", "email": "aminah@acme.com.my" } });
    let sent = post(app, &format!("/quotations/{id}/send"), &to, Role::Sales).await;
    assert_status(&sent, StatusCode::OK);
    (customer, id)
}

/// A draft invoice of `lines` for `customer`: its id.
async fn draft_invoice(app: &TestApp, customer: &str) -> String {
    let body = json!({ "customer_id": customer, "lines": lines("1"), "payment_terms_days": 30 });
    let drafted = post(app, "/invoices", &body, Role::Finance).await;
    assert_status(&drafted, StatusCode::CREATED)["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn the_whole_path_from_quotation_to_statement(app: TestApp) {
    let _projectors = niaga_projections::runner::spawn_all(app.state.db(), app.state.committed());
    let customer = register(&app).await;

    // Drafted as r1 of a new number, priced to the sen.
    let drafted = post(
        &app,
        "/quotations",
        &json!({ "customer_id": customer, "lines": lines("2"), "validity_days": 14 }),
        Role::Sales,
    )
    .await;
    let made = assert_status(&drafted, StatusCode::CREATED);
    let quotation = made["id"].as_str().unwrap().to_owned();
    let number = made["number"].as_str().unwrap().to_owned();
    assert!(
        number.starts_with("QUO-") && number.ends_with("-0001"),
        "{number}"
    );
    assert_eq!(made["revision_number"], format!("{number} r1"));
    assert_eq!(
        drafted.header("location"),
        format!("/quotations/{quotation}")
    );
    let q = get(&app, &format!("/quotations/{quotation}")).await;
    assert_eq!(q["revisions"][0]["totals"]["tax"], myr("56.00"));
    assert_eq!(q["revisions"][0]["totals"]["payable"], myr("876.00"));
    assert_eq!(q["validity_days"], 14);

    // Sent, then revised to three weights as r2, which is sent too.
    let to = json!({ "to": { "name": "Puan Aminah", "email": "aminah@acme.com.my" } });
    let send = format!("/quotations/{quotation}/send");
    assert_status(&post(&app, &send, &to, Role::Sales).await, StatusCode::OK);
    let revised = post(
        &app,
        &format!("/quotations/{quotation}/revisions"),
        &json!({ "lines": lines("3") }),
        Role::Sales,
    )
    .await;
    let revised = assert_status(&revised, StatusCode::CREATED);
    assert_eq!(revised["revision"], 2);
    assert_eq!(revised["revision_number"], format!("{number} r2"));
    assert_status(&post(&app, &send, &to, Role::Sales).await, StatusCode::OK);

    // r1 stays readable as it was sent, superseded; accepting it is refused by name.
    let q = get(&app, &format!("/quotations/{quotation}")).await;
    assert_eq!(q["revisions"][0]["status"], "superseded");
    assert_eq!(q["revisions"][0]["totals"]["payable"], myr("876.00"));
    assert_eq!(q["revisions"][1]["totals"]["payable"], myr("1254.00"));
    let accept = format!("/quotations/{quotation}/accept");
    let refused = post(
        &app,
        &accept,
        &json!({ "revision": 1, "accepted_by": "Puan Aminah" }),
        Role::Sales,
    )
    .await;
    let problem = refused.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "revision-superseded");
    assert!(
        problem["detail"].as_str().unwrap().contains("r2"),
        "{problem}"
    );

    let accepted = post(
        &app,
        &accept,
        &json!({ "revision": 2, "accepted_by": "Puan Aminah", "customer_reference": "PO-7781" }),
        Role::Sales,
    )
    .await;
    assert_status(&accepted, StatusCode::OK);

    // Converted once into a draft invoice that names the quotation and revision.
    let convert = format!("/quotations/{quotation}/convert-to-invoice");
    let converted = post(
        &app,
        &convert,
        &json!({ "payment_terms_days": 30 }),
        Role::Sales,
    )
    .await;
    let invoice = assert_status(&converted, StatusCode::CREATED)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(converted.header("location"), format!("/invoices/{invoice}"));
    let again = post(&app, &convert, &json!({}), Role::Sales).await;
    let problem = again.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "already-converted");
    assert!(
        problem["detail"].as_str().unwrap().contains(&invoice),
        "{problem}"
    );
    let draft = get(&app, &format!("/invoices/{invoice}")).await;
    assert_eq!(draft["status"], "draft");
    assert_eq!(draft["quotation"]["number"], format!("{number} r2"));
    assert_eq!(draft["customer_reference"], "PO-7781");
    assert_eq!(draft["totals"]["payable"], myr("1254.00"));

    // Issued under the next number of the year's series; due 30 days later.
    let issued = post(
        &app,
        &format!("/invoices/{invoice}/issue"),
        &json!({}),
        Role::Finance,
    )
    .await;
    let issued = assert_status(&issued, StatusCode::OK);
    let invoice_number = issued["number"].as_str().unwrap().to_owned();
    assert!(
        invoice_number.starts_with("INV-") && invoice_number.ends_with("-000001"),
        "{invoice_number}"
    );
    let inv = get(&app, &format!("/invoices/{invoice}")).await;
    assert_eq!(inv["number"], invoice_number.as_str());
    let issued_on = chrono::NaiveDate::parse_from_str(inv["issued_on"].as_str().unwrap(), "%F");
    let due_on = chrono::NaiveDate::parse_from_str(inv["due_on"].as_str().unwrap(), "%F");
    assert_eq!(
        (due_on.unwrap() - issued_on.unwrap()).num_days(),
        30,
        "{inv}"
    );

    // An issued invoice never changes: amending it is refused.
    let amend = send_as(
        &app,
        Method::PUT,
        &format!("/invoices/{invoice}"),
        &json!({ "lines": lines("9") }),
        Role::Finance,
        &[],
    )
    .await;
    amend.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "already-issued");

    // Paid in part; more than is outstanding is refused.
    let payments = format!("/invoices/{invoice}/payments");
    let paid = post(
        &app,
        &payments,
        &json!({ "amount": myr("500.00"), "method": "bank_transfer", "reference": "MBB 889120" }),
        Role::Finance,
    )
    .await;
    assert_status(&paid, StatusCode::OK);
    let over = post(
        &app,
        &payments,
        &json!({ "amount": myr("754.01"), "method": "cash" }),
        Role::Finance,
    )
    .await;
    over.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "overpayment");

    // A credit note for one weight not calibrated: its own number, within what is creditable.
    let credit_notes = format!("/invoices/{invoice}/credit-notes");
    let one_weight = json!({
        "reason": "One weight returned uncalibrated",
        "lines": [{
            "description": "Calibration of 20 kg test weight, class M1 (not done)",
            "quantity": "1", "unit": "C62", "unit_price": myr("350.00"),
            "tax": { "kind": "service" }
        }]
    });
    let credited = post(&app, &credit_notes, &one_weight, Role::Finance).await;
    let credited = assert_status(&credited, StatusCode::CREATED);
    let note_number = credited["number"].as_str().unwrap();
    assert!(
        note_number.starts_with("CN-") && note_number.ends_with("-000001"),
        "{note_number}"
    );
    let too_much = json!({
        "reason": "Goodwill",
        "lines": [{
            "description": "Goodwill", "quantity": "1", "unit": "C62",
            "unit_price": myr("900.00"), "tax": { "kind": "goods_resale" }
        }]
    });
    let refused = post(&app, &credit_notes, &too_much, Role::Finance).await;
    refused.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "over-credit");

    let inv = get(&app, &format!("/invoices/{invoice}")).await;
    assert_eq!(inv["status"], "partly_paid");
    assert_eq!(inv["account"]["charged"], myr("876.00"));
    assert_eq!(inv["account"]["settled"], myr("500.00"));
    assert_eq!(inv["account"]["outstanding"], myr("376.00"));
    assert_eq!(inv["notes"].as_array().unwrap().len(), 1);

    // The statement: opening balance, the invoice, the payment, the note, closing balance.
    let position = credited["position"].as_i64().unwrap();
    let statement = get(
        &app,
        &format!(
            "/customers/{customer}/statement?from=2020-01-01&to=2099-12-31&min_position={position}"
        ),
    )
    .await;
    assert_eq!(statement["opening_balance"], myr("0.00"));
    let entries = statement["entries"].as_array().unwrap();
    let kinds: Vec<&str> = entries
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["invoice", "payment", "credit_note"], "{statement}");
    assert_eq!(entries[0]["document_number"], invoice_number.as_str());
    assert_eq!(entries[0]["debit"], myr("1254.00"));
    assert_eq!(entries[1]["credit"], myr("500.00"));
    assert_eq!(entries[1]["reference"], "MBB 889120");
    assert_eq!(entries[2]["balance"], myr("376.00"));
    assert_eq!(statement["closing_balance"], myr("376.00"));

    // A period after today opens with what is owed and lists nothing.
    let later = get(
        &app,
        &format!("/customers/{customer}/statement?from=2099-01-01&to=2099-12-31"),
    )
    .await;
    assert_eq!(later["opening_balance"], myr("376.00"));
    assert_eq!(later["entries"], json!([]));

    // The lists show where each document stands.
    let list = get(
        &app,
        &format!("/invoices?customer_id={customer}&min_position={position}"),
    )
    .await;
    assert_eq!(list["items"][0]["status"], "partly_paid", "{list}");
    assert_eq!(list["items"][0]["outstanding"], myr("376.00"));
    let list = get(&app, "/quotations?status=converted").await;
    assert_eq!(list["items"][0]["id"], quotation.as_str(), "{list}");
    assert_eq!(list["items"][0]["current_revision"], 2);
    crate::rebuilds::assert_read_models_rebuild_identically(&app).await;
}

async fn each_step_is_for_its_role(app: TestApp) {
    let (customer, quotation) = sent_quotation(&app).await;
    let draft = json!({ "customer_id": customer, "lines": lines("1") });
    // Finance does not write quotations; sales does not write invoices; the auditor reads.
    post(&app, "/quotations", &draft, Role::Finance)
        .await
        .assert_problem(StatusCode::FORBIDDEN, "forbidden");
    post(&app, "/invoices", &draft, Role::Sales)
        .await
        .assert_problem(StatusCode::FORBIDDEN, "forbidden");
    post(&app, "/invoices", &draft, Role::Auditor)
        .await
        .assert_problem(StatusCode::FORBIDDEN, "forbidden");
    let accept = json!({ "revision": 1, "accepted_by": "Puan Aminah" });
    post(
        &app,
        &format!("/quotations/{quotation}/accept"),
        &accept,
        Role::Auditor,
    )
    .await
    .assert_problem(StatusCode::FORBIDDEN, "forbidden");
    let invoice = draft_invoice(&app, &customer).await;
    post(
        &app,
        &format!("/invoices/{invoice}/issue"),
        &json!({}),
        Role::Sales,
    )
    .await
    .assert_problem(StatusCode::FORBIDDEN, "forbidden");
    get(&app, &format!("/invoices/{invoice}")).await;
    get(&app, &format!("/quotations/{quotation}")).await;
}

async fn bad_input_names_the_field(app: TestApp) {
    let customer = register(&app).await;
    let mut bad_lines = lines("2");
    bad_lines[0]["quantity"] = json!("-1");
    bad_lines[1]["unit"] = json!("BOX OF TEN");
    let refused = post(
        &app,
        "/quotations",
        &json!({ "customer_id": customer, "lines": bad_lines }),
        Role::Sales,
    )
    .await;
    let problem = refused.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation");
    let pointers: BTreeSet<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(
        pointers,
        BTreeSet::from(["/lines/0/quantity", "/lines/1/unit"]),
        "{problem}"
    );

    let nobody = json!({ "customer_id": uuid::Uuid::now_v7(), "lines": lines("1") });
    let problem = post(&app, "/invoices", &nobody, Role::Finance)
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation");
    assert_eq!(problem["errors"][0]["pointer"], "/customer_id");

    let float_price = json!({ "customer_id": customer, "lines": [{
        "description": "x", "quantity": "1", "unit": "C62",
        "unit_price": { "amount": 350.5, "currency": "MYR" }, "tax": { "kind": "service" }
    }]});
    let problem = post(&app, "/invoices", &float_price, Role::Finance)
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation");
    assert_eq!(
        problem["errors"][0]["pointer"],
        "/lines/0/unit_price/amount"
    );

    let backwards = app
        .get(
            &format!("/customers/{customer}/statement?from=2026-06-30&to=2026-06-01"),
            Some(Role::Finance),
        )
        .await;
    let problem = backwards.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation");
    assert_eq!(problem["errors"][0]["pointer"], "/to");
    app.get(
        &format!(
            "/customers/{}/statement?from=2026-01-01&to=2026-06-01",
            uuid::Uuid::now_v7()
        ),
        Some(Role::Finance),
    )
    .await
    .assert_problem(StatusCode::NOT_FOUND, "not-found");

    // Issuing an empty draft, or paying one, names the rule.
    let empty = post(
        &app,
        "/invoices",
        &json!({ "customer_id": customer }),
        Role::Finance,
    )
    .await;
    let empty = assert_status(&empty, StatusCode::CREATED)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    post(
        &app,
        &format!("/invoices/{empty}/issue"),
        &json!({}),
        Role::Finance,
    )
    .await
    .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "no-lines");
    let pay = json!({ "amount": myr("1.00"), "method": "cash" });
    post(
        &app,
        &format!("/invoices/{empty}/payments"),
        &pay,
        Role::Finance,
    )
    .await
    .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "invoice-not-issued");
    let pay = json!({ "amount": myr("1.00"), "method": "barter" });
    let problem = post(
        &app,
        &format!("/invoices/{empty}/payments"),
        &pay,
        Role::Finance,
    )
    .await
    .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation");
    assert_eq!(problem["errors"][0]["pointer"], "/method");
}

async fn a_voided_draft_is_never_issued(app: TestApp) {
    let customer = register(&app).await;
    let invoice = draft_invoice(&app, &customer).await;
    let void = format!("/invoices/{invoice}/void");
    post(&app, &void, &json!({ "reason": "" }), Role::Finance)
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation");
    let voided = post(
        &app,
        &void,
        &json!({ "reason": "Duplicate of another draft" }),
        Role::Finance,
    )
    .await;
    assert_status(&voided, StatusCode::OK);
    post(
        &app,
        &format!("/invoices/{invoice}/issue"),
        &json!({}),
        Role::Finance,
    )
    .await
    .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "invoice-voided");
    // The next invoice issued still takes the first number: a voided draft took none.
    let next = draft_invoice(&app, &customer).await;
    let issued = post(
        &app,
        &format!("/invoices/{next}/issue"),
        &json!({}),
        Role::Finance,
    )
    .await;
    let number = assert_status(&issued, StatusCode::OK)["number"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(number.ends_with("-000001"), "{number}");
    // A paid invoice cannot be cancelled.
    let pay = json!({ "amount": myr("10.00"), "method": "cash" });
    assert_status(
        &post(
            &app,
            &format!("/invoices/{next}/payments"),
            &pay,
            Role::Finance,
        )
        .await,
        StatusCode::OK,
    );
    post(
        &app,
        &format!("/invoices/{next}/cancel"),
        &json!({ "reason": "Wrong customer" }),
        Role::Finance,
    )
    .await
    .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "payments-recorded");
}

async fn a_rejected_quotation_is_revised_and_a_valid_one_does_not_expire(app: TestApp) {
    let (_, quotation) = sent_quotation(&app).await;
    let expire = format!("/quotations/{quotation}/expire");
    let problem = post(&app, &expire, &json!({}), Role::Sales)
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "not-yet-expired");
    assert!(problem["detail"].is_string(), "{problem}");
    let reject = format!("/quotations/{quotation}/reject");
    post(&app, &reject, &json!({ "reason": " " }), Role::Sales)
        .await
        .assert_problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "rejection-reason-required",
        );
    let rejected = post(
        &app,
        &reject,
        &json!({ "reason": "Price too high" }),
        Role::Sales,
    )
    .await;
    assert_status(&rejected, StatusCode::OK);
    let accept = json!({ "revision": 1, "accepted_by": "Puan Aminah" });
    post(
        &app,
        &format!("/quotations/{quotation}/accept"),
        &accept,
        Role::Sales,
    )
    .await
    .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "revision-rejected");
    // Revised with the same lines priced again; r1 keeps its rejection.
    let revised = post(
        &app,
        &format!("/quotations/{quotation}/revisions"),
        &json!({}),
        Role::Sales,
    )
    .await;
    assert_eq!(assert_status(&revised, StatusCode::CREATED)["revision"], 2);
    let q = get(&app, &format!("/quotations/{quotation}")).await;
    assert_eq!(q["status"], "draft");
    assert_eq!(q["revisions"][0]["rejection"]["reason"], "Price too high");
    assert_eq!(q["revisions"][1]["status"], "draft");
    // A draft revision is not sent: it cannot be accepted yet.
    let accept = json!({ "revision": 2, "accepted_by": "Puan Aminah" });
    post(
        &app,
        &format!("/quotations/{quotation}/accept"),
        &accept,
        Role::Sales,
    )
    .await
    .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "revision-not-sent");
}

async fn a_credit_after_full_payment_is_refunded(app: TestApp) {
    let customer = register(&app).await;
    let invoice = draft_invoice(&app, &customer).await;
    let issued = post(
        &app,
        &format!("/invoices/{invoice}/issue"),
        &json!({}),
        Role::Finance,
    )
    .await;
    assert_status(&issued, StatusCode::OK);
    // One weight at 350 + 8 % and the case at 120: 498.00.
    let pay = json!({ "amount": myr("498.00"), "method": "cheque", "reference": "PBB 000123" });
    assert_status(
        &post(
            &app,
            &format!("/invoices/{invoice}/payments"),
            &pay,
            Role::Finance,
        )
        .await,
        StatusCode::OK,
    );
    assert_eq!(
        get(&app, &format!("/invoices/{invoice}")).await["status"],
        "paid"
    );

    let case_back = json!({
        "reason": "Case returned unused",
        "lines": [{ "description": "Carrying case", "quantity": "1", "unit": "H87",
                    "unit_price": myr("120.00"), "tax": { "kind": "goods_resale" } }]
    });
    let credited = post(
        &app,
        &format!("/invoices/{invoice}/credit-notes"),
        &case_back,
        Role::Finance,
    )
    .await;
    assert_status(&credited, StatusCode::CREATED);
    let inv = get(&app, &format!("/invoices/{invoice}")).await;
    assert_eq!(inv["status"], "refund_due");
    assert_eq!(inv["account"]["outstanding"], myr("-120.00"));
    assert_eq!(inv["account"]["refundable"], myr("120.00"));

    let refund = |amount: &str| {
        json!({
            "reason": "Refund of the returned case",
            "lines": [{ "description": "Refund", "quantity": "1", "unit": "C62",
                        "unit_price": myr(amount), "tax": { "kind": "goods_resale" } }]
        })
    };
    let refunds = format!("/invoices/{invoice}/refund-notes");
    post(&app, &refunds, &refund("120.01"), Role::Finance)
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "over-refund");
    let refunded = post(&app, &refunds, &refund("120.00"), Role::Finance).await;
    let number = assert_status(&refunded, StatusCode::CREATED)["number"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        number.starts_with("RN-") && number.ends_with("-000001"),
        "{number}"
    );
    let inv = get(&app, &format!("/invoices/{invoice}")).await;
    assert_eq!(inv["status"], "paid");
    assert_eq!(inv["account"]["outstanding"], myr("0.00"));
    assert_eq!(inv["notes"].as_array().unwrap().len(), 2);

    // A debit note raises what is charged again.
    let extra = json!({
        "reason": "Delivery charge omitted",
        "lines": [{ "description": "Delivery", "quantity": "1", "unit": "C62",
                    "unit_price": myr("50.00"), "tax": { "kind": "service" } }]
    });
    let debited = post(
        &app,
        &format!("/invoices/{invoice}/debit-notes"),
        &extra,
        Role::Finance,
    )
    .await;
    assert!(
        assert_status(&debited, StatusCode::CREATED)["number"]
            .as_str()
            .unwrap()
            .starts_with("DN-")
    );
    let inv = get(&app, &format!("/invoices/{invoice}")).await;
    assert_eq!(inv["status"], "partly_paid");
    assert_eq!(inv["account"]["outstanding"], myr("54.00"));
    crate::rebuilds::assert_read_models_rebuild_identically(&app).await;
}

async fn sixteen_concurrent_issuers_take_sixteen_consecutive_numbers(app: TestApp) {
    let customer = register(&app).await;
    let mut drafts = Vec::new();
    for _ in 0..16 {
        drafts.push(draft_invoice(&app, &customer).await);
    }
    let token = app.token(Role::Finance).await;
    let app = std::sync::Arc::new(app);
    let issuers: Vec<_> = drafts
        .iter()
        .map(|id| {
            let (app, token, path) = (app.clone(), token.clone(), format!("/invoices/{id}/issue"));
            tokio::spawn(async move {
                let request =
                    crate::helpers::json_request(Method::POST, &path, &json!({}), Some(&token));
                app.send(request).await
            })
        })
        .collect();
    let mut numbers = BTreeSet::new();
    for issuer in issuers {
        let issued = issuer.await.unwrap();
        let number = assert_status(&issued, StatusCode::OK)["number"]
            .as_str()
            .unwrap()
            .to_owned();
        numbers.insert(number.rsplit('-').next().unwrap().parse::<u32>().unwrap());
    }
    assert_eq!(numbers, (1..=16).collect::<BTreeSet<_>>());
}

crate::on_both_backends!(
    the_whole_path_from_quotation_to_statement,
    each_step_is_for_its_role,
    bad_input_names_the_field,
    a_voided_draft_is_never_issued,
    a_rejected_quotation_is_revised_and_a_valid_one_does_not_expire,
    a_credit_after_full_payment_is_refunded,
    sixteen_concurrent_issuers_take_sixteen_consecutive_numbers,
);
