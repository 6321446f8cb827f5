//! The read side at scale: how fast the global feed pages, and how fast each projection
//! rebuilds, over a generated company history of a million events, beside the database's
//! raw rate for the same pages measured in the same run.
//!
//! `cargo bench -p niaga-projections --bench read_side` (env: BENCH_EVENTS=1000000,
//! BENCH_BACKENDS=postgres,sqlite, BENCH_ROUNDS=3, BENCH_PROFILE=1, BENCH_AUDIT=1,
//! BENCH_KEEP=0, BENCH_FEED=1 (0 skips the feed passes), BENCH_ONLY=<projection,…> (rebuild
//! only these; `none` rebuilds nothing); BENCH_DATABASE=<url> measures a database an earlier
//! run kept instead of generating one).
//!
//! The history is what real commands write: every event is decided by its aggregate's
//! `decide` on the state folded so far, encoded as the command handler encodes it, and
//! appended through `EventStore::append` (so the store computes the hash chain). To make a
//! million events in a minute rather than hours, each stream's whole history is one append
//! and several streams are appended at once: the events of one stream share the append's
//! metadata and `recorded_at` (the time of its last command), and document numbers are
//! counted in the generator instead of through `append_numbered` (the `number_series` rows
//! are set to the last numbers afterwards).
#![allow(clippy::print_stdout, reason = "a benchmark prints its report")]

use std::{
    collections::{BTreeMap, HashMap},
    fmt::Debug,
    sync::{
        Arc, Mutex, PoisonError,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use async_trait::async_trait;
use chrono::{DateTime, Datelike, TimeDelta, Utc};
use niaga_domain::{
    Actor, Aggregate, Ctx, DomainEvent, Money,
    customer::{
        AddContact, Customer, CustomerCommand, CustomerEvent, InteractionKind, LoseOpportunity,
        MoveOpportunity, OpenOpportunity, OpenStage, OpportunitySource, RecordInteraction,
        WinOpportunity,
    },
    ids::{
        ContactId, CustomerId, InteractionId, InvoiceId, NoteId, OpportunityId, PaymentId,
        QuotationId,
    },
    invoice::{
        AmendDraft, CancelInvoice, DocumentKind, DocumentNumber, DraftInvoice, Invoice,
        InvoiceCommand, InvoiceEvent, IssueInvoice, IssueNote, PaymentMethod, PaymentTerms,
        QuotationSource, RecordLhdnValidation, RecordPayment, VoidInvoice,
    },
    quotation::{
        AcceptQuotation, AmendDraftLines, Channel, ConvertToInvoice, ExpireQuotation, Quotation,
        QuotationCommand, QuotationEvent, QuotationNumber, Recipient, RejectQuotation,
        ReviseQuotation, SendQuotation,
    },
    testing::{sample_calibration_line, sample_company, sample_quotation, sample_rental_line},
    values::{Email, Name, Phone},
};
use niaga_projections::{Projection, ProjectionError, ReadTx, rebuild::rebuild};
use niaga_store::{
    Append, Backend, Cursor, Database, EventStore, FeedFilter, Metadata, NewEvent, RecordedEvent,
    StreamRef, Tip, on_reader, on_writer,
    testing::{fresh_durable_database_url, postgres_server},
};
use sqlx::{Connection, PgConnection, Postgres, Row, postgres::PgRow};
use tokio_postgres::types::FromSql;
use uuid::Uuid;

/// Feed page sizes measured; 500 is what the runner and a rebuild read per batch.
const PAGES: [u32; 3] = [500, 1_000, 5_000];

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

// ---------------------------------------------------------------------------------------
// Generation
// ---------------------------------------------------------------------------------------

/// SplitMix64: a deterministic, dependency-free stream of numbers, seeded per company so a
/// history does not depend on which worker made it.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.below(high - low + 1)
    }

    fn hours(&mut self, low: u64, high: u64) -> TimeDelta {
        TimeDelta::minutes(i64::try_from(self.between(low * 60, high * 60)).unwrap_or(60))
    }

    fn days(&mut self, low: u64, high: u64) -> TimeDelta {
        self.hours(low * 24, high * 24)
    }
}

/// The per-year document number series, counted here instead of in `number_series`.
#[derive(Default)]
struct Numbers(Mutex<HashMap<(&'static str, i32), u64>>);

impl Numbers {
    fn next(&self, series: &'static str, year: i32) -> u64 {
        let mut counters = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let n = counters.entry((series, year)).or_insert(0);
        *n += 1;
        *n
    }

    fn document(&self, kind: DocumentKind, at: DateTime<Utc>) -> DocumentNumber {
        let year = niaga_domain::business_day(at).year();
        DocumentNumber::new(kind, year, self.next(kind.series(), year))
            .expect("a serial from 1 in a four-digit year")
    }

    fn quotation(&self, at: DateTime<Utc>) -> QuotationNumber {
        let year = niaga_domain::business_day(at).year();
        QuotationNumber::new(year, self.next("quotation", year))
    }
}

/// One stream being written: its state folded so far and the encoded events decided on it.
struct Building<A: Aggregate> {
    stream_id: String,
    state: A,
    events: Vec<NewEvent>,
    actor: Actor,
    /// The simulated clock of this stream: the `now` of its next command.
    at: DateTime<Utc>,
}

impl<A: Aggregate> Building<A>
where
    A::Command: Debug,
{
    fn new(stream_id: String, actor: Actor, at: DateTime<Utc>) -> Self {
        Self {
            stream_id,
            state: A::default(),
            events: Vec::new(),
            actor,
            at,
        }
    }

    fn wait(&mut self, delay: TimeDelta) {
        self.at += delay;
    }

    /// Decides `command` with the real decider and keeps what it decided, as the command
    /// handler would append it.
    fn run(&mut self, command: A::Command) {
        let ctx = Ctx::new(self.at, self.actor.clone(), Uuid::nil());
        let decided = self
            .state
            .decide(&command, &ctx)
            .unwrap_or_else(|refusal| panic!("{command:?} refused: {refusal}"));
        for event in decided {
            let (event_type, schema_version, payload) =
                event.encode().expect("domain events encode");
            self.events.push(NewEvent {
                event_id: Uuid::now_v7(),
                event_type: event_type.into(),
                schema_version,
                payload,
            });
            self.state = std::mem::take(&mut self.state).evolve(&event);
        }
    }

    fn into_append(self) -> Append {
        Append {
            stream: StreamRef::new(A::STREAM_TYPE, self.stream_id),
            expected: Tip::default(),
            events: self.events,
            metadata: Metadata {
                actor: self.actor.to_string(),
                correlation_id: Uuid::now_v7(),
                ..Metadata::default()
            },
            recorded_at: self.at,
            idempotency: None,
        }
    }
}

/// Everything one customer company did over a year with us, stream by stream, in the order
/// the streams are appended (a converted quotation before the invoice drafted from it).
struct CompanyHistory {
    appends: Vec<Append>,
}

impl CompanyHistory {
    fn events(&self) -> u64 {
        self.appends.iter().map(|a| a.events.len() as u64).sum()
    }
}

const SALES: Uuid = Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0001);
const FINANCE: Uuid = Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0002);

const SUMMARIES: [&str; 4] = [
    "Called about the calibration of the 20 kg F1 weights; quote to follow.",
    "Visited the Shah Alam plant. Two weighbridges due for verification in March.",
    "WhatsApp: asked for the certificate of the last calibration, sent the PDF.",
    "Purchasing wants the rental extended by a week; finance to invoice the extension.",
];

