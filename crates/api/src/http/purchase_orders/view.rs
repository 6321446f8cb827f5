//! What the purchase-order routes answer: an order as its stream tells it, and list rows and
//! delivery variance from the read model.

use niaga_domain::purchase_order::{LineReceiptStatus, PurchaseOrder, PurchaseOrderRecord};
use niaga_projections::{
    delivery_variance::{DeliveryVariance, LineVarianceRow, ReceiptRow},
    purchase_orders::PurchaseOrderSummary,
};
use serde::Serialize;
use utoipa::ToSchema;

use super::body::OrderLineBody;
use crate::{
    error::{ApiError, Result},
    http::{equipment::view::money, money::MoneyBody},
};

fn line_status(status: LineReceiptStatus) -> &'static str {
    match status {
        LineReceiptStatus::NotReceived => "not_received",
        LineReceiptStatus::PartlyReceived => "partly_received",
        LineReceiptStatus::Received => "received",
        LineReceiptStatus::OverReceived => "over_received",
        LineReceiptStatus::ShortClosed => "short_closed",
    }
}

/// One line of the current revision and how much of it arrived.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct OrderLineView {
    /// Its number, from 1: receipts and short-closes name it.
    line: u16,
    #[serde(flatten)]
    ordered: OrderLineBody,
    /// Quantity × unit price, rounded to the sen.
    amount: MoneyBody,
    received: String,
    /// Still expected: zero once received in full, over-received or closed short.
    outstanding: String,
    /// `not_received`, `partly_received`, `received`, `over_received` or `short_closed`.
    status: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ReceiptLineView {
    line: u16,
    quantity: String,
}

/// One delivery.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ReceiptView {
    id: String,
    received_on: String,
    receiver: String,
    note: Option<String>,
    lines: Vec<ReceiptLineView>,
    /// Against the promised date then.
    days_late: u32,
    /// The tolerance it was judged under.
    tolerance_version: u32,
    tolerance_percent: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ShortClosureView {
    line: u16,
    reason: String,
    closed_on: String,
}

/// A purchase order with its lines, deliveries and how it ended.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PurchaseOrderView {
    id: String,
    supplier_id: String,
    /// `draft`, `sent`, `closed` or `cancelled`.
    status: String,
    /// `PO-2026-000042`, once sent.
    number: Option<String>,
    /// 1 once sent, one more per amendment after; absent for a draft.
    revision: Option<u32>,
    currency: String,
    promised_on: String,
    sent_on: Option<String>,
    lines: Vec<OrderLineView>,
    /// The lines' amounts together; purchase orders carry no tax.
    total: MoneyBody,
    receipts: Vec<ReceiptView>,
    short_closed: Vec<ShortClosureView>,
    /// How many times a delivery needed the buyer's attention.
    variance_flags: usize,
    closed_on: Option<String>,
    force_reason: Option<String>,
    cancelled_on: Option<String>,
    cancellation_reason: Option<String>,
    version: u64,
}

impl PurchaseOrderView {
    pub(crate) fn new(
        order: &PurchaseOrder,
        r: &PurchaseOrderRecord,
        version: u64,
    ) -> Result<Self> {
        let status = match order {
            PurchaseOrder::NotDrafted | PurchaseOrder::Draft(_) => "draft",
            PurchaseOrder::Sent(_) => "sent",
            PurchaseOrder::Closed(_) => "closed",
            PurchaseOrder::Cancelled(_) => "cancelled",
        };
        let lines = r
            .progress()
            .into_iter()
            .zip(&r.lines)
            .map(|(p, line)| {
                Ok(OrderLineView {
                    line: p.line.get(),
                    ordered: line.into(),
                    amount: line.amount().map_err(ApiError::internal)?.into(),
                    received: p.received.normalize().to_string(),
                    outstanding: p.outstanding.normalize().to_string(),
                    status: line_status(p.status).to_owned(),
                })
            })
            .collect::<Result<_>>()?;
        Ok(Self {
            id: r.id.to_string(),
            supplier_id: r.supplier_id.to_string(),
            status: status.to_owned(),
            number: r.sending.as_ref().map(|s| s.number.to_string()),
            revision: r.revision().map(|n| n.get()),
            currency: r.currency.to_string(),
            promised_on: r.promised_on.to_string(),
            sent_on: r.sending.as_ref().map(|s| s.sent_on.to_string()),
            lines,
            total: r.total().map_err(ApiError::internal)?.into(),
            receipts: r
                .receipts
                .iter()
                .map(|g| ReceiptView {
                    id: g.id.to_string(),
                    received_on: g.received_on.to_string(),
                    receiver: g.receiver.as_str().to_owned(),
                    note: g.note.clone(),
                    lines: g
                        .lines
                        .iter()
                        .map(|l| ReceiptLineView {
                            line: l.line.get(),
                            quantity: l.quantity.value().normalize().to_string(),
                        })
                        .collect(),
                    days_late: g.days_late,
                    tolerance_version: g.tolerance_version,
                    tolerance_percent: g.tolerance_percent.value().to_string(),
                })
                .collect(),
            short_closed: r
                .short_closed
                .iter()
                .map(|s| ShortClosureView {
                    line: s.line.get(),
                    reason: s.reason.clone(),
                    closed_on: s.closed_on.to_string(),
                })
                .collect(),
            variance_flags: r.flags.len(),
            closed_on: r.closing.as_ref().map(|c| c.closed_on.to_string()),
            force_reason: r.closing.as_ref().and_then(|c| c.force_reason.clone()),
            cancelled_on: r.cancellation.as_ref().map(|c| c.cancelled_on.to_string()),
            cancellation_reason: r.cancellation.as_ref().map(|c| c.reason.clone()),
            version,
        })
    }
}

