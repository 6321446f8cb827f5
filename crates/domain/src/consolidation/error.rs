//! Why a consolidation command is refused.

use super::ConsolidatedNumber;
use crate::einvoice::SubmissionError;
use crate::invoice::DocumentNumber;
use crate::values::Month;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConsolidationError {
    #[error("{month} is not over: its sales are consolidated once it is")]
    MonthNotOver { month: Month },
    #[error("no sale of {month} was left to consolidation")]
    NothingToConsolidate { month: Month },
    #[error("{number} was not issued in {month}")]
    SaleOutsideMonth {
        number: DocumentNumber,
        month: Month,
    },
    #[error("{number} is given twice")]
    SaleTwice { number: DocumentNumber },
    #[error("{number} is not in ringgit: the consolidated e-invoice is")]
    ForeignCurrency { number: DocumentNumber },
    #[error("the amounts are too large")]
    AmountTooLarge,
    #[error("this month's consolidated e-invoice is not prepared")]
    NotPrepared,
    #[error("this month has no consolidated e-invoice {number}")]
    NoSuchDocument { number: ConsolidatedNumber },
    #[error("{number}: {refusal}")]
    Submission {
        number: ConsolidatedNumber,
        refusal: SubmissionError,
    },
}

impl ConsolidationError {
    /// The shared submission rules' refusal, for the document `number`.
    pub(super) fn submission(number: &ConsolidatedNumber, refusal: SubmissionError) -> Self {
        Self::Submission {
            number: number.clone(),
            refusal,
        }
    }
}
