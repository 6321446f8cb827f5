//! Roles and the role sets routes allow.
//!
//! Every route names the roles it allows with one of the constants below (or a slice of its
//! own), e.g. `user.require(STAFF_WRITE)?`. Keeping the sets here makes "who may do what"
//! reviewable in one file; the tests at the bottom check that the auditor never writes and
//! that the integrator, a machine rather than staff, reaches nothing but the event feed.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What a user may do. Stored as its snake_case name (`users.role`, whose check constraint
/// lists them), so adding or renaming a variant needs a migration.
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
    /// A system outside Niaga (accounting, BI, a data warehouse) that follows the event feed.
    /// Not staff: it reads `/events` and nothing else, so its credentials, kept on another
    /// machine, open no screen and change nothing.
    Integrator,
}

impl Role {
    pub const ALL: [Self; 6] = [
        Self::Admin,
        Self::Sales,
        Self::Finance,
        Self::Warehouse,
        Self::Auditor,
        Self::Integrator,
    ];

    /// The stored name, as in `users.role` and in tokens.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Sales => "sales",
            Self::Finance => "finance",
            Self::Warehouse => "warehouse",
            Self::Auditor => "auditor",
            Self::Integrator => "integrator",
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
/// Reading: every staff role, the auditor included (not the integrator, which is no staff).
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
/// Turning an accepted quotation into a draft invoice: where sales hands over to finance,
/// so either side may do it.
pub const SALES_OR_FINANCE_WRITE: &[Role] = &[Role::Admin, Role::Sales, Role::Finance];
/// Suppliers and purchase orders: drafting, sending, amending, closing lines short and closing
/// orders commit the company's money, which is finance's job, so the same set.
pub const PURCHASING_WRITE: &[Role] = FINANCE_WRITE;
/// Changes to stock and deliveries, goods received on purchase orders included.
pub const WAREHOUSE_WRITE: &[Role] = &[Role::Admin, Role::Warehouse];
/// Reading the event feed (`/events`, `/events/stream`): the integrator, whose only purpose it
/// is, and the staff who may see every fact anyway: the admin (who sets integrations up and
/// checks them) and the auditor (who reads everything). The feed carries every stream's raw
/// payloads, invoices and payments included, so sales, finance and warehouse staff read the
/// business through the routes made for their work instead.
pub const FEED_READERS: &[Role] = &[Role::Admin, Role::Auditor, Role::Integrator];
/// Opening raw history (`/audit/...`): the auditor, whose job it is, and the admin. Not
/// finance, sales or warehouse: the events carry more than their screens show (who did what,
/// from which address), and those who keep the books are not the ones who check them. Not
/// the integrator, whose feed shows only an allow-list of metadata.
pub const AUDIT_READ: &[Role] = &[Role::Admin, Role::Auditor];

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
            SALES_OR_FINANCE_WRITE,
            WAREHOUSE_WRITE,
        ] {
            assert!(!set.contains(&Role::Auditor), "{set:?}");
        }
    }

    #[test]
    fn every_staff_role_reads() {
        let staff: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|&role| role != Role::Integrator)
            .collect();
        assert_eq!(ANY_STAFF, staff.as_slice());
    }

    #[test]
    fn the_integrator_reads_the_feed_and_nothing_else() {
        for set in [
            ADMIN_ONLY,
            ANY_STAFF,
            STAFF_WRITE,
            SALES_WRITE,
            FINANCE_WRITE,
            SALES_OR_FINANCE_WRITE,
            WAREHOUSE_WRITE,
        ] {
            assert!(!set.contains(&Role::Integrator), "{set:?}");
        }
        assert!(FEED_READERS.contains(&Role::Integrator));
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
