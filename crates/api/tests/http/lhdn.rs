//! E-invoicing end to end against `lhdn-sandbox`: an invoice issued through the API is
//! signed, submitted and validated, a credit note follows it, cancellation goes through
//! LHDN's 72-hour window, and no path (a lost answer, LHDN down, two submitters) gets one
//! document accepted twice; a document that cannot be sent is held back, with why, without
//! holding up the rest; sales whose buyers wanted no e-invoice go to LHDN in their month's
//! consolidated e-invoice.

use std::sync::Arc;
use std::time::Duration;

use axum::http::{Method, StatusCode};
use chrono::TimeDelta;
use niaga_api::{AppOptions, auth::Role, company::CompanySettings};
use niaga_documents::DocumentStore;
use niaga_einvoicing::{Limits, Submitter, SubmitterSettings, testing};
use niaga_lhdn::testing::TestPki;
use niaga_lhdn_sandbox::{
    DocumentStatus, Endpoint, FailMode, FaultAction, FaultRule, RunningSandbox,
};
use niaga_store::{Backend, Database};
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestResponse, send_as};

const COMPANY: &str = r#"{
    "name": "Timbang Jaya Sdn Bhd", "tin": "C25845632020", "brn": "202001234567",
    "sst": "W10-1808-32000001", "msic": "33120", "business_activity": "Repair of machinery",
    "address": {"lines": ["Lot 5, Jalan Utas 15/7"], "city": "Shah Alam",
                "postcode": "40200", "state": "10"},
    "phone": "+60355191234", "email": "akaun@timbangjaya.com.my"
}"#;

/// The sandbox, the API with a submitter pointed at it, and a way to make more submitters.
struct Lhdn {
    sandbox: RunningSandbox,
    app: TestApp,
    submitter: Arc<Submitter>,
    pki: Arc<TestPki>,
}

fn submitter(
    db: &Database,
    documents: DocumentStore,
    sandbox: &RunningSandbox,
    pki: &TestPki,
    settings: SubmitterSettings,
) -> Submitter {
    let supplier = CompanySettings::parse(COMPANY).unwrap().supplier;
    testing::submitter(db, documents, sandbox, pki.identity(), supplier, settings)
}

impl Lhdn {
    async fn start(backend: Backend) -> Self {
        let pki = Arc::new(TestPki::new());
        let sandbox = niaga_lhdn_sandbox::start(testing::sandbox_config(&pki.ca_pem))
            .await
            .unwrap();
        let mut made = None;
        let app = TestApp::spawn_made(backend, |db| {
            let documents = DocumentStore::in_memory(db.clone());
            let submitter = Arc::new(submitter(
                db,
                documents.clone(),
                &sandbox,
                &pki,
                testing::eager(&sandbox),
            ));
            made = Some(submitter.clone());
            AppOptions {
                documents: Some(documents),
                company: Some(CompanySettings::parse(COMPANY).unwrap()),
                einvoicing: Some(submitter),
                lhdn_portal_url: sandbox.portal_url(),
                ..AppOptions::default()
            }
        })
        .await;
        Self {
            submitter: made.unwrap(),
            sandbox,
            app,
            pki,
        }
    }

    /// Another submitter on the same database, as a second instance would run.
    fn second_submitter(&self, settings: SubmitterSettings) -> Submitter {
        let db = self.app.state.db();
        submitter(
            db,
            self.app.state.documents().clone(),
            &self.sandbox,
            &self.pki,
            settings,
        )
    }

