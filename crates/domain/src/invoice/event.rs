//! What happened to an invoice and the notes issued against it. Stored forever: never rename
//! a variant or a field; change a payload's shape only with a new schema version and an
//! upcaster below.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{DocumentNumber, PaymentMethod, PaymentTerms, QuotationSource};
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
            Self::InvoicePdfIssued(_) => "InvoicePdfIssued",
        }
    }
}
