//! The Supplier aggregate: a party the company buys from, with the same party details as a
//! customer (what a self-billed e-invoice needs of a seller), and optionally its own
//! delivery tolerance, which purchase-order receipts are then judged against instead of the
//! company default.

mod command;
mod error;
mod event;
mod state;
#[cfg(test)]
mod tests;

pub use command::{
    ChangeSupplierDetails, ClearToleranceOverride, RegisterSupplier, SetToleranceOverride,
    SupplierCommand,
};
pub use error::SupplierError;
pub use event::{
    SupplierDetailsChanged, SupplierEvent, SupplierRegistered, SupplierToleranceOverrideCleared,
    SupplierToleranceOverrideSet,
};
pub use state::{RegisteredSupplier, Supplier};

use crate::customer::check_party;
use crate::{Aggregate, Ctx};

impl Aggregate for Supplier {
    /// Stored beside every event of a supplier stream: never rename.
    const STREAM_TYPE: &'static str = "supplier";
    type Command = SupplierCommand;
    type Event = SupplierEvent;
    type Error = SupplierError;

    fn decide(
        &self,
        command: &SupplierCommand,
        _ctx: &Ctx,
    ) -> Result<Vec<SupplierEvent>, SupplierError> {
        use SupplierCommand as C;
        match (self, command) {
            (Self::NotRegistered, C::Register(c)) => {
                check_party(c.kind, &c.details)?;
                Ok(vec![SupplierEvent::SupplierRegistered(
                    SupplierRegistered {
                        supplier_id: c.id,
                        kind: c.kind,
                        details: c.details.clone(),
                        tolerance_override: c.tolerance_override,
                    },
                )])
            }
            (Self::Registered(_), C::Register(_)) => Err(SupplierError::AlreadyRegistered),
            (
                Self::NotRegistered,
                C::ChangeDetails(_) | C::SetToleranceOverride(_) | C::ClearToleranceOverride(_),
            ) => Err(SupplierError::NotRegistered),
            (Self::Registered(s), C::ChangeDetails(c)) => {
                check_party(c.kind, &c.details)?;
                // The form is saved whole; saving it unchanged (or a retry) is no change.
                if (c.kind, &c.details) == (s.kind, &s.details) {
                    return Ok(vec![]);
                }
                Ok(vec![SupplierEvent::SupplierDetailsChanged(
                    SupplierDetailsChanged {
                        kind: c.kind,
                        details: c.details.clone(),
                    },
                )])
            }
            (Self::Registered(s), C::SetToleranceOverride(c)) => {
                if s.tolerance_override == Some(c.percent) {
                    return Ok(vec![]);
                }
                Ok(vec![SupplierEvent::SupplierToleranceOverrideSet(
                    SupplierToleranceOverrideSet { percent: c.percent },
                )])
            }
            (Self::Registered(s), C::ClearToleranceOverride(ClearToleranceOverride)) => {
                if s.tolerance_override.is_none() {
                    return Ok(vec![]);
                }
                Ok(vec![SupplierEvent::SupplierToleranceOverrideCleared(
                    SupplierToleranceOverrideCleared {},
                )])
            }
        }
    }

    fn evolve(self, event: &SupplierEvent) -> Self {
        use SupplierEvent as E;
        match (self, event) {
            (Self::NotRegistered, E::SupplierRegistered(e)) => {
                Self::Registered(Box::new(RegisteredSupplier {
                    id: e.supplier_id,
                    kind: e.kind,
                    details: e.details.clone(),
                    tolerance_override: e.tolerance_override,
                    tolerance_revision: 0,
                }))
            }
            // `decide` starts every stream with SupplierRegistered.
            (
                Self::NotRegistered,
                E::SupplierDetailsChanged(_)
                | E::SupplierToleranceOverrideSet(_)
                | E::SupplierToleranceOverrideCleared(_),
            ) => Self::NotRegistered,
            (registered @ Self::Registered(_), E::SupplierRegistered(_)) => registered,
            (Self::Registered(mut s), E::SupplierDetailsChanged(e)) => {
                s.kind = e.kind;
                s.details = e.details.clone();
                Self::Registered(s)
            }
            (Self::Registered(mut s), E::SupplierToleranceOverrideSet(e)) => {
                s.tolerance_override = Some(e.percent);
                s.tolerance_revision = s.tolerance_revision.saturating_add(1);
                Self::Registered(s)
            }
            (Self::Registered(mut s), E::SupplierToleranceOverrideCleared(_)) => {
                s.tolerance_override = None;
                s.tolerance_revision = s.tolerance_revision.saturating_add(1);
                Self::Registered(s)
            }
        }
    }
}
