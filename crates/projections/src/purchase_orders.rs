//! Purchase orders: the list (one row per order, with its receipt status, promised date and
//! total), each order's lines with their delivery variance as last judged, and each goods
//! receipt with its lateness. The delivery variance of an order ([`crate::delivery_variance`])
//! and supplier performance ([`crate::supplier_performance`]) are read from these tables.
//!
//! Variance is never judged here: the events carry it (cumulative quantity, difference,
//! percentage, assessment and the tolerance it was judged under) and the rows copy it.

use async_trait::async_trait;
use niaga_domain::{
    Aggregate,
    purchase_order::{
        LineVariance, OrderLine, PurchaseOrder, PurchaseOrderEvent, TolerancePercent,
        VarianceAssessment, VarianceTrigger,
    },
};
use niaga_store::{Database, RecordedEvent};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::{
    Projection, ProjectionError, ReadTx, day_text,
    newest_first::{NewestFirst, Page},
    on_tx, sen, time_text,
};

pub const NAME: &str = "purchase_orders";

#[derive(Debug, Clone, Copy)]
pub struct PurchaseOrders;

/// An order's status as stored and filtered on: the API's words.
pub const DRAFT: &str = "draft";
pub const SENT: &str = "sent";
pub const CLOSED: &str = "closed";
pub const CANCELLED: &str = "cancelled";

/// Where an order stands on receipts, as stored and filtered on.
pub const NOT_RECEIVED: &str = "not_received";
pub const PARTLY_RECEIVED: &str = "partly_received";
pub const RECEIVED: &str = "received";
pub const SHORT_CLOSED: &str = "short_closed";
/// Also a receipt status: a closed order expects nothing, whatever arrived.
pub const RECEIPT_CLOSED: &str = CLOSED;

/// A line's status: [`NOT_RECEIVED`], [`PARTLY_RECEIVED`], [`RECEIVED`], this, or
/// [`SHORT_CLOSED`].
const OVER_RECEIVED: &str = "over_received";

/// Runs one statement with the order's id as `$1` and `binds` after it.
macro_rules! exec {
    ($tx:expr, $sql:expr, $id:expr $(, $bind:expr)* $(,)?) => {
        on_tx!($tx, conn => sqlx::query($sql).bind($id)$(.bind($bind))*.execute(conn).await.map(drop))
    };
}

/// A decimal as stored: without trailing zeros, so `5.00` and `5` read the same.
pub(crate) fn decimal_text(value: Decimal) -> String {
    value.normalize().to_string()
}

/// How an assessment is stored: the API's words.
pub(crate) fn assessment_text(assessment: VarianceAssessment) -> &'static str {
    match assessment {
        VarianceAssessment::AsOrdered => "as_ordered",
        VarianceAssessment::OverWithinTolerance => "over_within_tolerance",
        VarianceAssessment::OverTolerance => "over_tolerance",
        VarianceAssessment::Outstanding => "outstanding",
        VarianceAssessment::UnderWithinTolerance => "under_within_tolerance",
        VarianceAssessment::UnderTolerance => "under_tolerance",
    }
}

/// A line's receipt status from its latest variance (`short`: closed short, or left short by
/// a forced close).
fn line_status(v: &LineVariance, short: bool) -> &'static str {
    if short {
        SHORT_CLOSED
    } else if v.received.is_zero() {
        NOT_RECEIVED
    } else if v.difference.is_sign_negative() && !v.difference.is_zero() {
        PARTLY_RECEIVED
    } else if v.difference.is_zero() {
        RECEIVED
    } else {
        OVER_RECEIVED
    }
}

/// The lines' total in whole sen: the sum of their rounded amounts, as the order prints it.
fn total_sen(lines: &[OrderLine]) -> Result<i64, ProjectionError> {
    lines.iter().try_fold(0_i64, |total, line| {
        let amount = line
            .amount()
            .map_err(|e| ProjectionError::Corrupt(format!("a line amount: {e}")))?;
        total
            .checked_add(sen(amount)?)
            .ok_or_else(|| ProjectionError::Corrupt("an order total overflows".into()))
    })
}

