//! How the Consolidation aggregate's refusals read over HTTP. Only a resubmission reaches it
//! from a route; the rest is the consolidation job's and the submitter's, and would be our bug.

use niaga_domain::consolidation::ConsolidationError;
use niaga_domain::einvoice::SubmissionError;

use crate::error::ApiError;

impl From<ConsolidationError> for ApiError {
    fn from(error: ConsolidationError) -> Self {
        let code = match &error {
            ConsolidationError::NotPrepared | ConsolidationError::NoSuchDocument { .. } => {
                return Self::NotFound("document".into());
            }
            // The same problem types as an invoice's or a note's refusal.
            ConsolidationError::Submission { refusal, .. } => match refusal {
                SubmissionError::NotRejected => "lhdn-not-rejected",
                SubmissionError::UnderWay { .. } => "lhdn-submission-under-way",
                SubmissionError::AlreadyValidated { .. } => "already-validated",
                SubmissionError::WindowClosed { .. } => "lhdn-submission-window-closed",
                SubmissionError::BadDocumentHash
                | SubmissionError::NoSuchSubmission { .. }
                | SubmissionError::AcceptedAsAnother { .. }
                | SubmissionError::InvalidText { .. } => return Self::internal(error),
            },
            ConsolidationError::MonthNotOver { .. }
            | ConsolidationError::NothingToConsolidate { .. }
            | ConsolidationError::SaleOutsideMonth { .. }
            | ConsolidationError::SaleTwice { .. }
            | ConsolidationError::ForeignCurrency { .. }
            | ConsolidationError::AmountTooLarge => return Self::internal(error),
        };
        Self::refused(code, error)
    }
}