fn company(index: u64, start: DateTime<Utc>, numbers: &Numbers) -> CompanyHistory {
    let mut rng = Rng(index.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ 0x5DEE_CE66);
    let customer_id = CustomerId::from_uuid(Uuid::now_v7());
    let mut appends = Vec::new();
    appends.push(customer_stream(&mut rng, customer_id, index, start).into_append());

    let mut invoices = Vec::new();
    for _ in 0..rng.between(3, 6) {
        let at = start + rng.days(2, 330);
        let (quotation, invoice) = quotation_stream(&mut rng, customer_id, at, numbers);
        appends.push(quotation);
        if let Some(invoice) = invoice {
            invoices.push(invoice);
        }
    }
    for _ in 0..rng.between(5, 9) {
        let at = start + rng.days(2, 360);
        let id = InvoiceId::from_uuid(Uuid::now_v7());
        let mut lines = vec![sample_calibration_line().expect("the sample line")];
        if rng.chance(60) {
            lines.push(sample_rental_line().expect("the sample line"));
        }
        let draft = DraftInvoice {
            id,
            customer_id,
            currency: niaga_domain::Currency::MYR,
            lines,
            payment_terms: PaymentTerms::new(30).expect("30 days"),
            customer_reference: None,
            source: None,
        };
        invoices.push(invoice_stream(&mut rng, draft, at, numbers));
    }
    appends.extend(invoices);
    CompanyHistory { appends }
}

/// Registration, a contact or two, 20–40 interactions and 4–8 opportunities taken from lead
/// to won or lost, interleaved over a few months.
fn customer_stream(
    rng: &mut Rng,
    id: CustomerId,
    index: u64,
    start: DateTime<Utc>,
) -> Building<Customer> {
    let mut customer = Building::<Customer>::new(id.to_string(), Actor::User(SALES), start);
    let name = format!("Syarikat Timbang {index} Sdn. Bhd.");
    let tin = format!("C2{:09}0", index % 1_000_000_000);
    customer.run(CustomerCommand::Register(
        sample_company(id, &name, &tin).expect("a valid sample company"),
    ));
    for n in 0..rng.between(1, 2) {
        customer.wait(rng.hours(1, 48));
        customer.run(CustomerCommand::AddContact(AddContact {
            contact_id: ContactId::from_uuid(Uuid::now_v7()),
            name: Name::parse(if n == 0 { "Puan Aminah" } else { "Encik Lim" }).expect("a name"),
            role: Some("Purchasing".into()),
            email: Some(Email::parse("purchasing@example.com.my").expect("an email")),
            phone: Some(Phone::parse("+60355101234").expect("a phone")),
        }));
    }
    let opportunities = rng.between(4, 8);
    let mut interactions = rng.between(20, 40);
    let mut opened = 0;
    // Open opportunities and how many stage moves each has had.
    let mut open: Vec<(OpportunityId, u8)> = Vec::new();
    while interactions > 0 || opened < opportunities || !open.is_empty() {
        customer.wait(rng.hours(6, 96));
        let (can_open, can_progress, can_talk) =
            (opened < opportunities, !open.is_empty(), interactions > 0);
        let roll = rng.below(100);
        if can_open && (roll < 15 || !(can_progress || can_talk)) {
            let opportunity_id = OpportunityId::from_uuid(Uuid::now_v7());
            let close = niaga_domain::business_day(customer.at + rng.days(30, 120));
            customer.run(CustomerCommand::OpenOpportunity(OpenOpportunity {
                opportunity_id,
                title: "Calibration of 20 kg weights".into(),
                expected_value: Money::from_sen(
                    i64::try_from(rng.between(50_000, 5_000_000)).unwrap_or(50_000),
                    niaga_domain::Currency::MYR,
                ),
                expected_close: close,
                source: [
                    OpportunitySource::Referral,
                    OpportunitySource::Website,
                    OpportunitySource::Phone,
                    OpportunitySource::WhatsApp,
                    OpportunitySource::Existing,
                ][usize::try_from(rng.below(5)).unwrap_or(0)],
            }));
            open.push((opportunity_id, 0));
            opened += 1;
        } else if can_progress && (roll < 50 || !can_talk) {
            let slot = usize::try_from(rng.below(open.len() as u64)).unwrap_or(0);
            let (opportunity_id, moves) = open[slot];
            let command = match moves {
                0 => CustomerCommand::MoveOpportunity(MoveOpportunity {
                    opportunity_id,
                    to: OpenStage::Qualified,
                }),
                1 => CustomerCommand::MoveOpportunity(MoveOpportunity {
                    opportunity_id,
                    to: OpenStage::Proposal,
                }),
                _ if rng.chance(55) => {
                    CustomerCommand::WinOpportunity(WinOpportunity { opportunity_id })
                }
                _ => CustomerCommand::LoseOpportunity(LoseOpportunity {
                    opportunity_id,
                    reason: "Went with a cheaper lab in Klang.".into(),
                }),
            };
            customer.run(command);
            if moves >= 2 {
                open.swap_remove(slot);
            } else {
                open[slot].1 += 1;
            }
        } else if can_talk {
            let kinds = [
                InteractionKind::Call,
                InteractionKind::Visit,
                InteractionKind::WhatsApp,
                InteractionKind::Email,
                InteractionKind::Note,
            ];
            let occurred_at = customer.at - rng.hours(0, 3);
            customer.run(CustomerCommand::RecordInteraction(RecordInteraction {
                interaction_id: InteractionId::from_uuid(Uuid::now_v7()),
                kind: kinds[usize::try_from(rng.below(5)).unwrap_or(0)],
                occurred_at,
                summary: SUMMARIES[usize::try_from(rng.below(4)).unwrap_or(0)].into(),
            }));
            interactions -= 1;
        }
    }
    customer
}