/// Writes the order's lines afresh (drafted, amended, revised: lines are numbered by their
/// position and nothing has been received yet), with its total, count and promised date.
async fn replace_lines(
    tx: &mut ReadTx,
    id: &str,
    lines: &[OrderLine],
    promised_on: chrono::NaiveDate,
    position: i64,
) -> Result<(), ProjectionError> {
    exec!(
        tx,
        "DELETE FROM purchase_order_lines WHERE purchase_order_id = $1",
        id
    )?;
    for (index, line) in lines.iter().enumerate() {
        let amount = line
            .amount()
            .map_err(|e| ProjectionError::Corrupt(format!("a line amount: {e}")))?;
        let ordered = decimal_text(line.quantity.value());
        exec!(
            tx,
            "INSERT INTO purchase_order_lines (purchase_order_id, line_no, item_code, \
             description, unit, ordered, difference, unit_price, amount_sen) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            id,
            i64::try_from(index + 1).unwrap_or(i64::MAX),
            line.item_code.as_ref().map(|c| c.as_str().to_owned()),
            &line.description,
            line.unit.as_str(),
            &ordered,
            format!("-{ordered}"),
            decimal_text(line.unit_price.amount()),
            sen(amount)?,
        )?;
    }
    exec!(
        tx,
        "UPDATE purchase_order_list SET total_sen = $2, lines = $3, promised_on = $4, \
         updated_position = $5 WHERE purchase_order_id = $1",
        id,
        total_sen(lines)?,
        i64::try_from(lines.len()).unwrap_or(i64::MAX),
        day_text(promised_on),
        position,
    )?;
    Ok(())
}

/// Copies a line's judged variance, under the tolerance it was judged with.
async fn judge_line(
    tx: &mut ReadTx,
    id: &str,
    v: &LineVariance,
    short: bool,
    tolerance: (u32, Option<TolerancePercent>),
) -> Result<(), ProjectionError> {
    // What will never arrive of a line left short; nothing for an open or complete one.
    let short_closed = if short && v.difference.is_sign_negative() {
        -v.difference
    } else {
        Decimal::ZERO
    };
    exec!(
        tx,
        "UPDATE purchase_order_lines SET received = $3, short_closed = $4, status = $5, \
         difference = $6, percent = $7, assessment = $8, flagged = $9, \
         tolerance_version = $10, tolerance_percent = $11 \
         WHERE purchase_order_id = $1 AND line_no = $2",
        id,
        i64::from(v.line.get()),
        decimal_text(v.received),
        decimal_text(short_closed),
        line_status(v, short),
        decimal_text(v.difference),
        decimal_text(v.percent),
        assessment_text(v.assessment),
        v.assessment.is_flagged(),
        i64::from(tolerance.0),
        tolerance.1.map(|p| decimal_text(p.value())),
    )?;
    Ok(())
}

/// After an open order's lines were judged: the tolerance it was judged under, and its
/// receipt status from its lines.
async fn lines_judged(
    tx: &mut ReadTx,
    id: &str,
    (version, percent): (u32, Option<TolerancePercent>),
    position: i64,
) -> Result<(), ProjectionError> {
    judged_under(tx, id, version, percent, position).await?;
    refresh_receipt_status(tx, id, position).await
}

/// Records the tolerance an order was last judged under (`None`: its percentage was not
/// recorded).
async fn judged_under(
    tx: &mut ReadTx,
    id: &str,
    version: u32,
    percent: Option<TolerancePercent>,
    position: i64,
) -> Result<(), ProjectionError> {
    exec!(
        tx,
        "UPDATE purchase_order_list SET tolerance_version = $2, \
         tolerance_percent = $3, updated_position = $4 \
         WHERE purchase_order_id = $1",
        id,
        i64::from(version),
        percent.map(|p| decimal_text(p.value())),
        position,
    )?;
    Ok(())
}

