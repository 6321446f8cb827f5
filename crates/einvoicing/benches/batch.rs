//! 100 issued invoices to LHDN as one batch, end to end against `lhdn-sandbox` (its limits
//! off, validation at once): `cargo bench -p niaga-einvoicing --bench batch`. Set
//! `BENCH_BACKEND=postgres` for PostgreSQL (SQLite by default), `BENCH_DOCUMENTS` for
//! another count. A plain binary printing numbers.
#![allow(clippy::print_stdout, clippy::unwrap_used)]

#[path = "../../lhdn/tests/common/mod.rs"]
mod common;

use std::time::Instant;

use chrono::{Datelike, Utc};
use niaga_documents::DocumentStore;
use niaga_domain::customer::{Customer, CustomerCommand};
use niaga_domain::ids::{CustomerId, InvoiceId};
use niaga_domain::invoice::{DocumentKind, DocumentNumber, Invoice, InvoiceCommand, IssueInvoice};
use niaga_domain::testing::{sample_company, sample_invoice};
use niaga_domain::{Actor, Ctx};
use niaga_einvoicing::testing;
use niaga_lhdn::testing::TestPki;
use niaga_lhdn_sandbox::DocumentStatus;
use niaga_store::{Backend, CommandHandler, CommandOptions, testing::fresh_database};
use uuid::Uuid;

#[tokio::main]
async fn main() {
    let backend = match std::env::var("BENCH_BACKEND").as_deref() {
        Ok("postgres") => Backend::Postgres,
        _ => Backend::Sqlite,
    };
    let count: u64 = std::env::var("BENCH_DOCUMENTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100);
    let db = fresh_database(backend).await.unwrap();
    let pki = TestPki::new();
    let sandbox = niaga_lhdn_sandbox::start(testing::sandbox_config(&pki.ca_pem))
        .await
        .unwrap();

    // The invoices, issued through the domain as the API would.
    let ctx = Ctx::new(Utc::now(), Actor::System("bench".into()), Uuid::now_v7());
    let customer = CustomerId::from_uuid(Uuid::now_v7());
    let register =
        sample_company(customer, "Kedai Runcit Maju Sdn Bhd", testing::BUYER_TIN).unwrap();
    CommandHandler::<Customer>::new(db.event_store())
        .execute(
            &customer.to_string(),
            &CustomerCommand::Register(register),
            &ctx,
            &CommandOptions::default(),
        )
        .await
        .unwrap();
    let invoices = CommandHandler::<Invoice>::new(db.event_store());
    let year = ctx.business_day().year();
    for serial in 1..=count {
        let id = InvoiceId::from_uuid(Uuid::now_v7());
        let draft = sample_invoice(id, customer).unwrap();
        for command in [
            InvoiceCommand::Draft(draft),
            InvoiceCommand::Issue(IssueInvoice {
                number: DocumentNumber::new(DocumentKind::Invoice, year, serial).unwrap(),
                einvoice: niaga_domain::invoice::EInvoiceChoice::Individual,
                exchange_rate: None,
            }),
        ] {
            invoices
                .execute(&id.to_string(), &command, &ctx, &CommandOptions::default())
                .await
                .unwrap();
        }
    }

    let submitter = testing::submitter(
        &db,
        DocumentStore::in_memory(db.clone()),
        &sandbox,
        pki.identity(),
        common::supplier(),
        testing::eager(&sandbox),
    );

    let start = Instant::now();
    let first = submitter.run_cycle(Utc::now()).await.unwrap();
    let submitted = start.elapsed();
    let mut cycles = 1;
    let mut recorded_valid = first.get("valid").copied().unwrap_or(0);
    let valid = |sandbox: &niaga_lhdn_sandbox::RunningSandbox| {
        (1..=count)
            .filter(|serial| {
                let number = DocumentNumber::new(DocumentKind::Invoice, year, *serial).unwrap();
                sandbox
                    .received(number.as_str())
                    .iter()
                    .any(|d| d.status == DocumentStatus::Valid)
            })
            .count() as u64
    };
    loop {
        let report = submitter.run_cycle(Utc::now()).await.unwrap();
        cycles += 1;
        recorded_valid += report.get("valid").copied().unwrap_or(0);
        // On PostgreSQL the read model may see the last acceptances a cycle later.
        if recorded_valid >= count || cycles > 50 {
            break;
        }
    }
    let total = start.elapsed();
    assert_eq!(first.get("submitted"), Some(&count), "{first:?}");
    assert_eq!(valid(&sandbox), count);
    println!("backend: {backend:?}, documents: {count}");
    println!(
        "sign, store, record and submit (cycle 1): {:>8.1} ms ({:.2} ms/document)",
        submitted.as_secs_f64() * 1e3,
        submitted.as_secs_f64() * 1e3 / count as f64
    );
    println!(
        "to every document valid ({cycles} cycles):  {:>8.1} ms ({:.0} documents/s)",
        total.as_secs_f64() * 1e3,
        count as f64 / total.as_secs_f64()
    );
    sandbox.shutdown().await;
}
