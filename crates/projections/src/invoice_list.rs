//! The invoice list: one row per invoice with where it stands (status, what is charged,
//! settled and outstanding), for the list screen, a customer's invoices and receivables.

use crate::time_text;
use async_trait::async_trait;
use niaga_domain::{
    Aggregate, Money,
    invoice::{Invoice, InvoiceEvent, InvoiceStanding, InvoiceStatus},
    money::Currency,
};
use niaga_store::{Database, RecordedEvent};
use serde::Serialize;

use crate::{
    Projection, ProjectionError, ReadTx,
    batch::{self, Cell, Cells, RowPerStream},
    newest_first::{NewestFirst, Page},
    sen,
};

pub const NAME: &str = "invoice_list";

#[derive(Debug, Clone, Copy)]
pub struct InvoiceList;

/// One row of the invoice list, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct InvoiceSummary {
    pub invoice_id: String,
    pub customer_id: String,
    pub number: Option<String>,
    pub status: String,
    pub currency: String,
    pub total_sen: i64,
    pub charged_sen: i64,
    pub settled_sen: i64,
    pub credit_notes: i64,
    pub issued_on: Option<String>,
    pub due_on: Option<String>,
    pub quotation_id: Option<String>,
    pub drafted_at: String,
    pub drafted_position: i64,
}

impl InvoiceSummary {
    /// What the customer still owes (negative: what the company owes back).
    pub fn outstanding_sen(&self) -> i64 {
        self.charged_sen - self.settled_sen
    }

    fn currency(&self) -> Result<Currency, ProjectionError> {
        Currency::parse(&self.currency)
            .map_err(|_| ProjectionError::Corrupt(format!("currency {}", self.currency)))
    }

    /// The status the figures give, by the invoice's own rule.
    fn restate(&mut self, voided: bool, cancelled: bool) -> Result<(), ProjectionError> {
        let currency = self.currency()?;
        let standing = InvoiceStanding {
            issued: self.number.is_some(),
            voided,
            cancelled,
            charged: Money::from_sen(self.charged_sen, currency),
            settled: Money::from_sen(self.settled_sen, currency),
            credited: self.credit_notes > 0,
        };
        self.status = status_text(InvoiceStatus::of(&standing)).to_owned();
        Ok(())
    }
}

/// How a status is stored and filtered on: the same words as the API's.
pub fn status_text(status: InvoiceStatus) -> &'static str {
    match status {
        InvoiceStatus::Draft => "draft",
        InvoiceStatus::Issued => "issued",
        InvoiceStatus::PartlyPaid => "partly_paid",
        InvoiceStatus::Paid => "paid",
        InvoiceStatus::Credited => "credited",
        InvoiceStatus::RefundDue => "refund_due",
        InvoiceStatus::Voided => "voided",
        InvoiceStatus::Cancelled => "cancelled",
    }
}

/// Every column, in the order [`InvoiceSummary::cells`] gives them.
const INSERT: &str = "INSERT INTO invoice_list (invoice_id, customer_id, number, status, \
     currency, total_sen, charged_sen, settled_sen, credit_notes, issued_on, due_on, \
     quotation_id, drafted_at, drafted_position)";

/// What a later event may change of a row written before.
const ON_CONFLICT: &str = "ON CONFLICT (invoice_id) DO UPDATE SET number = EXCLUDED.number, \
     status = EXCLUDED.status, total_sen = EXCLUDED.total_sen, \
     charged_sen = EXCLUDED.charged_sen, settled_sen = EXCLUDED.settled_sen, \
     credit_notes = EXCLUDED.credit_notes, issued_on = EXCLUDED.issued_on, \
     due_on = EXCLUDED.due_on";

/// The invoice events that change a row: LHDN's side of a document is the LHDN read
/// model's, and a PDF changes nothing here ([`Projection::event_types`]).
const EVENTS: &[&str] = &[
    "InvoiceDrafted",
    "InvoiceDraftAmended",
    "InvoiceIssued",
    "PaymentRecorded",
    "CreditNoteIssued",
    "DebitNoteIssued",
    "RefundNoteIssued",
    "InvoiceVoided",
    "InvoiceCancelled",
];

impl Cells for InvoiceSummary {
    fn cells(&self) -> Vec<Cell<'_>> {
        vec![
            (&self.invoice_id).into(),
            (&self.customer_id).into(),
            (&self.number).into(),
            (&self.status).into(),
            (&self.currency).into(),
            self.total_sen.into(),
            self.charged_sen.into(),
            self.settled_sen.into(),
            self.credit_notes.into(),
            (&self.issued_on).into(),
            (&self.due_on).into(),
            (&self.quotation_id).into(),
            (&self.drafted_at).into(),
            self.drafted_position.into(),
        ]
    }
}

#[async_trait]
impl Projection for InvoiceList {
    fn name(&self) -> &'static str {
        NAME
    }

    fn tables(&self) -> &'static [&'static str] {
        &["invoice_list"]
    }

    fn stream_types(&self) -> &'static [&'static str] {
        &[Invoice::STREAM_TYPE]
    }

    fn event_types(&self) -> Option<&'static [&'static str]> {
        Some(EVENTS)
    }

    async fn apply(&self, tx: &mut ReadTx, event: &RecordedEvent) -> Result<(), ProjectionError> {
        self.apply_batch(tx, std::slice::from_ref(event)).await
    }

    async fn apply_batch(
        &self,
        tx: &mut ReadTx,
        events: &[RecordedEvent],
    ) -> Result<(), ProjectionError> {
        batch::apply_rows::<Self>(tx, events).await
    }
}