    /// Runs submitter cycles until `number` has `status` in `GET /lhdn/documents`.
    async fn until(&self, number: &str, status: &str) -> Value {
        let mut last = Value::Null;
        let mut reports = Vec::new();
        for _ in 0..40 {
            reports.push(self.submitter.run_cycle(chrono::Utc::now()).await.unwrap());
            if let Some(document) = self.document(number).await {
                if document["status"] == status {
                    return document;
                }
                last = document;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{number} never became {status}: {last}; cycles: {reports:?}");
    }

    /// The document as `GET /lhdn/documents` lists it, once the read model has every event
    /// written so far (on PostgreSQL the feed waits out other tests' open transactions).
    async fn document(&self, number: &str) -> Option<Value> {
        use niaga_projections::{checkpoint, lhdn_documents};
        let db = self.app.state.db();
        let head = checkpoint::head(db).await.unwrap();
        for _ in 0..250 {
            niaga_projections::runner::catch_up(
                &lhdn_documents::LhdnDocuments,
                db,
                db.event_store().as_ref(),
            )
            .await
            .unwrap();
            if checkpoint::has_applied(db, lhdn_documents::NAME, head)
                .await
                .unwrap()
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let page = ok(&self.app.get("/lhdn/documents", Some(Role::Auditor)).await);
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["number"] == number)
            .cloned()
    }

    async fn post(&self, path: &str, body: &Value, role: Role) -> TestResponse {
        send_as(&self.app, Method::POST, path, body, role, &[]).await
    }

    /// Finance asks for the document `id` (an id or a consolidated number) to go again.
    async fn resubmit(&self, id: &str) -> TestResponse {
        let path = format!("/lhdn/documents/{id}/resubmit");
        self.post(&path, &json!({}), Role::Finance).await
    }

    /// Registers the buyer, drafts and issues an invoice: (invoice id, number).
    async fn issued_invoice(&self) -> (String, String) {
        let (invoice, number, _) = self.issued_invoice_to(testing::BUYER_TIN).await;
        (invoice, number)
    }

    /// The buyer's details with the TIN `tin`.
    fn buyer(tin: &str) -> Value {
        json!({
            "kind": "company",
            "name": "Kedai Runcit Maju Sdn Bhd",
            "tin": tin,
            "identification": { "scheme": "BRN", "value": testing::BUYER_BRN },
            "msic": "47111",
            "address": { "lines": ["12 Jalan Pasar"], "city": "Klang",
                         "postcode": "41000", "state": "10" },
            "email": "akaun@maju.com.my",
            "phone": "+60 3-3371 0000"
        })
    }

    /// Registers a buyer with `tin`, drafts and issues an invoice to it: (invoice id, number,
    /// customer id).
    async fn issued_invoice_to(&self, tin: &str) -> (String, String, String) {
        let (id, customer) = self.drafted_invoice_to(tin, "350.00").await;
        let number = self.issue(&id, &json!({})).await;
        (id, number, customer)
    }

    /// Issues the draft `id` with `body`: its number, once the LHDN read model lists it.
    /// A submitter cycle reads that read model, and on PostgreSQL its catch-up stops short
    /// of events behind other tests' open transactions: a cycle run straight after the
    /// issue could find nothing to do.
    async fn issue(&self, id: &str, body: &Value) -> String {
        let issued = ok(&self
            .post(&format!("/invoices/{id}/issue"), body, Role::Finance)
            .await);
        assert!(issued["version"].as_u64().is_some());
        let number = issued["number"].as_str().unwrap().to_owned();
        assert!(
            self.document(&number).await.is_some(),
            "{number} is not in the LHDN read model"
        );
        number
    }

    /// Credits one of the invoice's two calibrations (priced in `currency`): the note's number.
    async fn credit_note(&self, invoice: &str, currency: &str) -> String {
        let note = json!({
            "reason": "One weight returned uncalibrated",
            "lines": [{ "description": "Calibration not done", "quantity": "1", "unit": "C62",
                        "unit_price": { "amount": "350.00", "currency": currency },
                        "tax": { "kind": "service" } }]
        });
        let credited = ok_status(
            &self
                .post(
                    &format!("/invoices/{invoice}/credit-notes"),
                    &note,
                    Role::Finance,
                )
                .await,
            StatusCode::CREATED,
        );
        credited["number"].as_str().unwrap().to_owned()
    }

    /// Registers a buyer with `tin` and drafts an invoice of two calibrations at `price`
    /// each (service tax 8 %): (invoice id, customer id).
    async fn drafted_invoice_to(&self, tin: &str, price: &str) -> (String, String) {
        self.drafted_invoice_in(tin, price, "MYR").await
    }

    /// The same, in `currency`.
    async fn drafted_invoice_in(&self, tin: &str, price: &str, currency: &str) -> (String, String) {
        let customer = Self::buyer(tin);
        let customer = ok_status(
            &self.post("/customers", &customer, Role::Sales).await,
            StatusCode::CREATED,
        )["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let draft = json!({
            "customer_id": customer,
            "currency": currency,
            "payment_terms_days": 30,
            "lines": [{
                "item_code": "CAL-M1-20KG",
                "description": "Calibration of 20 kg test weight, class M1",
                "quantity": "2", "unit": "C62",
                "unit_price": { "amount": price, "currency": currency },
                "tax": { "kind": "service" }
            }]
        });
        let id = ok_status(
            &self.post("/invoices", &draft, Role::Finance).await,
            StatusCode::CREATED,
        )["id"]
            .as_str()
            .unwrap()
            .to_owned();
        (id, customer)
    }
}

#[track_caller]
fn ok(response: &TestResponse) -> Value {
    ok_status(response, StatusCode::OK)
}

#[track_caller]
fn ok_status(response: &TestResponse, status: StatusCode) -> Value {
    assert_eq!(
        response.status,
        status,
        "{}",
        String::from_utf8_lossy(&response.body)
    );
    response.json()
}

/// How many documents numbered `number` LHDN holds, and how many of them are valid.
fn held(sandbox: &RunningSandbox, number: &str) -> (usize, usize) {
    let received = sandbox.received(number);
    let valid = received
        .iter()
        .filter(|d| d.status == DocumentStatus::Valid)
        .count();
    (received.len(), valid)
}

async fn an_invoice_and_its_credit_note_are_validated_then_cancelling_follows_lhdns_window(
    backend: Backend,
) {
    let lhdn = Lhdn::start(backend).await;
    let (invoice, number) = lhdn.issued_invoice().await;
    assert_eq!(lhdn.document(&number).await.unwrap()["status"], "pending");

    let valid = lhdn.until(&number, "valid").await;
    let uuid = valid["document_uuid"].as_str().unwrap();
    let long_id = valid["long_id"].as_str().unwrap();
    assert_eq!(
        valid["validation_link"],
        format!("{}/{uuid}/share/{long_id}", lhdn.sandbox.portal_url())
    );
    assert_eq!(valid["attempt"], 1);
    assert_eq!(held(&lhdn.sandbox, &number), (1, 1));
    // A credit note references the valid invoice by its LHDN UUID.
    let note_number = lhdn.credit_note(&invoice, "MYR").await;
    let note_valid = lhdn.until(&note_number, "valid").await;
    assert_eq!(note_valid["kind"], "credit_note");
    assert_eq!(held(&lhdn.sandbox, &note_number), (1, 1));

    // The invoice a note refers to is not cancelled (LHDN: ActiveReferencingDocuments).
    lhdn.post(
        &format!("/invoices/{invoice}/cancel"),
        &json!({ "reason": "Wrong customer" }),
        Role::Finance,
    )
    .await
    .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "referenced-by-notes");

