//! A customer's account: one entry per event that moves what the customer owes (an invoice
//! issued, a payment, a credit, debit or refund note, a cancellation), for statements.

use async_trait::async_trait;
use chrono::NaiveDate;
use niaga_domain::{
    Aggregate, business_day,
    invoice::{Invoice, InvoiceEvent, NoteIssued},
};
use niaga_store::{Database, RecordedEvent, on_reader};
use serde::Serialize;

use crate::{
    Projection, ProjectionError, ReadTx,
    batch::{self, Cell},
    on_tx, sen,
};

pub const NAME: &str = "customer_ledger";

#[derive(Debug, Clone, Copy)]
pub struct CustomerLedger;

/// One entry of a customer's account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct LedgerEntry {
    pub position: i64,
    pub customer_id: String,
    pub currency: String,
    /// The day it counts from: an invoice's or note's date, the day a payment was received.
    pub entry_on: String,
    /// `invoice`, `payment`, `credit_note`, `debit_note`, `refund_note` or `cancellation`.
    pub kind: String,
    /// The invoice or note number; for a payment, the invoice it pays.
    pub document_number: String,
    pub invoice_id: String,
    /// A payment's reference, or a note's or cancellation's reason.
    pub reference: Option<String>,
    /// Raises what the customer owes.
    pub debit_sen: i64,
    /// Lowers it.
    pub credit_sen: i64,
}

impl LedgerEntry {
    fn note(
        position: i64,
        kind: &str,
        note: &NoteIssued,
        debit: bool,
    ) -> Result<Self, ProjectionError> {
        let amount = sen(note.totals.payable())?;
        Ok(Self {
            position,
            customer_id: note.customer_id.to_string(),
            currency: note.totals.payable().currency().to_string(),
            entry_on: note.issued_on.to_string(),
            kind: kind.to_owned(),
            document_number: note.number.to_string(),
            invoice_id: note.invoice_id.to_string(),
            reference: Some(note.reason.clone()),
            debit_sen: if debit { amount } else { 0 },
            credit_sen: if debit { 0 } else { amount },
        })
    }
}

const INSERT: &str = "INSERT INTO customer_ledger (position, customer_id, currency, entry_on, \
     kind, document_number, invoice_id, reference, debit_sen, credit_sen)";

impl LedgerEntry {
    fn cells(&self) -> Vec<Cell<'_>> {
        vec![
            self.position.into(),
            (&self.customer_id).into(),
            (&self.currency).into(),
            (&self.entry_on).into(),
            (&self.kind).into(),
            (&self.document_number).into(),
            (&self.invoice_id).into(),
            (&self.reference).into(),
            self.debit_sen.into(),
            self.credit_sen.into(),
        ]
    }
}

/// The entry of invoice `invoice_id`'s issue: among `batch` (entries not written yet), else
/// as written.
async fn issue_entry(
    tx: &mut ReadTx,
    batch: &[LedgerEntry],
    invoice_id: &str,
) -> Result<Option<LedgerEntry>, ProjectionError> {
    if let Some(entry) = batch
        .iter()
        .find(|e| e.invoice_id == invoice_id && e.kind == "invoice")
    {
        return Ok(Some(entry.clone()));
    }
    Ok(on_tx!(tx, conn => sqlx::query_as(
        "SELECT * FROM customer_ledger WHERE invoice_id = $1 AND kind = 'invoice'",
    )
    .bind(invoice_id)
    .fetch_optional(conn)
    .await)?)
}

