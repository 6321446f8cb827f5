//! Staff roles and the role sets routes allow.
//!
//! Every route names the roles it allows with one of the constants below (or a slice of its
//! own), e.g. `user.require(STAFF_WRITE)?`. Keeping the sets here makes "who may do what"
//! reviewable in one file; the test at the bottom checks that the auditor never writes.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What a staff user may do. Stored as its snake_case name (`users.role`), so renaming a
/// variant needs a migration.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, clap::ValueEnum,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, including managing users.
    Admin,
    /// Customers, quotations, orders.
    Sales,
    /// Invoices, payments, e-invoice submission.
    Finance,
    /// Stock and deliveries.
    Warehouse,
    /// Reads everything, changes nothing (the external auditor's account).
    Auditor,
}

impl Role {
    pub const ALL: [Self; 5] = [
        Self::Admin,
        Self::Sales,
        Self::Finance,
        Self::Warehouse,
        Self::Auditor,
    ];

    /// The stored name, as in `users.role` and in tokens.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Sales => "sales",
            Self::Finance => "finance",
            Self::Warehouse => "warehouse",
            Self::Auditor => "auditor",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.as_str() == name)
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Managing users and other settings.
pub const ADMIN_ONLY: &[Role] = &[Role::Admin];
/// Reading: every staff role, the auditor included.
pub const ANY_STAFF: &[Role] = &[
    Role::Admin,
    Role::Sales,
    Role::Finance,
    Role::Warehouse,
    Role::Auditor,
];
/// Changes any staff member may make (everyone but the read-only auditor).
pub const STAFF_WRITE: &[Role] = &[Role::Admin, Role::Sales, Role::Finance, Role::Warehouse];
/// Changes to customers, quotations and orders.
pub const SALES_WRITE: &[Role] = &[Role::Admin, Role::Sales];
/// Changes to invoices and payments.
pub const FINANCE_WRITE: &[Role] = &[Role::Admin, Role::Finance];
/// Changes to stock and deliveries.
pub const WAREHOUSE_WRITE: &[Role] = &[Role::Admin, Role::Warehouse];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_auditor_never_writes() {
        for set in [
            ADMIN_ONLY,
            STAFF_WRITE,
            SALES_WRITE,
            FINANCE_WRITE,
            WAREHOUSE_WRITE,
        ] {
            assert!(!set.contains(&Role::Auditor), "{set:?}");
        }
    }

    #[test]
    fn every_role_reads() {
        assert_eq!(ANY_STAFF, Role::ALL);
    }

    #[test]
    fn stored_names_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
            assert_eq!(
                serde_json::to_value(role).ok(),
                Some(serde_json::json!(role.as_str()))
            );
        }
        assert_eq!(Role::parse("root"), None);
    }
}