    // Another invoice, valid, is cancelled inside the 72 hours: at LHDN, then here.
    let (second, second_number) = lhdn.issued_invoice().await;
    lhdn.until(&second_number, "valid").await;
    ok(&lhdn
        .post(
            &format!("/invoices/{second}/cancel"),
            &json!({ "reason": "Wrong customer billed" }),
            Role::Finance,
        )
        .await);
    assert_eq!(
        lhdn.sandbox.received(&second_number)[0].status,
        DocumentStatus::Cancelled
    );
    assert_eq!(
        lhdn.document(&second_number).await.unwrap()["status"],
        "cancelled"
    );

    // A third, valid; 73 hours later by LHDN's clock, LHDN refuses and nothing changes here.
    let (third, third_number) = lhdn.issued_invoice().await;
    lhdn.until(&third_number, "valid").await;
    lhdn.sandbox.advance_clock(TimeDelta::hours(73));
    let refused = lhdn
        .post(
            &format!("/invoices/{third}/cancel"),
            &json!({ "reason": "Too late" }),
            Role::Finance,
        )
        .await
        .assert_problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "cancellation-window-closed",
        );
    assert!(
        refused["detail"]
            .as_str()
            .unwrap()
            .contains("OperationPeriodOver"),
        "{refused}"
    );
    assert_eq!(
        lhdn.sandbox.received(&third_number)[0].status,
        DocumentStatus::Valid
    );
    assert_eq!(
        lhdn.document(&third_number).await.unwrap()["status"],
        "valid"
    );
    lhdn.sandbox.shutdown().await;
}

