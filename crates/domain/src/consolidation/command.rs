//! What can be asked of a month's consolidated e-invoice.

use super::{ConsolidatedNumber, Sale};
use crate::einvoice::SubmissionStep;
use crate::values::Month;

#[derive(Debug, Clone, PartialEq)]
pub enum ConsolidationCommand {
    Prepare(PrepareConsolidation),
    /// The submitter's step for the document `number`.
    Submission {
        number: ConsolidatedNumber,
        step: SubmissionStep,
    },
    /// Asks for the document `number`, rejected by LHDN or held back by the submitter, to
    /// be submitted again once what was wrong is fixed.
    RequestResubmission {
        number: ConsolidatedNumber,
    },
}

/// Makes the month's consolidated e-invoice (one document per 100 lines) of `sales`, the
/// month's sales already taken in by their invoices. Once the month is over; once only.
#[derive(Debug, Clone, PartialEq)]
pub struct PrepareConsolidation {
    pub month: Month,
    pub sales: Vec<Sale>,
}
