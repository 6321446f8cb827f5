//! Each issued document (an invoice, a credit, debit or refund note, a month's consolidated
//! e-invoice) and where it stands with LHDN: the work list of the submitter (pending,
//! submitting, accepted), of the consolidation job (sales for consolidation) and the screen
//! of `GET /lhdn/documents`. What may be submitted is never decided here: the Invoice and
//! Consolidation aggregates decide, on their own events.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use niaga_domain::{
    Aggregate,
    consolidation::{Consolidation, ConsolidationEvent},
    einvoice::{Accepted, Rejected, Started, Validated},
    invoice::{EInvoiceChoice, Invoice, InvoiceEvent, LhdnProblem, NoteIssued},
    values::Month,
};
use niaga_store::{Database, RecordedEvent, on_reader};
use serde::Serialize;

use crate::{
    Projection, ProjectionError, ReadTx,
    newest_first::{NewestFirst, Page},
    on_tx, time_text,
};

pub const NAME: &str = "lhdn_documents";

#[derive(Debug, Clone, Copy)]
pub struct LhdnDocuments;

/// A document's status with LHDN, as stored and filtered on: the API's words.
pub const PENDING: &str = "pending";
pub const SUBMITTING: &str = "submitting";
pub const ACCEPTED: &str = "accepted";
pub const VALID: &str = "valid";
/// Refused at submission: LHDN never took it in.
pub const REJECTED: &str = "rejected";
/// Taken in, then found invalid.
pub const INVALID: &str = "invalid";
pub const CANCELLED: &str = "cancelled";
/// An invoice whose buyer wanted no e-invoice: it waits for the month's consolidated one.
pub const FOR_CONSOLIDATION: &str = "for_consolidation";
/// An invoice taken into its month's consolidated e-invoice (see that document's status).
pub const CONSOLIDATED: &str = "consolidated";

pub const STATUSES: [&str; 9] = [
    PENDING,
    SUBMITTING,
    ACCEPTED,
    VALID,
    REJECTED,
    INVALID,
    CANCELLED,
    FOR_CONSOLIDATION,
    CONSOLIDATED,
];

/// The kind of a consolidated e-invoice's row.
pub const CONSOLIDATED_KIND: &str = "consolidated";

macro_rules! exec {
    ($tx:expr, $sql:expr $(, $bind:expr)* $(,)?) => {
        on_tx!($tx, conn => sqlx::query($sql)$(.bind($bind))*.execute(conn).await.map(drop))
    };
}

/// The id a note or the invoice is kept under.
fn document_id(stream_id: &str, note_id: Option<impl ToString>) -> String {
    note_id.map_or_else(|| stream_id.to_owned(), |id| id.to_string())
}

/// A new row: `document_id`, of `invoice_id` (and its note, if one), in `status`.
struct Row<'a> {
    document_id: String,
    invoice_id: Option<&'a str>,
    note_id: Option<String>,
    kind: &'a str,
    number: String,
    customer_id: Option<String>,
    issued_at: DateTime<Utc>,
    status: &'static str,
    consolidation: Option<String>,
}

async fn insert(tx: &mut ReadTx, row: Row<'_>, position: i64) -> Result<(), ProjectionError> {
    Ok(exec!(
        tx,
        "INSERT INTO lhdn_documents (document_id, invoice_id, note_id, kind, number, \
         customer_id, issued_at, status, consolidation, issued_position, updated_position) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) \
         ON CONFLICT (document_id) DO NOTHING",
        row.document_id,
        row.invoice_id,
        row.note_id,
        row.kind,
        row.number,
        row.customer_id,
        time_text(row.issued_at),
        row.status,
        row.consolidation,
        position,
    )?)
}

fn note_row<'a>(
    tx: &'a mut ReadTx,
    event: &'a RecordedEvent,
    kind: &'static str,
    note: &'a NoteIssued,
) -> impl Future<Output = Result<(), ProjectionError>> + Send + 'a {
    let stream_id = event.stream.stream_id.as_str();
    insert(
        tx,
        Row {
            document_id: note.note_id.to_string(),
            invoice_id: Some(stream_id),
            note_id: Some(note.note_id.to_string()),
            kind,
            number: note.number.to_string(),
            customer_id: Some(note.customer_id.to_string()),
            issued_at: note.issued_at,
            status: PENDING,
            consolidation: None,
        },
        event.position,
    )
}

// The steps of a submission, the same for every document whichever stream records them.