async fn a_lost_answer_is_reconciled_and_the_invoice_is_accepted_once(backend: Backend) {
    let lhdn = Lhdn::start(backend).await;
    // LHDN takes the submission in, and the connection drops before its answer.
    lhdn.sandbox.inject(FaultRule::new(
        Some(Endpoint::Submit),
        FaultAction::AcceptThenFail {
            then: FailMode::Drop,
        },
        Some(1),
    ));
    let (_, number) = lhdn.issued_invoice().await;
    let first = lhdn.submitter.run_cycle(chrono::Utc::now()).await.unwrap();
    assert_eq!(first.get("unanswered"), Some(&1), "{first:?}");
    assert_eq!(
        lhdn.document(&number).await.unwrap()["status"],
        "submitting"
    );

    lhdn.until(&number, "valid").await;
    assert_eq!(held(&lhdn.sandbox, &number), (1, 1));
    lhdn.sandbox.shutdown().await;
}

async fn lhdn_down_at_submission_sends_the_same_signed_bytes_again_once(backend: Backend) {
    let lhdn = Lhdn::start(backend).await;
    lhdn.sandbox.inject(FaultRule::new(
        Some(Endpoint::Submit),
        FaultAction::Status { status: 503 },
        Some(1),
    ));
    let (_, number) = lhdn.issued_invoice().await;
    lhdn.submitter.run_cycle(chrono::Utc::now()).await.unwrap();
    assert_eq!(held(&lhdn.sandbox, &number), (0, 0));

    let valid = lhdn.until(&number, "valid").await;
    // The resend was the first attempt's bytes: no second attempt was started.
    assert_eq!(valid["attempt"], 1);
    assert_eq!(held(&lhdn.sandbox, &number), (1, 1));
    lhdn.sandbox.shutdown().await;
}

async fn two_submitters_at_once_submit_each_invoice_once(backend: Backend) {
    let lhdn = Lhdn::start(backend).await;
    let mut numbers = Vec::new();
    for _ in 0..3 {
        numbers.push(lhdn.issued_invoice().await.1);
    }
    // Two instances, each with production's reconcile pause: neither second-guesses the
    // other's fresh submission.
    let settings = SubmitterSettings {
        first_poll: Duration::ZERO,
        portal_url: lhdn.sandbox.portal_url(),
        ..SubmitterSettings::default()
    };
    let one = lhdn.second_submitter(settings.clone());
    let two = lhdn.second_submitter(settings);
    for _ in 0..5 {
        let now = chrono::Utc::now();
        let (a, b) = tokio::join!(one.run_cycle(now), two.run_cycle(now));
        a.unwrap();
        b.unwrap();
    }
    for number in &numbers {
        lhdn.until(number, "valid").await;
        assert_eq!(held(&lhdn.sandbox, number), (1, 1), "{number}");
    }
    lhdn.sandbox.shutdown().await;
}

