//! Receivables and aging on both back ends, fed by real invoice commands on chosen days: every
//! bucket boundary, partial payments, notes, a credit balance, a cancellation, a payment dated
//! back, and a day before the issue; and, on PostgreSQL, the plans of the aging queries on a
//! table of 100,000 rows.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use chrono::{Datelike, Days, NaiveDate, TimeZone, Utc};
use niaga_domain::{
    Actor, Ctx, Money,
    billing::LineInput,
    ids::{CustomerId, InvoiceId, NoteId, PaymentId},
    invoice::{
        CancelInvoice, DocumentKind, DocumentNumber, Invoice, InvoiceCommand, InvoiceEvent,
        IssueInvoice, IssueNote, PaymentMethod, RecordPayment,
        aging::{AgedAmounts, Aging, AgingBucket},
    },
    tax::TaxTreatment,
    testing::sample_invoice,
    values::{Quantity, UnitCode},
};
use niaga_projections::{
    Projection, ReadTx, checkpoint, rebuild,
    receivables::{self, Receivables},
    runner,
};
use niaga_store::{CommandHandler, CommandOptions, Cursor, Database, NumberSeries};
use uuid::Uuid;

/// Runs the projection until it has applied the event at `position`. One pass may stop short
/// on PostgreSQL: an open transaction anywhere on the server holds the feed back.
async fn catch_up_to(db: &Database, position: i64) {
    let store = db.event_store();
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        runner::catch_up(&Receivables, db, store.as_ref())
            .await
            .unwrap();
        if checkpoint::has_applied(db, NAME, position).await.unwrap() {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "never reached {position}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

const NAME: &str = receivables::NAME;

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn rm(amount: &str) -> Money {
    Money::parse(amount, "MYR").unwrap()
}

/// One resold item at `amount`: no SST, so a note's payable is exactly `amount`.
fn item(amount: &str) -> LineInput {
    LineInput {
        item_code: None,
        description: "Carrying case for 20 kg weights".into(),
        quantity: Quantity::parse("1").unwrap(),
        unit: UnitCode::parse("H87").unwrap(),
        unit_price: rm(amount),
        discount: rm("0"),
        tax: TaxTreatment::GoodsResale,
    }
}

/// The company's books, written by real invoice commands on whichever day `on` sets.
struct Books {
    invoices: CommandHandler<Invoice>,
    ctx: Ctx,
    last: i64,
}

impl Books {
    fn new(db: &Database) -> Self {
        let mut books = Self {
            invoices: CommandHandler::new(db.event_store()),
            ctx: niaga_domain::testing::test_ctx(),
            last: 0,
        };
        books.on("2026-01-05");
        books
    }

    /// Works on `date` from now on, at 10:00 in Kuala Lumpur. The events are recorded then.
    fn on(&mut self, date: &str) {
        let at = day(date).and_hms_opt(2, 0, 0).unwrap();
        self.ctx = Ctx::new(
            Utc.from_utc_datetime(&at),
            Actor::User(Uuid::nil()),
            Uuid::nil(),
        );
    }

    async fn run(&mut self, id: InvoiceId, command: InvoiceCommand) {
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
    }

    /// Takes the next number of `kind`'s series and runs the command made from it.
    async fn numbered(
        &mut self,
        id: InvoiceId,
        kind: DocumentKind,
        command: impl Fn(DocumentNumber) -> InvoiceCommand + Send + Sync,
    ) -> Vec<InvoiceEvent> {
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
        outcome.events
    }

    /// Drafts and issues the sample invoice (due 30 days after today): its id and payable.
    async fn issue(&mut self, customer: CustomerId) -> (InvoiceId, Money) {
        let id = InvoiceId::from_uuid(Uuid::now_v7());
        self.run(
            id,
            InvoiceCommand::Draft(sample_invoice(id, customer).unwrap()),
        )
        .await;
        let events = self
            .numbered(id, DocumentKind::Invoice, |number| {
                InvoiceCommand::Issue(IssueInvoice {
                    number,
                    einvoice: niaga_domain::invoice::EInvoiceChoice::Individual,
                    exchange_rate: None,
                })
            })
            .await;
        let [InvoiceEvent::InvoiceIssued(issued)] = events.as_slice() else {
            panic!("{events:?}")
        };
        (id, issued.totals.payable())
    }

    async fn pay(&mut self, id: InvoiceId, amount: Money, received_on: &str) {
        self.run(
            id,
            InvoiceCommand::RecordPayment(RecordPayment {
                payment_id: PaymentId::from_uuid(Uuid::now_v7()),
                amount,
                method: PaymentMethod::BankTransfer,
                reference: None,
                received_on: day(received_on),
            }),
        )
        .await;
    }

    async fn note(&mut self, id: InvoiceId, kind: DocumentKind, amount: &str) {
        let note_id = NoteId::from_uuid(Uuid::now_v7());
        let note = move |number| IssueNote {
            note_id,
            number,
            lines: vec![item(amount)],
            reason: "Adjusted after delivery".into(),
        };
        self.numbered(id, kind, |number| match kind {
            DocumentKind::CreditNote => InvoiceCommand::IssueCreditNote(note(number)),
            DocumentKind::DebitNote => InvoiceCommand::IssueDebitNote(note(number)),
            _ => InvoiceCommand::IssueRefundNote(note(number)),
        })
        .await;
    }

    async fn cancel(&mut self, id: InvoiceId) {
        self.run(
            id,
            InvoiceCommand::Cancel(CancelInvoice {
                reason: "Issued to the wrong branch".into(),
            }),
        )
        .await;
    }
}

async fn aging(db: &Database, as_of: &str, customer: Option<CustomerId>) -> Aging {
    let customer = customer.map(|c| c.to_string());
    receivables::aging(db, day(as_of), customer.as_deref())
        .await
        .unwrap()
}

/// A customer's amounts in MYR, bucket by bucket; all zero if the customer has none.
fn of(aging: &Aging, customer: CustomerId) -> [Money; 5] {
    aging
        .customers
        .iter()
        .find(|c| c.customer_id == customer)
        .map_or([rm("0"); 5], |c| buckets(&c.amounts))
}

fn buckets(amounts: &AgedAmounts) -> [Money; 5] {
    AgingBucket::ALL.map(|bucket| amounts.get(bucket))
}

/// `amount` in `bucket`'s place, zero elsewhere.
fn only(bucket: AgingBucket, amount: Money) -> [Money; 5] {
    AgingBucket::ALL.map(|b| if b == bucket { amount } else { rm("0") })
}

async fn an_invoice_ages_through_every_bucket_boundary(db: Database) {
    let mut books = Books::new(&db);
    let customer = CustomerId::from_uuid(Uuid::now_v7());
    books.on("2026-01-05");
    let (_, payable) = books.issue(customer).await;
    catch_up_to(&db, books.last).await;

    // Issued on 5 January, due 30 days later: 4 February.
    let due = day("2026-02-04");
    for (days, bucket) in [
        (0, AgingBucket::Current),
        (1, AgingBucket::Days1To30),
        (30, AgingBucket::Days1To30),
        (31, AgingBucket::Days31To60),
        (60, AgingBucket::Days31To60),
        (61, AgingBucket::Days61To90),
        (90, AgingBucket::Days61To90),
        (91, AgingBucket::Over90),
    ] {
        let as_of = due.checked_add_days(Days::new(days)).unwrap().to_string();
        let aging = aging(&db, &as_of, None).await;
        assert_eq!(of(&aging, customer), only(bucket, payable), "{days} days");
        assert_eq!(aging.totals.len(), 1, "{days} days");
        assert_eq!(buckets(&aging.totals[0]), only(bucket, payable));
        assert_eq!(aging.totals[0].total(), payable);
    }
    let issue_day = aging(&db, "2026-01-05", None).await;
    assert_eq!(
        of(&issue_day, customer),
        only(AgingBucket::Current, payable)
    );
    // The day before the issue there was no invoice.
    let before = aging(&db, "2026-01-04", None).await;
    assert_eq!(before.customers, []);
    assert_eq!(before.totals, []);
}

async fn payments_notes_and_cancellations_count_from_their_own_dates(db: Database) {
    let mut books = Books::new(&db);
    let [acme, credited, other] = [(); 3].map(|()| CustomerId::from_uuid(Uuid::now_v7()));
    let zero = rm("0");
    let less = |a: Money, b: &str| a.checked_sub(rm(b)).unwrap();
    let sum = |amounts: &[Money]| {
        amounts
            .iter()
            .fold(zero, |sum, amount| sum.checked_add(*amount).unwrap())
    };

    books.on("2026-03-02");
    let (part_paid, part_paid_total) = books.issue(acme).await;
    let (cancelled, cancelled_total) = books.issue(acme).await;
    let (dated_back, dated_back_total) = books.issue(acme).await;
    let (overpaid, overpaid_total) = books.issue(credited).await;
    let (elsewhere, elsewhere_total) = books.issue(other).await;
    books.on("2026-03-03");
    books.cancel(cancelled).await;
    books.on("2026-03-05");
    books.pay(overpaid, overpaid_total, "2026-03-05").await;
    books.on("2026-03-06");
    // Credited after it was paid in full: the company owes the customer RM 100.
    books
        .note(overpaid, DocumentKind::CreditNote, "100.00")
        .await;
    books.on("2026-03-10");
    books.pay(part_paid, rm("300.00"), "2026-03-10").await;
    books.on("2026-03-15");
    books
        .note(part_paid, DocumentKind::CreditNote, "50.00")
        .await;
    books
        .note(part_paid, DocumentKind::DebitNote, "20.00")
        .await;
    books.on("2026-03-20");
    // Recorded on the 20th, received on the 12th: the aging as of the 12th counts it.
    books.pay(dated_back, rm("400.00"), "2026-03-12").await;
    books.pay(elsewhere, elsewhere_total, "2026-03-20").await;
    books.on("2026-03-21");
    books
        .note(overpaid, DocumentKind::RefundNote, "100.00")
        .await;
    catch_up_to(&db, books.last).await;

    // Everything is due on 1 April: current throughout March. Per day: what acme, the
    // credited customer and the other one owe.
    let part_paid_after_payment = less(part_paid_total, "300.00");
    let part_paid_after_notes = less(part_paid_total, "330.00");
    let dated_back_after_payment = less(dated_back_total, "400.00");
    let days = [
        (
            "2026-03-02",
            sum(&[part_paid_total, cancelled_total, dated_back_total]),
            overpaid_total,
            elsewhere_total,
        ),
        (
            "2026-03-03",
            sum(&[part_paid_total, dated_back_total]),
            overpaid_total,
            elsewhere_total,
        ),
        (
            "2026-03-05",
            sum(&[part_paid_total, dated_back_total]),
            zero,
            elsewhere_total,
        ),
        (
            "2026-03-06",
            sum(&[part_paid_total, dated_back_total]),
            rm("-100.00"),
            elsewhere_total,
        ),
        (
            "2026-03-10",
            sum(&[part_paid_after_payment, dated_back_total]),
            rm("-100.00"),
            elsewhere_total,
        ),
        (
            "2026-03-12",
            sum(&[part_paid_after_payment, dated_back_after_payment]),
            rm("-100.00"),
            elsewhere_total,
        ),
        (
            "2026-03-15",
            sum(&[part_paid_after_notes, dated_back_after_payment]),
            rm("-100.00"),
            elsewhere_total,
        ),
        (
            "2026-03-20",
            sum(&[part_paid_after_notes, dated_back_after_payment]),
            rm("-100.00"),
            zero,
        ),
        (
            "2026-03-21",
            sum(&[part_paid_after_notes, dated_back_after_payment]),
            zero,
            zero,
        ),
    ];
    let current = |amount| only(AgingBucket::Current, amount);
    for (as_of, acme_owes, credited_owes, other_owes) in days {
        let everyone = aging(&db, as_of, None).await;
        assert_eq!(of(&everyone, acme), current(acme_owes), "{as_of}");
        assert_eq!(of(&everyone, credited), current(credited_owes), "{as_of}");
        assert_eq!(of(&everyone, other), current(other_owes), "{as_of}");
        // A customer who owes nothing either way is not listed.
        let listed = [acme_owes, credited_owes, other_owes]
            .iter()
            .filter(|owes| !owes.amount().is_zero())
            .count();
        assert_eq!(everyone.customers.len(), listed, "{as_of}");
        assert_eq!(
            buckets(&everyone.totals[0]),
            current(sum(&[acme_owes, credited_owes, other_owes])),
            "{as_of}"
        );

        let acme_only = aging(&db, as_of, Some(acme)).await;
        assert_eq!(acme_only.customers.len(), 1, "{as_of}");
        assert_eq!(of(&acme_only, acme), current(acme_owes), "{as_of}");
        assert_eq!(buckets(&acme_only.totals[0]), current(acme_owes), "{as_of}");
    }

    // A credit balance is shown as it is: the credited customer's one row is negative.
    let credit = aging(&db, "2026-03-06", Some(credited)).await;
    assert_eq!(credit.customers.len(), 1);
    assert_eq!(credit.customers[0].amounts.total(), rm("-100.00"));

    // At the end of April acme's two open invoices are 29 days late.
    let late = aging(&db, "2026-04-30", Some(acme)).await;
    assert_eq!(
        of(&late, acme),
        only(
            AgingBucket::Days1To30,
            sum(&[part_paid_after_notes, dated_back_after_payment])
        )
    );

    // Thrown away and rebuilt from the first event, the read model answers the same.
    let march: Vec<String> = (1..=31).map(|d| format!("2026-03-{d:02}")).collect();
    let mut before = Vec::new();
    for as_of in &march {
        before.push(aging(&db, as_of, None).await);
    }
    for table in ["receivable_balances", "receivable_invoices"] {
        let delete = format!("DELETE FROM {table}");
        niaga_store::on_writer!(&db, pool => sqlx::query(&delete).execute(pool).await.map(drop))
            .unwrap();
    }
    assert_eq!(aging(&db, "2026-03-02", None).await.customers, []);
    rebuild::rebuild(&Receivables, &db, &|_| {}).await.unwrap();
    for (as_of, before) in march.iter().zip(before) {
        assert_eq!(aging(&db, as_of, None).await, before, "{as_of}");
    }
}

async fn an_event_applied_again_changes_nothing(db: Database) {
    let mut books = Books::new(&db);
    let customer = CustomerId::from_uuid(Uuid::now_v7());
    books.on("2026-05-04");
    let (id, payable) = books.issue(customer).await;
    books.pay(id, rm("100.00"), "2026-05-04").await;
    catch_up_to(&db, books.last).await;
    let before = aging(&db, "2026-05-04", None).await;
    assert_eq!(
        before.totals[0].total(),
        payable.checked_sub(rm("100.00")).unwrap()
    );

    // As a rebuild or a retried batch might: every event of the stream once more.
    let events = db.event_store().read_all(Cursor::START, 100).await.unwrap();
    let mut tx = ReadTx::begin(&db).await.unwrap();
    for event in &events {
        Receivables.apply(&mut tx, event).await.unwrap();
    }
    tx.commit().await.unwrap();
    assert_eq!(aging(&db, "2026-05-04", None).await, before);
}

niaga_store::on_both_backends!(
    an_invoice_ages_through_every_bucket_boundary,
    payments_notes_and_cancellations_count_from_their_own_dates,
    an_event_applied_again_changes_nothing,
);

/// PostgreSQL only: the aging statements as the planner runs them on 100,000 balance rows
/// (50,000 invoices of 1,000 customers over seven years, each paid in two parts, one in fifty
/// never in full). As of a recent day each reads its own index and never scans the table; the
/// name lookup reads the customer list's primary key.
#[tokio::test]
async fn postgres_the_aging_reads_its_indexes_at_100_000_rows() {
    let db = niaga_store::testing::fresh_database(niaga_store::Backend::Postgres)
        .await
        .unwrap();
    let Database::Postgres(pool) = &db else {
        unreachable!()
    };
    // Invoice k is issued on day k / 20 from 1 June 2019 and owes 100.00 until a first
    // payment 10 to 59 days later, then 40.00 until the rest is paid 30 days after that (or,
    // one in fifty, for ever).
    const INVOICES: &str = "SELECT k, 'inv-' || k AS invoice_id, \
         'customer-' || (k % 1000) AS customer_id, DATE '2019-06-01' + k / 20 AS issued, \
         DATE '2019-06-01' + k / 20 + 10 + k % 50 AS paid_in_part, \
         CASE WHEN k % 50 = 0 THEN NULL ELSE DATE '2019-06-01' + k / 20 + 40 + k % 50 END \
           AS paid FROM generate_series(0, 49999) AS k";
    sqlx::query(&format!(
        "INSERT INTO receivable_invoices (invoice_id, customer_id, currency, issued_on, due_on, \
         through_position) SELECT invoice_id, customer_id, 'MYR', to_char(issued, 'YYYY-MM-DD'), \
         to_char(issued + 30, 'YYYY-MM-DD'), k FROM ({INVOICES}) AS i"
    ))
    .execute(pool)
    .await
    .unwrap();
    sqlx::query(&format!(
        "INSERT INTO receivable_balances (invoice_id, from_on, until_on, customer_id, currency, \
         due_on, outstanding_sen) \
         SELECT invoice_id, to_char(issued, 'YYYY-MM-DD'), to_char(paid_in_part, 'YYYY-MM-DD'), \
                customer_id, 'MYR', to_char(issued + 30, 'YYYY-MM-DD'), 10000 \
         FROM ({INVOICES}) AS i \
         UNION ALL \
         SELECT invoice_id, to_char(paid_in_part, 'YYYY-MM-DD'), \
                COALESCE(to_char(paid, 'YYYY-MM-DD'), '9999-12-31'), \
                customer_id, 'MYR', to_char(issued + 30, 'YYYY-MM-DD'), 4000 \
         FROM ({INVOICES}) AS i"
    ))
    .execute(pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO customer_list (customer_id, name, name_key, kind, tin, email, phone, city, \
         state, registered_at) \
         SELECT 'customer-' || g, 'Customer ' || g, 'customer ' || g, 'company', 'C' || g, \
                '', '', '', '', '2019-01-01T00:00:00Z' FROM generate_series(0, 9999) AS g",
    )
    .execute(pool)
    .await
    .unwrap();
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM receivable_balances")
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(rows, 100_000);
    for table in ["receivable_invoices", "receivable_balances"] {
        sqlx::query(&format!("ANALYZE {table}"))
            .execute(pool)
            .await
            .unwrap();
    }
    sqlx::query("ANALYZE customer_list")
        .execute(pool)
        .await
        .unwrap();

    // The last invoice is issued on 4 April 2026: as of the end of March, what is read is the
    // never-settled invoices and the last few months'.
    let as_of = "2026-03-31";
    let explain = |sql: &str| format!("EXPLAIN (FORMAT JSON) {sql}");
    let plan: serde_json::Value = sqlx::query_scalar(&explain(receivables::AGING_SQL))
        .bind(as_of)
        .fetch_one(pool)
        .await
        .unwrap();
    let plan = plan.to_string();
    eprintln!("every customer: {plan}");
    assert!(plan.contains("receivable_balances_as_of"), "{plan}");
    assert!(!plan.contains("Seq Scan"), "{plan}");

    let plan: serde_json::Value = sqlx::query_scalar(&explain(receivables::CUSTOMER_AGING_SQL))
        .bind(as_of)
        .bind("customer-7")
        .fetch_one(pool)
        .await
        .unwrap();
    let plan = plan.to_string();
    eprintln!("one customer: {plan}");
    assert!(
        plan.contains("receivable_balances_customer_as_of"),
        "{plan}"
    );
    assert!(!plan.contains("Seq Scan"), "{plan}");

    let names = receivables::names_sql(3);
    let plan: serde_json::Value = sqlx::query_scalar(&explain(&names))
        .bind("customer-1")
        .bind("customer-2")
        .bind("customer-3")
        .fetch_one(pool)
        .await
        .unwrap();
    let plan = plan.to_string();
    eprintln!("names: {plan}");
    assert!(plan.contains("customer_list_pkey"), "{plan}");
    assert!(!plan.contains("Seq Scan"), "{plan}");

    // And the statement answers what the rows were made to say.
    let rows: Vec<(String, String, String, i64)> = sqlx::query_as(receivables::AGING_SQL)
        .bind(as_of)
        .fetch_all(pool)
        .await
        .unwrap();
    let base = day("2019-06-01");
    let as_of = day(as_of);
    let expected: i64 = (0..50_000_u64)
        .map(|k| {
            let issued = base + Days::new(k / 20);
            let paid_in_part = issued + Days::new(10 + k % 50);
            let paid = (k % 50 != 0).then(|| issued + Days::new(40 + k % 50));
            if issued <= as_of && as_of < paid_in_part {
                10_000
            } else if paid_in_part <= as_of && paid.is_none_or(|paid| as_of < paid) {
                4_000
            } else {
                0
            }
        })
        .sum();
    assert_eq!(rows.iter().map(|row| row.3).sum::<i64>(), expected);
}