async fn started(
    tx: &mut ReadTx,
    document_id: String,
    s: &Started,
    position: i64,
) -> Result<(), ProjectionError> {
    Ok(exec!(
        tx,
        "UPDATE lhdn_documents SET status = $2, attempt = $3, submitted_at = $4, \
         submission_uid = NULL, document_uuid = NULL, problems = NULL, \
         updated_position = $5 WHERE document_id = $1",
        document_id,
        SUBMITTING,
        i64::from(s.attempt),
        time_text(s.started_at),
        position,
    )?)
}

async fn accepted(
    tx: &mut ReadTx,
    document_id: String,
    a: &Accepted,
    position: i64,
) -> Result<(), ProjectionError> {
    Ok(exec!(
        tx,
        "UPDATE lhdn_documents SET status = $2, submission_uid = $3, document_uuid = $4, \
         updated_position = $5 WHERE document_id = $1",
        document_id,
        ACCEPTED,
        a.submission_uid.clone(),
        a.document_uuid.clone(),
        position,
    )?)
}

async fn rejected(
    tx: &mut ReadTx,
    document_id: String,
    r: &Rejected,
    position: i64,
) -> Result<(), ProjectionError> {
    Ok(exec!(
        tx,
        "UPDATE lhdn_documents SET status = $2, document_uuid = $3, problems = $4, \
         updated_position = $5 WHERE document_id = $1",
        document_id,
        if r.document_uuid.is_some() {
            INVALID
        } else {
            REJECTED
        },
        r.document_uuid.clone(),
        problems_json(&r.problems)?,
        position,
    )?)
}

async fn validated(
    tx: &mut ReadTx,
    document_id: String,
    v: &Validated,
    position: i64,
) -> Result<(), ProjectionError> {
    Ok(exec!(
        tx,
        "UPDATE lhdn_documents SET status = $2, document_uuid = $3, long_id = $4, \
         validated_at = $5, problems = NULL, updated_position = $6 WHERE document_id = $1",
        document_id,
        VALID,
        v.document_uuid.clone(),
        v.long_id.clone(),
        time_text(v.validated_at),
        position,
    )?)
}

/// A status change of the document `document_id` alone.
async fn status(
    tx: &mut ReadTx,
    document_id: &str,
    status: &'static str,
    position: i64,
) -> Result<(), ProjectionError> {
    Ok(exec!(
        tx,
        "UPDATE lhdn_documents SET status = $2, updated_position = $3 WHERE document_id = $1",
        document_id,
        status,
        position,
    )?)
}

fn problems_json(problems: &[LhdnProblem]) -> Result<String, ProjectionError> {
    serde_json::to_string(problems).map_err(|error| ProjectionError::Corrupt(error.to_string()))
}

/// The events of a document's way to LHDN, of invoices and of consolidations: drafts,
/// payments and PDFs are not ([`Projection::event_types`]).
const EVENTS: &[&str] = &[
    "InvoiceIssued",
    "CreditNoteIssued",
    "DebitNoteIssued",
    "RefundNoteIssued",
    "EInvoiceSubmissionStarted",
    "EInvoiceAccepted",
    "EInvoiceRejected",
    "InvoiceValidatedByLhdn",
    "NoteValidatedByLhdn",
    "EInvoiceResubmissionRequested",
    "InvoiceCancelled",
    "IndividualEInvoiceRequested",
    "InvoiceConsolidated",
    "ConsolidatedEInvoicePrepared",
    "ConsolidatedSubmissionStarted",
    "ConsolidatedEInvoiceAccepted",
    "ConsolidatedEInvoiceRejected",
    "ConsolidatedEInvoiceValidated",
];

#[async_trait]
impl Projection for LhdnDocuments {
    fn name(&self) -> &'static str {
        NAME
    }

    fn tables(&self) -> &'static [&'static str] {
        &["lhdn_documents"]
    }

    fn stream_types(&self) -> &'static [&'static str] {
        &[Invoice::STREAM_TYPE, Consolidation::STREAM_TYPE]
    }

    fn event_types(&self) -> Option<&'static [&'static str]> {
        Some(EVENTS)
    }

    async fn apply(&self, tx: &mut ReadTx, event: &RecordedEvent) -> Result<(), ProjectionError> {
        match event.stream.stream_type.as_str() {
            Invoice::STREAM_TYPE => {
                apply_invoice(tx, event, niaga_store::decode::<InvoiceEvent>(event)?).await
            }
            Consolidation::STREAM_TYPE => {
                apply_consolidation(tx, event, niaga_store::decode(event)?).await
            }
            _ => Ok(()),
        }
    }
}