async fn a_document_lhdn_finds_invalid_shows_lhdns_problems(backend: Backend) {
    let lhdn = Lhdn::start(backend).await;
    // By LHDN's clock the invoice was issued 73 hours ago: too old to be submitted.
    let (_, number) = lhdn.issued_invoice().await;
    lhdn.sandbox.advance_clock(TimeDelta::hours(73));
    let invalid = lhdn.until(&number, "invalid").await;
    let messages: Vec<&str> = invalid["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["message"].as_str())
        .collect();
    assert!(
        messages.contains(
            &"Issuance date time value of the document is too old and cannot be submitted"
        ),
        "{invalid}"
    );
    assert_eq!(held(&lhdn.sandbox, &number).1, 0);
    let listed = ok(&lhdn
        .app
        .get("/lhdn/documents?status=invalid", Some(Role::Auditor))
        .await);
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    lhdn.sandbox.shutdown().await;
}

async fn a_rejected_invoice_is_submitted_again_once_its_buyer_is_fixed(backend: Backend) {
    let lhdn = Lhdn::start(backend).await;
    // A TIN LHDN's registry does not know.
    let (invoice, number, customer) = lhdn.issued_invoice_to("C11111111110").await;
    let invalid = lhdn.until(&number, "invalid").await;
    assert!(
        !invalid["problems"].as_array().unwrap().is_empty(),
        "{invalid}"
    );

    // Only a rejected document goes again: the valid ones are refused.
    let (valid_invoice, valid_number) = lhdn.issued_invoice().await;
    lhdn.until(&valid_number, "valid").await;
    lhdn.resubmit(&valid_invoice)
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "lhdn-not-rejected");

    let fixed = Lhdn::buyer(testing::BUYER_TIN);
    ok(&send_as(
        &lhdn.app,
        Method::PUT,
        &format!("/customers/{customer}"),
        &fixed,
        Role::Sales,
        &[],
    )
    .await);
    ok(&lhdn.resubmit(&invoice).await);
    let valid = lhdn.until(&number, "valid").await;
    assert_eq!(valid["attempt"], 2);
    assert_eq!(valid["problems"], json!([]));
    // LHDN holds both: the invalid first attempt and the valid second.
    assert_eq!(held(&lhdn.sandbox, &number), (2, 1));
    lhdn.sandbox.shutdown().await;
}

/// A second instance that takes one document a cycle and whose document limit no signed
/// document fits: everything it takes on, it holds back.
fn strict_submitter(lhdn: &Lhdn) -> Submitter {
    lhdn.second_submitter(SubmitterSettings {
        documents_per_cycle: 1,
        limits: Limits {
            document_bytes: 1_000,
            ..Limits::default()
        },
        ..testing::eager(&lhdn.sandbox)
    })
}

/// The first problem's message on a document as listed.
fn first_problem(document: &Value) -> &str {
    document["problems"][0]["message"]
        .as_str()
        .unwrap_or_default()
}

async fn a_document_the_submitter_cannot_send_is_held_without_holding_up_the_rest(
    backend: Backend,
) {
    let lhdn = Lhdn::start(backend).await;
    let (first, first_number) = lhdn.issued_invoice().await;
    let (second, second_number) = lhdn.issued_invoice().await;
    let strict = strict_submitter(&lhdn);
    let now = chrono::Utc::now();
    let report = strict.run_cycle(now).await.unwrap();
    assert_eq!(report.get("held"), Some(&1), "{report:?}");
    let held_back = lhdn.document(&first_number).await.unwrap();
    assert_eq!(held_back["status"], "held", "{held_back}");
    assert_eq!(held_back["attempt"], 0);
    assert!(
        first_problem(&held_back).contains("over LHDN's limit of 1000 bytes a document"),
        "{held_back}"
    );
    // The next cycle takes the next document, not the held one again; then none is left.
    let report = strict.run_cycle(now).await.unwrap();
    assert_eq!(report.get("held"), Some(&1), "{report:?}");
    assert_eq!(
        lhdn.document(&second_number).await.unwrap()["status"],
        "held"
    );
    let report = strict.run_cycle(now).await.unwrap();
    assert_eq!(report.get("held"), None, "{report:?}");
    for number in [&first_number, &second_number] {
        assert_eq!(held(&lhdn.sandbox, number), (0, 0), "nothing reached LHDN");
    }
    let listed = ok(&lhdn
        .app
        .get("/lhdn/documents?status=held", Some(Role::Auditor))
        .await);
    assert_eq!(listed["items"].as_array().unwrap().len(), 2, "{listed}");
    let one = ok(&lhdn
        .app
        .get(&format!("/lhdn/documents/{first}"), Some(Role::Auditor))
        .await);
    assert_eq!(one["status"], "held");

    // Asked for again, it goes to LHDN as its first submission.
    ok(&lhdn.resubmit(&first).await);
    let valid = lhdn.until(&first_number, "valid").await;
    assert_eq!(valid["attempt"], 1);
    assert_eq!(valid["problems"], json!([]));
    assert_eq!(
        lhdn.document(&second_number).await.unwrap()["status"],
        "held"
    );

    // Asked for again after its 72 hours, it is held again, saying so.
    ok(&lhdn.resubmit(&second).await);
    assert_eq!(
        lhdn.document(&second_number).await.unwrap()["status"],
        "pending"
    );
    let report = lhdn
        .submitter
        .run_cycle(now + TimeDelta::hours(73))
        .await
        .unwrap();
    assert_eq!(report.get("held"), Some(&1), "{report:?}");
    let too_late = lhdn.document(&second_number).await.unwrap();
    assert_eq!(too_late["status"], "held");
    assert!(
        first_problem(&too_late).contains("within 72 hours of its issue"),
        "{too_late}"
    );
    assert_eq!(held(&lhdn.sandbox, &second_number), (0, 0));
    crate::rebuilds::assert_read_models_rebuild_identically(&lhdn.app).await;
    lhdn.sandbox.shutdown().await;
}

