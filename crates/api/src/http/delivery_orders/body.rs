//! Request bodies of the delivery order routes, and how each becomes a command. Every field
//! is checked and every invalid one reported at once, with a JSON pointer to it.

use chrono::NaiveDate;
use niaga_domain::{
    delivery_order::{CancelDeliveryOrder, DispatchDeliveryOrder},
    values::{Address, Name},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{
    error::Result,
    http::customers::{AddressBody, address_at},
    validate::Validator,
};

/// The kind of document a delivery order delivers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    Invoice,
    Quotation,
    /// A rental's check-out: the units not returned yet, one line each with its serial.
    Rental,
}

/// The document the goods are delivered for.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceBody {
    pub kind: SourceKind,
    pub id: Uuid,
}

/// A delivery order for the goods of an invoice, a quotation or a rental. The lines are
/// copied from it; the customer must be the document's.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "source": { "kind": "invoice", "id": "0197a000-0000-7000-8000-0000000000b1" },
    "customer_id": "0197a000-0000-7000-8000-000000000001",
    "delivery_address": { "lines": ["Lot 5, Jalan Utas 15/7"], "city": "Shah Alam", "postcode": "40200", "state": "10" }
}))]
pub struct CreateBody {
    pub source: SourceBody,
    /// The customer of the source document.
    pub customer_id: Uuid,
    /// Where the goods go; the customer's registered address when absent.
    #[serde(default)]
    pub delivery_address: Option<AddressBody>,
}

impl CreateBody {
    /// The delivery address given, checked (`None` when the customer's is to be used).
    pub fn delivery_address(&self) -> Result<Option<Address>> {
        let Some(body) = &self.delivery_address else {
            return Ok(None);
        };
        let mut v = Validator::new();
        let address = address_at(&mut v, "/delivery_address", body);
        v.build(|| address.map(Some))
    }
}

/// The goods left.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "dispatched_on": "2026-06-01", "driver": "Ahmad bin Ali", "vehicle": "WXY 1234" }))]
pub struct DispatchBody {
    /// Today (in Malaysia) when absent; never later than today.
    #[serde(default)]
    pub dispatched_on: Option<NaiveDate>,
    #[serde(default)]
    pub driver: Option<String>,
    /// The vehicle's registration, at most 20 characters.
    #[serde(default)]
    pub vehicle: Option<String>,
}

impl DispatchBody {
    pub fn dispatch(&self, today: NaiveDate) -> Result<DispatchDeliveryOrder> {
        let mut v = Validator::new();
        let driver = v.check_optional("/driver", self.driver.as_deref().map(Name::parse));
        v.build(|| {
            Some(DispatchDeliveryOrder {
                dispatched_on: self.dispatched_on.unwrap_or(today),
                driver: driver?,
                vehicle: self.vehicle.clone(),
            })
        })
    }
}

/// Why the delivery order is cancelled.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "reason": "Customer collected the goods themselves" }))]
pub struct CancelBody {
    pub reason: String,
}

impl CancelBody {
    pub fn cancel(&self) -> CancelDeliveryOrder {
        CancelDeliveryOrder {
            reason: self.reason.clone(),
        }
    }
}