impl RowPerStream for InvoiceList {
    type Event = InvoiceEvent;
    type Row = InvoiceSummary;
    const STREAM_TYPE: &'static str = Invoice::STREAM_TYPE;
    const SELECT: &'static str = "SELECT * FROM invoice_list WHERE invoice_id";
    const INSERT: &'static str = INSERT;
    const ON_CONFLICT: &'static str = ON_CONFLICT;

    fn key(row: &InvoiceSummary) -> &str {
        &row.invoice_id
    }

    /// Folds one event of an invoice into its row (`None` before the draft); whether it changed.
    fn fold(
        row: &mut Option<InvoiceSummary>,
        event: &RecordedEvent,
        decoded: InvoiceEvent,
    ) -> Result<bool, ProjectionError> {
        if let InvoiceEvent::InvoiceDrafted(e) = &decoded {
            let mut drafted = InvoiceSummary {
                invoice_id: event.stream.stream_id.clone(),
                customer_id: e.customer_id.to_string(),
                number: None,
                status: String::new(),
                currency: e.currency.to_string(),
                total_sen: sen(e.totals.payable())?,
                charged_sen: 0,
                settled_sen: 0,
                credit_notes: 0,
                issued_on: None,
                due_on: None,
                quotation_id: e.source.as_ref().map(|s| s.quotation_id.to_string()),
                drafted_at: time_text(event.recorded_at),
                drafted_position: event.position,
            };
            drafted.restate(false, false)?;
            *row = Some(drafted);
            return Ok(true);
        }
        // Every other event follows the draft in its stream, so its row exists.
        let Some(row) = row else {
            return Ok(false);
        };
        let (mut voided, mut cancelled) = (false, false);
        match decoded {
            InvoiceEvent::InvoiceDrafted(_)
            | InvoiceEvent::InvoiceValidatedByLhdn(_)
            | InvoiceEvent::InvoicePdfIssued(_)
            | InvoiceEvent::EInvoiceSubmissionStarted(_)
            | InvoiceEvent::EInvoiceAccepted(_)
            | InvoiceEvent::EInvoiceRejected(_)
            | InvoiceEvent::NoteValidatedByLhdn(_)
            | InvoiceEvent::EInvoiceResubmissionRequested(_)
            | InvoiceEvent::EInvoiceHeld(_)
            | InvoiceEvent::IndividualEInvoiceRequested(_)
            | InvoiceEvent::InvoiceConsolidated(_) => return Ok(false),
            InvoiceEvent::InvoiceDraftAmended(e) => row.total_sen = sen(e.totals.payable())?,
            InvoiceEvent::InvoiceIssued(e) => {
                row.number = Some(e.number.to_string());
                row.total_sen = sen(e.totals.payable())?;
                row.charged_sen = row.total_sen;
                row.issued_on = Some(e.issued_on.to_string());
                row.due_on = Some(e.due_on.to_string());
            }
            InvoiceEvent::PaymentRecorded(e) => row.settled_sen += sen(e.amount)?,
            InvoiceEvent::CreditNoteIssued(e) => {
                row.charged_sen -= sen(e.totals.payable())?;
                row.credit_notes += 1;
            }
            InvoiceEvent::DebitNoteIssued(e) => row.charged_sen += sen(e.totals.payable())?,
            InvoiceEvent::RefundNoteIssued(e) => row.settled_sen -= sen(e.totals.payable())?,
            InvoiceEvent::InvoiceVoided(_) => voided = true,
            InvoiceEvent::InvoiceCancelled(_) => cancelled = true,
        }
        // Voided and cancelled are final: once stored, they stay.
        voided |= row.status == status_text(InvoiceStatus::Voided);
        cancelled |= row.status == status_text(InvoiceStatus::Cancelled);
        row.restate(voided, cancelled)?;
        Ok(true)
    }
}

/// What the invoice list screen asks for.
#[derive(Debug, Clone, Default)]
pub struct InvoiceFilter {
    pub status: Option<InvoiceStatus>,
    pub customer_id: Option<String>,
    /// Continue below this drafted position, from the previous page.
    pub before: Option<i64>,
    pub limit: u32,
}

/// A page of the list, newest first, and where the next one starts.
pub type InvoicePage = Page<InvoiceSummary>;

/// A page of invoices, newest first; served by `invoice_list_by_status`,
/// `invoice_list_by_customer` or `invoice_list_newest`, read backwards.
pub async fn list(db: &Database, filter: &InvoiceFilter) -> Result<InvoicePage, ProjectionError> {
    query(filter)
        .page(db, filter.before, filter.limit, |i: &InvoiceSummary| {
            i.drafted_position
        })
        .await
}

/// The page query of [`list`] for `filter`. Its statement is public for the plan test.
fn query(filter: &InvoiceFilter) -> NewestFirst<'static> {
    NewestFirst {
        select: "SELECT * FROM invoice_list",
        position: "drafted_position",
        filters: vec![
            ("status", filter.status.map(|s| status_text(s).to_owned())),
            ("customer_id", filter.customer_id.clone()),
        ],
    }
}

/// The statement [`list`] runs for `filter`: binds the cursor position, then the filters
/// given (status, customer), then the limit.
pub fn list_sql(filter: &InvoiceFilter) -> String {
    query(filter).sql()
}
