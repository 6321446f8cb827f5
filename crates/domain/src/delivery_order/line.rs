//! What a delivery order delivers, and the document it comes from.

use serde::{Deserialize, Serialize};

use crate::equipment::SerialNumber;
use crate::ids::{InvoiceId, QuotationId, RentalId};
use crate::values::{Quantity, UnitCode};

/// The document a delivery order delivers. Stored in events: never rename a variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
pub enum DeliveryOrderSource {
    Invoice(InvoiceId),
    Quotation(QuotationId),
    /// A rental's check-out: the units going out to the customer.
    RentalCheckOut(RentalId),
}

impl DeliveryOrderSource {
    pub fn is_rental(self) -> bool {
        match self {
            Self::RentalCheckOut(_) => true,
            Self::Invoice(_) | Self::Quotation(_) => false,
        }
    }
}

/// A line of a delivery order: no prices, only what goes on the lorry. Stored in events:
/// never rename a field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryLine {
    /// One line, at most 300 characters (trimmed when recorded).
    pub description: String,
    pub quantity: Quantity,
    pub unit: UnitCode,
    /// The serials of the rental units on this line; empty on other delivery orders.
    pub serials: Vec<SerialNumber>,
}
