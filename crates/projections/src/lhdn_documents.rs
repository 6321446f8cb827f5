//! Each issued document (an invoice, a credit, debit or refund note) and where it stands with
//! LHDN: the work list of the submitter (pending, submitting, accepted) and the screen of
//! `GET /lhdn/documents`. What may be submitted is never decided here: the Invoice
//! aggregate decides, on its own events.

use async_trait::async_trait;
use niaga_domain::{
    Aggregate,
    invoice::{Invoice, InvoiceEvent, LhdnProblem, NoteIssued},
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

pub const STATUSES: [&str; 7] = [
    PENDING, SUBMITTING, ACCEPTED, VALID, REJECTED, INVALID, CANCELLED,
];

macro_rules! exec {
    ($tx:expr, $sql:expr $(, $bind:expr)* $(,)?) => {
        on_tx!($tx, conn => sqlx::query($sql)$(.bind($bind))*.execute(conn).await.map(drop))
    };
}

/// The id a note or the invoice is kept under.
fn document_id(stream_id: &str, note_id: Option<impl ToString>) -> String {
    note_id.map_or_else(|| stream_id.to_owned(), |id| id.to_string())
}

async fn insert(
    tx: &mut ReadTx,
    event: &RecordedEvent,
    kind: &str,
    note: Option<&NoteIssued>,
    number: String,
    customer_id: String,
    issued_at: chrono::DateTime<chrono::Utc>,
) -> Result<(), ProjectionError> {
    let stream_id = event.stream.stream_id.as_str();
    Ok(exec!(
        tx,
        "INSERT INTO lhdn_documents (document_id, invoice_id, note_id, kind, number, \
         customer_id, issued_at, status, issued_position, updated_position) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) ON CONFLICT (document_id) DO NOTHING",
        document_id(stream_id, note.map(|n| n.note_id)),
        stream_id,
        note.map(|n| n.note_id.to_string()),
        kind,
        number,
        customer_id,
        time_text(issued_at),
        PENDING,
        event.position,
    )?)
}

fn note_row<'a>(
    tx: &'a mut ReadTx,
    event: &'a RecordedEvent,
    kind: &'static str,
    note: &'a NoteIssued,
) -> impl Future<Output = Result<(), ProjectionError>> + Send + 'a {
    insert(
        tx,
        event,
        kind,
        Some(note),
        note.number.to_string(),
        note.customer_id.to_string(),
        note.issued_at,
    )
}

/// Records LHDN's validation (uuid, long id, when) of the document `document_id`.
async fn validated(
    tx: &mut ReadTx,
    document_id: String,
    (document_uuid, long_id, validated_at): (String, String, chrono::DateTime<chrono::Utc>),
    position: i64,
) -> Result<(), ProjectionError> {
    Ok(exec!(
        tx,
        "UPDATE lhdn_documents SET status = $2, document_uuid = $3, long_id = $4, \
         validated_at = $5, problems = NULL, updated_position = $6 WHERE document_id = $1",
        document_id,
        VALID,
        document_uuid,
        long_id,
        time_text(validated_at),
        position,
    )?)
}

fn problems_json(problems: &[LhdnProblem]) -> Result<String, ProjectionError> {
    serde_json::to_string(problems).map_err(|error| ProjectionError::Corrupt(error.to_string()))
}

#[async_trait]
impl Projection for LhdnDocuments {
    fn name(&self) -> &'static str {
        NAME
    }

    fn tables(&self) -> &'static [&'static str] {
        &["lhdn_documents"]
    }

    fn stream_types(&self) -> &'static [&'static str] {
        &[Invoice::STREAM_TYPE]
    }

    async fn apply(&self, tx: &mut ReadTx, event: &RecordedEvent) -> Result<(), ProjectionError> {
        if event.stream.stream_type != Invoice::STREAM_TYPE {
            return Ok(());
        }
        let stream_id = event.stream.stream_id.as_str();
        let position = event.position;
        match niaga_store::decode::<InvoiceEvent>(event)? {
            InvoiceEvent::InvoiceIssued(e) => {
                insert(
                    tx,
                    event,
                    "invoice",
                    None,
                    e.number.to_string(),
                    e.customer_id.to_string(),
                    e.issued_at,
                )
                .await?;
            }
            InvoiceEvent::CreditNoteIssued(e) => note_row(tx, event, "credit_note", &e).await?,
            InvoiceEvent::DebitNoteIssued(e) => note_row(tx, event, "debit_note", &e).await?,
            InvoiceEvent::RefundNoteIssued(e) => note_row(tx, event, "refund_note", &e).await?,
            InvoiceEvent::EInvoiceSubmissionStarted(e) => exec!(
                tx,
                "UPDATE lhdn_documents SET status = $2, attempt = $3, submitted_at = $4, \
                 submission_uid = NULL, document_uuid = NULL, problems = NULL, \
                 updated_position = $5 WHERE document_id = $1",
                document_id(stream_id, e.note_id),
                SUBMITTING,
                i64::from(e.attempt),
                time_text(e.started_at),
                position,
            )?,
            InvoiceEvent::EInvoiceAccepted(e) => exec!(
                tx,
                "UPDATE lhdn_documents SET status = $2, submission_uid = $3, document_uuid = $4, \
                 updated_position = $5 WHERE document_id = $1",
                document_id(stream_id, e.note_id),
                ACCEPTED,
                e.submission_uid,
                e.document_uuid,
                position,
            )?,
            InvoiceEvent::EInvoiceRejected(e) => exec!(
                tx,
                "UPDATE lhdn_documents SET status = $2, document_uuid = $3, problems = $4, \
                 updated_position = $5 WHERE document_id = $1",
                document_id(stream_id, e.note_id),
                if e.document_uuid.is_some() {
                    INVALID
                } else {
                    REJECTED
                },
                e.document_uuid,
                problems_json(&e.problems)?,
                position,
            )?,
            InvoiceEvent::InvoiceValidatedByLhdn(e) => {
                let validation = (e.document_uuid, e.long_id, e.validated_at);
                validated(tx, stream_id.to_owned(), validation, position).await?;
            }
            InvoiceEvent::NoteValidatedByLhdn(e) => {
                let validation = (e.document_uuid, e.long_id, e.validated_at);
                validated(tx, e.note_id.to_string(), validation, position).await?;
            }
            InvoiceEvent::EInvoiceResubmissionRequested(e) => exec!(
                tx,
                "UPDATE lhdn_documents SET status = $2, updated_position = $3 \
                 WHERE document_id = $1",
                document_id(stream_id, e.note_id),
                PENDING,
                position,
            )?,
            InvoiceEvent::InvoiceCancelled(_) => exec!(
                tx,
                "UPDATE lhdn_documents SET status = $2, updated_position = $3 \
                 WHERE document_id = $1",
                stream_id,
                CANCELLED,
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
}

/// One document and where it stands with LHDN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct LhdnDocument {
    pub document_id: String,
    pub invoice_id: String,
    pub note_id: Option<String>,
    pub kind: String,
    pub number: String,
    pub customer_id: String,
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
     validated_at, problems, issued_position, updated_position FROM lhdn_documents";

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
