//! The supplier list: one row per supplier for the list screen, with its party details and
//! its own delivery tolerance, if it has one.

use async_trait::async_trait;
use niaga_domain::{
    Aggregate,
    customer::{CustomerDetails, CustomerKind},
    supplier::{Supplier, SupplierEvent},
};
use niaga_store::{Database, RecordedEvent};
use serde::Serialize;

use crate::{
    Projection, ProjectionError, ReadTx,
    customer_list::kind_text,
    newest_first::{NewestFirst, Page},
    on_tx, time_text,
};

pub const NAME: &str = "supplier_list";

#[derive(Debug, Clone, Copy)]
pub struct SupplierList;

/// Writes a supplier's party details (registration and every change, saved whole).
async fn details(
    tx: &mut ReadTx,
    id: &str,
    kind: CustomerKind,
    d: &CustomerDetails,
    position: i64,
) -> Result<(), ProjectionError> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE supplier_list SET name = $2, kind = $3, tin = $4, email = $5, phone = $6, \
         city = $7, state = $8, updated_position = $9 WHERE supplier_id = $1",
    )
    .bind(id)
    .bind(d.name.as_str())
    .bind(kind_text(kind))
    .bind(d.tin.as_str())
    .bind(d.email.as_str())
    .bind(d.phone.as_str())
    .bind(d.address.city())
    .bind(d.address.state().as_str())
    .bind(position)
    .execute(conn)
    .await
    .map(drop))?;
    Ok(())
}

/// Sets (`Some`) or clears (`None`) the supplier's tolerance, one revision more.
async fn tolerance(
    tx: &mut ReadTx,
    id: &str,
    percent: Option<String>,
    position: i64,
) -> Result<(), ProjectionError> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE supplier_list SET tolerance_override = $2, \
         tolerance_revision = tolerance_revision + 1, updated_position = $3 \
         WHERE supplier_id = $1",
    )
    .bind(id)
    .bind(percent)
    .bind(position)
    .execute(conn)
    .await
    .map(drop))?;
    Ok(())
}

#[async_trait]
impl Projection for SupplierList {
    fn name(&self) -> &'static str {
        NAME
    }

    fn tables(&self) -> &'static [&'static str] {
        &["supplier_list"]
    }

    fn stream_types(&self) -> &'static [&'static str] {
        &[Supplier::STREAM_TYPE]
    }

    async fn apply(&self, tx: &mut ReadTx, event: &RecordedEvent) -> Result<(), ProjectionError> {
        if event.stream.stream_type != Supplier::STREAM_TYPE {
            return Ok(());
        }
        let id = event.stream.stream_id.as_str();
        let position = event.position;
        match niaga_store::decode::<SupplierEvent>(event)? {
            SupplierEvent::SupplierRegistered(e) => {
                // The row first, with what the details update does not write.
                on_tx!(tx, conn => sqlx::query(
                    "INSERT INTO supplier_list (supplier_id, name, kind, tin, email, phone, city, \
                     state, tolerance_override, registered_at, registered_position, \
                     updated_position) VALUES ($1, '', '', '', '', '', '', '', $2, $3, $4, $4) \
                     ON CONFLICT (supplier_id) DO NOTHING",
                )
                .bind(id)
                .bind(e.tolerance_override.map(|p| p.value().to_string()))
                .bind(time_text(event.recorded_at))
                .bind(position)
                .execute(conn)
                .await
                .map(drop))?;
                details(tx, id, e.kind, &e.details, position).await?;
            }
            SupplierEvent::SupplierDetailsChanged(e) => {
                details(tx, id, e.kind, &e.details, position).await?;
            }
            SupplierEvent::SupplierToleranceOverrideSet(e) => {
                tolerance(tx, id, Some(e.percent.value().to_string()), position).await?;
            }
            SupplierEvent::SupplierToleranceOverrideCleared(_) => {
                tolerance(tx, id, None, position).await?;
            }
        }
        Ok(())
    }
}

/// One row of the supplier list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct SupplierSummary {
    pub supplier_id: String,
    pub name: String,
    pub kind: String,
    pub tin: String,
    pub email: String,
    pub phone: String,
    pub city: String,
    pub state: String,
    pub tolerance_override: Option<String>,
    pub tolerance_revision: i64,
    pub registered_at: String,
    pub registered_position: i64,
    pub updated_position: i64,
}

const SELECT: &str = "SELECT supplier_id, name, kind, tin, email, phone, city, state, \
     tolerance_override, tolerance_revision, registered_at, registered_position, \
     updated_position FROM supplier_list";

fn query(tin: Option<String>) -> NewestFirst<'static> {
    NewestFirst {
        select: SELECT,
        position: "registered_position",
        filters: vec![("tin", tin)],
    }
}

/// The statement [`list`] runs: binds the cursor position, the TIN if given, then the
/// limit. Public for its plan test.
pub fn list_sql(tin: Option<&str>) -> String {
    query(tin.map(str::to_owned)).sql()
}

/// A page of suppliers, newest first, optionally only those with `tin`; served by
/// `supplier_list_newest` or `supplier_list_by_tin`, read backwards.
pub async fn list(
    db: &Database,
    tin: Option<String>,
    after: Option<i64>,
    limit: u32,
) -> Result<Page<SupplierSummary>, ProjectionError> {
    query(tin)
        .page(db, after, limit, |s: &SupplierSummary| {
            s.registered_position
        })
        .await
}