async fn apply_invoice(
    tx: &mut ReadTx,
    event: &RecordedEvent,
    decoded: InvoiceEvent,
) -> Result<(), ProjectionError> {
    let stream_id = event.stream.stream_id.as_str();
    let position = event.position;
    let id = |note_id| document_id(stream_id, note_id);
    match decoded {
        InvoiceEvent::InvoiceIssued(e) => {
            let status = match e.einvoice {
                EInvoiceChoice::Individual => PENDING,
                EInvoiceChoice::Consolidated => FOR_CONSOLIDATION,
            };
            let row = Row {
                document_id: stream_id.to_owned(),
                invoice_id: Some(stream_id),
                note_id: None,
                kind: "invoice",
                number: e.number.to_string(),
                customer_id: Some(e.customer_id.to_string()),
                issued_at: e.issued_at,
                status,
                consolidation: None,
            };
            insert(tx, row, position).await?;
        }
        InvoiceEvent::CreditNoteIssued(e) => note_row(tx, event, "credit_note", &e).await?,
        InvoiceEvent::DebitNoteIssued(e) => note_row(tx, event, "debit_note", &e).await?,
        InvoiceEvent::RefundNoteIssued(e) => note_row(tx, event, "refund_note", &e).await?,
        InvoiceEvent::EInvoiceSubmissionStarted(e) => {
            started(tx, id(e.note_id), &e.started, position).await?;
        }
        InvoiceEvent::EInvoiceAccepted(e) => {
            accepted(tx, id(e.note_id), &e.accepted, position).await?;
        }
        InvoiceEvent::EInvoiceRejected(e) => {
            rejected(tx, id(e.note_id), &e.rejected, position).await?;
        }
        InvoiceEvent::InvoiceValidatedByLhdn(e) => {
            validated(tx, id(None), &e.validated, position).await?;
        }
        InvoiceEvent::NoteValidatedByLhdn(e) => {
            validated(tx, id(Some(e.note_id)), &e.validated, position).await?;
        }
        InvoiceEvent::EInvoiceResubmissionRequested(e) => {
            status(tx, &id(e.note_id), PENDING, position).await?;
        }
        InvoiceEvent::InvoiceCancelled(_) => status(tx, stream_id, CANCELLED, position).await?,
        // Asked for an e-invoice of its own: the submitter takes it on.
        InvoiceEvent::IndividualEInvoiceRequested(_) => {
            status(tx, stream_id, PENDING, position).await?;
        }
        InvoiceEvent::InvoiceConsolidated(e) => exec!(
            tx,
            "UPDATE lhdn_documents SET status = $2, consolidation = $3, updated_position = $4 \
             WHERE document_id = $1",
            stream_id,
            CONSOLIDATED,
            e.month.to_string(),
            position,
        )?,
        InvoiceEvent::InvoiceDrafted(_)
        | InvoiceEvent::InvoiceDraftAmended(_)
        | InvoiceEvent::PaymentRecorded(_)
        | InvoiceEvent::InvoiceVoided(_)
        | InvoiceEvent::InvoicePdfIssued(_) => {}
    }
    Ok(())
}

async fn apply_consolidation(
    tx: &mut ReadTx,
    event: &RecordedEvent,
    decoded: ConsolidationEvent,
) -> Result<(), ProjectionError> {
    let position = event.position;
    match decoded {
        ConsolidationEvent::ConsolidatedEInvoicePrepared(e) => {
            let row = Row {
                document_id: e.number.to_string(),
                invoice_id: None,
                note_id: None,
                kind: CONSOLIDATED_KIND,
                number: e.number.to_string(),
                customer_id: None,
                issued_at: e.issued_at,
                status: PENDING,
                consolidation: Some(e.month.to_string()),
            };
            insert(tx, row, position).await
        }
        ConsolidationEvent::ConsolidatedSubmissionStarted(e) => {
            started(tx, e.number.to_string(), &e.step, position).await
        }
        ConsolidationEvent::ConsolidatedEInvoiceAccepted(e) => {
            accepted(tx, e.number.to_string(), &e.step, position).await
        }
        ConsolidationEvent::ConsolidatedEInvoiceRejected(e) => {
            rejected(tx, e.number.to_string(), &e.step, position).await
        }
        ConsolidationEvent::ConsolidatedEInvoiceValidated(e) => {
            validated(tx, e.number.to_string(), &e.step, position).await
        }
    }
}

