//! What happened to an invoice and the notes issued against it. Stored forever: never rename
//! a variant or a field; change a payload's shape only with a new schema version and an
//! upcaster below.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use uuid::Uuid;

use super::{DocumentNumber, LhdnProblem, PaymentMethod, PaymentTerms, QuotationSource};
use crate::DomainEvent;
use crate::billing::{Line, Totals};
use crate::ids::{CustomerId, InvoiceId, NoteId, PaymentId};
use crate::money::{Currency, Money};

/// An event of the Invoice stream. The variant name is the stored event type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum InvoiceEvent {
    InvoiceDrafted(InvoiceDrafted),
    InvoiceDraftAmended(InvoiceDraftAmended),
    InvoiceIssued(InvoiceIssued),
    PaymentRecorded(PaymentRecorded),
    CreditNoteIssued(NoteIssued),
    DebitNoteIssued(NoteIssued),
    RefundNoteIssued(NoteIssued),
    InvoiceVoided(InvoiceVoided),
    InvoiceValidatedByLhdn(InvoiceValidatedByLhdn),
    InvoiceCancelled(InvoiceCancelled),
    EInvoiceSubmissionStarted(EInvoiceSubmissionStarted),
    EInvoiceAccepted(EInvoiceAccepted),
    EInvoiceRejected(EInvoiceRejected),
    NoteValidatedByLhdn(NoteValidatedByLhdn),
    EInvoiceResubmissionRequested(EInvoiceResubmissionRequested),
    /// The PDF of a document of this stream was issued (stored, its digest recorded).
    InvoicePdfIssued(crate::PdfIssued),
}

/// An invoice was drafted, its lines priced under the SST rules of `priced_on`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceDrafted {
    pub invoice_id: InvoiceId,
    pub customer_id: CustomerId,
    pub currency: Currency,
    pub payment_terms: PaymentTerms,
    /// Trimmed; `None` when left blank.
    pub customer_reference: Option<String>,
    pub source: Option<QuotationSource>,
    pub lines: Vec<Line>,
    pub totals: Totals,
    pub priced_on: NaiveDate,
}

/// The draft was saved again: all of it, not a difference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceDraftAmended {
    pub payment_terms: PaymentTerms,
    pub customer_reference: Option<String>,
    pub lines: Vec<Line>,
    pub totals: Totals,
    pub priced_on: NaiveDate,
}

/// The invoice was issued as `number`. Lines and totals are as issued, priced under the SST
/// rules of `issued_on` (the tax point); the customer is repeated so that a reader of the
/// feed needs no lookup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceIssued {
    pub invoice_id: InvoiceId,
    pub number: DocumentNumber,
    pub customer_id: CustomerId,
    pub issued_at: DateTime<Utc>,
    /// The business day of issue (Malaysian time): the invoice's date and tax point.
    pub issued_on: NaiveDate,
    pub due_on: NaiveDate,
    pub lines: Vec<Line>,
    pub totals: Totals,
}

/// Money was received against the invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentRecorded {
    pub invoice_id: InvoiceId,
    pub invoice_number: DocumentNumber,
    pub customer_id: CustomerId,
    pub payment_id: PaymentId,
    pub amount: Money,
    pub method: PaymentMethod,
    /// Trimmed; `None` when left blank.
    pub reference: Option<String>,
    pub received_on: NaiveDate,
    pub recorded_at: DateTime<Utc>,
}

/// A credit, debit or refund note (the event type says which) was issued against the
/// invoice: a document of its own, with its own number, lines and totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteIssued {
    pub note_id: NoteId,
    pub number: DocumentNumber,
    pub invoice_id: InvoiceId,
    pub invoice_number: DocumentNumber,
    pub customer_id: CustomerId,
    pub reason: String,
    pub issued_at: DateTime<Utc>,
    /// The business day of issue: the note's date.
    pub issued_on: NaiveDate,
    /// The day whose SST rules priced the lines: the invoice's issue day, as the note
    /// corrects that supply.
    pub priced_on: NaiveDate,
    pub lines: Vec<Line>,
    pub totals: Totals,
}

