//! Delivery orders for the list screen (one row per delivery order), and which delivery
//! order each signature link belongs to, by the SHA-256 of its token: what the public
//! signature page looks a token up by. Whether a link may be used is never decided here:
//! the aggregate decides, on its own events.

use async_trait::async_trait;
use niaga_domain::{
    Aggregate,
    delivery_order::{DeliveryOrder, DeliveryOrderEvent, DeliveryOrderSource},
};
use niaga_store::{Database, RecordedEvent, on_reader};
use serde::Serialize;

use crate::{
    Projection, ProjectionError, ReadTx, day_text,
    newest_first::{NewestFirst, Page},
    on_tx, time_text,
};

pub const NAME: &str = "delivery_orders";

#[derive(Debug, Clone, Copy)]
pub struct DeliveryOrders;

/// How a delivery order's status is stored and filtered on: the API's words.
pub const CREATED: &str = "created";
pub const DISPATCHED: &str = "dispatched";
pub const SIGNED: &str = "signed";
pub const CANCELLED: &str = "cancelled";

/// Runs one statement with the delivery order's id as `$1` and `binds` after it.
macro_rules! exec {
    ($tx:expr, $sql:expr, $id:expr $(, $bind:expr)* $(,)?) => {
        on_tx!($tx, conn => sqlx::query($sql).bind($id)$(.bind($bind))*.execute(conn).await.map(drop))
    };
}

/// The source's kind and id as stored: the words of the API's `source.kind`.
pub fn source_parts(source: &DeliveryOrderSource) -> (&'static str, String) {
    match source {
        DeliveryOrderSource::Invoice(id) => ("invoice", id.to_string()),
        DeliveryOrderSource::Quotation(id) => ("quotation", id.to_string()),
        DeliveryOrderSource::RentalCheckOut(id) => ("rental", id.to_string()),
    }
}

#[async_trait]
impl Projection for DeliveryOrders {
    fn name(&self) -> &'static str {
        NAME
    }

    fn tables(&self) -> &'static [&'static str] {
        &["delivery_order_list", "signature_links"]
    }

    fn stream_types(&self) -> &'static [&'static str] {
        &[DeliveryOrder::STREAM_TYPE]
    }

    async fn apply(&self, tx: &mut ReadTx, event: &RecordedEvent) -> Result<(), ProjectionError> {
        if event.stream.stream_type != DeliveryOrder::STREAM_TYPE {
            return Ok(());
        }
        let id = event.stream.stream_id.as_str();
        let position = event.position;
        match niaga_store::decode::<DeliveryOrderEvent>(event)? {
            DeliveryOrderEvent::DeliveryOrderCreated(e) => {
                let (kind, source_id) = source_parts(&e.source);
                let lines = i64::try_from(e.lines.len())
                    .map_err(|_| ProjectionError::Corrupt("too many lines".into()))?;
                exec!(
                    tx,
                    "INSERT INTO delivery_order_list (delivery_order_id, customer_id, source_kind, \
                     source_id, status, lines, created_on, created_position, updated_position) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) \
                     ON CONFLICT (delivery_order_id) DO NOTHING",
                    id,
                    e.customer_id.to_string(),
                    kind,
                    source_id,
                    CREATED,
                    lines,
                    day_text(e.created_on),
                    position,
                )?;
            }
            DeliveryOrderEvent::DeliveryOrderDispatched(e) => {
                exec!(
                    tx,
                    "UPDATE delivery_order_list SET status = $2, dispatched_on = $3, \
                     updated_position = $4 WHERE delivery_order_id = $1",
                    id,
                    DISPATCHED,
                    day_text(e.dispatched_on),
                    position,
                )?;
            }
            DeliveryOrderEvent::SignatureLinkIssued(e) => {
                exec!(
                    tx,
                    "INSERT INTO signature_links (token_sha256, delivery_order_id, link_id, \
                     issued_position) VALUES ($2, $1, $3, $4) \
                     ON CONFLICT (token_sha256) DO NOTHING",
                    id,
                    e.token_sha256.as_str(),
                    e.link_id.to_string(),
                    position,
                )?;
                exec!(
                    tx,
                    "UPDATE delivery_order_list SET link_expires_at = $2, updated_position = $3 \
                     WHERE delivery_order_id = $1",
                    id,
                    time_text(e.expires_at),
                    position,
                )?;
            }
            DeliveryOrderEvent::DeliveryOrderSigned(e) => {
                exec!(
                    tx,
                    "UPDATE delivery_order_list SET status = $2, signed_at = $3, \
                     link_expires_at = NULL, updated_position = $4 WHERE delivery_order_id = $1",
                    id,
                    SIGNED,
                    time_text(e.signed_at),
                    position,
                )?;
            }
            DeliveryOrderEvent::DeliverySignatureRefused(_) => {
                exec!(
                    tx,
                    "UPDATE delivery_order_list SET refusals = refusals + 1, \
                     link_expires_at = NULL, updated_position = $2 WHERE delivery_order_id = $1",
                    id,
                    position,
                )?;
            }
            DeliveryOrderEvent::DeliveryOrderCancelled(_) => {
                exec!(
                    tx,
                    "UPDATE delivery_order_list SET status = $2, link_expires_at = NULL, \
                     updated_position = $3 WHERE delivery_order_id = $1",
                    id,
                    CANCELLED,
                    position,
                )?;
            }
            // The list shows no documents; the view reads them from the aggregate.
            DeliveryOrderEvent::DeliveryOrderPdfIssued(_) => {}
        }
        Ok(())
    }
}

