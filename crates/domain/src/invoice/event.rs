//! What happened to an invoice and the notes issued against it. Stored forever: never rename
//! a variant or a field; change a payload's shape only with a new schema version and an
//! upcaster below.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use serde_json::Value;

use super::{DocumentNumber, EInvoiceChoice, PaymentMethod, PaymentTerms, QuotationSource};
use crate::billing::{Line, Totals};
use crate::einvoice::{Accepted, Held, Rejected, Started, Validated};
use crate::ids::{CustomerId, InvoiceId, NoteId, PaymentId};
use crate::money::{Currency, Money};
use crate::values::{ExchangeRate, Month};
use crate::{DomainEvent, UpcastError};

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
    IndividualEInvoiceRequested(IndividualEInvoiceRequested),
    InvoiceConsolidated(InvoiceConsolidated),
    EInvoiceHeld(EInvoiceHeld),
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
    /// Whether the buyer wants an e-invoice of their own (schema version 2; before, every
    /// invoice went to LHDN on its own).
    pub einvoice: EInvoiceChoice,
    /// Ringgit per unit of the invoice's currency, for an invoice not in ringgit. An optional
    /// field added later: events written before it (and every ringgit invoice) have none, so
    /// it needs no new schema version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange_rate: Option<ExchangeRate>,
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
    /// The invoice's exchange rate, for a note against an invoice not in ringgit (see
    /// `issue_note`). Added later, like the invoice's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange_rate: Option<ExchangeRate>,
}

/// The draft was voided; it was never issued and never will be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceVoided {
    pub reason: String,
    pub voided_at: DateTime<Utc>,
}

/// LHDN validated the issued invoice (the fields of [`Validated`], stored flat).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceValidatedByLhdn {
    #[serde(flatten)]
    pub validated: Validated,
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
/// knows a submission may have reached LHDN and reconciles instead of sending again. The
/// submission's fields ([`Started`]: attempt, hash, signed copy, time) are stored flat, as
/// in every event of this family.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EInvoiceSubmissionStarted {
    /// `None`: the invoice itself.
    pub note_id: Option<NoteId>,
    #[serde(flatten)]
    pub started: Started,
}

/// LHDN accepted the document for validation (HTTP 202).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EInvoiceAccepted {
    pub note_id: Option<NoteId>,
    #[serde(flatten)]
    pub accepted: Accepted,
}

/// LHDN refused the document: at submission, or as invalid after validating it. It stays
/// unsent until a new attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EInvoiceRejected {
    pub note_id: Option<NoteId>,
    #[serde(flatten)]
    pub rejected: Rejected,
}

/// LHDN validated a credit, debit or refund note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteValidatedByLhdn {
    pub note_id: NoteId,
    #[serde(flatten)]
    pub validated: Validated,
}

/// Someone fixed what LHDN rejected (the customer's TIN, say) and asked for the document to
/// be submitted again: the submitter starts a new attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EInvoiceResubmissionRequested {
    pub note_id: Option<NoteId>,
    pub requested_at: DateTime<Utc>,
}

/// The submitter could not send the document (see the problems) and holds it back until a
/// resubmission is asked for. Nothing reached LHDN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EInvoiceHeld {
    pub note_id: Option<NoteId>,
    #[serde(flatten)]
    pub held: Held,
}

/// The buyer of a sale issued for consolidation asked for an e-invoice of their own: the
/// invoice goes to LHDN on its own after all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndividualEInvoiceRequested {
    pub invoice_id: InvoiceId,
    pub number: DocumentNumber,
    pub requested_at: DateTime<Utc>,
}

/// The sale is in the consolidated e-invoice of `month` (the stream of that id) and no
/// longer gets one of its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceConsolidated {
    pub invoice_id: InvoiceId,
    pub number: DocumentNumber,
    pub month: Month,
    pub consolidated_at: DateTime<Utc>,
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
            Self::EInvoiceHeld(_) => "EInvoiceHeld",
            Self::InvoicePdfIssued(_) => "InvoicePdfIssued",
            Self::IndividualEInvoiceRequested(_) => "IndividualEInvoiceRequested",
            Self::InvoiceConsolidated(_) => "InvoiceConsolidated",
        }
    }

    fn schema_version(event_type: &str) -> u16 {
        match event_type {
            "InvoiceIssued" => 2,
            _ => 1,
        }
    }

    fn upcast(event_type: &str, version: u16, payload: Value) -> Result<Value, UpcastError> {
        match (event_type, version, payload) {
            // v1 → v2: `einvoice` was added with consolidated e-invoices; before, every
            // invoice went to LHDN on its own.
            ("InvoiceIssued", 1, Value::Object(mut fields)) => {
                fields
                    .entry("einvoice")
                    .or_insert_with(|| Value::from("individual"));
                Ok(Value::Object(fields))
            }
            ("InvoiceIssued", 1, _) => Err(UpcastError::Shape {
                event_type: event_type.to_owned(),
                message: "a version 1 payload is a JSON object".to_owned(),
            }),
            (_, version, _) => Err(UpcastError::UnknownVersion {
                event_type: event_type.to_owned(),
                version,
            }),
        }
    }
}
