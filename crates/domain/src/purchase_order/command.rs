//! What can be asked of a purchase order. Fields are already-parsed values; the order id and
//! each goods receipt id are made by the caller, so a retried command carries the same one.

use chrono::NaiveDate;

use super::{DeliveryTolerance, LineNo, OrderLine, PurchaseOrderNumber};
use crate::ids::{GoodsReceiptId, PurchaseOrderId, SupplierId};
use crate::money::Currency;
use crate::values::{Name, Quantity};

/// A command to the PurchaseOrder aggregate.
#[derive(Debug, Clone, PartialEq)]
pub enum PurchaseOrderCommand {
    Draft(DraftPurchaseOrder),
    Amend(AmendPurchaseOrder),
    Send(SendPurchaseOrder),
    ReceiveGoods(ReceiveGoods),
    ShortCloseLine(ShortCloseLine),
    Cancel(CancelPurchaseOrder),
    Close(ClosePurchaseOrder),
}

/// Drafts an order to a registered supplier (the caller checks it exists).
#[derive(Debug, Clone, PartialEq)]
pub struct DraftPurchaseOrder {
    pub id: PurchaseOrderId,
    pub supplier_id: SupplierId,
    /// Of every line's unit price.
    pub currency: Currency,
    /// 1 to 200 lines.
    pub lines: Vec<OrderLine>,
    /// When the supplier promises delivery; receipts after it are late.
    pub promised_on: NaiveDate,
}

/// Replaces the lines and the promised date (a form saved whole). On a draft it simply
/// edits it; on a sent order with nothing received yet it records a new revision, keeping
/// the lines before and after. Saving it unchanged records nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct AmendPurchaseOrder {
    pub lines: Vec<OrderLine>,
    pub promised_on: NaiveDate,
}

/// Sends the draft to the supplier as `number`, taken from this year's series by the caller
/// in the same transaction (see [`SERIES`](super::SERIES)).
#[derive(Debug, Clone, PartialEq)]
pub struct SendPurchaseOrder {
    pub number: PurchaseOrderNumber,
}

/// Records one delivery from the supplier: some quantity of some lines (partial deliveries
/// are normal). The same `receipt_id` again with the same content is answered as done.
#[derive(Debug, Clone, PartialEq)]
pub struct ReceiveGoods {
    pub receipt_id: GoodsReceiptId,
    /// Today or earlier (Malaysian business day).
    pub received_on: NaiveDate,
    /// Who took delivery at our end.
    pub receiver: Name,
    /// Optional, at most 1000 characters, line breaks allowed.
    pub note: Option<String>,
    /// At least one line of this order, each once.
    pub lines: Vec<ReceivedLine>,
    /// The company default or the supplier's override: the caller decides.
    pub tolerance: DeliveryTolerance,
}

/// How much of one order line arrived in a delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReceivedLine {
    pub line: LineNo,
    pub quantity: Quantity,
}

/// Closes one line whose outstanding quantity will never arrive; its shortfall is judged
/// against `tolerance` then. Closing it again is answered as done.
#[derive(Debug, Clone, PartialEq)]
pub struct ShortCloseLine {
    pub line: LineNo,
    pub reason: String,
    pub tolerance: DeliveryTolerance,
}

/// Cancels the order before anything was received, for a reason.
#[derive(Debug, Clone, PartialEq)]
pub struct CancelPurchaseOrder {
    pub reason: String,
}

/// Closes a sent order. Without `force_reason`, only when every line is received in full,
/// over-received or short-closed. With it, lines still short are closed as they are and
/// their shortfall judged against `tolerance`.
#[derive(Debug, Clone, PartialEq)]
pub struct ClosePurchaseOrder {
    pub force_reason: Option<String>,
    pub tolerance: DeliveryTolerance,
}
