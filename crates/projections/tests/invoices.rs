//! The invoice list and the customer ledger on both back ends, fed by real invoice commands:
//! statuses and figures follow payments and notes, and a statement adds up.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use chrono::{Datelike, NaiveDate, TimeDelta};
use niaga_domain::{
    Ctx, Money,
    billing::LineInput,
    ids::{CustomerId, InvoiceId, NoteId, PaymentId},
    invoice::{
        CancelInvoice, DocumentKind, DocumentNumber, Invoice, InvoiceCommand, InvoiceStatus,
        IssueInvoice, IssueNote, PaymentMethod, RecordPayment,
    },
    testing::{sample_calibration_line, sample_invoice, test_ctx},
};
use niaga_projections::{
    Projection, checkpoint,
    customer_ledger::{self, CustomerLedger},
    invoice_list::{self, InvoiceFilter, InvoiceList},
    rebuild, runner,
};
use niaga_store::{CommandHandler, CommandOptions, Database, NumberSeries, Outcome};
use uuid::Uuid;

/// Runs `projection` until it has applied the event at `position`. One pass may stop short
/// on PostgreSQL: an open transaction anywhere on the server holds the feed back.
async fn catch_up_to(projection: &dyn Projection, db: &Database, position: i64) {
    let store = db.event_store();
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        runner::catch_up(projection, db, store.as_ref())
            .await
            .unwrap();
        if checkpoint::has_applied(db, projection.name(), position)
            .await
            .unwrap()
        {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "never reached {position}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

struct Books {
    invoices: CommandHandler<Invoice>,
    ctx: Ctx,
    last: i64,
}

impl Books {
    async fn run(
        &mut self,
        id: InvoiceId,
        command: InvoiceCommand,
    ) -> Outcome<niaga_domain::invoice::InvoiceEvent> {
        let outcome = self
            .invoices
            .execute(
                &id.to_string(),
                &command,
                &self.ctx,
                &CommandOptions::default(),
            )
            .await
            .unwrap();
        self.last = outcome.position.unwrap_or(self.last);
        outcome
    }

    /// Takes the next number of `kind`'s series and runs the command made from it.
    async fn numbered(
        &mut self,
        id: InvoiceId,
        kind: DocumentKind,
        command: impl Fn(DocumentNumber) -> InvoiceCommand + Send + Sync,
    ) {
        let year = self.ctx.business_day().year();
        let series = NumberSeries::new(kind.series(), year);
        let outcome = self
            .invoices
            .execute_numbered(
                &id.to_string(),
                &series,
                &|n| DocumentNumber::new(kind, year, n).ok().map(&command),
                &self.ctx,
                &CommandOptions::default(),
            )
            .await
            .unwrap();
        self.last = outcome.position.unwrap();
    }

    async fn draft(&mut self, customer: CustomerId) -> InvoiceId {
        let id = InvoiceId::from_uuid(Uuid::now_v7());
        self.run(
            id,
            InvoiceCommand::Draft(sample_invoice(id, customer).unwrap()),
        )
        .await;
        id
    }

    async fn issue(&mut self, id: InvoiceId) {
        self.numbered(id, DocumentKind::Invoice, |number| {
            InvoiceCommand::Issue(IssueInvoice {
                number,
                einvoice: niaga_domain::invoice::EInvoiceChoice::Individual,
                exchange_rate: None,
            })
        })
        .await;
    }

    async fn pay(&mut self, id: InvoiceId, amount: &str) {
        let received_on = self.ctx.business_day();
        self.run(
            id,
            InvoiceCommand::RecordPayment(RecordPayment {
                payment_id: PaymentId::from_uuid(Uuid::now_v7()),
                amount: Money::parse(amount, "MYR").unwrap(),
                method: PaymentMethod::BankTransfer,
                reference: Some("MBB 889123".into()),
                received_on,
            }),
        )
        .await;
    }

    async fn credit(&mut self, id: InvoiceId, line: LineInput) {
        let note_id = NoteId::from_uuid(Uuid::now_v7());
        self.numbered(id, DocumentKind::CreditNote, |number| {
            InvoiceCommand::IssueCreditNote(IssueNote {
                note_id,
                number,
                lines: vec![line.clone()],
                reason: "One weight was not calibrated".into(),
            })
        })
        .await;
    }

    async fn caught_up(&self, db: &Database) {
        catch_up_to(&InvoiceList, db, self.last).await;
        catch_up_to(&CustomerLedger, db, self.last).await;
    }
}

fn sen(amount: Money) -> i64 {
    amount.to_sen().unwrap()
}

async fn invoices_and_statements_follow_payments_notes_and_cancellations(db: Database) {
    let mut books = Books {
        invoices: CommandHandler::new(db.event_store()),
        ctx: test_ctx(),
        last: 0,
    };
    let customer = CustomerId::from_uuid(Uuid::now_v7());
    let other = CustomerId::from_uuid(Uuid::now_v7());

    let paid_in_part = books.draft(customer).await;
    books.issue(paid_in_part).await;
    books.pay(paid_in_part, "100.00").await;
    books
        .credit(paid_in_part, sample_calibration_line().unwrap())
        .await;
    let draft = books.draft(customer).await;
    let cancelled = books.draft(customer).await;
    books.issue(cancelled).await;
    books
        .run(
            cancelled,
            InvoiceCommand::Cancel(CancelInvoice {
                reason: "Issued to the wrong branch".into(),
            }),
        )
        .await;
    let elsewhere = books.draft(other).await;
    books.issue(elsewhere).await;
    books.caught_up(&db).await;

    // The list: newest first, with the aggregate's own figures and status.
    let state = books
        .invoices
        .load(&paid_in_part.to_string())
        .await
        .unwrap()
        .unwrap()
        .0;
    let record = state.drafted().unwrap();
    let mine = InvoiceFilter {
        customer_id: Some(customer.to_string()),
        limit: 50,
        ..InvoiceFilter::default()
    };
    let page = invoice_list::list(&db, &mine).await.unwrap();
    let ids: Vec<_> = page.items.iter().map(|i| i.invoice_id.clone()).collect();
    assert_eq!(
        ids,
        [cancelled, draft, paid_in_part].map(|id| id.to_string())
    );
    let row = &page.items[2];
    assert_eq!(row.status, "partly_paid");
    assert_eq!(record.status(), InvoiceStatus::PartlyPaid);
    assert_eq!(row.number.as_deref(), Some("INV-2026-000001"));
    assert_eq!(row.charged_sen, sen(record.charged()));
    assert_eq!(row.settled_sen, 10_000);
    assert_eq!(row.outstanding_sen(), sen(record.outstanding()));
    assert_eq!(page.items[1].status, "draft");
    assert_eq!(page.items[1].number, None);
    assert_eq!(page.items[0].status, "cancelled");
    assert_eq!(page.items[0].number.as_deref(), Some("INV-2026-000002"));

    let drafts = InvoiceFilter {
        status: Some(InvoiceStatus::Draft),
        limit: 50,
        ..InvoiceFilter::default()
    };
    let drafts = invoice_list::list(&db, &drafts).await.unwrap();
    assert_eq!(drafts.items.len(), 1);
    // Pages continue where the last one stopped.
    let first = invoice_list::list(
        &db,
        &InvoiceFilter {
            limit: 2,
            ..mine.clone()
        },
    )
    .await
    .unwrap();
    assert_eq!(first.items.len(), 2);
    let rest = invoice_list::list(
        &db,
        &InvoiceFilter {
            before: first.next,
            limit: 2,
            ..mine.clone()
        },
    )
    .await
    .unwrap();
    assert_eq!(rest.items[0].invoice_id, paid_in_part.to_string());
    assert_eq!(rest.next, None);

    // The statement: the cancelled invoice comes and goes, the other customer is not there.
    let today = books.ctx.business_day();
    let statement = customer_ledger::statement(&db, &customer.to_string(), "MYR", today, today)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(statement.opening_sen, 0);
    let kinds: Vec<_> = statement.entries.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "invoice",
            "payment",
            "credit_note",
            "invoice",
            "cancellation"
        ]
    );
    assert_eq!(statement.closing_sen, sen(record.outstanding()));
    assert_eq!(statement.entries[2].document_number, "CN-2026-000001");
    assert_eq!(
        statement.entries[1].reference.as_deref(),
        Some("MBB 889123")
    );

    // The next period opens with what this one closed at.
    let tomorrow = today + TimeDelta::days(1);
    let later = customer_ledger::statement(
        &db,
        &customer.to_string(),
        "MYR",
        tomorrow,
        NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(
        (later.opening_sen, later.entries.len()),
        (statement.closing_sen, 0)
    );
    assert_eq!(later.closing_sen, statement.closing_sen);

    // Above, the issue and the cancellation were applied in one batch; a cancellation in a
    // later batch than its issue takes the issue back whole too.
    let other_before = customer_ledger::statement(&db, &other.to_string(), "MYR", today, today)
        .await
        .unwrap()
        .unwrap();
    let late = books.draft(other).await;
    books.issue(late).await;
    books.caught_up(&db).await;
    books
        .run(
            late,
            InvoiceCommand::Cancel(CancelInvoice {
                reason: "Duplicate".into(),
            }),
        )
        .await;
    books.caught_up(&db).await;
    let theirs = customer_ledger::statement(&db, &other.to_string(), "MYR", today, today)
        .await
        .unwrap()
        .unwrap();
    let [.., issued, cancelled] = theirs.entries.as_slice() else {
        panic!("{theirs:?}");
    };
    assert_eq!(
        (issued.kind.as_str(), cancelled.kind.as_str()),
        ("invoice", "cancellation")
    );
    assert_eq!(cancelled.credit_sen, issued.debit_sen);
    assert_eq!(theirs.closing_sen, other_before.closing_sen);
}

niaga_store::on_both_backends!(invoices_and_statements_follow_payments_notes_and_cancellations);

/// Everything the invoice list and the ledger answer about `customers`, as JSON.
async fn answers(db: &Database, customers: &[CustomerId]) -> serde_json::Value {
    let mut all = Vec::new();
    let mut before = None;
    loop {
        let page = invoice_list::list(
            db,
            &InvoiceFilter {
                before,
                limit: 2,
                ..InvoiceFilter::default()
            },
        )
        .await
        .unwrap();
        all.extend(page.items);
        match page.next {
            Some(next) => before = Some(next),
            None => break,
        }
    }
    let mut statements = Vec::new();
    for customer in customers {
        let from = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        let to = NaiveDate::from_ymd_opt(2099, 12, 31).unwrap();
        statements.push(
            customer_ledger::statement(db, &customer.to_string(), "MYR", from, to)
                .await
                .unwrap(),
        );
    }
    serde_json::json!({ "invoices": all, "statements": statements })
}

async fn a_rebuilt_read_model_answers_exactly_as_before(db: Database) {
    let mut books = Books {
        invoices: CommandHandler::new(db.event_store()),
        ctx: test_ctx(),
        last: 0,
    };
    let customers = [
        CustomerId::from_uuid(Uuid::now_v7()),
        CustomerId::from_uuid(Uuid::now_v7()),
    ];
    for (i, customer) in customers.iter().cycle().take(7).enumerate() {
        let id = books.draft(*customer).await;
        if i % 3 != 2 {
            books.issue(id).await;
            books.pay(id, "10.00").await;
        }
        if i % 3 == 0 {
            books.credit(id, sample_calibration_line().unwrap()).await;
        }
    }
    books.caught_up(&db).await;
    let before = answers(&db, &customers).await;

    // Thrown away and rebuilt from the first event, the read models answer the same.
    niaga_store::on_writer!(&db, pool => sqlx::query("DELETE FROM invoice_list").execute(pool).await.map(drop))
        .unwrap();
    niaga_store::on_writer!(&db, pool => sqlx::query("DELETE FROM customer_ledger").execute(pool).await.map(drop))
        .unwrap();
    assert_ne!(answers(&db, &customers).await, before);
    let progress = std::sync::Mutex::new(Vec::new());
    for projection in [&InvoiceList as &dyn Projection, &CustomerLedger] {
        let read = rebuild::rebuild(projection, &db, &|p| progress.lock().unwrap().push(p))
            .await
            .unwrap()
            .applied;
        assert!(read > 0);
    }
    assert_eq!(answers(&db, &customers).await, before);
    let last = *progress.lock().unwrap().last().unwrap();
    assert_eq!(last.position, last.head);

    // The live runner goes on from where the rebuild switched over: later events apply once.
    let id = books.draft(customers[0]).await;
    books.issue(id).await;
    books.caught_up(&db).await;
    let after = answers(&db, &customers).await;
    assert_eq!(
        after["invoices"].as_array().unwrap().len(),
        before["invoices"].as_array().unwrap().len() + 1
    );
    let indexes = match &db {
        Database::Postgres(pool) => sqlx::query_scalar::<_, String>(
            "SELECT indexname::text FROM pg_indexes WHERE tablename = 'invoice_list' ORDER BY 1",
        )
        .fetch_all(pool)
        .await
        .unwrap(),
        Database::Sqlite { reader, .. } => sqlx::query_scalar::<_, String>(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'invoice_list' \
             AND sql IS NOT NULL ORDER BY 1",
        )
        .fetch_all(reader)
        .await
        .unwrap(),
    };
    assert!(
        indexes.iter().any(|i| i == "invoice_list_by_customer"),
        "the migrations' index names survive: {indexes:?}"
    );
}

/// A rebuild while commands keep coming and the live projector runs: when the writes stop
/// and the projector has caught up, the list holds every invoice once.
async fn a_rebuild_under_concurrent_writes_misses_nothing(db: Database) {
    let wake = std::sync::Arc::new(tokio::sync::Notify::new());
    let live = tokio::spawn(runner::run(
        std::sync::Arc::new(InvoiceList),
        db.clone(),
        db.event_store(),
        wake.clone(),
    ));
    let writer = {
        let db = db.clone();
        tokio::spawn(async move {
            let mut books = Books {
                invoices: CommandHandler::new(db.event_store()),
                ctx: test_ctx(),
                last: 0,
            };
            let customer = CustomerId::from_uuid(Uuid::now_v7());
            for _ in 0..60 {
                let id = books.draft(customer).await;
                books.issue(id).await;
            }
            books.last
        })
    };
    for _ in 0..3 {
        rebuild::rebuild(&InvoiceList, &db, &|_| {}).await.unwrap();
    }
    let last = writer.await.unwrap();
    wake.notify_waiters();
    runner::wait_for(&db, invoice_list::NAME, last, Duration::from_secs(30))
        .await
        .unwrap();
    live.abort();
    let page = invoice_list::list(
        &db,
        &InvoiceFilter {
            limit: 200,
            ..InvoiceFilter::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(page.items.len(), 60);
    assert!(page.items.iter().all(|i| i.status == "issued"));
    let numbers: std::collections::BTreeSet<_> =
        page.items.iter().filter_map(|i| i.number.clone()).collect();
    assert_eq!(numbers.len(), 60);
}

mod rebuilds {
    use super::*;
    niaga_store::on_both_backends!(
        a_rebuilt_read_model_answers_exactly_as_before,
        a_rebuild_under_concurrent_writes_misses_nothing
    );
}
