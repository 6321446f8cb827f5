//! What happened to a supplier. Stored forever: never rename a variant or a field; change
//! a payload's shape only with a new schema version and an upcaster.

use serde::{Deserialize, Serialize};

use crate::DomainEvent;
use crate::customer::{CustomerDetails, CustomerKind};
use crate::ids::SupplierId;
use crate::purchase_order::TolerancePercent;

/// An event of the Supplier stream. The variant name is the stored event type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum SupplierEvent {
    SupplierRegistered(SupplierRegistered),
    SupplierDetailsChanged(SupplierDetailsChanged),
    SupplierToleranceOverrideSet(SupplierToleranceOverrideSet),
    SupplierToleranceOverrideCleared(SupplierToleranceOverrideCleared),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupplierRegistered {
    pub supplier_id: SupplierId,
    pub kind: CustomerKind,
    /// Stored flat, as a customer's are.
    #[serde(flatten)]
    pub details: CustomerDetails,
    pub tolerance_override: Option<TolerancePercent>,
}

/// The supplier's details as they are now (all of them, not a difference).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupplierDetailsChanged {
    pub kind: CustomerKind,
    #[serde(flatten)]
    pub details: CustomerDetails,
}

/// This supplier's deliveries are judged against `percent` from now on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupplierToleranceOverrideSet {
    pub percent: TolerancePercent,
}

/// This supplier's deliveries are judged against the company default from now on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupplierToleranceOverrideCleared {}

impl DomainEvent for SupplierEvent {
    fn event_type(&self) -> &'static str {
        match self {
            Self::SupplierRegistered(_) => "SupplierRegistered",
            Self::SupplierDetailsChanged(_) => "SupplierDetailsChanged",
            Self::SupplierToleranceOverrideSet(_) => "SupplierToleranceOverrideSet",
            Self::SupplierToleranceOverrideCleared(_) => "SupplierToleranceOverrideCleared",
        }
    }
}