/// A quotation drafted, perhaps amended, sent (perhaps revised and sent again), then
/// accepted and converted (with the invoice drafted from it), rejected, or left to expire.
fn quotation_stream(
    rng: &mut Rng,
    customer_id: CustomerId,
    at: DateTime<Utc>,
    numbers: &Numbers,
) -> (Append, Option<Append>) {
    let id = QuotationId::from_uuid(Uuid::now_v7());
    let mut quotation = Building::<Quotation>::new(id.to_string(), Actor::User(SALES), at);
    let mut draft = sample_quotation(id, customer_id, "QUO-2026-0001").expect("the sample");
    draft.number = numbers.quotation(at);
    quotation.run(QuotationCommand::Draft(draft));
    if rng.chance(10) {
        quotation.wait(rng.hours(1, 6));
        quotation.run(QuotationCommand::AmendLines(AmendDraftLines {
            lines: vec![sample_calibration_line().expect("the sample line")],
        }));
    }
    let to = Recipient {
        name: Name::parse("Puan Aminah").expect("a name"),
        channel: Channel::Email(Email::parse("purchasing@example.com.my").expect("an email")),
    };
    quotation.wait(rng.hours(2, 30));
    quotation.run(QuotationCommand::Send(SendQuotation { to: to.clone() }));
    if rng.chance(10) {
        quotation.wait(rng.days(1, 5));
        quotation.run(QuotationCommand::Revise(ReviseQuotation { lines: None }));
        quotation.wait(rng.hours(1, 24));
        quotation.run(QuotationCommand::Send(SendQuotation { to }));
    }
    let roll = rng.below(100);
    let mut invoice = None;
    if roll < 55 {
        quotation.wait(rng.days(1, 20));
        let record = quotation.state.drafted().expect("drafted above");
        let revision = record.current.number;
        quotation.run(QuotationCommand::Accept(AcceptQuotation {
            revision,
            accepted_by: Name::parse("Encik Lim").expect("a name"),
            customer_reference: Some(format!("PO-{}", rng.between(10_000, 99_999))),
        }));
        quotation.wait(rng.hours(1, 24));
        let invoice_id = InvoiceId::from_uuid(Uuid::now_v7());
        quotation.run(QuotationCommand::ConvertToInvoice(ConvertToInvoice {
            invoice_id,
        }));
        // As `POST /quotations/{id}/convert-to-invoice` drafts it: the accepted revision's
        // lines, the customer's PO, a link back.
        let record = quotation.state.drafted().expect("drafted above");
        let acceptance = record.acceptance.as_ref().expect("accepted above");
        let accepted = record
            .revision(acceptance.revision)
            .expect("the accepted revision");
        let draft = DraftInvoice {
            id: invoice_id,
            customer_id,
            currency: record.currency,
            lines: accepted.lines.iter().map(|line| line.input()).collect(),
            payment_terms: PaymentTerms::new(30).expect("30 days"),
            customer_reference: acceptance.customer_reference.clone(),
            source: Some(QuotationSource {
                quotation_id: record.id,
                number: record.number.clone(),
                revision: acceptance.revision,
            }),
        };
        invoice = Some(invoice_stream(rng, draft, quotation.at, numbers));
    } else if roll < 80 {
        quotation.wait(rng.days(1, 25));
        quotation.run(QuotationCommand::Reject(RejectQuotation {
            reason: "Budget moved to next quarter.".into(),
        }));
    } else {
        // The daily job marks it once the validity (30 days from sending) has passed.
        quotation.wait(rng.days(33, 40));
        quotation.run(QuotationCommand::Expire(ExpireQuotation));
    }
    (quotation.into_append(), invoice)
}

/// An invoice drafted (perhaps amended), then voided, or issued, validated by LHDN and
/// paid in one or two payments, credited in part, cancelled, or left unpaid.
fn invoice_stream(
    rng: &mut Rng,
    draft: DraftInvoice,
    at: DateTime<Utc>,
    numbers: &Numbers,
) -> Append {
    let mut invoice = Building::<Invoice>::new(draft.id.to_string(), Actor::User(FINANCE), at);
    let lines = draft.lines.clone();
    invoice.run(InvoiceCommand::Draft(draft));
    if rng.chance(10) {
        invoice.wait(rng.hours(1, 6));
        invoice.run(InvoiceCommand::AmendDraft(AmendDraft {
            lines,
            payment_terms: PaymentTerms::new(45).expect("45 days"),
            customer_reference: Some("PO-77120".into()),
        }));
    }
    if rng.chance(3) {
        invoice.wait(rng.hours(1, 48));
        invoice.run(InvoiceCommand::Void(VoidInvoice {
            reason: "Drafted twice".into(),
        }));
        return invoice.into_append();
    }
    invoice.wait(rng.hours(1, 48));
    let number = numbers.document(DocumentKind::Invoice, invoice.at);
    invoice.run(InvoiceCommand::Issue(IssueInvoice {
        number,
        einvoice: niaga_domain::invoice::EInvoiceChoice::Individual,
        exchange_rate: None,
    }));
    invoice.wait(rng.hours(0, 1) + TimeDelta::minutes(5));
    invoice.run(InvoiceCommand::RecordLhdnValidation(RecordLhdnValidation {
        note_id: None,
        document_uuid: Uuid::now_v7().simple().to_string().to_uppercase(),
        long_id: Uuid::now_v7().simple().to_string(),
        validated_at: invoice.at,
    }));
    let roll = rng.below(100);
    if roll < 3 {
        // Within LHDN's 72 hours of validation.
        invoice.wait(rng.hours(1, 48));
        invoice.run(InvoiceCommand::Cancel(CancelInvoice {
            reason: "Issued to the wrong branch".into(),
        }));
        return invoice.into_append();
    }
    if roll < 7 {
        invoice.wait(rng.days(1, 10));
        let number = numbers.document(DocumentKind::CreditNote, invoice.at);
        invoice.run(InvoiceCommand::IssueCreditNote(IssueNote {
            note_id: NoteId::from_uuid(Uuid::now_v7()),
            number,
            lines: vec![sample_calibration_line().expect("the sample line")],
            reason: "One weight was not calibrated".into(),
        }));
    }
    // 8 in a hundred stay unpaid (the receivables' overdue buckets).
    let payments = match roll {
        0..=6 | 23..=91 => 1,
        7..=22 => 2,
        _ => 0,
    };
    for paid in 0..payments {
        invoice.wait(rng.days(5, 45));
        let record = invoice.state.drafted().expect("drafted above");
        let owed = record.payable_now().to_sen().expect("whole sen");
        let sen = if paid + 1 < payments { owed / 2 } else { owed };
        if sen <= 0 {
            break;
        }
        let received_on = niaga_domain::business_day(invoice.at);
        invoice.run(InvoiceCommand::RecordPayment(RecordPayment {
            payment_id: PaymentId::from_uuid(Uuid::now_v7()),
            amount: Money::from_sen(sen, record.currency),
            method: [
                PaymentMethod::BankTransfer,
                PaymentMethod::Cheque,
                PaymentMethod::Cash,
            ][usize::try_from(rng.below(3)).unwrap_or(0)],
            reference: Some("MBB 889123".into()),
            received_on,
        }));
    }
    invoice.into_append()
}

struct Generated {
    events: u64,
    companies: u64,
    streams: u64,
    took: Duration,
    /// Summed over the workers: time spent deciding and encoding (not appending).
    deciding: Duration,
}

