//! How the Invoice aggregate's refusals read over HTTP: a mistake in a field is a validation
//! problem pointing at it; a rule that refuses is a problem whose type names the rule.

use niaga_domain::invoice::InvoiceError;

use crate::error::ApiError;

impl From<InvoiceError> for ApiError {
    fn from(error: InvoiceError) -> Self {
        let code = match &error {
            InvoiceError::NotDrafted => return Self::NotFound("invoice".into()),
            InvoiceError::AlreadyDrafted => return Self::Conflict(error.to_string()),
            // What was typed is wrong: say where.
            InvoiceError::Lines(_)
            | InvoiceError::InvalidText { .. }
            | InvoiceError::ReasonRequired
            | InvoiceError::NonPositivePayment
            | InvoiceError::PaymentFractionOfSen
            | InvoiceError::PaymentCurrency { .. }
            | InvoiceError::PaymentInFuture { .. }
            | InvoiceError::OverConsolidationLimit { .. }
            | InvoiceError::ConsolidationInForeignCurrency { .. }
            | InvoiceError::ExchangeRateRequired { .. }
            | InvoiceError::ExchangeRateForRinggit => {
                let pointer = error.pointer().unwrap_or_default();
                return Self::field(pointer, error.to_string());
            }
            InvoiceError::AlreadyIssued { .. } => "already-issued",
            InvoiceError::Voided => "invoice-voided",
            InvoiceError::Cancelled { .. } => "invoice-cancelled",
            InvoiceError::NotIssued => "invoice-not-issued",
            InvoiceError::NoLines => "no-lines",
            // The number comes from the series, not the client: these would be our bug.
            InvoiceError::WrongDocumentKind { .. } | InvoiceError::NumberFromAnotherYear { .. } => {
                return Self::internal(error);
            }
            InvoiceError::Overpayment { .. } => "overpayment",
            InvoiceError::OverCredit { .. } => "over-credit",
            InvoiceError::OverRefund { .. } => "over-refund",
            InvoiceError::AmountTooLarge => "amount-too-large",
            InvoiceError::VoidIssued { .. } => "issued-invoice-cannot-be-voided",
            InvoiceError::AlreadyValidated { .. } => "already-validated",
            InvoiceError::ReferencedByNotes { .. } => "referenced-by-notes",
            InvoiceError::PaymentsRecorded { .. } => "payments-recorded",
            InvoiceError::CancellationWindowClosed { .. } => "cancellation-window-closed",
            InvoiceError::NoSuchNote { .. } => return Self::NotFound("note".into()),
            // The submitter's own commands: none reaches a route with a wrong hash or attempt.
            InvoiceError::BadDocumentHash
            | InvoiceError::NoSuchSubmission { .. }
            | InvoiceError::AcceptedAsAnother { .. } => return Self::internal(error),
            InvoiceError::InvoiceNotValidated { .. } => "invoice-not-validated",
            InvoiceError::SubmissionUnderWay { .. } => "lhdn-submission-under-way",
            InvoiceError::SubmissionWindowClosed { .. } => "lhdn-submission-window-closed",
            InvoiceError::NotRejectedByLhdn { .. } => "lhdn-not-rejected",
            InvoiceError::IndividualEInvoiceTooLate { .. } => "individual-einvoice-too-late",
            InvoiceError::AlreadyConsolidated { .. } => "already-consolidated",
            InvoiceError::NoteOnConsolidatedSale { .. } => "consolidated-sale",
            // The submitter's and the consolidation job's commands: no route sends them.
            InvoiceError::LeftToConsolidation { .. }
            | InvoiceError::NotLeftToConsolidation { .. }
            | InvoiceError::SaleOutsideMonth { .. }
            | InvoiceError::MonthNotOver { .. } => return Self::internal(error),
        };
        Self::refused(code, error)
    }
}