/// Runs the consolidation job as of `as_of`: its counts.
async fn consolidate(lhdn: &Lhdn, as_of: chrono::NaiveDate) -> niaga_scheduler::Counts {
    match lhdn.app.run_job("consolidate-einvoices", as_of).await {
        niaga_scheduler::Outcome::Ran(run) => {
            assert_eq!(run.outcome, "succeeded", "{run:?}");
            run.counts()
        }
        niaga_scheduler::Outcome::Busy => panic!("the job's lease is held"),
    }
}

async fn a_months_sales_without_einvoice_go_to_lhdn_in_one_consolidated_einvoice(backend: Backend) {
    use niaga_domain::values::Month;
    let lhdn = Lhdn::start(backend).await;
    let for_consolidation = json!({ "einvoice": "consolidated" });
    let mut sales = Vec::new();
    for _ in 0..3 {
        let (id, _) = lhdn.drafted_invoice_to(testing::BUYER_TIN, "350.00").await;
        let number = lhdn.issue(&id, &for_consolidation).await;
        sales.push((id, number));
    }
    // None goes to LHDN on its own.
    lhdn.submitter.run_cycle(chrono::Utc::now()).await.unwrap();
    for (_, number) in &sales {
        assert_eq!(
            lhdn.document(number).await.unwrap()["status"],
            "for_consolidation"
        );
        assert_eq!(held(&lhdn.sandbox, number), (0, 0));
    }
    // The buyer of the second asks for an e-invoice of their own within the month: it goes
    // to LHDN on its own, as any invoice.
    let (asked, asked_number) = &sales[1];
    ok(&lhdn
        .post(
            &format!("/invoices/{asked}/individual-einvoice"),
            &json!({}),
            Role::Finance,
        )
        .await);
    let valid = lhdn.until(asked_number, "valid").await;
    assert_eq!(valid["kind"], "invoice");

    // A sale over RM10,000 needs its own e-invoice: refused at /einvoice.
    let (big, _) = lhdn.drafted_invoice_to(testing::BUYER_TIN, "6000.00").await;
    let refused = lhdn
        .post(
            &format!("/invoices/{big}/issue"),
            &for_consolidation,
            Role::Finance,
        )
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation");
    assert_eq!(refused["errors"][0]["pointer"], "/einvoice", "{refused}");
    assert!(
        refused["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("needs an e-invoice of its own"),
        "{refused}"
    );

    // Day 2 of the next month, by our clock and LHDN's.
    let now = chrono::Utc::now();
    let month = Month::of(niaga_domain::business_day(now));
    let as_of = month.next().first_day().succ_opt().unwrap();
    let day_two = niaga_domain::start_of_business_day(as_of).unwrap();
    lhdn.sandbox
        .advance_clock(day_two - now + TimeDelta::hours(1));
    let first = consolidate(&lhdn, as_of).await;
    assert_eq!(first.get("sales"), Some(&2), "{first:?}");
    assert_eq!(first.get("documents"), Some(&1), "{first:?}");
    // Run again (a restart, a second instance): nothing more is prepared.
    let again = consolidate(&lhdn, as_of).await;
    assert_eq!(again.get("already_prepared"), Some(&1), "{again:?}");

    let number = format!("CON-{month}-001");
    // An instance that cannot send it holds it back; asked for again by its number, it goes.
    let report = strict_submitter(&lhdn).run_cycle(day_two).await.unwrap();
    assert_eq!(report.get("held"), Some(&1), "{report:?}");
    lhdn.document(&number).await;
    let held_back = ok(&lhdn
        .app
        .get(&format!("/lhdn/documents/{number}"), Some(Role::Auditor))
        .await);
    assert_eq!(held_back["status"], "held", "{held_back}");
    ok(&lhdn.resubmit(&number).await);
    let document = lhdn.until(&number, "valid").await;
    // Valid: nothing to send again; and a number no month has is not found.
    lhdn.resubmit(&number)
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "lhdn-not-rejected");
    lhdn.resubmit(&format!("CON-{month}-009"))
        .await
        .assert_problem(StatusCode::NOT_FOUND, "not-found");
    assert_eq!(document["kind"], "consolidated");
    assert_eq!(document["consolidation"], month.to_string());
    assert!(document.get("customer_id").is_none(), "{document}");
    let uuid = document["document_uuid"].as_str().unwrap();
    let long_id = document["long_id"].as_str().unwrap();
    assert_eq!(
        document["validation_link"],
        format!("{}/{uuid}/share/{long_id}", lhdn.sandbox.portal_url())
    );
    assert_eq!(held(&lhdn.sandbox, &number), (1, 1));
    for (id, number) in [&sales[0], &sales[2]] {
        let row = lhdn.document(number).await.unwrap();
        assert_eq!(row["status"], "consolidated", "{row}");
        assert_eq!(row["consolidation"], month.to_string());
        assert_eq!(held(&lhdn.sandbox, number), (0, 0));
        let invoice = ok(&lhdn
            .app
            .get(&format!("/invoices/{id}"), Some(Role::Auditor))
            .await);
        assert_eq!(invoice["einvoice"], "consolidated");
        assert_eq!(invoice["consolidated_in"], month.to_string());
    }
    // Consolidated: the third buyer can no longer ask for an e-invoice of their own.
    let (third, _) = &sales[2];
    lhdn.post(
        &format!("/invoices/{third}/individual-einvoice"),
        &json!({}),
        Role::Finance,
    )
    .await
    .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "already-consolidated");
    let listed = ok(&lhdn
        .app
        .get("/lhdn/documents?status=consolidated", Some(Role::Auditor))
        .await);
    assert_eq!(listed["items"].as_array().unwrap().len(), 2);
    crate::rebuilds::assert_read_models_rebuild_identically(&lhdn.app).await;
    lhdn.sandbox.shutdown().await;
}