/// Appends company histories from `workers` concurrent tasks until `target` events are
/// written (a little more: the last histories are kept whole).
async fn generate(db: &Database, target: u64, workers: usize) -> Generated {
    let started = Instant::now();
    let store = db.event_store();
    let numbers = Arc::new(Numbers::default());
    let next_company = Arc::new(AtomicU64::new(0));
    let written = Arc::new(AtomicU64::new(0));
    let streams = Arc::new(AtomicU64::new(0));
    let deciding_ns = Arc::new(AtomicU64::new(0));
    // Histories start over two and a half years, ending well before today.
    let first_day = Utc::now() - TimeDelta::days(4 * 365);
    let tasks: Vec<_> = (0..workers)
        .map(|_| {
            let (store, numbers) = (store.clone(), numbers.clone());
            let (next_company, written, streams, deciding_ns) = (
                next_company.clone(),
                written.clone(),
                streams.clone(),
                deciding_ns.clone(),
            );
            tokio::spawn(async move {
                while written.load(Ordering::Relaxed) < target {
                    let index = next_company.fetch_add(1, Ordering::Relaxed);
                    let start = first_day
                        + TimeDelta::minutes(
                            i64::try_from(index.wrapping_mul(7_919) % (900 * 24 * 60)).unwrap_or(0),
                        );
                    let deciding = Instant::now();
                    let history = company(index, start, &numbers);
                    deciding_ns.fetch_add(
                        u64::try_from(deciding.elapsed().as_nanos()).unwrap_or(u64::MAX),
                        Ordering::Relaxed,
                    );
                    written.fetch_add(history.events(), Ordering::Relaxed);
                    for append in history.appends {
                        store
                            .append(append)
                            .await
                            .expect("an append of a new stream");
                        streams.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("a generator task");
    }
    // What `append_numbered` would have left: the last number of each series.
    let series: Vec<((&str, i32), u64)> = numbers
        .0
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .iter()
        .map(|(k, v)| (*k, *v))
        .collect();
    for ((name, year), last) in series {
        on_writer!(db, pool => sqlx::query(
            "INSERT INTO number_series (series, year, last_number) VALUES ($1, $2, $3)",
        )
        .bind(name)
        .bind(year)
        .bind(i64::try_from(last).unwrap_or(i64::MAX))
        .execute(pool)
        .await
        .map(drop))
        .expect("number series rows");
    }
    Generated {
        events: written.load(Ordering::Relaxed),
        companies: next_company.load(Ordering::Relaxed),
        streams: streams.load(Ordering::Relaxed),
        took: started.elapsed(),
        deciding: Duration::from_nanos(deciding_ns.load(Ordering::Relaxed)),
    }
}

// ---------------------------------------------------------------------------------------
// Feed pages
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Reader {
    /// `SELECT … WHERE position > $1 ORDER BY position LIMIT $2`, every column decoded by
    /// name, the JSON left as text: the database and the driver alone, the rate every other
    /// reader is compared with.
    RawText,
    /// The same, columns read by index: what sqlx's lookup of a column by name costs.
    RawTextByIndex,
    /// The same statement through tokio-postgres, prepared once on its own connection and
    /// reused for every page, results in binary: sqlx's row handling against another driver's.
    TokioPostgres,
    /// The same as `RawText`, with payload and metadata parsed into `serde_json::Value`, as a
    /// reader that uses the events must.
    RawJson,
    ReadAll,
    ReadFeed,
}

const PG_READERS: &[Reader] = &[
    Reader::RawText,
    Reader::RawTextByIndex,
    Reader::TokioPostgres,
    Reader::RawJson,
    Reader::ReadAll,
    Reader::ReadFeed,
];
const SQLITE_READERS: &[Reader] = &[
    Reader::RawText,
    Reader::RawJson,
    Reader::ReadAll,
    Reader::ReadFeed,
];

fn reader_label(reader: Reader) -> &'static str {
    match reader {
        Reader::RawText => "raw SELECT, JSON as text",
        Reader::RawTextByIndex => "raw SELECT, JSON as text, columns by index",
        Reader::TokioPostgres => "tokio-postgres, prepared, binary, JSON as text",
        Reader::RawJson => "raw SELECT, JSON decoded",
        Reader::ReadAll => "`read_all`",
        Reader::ReadFeed => "`read_feed` (no type filter)",
    }
}

/// The columns the store reads, by name, as each back end stores them.
const RAW_PG_TEXT: &str = "SELECT position, transaction_id::text AS transaction_text, event_id, \
    stream_type, stream_id, version, event_type, schema_version, payload::text AS payload, \
    metadata::text AS metadata, recorded_at, hash FROM events WHERE position > $1 \
    ORDER BY position LIMIT $2";
const RAW_PG_JSON: &str = "SELECT position, transaction_id::text AS transaction_text, event_id, \
    stream_type, stream_id, version, event_type, schema_version, payload, metadata, \
    recorded_at, hash FROM events WHERE position > $1 ORDER BY position LIMIT $2";
const RAW_SQLITE: &str = "SELECT position, event_id, stream_type, stream_id, version, \
    event_type, schema_version, payload, metadata, recorded_at, hash FROM events \
    WHERE position > $1 ORDER BY position LIMIT $2";

/// One decoded raw row. The fields are only read to make the decoding happen.
#[allow(dead_code, reason = "decoded to be measured, not used")]
struct RawRow<J, I, T> {
    position: i64,
    transaction: String,
    event_id: I,
    stream_type: String,
    stream_id: String,
    version: i64,
    event_type: String,
    schema_version: i32,
    payload: J,
    metadata: J,
    recorded_at: T,
    hash: String,
}

/// The raw text columns in `RAW_PG_TEXT`'s order, each read by index with `$get(row, index)`.
macro_rules! by_index {
    ($rows:expr, $after:expr, $get:ident) => {{
        let decoded: Vec<RawRow<String, Uuid, DateTime<Utc>>> = $rows
            .iter()
            .map(|row| RawRow {
                position: $get(row, 0),
                transaction: $get(row, 1),
                event_id: $get(row, 2),
                stream_type: $get(row, 3),
                stream_id: $get(row, 4),
                version: $get(row, 5),
                event_type: $get(row, 6),
                schema_version: $get(row, 7),
                payload: $get(row, 8),
                metadata: $get(row, 9),
                recorded_at: $get(row, 10),
                hash: $get(row, 11),
            })
            .collect();
        (decoded.len(), decoded.last().map_or($after, |r| r.position))
    }};
}

fn sqlx_at<'r, T>(row: &'r PgRow, index: usize) -> T
where
    T: sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres>,
{
    row.try_get(index).expect("a raw column")
}

fn tokio_at<'r, T: FromSql<'r>>(row: &'r tokio_postgres::Row, index: usize) -> T {
    row.try_get(index).expect("a raw column")
}

/// A tokio-postgres connection to the bench database with `RAW_PG_TEXT` prepared on it.
struct TokioPg {
    client: tokio_postgres::Client,
    page: tokio_postgres::Statement,
}

impl TokioPg {
    async fn connect(url: &str) -> Self {
        let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
            .await
            .expect("tokio-postgres connects");
        tokio::spawn(async move { connection.await.expect("the tokio-postgres connection") });
        let page = client.prepare(RAW_PG_TEXT).await.expect("prepared");
        Self { client, page }
    }

    async fn page(&self, after: i64, limit: i64) -> (usize, i64) {
        let rows = self
            .client
            .query(&self.page, &[&after, &limit])
            .await
            .expect("raw page");
        by_index!(rows, after, tokio_at)
    }
}

/// One raw page: the rows after `after`, decoded; returns how many and the last position.
async fn raw_page(
    db: &Database,
    tokio_pg: Option<&TokioPg>,
    reader: Reader,
    after: i64,
    limit: u32,
) -> (usize, i64) {
    let limit = i64::from(limit);
    // The same page by the same statement, on either database's pool.
    macro_rules! fetch {
        ($pool:expr, $sql:expr) => {
            sqlx::query($sql)
                .bind(after)
                .bind(limit)
                .fetch_all($pool)
                .await
                .expect("raw page")
        };
    }
    macro_rules! decode {
        ($rows:expr, $row:ident => $json:expr, $transaction:expr, $event_id:expr, $at:expr) => {{
            let rows = $rows;
            let last = rows.last().map_or(after, |r| {
                r.try_get::<i64, _>("position").expect("position")
            });
            let decoded: Vec<_> = rows
                .iter()
                .map(|$row| RawRow {
                    position: $row.try_get("position").expect("position"),
                    transaction: $transaction,
                    event_id: $event_id,
                    stream_type: $row.try_get("stream_type").expect("stream_type"),
                    stream_id: $row.try_get("stream_id").expect("stream_id"),
                    version: $row.try_get("version").expect("version"),
                    event_type: $row.try_get("event_type").expect("event_type"),
                    schema_version: $row.try_get("schema_version").expect("schema_version"),
                    payload: $json("payload"),
                    metadata: $json("metadata"),
                    recorded_at: $at,
                    hash: $row.try_get("hash").expect("hash"),
                })
                .collect();
            (decoded.len(), last)
        }};
    }
    match (db, reader) {
        (Database::Postgres(_), Reader::TokioPostgres) => {
            let tokio_pg = tokio_pg.expect("a tokio-postgres connection on PostgreSQL");
            tokio_pg.page(after, limit).await
        }
        (Database::Postgres(pool), Reader::RawTextByIndex) => {
            let rows = fetch!(pool, RAW_PG_TEXT);
            by_index!(rows, after, sqlx_at)
        }
        (Database::Postgres(pool), Reader::RawText) => {
            let rows = fetch!(pool, RAW_PG_TEXT);
            decode!(rows, row => |c: &str| row.try_get::<String, _>(c).expect("json text"),
                row.try_get("transaction_text").expect("transaction"),
                row.try_get::<Uuid, _>("event_id").expect("event_id"),
                row.try_get::<DateTime<Utc>, _>("recorded_at").expect("recorded_at"))
        }
        (Database::Postgres(pool), _) => {
            let rows = fetch!(pool, RAW_PG_JSON);
            decode!(rows, row => |c: &str| row.try_get::<serde_json::Value, _>(c).expect("json"),
                row.try_get("transaction_text").expect("transaction"),
                row.try_get::<Uuid, _>("event_id").expect("event_id"),
                row.try_get::<DateTime<Utc>, _>("recorded_at").expect("recorded_at"))
        }
        (Database::Sqlite { reader: pool, .. }, Reader::RawText) => {
            let rows = fetch!(pool, RAW_SQLITE);
            decode!(rows, row => |c: &str| row.try_get::<String, _>(c).expect("json text"),
                String::new(),
                row.try_get::<String, _>("event_id").expect("event_id"),
                row.try_get::<String, _>("recorded_at").expect("recorded_at"))
        }
        (Database::Sqlite { reader: pool, .. }, _) => {
            let rows = fetch!(pool, RAW_SQLITE);
            decode!(rows, row => |c: &str| serde_json::from_str::<serde_json::Value>(
                    &row.try_get::<String, _>(c).expect("json text")).expect("json"),
                String::new(),
                row.try_get::<String, _>("event_id").expect("event_id"),
                row.try_get::<String, _>("recorded_at").expect("recorded_at"))
        }
    }
}

/// Reads the whole feed with `reader` in pages of `page`; returns the events read per second.
async fn feed_pass(
    db: &Database,
    tokio_pg: Option<&TokioPg>,
    store: &dyn EventStore,
    reader: Reader,
    page: u32,
) -> (u64, f64) {
    let started = Instant::now();
    let mut read = 0u64;
    match reader {
        Reader::RawText | Reader::RawTextByIndex | Reader::TokioPostgres | Reader::RawJson => {
            let mut after = 0;
            loop {
                let (n, last) = raw_page(db, tokio_pg, reader, after, page).await;
                if n == 0 {
                    break;
                }
                read += n as u64;
                after = last;
            }
        }
        Reader::ReadAll => {
            let mut cursor = Cursor::START;
            loop {
                let events = store.read_all(cursor, page).await.expect("read_all");
                let Some(last) = events.last() else { break };
                cursor = last.cursor();
                read += events.len() as u64;
            }
        }
        Reader::ReadFeed => {
            let mut cursor = Cursor::START;
            loop {
                let feed = store
                    .read_feed(cursor, page, FeedFilter::ALL)
                    .await
                    .expect("read_feed");
                if feed.events.is_empty() {
                    break;
                }
                cursor = feed.next;
                read += feed.events.len() as u64;
            }
        }
    }
    (read, read as f64 / started.elapsed().as_secs_f64())
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => 0.0,
        _ if n % 2 == 1 => values[n / 2],
        _ => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// One figure per round, in the order of the rounds: `a / b / c`.
fn per_round(values: &[f64], show: fn(f64) -> String) -> String {
    let shown: Vec<String> = values.iter().map(|&v| show(v)).collect();
    shown.join(" / ")
}

/// Runs every reader at every page size, rotating, `rounds` times; prints the table.
/// Returns the median rate of `read_all` at 500 a page: what a rebuild reads at.
async fn feed_pages(db: &Database, url: &str, rounds: u64, total: u64, target: f64) -> f64 {
    let store = db.event_store();
    let (readers, tokio_pg) = match db {
        Database::Postgres(_) => (PG_READERS, Some(TokioPg::connect(url).await)),
        Database::Sqlite { .. } => (SQLITE_READERS, None),
    };
    let mut rates: BTreeMap<(u32, Reader), Vec<f64>> = BTreeMap::new();
    let mut loads = Vec::new();
    for _ in 0..rounds {
        for page in PAGES {
            for &reader in readers {
                let (read, rate) =
                    feed_pass(db, tokio_pg.as_ref(), store.as_ref(), reader, page).await;
                assert_eq!(read, total, "{reader:?} at {page} did not read every event");
                rates.entry((page, reader)).or_default().push(rate);
            }
        }
        loads.push(load_average());
    }
    println!("\n#### Feed pages: the whole feed, {rounds} rounds\n");
    println!(
        "| reader | page | events/s (median) | events/s per round | ratio to raw text \
         (median) | ratio per round | target |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for page in PAGES {
        let raw = &rates[&(page, Reader::RawText)];
        for &reader in readers {
            let ours = &rates[&(page, reader)];
            let ratios: Vec<f64> = ours.iter().zip(raw).map(|(ours, raw)| ours / raw).collect();
            let wanted = match reader {
                Reader::ReadAll | Reader::ReadFeed if target > 0.0 => {
                    format!("≥ {}", thousands(target))
                }
                _ => String::new(),
            };
            println!(
                "| {} | {page} | {} | {} | {:.2} | {} | {wanted} |",
                reader_label(reader),
                thousands(median(&mut ours.clone())),
                per_round(ours, thousands),
                median(&mut ratios.clone()),
                per_round(&ratios, |r| format!("{r:.2}")),
            );
        }
    }
    for (round, load) in loads.iter().enumerate() {
        println!("\nAfter round {}: {load}", round + 1);
    }
    median(&mut rates[&(500, Reader::ReadAll)].clone())
}

// ---------------------------------------------------------------------------------------
// Rebuilds
// ---------------------------------------------------------------------------------------

/// Rows in a projection's tables, to show what it wrote.
async fn rows_in(db: &Database, tables: &[&str]) -> i64 {
    let mut rows = 0;
    for table in tables {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        let count: i64 = on_reader!(db, pool => sqlx::query_scalar(&sql).fetch_one(pool).await)
            .expect("a row count");
        rows += count;
    }
    rows
}

/// Rebuilds every projection from position 0, one after another. The rate is the feed's
/// events per second of rebuild: a rebuild goes through the whole history, though it reads
/// only its aggregates' events out of the database.
async fn rebuilds(db: &Database, events: u64, target: f64) -> Vec<(&'static str, u64, Duration)> {
    println!("\n#### Rebuilds: `rebuild::rebuild` from position 0, one projection after another\n");
    println!(
        "| projection | events of its aggregates applied | seconds | feed events/s | \
         applied events/s | rows in its tables | target |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    let wanted = if target > 0.0 {
        format!("≥ {}", thousands(target))
    } else {
        String::new()
    };
    let mut results = Vec::new();
    for projection in chosen() {
        let started = Instant::now();
        let applied = rebuild(projection.as_ref(), db, &|_| {})
            .await
            .expect("a rebuild")
            .applied;
        let took = started.elapsed().as_secs_f64();
        println!(
            "| {} | {} | {took:.1} | {} | {} | {} | {wanted} |",
            projection.name(),
            thousands(applied as f64),
            thousands(events as f64 / took),
            thousands(applied as f64 / took),
            thousands(rows_in(db, projection.tables()).await as f64),
        );
        results.push((projection.name(), applied, started.elapsed()));
    }
    let applied: u64 = results.iter().map(|r| r.1).sum();
    let took: Duration = results.iter().map(|r| r.2).sum();
    let rebuilt = results.len() as f64;
    println!(
        "| **all {}, in turn** | {} | {:.1} | {} | {} | | {wanted} |",
        results.len(),
        thousands(applied as f64),
        took.as_secs_f64(),
        thousands(rebuilt * events as f64 / took.as_secs_f64()),
        thousands(applied as f64 / took.as_secs_f64()),
    );
    results
}

/// Where a rebuild's time goes: a projection wrapped to time each `apply`, and, apart, the
/// decoding of the events it decodes (the same `niaga_store::decode` its `apply` runs first).
#[derive(Debug)]
struct Timed {
    inner: Arc<dyn Projection>,
    /// Events of the whole feed, to put an `apply` into its tenth of the feed.
    head: i64,
    stats: Mutex<Stats>,
}

#[derive(Debug, Default)]
struct Stats {
    by_type: BTreeMap<String, Spent>,
    /// Time in `apply` of the events it decodes, by tenth of the feed: a cost that grows
    /// with the read model's size shows here.
    by_tenth: [Spent; 10],
}

#[derive(Debug, Default, Clone, Copy)]
struct Spent {
    events: u64,
    apply: Duration,
    decode: Duration,
}

/// Decodes `event` as its aggregate's event; how long that took.
fn time_decode(event: &RecordedEvent) -> Duration {
    let started = Instant::now();
    let ok = match event.stream.stream_type.as_str() {
        s if s == Customer::STREAM_TYPE => niaga_store::decode::<CustomerEvent>(event).is_ok(),
        s if s == Invoice::STREAM_TYPE => niaga_store::decode::<InvoiceEvent>(event).is_ok(),
        s if s == Quotation::STREAM_TYPE => niaga_store::decode::<QuotationEvent>(event).is_ok(),
        _ => true,
    };
    let took = started.elapsed();
    assert!(ok, "event {} does not decode", event.position);
    took
}

#[async_trait]
impl Projection for Timed {
    fn name(&self) -> &'static str {
        self.inner.name()
    }

    fn tables(&self) -> &'static [&'static str] {
        self.inner.tables()
    }

    fn stream_types(&self) -> &'static [&'static str] {
        self.inner.stream_types()
    }

    fn event_types(&self) -> Option<&'static [&'static str]> {
        self.inner.event_types()
    }

    /// Each event alone, to time it: a batch of one, so for a projection that folds its
    /// batches in memory this profiles the live runner's path, not a rebuild's.
    async fn apply(&self, tx: &mut ReadTx, event: &RecordedEvent) -> Result<(), ProjectionError> {
        // The runner's filter hands a projection only the events it reads: each is decoded.
        let decode = time_decode(event);
        let started = Instant::now();
        let result = self.inner.apply(tx, event).await;
        let apply = started.elapsed();
        let mut guard = self.stats.lock().unwrap_or_else(PoisonError::into_inner);
        let stats = &mut *guard;
        let tenth = usize::try_from(event.position.saturating_mul(10) / self.head.max(1))
            .unwrap_or(0)
            .min(9);
        for spent in [
            stats.by_type.entry(event.event_type.clone()).or_default(),
            &mut stats.by_tenth[tenth],
        ] {
            spent.events += 1;
            spent.apply += apply;
            spent.decode += decode;
        }
        result
    }
}

