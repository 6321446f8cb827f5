//! What happened to a purchase order. Stored forever: never rename a variant or a field;
//! change a payload's shape only with a new schema version and an upcaster.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{LineNo, LineVariance, OrderLine, PurchaseOrderNumber, TolerancePercent};
use crate::DomainEvent;
use crate::ids::{GoodsReceiptId, PurchaseOrderId, SupplierId};
use crate::money::Currency;
use crate::quotation::RevisionNumber;
use crate::values::{Name, Quantity};

/// An event of the PurchaseOrder stream. The variant name is the stored event type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum PurchaseOrderEvent {
    PurchaseOrderDrafted(PurchaseOrderDrafted),
    PurchaseOrderDraftAmended(PurchaseOrderDraftAmended),
    PurchaseOrderSent(PurchaseOrderSent),
    PurchaseOrderRevised(PurchaseOrderRevised),
    GoodsReceived(GoodsReceived),
    PurchaseOrderLineShortClosed(PurchaseOrderLineShortClosed),
    DeliveryVarianceFlagged(DeliveryVarianceFlagged),
    PurchaseOrderCancelled(PurchaseOrderCancelled),
    PurchaseOrderClosed(PurchaseOrderClosed),
}

/// An order was drafted; lines are numbered by their position, from 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurchaseOrderDrafted {
    pub purchase_order_id: PurchaseOrderId,
    pub supplier_id: SupplierId,
    pub currency: Currency,
    pub lines: Vec<OrderLine>,
    pub promised_on: NaiveDate,
    pub drafted_on: NaiveDate,
    pub drafted_at: DateTime<Utc>,
}

/// The draft's lines and promised date as they are now (all of them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurchaseOrderDraftAmended {
    pub lines: Vec<OrderLine>,
    pub promised_on: NaiveDate,
    pub amended_at: DateTime<Utc>,
}

/// The order went to the supplier as `number`, revision 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurchaseOrderSent {
    pub number: PurchaseOrderNumber,
    pub revision: RevisionNumber,
    pub sent_on: NaiveDate,
    pub sent_at: DateTime<Utc>,
}

/// A sent order was amended before anything arrived: a new revision, with what it replaced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurchaseOrderRevised {
    pub revision: RevisionNumber,
    pub lines_before: Vec<OrderLine>,
    pub lines_after: Vec<OrderLine>,
    pub promised_before: NaiveDate,
    pub promised_after: NaiveDate,
    pub revised_on: NaiveDate,
    pub revised_at: DateTime<Utc>,
}

/// A delivery arrived. `variance` judges every line of the delivery on its cumulative
/// quantity, as the order stood then; `days_late` is against the promised date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoodsReceived {
    pub receipt_id: GoodsReceiptId,
    pub received_on: NaiveDate,
    pub receiver: Name,
    /// Trimmed; `None` when left blank.
    pub note: Option<String>,
    pub lines: Vec<ReceiptLine>,
    pub variance: Vec<LineVariance>,
    pub promised_on: NaiveDate,
    pub days_late: u32,
    pub tolerance_version: u32,
    pub tolerance_percent: TolerancePercent,
    pub recorded_at: DateTime<Utc>,
}

/// The quantity of one line in one delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptLine {
    pub line: LineNo,
    pub quantity: Quantity,
}

/// A line was closed short: what is outstanding will never arrive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurchaseOrderLineShortClosed {
    pub line: LineNo,
    pub reason: String,
    /// The shortfall judged as final.
    pub variance: LineVariance,
    pub tolerance_version: u32,
    pub tolerance_percent: TolerancePercent,
    pub closed_on: NaiveDate,
    pub closed_at: DateTime<Utc>,
}

/// What a variance flag was raised on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum VarianceTrigger {
    Receipt { receipt_id: GoodsReceiptId },
    ShortClose { line: LineNo },
    ForcedClose,
}

/// A delivery needs the buyer's attention: lines over (or, once final, under) tolerance,
/// or a late delivery. Emitted after the event it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryVarianceFlagged {
    pub trigger: VarianceTrigger,
    /// Only the flagged lines; empty when only lateness is flagged.
    pub lines: Vec<LineVariance>,
    /// Zero unless a late receipt is flagged.
    pub days_late: u32,
    pub tolerance_version: u32,
    pub flagged_at: DateTime<Utc>,
}

/// The order was cancelled before anything arrived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurchaseOrderCancelled {
    pub reason: String,
    pub cancelled_on: NaiveDate,
    pub cancelled_at: DateTime<Utc>,
}

/// The order was closed: complete, or forced for `force_reason` with the lines in
/// `closed_short` left short (judged as final).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurchaseOrderClosed {
    pub force_reason: Option<String>,
    pub closed_short: Vec<LineVariance>,
    pub tolerance_version: u32,
    pub closed_on: NaiveDate,
    pub closed_at: DateTime<Utc>,
}

impl DomainEvent for PurchaseOrderEvent {
    fn event_type(&self) -> &'static str {
        match self {
            Self::PurchaseOrderDrafted(_) => "PurchaseOrderDrafted",
            Self::PurchaseOrderDraftAmended(_) => "PurchaseOrderDraftAmended",
            Self::PurchaseOrderSent(_) => "PurchaseOrderSent",
            Self::PurchaseOrderRevised(_) => "PurchaseOrderRevised",
            Self::GoodsReceived(_) => "GoodsReceived",
            Self::PurchaseOrderLineShortClosed(_) => "PurchaseOrderLineShortClosed",
            Self::DeliveryVarianceFlagged(_) => "DeliveryVarianceFlagged",
            Self::PurchaseOrderCancelled(_) => "PurchaseOrderCancelled",
            Self::PurchaseOrderClosed(_) => "PurchaseOrderClosed",
        }
    }
}