/// One document and where it stands with LHDN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct LhdnDocument {
    pub document_id: String,
    /// `None` for a consolidated e-invoice.
    pub invoice_id: Option<String>,
    pub note_id: Option<String>,
    pub kind: String,
    pub number: String,
    /// `None` for a consolidated e-invoice.
    pub customer_id: Option<String>,
    pub issued_at: String,
    pub status: String,
    pub attempt: i64,
    pub submitted_at: Option<String>,
    pub submission_uid: Option<String>,
    pub document_uuid: Option<String>,
    pub long_id: Option<String>,
    pub validated_at: Option<String>,
    /// JSON array of `LhdnProblem`.
    pub problems: Option<String>,
    pub issued_position: i64,
    pub updated_position: i64,
    /// Of a consolidated e-invoice, the month it summarises; of an invoice, the month whose
    /// consolidated e-invoice took it in.
    pub consolidation: Option<String>,
}

impl LhdnDocument {
    /// LHDN's problems with the document (none unless rejected or invalid).
    pub fn problems(&self) -> Vec<LhdnProblem> {
        self.problems
            .as_deref()
            .and_then(|json| serde_json::from_str(json).ok())
            .unwrap_or_default()
    }
}

const SELECT: &str = "SELECT document_id, invoice_id, note_id, kind, number, customer_id, \
     issued_at, status, attempt, submitted_at, submission_uid, document_uuid, long_id, \
     validated_at, problems, issued_position, updated_position, consolidation \
     FROM lhdn_documents";

/// A page of documents, newest first, of one status or all; served by
/// `lhdn_documents_newest` or `_by_status`.
pub async fn list(
    db: &Database,
    status: Option<&'static str>,
    before: Option<i64>,
    limit: u32,
) -> Result<Page<LhdnDocument>, ProjectionError> {
    NewestFirst {
        select: SELECT,
        position: "issued_position",
        filters: vec![("status", status.map(str::to_owned))],
    }
    .page(db, before, limit, |d: &LhdnDocument| d.issued_position)
    .await
}

/// The submitter's work: documents waiting to be sent, oldest first. A note waits until its
/// invoice is valid (LHDN's referenced-document rule).
pub async fn ready_to_submit(
    db: &Database,
    limit: u32,
) -> Result<Vec<LhdnDocument>, ProjectionError> {
    let sql = format!(
        "{SELECT} d WHERE d.status = $1 AND (d.note_id IS NULL OR EXISTS (\
         SELECT 1 FROM lhdn_documents i WHERE i.document_id = d.invoice_id AND i.status = $2)) \
         ORDER BY d.issued_position LIMIT $3"
    );
    Ok(on_reader!(db, pool => sqlx::query_as(&sql)
        .bind(PENDING)
        .bind(VALID)
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await)?)
}

/// Documents of `status`, oldest first: submissions to reconcile or to poll.
pub async fn with_status(
    db: &Database,
    status: &'static str,
    limit: u32,
) -> Result<Vec<LhdnDocument>, ProjectionError> {
    let sql = format!("{SELECT} WHERE status = $1 ORDER BY issued_position LIMIT $2");
    Ok(on_reader!(db, pool => sqlx::query_as(&sql)
        .bind(status)
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await)?)
}

/// The invoices of `month` left to its consolidated e-invoice: those waiting for it and those
/// it took in already (by a run that stopped before preparing it), oldest first; served by
/// `lhdn_documents_by_status` and `_by_consolidation`.
pub async fn sales_to_consolidate(
    db: &Database,
    month: Month,
) -> Result<Vec<String>, ProjectionError> {
    let sql = "SELECT invoice_id FROM lhdn_documents \
         WHERE kind = 'invoice' AND issued_at >= $1 AND issued_at < $2 \
         AND (status = $3 OR (status = $4 AND consolidation = $5)) ORDER BY issued_position";
    let ids: Vec<Option<String>> = on_reader!(db, pool => sqlx::query_scalar(sql)
        .bind(time_text(month.starts_at()))
        .bind(time_text(month.ends_at()))
        .bind(FOR_CONSOLIDATION)
        .bind(CONSOLIDATED)
        .bind(month.to_string())
        .fetch_all(pool)
        .await)?;
    Ok(ids.into_iter().flatten().collect())
}

/// One document, by the invoice's or the note's id.
pub async fn find(
    db: &Database,
    document_id: &str,
) -> Result<Option<LhdnDocument>, ProjectionError> {
    let sql = format!("{SELECT} WHERE document_id = $1");
    Ok(on_reader!(db, pool => sqlx::query_as(&sql)
        .bind(document_id)
        .fetch_optional(pool)
        .await)?)
}
