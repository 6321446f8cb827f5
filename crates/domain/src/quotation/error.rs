//! Why a quotation command is refused. Each message is written for the person who sent it.

use chrono::NaiveDate;

use super::{QuotationStatus, RevisionNumber, RevisionStatus};
use crate::billing::BillingError;
use crate::ids::InvoiceId;
use crate::values::TextProblem;

/// A refusal of the Quotation aggregate; the API answers it with a 4xx.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuotationError {
    #[error("this quotation does not exist")]
    NotDrafted,
    #[error("this quotation already exists")]
    AlreadyDrafted,
    #[error(transparent)]
    Lines(#[from] BillingError),
    /// Only a draft changes: a sent revision stays as the customer saw it.
    #[error(
        "{revision} is {status} and can no longer change: revise the quotation to make a new revision"
    )]
    RevisionNotDraft {
        revision: RevisionNumber,
        status: RevisionStatus,
    },
    #[error("{revision} has no lines: add at least one before sending it")]
    NoLines { revision: RevisionNumber },
    #[error("{revision} has not been sent yet: change its lines instead of revising it")]
    ReviseDraft { revision: RevisionNumber },
    #[error("this quotation has no revision {revision} (the latest is {latest})")]
    UnknownRevision {
        revision: RevisionNumber,
        latest: RevisionNumber,
    },
    #[error("{revision} was superseded by {current}: only the current revision can be accepted")]
    RevisionSuperseded {
        revision: RevisionNumber,
        current: RevisionNumber,
    },
    #[error("{revision} has not been sent to the customer yet")]
    RevisionNotSent { revision: RevisionNumber },
    #[error("{revision} has expired: it was valid until {valid_until}")]
    RevisionExpired {
        revision: RevisionNumber,
        valid_until: NaiveDate,
    },
    #[error("{revision} was rejected by the customer")]
    RevisionRejected { revision: RevisionNumber },
    #[error("this quotation is already accepted ({revision})")]
    AlreadyAccepted { revision: RevisionNumber },
    #[error("{revision} is valid until {valid_until} and has not expired yet")]
    NotYetExpired {
        revision: RevisionNumber,
        valid_until: NaiveDate,
    },
    #[error("say why the customer rejected the quotation")]
    RejectionReasonRequired,
    #[error("{field} {problem}")]
    InvalidText {
        field: &'static str,
        problem: TextProblem,
    },
    #[error("only an accepted quotation can become an invoice; this one is {status}")]
    NotAccepted { status: QuotationStatus },
    #[error("this quotation already became invoice {invoice_id}")]
    AlreadyConverted { invoice_id: InvoiceId },
}
