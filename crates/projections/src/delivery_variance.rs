//! The delivery variance of one purchase order: per line what was ordered, received and
//! closed short, over or under by how much, within tolerance or flagged, how late, under
//! which tolerance; and each delivery with its lateness. Read from the tables of
//! [`crate::purchase_orders`].

use niaga_store::{Database, on_reader};
use serde::Serialize;

use crate::{
    ProjectionError,
    purchase_orders::{PurchaseOrderSummary, SELECT_ORDERS},
};

/// One line's variance as last judged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct LineVarianceRow {
    pub line_no: i64,
    pub item_code: Option<String>,
    pub description: String,
    pub unit: String,
    pub ordered: String,
    pub received: String,
    pub short_closed: String,
    /// not_received, partly_received, received, over_received or short_closed.
    pub status: String,
    /// `received − ordered`: positive over, negative under.
    pub difference: String,
    /// `difference` as a percentage of `ordered`, two decimals.
    pub percent: String,
    pub assessment: String,
    pub flagged: bool,
    pub tolerance_version: Option<i64>,
    pub tolerance_percent: Option<String>,
    pub days_late: i64,
    pub last_received_on: Option<String>,
}

/// One delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ReceiptRow {
    pub receipt_id: String,
    pub received_on: String,
    pub promised_on: String,
    pub days_late: i64,
    pub receiver: String,
    pub note: Option<String>,
    pub lines: i64,
    pub flagged: bool,
    pub tolerance_version: i64,
    pub tolerance_percent: String,
}

/// An order's delivery variance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeliveryVariance {
    pub order: PurchaseOrderSummary,
    pub lines: Vec<LineVarianceRow>,
    pub receipts: Vec<ReceiptRow>,
}

/// The variance of the order `id`, if the read model has it; every statement by primary key.
pub async fn of_order(
    db: &Database,
    id: &str,
) -> Result<Option<DeliveryVariance>, ProjectionError> {
    let sql = format!("{SELECT_ORDERS} WHERE o.purchase_order_id = $1");
    let order: Option<PurchaseOrderSummary> =
        on_reader!(db, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)?;
    let Some(order) = order else {
        return Ok(None);
    };
    let lines = on_reader!(db, pool => sqlx::query_as(
        "SELECT line_no, item_code, description, unit, ordered, received, short_closed, status, \
         difference, percent, assessment, flagged, tolerance_version, tolerance_percent, \
         days_late, last_received_on FROM purchase_order_lines \
         WHERE purchase_order_id = $1 ORDER BY line_no",
    )
    .bind(id)
    .fetch_all(pool)
    .await)?;
    let receipts = on_reader!(db, pool => sqlx::query_as(
        "SELECT receipt_id, received_on, promised_on, days_late, receiver, note, lines, flagged, \
         tolerance_version, tolerance_percent FROM purchase_order_receipts \
         WHERE purchase_order_id = $1 ORDER BY received_on, recorded_position",
    )
    .bind(id)
    .fetch_all(pool)
    .await)?;
    Ok(Some(DeliveryVariance {
        order,
        lines,
        receipts,
    }))
}