/// The cost of one statement round trip in a read-model transaction, for scale: `SELECT 1`,
/// and a keyed `UPDATE` of a row that is there (as most `apply`s do), in µs.
async fn round_trip(db: &Database) -> (f64, f64) {
    const N: u32 = 20_000;
    let mut tx = ReadTx::begin(db).await.expect("a transaction");
    let started = Instant::now();
    for _ in 0..N {
        niaga_projections::on_tx!(&mut tx, conn => sqlx::query("SELECT 1").execute(conn).await.map(drop))
            .expect("select 1");
    }
    let select = started.elapsed().as_secs_f64() * 1e6 / f64::from(N);
    let ids: Vec<String> = on_reader!(db, pool => sqlx::query_scalar(
        "SELECT customer_id FROM customer_list ORDER BY customer_id LIMIT 1000",
    )
    .fetch_all(pool)
    .await)
    .expect("customer ids");
    let started = Instant::now();
    for i in 0..N {
        let id = &ids[usize::try_from(i).unwrap_or(0) % ids.len().max(1)];
        niaga_projections::on_tx!(&mut tx, conn => sqlx::query(
            "UPDATE customer_list SET open_opportunities = open_opportunities + 0 WHERE customer_id = $1",
        )
        .bind(id)
        .execute(conn)
        .await
        .map(drop))
        .expect("an update");
    }
    let update = started.elapsed().as_secs_f64() * 1e6 / f64::from(N);
    drop(tx);
    (select, update)
}

