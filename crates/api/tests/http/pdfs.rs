//! Issued documents get their PDF: rendered by the issuer from the feed, kept in the
//! document store for seven years, recorded by its SHA-256 in the document's history, and
//! served at the link the document's view carries. A replay of the feed issues nothing new.

use std::process::Command;

use axum::http::{Method, StatusCode};
use chrono::{Datelike as _, Utc};
use niaga_api::{AppState, auth::Role, pdfs};
use niaga_domain::{
    Actor, Ctx,
    invoice::{Invoice, InvoiceCommand, RecordLhdnValidation},
};
use niaga_projections::{ReadTx, checkpoint};
use niaga_store::{CommandOptions, Cursor, StreamRef};
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

use crate::{
    customers::register,
    helpers::{TestApp, TestResponse, send_as},
};

/// Runs a poppler tool on `pdf` and returns what it prints.
fn poppler(tool: &str, args: &[&str], pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("document.pdf");
    std::fs::write(&path, pdf).unwrap();
    let output = Command::new(tool)
        .args(args)
        .arg(&path)
        .output()
        .unwrap_or_else(|e| panic!("{tool} (poppler-utils: scripts/test.sh installs it): {e}"));
    assert!(
        output.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The text of a PDF, runs of white space squeezed to one space.
pub fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("document.pdf");
    std::fs::write(&path, pdf).unwrap();
    let output = Command::new("pdftotext")
        .args(["-layout"])
        .arg(&path)
        .arg("-")
        .output()
        .unwrap_or_else(|e| panic!("pdftotext (poppler-utils: scripts/test.sh installs it): {e}"));
    assert!(output.status.success());
    String::from_utf8(output.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// How many images a PDF holds.
pub fn pdf_images(pdf: &[u8]) -> usize {
    // Two header lines, then one line per image.
    poppler("pdfimages", &["-list"], pdf)
        .lines()
        .count()
        .saturating_sub(2)
}

fn pages(pdf: &[u8]) -> u32 {
    poppler("pdfinfo", &[], pdf)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

/// The test instance's name in the issuer's lease.
pub const ISSUER: &str = "test-instance";

/// Runs the PDF issuer until it has appended `expected` PDF events. On PostgreSQL the feed
/// shows a commit once no older transaction is in flight anywhere on the server (the
/// gap-safe read), so a command's events may take a moment to reach the issuer.
pub async fn issue_pdfs(app: &TestApp, expected: u64) {
    issue_pdfs_as(&app.state, ISSUER, expected).await;
}

/// [`issue_pdfs`] by the instance `state` named `holder` in the issuer's lease.
pub async fn issue_pdfs_as(state: &AppState, holder: &str, expected: u64) {
    let mut appended = 0;
    for _ in 0..250 {
        appended += pdfs::catch_up(state, holder)
            .await
            .unwrap()
            .expect("the issuer's lease, which no other instance holds");
        if appended >= expected {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(appended, expected, "PDF events appended");
}

/// Moves the issuer's checkpoint back to the start of the feed.
pub async fn rewind_the_issuer(state: &AppState) {
    let mut tx = ReadTx::begin(state.db()).await.unwrap();
    checkpoint::advance(&mut tx, pdfs::NAME, Cursor::START)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// Records LHDN's validation of the invoice `id` (or of its note) under `document_uuid`,
/// with the long id `LONG<document_uuid>`, as the submitter does when LHDN answers.
pub async fn lhdn_validates(
    app: &TestApp,
    id: &str,
    note_id: Option<niaga_domain::ids::NoteId>,
    document_uuid: &str,
) {
    let ctx = Ctx::new(
        Utc::now(),
        Actor::System("test".into()),
        uuid::Uuid::now_v7(),
    );
    let validation = InvoiceCommand::RecordLhdnValidation(RecordLhdnValidation {
        note_id,
        document_uuid: document_uuid.into(),
        long_id: format!("LONG{document_uuid}"),
        validated_at: Utc::now(),
    });
    app.state
        .commands::<Invoice>()
        .execute(id, &validation, &ctx, &CommandOptions::default())
        .await
        .unwrap();
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

pub async fn post(app: &TestApp, path: &str, body: &Value, role: Role) -> Value {
    succeeded(&send_as(app, Method::POST, path, body, role, &[]).await)
}

pub async fn get(app: &TestApp, path: &str) -> Value {
    succeeded(&app.get(path, Some(Role::Sales)).await)
}

fn lines() -> Value {
    let myr = |amount: &str| json!({ "amount": amount, "currency": "MYR" });
    json!([
        { "description": "Calibration of 20 kg test weight, class M1", "quantity": "2",
          "unit": "C62", "unit_price": myr("350.00"), "tax": { "kind": "service" } },
        { "description": "Carrying case for 20 kg weights", "quantity": "1", "unit": "H87",
          "unit_price": myr("120.00"), "tax": { "kind": "goods_resale" } }
    ])
}

/// An issued invoice for a new customer: (its id, its number).
pub async fn issued_invoice(app: &TestApp) -> (String, String) {
    let customer = register(app).await;
    let body = json!({ "customer_id": customer, "lines": lines(), "payment_terms_days": 30 });
    let id = post(app, "/invoices", &body, Role::Finance).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let issued = post(
        app,
        &format!("/invoices/{id}/issue"),
        &json!({}),
        Role::Finance,
    )
    .await;
    (id, issued["number"].as_str().unwrap().to_owned())
}

/// The PDF behind a view's `documents[i]`, fetched as staff, checked against its digest.
pub async fn fetch(app: &TestApp, link: &Value) -> (Vec<u8>, TestResponse) {
    let response = app
        .get(link["href"].as_str().unwrap(), Some(Role::Finance))
        .await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.header("content-type"), "application/pdf");
    let bytes = response.body.to_vec();
    assert_eq!(link["sha256"], hex::encode(Sha256::digest(&bytes)));
    assert_eq!(link["size_bytes"], bytes.len());
    (bytes, response)
}

/// The payloads of the stream's events of `event_type`.
pub async fn history(app: &TestApp, stream_type: &str, id: &str, event_type: &str) -> Vec<Value> {
    app.state
        .event_store()
        .read_stream(&StreamRef::new(stream_type, id), 0)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.event_type == event_type)
        .map(|e| serde_json::from_str(e.payload.text()).unwrap())
        .collect()
}

async fn an_issued_invoice_has_its_pdf_in_its_history_kept_seven_years(app: TestApp) {
    let (id, number) = issued_invoice(&app).await;
    issue_pdfs(&app, 1).await;

    let view = get(&app, &format!("/invoices/{id}")).await;
    let documents = view["documents"].as_array().unwrap();
    assert_eq!(documents.len(), 1, "{view}");
    assert_eq!(documents[0]["kind"], "invoice");
    assert_eq!(documents[0]["document_id"], id.as_str());
    let (pdf, response) = fetch(&app, &documents[0]).await;
    let until = format!(
        "{}-12-31",
        niaga_domain::business_day(Utc::now()).year() + 7
    );
    assert_eq!(response.header("x-retention-until"), until);

    // In the invoice's history, by the digest of the bytes served.
    let recorded = history(&app, "invoice", &id, "InvoicePdfIssued").await;
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0]["kind"], "invoice");
    assert_eq!(recorded[0]["sha256"], hex::encode(Sha256::digest(&pdf)));
    assert_eq!(
        recorded[0]["document_key"],
        &documents[0]["href"].as_str().unwrap()["/documents/".len()..]
    );

    let text = pdf_text(&pdf);
    for expected in [
        number.as_str(),
        "Acme Timbang Sdn. Bhd.",
        "Calibration of 20 kg test weight",
        "Page 1 of 1",
    ] {
        assert!(text.contains(expected), "{expected} not in {text}");
    }
    assert!(
        !text.contains("LHDN"),
        "no QR code before LHDN validates it"
    );
    assert_eq!(pages(&pdf), 1);

    // LHDN validates it: a new version of the PDF, with the QR code's link and the UUID.
    lhdn_validates(&app, &id, None, "F9D425P6DS7D8IU7XW1P4T3H10").await;
    issue_pdfs(&app, 1).await;
    let view = get(&app, &format!("/invoices/{id}")).await;
    let documents = view["documents"].as_array().unwrap();
    assert_eq!(documents.len(), 2, "{view}");
    assert!(documents[1]["version"].as_u64() > documents[0]["version"].as_u64());
    let (validated, _) = fetch(&app, &documents[1]).await;
    let text = pdf_text(&validated);
    let url = "https://myinvois.hasil.gov.my/F9D425P6DS7D8IU7XW1P4T3H10/share/LONGF9D425P6DS7D8IU7XW1P4T3H10";
    assert!(text.contains(url), "the validation link as text: {text}");
    assert!(text.contains("F9D425P6DS7D8IU7XW1P4T3H10"));
    assert!(
        pdf_images(&validated) >= 1 || text.contains("Validated by LHDN"),
        "the QR code"
    );

    // The issuer again, and the whole feed replayed from the start: nothing new.
    let version = |app: &TestApp| {
        let id = id.clone();
        let store = app.state.event_store().clone();
        async move {
            store
                .read_stream(&StreamRef::new("invoice", &id), 0)
                .await
                .unwrap()
                .len()
        }
    };
    let before = version(&app).await;
    assert_eq!(pdfs::catch_up(&app.state, ISSUER).await.unwrap(), Some(0));
    rewind_the_issuer(&app.state).await;
    assert_eq!(pdfs::catch_up(&app.state, ISSUER).await.unwrap(), Some(0));
    assert_eq!(version(&app).await, before);
    assert_eq!(
        history(&app, "invoice", &id, "InvoicePdfIssued")
            .await
            .len(),
        2
    );
    let stored = app.state.documents().of_kind("invoice_pdf").await.unwrap();
    assert_eq!(stored.len(), 2, "each PDF stored once");
}

async fn a_sent_quotation_revision_and_a_credit_note_get_their_pdfs(app: TestApp) {
    let customer = register(&app).await;
    let made = post(
        &app,
        "/quotations",
        &json!({ "customer_id": customer, "lines": lines() }),
        Role::Sales,
    )
    .await;
    let quotation = made["id"].as_str().unwrap().to_owned();
    let to = json!({ "to": { "name": "Puan Aminah", "email": "aminah@acme.com.my" } });
    post(
        &app,
        &format!("/quotations/{quotation}/send"),
        &to,
        Role::Sales,
    )
    .await;

    let (invoice, invoice_number) = issued_invoice(&app).await;
    let note = json!({
        "reason": "One weight was not calibrated",
        "lines": [{ "description": "Calibration of 20 kg test weight, class M1", "quantity": "1",
          "unit": "C62", "unit_price": { "amount": "350.00", "currency": "MYR" },
          "tax": { "kind": "service" } }]
    });
    post(
        &app,
        &format!("/invoices/{invoice}/credit-notes"),
        &note,
        Role::Finance,
    )
    .await;
    // The quotation's, the invoice's and the note's.
    issue_pdfs(&app, 3).await;

    let view = get(&app, &format!("/quotations/{quotation}")).await;
    let documents = view["documents"].as_array().unwrap();
    assert_eq!(documents.len(), 1, "{view}");
    assert_eq!(documents[0]["kind"], "quotation");
    let (pdf, _) = fetch(&app, &documents[0]).await;
    let text = pdf_text(&pdf);
    let number = format!("{} r1", view["number"].as_str().unwrap());
    for expected in [number.as_str(), "Quotation", "Puan Aminah", "Valid until"] {
        assert!(text.contains(expected), "{expected} not in {text}");
    }

    let view = get(&app, &format!("/invoices/{invoice}")).await;
    let kinds: Vec<_> = view["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["kind"].clone())
        .collect();
    assert_eq!(kinds, [json!("invoice"), json!("credit_note")]);
    let (note_pdf, _) = fetch(&app, &view["documents"][1]).await;
    let text = pdf_text(&note_pdf);
    for expected in [
        "Credit Note",
        invoice_number.as_str(),
        "One weight was not calibrated",
    ] {
        assert!(text.contains(expected), "{expected} not in {text}");
    }
    assert!(!text.contains("Validated by LHDN"));

    // LHDN validates the note: a new version of the note's PDF, with its own QR link.
    let note_id: niaga_domain::ids::NoteId =
        view["notes"][0]["id"].as_str().unwrap().parse().unwrap();
    lhdn_validates(&app, &invoice, Some(note_id), "NOTE5P6DS7D8IU7XW1P4T3H10").await;
    issue_pdfs(&app, 1).await;
    let view = get(&app, &format!("/invoices/{invoice}")).await;
    let validated = &view["documents"][2];
    assert_eq!(validated["kind"], "credit_note", "{view}");
    assert_eq!(validated["document_id"], view["notes"][0]["id"]);
    let (pdf, _) = fetch(&app, validated).await;
    let url = "https://myinvois.hasil.gov.my/NOTE5P6DS7D8IU7XW1P4T3H10/share/\
               LONGNOTE5P6DS7D8IU7XW1P4T3H10";
    assert!(pdf_text(&pdf).contains(url), "the note's validation link");
}

async fn a_returned_rental_unit_gets_a_receipt(app: TestApp) {
    let _projectors = niaga_projections::runner::spawn_all(app.state.db(), app.state.committed());
    let customer = register(&app).await;
    let a = crate::rentals::unit(&app, "TW-0901").await;
    let b = crate::rentals::unit(&app, "TW-0902").await;
    let myr = |amount: &str| json!({ "amount": amount, "currency": "MYR" });
    let days_ago = crate::rentals::days_ago;
    let reserve = json!({
        "customer_id": customer, "unit_ids": [a, b],
        "start_on": days_ago(6), "expected_return_on": days_ago(0),
        "deposit": myr("0.00")
    });
    let rental = post(&app, "/rentals", &reserve, Role::Warehouse).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for unit in [&a, &b] {
        let out = json!({ "unit_id": unit, "collected_by": "Ahmad bin Ali", "on": days_ago(6) });
        post(
            &app,
            &format!("/rentals/{rental}/check-out"),
            &out,
            Role::Warehouse,
        )
        .await;
    }
    let back = json!({
        "unit_id": a, "condition": "damaged", "damage_charge": myr("150.00"),
        "note": "Dent on the handle", "on": days_ago(1)
    });
    post(
        &app,
        &format!("/rentals/{rental}/check-in"),
        &back,
        Role::Warehouse,
    )
    .await;
    issue_pdfs(&app, 1).await;

    let view = get(&app, &format!("/rentals/{rental}")).await;
    let documents = view["documents"].as_array().unwrap();
    assert_eq!(documents.len(), 1, "{view}");
    assert_eq!(documents[0]["kind"], "rental_return_receipt");
    let (pdf, _) = fetch(&app, &documents[0]).await;
    let text = pdf_text(&pdf);
    for expected in [
        "Rental Return Receipt",
        "TW-0901",
        "damaged",
        "Dent on the handle",
        "MYR 150.00",
        "Still out with the customer",
        "TW-0902",
    ] {
        assert!(text.contains(expected), "{expected} not in {text}");
    }
}

async fn an_unknown_document_is_a_problem(app: TestApp) {
    app.get(
        "/documents/0193a6f1-0000-7000-8000-000000000000",
        Some(Role::Finance),
    )
    .await
    .assert_problem(StatusCode::NOT_FOUND, "not-found");
    app.get("/documents/not-a-uuid", Some(Role::Finance))
        .await
        .assert_problem(StatusCode::BAD_REQUEST, "bad-request");
}

crate::on_both_backends!(
    an_issued_invoice_has_its_pdf_in_its_history_kept_seven_years,
    a_sent_quotation_revision_and_a_credit_note_get_their_pdfs,
    a_returned_rental_unit_gets_a_receipt,
    an_unknown_document_is_a_problem,
);