/// An order's receipt status from its lines' statuses, while it is open.
fn receipt_status(line_statuses: &[String], deliveries: i64) -> &'static str {
    let complete = |s: &String| [RECEIVED, OVER_RECEIVED, SHORT_CLOSED].contains(&s.as_str());
    if !line_statuses.is_empty() && line_statuses.iter().all(complete) {
        if line_statuses.iter().any(|s| s == SHORT_CLOSED) {
            SHORT_CLOSED
        } else {
            RECEIVED
        }
    } else if deliveries > 0 {
        PARTLY_RECEIVED
    } else {
        NOT_RECEIVED
    }
}

/// Sets an open order's receipt status from its lines, after they changed.
async fn refresh_receipt_status(
    tx: &mut ReadTx,
    id: &str,
    position: i64,
) -> Result<(), ProjectionError> {
    let statuses: Vec<String> = on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT status FROM purchase_order_lines WHERE purchase_order_id = $1",
    )
    .bind(id)
    .fetch_all(conn)
    .await)?;
    let deliveries: Option<i64> = on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT deliveries FROM purchase_order_list WHERE purchase_order_id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await)?;
    exec!(
        tx,
        "UPDATE purchase_order_list SET receipt_status = $2, updated_position = $3 \
         WHERE purchase_order_id = $1 AND status <> 'closed'",
        id,
        receipt_status(&statuses, deliveries.unwrap_or(0)),
        position,
    )?;
    Ok(())
}