/// What PostgreSQL counted on a projection's tables since they were made (by the rebuild
/// that just ran): scans by sequence and by index, rows read by sequential scans, rows
/// written. The counters reach the statistics up to a second late, hence the pause.
async fn table_stats(db: &Database, tables: &[&str]) -> Option<String> {
    let Database::Postgres(pool) = db else {
        return None;
    };
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    let tables: Vec<String> = tables.iter().map(|t| (*t).to_owned()).collect();
    let rows: Vec<(String, i64, i64, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT relname::text, seq_scan, seq_tup_read, COALESCE(idx_scan, 0), n_tup_ins, \
         n_tup_upd, n_tup_del FROM pg_stat_user_tables \
         WHERE schemaname = 'public' AND relname = ANY($1) ORDER BY relname",
    )
    .bind(&tables)
    .fetch_all(pool)
    .await
    .expect("table statistics");
    Some(
        rows.iter()
            .map(|(table, seq, seq_read, idx, ins, upd, del)| {
                format!(
                    "{table}: {} seq scans reading {} rows, {} index scans; {} inserted, \
                     {} updated, {} deleted",
                    thousands(*seq as f64),
                    thousands(*seq_read as f64),
                    thousands(*idx as f64),
                    thousands(*ins as f64),
                    thousands(*upd as f64),
                    thousands(*del as f64),
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
    )
}

async fn profile(db: &Database, rebuilt: &[(&'static str, u64, Duration)], read_all_500: f64) {
    let head = {
        let head: Option<i64> = on_reader!(db, pool => sqlx::query_scalar(
            "SELECT MAX(position) FROM events",
        )
        .fetch_one(pool)
        .await)
        .expect("the head");
        head.unwrap_or(1)
    };
    println!(
        "\n#### Profile: each projection rebuilt again, every event applied alone and timed \
         (a batch of one: the live runner's path)\n"
    );
    println!(
        "| projection | rebuild s | in `apply` s | of which decoding s | outside `apply` s | \
         of which reading the feed (est.) s | events it decodes | µs in `apply` per decoded event |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    let mut details = Vec::new();
    for projection in chosen() {
        let timed = Timed {
            inner: projection.clone(),
            head,
            stats: Mutex::default(),
        };
        let started = Instant::now();
        let read = rebuild(&timed, db, &|_| {})
            .await
            .expect("a rebuild")
            .applied;
        let took = started.elapsed();
        let stats = timed
            .stats
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        let apply: Duration = stats.by_type.values().map(|s| s.apply).sum();
        let decode: Duration = stats.by_type.values().map(|s| s.decode).sum();
        let decoded: Spent = stats.by_tenth.iter().fold(Spent::default(), |a, s| Spent {
            events: a.events + s.events,
            apply: a.apply + s.apply,
            decode: a.decode + s.decode,
        });
        println!(
            "| {} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {} | {:.1} |",
            projection.name(),
            took.as_secs_f64(),
            apply.as_secs_f64(),
            decode.as_secs_f64(),
            took.saturating_sub(apply).as_secs_f64(),
            read as f64 / read_all_500.max(1.0),
            thousands(decoded.events as f64),
            decoded.apply.as_secs_f64() * 1e6 / (decoded.events.max(1) as f64),
        );
        let tables = table_stats(db, projection.tables()).await;
        details.push((projection.name(), stats, tables));
    }
    let first: Duration = rebuilt.iter().map(|r| r.2).sum();
    println!(
        "\n(The plain rebuilds above took {:.1} s in all. The timed ones also decode every \
         event they decode a second time, outside `apply`; reading the feed is estimated from \
         `read_all`'s median rate at 500 a page, {} events/s.)",
        first.as_secs_f64(),
        thousands(read_all_500),
    );
    println!("\nMean µs in `apply` per decoded event, by tenth of the feed (first → last):\n");
    println!("| projection | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (name, stats, _) in &details {
        let cells: Vec<String> = stats
            .by_tenth
            .iter()
            .map(|s| {
                format!(
                    "{:.0}",
                    s.apply.as_secs_f64() * 1e6 / (s.events.max(1) as f64)
                )
            })
            .collect();
        println!("| {name} | {} |", cells.join(" | "));
    }
    println!("\nPer event type, mean µs in `apply` (decoding included) and of decoding alone:\n");
    println!("| projection | event type | events | µs in `apply` | µs decoding |");
    println!("|---|---|---:|---:|---:|");
    for (name, stats, _) in &details {
        for (event_type, spent) in &stats.by_type {
            let n = spent.events.max(1) as f64;
            println!(
                "| {name} | {event_type} | {} | {:.1} | {:.1} |",
                thousands(spent.events as f64),
                spent.apply.as_secs_f64() * 1e6 / n,
                spent.decode.as_secs_f64() * 1e6 / n,
            );
        }
    }
    if details.iter().any(|d| d.2.is_some()) {
        println!("\nPostgreSQL's counters on the rebuilt tables:\n");
        for (name, _, tables) in &details {
            if let Some(tables) = tables {
                println!("- {name}: {tables}");
            }
        }
    }
    let (select, update) = round_trip(db).await;
    println!(
        "\nOne statement round trip in a read-model transaction: `SELECT 1` {select:.1} µs, \
         a keyed `UPDATE customer_list` {update:.1} µs."
    );
    decode_profile(db).await;
    println!("\n{}", load_average());
}

/// The JSON work per event, three ways, over the whole feed read as text: parsing the
/// payload into a `serde_json::Value` (what the store does for every event it reads), then
/// the `Value` into the domain event (what `niaga_store::decode` does in every `apply`:
/// clone, wrap in `{"type", "data"}`, `from_value`), against parsing the stored text straight
/// into the domain event.
async fn decode_profile(db: &Database) {
    fn paths<E: DomainEvent>(event_type: &str, version: u16, text: &str) -> [Duration; 3] {
        let started = Instant::now();
        let value: serde_json::Value = serde_json::from_str(text).expect("stored JSON");
        let to_value = started.elapsed();
        let started = Instant::now();
        let from_value = E::decode(event_type, version, value.clone()).is_ok();
        let value_to_event = started.elapsed();
        let started = Instant::now();
        let tagged = format!(r#"{{"type":"{event_type}","data":{text}}}"#);
        let direct = serde_json::from_str::<E>(&tagged).is_ok();
        let text_to_event = started.elapsed();
        assert!(from_value && direct, "a {event_type} that does not decode");
        [to_value, value_to_event, text_to_event]
    }
    let sql = match db {
        Database::Postgres(_) => {
            "SELECT position, stream_type, event_type, schema_version, payload::text FROM events \
             WHERE position > $1 ORDER BY position LIMIT 5000"
        }
        Database::Sqlite { .. } => {
            "SELECT position, stream_type, event_type, schema_version, payload FROM events \
             WHERE position > $1 ORDER BY position LIMIT 5000"
        }
    };
    let mut spent: BTreeMap<String, (u64, [Duration; 3])> = BTreeMap::new();
    let mut after = 0i64;
    loop {
        let rows: Vec<(i64, String, String, i32, String)> =
            on_reader!(db, pool => sqlx::query_as(sql).bind(after).fetch_all(pool).await)
                .expect("a page of payloads");
        let Some(last) = rows.last() else { break };
        after = last.0;
        for (_, stream_type, event_type, version, text) in &rows {
            let version = u16::try_from(*version).unwrap_or(1);
            let took = match stream_type.as_str() {
                s if s == Customer::STREAM_TYPE => {
                    paths::<CustomerEvent>(event_type, version, text)
                }
                s if s == Invoice::STREAM_TYPE => paths::<InvoiceEvent>(event_type, version, text),
                s if s == Quotation::STREAM_TYPE => {
                    paths::<QuotationEvent>(event_type, version, text)
                }
                _ => continue,
            };
            let entry = spent.entry(stream_type.clone()).or_default();
            entry.0 += 1;
            for (sum, t) in entry.1.iter_mut().zip(took) {
                *sum += t;
            }
        }
    }
    println!("\nJSON per event over the whole feed, mean µs:\n");
    println!(
        "| stream | events | text → `Value` (the store's read) | `Value` → event (`decode` in `apply`) | text → event directly |"
    );
    println!("|---|---:|---:|---:|---:|");
    let mut all = (0u64, [Duration::ZERO; 3]);
    for (stream, (n, took)) in &spent {
        let per = |d: Duration| d.as_secs_f64() * 1e6 / (*n).max(1) as f64;
        println!(
            "| {stream} | {} | {:.1} | {:.1} | {:.1} |",
            thousands(*n as f64),
            per(took[0]),
            per(took[1]),
            per(took[2])
        );
        all.0 += n;
        for (sum, t) in all.1.iter_mut().zip(took) {
            *sum += *t;
        }
    }
    let per = |d: Duration| d.as_secs_f64() * 1e6 / all.0.max(1) as f64;
    println!(
        "| all | {} | {:.1} | {:.1} | {:.1} |",
        thousands(all.0 as f64),
        per(all.1[0]),
        per(all.1[1]),
        per(all.1[2])
    );
}

// ---------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------

/// 1234567.8 → "1,234,568".
fn thousands(value: f64) -> String {
    let digits = format!("{:.0}", value.max(0.0));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The machine's load while measuring: other work on the two cores slows every figure.
fn load_average() -> String {
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load: Vec<&str> = load.split_whitespace().take(3).collect();
    format!("Load average (1, 5, 15 min): {}.", load.join(", "))
}

async fn event_mix(db: &Database) {
    let rows: Vec<(String, String, i64)> = on_reader!(db, pool => sqlx::query_as(
        "SELECT stream_type, event_type, COUNT(*) FROM events GROUP BY stream_type, event_type \
         ORDER BY stream_type, COUNT(*) DESC",
    )
    .fetch_all(pool)
    .await)
    .expect("the event mix");
    let total: i64 = rows.iter().map(|r| r.2).sum();
    println!("\n| stream | event type | events | share |");
    println!("|---|---|---:|---:|");
    for (stream, event_type, n) in rows {
        println!(
            "| {stream} | {event_type} | {} | {:.1} % |",
            thousands(n as f64),
            100.0 * n as f64 / total.max(1) as f64
        );
    }
}

/// A fresh database as the tests make them (on PostgreSQL with commits flushed, as in
/// production), renamed `niaga_bench_*`: `scripts/test.sh` drops every `niaga_test_*`
/// database and file when it starts, which would end an hour-long run half-way.
async fn fresh_bench_database(backend: Backend) -> String {
    let url = fresh_durable_database_url(backend)
        .await
        .expect("a fresh database");
    let (base, name) = url.rsplit_once('/').expect("a database name in the URL");
    let renamed = name.replacen("niaga_test_", "niaga_bench_", 1);
    if backend == Backend::Postgres {
        let mut admin = PgConnection::connect(&format!("{}/postgres", postgres_server()))
            .await
            .expect("the admin database");
        sqlx::query(&format!("ALTER DATABASE {name} RENAME TO {renamed}"))
            .execute(&mut admin)
            .await
            .expect("rename the benchmark database");
        drop(admin.close().await);
    }
    format!("{base}/{renamed}")
}

/// Drops the benchmark's database (a million events is a gigabyte or so).
async fn drop_database(url: &str, backend: Backend) {
    let name = url.rsplit('/').next().unwrap_or_default().to_owned();
    match backend {
        Backend::Postgres if name.starts_with("niaga_bench_") => {
            let mut admin = PgConnection::connect(&format!("{}/postgres", postgres_server()))
                .await
                .expect("the admin database");
            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut admin)
                .await
                .expect("drop the benchmark database");
            drop(admin.close().await);
        }
        Backend::Postgres => {}
        Backend::Sqlite => {
            let path = url.trim_start_matches("sqlite://");
            for suffix in ["", "-wal", "-shm"] {
                drop(std::fs::remove_file(format!("{path}{suffix}")));
            }
        }
    }
}

/// The database a run measures: a fresh one filled with `events` generated events, or the
/// one named by `BENCH_DATABASE` (kept by an earlier run with `BENCH_KEEP=1`), as it is.
async fn prepare(backend: Backend, events: u64) -> (Database, String, u64, bool) {
    let reused = std::env::var("BENCH_DATABASE")
        .ok()
        .filter(|url| url.starts_with("postgres") == (backend == Backend::Postgres));
    let url = match &reused {
        Some(url) => url.clone(),
        None => fresh_bench_database(backend).await,
    };
    println!("\n### {backend:?}\n\nDatabase: {url}");
    let db = Database::connect(&url).await.expect("connect");
    db.migrate().await.expect("migrate");
    if reused.is_some() {
        let (events, streams): (i64, i64) = on_reader!(&db, pool => sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM events), \
             (SELECT COUNT(*) FROM (SELECT DISTINCT stream_type, stream_id FROM events) s)",
        )
        .fetch_one(pool)
        .await)
        .expect("the events");
        println!(
            "Reused as it is: {} events in {} streams.",
            thousands(events as f64),
            thousands(streams as f64)
        );
        event_mix(&db).await;
        return (db, url, u64::try_from(events).unwrap_or(0), true);
    }
    // PostgreSQL takes concurrent appends (group commit); SQLite has one writer, and a few
    // workers keep it busy while others decide and encode.
    let workers = match backend {
        Backend::Postgres => 16,
        Backend::Sqlite => 4,
    };
    let generated = generate(&db, events, workers).await;
    on_writer!(&db, pool => sqlx::query(match backend {
        Backend::Postgres => "VACUUM ANALYZE events",
        Backend::Sqlite => "ANALYZE",
    })
    .execute(pool)
    .await
    .map(drop))
    .expect("analyze");
    println!(
        "{} events, {} companies, {} streams.",
        thousands(generated.events as f64),
        thousands(generated.companies as f64),
        thousands(generated.streams as f64),
    );
    println!(
        "Generated (decided, encoded, appended by {workers} workers) in {:.1} s: {} events/s, {} appends/s.",
        generated.took.as_secs_f64(),
        thousands(generated.events as f64 / generated.took.as_secs_f64()),
        thousands(generated.streams as f64 / generated.took.as_secs_f64()),
    );
    println!(
        "Deciding and encoding took {:.1} s of the workers' time in all; the rest is the \
         appends (the store's hashing and the database). {}",
        generated.deciding.as_secs_f64(),
        load_average(),
    );
    event_mix(&db).await;
    if env("BENCH_AUDIT", 1) == 1 {
        let started = Instant::now();
        let verification = niaga_store::audit::verify_all(db.event_store().as_ref())
            .await
            .expect("the audit");
        println!(
            "\nHash chains of {} streams ({} events) checked by `audit::verify_all` in {:.1} s: \
             {} broken.",
            thousands(verification.streams as f64),
            thousands(verification.events as f64),
            started.elapsed().as_secs_f64(),
            verification.broken.len(),
        );
        assert!(verification.broken.is_empty(), "{:?}", verification.broken);
    }
    (db, url, generated.events, false)
}

async fn run_backend(backend: Backend, events: u64) {
    let rounds = env("BENCH_ROUNDS", 3);
    let (db, url, events, reused) = prepare(backend, events).await;
    let (feed_target, rebuild_target) = match backend {
        Backend::Postgres => (100_000.0, 50_000.0),
        Backend::Sqlite => (0.0, 0.0),
    };
    let read_all_500 = if env("BENCH_FEED", 1) == 1 {
        feed_pages(&db, &url, rounds, events, feed_target).await
    } else {
        0.0
    };
    let rebuilt = rebuilds(&db, events, rebuild_target).await;
    println!("\n{}", load_average());
    if env("BENCH_PROFILE", 1) == 1 {
        profile(&db, &rebuilt, read_all_500).await;
    }
    db.close().await;
    if reused || env("BENCH_KEEP", 0) == 1 {
        println!("\nKept: {url}");
    } else {
        drop_database(&url, backend).await;
    }
}

/// The projections to rebuild: `BENCH_ONLY` (names, comma-separated), or all.
fn chosen() -> Vec<Arc<dyn Projection>> {
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    niaga_projections::all()
        .into_iter()
        .filter(|p| only.is_empty() || only.split(',').any(|name| name.trim() == p.name()))
        .collect()
}

fn main() {
    let events = env("BENCH_EVENTS", 1_000_000);
    let backends = std::env::var("BENCH_BACKENDS").unwrap_or_else(|_| "postgres,sqlite".into());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    println!(
        "Niaga read side: feed pages and rebuilds over {} generated events, {}",
        thousands(events as f64),
        Utc::now().format("%Y-%m-%d %H:%M UTC")
    );
    for name in backends.split(',') {
        let backend = match name.trim() {
            "postgres" => Backend::Postgres,
            "sqlite" => Backend::Sqlite,
            other => panic!("unknown backend {other}"),
        };
        runtime.block_on(run_backend(backend, events));
    }
}
