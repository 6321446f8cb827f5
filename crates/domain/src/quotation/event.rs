//! What happened to a quotation. Stored forever: never rename a variant or a field; change a
//! payload's shape only with a new schema version and an upcaster below.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{QuotationNumber, Recipient, RevisionNumber, ValidityDays};
use crate::DomainEvent;
use crate::billing::{Line, Totals};
use crate::ids::{CustomerId, InvoiceId, QuotationId};
use crate::money::Currency;
use crate::values::Name;

/// An event of the Quotation stream. The variant name is the stored event type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum QuotationEvent {
    QuotationDrafted(QuotationDrafted),
    QuotationLinesAmended(QuotationLinesAmended),
    QuotationValidityChanged(QuotationValidityChanged),
    QuotationSent(QuotationSent),
    QuotationRevised(QuotationRevised),
    QuotationAccepted(QuotationAccepted),
    QuotationRejected(QuotationRejected),
    QuotationExpired(QuotationExpired),
    QuotationConverted(QuotationConverted),
    /// The PDF of a document of this stream was issued (stored, its digest recorded).
    QuotationPdfIssued(crate::PdfIssued),
}

/// A quotation was drafted as r1, its lines priced under the SST rules of `priced_on`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotationDrafted {
    pub quotation_id: QuotationId,
    pub number: QuotationNumber,
    pub customer_id: CustomerId,
    pub currency: Currency,
    /// The validity in force: the command's override, or the company default it carried.
    pub validity: ValidityDays,
    pub revision: RevisionNumber,
    pub lines: Vec<Line>,
    pub totals: Totals,
    pub priced_on: NaiveDate,
}

/// The draft revision's lines were replaced (all of them, not a difference).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotationLinesAmended {
    pub revision: RevisionNumber,
    pub lines: Vec<Line>,
    pub totals: Totals,
    pub priced_on: NaiveDate,
}

/// The quotation's validity changed; it applies when the draft revision is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotationValidityChanged {
    pub validity: ValidityDays,
}

/// A revision was sent. It carries the lines and totals exactly as sent, priced under the
/// SST rules of `sent_on`: the revision as the customer saw it, whatever changes later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotationSent {
    pub revision: RevisionNumber,
    pub to: Recipient,
    pub sent_at: DateTime<Utc>,
    pub sent_on: NaiveDate,
    /// The last business day it may be accepted.
    pub valid_until: NaiveDate,
    pub lines: Vec<Line>,
    pub totals: Totals,
}

/// A new draft revision was made; `supersedes` no longer stands (if it was still open, it is
/// now superseded; if rejected or expired, it stays so).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotationRevised {
    pub revision: RevisionNumber,
    pub supersedes: RevisionNumber,
    pub lines: Vec<Line>,
    pub totals: Totals,
    pub priced_on: NaiveDate,
}

/// The customer accepted `revision`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotationAccepted {
    pub revision: RevisionNumber,
    pub accepted_by: Name,
    /// Trimmed; `None` when left blank.
    pub customer_reference: Option<String>,
    pub accepted_at: DateTime<Utc>,
    pub accepted_on: NaiveDate,
}

/// The customer turned `revision` down, for `reason` (trimmed, never empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotationRejected {
    pub revision: RevisionNumber,
    pub reason: String,
    pub rejected_at: DateTime<Utc>,
}

/// `revision` expired: `expired_on` is after its last valid day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotationExpired {
    pub revision: RevisionNumber,
    pub valid_until: NaiveDate,
    pub expired_on: NaiveDate,
}

/// The accepted quotation became the invoice `invoice_id`, from `revision`. The quotation's
/// id and number are repeated so that a reader of the feed links the two without a lookup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotationConverted {
    pub quotation_id: QuotationId,
    pub number: QuotationNumber,
    pub revision: RevisionNumber,
    pub invoice_id: InvoiceId,
    pub converted_at: DateTime<Utc>,
}

impl DomainEvent for QuotationEvent {
    fn event_type(&self) -> &'static str {
        match self {
            Self::QuotationDrafted(_) => "QuotationDrafted",
            Self::QuotationLinesAmended(_) => "QuotationLinesAmended",
            Self::QuotationValidityChanged(_) => "QuotationValidityChanged",
            Self::QuotationSent(_) => "QuotationSent",
            Self::QuotationRevised(_) => "QuotationRevised",
            Self::QuotationAccepted(_) => "QuotationAccepted",
            Self::QuotationRejected(_) => "QuotationRejected",
            Self::QuotationExpired(_) => "QuotationExpired",
            Self::QuotationConverted(_) => "QuotationConverted",
            Self::QuotationPdfIssued(_) => "QuotationPdfIssued",
        }
    }
}
