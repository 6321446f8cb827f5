//! Why a purchase order command is refused, in the buyer's words.

use chrono::NaiveDate;

use super::{LineNo, PurchaseOrderNumber};
use crate::ids::GoodsReceiptId;
use crate::money::Currency;
use crate::values::TextProblem;

/// A refusal of the PurchaseOrder aggregate; the API answers it with a 4xx.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PurchaseOrderError {
    #[error("this purchase order does not exist")]
    NotDrafted,
    #[error("this purchase order already exists")]
    AlreadyDrafted,
    #[error("this purchase order is still a draft: send it to the supplier first")]
    NotSent,
    #[error("this purchase order was already sent as {number}")]
    AlreadySent { number: PurchaseOrderNumber },
    /// Each year has its own series: an order sent in 2026 takes a 2026 number.
    #[error(
        "{number} is from the {} series, but orders sent today are numbered in the {year} series",
        .number.year()
    )]
    NumberFromAnotherYear {
        number: PurchaseOrderNumber,
        year: i32,
    },
    #[error("purchase order closed on {closed_on}: it can no longer change")]
    Closed { closed_on: NaiveDate },
    #[error("purchase order cancelled on {cancelled_on}: it can no longer change")]
    Cancelled { cancelled_on: NaiveDate },
    #[error("a purchase order has at least one line")]
    NoLines,
    #[error("a purchase order has at most {max} lines: split it into several orders")]
    TooManyLines { max: usize },
    #[error("line {} is priced in {found}, but the order is in {expected}", .index + 1)]
    LineCurrency {
        index: usize,
        expected: Currency,
        found: Currency,
    },
    #[error("the unit price of line {} is zero or more", .index + 1)]
    NegativeUnitPrice { index: usize },
    #[error("the description of line {} {problem}", .index + 1)]
    LineDescription { index: usize, problem: TextProblem },
    /// What the supplier has started delivering is what was ordered: a change now is a new
    /// order, or a short-close.
    #[error("goods were already received on {received_on}: the order can no longer be amended")]
    AmendAfterReceipt { received_on: NaiveDate },
    #[error("{line} was closed short: the order can no longer be amended")]
    AmendAfterShortClose { line: LineNo },
    #[error(
        "goods were already received on {received_on}: close the order instead of cancelling it"
    )]
    CancelAfterReceipt { received_on: NaiveDate },
    #[error("receipt {receipt_id} was already recorded with other details")]
    ReceiptIdReused { receipt_id: GoodsReceiptId },
    #[error("goods cannot be received on {received_on}, after today ({today})")]
    ReceiptInFuture {
        received_on: NaiveDate,
        today: NaiveDate,
    },
    #[error(
        "goods cannot be received on {received_on}, before the order was drafted ({drafted_on})"
    )]
    ReceiptBeforeOrder {
        received_on: NaiveDate,
        drafted_on: NaiveDate,
    },
    #[error("a receipt names at least one line of the order")]
    NothingReceived,
    /// `index` is the position in a receipt's lines; `None` for a short-close.
    #[error("this order has no {line}")]
    UnknownLine { line: LineNo, index: Option<usize> },
    #[error("{line} is listed twice: a receipt gives each line once")]
    LineListedTwice { line: LineNo, index: usize },
    #[error("{line} was closed short on {closed_on}: nothing more is expected of it")]
    LineShortClosed {
        line: LineNo,
        index: usize,
        closed_on: NaiveDate,
    },
    #[error("{line} is already received in full: there is nothing to close short")]
    LineComplete { line: LineNo },
    #[error("{} still expected: close them short, or force the close with a reason", lines_list(.lines))]
    NotComplete { lines: Vec<LineNo> },
    #[error("nothing was received on this order: cancel it instead of closing it")]
    NoReceipts,
    #[error("say why: the reason is kept with the order")]
    ReasonRequired,
    #[error("{field} {problem}")]
    InvalidText {
        field: &'static str,
        problem: TextProblem,
    },
    #[error("the quantities received are too large")]
    QuantityTooLarge,
}

/// `line 2 is` or `lines 2, 3 are`.
fn lines_list(lines: &[LineNo]) -> String {
    let list = lines
        .iter()
        .map(|l| l.get().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    match lines {
        [_] => format!("line {list} is"),
        _ => format!("lines {list} are"),
    }
}

impl PurchaseOrderError {
    /// Where the problem is in the request body, as a JSON pointer (RFC 6901) relative to the
    /// command's object, or `None` when the refusal is about the order as a whole.
    pub fn pointer(&self) -> Option<String> {
        match self {
            Self::NoLines | Self::TooManyLines { .. } | Self::NothingReceived => {
                Some("/lines".to_owned())
            }
            Self::UnknownLine {
                index: Some(index), ..
            }
            | Self::LineListedTwice { index, .. }
            | Self::LineShortClosed { index, .. } => Some(format!("/lines/{index}/line")),
            Self::UnknownLine { index: None, .. } | Self::LineComplete { .. } => {
                Some("/line".to_owned())
            }
            Self::LineCurrency { index, .. } | Self::NegativeUnitPrice { index } => {
                Some(format!("/lines/{index}/unit_price"))
            }
            Self::LineDescription { index, .. } => Some(format!("/lines/{index}/description")),
            Self::NumberFromAnotherYear { .. } => Some("/number".to_owned()),
            Self::ReceiptInFuture { .. } | Self::ReceiptBeforeOrder { .. } => {
                Some("/received_on".to_owned())
            }
            Self::ReasonRequired => Some("/reason".to_owned()),
            Self::InvalidText { field, .. } => Some(format!("/{field}")),
            Self::NotDrafted
            | Self::AlreadyDrafted
            | Self::NotSent
            | Self::AlreadySent { .. }
            | Self::Closed { .. }
            | Self::Cancelled { .. }
            | Self::AmendAfterReceipt { .. }
            | Self::AmendAfterShortClose { .. }
            | Self::CancelAfterReceipt { .. }
            | Self::ReceiptIdReused { .. }
            | Self::NotComplete { .. }
            | Self::NoReceipts
            | Self::QuantityTooLarge => None,
        }
    }
}
