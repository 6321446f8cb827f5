//! The PDF issuer over time and across instances: a PDF addresses the customer as they
//! stood when the document was issued, however they change later, so rendering it again
//! gives the bytes its history records; and with several instances on one PostgreSQL
//! database one of them issues, each PDF once.

use std::time::Duration;

use axum::http::{Method, StatusCode};
use niaga_api::{AppOptions, AppState, auth::Auth, auth::Role, pdfs, secret::Secret};
use niaga_store::{Backend, on_writer};
use serde_json::json;

use crate::{
    customers::acme,
    helpers::{JWT_KEY, TestApp, send_as},
    pdfs::{
        ISSUER, fetch, get, history, issue_pdfs, issue_pdfs_as, issued_invoice, lhdn_validates,
        pdf_text, rewind_the_issuer,
    },
};

async fn a_pdf_keeps_the_customer_as_they_stood_when_the_document_was_issued(app: TestApp) {
    let (id, _) = issued_invoice(&app).await;
    issue_pdfs(&app, 1).await;

    // The customer is renamed and moves after the invoice was issued.
    let customer = get(&app, &format!("/invoices/{id}")).await["customer_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut moved = acme();
    moved["name"] = json!("Acme Timbang Holdings Berhad");
    moved["address"] = json!({
        "lines": ["No. 8, Jalan Perusahaan Klang 2"], "city": "Klang",
        "postcode": "41050", "state": "10"
    });
    let amended = send_as(
        &app,
        Method::PUT,
        &format!("/customers/{customer}"),
        &moved,
        Role::Sales,
        &[],
    )
    .await;
    assert_eq!(amended.status, StatusCode::OK);
    // A later version of the same invoice (LHDN's QR code), rendered after the move.
    lhdn_validates(&app, &id, None, "RENAMED5P6DS7D8IU7XW1P4T3").await;
    issue_pdfs(&app, 1).await;

    let view = get(&app, &format!("/invoices/{id}")).await;
    let documents = view["documents"].as_array().unwrap().clone();
    assert_eq!(documents.len(), 2, "{view}");
    let mut issued = Vec::new();
    for link in &documents {
        let (pdf, _) = fetch(&app, link).await;
        let text = pdf_text(&pdf);
        for then in [
            "Acme Timbang Sdn. Bhd.",
            "Lot 5, Jalan Utas 15/7",
            "40200 Shah Alam",
        ] {
            assert!(text.contains(then), "{then} not in {text}");
        }
        for now in ["Holdings", "Jalan Perusahaan", "Klang"] {
            assert!(!text.contains(now), "{now} in {text}");
        }
        issued.push(pdf);
    }

    // Rendered again from the history alone (the stored copies' rows gone, the checkpoint
    // back at the start): the same bytes as issued, which `fetch` checks against the
    // digest the invoice's history records.
    let db = app.state.db();
    on_writer!(db, pool => sqlx::query("DELETE FROM documents WHERE document_id = $1")
        .bind(&id)
        .execute(pool)
        .await
        .map(drop))
    .unwrap();
    rewind_the_issuer(&app.state).await;
    assert_eq!(
        pdfs::catch_up(&app.state, ISSUER).await.unwrap(),
        Some(0),
        "recorded already: nothing new in the history"
    );
    for (link, pdf) in documents.iter().zip(&issued) {
        assert_eq!(
            &fetch(&app, link).await.0,
            pdf,
            "a byte-identical re-render"
        );
    }
}

/// A second `niaga serve` on the same database and document store.
fn another_instance(app: &TestApp) -> AppState {
    let auth = Auth::new(&Secret::new(JWT_KEY.to_vec()), Duration::from_secs(900)).unwrap();
    let options = AppOptions {
        documents: Some(app.state.documents().clone()),
        ..AppOptions::default()
    };
    AppState::with_options(app.state.db().clone(), auth, options)
}

/// Two instances run the issuer at once on PostgreSQL: one of them holds the lease and
/// issues every PDF, once; the other renders nothing until the lease is given up, then
/// takes over.
#[tokio::test]
async fn with_two_instances_one_issues_and_each_pdf_is_issued_once() {
    let app = TestApp::spawn(Backend::Postgres).await;
    let instances = [
        ("instance-a", app.state.clone()),
        ("instance-b", another_instance(&app)),
    ];
    let mut invoices = Vec::new();
    for _ in 0..3 {
        invoices.push(issued_invoice(&app).await.0);
    }

    // Both at once, round after round: on PostgreSQL a commit reaches the feed once no
    // older transaction is open anywhere on the server, so it may take a few rounds.
    let mut rounds: [Vec<Option<u64>>; 2] = [Vec::new(), Vec::new()];
    for _ in 0..250 {
        let (a, b) = tokio::join!(
            pdfs::catch_up(&instances[0].1, instances[0].0),
            pdfs::catch_up(&instances[1].1, instances[1].0),
        );
        rounds[0].push(a.unwrap());
        rounds[1].push(b.unwrap());
        if rounds.iter().flatten().flatten().sum::<u64>() >= 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let (holder, other) = if rounds[0][0].is_some() {
        (0, 1)
    } else {
        (1, 0)
    };
    assert!(rounds[holder].iter().all(Option::is_some), "{rounds:?}");
    assert!(rounds[other].iter().all(Option::is_none), "{rounds:?}");
    assert_eq!(rounds[holder].iter().flatten().sum::<u64>(), 3);
    for id in &invoices {
        let recorded = history(&app, "invoice", id, "InvoicePdfIssued").await;
        assert_eq!(recorded.len(), 1, "invoice {id}");
    }
    let stored = app.state.documents().of_kind("invoice_pdf").await.unwrap();
    assert_eq!(stored.len(), 3, "each PDF stored once");

    // The holder stops (`serve` gives the lease up on shutdown): the other one goes on.
    let (stopped, stopped_state) = &instances[holder];
    niaga_scheduler::lease::give_up(app.state.db(), pdfs::LEASE, stopped)
        .await
        .unwrap();
    let (id, _) = issued_invoice(&app).await;
    issue_pdfs_as(&instances[other].1, instances[other].0, 1).await;
    assert_eq!(
        history(&app, "invoice", &id, "InvoicePdfIssued")
            .await
            .len(),
        1
    );
    assert_eq!(pdfs::catch_up(stopped_state, stopped).await.unwrap(), None);
}

crate::on_both_backends!(a_pdf_keeps_the_customer_as_they_stood_when_the_document_was_issued);
