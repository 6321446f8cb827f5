//! What happened to a month's consolidated e-invoice. Stored forever: never rename a variant
//! or a field; change a payload's shape only with a new schema version and an upcaster.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{ConsolidatedNumber, SalesLine};
use crate::DomainEvent;
use crate::einvoice::{Accepted, Held, Rejected, ResubmissionRequested, Started, Validated};
use crate::invoice::DocumentNumber;
use crate::money::Currency;
use crate::values::Month;

/// An event of a consolidation stream. The variant name is the stored event type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum ConsolidationEvent {
    /// One per document: a month with more lines than a document takes has several.
    ConsolidatedEInvoicePrepared(ConsolidatedEInvoicePrepared),
    ConsolidatedSubmissionStarted(DocumentStep<Started>),
    ConsolidatedEInvoiceAccepted(DocumentStep<Accepted>),
    ConsolidatedEInvoiceRejected(DocumentStep<Rejected>),
    ConsolidatedEInvoiceValidated(DocumentStep<Validated>),
    /// The submitter could not send it; nothing reached LHDN.
    ConsolidatedEInvoiceHeld(DocumentStep<Held>),
    /// Rejected or held, and asked to be submitted again.
    ConsolidatedResubmissionRequested(DocumentStep<ResubmissionRequested>),
}

/// A consolidated e-invoice was made of the month's sales: which invoices it covers, and
/// its lines (one per continuous range of invoice numbers and per tax).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsolidatedEInvoicePrepared {
    pub month: Month,
    pub number: ConsolidatedNumber,
    /// Its issue time as LHDN sees it: when it was made, after the month ended.
    pub issued_at: DateTime<Utc>,
    pub currency: Currency,
    pub invoices: Vec<DocumentNumber>,
    pub lines: Vec<SalesLine>,
}

/// A step of one document's submission to LHDN: the same facts as for every document
/// ([`crate::einvoice`]), with the document's number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentStep<S> {
    pub number: ConsolidatedNumber,
    #[serde(flatten)]
    pub step: S,
}

impl<S> DocumentStep<S> {
    pub(super) fn new(number: &ConsolidatedNumber, step: S) -> Self {
        Self {
            number: number.clone(),
            step,
        }
    }
}

impl DomainEvent for ConsolidationEvent {
    fn event_type(&self) -> &'static str {
        match self {
            Self::ConsolidatedEInvoicePrepared(_) => "ConsolidatedEInvoicePrepared",
            Self::ConsolidatedSubmissionStarted(_) => "ConsolidatedSubmissionStarted",
            Self::ConsolidatedEInvoiceAccepted(_) => "ConsolidatedEInvoiceAccepted",
            Self::ConsolidatedEInvoiceRejected(_) => "ConsolidatedEInvoiceRejected",
            Self::ConsolidatedEInvoiceValidated(_) => "ConsolidatedEInvoiceValidated",
            Self::ConsolidatedEInvoiceHeld(_) => "ConsolidatedEInvoiceHeld",
            Self::ConsolidatedResubmissionRequested(_) => "ConsolidatedResubmissionRequested",
        }
    }
}
