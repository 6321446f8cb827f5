//! How the Quotation aggregate's refusals read over HTTP. Each refusal's problem type names the
//! rule, and its detail names the revision (and the current one, or the validity date).

use niaga_domain::quotation::QuotationError;

use crate::error::ApiError;

impl From<QuotationError> for ApiError {
    fn from(error: QuotationError) -> Self {
        let code = match &error {
            QuotationError::NotDrafted => return Self::NotFound("quotation".into()),
            QuotationError::AlreadyDrafted => return Self::Conflict(error.to_string()),
            QuotationError::Lines(billing) => return billing.clone().into(),
            QuotationError::InvalidText { field, .. } => {
                return Self::field(format!("/{field}"), error.to_string());
            }
            QuotationError::RevisionNotDraft { .. } => "revision-not-draft",
            QuotationError::NoLines { .. } => "no-lines",
            QuotationError::ReviseDraft { .. } => "revise-draft",
            QuotationError::UnknownRevision { .. } => "unknown-revision",
            QuotationError::RevisionSuperseded { .. } => "revision-superseded",
            QuotationError::RevisionNotSent { .. } => "revision-not-sent",
            QuotationError::RevisionExpired { .. } => "revision-expired",
            QuotationError::RevisionRejected { .. } => "revision-rejected",
            QuotationError::AlreadyAccepted { .. } => "already-accepted",
            QuotationError::NotYetExpired { .. } => "not-yet-expired",
            QuotationError::RejectionReasonRequired => "rejection-reason-required",
            QuotationError::NotAccepted { .. } => "not-accepted",
            QuotationError::AlreadyConverted { .. } => "already-converted",
        };
        Self::refused(code, error)
    }
}