#[async_trait]
impl Projection for CustomerLedger {
    fn name(&self) -> &'static str {
        NAME
    }

    fn tables(&self) -> &'static [&'static str] {
        &["customer_ledger"]
    }

    fn stream_types(&self) -> &'static [&'static str] {
        &[Invoice::STREAM_TYPE]
    }

    fn event_types(&self) -> Option<&'static [&'static str]> {
        Some(crate::BALANCE_EVENTS)
    }

    async fn apply(&self, tx: &mut ReadTx, event: &RecordedEvent) -> Result<(), ProjectionError> {
        self.apply_batch(tx, std::slice::from_ref(event)).await
    }

    /// Makes the batch's entries in memory and writes them with multi-row inserts.
    async fn apply_batch(
        &self,
        tx: &mut ReadTx,
        events: &[RecordedEvent],
    ) -> Result<(), ProjectionError> {
        let mut entries: Vec<LedgerEntry> = Vec::new();
        for event in events {
            if event.stream.stream_type != Invoice::STREAM_TYPE {
                continue;
            }
            let position = event.position;
            let entry = match niaga_store::decode::<InvoiceEvent>(event)? {
                InvoiceEvent::InvoiceIssued(e) => LedgerEntry {
                    position,
                    customer_id: e.customer_id.to_string(),
                    currency: e.totals.payable().currency().to_string(),
                    entry_on: e.issued_on.to_string(),
                    kind: "invoice".into(),
                    document_number: e.number.to_string(),
                    invoice_id: e.invoice_id.to_string(),
                    reference: None,
                    debit_sen: sen(e.totals.payable())?,
                    credit_sen: 0,
                },
                InvoiceEvent::PaymentRecorded(e) => LedgerEntry {
                    position,
                    customer_id: e.customer_id.to_string(),
                    currency: e.amount.currency().to_string(),
                    entry_on: e.received_on.to_string(),
                    kind: "payment".into(),
                    document_number: e.invoice_number.to_string(),
                    invoice_id: e.invoice_id.to_string(),
                    reference: e.reference,
                    debit_sen: 0,
                    credit_sen: sen(e.amount)?,
                },
                InvoiceEvent::CreditNoteIssued(e) => {
                    LedgerEntry::note(position, "credit_note", &e, false)?
                }
                InvoiceEvent::DebitNoteIssued(e) => {
                    LedgerEntry::note(position, "debit_note", &e, true)?
                }
                // Money given back raises the balance from below zero towards it.
                InvoiceEvent::RefundNoteIssued(e) => {
                    LedgerEntry::note(position, "refund_note", &e, true)?
                }
                InvoiceEvent::InvoiceCancelled(e) => {
                    // Only an invoice with no payments or notes can be cancelled, so the reversal
                    // is its own entry, taken back whole.
                    let invoice_id = e.invoice_id.to_string();
                    let Some(issued) = issue_entry(tx, &entries, &invoice_id).await? else {
                        continue;
                    };
                    LedgerEntry {
                        position,
                        entry_on: business_day(e.cancelled_at).to_string(),
                        kind: "cancellation".into(),
                        reference: Some(e.reason),
                        debit_sen: 0,
                        credit_sen: issued.debit_sen,
                        ..issued
                    }
                }
                InvoiceEvent::InvoiceDrafted(_)
                | InvoiceEvent::InvoiceDraftAmended(_)
                | InvoiceEvent::InvoiceVoided(_)
                | InvoiceEvent::InvoiceValidatedByLhdn(_)
                | InvoiceEvent::InvoicePdfIssued(_)
                | InvoiceEvent::EInvoiceSubmissionStarted(_)
                | InvoiceEvent::EInvoiceAccepted(_)
                | InvoiceEvent::EInvoiceRejected(_)
                | InvoiceEvent::NoteValidatedByLhdn(_)
                | InvoiceEvent::EInvoiceResubmissionRequested(_)
                | InvoiceEvent::EInvoiceHeld(_)
                | InvoiceEvent::IndividualEInvoiceRequested(_)
                | InvoiceEvent::InvoiceConsolidated(_) => continue,
            };
            entries.push(entry);
        }
        let cells: Vec<Vec<Cell<'_>>> = entries.iter().map(LedgerEntry::cells).collect();
        batch::insert_rows(tx, INSERT, "ON CONFLICT (position) DO NOTHING", &cells).await
    }
}

/// A customer's statement of account for a period, in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statement {
    /// What the customer owed at the start of `from` (everything before it).
    pub opening_sen: i64,
    /// The entries from `from` to `to`, both included, by date then as recorded.
    pub entries: Vec<LedgerEntry>,
    /// Opening + debits − credits of the entries.
    pub closing_sen: i64,
}

/// The most entries one statement lists; a longer period is asked for in parts.
pub const STATEMENT_MAX_ENTRIES: u32 = 5_000;

/// What a customer owed before a day: binds customer, currency, day. Public for its plan test.
pub const OPENING_SQL: &str = "SELECT CAST(COALESCE(SUM(debit_sen - credit_sen), 0) AS BIGINT) \
     FROM customer_ledger WHERE customer_id = $1 AND currency = $2 AND entry_on < $3";

/// A statement's entries: binds customer, currency, first and last day, limit. Public for its
/// plan test.
pub const ENTRIES_SQL: &str = "SELECT * FROM customer_ledger WHERE customer_id = $1 \
     AND currency = $2 AND entry_on >= $3 AND entry_on <= $4 ORDER BY entry_on, position LIMIT $5";

/// The statement of `customer_id` in `currency` from `from` to `to`; served by
/// `customer_ledger_statement`. `None` when the period holds more than
/// [`STATEMENT_MAX_ENTRIES`] entries.
pub async fn statement(
    db: &Database,
    customer_id: &str,
    currency: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Option<Statement>, ProjectionError> {
    let (from, to) = (from.to_string(), to.to_string());
    let opening_sen: i64 = on_reader!(db, pool => sqlx::query_scalar(OPENING_SQL)
    .bind(customer_id)
    .bind(currency)
    .bind(&from)
    .fetch_one(pool)
    .await)?;
    let entries: Vec<LedgerEntry> = on_reader!(db, pool => sqlx::query_as(ENTRIES_SQL)
    .bind(customer_id)
    .bind(currency)
    .bind(&from)
    .bind(&to)
    .bind(i64::from(STATEMENT_MAX_ENTRIES) + 1)
    .fetch_all(pool)
    .await)?;
    if entries.len() > STATEMENT_MAX_ENTRIES as usize {
        return Ok(None);
    }
    let closing_sen = entries.iter().fold(opening_sen, |balance, e| {
        balance + e.debit_sen - e.credit_sen
    });
    Ok(Some(Statement {
        opening_sen,
        entries,
        closing_sen,
    }))
}

/// What a customer owes in one currency, over every entry (negative: what the company owes
/// back).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Balance {
    pub currency: String,
    pub balance_sen: i64,
}

/// The statement of [`balances`], public for its plan test: a range of
/// `customer_ledger_statement`, already in currency order.
pub const BALANCES_SQL: &str = "SELECT currency, \
     CAST(SUM(debit_sen - credit_sen) AS BIGINT) AS balance_sen \
     FROM customer_ledger WHERE customer_id = $1 GROUP BY currency ORDER BY currency";

/// What `customer_id` owes now, per currency they were ever invoiced in, in currency order.
pub async fn balances(db: &Database, customer_id: &str) -> Result<Vec<Balance>, ProjectionError> {
    Ok(on_reader!(db, pool => sqlx::query_as(BALANCES_SQL)
        .bind(customer_id)
        .fetch_all(pool)
        .await)?)
}
