//! Each issued document (an invoice, a credit, debit or refund note, a month's consolidated
//! e-invoice) and where it stands with LHDN: the work list of the submitter (pending,
//! submitting, accepted; a held document is off it until asked for again), of the consolidation job (sales for consolidation) and the screen
//! of `GET /lhdn/documents`. What may be submitted is never decided here: the Invoice and
//! Consolidation aggregates decide, on their own events.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use niaga_domain::{
    Aggregate,
    consolidation::{Consolidation, ConsolidationEvent},
    einvoice::{Accepted, Held, Rejected, Started, Validated},
    invoice::{EInvoiceChoice, Invoice, InvoiceEvent, LhdnProblem, NoteIssued},
    values::Month,
};
use niaga_store::{Database, RecordedEvent, on_reader};
use serde::Serialize;

use crate::{
    Projection, ProjectionError, ReadTx,
    batch::{self, Cell, Cells, Folded},
    newest_first::{NewestFirst, Page},
    time_text,
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
/// Never sent: the submitter could not send it (see its problems) and waits to be asked again.
pub const HELD: &str = "held";
/// An invoice whose buyer wanted no e-invoice: it waits for the month's consolidated one.
pub const FOR_CONSOLIDATION: &str = "for_consolidation";
/// An invoice taken into its month's consolidated e-invoice (see that document's status).
pub const CONSOLIDATED: &str = "consolidated";

pub const STATUSES: [&str; 10] = [
    PENDING,
    HELD,
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

/// The id a note or the invoice is kept under.
fn document_id(stream_id: &str, note_id: Option<impl ToString>) -> String {
    note_id.map_or_else(|| stream_id.to_owned(), |id| id.to_string())
}

/// A document as issued: `document_id`, of `invoice_id` (and its note, if one), in `status`.
struct Issued<'a> {
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

impl Issued<'_> {
    fn row(self, position: i64) -> LhdnDocument {
        LhdnDocument {
            document_id: self.document_id,
            invoice_id: self.invoice_id.map(str::to_owned),
            note_id: self.note_id,
            kind: self.kind.to_owned(),
            number: self.number,
            customer_id: self.customer_id,
            issued_at: time_text(self.issued_at),
            status: self.status.to_owned(),
            attempt: 0,
            submitted_at: None,
            submission_uid: None,
            document_uuid: None,
            long_id: None,
            validated_at: None,
            problems: None,
            issued_position: position,
            updated_position: position,
            consolidation: self.consolidation,
        }
    }

    fn note<'a>(stream_id: &'a str, kind: &'static str, note: &NoteIssued) -> Issued<'a> {
        Issued {
            document_id: note.note_id.to_string(),
            invoice_id: Some(stream_id),
            note_id: Some(note.note_id.to_string()),
            kind,
            number: note.number.to_string(),
            customer_id: Some(note.customer_id.to_string()),
            issued_at: note.issued_at,
            status: PENDING,
            consolidation: None,
        }
    }
}

/// What one event does to one document. The steps of a submission are the same for every
/// document, whichever stream records them.
enum Change {
    /// Issued: its row, unless it is there already.
    Issued(Box<LhdnDocument>),
    Started(Started),
    Accepted(Accepted),
    Rejected(Rejected),
    Validated(Validated),
    Held(Held),
    Status(&'static str),
    Consolidated(Month),
}

/// The document an invoice event is about, and what it does to it.
fn invoice_change(
    stream_id: &str,
    position: i64,
    decoded: InvoiceEvent,
) -> Option<(String, Change)> {
    let id = |note_id| document_id(stream_id, note_id);
    let issued = |document: Issued<'_>| {
        let row = document.row(position);
        Some((row.document_id.clone(), Change::Issued(Box::new(row))))
    };
    match decoded {
        InvoiceEvent::InvoiceIssued(e) => issued(Issued {
            document_id: stream_id.to_owned(),
            invoice_id: Some(stream_id),
            note_id: None,
            kind: "invoice",
            number: e.number.to_string(),
            customer_id: Some(e.customer_id.to_string()),
            issued_at: e.issued_at,
            status: match e.einvoice {
                EInvoiceChoice::Individual => PENDING,
                EInvoiceChoice::Consolidated => FOR_CONSOLIDATION,
            },
            consolidation: None,
        }),
        InvoiceEvent::CreditNoteIssued(e) => issued(Issued::note(stream_id, "credit_note", &e)),
        InvoiceEvent::DebitNoteIssued(e) => issued(Issued::note(stream_id, "debit_note", &e)),
        InvoiceEvent::RefundNoteIssued(e) => issued(Issued::note(stream_id, "refund_note", &e)),
        InvoiceEvent::EInvoiceSubmissionStarted(e) => {
            Some((id(e.note_id), Change::Started(e.started)))
        }
        InvoiceEvent::EInvoiceAccepted(e) => Some((id(e.note_id), Change::Accepted(e.accepted))),
        InvoiceEvent::EInvoiceRejected(e) => Some((id(e.note_id), Change::Rejected(e.rejected))),
        InvoiceEvent::InvoiceValidatedByLhdn(e) => Some((id(None), Change::Validated(e.validated))),
        InvoiceEvent::NoteValidatedByLhdn(e) => {
            Some((id(Some(e.note_id)), Change::Validated(e.validated)))
        }
        InvoiceEvent::EInvoiceResubmissionRequested(e) => {
            Some((id(e.note_id), Change::Status(PENDING)))
        }
        InvoiceEvent::EInvoiceHeld(e) => Some((id(e.note_id), Change::Held(e.held))),
        InvoiceEvent::InvoiceCancelled(_) => Some((id(None), Change::Status(CANCELLED))),
        // Asked for an e-invoice of its own: the submitter takes it on.
        InvoiceEvent::IndividualEInvoiceRequested(_) => Some((id(None), Change::Status(PENDING))),
        InvoiceEvent::InvoiceConsolidated(e) => Some((id(None), Change::Consolidated(e.month))),
        InvoiceEvent::InvoiceDrafted(_)
        | InvoiceEvent::InvoiceDraftAmended(_)
        | InvoiceEvent::PaymentRecorded(_)
        | InvoiceEvent::InvoiceVoided(_)
        | InvoiceEvent::InvoicePdfIssued(_) => None,
    }
}

/// The document a consolidation event is about, and what it does to it.
fn consolidation_change(position: i64, decoded: ConsolidationEvent) -> (String, Change) {
    match decoded {
        ConsolidationEvent::ConsolidatedEInvoicePrepared(e) => {
            let row = Issued {
                document_id: e.number.to_string(),
                invoice_id: None,
                note_id: None,
                kind: CONSOLIDATED_KIND,
                number: e.number.to_string(),
                customer_id: None,
                issued_at: e.issued_at,
                status: PENDING,
                consolidation: Some(e.month.to_string()),
            }
            .row(position);
            (row.document_id.clone(), Change::Issued(Box::new(row)))
        }
        ConsolidationEvent::ConsolidatedSubmissionStarted(e) => {
            (e.number.to_string(), Change::Started(e.step))
        }
        ConsolidationEvent::ConsolidatedEInvoiceAccepted(e) => {
            (e.number.to_string(), Change::Accepted(e.step))
        }
        ConsolidationEvent::ConsolidatedEInvoiceRejected(e) => {
            (e.number.to_string(), Change::Rejected(e.step))
        }
        ConsolidationEvent::ConsolidatedEInvoiceValidated(e) => {
            (e.number.to_string(), Change::Validated(e.step))
        }
        ConsolidationEvent::ConsolidatedEInvoiceHeld(e) => {
            (e.number.to_string(), Change::Held(e.step))
        }
        ConsolidationEvent::ConsolidatedResubmissionRequested(e) => {
            (e.number.to_string(), Change::Status(PENDING))
        }
    }
}

/// Applies `change` to the document (`None` before its issue); whether it changed.
fn fold(
    row: &mut Option<LhdnDocument>,
    change: Change,
    position: i64,
) -> Result<bool, ProjectionError> {
    let document = match (change, row) {
        (Change::Issued(issued), row @ None) => {
            *row = Some(*issued);
            return Ok(true);
        }
        // Issued once; every other step follows the issue in its stream.
        (Change::Issued(_), Some(_)) | (_, None) => return Ok(false),
        (Change::Started(s), Some(d)) => {
            d.status = SUBMITTING.to_owned();
            d.attempt = i64::from(s.attempt);
            d.submitted_at = Some(time_text(s.started_at));
            d.submission_uid = None;
            d.document_uuid = None;
            d.problems = None;
            d
        }
        (Change::Accepted(a), Some(d)) => {
            d.status = ACCEPTED.to_owned();
            d.submission_uid = Some(a.submission_uid);
            d.document_uuid = Some(a.document_uuid);
            d
        }
        (Change::Rejected(r), Some(d)) => {
            d.status = if r.document_uuid.is_some() {
                INVALID
            } else {
                REJECTED
            }
            .to_owned();
            d.document_uuid = r.document_uuid;
            d.problems = Some(problems_json(&r.problems)?);
            d
        }
        (Change::Validated(v), Some(d)) => {
            d.status = VALID.to_owned();
            d.document_uuid = Some(v.document_uuid);
            d.long_id = Some(v.long_id);
            d.validated_at = Some(time_text(v.validated_at));
            d.problems = None;
            d
        }
        (Change::Held(h), Some(d)) => {
            d.status = HELD.to_owned();
            d.problems = Some(problems_json(&h.problems)?);
            d
        }
        (Change::Status(status), Some(d)) => {
            d.status = status.to_owned();
            d
        }
        (Change::Consolidated(month), Some(d)) => {
            d.status = CONSOLIDATED.to_owned();
            d.consolidation = Some(month.to_string());
            d
        }
    };
    document.updated_position = position;
    Ok(true)
}

fn problems_json(problems: &[LhdnProblem]) -> Result<String, ProjectionError> {
    serde_json::to_string(problems).map_err(|error| ProjectionError::Corrupt(error.to_string()))
}

const INSERT: &str = "INSERT INTO lhdn_documents (document_id, invoice_id, note_id, kind, \
     number, customer_id, issued_at, status, attempt, submitted_at, submission_uid, \
     document_uuid, long_id, validated_at, problems, issued_position, updated_position, \
     consolidation)";

/// What a later event may change of a row written before.
const ON_CONFLICT: &str = "ON CONFLICT (document_id) DO UPDATE SET status = EXCLUDED.status, \
     attempt = EXCLUDED.attempt, submitted_at = EXCLUDED.submitted_at, \
     submission_uid = EXCLUDED.submission_uid, document_uuid = EXCLUDED.document_uuid, \
     long_id = EXCLUDED.long_id, validated_at = EXCLUDED.validated_at, \
     problems = EXCLUDED.problems, updated_position = EXCLUDED.updated_position, \
     consolidation = EXCLUDED.consolidation";

impl Cells for LhdnDocument {
    fn cells(&self) -> Vec<Cell<'_>> {
        vec![
            (&self.document_id).into(),
            (&self.invoice_id).into(),
            (&self.note_id).into(),
            (&self.kind).into(),
            (&self.number).into(),
            (&self.customer_id).into(),
            (&self.issued_at).into(),
            (&self.status).into(),
            self.attempt.into(),
            (&self.submitted_at).into(),
            (&self.submission_uid).into(),
            (&self.document_uuid).into(),
            (&self.long_id).into(),
            (&self.validated_at).into(),
            (&self.problems).into(),
            self.issued_position.into(),
            self.updated_position.into(),
            (&self.consolidation).into(),
        ]
    }
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
    "EInvoiceHeld",
    "InvoiceCancelled",
    "IndividualEInvoiceRequested",
    "InvoiceConsolidated",
    "ConsolidatedEInvoicePrepared",
    "ConsolidatedSubmissionStarted",
    "ConsolidatedEInvoiceAccepted",
    "ConsolidatedEInvoiceRejected",
    "ConsolidatedEInvoiceValidated",
    "ConsolidatedEInvoiceHeld",
    "ConsolidatedResubmissionRequested",
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
        self.apply_batch(tx, std::slice::from_ref(event)).await
    }

    /// Works out which document each event is about, reads those documents at once, folds
    /// the changes into them and writes each changed one once.
    async fn apply_batch(
        &self,
        tx: &mut ReadTx,
        events: &[RecordedEvent],
    ) -> Result<(), ProjectionError> {
        let mut changes = Vec::with_capacity(events.len());
        for event in events {
            let change = match event.stream.stream_type.as_str() {
                Invoice::STREAM_TYPE => invoice_change(
                    &event.stream.stream_id,
                    event.position,
                    niaga_store::decode(event)?,
                ),
                Consolidation::STREAM_TYPE => Some(consolidation_change(
                    event.position,
                    niaga_store::decode(event)?,
                )),
                _ => None,
            };
            if let Some((document_id, change)) = change {
                changes.push((document_id, change, event.position));
            }
        }
        let ids = batch::distinct(changes.iter().map(|(id, _, _)| id.as_str()));
        let stored: Vec<LhdnDocument> =
            batch::rows_with_keys(tx, &format!("{SELECT} WHERE document_id"), &ids).await?;
        let mut documents = Folded::new(stored.into_iter().map(|d| (d.document_id.clone(), d)));
        for (document_id, change, position) in changes {
            documents.fold(&document_id, |row| fold(row, change, position))?;
        }
        let cells: Vec<Vec<Cell<'_>>> = documents.changed().map(Cells::cells).collect();
        batch::insert_rows(tx, INSERT, ON_CONFLICT, &cells).await
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
    /// LHDN's problems with the document (none unless rejected or invalid), or why the
    /// submitter held it back.
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