/// The signed document LHDN holds for `number` (its only one), as JSON.
fn received_document(sandbox: &RunningSandbox, number: &str) -> Value {
    let received = sandbox.received(number);
    assert_eq!(received.len(), 1, "{number}");
    serde_json::from_str(&received[0].document).unwrap()
}

#[track_caller]
fn refused_at(response: &TestResponse, pointer: &str) {
    let problem = response.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation");
    assert_eq!(problem["errors"][0]["pointer"], pointer, "{problem}");
}

async fn an_invoice_in_us_dollars_goes_to_lhdn_with_its_exchange_rate(backend: Backend) {
    let lhdn = Lhdn::start(backend).await;
    let (invoice, _) = lhdn
        .drafted_invoice_in(testing::BUYER_TIN, "350.00", "USD")
        .await;
    let issue = format!("/invoices/{invoice}/issue");
    // LHDN refuses a document not in MYR without its rate: so do we, before it is issued.
    for body in [
        json!({}),
        json!({ "exchange_rate": "0" }),
        json!({ "exchange_rate": "-4.7215" }),
        json!({ "exchange_rate": "4.7215e0" }),
        json!({ "exchange_rate": "" }),
        json!({ "exchange_rate": "0.00000000000001" }),
        json!({ "exchange_rate": 4.7215 }),
    ] {
        refused_at(
            &lhdn.post(&issue, &body, Role::Finance).await,
            "/exchange_rate",
        );
    }
    // LHDN consolidates in MYR: a dollar sale has its own e-invoice, rate or not.
    let consolidated = json!({ "einvoice": "consolidated", "exchange_rate": "4.7215" });
    refused_at(
        &lhdn.post(&issue, &consolidated, Role::Finance).await,
        "/einvoice",
    );
    let draft = ok(&lhdn
        .app
        .get(&format!("/invoices/{invoice}"), Some(Role::Auditor))
        .await);
    assert_eq!(draft["status"], "draft");
    assert_eq!(draft["exchange_rate"], Value::Null);

    let number = lhdn
        .issue(&invoice, &json!({ "exchange_rate": "4.7215" }))
        .await;
    let issued = ok(&lhdn
        .app
        .get(&format!("/invoices/{invoice}"), Some(Role::Auditor))
        .await);
    assert_eq!(issued["currency"], "USD");
    assert_eq!(issued["exchange_rate"], "4.7215");

    lhdn.until(&number, "valid").await;
    assert_eq!(held(&lhdn.sandbox, &number), (1, 1));
    let document = received_document(&lhdn.sandbox, &number);
    let signed = &document["Invoice"][0];
    assert_eq!(signed["DocumentCurrencyCode"][0]["_"], "USD");
    let rate = &signed["TaxExchangeRate"][0];
    assert_eq!(rate["SourceCurrencyCode"][0]["_"], "USD");
    assert_eq!(rate["TargetCurrencyCode"][0]["_"], "MYR");
    assert_eq!(rate["CalculationRate"][0]["_"], json!(4.7215));
    // USD 56.00 of service tax (8 % of 700.00) is RM 264.40 at 4.7215; the rest stays in USD.
    let tax = &signed["TaxTotal"][0]["TaxAmount"][0];
    assert_eq!(
        (&tax["_"], &tax["currencyID"]),
        (&json!(264.4), &json!("MYR"))
    );
    let payable = &signed["LegalMonetaryTotal"][0]["PayableAmount"][0];
    assert_eq!(
        (&payable["_"], &payable["currencyID"]),
        (&json!(756.0), &json!("USD"))
    );
    assert!(signed["Signature"][0].is_object(), "{signed}");

    // A credit note converts at the invoice's rate.
    let note_number = lhdn.credit_note(&invoice, "USD").await;
    lhdn.until(&note_number, "valid").await;
    let note_document = received_document(&lhdn.sandbox, &note_number);
    let note_rate = &note_document["Invoice"][0]["TaxExchangeRate"][0];
    assert_eq!(note_rate["CalculationRate"][0]["_"], json!(4.7215));
    let noted = ok(&lhdn
        .app
        .get(&format!("/invoices/{invoice}"), Some(Role::Auditor))
        .await);
    assert_eq!(noted["notes"][0]["exchange_rate"], "4.7215");

    // A ringgit invoice takes no rate.
    let (ringgit, _) = lhdn.drafted_invoice_to(testing::BUYER_TIN, "350.00").await;
    refused_at(
        &lhdn
            .post(
                &format!("/invoices/{ringgit}/issue"),
                &json!({ "exchange_rate": "1" }),
                Role::Finance,
            )
            .await,
        "/exchange_rate",
    );
    lhdn.sandbox.shutdown().await;
}

macro_rules! lhdn_tests {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $test() {
                    super::$test(niaga_store::Backend::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $test() {
                    super::$test(niaga_store::Backend::Postgres).await
                }
            )*
        }
    };
}

lhdn_tests!(
    an_invoice_and_its_credit_note_are_validated_then_cancelling_follows_lhdns_window,
    a_lost_answer_is_reconciled_and_the_invoice_is_accepted_once,
    lhdn_down_at_submission_sends_the_same_signed_bytes_again_once,
    two_submitters_at_once_submit_each_invoice_once,
    a_document_lhdn_finds_invalid_shows_lhdns_problems,
    a_rejected_invoice_is_submitted_again_once_its_buyer_is_fixed,
    a_document_the_submitter_cannot_send_is_held_without_holding_up_the_rest,
    a_months_sales_without_einvoice_go_to_lhdn_in_one_consolidated_einvoice,
    an_invoice_in_us_dollars_goes_to_lhdn_with_its_exchange_rate,
);