/// The draft was voided; it was never issued and never will be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceVoided {
    pub reason: String,
    pub voided_at: DateTime<Utc>,
}

/// LHDN validated the issued invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceValidatedByLhdn {
    pub document_uuid: String,
    pub long_id: String,
    pub validated_at: DateTime<Utc>,
}

/// The issued invoice was cancelled. The invoice and customer are repeated for readers of
/// the feed (a customer statement drops it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceCancelled {
    pub invoice_id: InvoiceId,
    pub number: DocumentNumber,
    pub customer_id: CustomerId,
    pub reason: String,
    pub cancelled_at: DateTime<Utc>,
}

/// The submitter is about to send a document of this stream (the invoice, or the note
/// `note_id`) to LHDN: recorded before it is sent, so that after a crash the next submitter
/// knows a submission may have reached LHDN and reconciles instead of sending again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EInvoiceSubmissionStarted {
    /// `None`: the invoice itself.
    pub note_id: Option<NoteId>,
    /// 1 for the first submission of this document, 2 after a rejection, and so on.
    pub attempt: u32,
    /// The lower-case hex SHA-256 of the signed document: LHDN's `documentHash`.
    pub document_hash: String,
    /// The signed document in the document store: the very bytes sent, for a resend and
    /// for the record.
    pub signed_copy: Uuid,
    pub started_at: DateTime<Utc>,
}

/// LHDN accepted the document for validation (HTTP 202).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EInvoiceAccepted {
    pub note_id: Option<NoteId>,
    pub attempt: u32,
    pub submission_uid: String,
    pub document_uuid: String,
    pub accepted_at: DateTime<Utc>,
}

/// LHDN refused the document: at submission, or as invalid after validating it. It stays
/// unsent until a new attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EInvoiceRejected {
    pub note_id: Option<NoteId>,
    pub attempt: u32,
    /// LHDN's UUID, when it got as far as having one (invalid after validation).
    pub document_uuid: Option<String>,
    pub problems: Vec<LhdnProblem>,
    pub rejected_at: DateTime<Utc>,
}

/// LHDN validated a credit, debit or refund note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteValidatedByLhdn {
    pub note_id: NoteId,
    pub document_uuid: String,
    pub long_id: String,
    pub validated_at: DateTime<Utc>,
}

/// Someone fixed what LHDN rejected (the customer's TIN, say) and asked for the document to
/// be submitted again: the submitter starts a new attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EInvoiceResubmissionRequested {
    pub note_id: Option<NoteId>,
    pub requested_at: DateTime<Utc>,
}

impl DomainEvent for InvoiceEvent {
    fn event_type(&self) -> &'static str {
        match self {
            Self::InvoiceDrafted(_) => "InvoiceDrafted",
            Self::InvoiceDraftAmended(_) => "InvoiceDraftAmended",
            Self::InvoiceIssued(_) => "InvoiceIssued",
            Self::PaymentRecorded(_) => "PaymentRecorded",
            Self::CreditNoteIssued(_) => "CreditNoteIssued",
            Self::DebitNoteIssued(_) => "DebitNoteIssued",
            Self::RefundNoteIssued(_) => "RefundNoteIssued",
            Self::InvoiceVoided(_) => "InvoiceVoided",
            Self::InvoiceValidatedByLhdn(_) => "InvoiceValidatedByLhdn",
            Self::InvoiceCancelled(_) => "InvoiceCancelled",
            Self::EInvoiceSubmissionStarted(_) => "EInvoiceSubmissionStarted",
            Self::EInvoiceAccepted(_) => "EInvoiceAccepted",
            Self::EInvoiceRejected(_) => "EInvoiceRejected",
            Self::NoteValidatedByLhdn(_) => "NoteValidatedByLhdn",
            Self::EInvoiceResubmissionRequested(_) => "EInvoiceResubmissionRequested",
            Self::InvoicePdfIssued(_) => "InvoicePdfIssued",
        }
    }
}
