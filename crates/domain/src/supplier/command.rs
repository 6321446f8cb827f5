//! What can be asked of a supplier. Fields are already-validated values; the supplier id is
//! made by the caller, so a retried registration carries the same one.

use crate::customer::{CustomerDetails, CustomerKind};
use crate::ids::SupplierId;
use crate::purchase_order::TolerancePercent;

/// A command to the Supplier aggregate.
#[derive(Debug, Clone, PartialEq)]
pub enum SupplierCommand {
    Register(RegisterSupplier),
    ChangeDetails(ChangeSupplierDetails),
    SetToleranceOverride(SetToleranceOverride),
    ClearToleranceOverride(ClearToleranceOverride),
}

/// Registers a supplier with its party details (the same as a customer's: name, TIN,
/// identification, address, contacts), and optionally its own delivery tolerance.
#[derive(Debug, Clone, PartialEq)]
pub struct RegisterSupplier {
    pub id: SupplierId,
    pub kind: CustomerKind,
    pub details: CustomerDetails,
    pub tolerance_override: Option<TolerancePercent>,
}

/// Replaces all of a supplier's details (a form saved whole). Saving it unchanged records
/// nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeSupplierDetails {
    pub kind: CustomerKind,
    pub details: CustomerDetails,
}

/// Judges this supplier's deliveries against `percent` instead of the company default.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SetToleranceOverride {
    pub percent: TolerancePercent,
}

/// Judges this supplier's deliveries against the company default again.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClearToleranceOverride;