#[async_trait]
impl Projection for PurchaseOrders {
    fn name(&self) -> &'static str {
        NAME
    }

    fn tables(&self) -> &'static [&'static str] {
        &[
            "purchase_order_list",
            "purchase_order_lines",
            "purchase_order_receipts",
        ]
    }

    fn stream_types(&self) -> &'static [&'static str] {
        &[PurchaseOrder::STREAM_TYPE]
    }

    async fn apply(&self, tx: &mut ReadTx, event: &RecordedEvent) -> Result<(), ProjectionError> {
        if event.stream.stream_type != PurchaseOrder::STREAM_TYPE {
            return Ok(());
        }
        let id = event.stream.stream_id.as_str();
        let position = event.position;
        match niaga_store::decode::<PurchaseOrderEvent>(event)? {
            PurchaseOrderEvent::PurchaseOrderDrafted(e) => {
                exec!(
                    tx,
                    "INSERT INTO purchase_order_list (purchase_order_id, supplier_id, status, \
                     receipt_status, currency, total_sen, lines, promised_on, drafted_at, \
                     drafted_position, updated_position) \
                     VALUES ($1, $2, $3, $4, $5, 0, 0, $6, $7, $8, $8) \
                     ON CONFLICT (purchase_order_id) DO NOTHING",
                    id,
                    e.supplier_id.to_string(),
                    DRAFT,
                    NOT_RECEIVED,
                    e.currency.to_string(),
                    day_text(e.promised_on),
                    time_text(e.drafted_at),
                    position,
                )?;
                replace_lines(tx, id, &e.lines, e.promised_on, position).await?;
            }
            PurchaseOrderEvent::PurchaseOrderDraftAmended(e) => {
                replace_lines(tx, id, &e.lines, e.promised_on, position).await?;
            }
            PurchaseOrderEvent::PurchaseOrderSent(e) => {
                exec!(
                    tx,
                    "UPDATE purchase_order_list SET status = $2, number = $3, revision = $4, \
                     sent_on = $5, updated_position = $6 WHERE purchase_order_id = $1",
                    id,
                    SENT,
                    e.number.as_str(),
                    i64::from(e.revision.get()),
                    day_text(e.sent_on),
                    position,
                )?;
            }
            PurchaseOrderEvent::PurchaseOrderRevised(e) => {
                replace_lines(tx, id, &e.lines_after, e.promised_after, position).await?;
                exec!(
                    tx,
                    "UPDATE purchase_order_list SET revision = $2 WHERE purchase_order_id = $1",
                    id,
                    i64::from(e.revision.get()),
                )?;
            }
            PurchaseOrderEvent::GoodsReceived(e) => {
                exec!(
                    tx,
                    "INSERT INTO purchase_order_receipts (purchase_order_id, receipt_id, \
                     supplier_id, received_on, promised_on, days_late, receiver, note, lines, \
                     tolerance_version, tolerance_percent, recorded_position) \
                     SELECT $1, $2, supplier_id, $3, $4, $5, $6, $7, $8, $9, $10, $11 \
                     FROM purchase_order_list WHERE purchase_order_id = $1 \
                     ON CONFLICT (purchase_order_id, receipt_id) DO NOTHING",
                    id,
                    e.receipt_id.to_string(),
                    day_text(e.received_on),
                    day_text(e.promised_on),
                    i64::from(e.days_late),
                    e.receiver.as_str(),
                    e.note.as_deref(),
                    i64::try_from(e.lines.len()).unwrap_or(i64::MAX),
                    i64::from(e.tolerance_version),
                    decimal_text(e.tolerance_percent.value()),
                    position,
                )?;
                let tolerance = (e.tolerance_version, Some(e.tolerance_percent));
                let received_on = day_text(e.received_on);
                for v in &e.variance {
                    judge_line(tx, id, v, false, tolerance).await?;
                    // The latest delivery of the line, whatever order receipts were typed in.
                    exec!(
                        tx,
                        "UPDATE purchase_order_lines SET \
                         days_late = CASE WHEN days_late > $3 THEN days_late ELSE $3 END, \
                         last_received_on = CASE WHEN last_received_on > $4 \
                             THEN last_received_on ELSE $4 END \
                         WHERE purchase_order_id = $1 AND line_no = $2",
                        id,
                        i64::from(v.line.get()),
                        i64::from(e.days_late),
                        &received_on,
                    )?;
                }
                exec!(
                    tx,
                    "UPDATE purchase_order_list SET deliveries = deliveries + 1, \
                     max_days_late = CASE WHEN max_days_late > $2 THEN max_days_late ELSE $2 END \
                     WHERE purchase_order_id = $1",
                    id,
                    i64::from(e.days_late),
                )?;
                lines_judged(tx, id, tolerance, position).await?;
            }
            PurchaseOrderEvent::PurchaseOrderLineShortClosed(e) => {
                let tolerance = (e.tolerance_version, Some(e.tolerance_percent));
                judge_line(tx, id, &e.variance, true, tolerance).await?;
                lines_judged(tx, id, tolerance, position).await?;
            }
            PurchaseOrderEvent::DeliveryVarianceFlagged(e) => {
                exec!(
                    tx,
                    "UPDATE purchase_order_list SET variance_flags = variance_flags + 1, \
                     updated_position = $2 WHERE purchase_order_id = $1",
                    id,
                    position,
                )?;
                if let VarianceTrigger::Receipt { receipt_id } = e.trigger {
                    exec!(
                        tx,
                        "UPDATE purchase_order_receipts SET flagged = TRUE \
                         WHERE purchase_order_id = $1 AND receipt_id = $2",
                        id,
                        receipt_id.to_string(),
                    )?;
                }
            }
            PurchaseOrderEvent::PurchaseOrderCancelled(e) => {
                exec!(
                    tx,
                    "UPDATE purchase_order_list SET status = $2, cancelled_on = $3, \
                     updated_position = $4 WHERE purchase_order_id = $1",
                    id,
                    CANCELLED,
                    day_text(e.cancelled_on),
                    position,
                )?;
            }
            PurchaseOrderEvent::PurchaseOrderClosed(e) => {
                // The close records the tolerance's version but not its percentage (unlike
                // a receipt or a short-close): the lines it leaves short show none.
                for v in &e.closed_short {
                    judge_line(tx, id, v, true, (e.tolerance_version, None)).await?;
                }
                if !e.closed_short.is_empty() {
                    judged_under(tx, id, e.tolerance_version, None, position).await?;
                }
                exec!(
                    tx,
                    "UPDATE purchase_order_list SET status = $2, receipt_status = $3, \
                     closed_on = $4, updated_position = $5 WHERE purchase_order_id = $1",
                    id,
                    CLOSED,
                    RECEIPT_CLOSED,
                    day_text(e.closed_on),
                    position,
                )?;
            }
        }
        Ok(())
    }
}

