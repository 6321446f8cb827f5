//! What we know about a supplier: the fold of its events.

use serde::{Deserialize, Serialize};

use crate::customer::{CustomerDetails, CustomerKind};
use crate::ids::SupplierId;
use crate::purchase_order::{DeliveryTolerance, TolerancePercent};

/// A supplier's record, as the API returns it and a snapshot stores it. `NotRegistered` is
/// the state of a stream with no events (the `Default`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Supplier {
    #[default]
    NotRegistered,
    Registered(Box<RegisteredSupplier>),
}

impl Supplier {
    pub fn registered(&self) -> Option<&RegisteredSupplier> {
        match self {
            Self::NotRegistered => None,
            Self::Registered(supplier) => Some(supplier),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegisteredSupplier {
    pub id: SupplierId,
    pub kind: CustomerKind,
    pub details: CustomerDetails,
    pub tolerance_override: Option<TolerancePercent>,
    /// How many times the override was set or cleared since registration (0: as
    /// registered): the version of the override a delivery was judged against.
    pub tolerance_revision: u32,
}

impl RegisteredSupplier {
    /// The tolerance a delivery from this supplier is judged against: its override if it
    /// has one, versioned by [`RegisteredSupplier::tolerance_revision`], else the company
    /// default as given.
    pub fn delivery_tolerance(&self, company_default: DeliveryTolerance) -> DeliveryTolerance {
        self.tolerance_override
            .map_or(company_default, |percent| DeliveryTolerance {
                version: self.tolerance_revision,
                percent,
            })
    }
}