/// One delivery order of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct DeliveryOrderSummary {
    pub delivery_order_id: String,
    pub customer_id: String,
    pub customer_name: Option<String>,
    pub source_kind: String,
    pub source_id: String,
    pub status: String,
    pub lines: i64,
    pub created_on: String,
    pub dispatched_on: Option<String>,
    pub signed_at: Option<String>,
    pub link_expires_at: Option<String>,
    pub refusals: i64,
    pub created_position: i64,
    pub updated_position: i64,
}

/// What the list is filtered on.
#[derive(Debug, Clone, Default)]
pub struct DeliveryOrderFilter {
    /// [`CREATED`], [`DISPATCHED`], [`SIGNED`] or [`CANCELLED`].
    pub status: Option<&'static str>,
    pub customer_id: Option<String>,
    pub after: Option<i64>,
    pub limit: u32,
}

const SELECT: &str = "SELECT d.delivery_order_id, d.customer_id, c.name AS customer_name, \
     d.source_kind, d.source_id, d.status, d.lines, d.created_on, d.dispatched_on, d.signed_at, \
     d.link_expires_at, d.refusals, d.created_position, d.updated_position \
     FROM delivery_order_list d LEFT JOIN customer_list c ON c.customer_id = d.customer_id";

fn query(filter: &DeliveryOrderFilter) -> NewestFirst<'static> {
    NewestFirst {
        select: SELECT,
        position: "d.created_position",
        filters: vec![
            ("d.status", filter.status.map(str::to_owned)),
            ("d.customer_id", filter.customer_id.clone()),
        ],
    }
}

/// A page of delivery orders, newest first; served by `delivery_order_list_newest`,
/// `_by_status` or `_by_customer`.
pub async fn list(
    db: &Database,
    filter: &DeliveryOrderFilter,
) -> Result<Page<DeliveryOrderSummary>, ProjectionError> {
    query(filter)
        .page(
            db,
            filter.after,
            filter.limit,
            |d: &DeliveryOrderSummary| d.created_position,
        )
        .await
}

/// The statement [`list`] runs for `filter` (for the query-plan test).
pub fn list_sql(filter: &DeliveryOrderFilter) -> String {
    query(filter).sql()
}

/// The delivery order a signature link's token digest belongs to, if the link was issued
/// (and this read model has seen it).
pub async fn by_token_sha256(
    db: &Database,
    token_sha256: &str,
) -> Result<Option<String>, ProjectionError> {
    Ok(on_reader!(db, pool => sqlx::query_scalar(
        "SELECT delivery_order_id FROM signature_links WHERE token_sha256 = $1",
    )
    .bind(token_sha256)
    .fetch_optional(pool)
    .await)?)
}
