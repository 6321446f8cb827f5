//! What we know about a purchase order: the fold of its events, and what read models ask
//! of it (per line ordered, received and outstanding; receipt status; lateness).

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{LineNo, LineVariance, OrderLine, PurchaseOrderNumber, ReceiptLine, TolerancePercent};
use crate::ids::{GoodsReceiptId, PurchaseOrderId, SupplierId};
use crate::money::{Currency, Money, MoneyError};
use crate::quotation::RevisionNumber;
use crate::values::Name;

/// A purchase order, as the API returns it and a snapshot stores it. `NotDrafted` is the
/// state of a stream with no events (the `Default`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum PurchaseOrder {
    #[default]
    NotDrafted,
    /// Being written; not sent to the supplier.
    Draft(Box<PurchaseOrderRecord>),
    /// With the supplier: goods may arrive.
    Sent(Box<PurchaseOrderRecord>),
    Closed(Box<PurchaseOrderRecord>),
    Cancelled(Box<PurchaseOrderRecord>),
}

impl PurchaseOrder {
    /// The order's record, whatever its status, if it has been drafted.
    pub fn record(&self) -> Option<&PurchaseOrderRecord> {
        match self {
            Self::NotDrafted => None,
            Self::Draft(r) | Self::Sent(r) | Self::Closed(r) | Self::Cancelled(r) => Some(r),
        }
    }
}

/// Everything a purchase order has been through.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PurchaseOrderRecord {
    pub id: PurchaseOrderId,
    pub supplier_id: SupplierId,
    pub currency: Currency,
    /// The lines of the current revision; [`LineNo`] is the position from 1.
    pub lines: Vec<OrderLine>,
    pub promised_on: NaiveDate,
    pub drafted_at: DateTime<Utc>,
    pub sending: Option<Sending>,
    /// Every revision after the first, in order.
    pub revisions: Vec<Revision>,
    /// In the order recorded.
    pub receipts: Vec<GoodsReceipt>,
    pub short_closed: Vec<ShortClosure>,
    /// Every variance flag raised, in order.
    pub flags: Vec<VarianceFlag>,
    pub closing: Option<Closing>,
    pub cancellation: Option<Cancellation>,
}

/// When and as what the order went to the supplier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sending {
    pub number: PurchaseOrderNumber,
    pub sent_on: NaiveDate,
    pub sent_at: DateTime<Utc>,
}

/// A revision of a sent order, with the lines and promised date it replaced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    pub revision: RevisionNumber,
    pub lines_before: Vec<OrderLine>,
    pub lines_after: Vec<OrderLine>,
    pub promised_before: NaiveDate,
    pub promised_after: NaiveDate,
    pub revised_at: DateTime<Utc>,
}

/// One delivery received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoodsReceipt {
    pub id: GoodsReceiptId,
    pub received_on: NaiveDate,
    pub receiver: Name,
    pub note: Option<String>,
    pub lines: Vec<ReceiptLine>,
    pub variance: Vec<LineVariance>,
    /// Against the promised date in force when it was received.
    pub days_late: u32,
    pub tolerance_version: u32,
    pub tolerance_percent: TolerancePercent,
    pub recorded_at: DateTime<Utc>,
}

/// A line closed short.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShortClosure {
    pub line: LineNo,
    pub reason: String,
    pub variance: LineVariance,
    pub closed_on: NaiveDate,
}

/// A variance flag raised for the buyer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VarianceFlag {
    pub trigger: super::VarianceTrigger,
    pub lines: Vec<LineVariance>,
    pub days_late: u32,
    pub flagged_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closing {
    pub force_reason: Option<String>,
    pub closed_short: Vec<LineVariance>,
    pub closed_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cancellation {
    pub reason: String,
    pub cancelled_on: NaiveDate,
}

/// Where a line stands on receipts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineReceiptStatus {
    NotReceived,
    PartlyReceived,
    Received,
    OverReceived,
    ShortClosed,
}

impl LineReceiptStatus {
    /// Whether the line expects nothing more.
    pub fn is_complete(self) -> bool {
        match self {
            Self::Received | Self::OverReceived | Self::ShortClosed => true,
            Self::NotReceived | Self::PartlyReceived => false,
        }
    }
}

/// One line's progress, for read models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineProgress {
    pub line: LineNo,
    pub ordered: Decimal,
    pub received: Decimal,
    /// What is still expected: zero once received in full, over-received or short-closed.
    pub outstanding: Decimal,
    pub status: LineReceiptStatus,
}

impl PurchaseOrderRecord {
    /// The line numbered `line`, if the order has it.
    pub fn line(&self, line: LineNo) -> Option<&OrderLine> {
        self.lines.get(line.index())
    }

    pub fn receipt(&self, id: GoodsReceiptId) -> Option<&GoodsReceipt> {
        self.receipts.iter().find(|r| r.id == id)
    }

    pub fn short_closure(&self, line: LineNo) -> Option<&ShortClosure> {
        self.short_closed.iter().find(|s| s.line == line)
    }

    /// The cumulative quantity received of `line`, every receipt included.
    pub fn received(&self, line: LineNo) -> Decimal {
        self.receipts
            .iter()
            .flat_map(|r| &r.lines)
            .filter(|l| l.line == line)
            .map(|l| l.quantity.value())
            .sum()
    }

    /// Every line's ordered, received and outstanding quantity and status, in order.
    pub fn progress(&self) -> Vec<LineProgress> {
        self.lines
            .iter()
            .enumerate()
            .filter_map(|(index, l)| {
                let line = LineNo::at(index)?;
                Some(self.line_progress(line, l.quantity.value()))
            })
            .collect()
    }

    fn line_progress(&self, line: LineNo, ordered: Decimal) -> LineProgress {
        let received = self.received(line);
        let status = if self.short_closure(line).is_some() {
            LineReceiptStatus::ShortClosed
        } else if received.is_zero() {
            LineReceiptStatus::NotReceived
        } else if received < ordered {
            LineReceiptStatus::PartlyReceived
        } else if received == ordered {
            LineReceiptStatus::Received
        } else {
            LineReceiptStatus::OverReceived
        };
        let outstanding = if status.is_complete() {
            Decimal::ZERO
        } else {
            ordered - received
        };
        LineProgress {
            line,
            ordered,
            received,
            outstanding,
            status,
        }
    }

    /// What the current revision's lines cost together, before tax.
    pub fn total(&self) -> Result<Money, MoneyError> {
        self.lines
            .iter()
            .try_fold(Money::zero(self.currency), |sum, line| {
                sum.checked_add(line.amount()?)
            })
    }

    /// Whether every line expects nothing more.
    pub fn is_complete(&self) -> bool {
        self.progress().iter().all(|p| p.status.is_complete())
    }

    /// Each receipt's id, date and days late, in the order recorded.
    pub fn days_late(&self) -> Vec<(GoodsReceiptId, NaiveDate, u32)> {
        self.receipts
            .iter()
            .map(|r| (r.id, r.received_on, r.days_late))
            .collect()
    }

    /// The current revision: 1 once sent, one more per revision; `None` for a draft.
    pub fn revision(&self) -> Option<RevisionNumber> {
        self.sending.as_ref().map(|_| {
            self.revisions
                .last()
                .map_or(RevisionNumber::FIRST, |r| r.revision)
        })
    }
}