/// One order of the list, with the supplier's name from the supplier list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct PurchaseOrderSummary {
    pub purchase_order_id: String,
    pub supplier_id: String,
    pub supplier_name: Option<String>,
    pub number: Option<String>,
    pub status: String,
    pub receipt_status: String,
    pub currency: String,
    pub total_sen: i64,
    pub lines: i64,
    pub promised_on: String,
    pub revision: i64,
    pub sent_on: Option<String>,
    pub deliveries: i64,
    pub max_days_late: i64,
    pub variance_flags: i64,
    pub tolerance_version: Option<i64>,
    pub tolerance_percent: Option<String>,
    pub closed_on: Option<String>,
    pub cancelled_on: Option<String>,
    pub drafted_at: String,
    pub drafted_position: i64,
    pub updated_position: i64,
}

/// What the purchase-order list screen asks for.
#[derive(Debug, Clone, Default)]
pub struct PurchaseOrderFilter {
    /// [`DRAFT`], [`SENT`], [`CLOSED`] or [`CANCELLED`].
    pub status: Option<&'static str>,
    /// [`NOT_RECEIVED`], [`PARTLY_RECEIVED`], [`RECEIVED`], [`SHORT_CLOSED`] or
    /// [`RECEIPT_CLOSED`].
    pub receipt_status: Option<&'static str>,
    pub supplier_id: Option<String>,
    pub after: Option<i64>,
    pub limit: u32,
}

pub(crate) const SELECT_ORDERS: &str = "SELECT o.purchase_order_id, o.supplier_id, \
     s.name AS supplier_name, o.number, o.status, o.receipt_status, o.currency, o.total_sen, \
     o.lines, o.promised_on, o.revision, o.sent_on, o.deliveries, o.max_days_late, \
     o.variance_flags, o.tolerance_version, o.tolerance_percent, o.closed_on, o.cancelled_on, \
     o.drafted_at, o.drafted_position, o.updated_position \
     FROM purchase_order_list o LEFT JOIN supplier_list s ON s.supplier_id = o.supplier_id";

fn query(filter: &PurchaseOrderFilter) -> NewestFirst<'static> {
    NewestFirst {
        select: SELECT_ORDERS,
        position: "o.drafted_position",
        filters: vec![
            ("o.status", filter.status.map(str::to_owned)),
            ("o.receipt_status", filter.receipt_status.map(str::to_owned)),
            ("o.supplier_id", filter.supplier_id.clone()),
        ],
    }
}

/// The statement [`list`] runs for `filter`: binds the cursor position, then the filters
/// given (status, receipt status, supplier), then the limit. Public for its plan test.
pub fn list_sql(filter: &PurchaseOrderFilter) -> String {
    query(filter).sql()
}

/// A page of orders, newest first; served by `purchase_order_list_newest`, `_by_status`,
/// `_by_receipt_status` or `_by_supplier`, read backwards.
pub async fn list(
    db: &Database,
    filter: &PurchaseOrderFilter,
) -> Result<Page<PurchaseOrderSummary>, ProjectionError> {
    query(filter)
        .page(
            db,
            filter.after,
            filter.limit,
            |o: &PurchaseOrderSummary| o.drafted_position,
        )
        .await
}
