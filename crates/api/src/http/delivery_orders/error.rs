//! How the DeliveryOrder aggregate's refusals read over HTTP: a refusal about a field of the
//! request is a field error at its pointer, one about the delivery order names the rule.

use niaga_domain::delivery_order::DeliveryOrderError;

use crate::error::ApiError;

impl From<DeliveryOrderError> for ApiError {
    fn from(error: DeliveryOrderError) -> Self {
        if let Some(pointer) = error.pointer() {
            return Self::field(pointer, error.to_string());
        }
        let code = match &error {
            DeliveryOrderError::NotCreated => return Self::NotFound("delivery order".into()),
            DeliveryOrderError::AlreadyCreated => return Self::Conflict(error.to_string()),
            DeliveryOrderError::AlreadyDispatched { .. } => "already-dispatched",
            DeliveryOrderError::NotDispatched => "not-dispatched",
            DeliveryOrderError::AlreadySigned => "already-signed",
            DeliveryOrderError::Cancelled { .. } => "delivery-order-cancelled",
            DeliveryOrderError::LinkIdReused { .. } => "link-id-reused",
            // Only the public page signs; it answers this with its bland page, never JSON.
            DeliveryOrderError::LinkNotUsable { .. } => "link-not-usable",
            // Those with a pointer were answered above.
            _ => "delivery-order-refused",
        };
        Self::refused(code, error)
    }
}
