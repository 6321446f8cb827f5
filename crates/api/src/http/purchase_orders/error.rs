//! How the PurchaseOrder aggregate's refusals read over HTTP: a refusal about a field of the
//! request is a field error at its pointer, one about the order names the rule.

use niaga_domain::purchase_order::PurchaseOrderError;

use crate::error::ApiError;

impl From<PurchaseOrderError> for ApiError {
    fn from(error: PurchaseOrderError) -> Self {
        if let Some(pointer) = error.pointer() {
            return Self::field(pointer, error.to_string());
        }
        use PurchaseOrderError as E;
        let code = match &error {
            E::NotDrafted => return Self::NotFound("purchase order".into()),
            E::AlreadyDrafted => return Self::Conflict(error.to_string()),
            E::NotSent => "purchase-order-not-sent",
            E::AlreadySent { .. } => "purchase-order-already-sent",
            E::Closed { .. } => "purchase-order-closed",
            E::Cancelled { .. } => "purchase-order-cancelled",
            E::AmendAfterReceipt { .. } => "amend-after-receipt",
            E::AmendAfterShortClose { .. } => "amend-after-short-close",
            E::CancelAfterReceipt { .. } => "cancel-after-receipt",
            E::ReceiptIdReused { .. } => "receipt-id-reused",
            E::NotComplete { .. } => "purchase-order-not-complete",
            E::NoReceipts => "nothing-received",
            E::QuantityTooLarge => "quantity-too-large",
            // These name a field, answered above; listed so a new refusal needs a decision.
            E::NumberFromAnotherYear { .. }
            | E::NoLines
            | E::TooManyLines { .. }
            | E::LineCurrency { .. }
            | E::NegativeUnitPrice { .. }
            | E::LineDescription { .. }
            | E::ReceiptInFuture { .. }
            | E::ReceiptBeforeOrder { .. }
            | E::NothingReceived
            | E::UnknownLine { .. }
            | E::LineListedTwice { .. }
            | E::LineShortClosed { .. }
            | E::LineComplete { .. }
            | E::ReasonRequired
            | E::InvalidText { .. } => "purchase-order-refused",
        };
        Self::refused(code, error)
    }
}