/// One order of the list.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PurchaseOrderListItem {
    id: String,
    number: Option<String>,
    supplier_id: String,
    supplier_name: Option<String>,
    /// `draft`, `sent`, `closed` or `cancelled`.
    status: String,
    /// `not_received`, `partly_received`, `received`, `short_closed` (every line received or
    /// closed short, one at least short) or `closed`.
    receipt_status: String,
    promised_on: String,
    total: MoneyBody,
    lines: i64,
    revision: i64,
    sent_on: Option<String>,
    deliveries: i64,
    /// The latest of its deliveries against the promised date.
    max_days_late: i64,
    variance_flags: i64,
    closed_on: Option<String>,
    cancelled_on: Option<String>,
    drafted_at: String,
    updated_position: i64,
}

impl TryFrom<PurchaseOrderSummary> for PurchaseOrderListItem {
    type Error = ApiError;

    fn try_from(o: PurchaseOrderSummary) -> Result<Self> {
        Ok(Self {
            total: money(o.total_sen, &o.currency)?,
            id: o.purchase_order_id,
            number: o.number,
            supplier_id: o.supplier_id,
            supplier_name: o.supplier_name,
            status: o.status,
            receipt_status: o.receipt_status,
            promised_on: o.promised_on,
            lines: o.lines,
            revision: o.revision,
            sent_on: o.sent_on,
            deliveries: o.deliveries,
            max_days_late: o.max_days_late,
            variance_flags: o.variance_flags,
            closed_on: o.closed_on,
            cancelled_on: o.cancelled_on,
            drafted_at: o.drafted_at,
            updated_position: o.updated_position,
        })
    }
}

/// A tolerance a judgement was made under; `percent` is absent where the event did not
/// record it (a forced close).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct JudgedUnder {
    version: i64,
    percent: Option<String>,
}

fn judged_under(version: Option<i64>, percent: Option<String>) -> Option<JudgedUnder> {
    version.map(|version| JudgedUnder { version, percent })
}

/// One line's delivery variance as last judged.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct LineVarianceView {
    line: i64,
    item_code: Option<String>,
    description: String,
    unit: String,
    ordered: String,
    /// Cumulative, every delivery included.
    received: String,
    /// What will never arrive: the shortfall when the line was closed short.
    short_closed: String,
    /// `not_received`, `partly_received`, `received`, `over_received` or `short_closed`.
    status: String,
    /// `received − ordered`: positive over, negative under.
    difference: String,
    /// `difference` as a percent of `ordered`, two decimals (`"-12.5"` is 12.5 % under).
    percent: String,
    /// `as_ordered`, `over_within_tolerance`, `over_tolerance`, `outstanding` (under on an
    /// open line: not judged yet), `under_within_tolerance` or `under_tolerance`.
    assessment: String,
    /// Beyond tolerance: needs the buyer's attention.
    flagged: bool,
    /// The tolerance of the latest judgement; absent before any delivery.
    tolerance: Option<JudgedUnder>,
    /// The latest of the deliveries that brought some of it, against the promised date.
    days_late: i64,
    last_received_on: Option<String>,
}

impl From<LineVarianceRow> for LineVarianceView {
    fn from(l: LineVarianceRow) -> Self {
        Self {
            tolerance: judged_under(l.tolerance_version, l.tolerance_percent),
            line: l.line_no,
            item_code: l.item_code,
            description: l.description,
            unit: l.unit,
            ordered: l.ordered,
            received: l.received,
            short_closed: l.short_closed,
            status: l.status,
            difference: l.difference,
            percent: l.percent,
            assessment: l.assessment,
            flagged: l.flagged,
            days_late: l.days_late,
            last_received_on: l.last_received_on,
        }
    }
}

/// One delivery, with its lateness.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct DeliveryView {
    receipt_id: String,
    received_on: String,
    promised_on: String,
    days_late: i64,
    receiver: String,
    note: Option<String>,
    lines: i64,
    /// Late, or a line beyond tolerance.
    flagged: bool,
    tolerance: JudgedUnder,
}

impl From<ReceiptRow> for DeliveryView {
    fn from(r: ReceiptRow) -> Self {
        Self {
            receipt_id: r.receipt_id,
            received_on: r.received_on,
            promised_on: r.promised_on,
            days_late: r.days_late,
            receiver: r.receiver,
            note: r.note,
            lines: r.lines,
            flagged: r.flagged,
            tolerance: JudgedUnder {
                version: r.tolerance_version,
                percent: Some(r.tolerance_percent),
            },
        }
    }
}

/// An order's delivery variance: the order, each line and each delivery.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct DeliveryVarianceView {
    order: PurchaseOrderListItem,
    /// The tolerance of the order's latest judgement; absent before any.
    tolerance: Option<JudgedUnder>,
    lines: Vec<LineVarianceView>,
    /// Oldest first by the day received.
    deliveries: Vec<DeliveryView>,
}

impl TryFrom<DeliveryVariance> for DeliveryVarianceView {
    type Error = ApiError;

    fn try_from(v: DeliveryVariance) -> Result<Self> {
        let tolerance = judged_under(v.order.tolerance_version, v.order.tolerance_percent.clone());
        Ok(Self {
            order: v.order.try_into()?,
            tolerance,
            lines: v.lines.into_iter().map(Into::into).collect(),
            deliveries: v.receipts.into_iter().map(Into::into).collect(),
        })
    }
}
