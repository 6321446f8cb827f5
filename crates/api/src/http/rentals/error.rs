//! How the Rental aggregate's refusals read over HTTP: a refusal about a field of the request
//! is a field error at its pointer, one about the rental names the rule.

use niaga_domain::rental::RentalError;

use crate::error::ApiError;

impl From<RentalError> for ApiError {
    fn from(error: RentalError) -> Self {
        if let Some(pointer) = error.pointer() {
            // The reservation body names its units by id.
            let pointer = if pointer == "/units" {
                "/unit_ids".to_owned()
            } else {
                pointer
            };
            return Self::field(pointer, error.to_string());
        }
        let code = match &error {
            RentalError::NotReserved => return Self::NotFound("rental".into()),
            RentalError::AlreadyReserved => return Self::Conflict(error.to_string()),
            RentalError::Closed { .. } => "rental-closed",
            RentalError::Cancelled { .. } => "rental-cancelled",
            RentalError::AlreadyCheckedOut { .. } => "unit-already-out",
            RentalError::NotCheckedOut { .. } => "unit-not-out",
            RentalError::AlreadyReturned { .. } => "unit-already-back",
            RentalError::NothingToExtend => "nothing-to-extend",
            RentalError::NoDepositAgreed => "no-deposit-agreed",
            RentalError::DepositAlreadyCollected { .. } => "deposit-already-collected",
            RentalError::DepositNotCollected => "deposit-not-collected",
            RentalError::DepositAlreadyRefunded { .. } => "deposit-already-refunded",
            RentalError::NothingToRefund => "nothing-to-refund",
            RentalError::RefundWhileUnitsOut { .. } => "units-still-out",
            RentalError::UnitsStillOut { .. } => "units-still-out",
            RentalError::NothingCheckedOut => "nothing-checked-out",
            RentalError::DepositHeld { .. } => "deposit-held",
            RentalError::CancelAfterCheckOut { .. } => "cancel-after-check-out",
            RentalError::AmountTooLarge => "amount-too-large",
            RentalError::NoLateFeesToBill => "no-late-fees-to-bill",
            RentalError::LateFeesUnbilled { .. } => "late-fees-unbilled",
            // Those with a pointer were answered above.
            _ => "rental-refused",
        };
        Self::refused(code, error)
    }
}
