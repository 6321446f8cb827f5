//! How the Customer aggregate's refusals read over HTTP.

use niaga_domain::customer::CustomerError;

use crate::error::ApiError;

impl From<CustomerError> for ApiError {
    fn from(error: CustomerError) -> Self {
        let code = match &error {
            CustomerError::NotRegistered => return Self::NotFound("customer".into()),
            CustomerError::ContactNotFound { .. } => return Self::NotFound("contact".into()),
            CustomerError::OpportunityNotFound { .. } => {
                return Self::NotFound("opportunity".into());
            }
            CustomerError::AlreadyRegistered => return Self::Conflict(error.to_string()),
            CustomerError::TinDoesNotMatchKind { .. } => "tin-does-not-match-kind",
            CustomerError::IdentificationDoesNotMatchKind { .. } => {
                "identification-does-not-match-kind"
            }
            CustomerError::ContactAlreadyExists { .. } => "contact-already-exists",
            CustomerError::InteractionAlreadyExists { .. } => "interaction-already-exists",
            CustomerError::InteractionInFuture { .. } => "interaction-in-future",
            CustomerError::InvalidText { .. } => "invalid-text",
            CustomerError::OpportunityAlreadyExists { .. } => "opportunity-already-exists",
            CustomerError::OpportunityClosed { .. } => "opportunity-closed",
            CustomerError::AlreadyInStage { .. } => "already-in-stage",
            CustomerError::LostReasonRequired => "lost-reason-required",
            CustomerError::NonPositiveValue => "non-positive-value",
            CustomerError::CloseDateInPast { .. } => "close-date-in-past",
        };
        Self::refused(code, error)
    }
}
