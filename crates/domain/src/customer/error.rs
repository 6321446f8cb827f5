//! Why a customer command is refused. Each message is written for the person who sent it.

use chrono::{DateTime, NaiveDate, Utc};

use super::{CustomerKind, OpenStage};
use crate::ids::{ContactId, InteractionId, OpportunityId};
use crate::values::TextProblem;

/// A refusal of the Customer aggregate; the API answers it with a 4xx.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CustomerError {
    #[error("this customer has not been registered")]
    NotRegistered,
    #[error("this customer is already registered")]
    AlreadyRegistered,
    #[error("{}", tin_rule(.kind))]
    TinDoesNotMatchKind { kind: CustomerKind },
    #[error("{}", identification_rule(.kind))]
    IdentificationDoesNotMatchKind { kind: CustomerKind },
    #[error("this customer already has a contact with id {contact_id}")]
    ContactAlreadyExists { contact_id: ContactId },
    #[error("this customer has no contact with id {contact_id}")]
    ContactNotFound { contact_id: ContactId },
    #[error("an interaction with id {interaction_id} is already recorded")]
    InteractionAlreadyExists { interaction_id: InteractionId },
    #[error("an interaction cannot be dated in the future")]
    InteractionInFuture { occurred_at: DateTime<Utc> },
    #[error("{field} {problem}")]
    InvalidText {
        field: &'static str,
        problem: TextProblem,
    },
    #[error("this customer already has an opportunity with id {opportunity_id}")]
    OpportunityAlreadyExists { opportunity_id: OpportunityId },
    #[error("this customer has no opportunity with id {opportunity_id}")]
    OpportunityNotFound { opportunity_id: OpportunityId },
    #[error("this opportunity is already won or lost and can no longer change")]
    OpportunityClosed { opportunity_id: OpportunityId },
    #[error("this opportunity is already at stage {stage}")]
    AlreadyInStage {
        opportunity_id: OpportunityId,
        stage: OpenStage,
    },
    #[error("say why the opportunity was lost")]
    LostReasonRequired,
    #[error("the expected value must be more than zero")]
    NonPositiveValue,
    #[error("the expected close date {expected_close} is before today ({today})")]
    CloseDateInPast {
        expected_close: NaiveDate,
        today: NaiveDate,
    },
}

/// A party's TIN or identification that does not fit the kind of taxpayer it is. Shared by
/// every party the company deals with (customers, suppliers): LHDN checks both sides of an
/// e-invoice the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PartyMismatch {
    #[error("{}", tin_rule(.kind))]
    Tin { kind: CustomerKind },
    #[error("{}", identification_rule(.kind))]
    Identification { kind: CustomerKind },
}

impl PartyMismatch {
    /// The field at fault, as a JSON pointer in a body that carries the party's details.
    pub fn pointer(&self) -> &'static str {
        match self {
            Self::Tin { .. } => "/tin",
            Self::Identification { .. } => "/identification",
        }
    }
}

impl From<PartyMismatch> for CustomerError {
    fn from(mismatch: PartyMismatch) -> Self {
        match mismatch {
            PartyMismatch::Tin { kind } => Self::TinDoesNotMatchKind { kind },
            PartyMismatch::Identification { kind } => Self::IdentificationDoesNotMatchKind { kind },
        }
    }
}

fn tin_rule(kind: &CustomerKind) -> &'static str {
    match kind {
        CustomerKind::Company => {
            "a company's TIN is a non-individual TIN (such as C…) or a general TIN (EI…), not an individual's IG number"
        }
        CustomerKind::Individual => "an individual's TIN starts with IG, or is a general TIN (EI…)",
    }
}

fn identification_rule(kind: &CustomerKind) -> &'static str {
    match kind {
        CustomerKind::Company => {
            "a company identifies with its 12-digit SSM registration number (BRN)"
        }
        CustomerKind::Individual => {
            "an individual identifies with an NRIC (MyKad), passport or army number, not a BRN"
        }
    }
}
