//! Why a delivery order command is refused.

use chrono::{DateTime, NaiveDate, Utc};

use crate::equipment::SerialNumber;
use crate::values::TextProblem;

/// A refusal of the DeliveryOrder aggregate; the API answers it with a 4xx.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeliveryOrderError {
    #[error("this delivery order does not exist")]
    NotCreated,
    #[error("this delivery order already exists")]
    AlreadyCreated,
    #[error("a delivery order has at least one line")]
    NoLines,
    #[error("a delivery order has at most {max} lines")]
    TooManyLines { max: usize },
    #[error("the description of line {} {problem}", .index + 1)]
    LineDescription { index: usize, problem: TextProblem },
    #[error("unit serials go only on a rental's delivery order")]
    SerialsOnlyForRentals { index: usize },
    #[error("unit {serial} is listed twice")]
    SerialListedTwice { index: usize, serial: SerialNumber },
    #[error("delivery order dispatched on {dispatched_on}: it can no longer be cancelled")]
    AlreadyDispatched { dispatched_on: NaiveDate },
    #[error("the goods cannot be dispatched on {dispatched_on}, after today ({today})")]
    DispatchInFuture {
        dispatched_on: NaiveDate,
        today: NaiveDate,
    },
    #[error(
        "the delivery order has not been dispatched: dispatch it before asking for a signature"
    )]
    NotDispatched,
    #[error("the delivery order is already signed: it can no longer change")]
    AlreadySigned,
    #[error("delivery order cancelled on {cancelled_on}: it can no longer change")]
    Cancelled { cancelled_on: NaiveDate },
    #[error("a signature link expires after now and at most {max_days} days ahead")]
    LinkExpiry {
        expires_at: DateTime<Utc>,
        max_days: i64,
    },
    #[error("signature link {link_id} was already issued with another token")]
    LinkIdReused {
        link_id: crate::ids::SignatureLinkId,
    },
    /// Whatever the reason, the public page says only this, so that the page reveals nothing
    /// about which links exist; `reason` is for the staff log.
    #[error("this signature link cannot be used")]
    LinkNotUsable { reason: LinkRefusal },
    #[error("say why: the reason is kept with the delivery order")]
    ReasonRequired,
    #[error("{field} {problem}")]
    InvalidText {
        field: &'static str,
        problem: TextProblem,
    },
}

/// Why a signature link could not be used: for the staff log only, never the public page.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, thiserror::Error,
)]
#[serde(rename_all = "snake_case")]
pub enum LinkRefusal {
    #[error("no link of this delivery order has this token")]
    Unknown,
    #[error("the link was revoked by a newer one")]
    Revoked,
    #[error("the link had expired")]
    Expired,
    #[error("the link was already used to sign or refuse")]
    AlreadyUsed,
}

impl DeliveryOrderError {
    /// Where the problem is in the request body, as a JSON pointer (RFC 6901) relative to the
    /// command's object, or `None` when the refusal is about the delivery order as a whole.
    /// A link refusal points nowhere: the public page must not tell one from another.
    pub fn pointer(&self) -> Option<String> {
        match self {
            Self::NoLines | Self::TooManyLines { .. } => Some("/lines".to_owned()),
            Self::LineDescription { index, .. } => Some(format!("/lines/{index}/description")),
            Self::SerialsOnlyForRentals { index } | Self::SerialListedTwice { index, .. } => {
                Some(format!("/lines/{index}/serials"))
            }
            Self::DispatchInFuture { .. } => Some("/dispatched_on".to_owned()),
            Self::LinkExpiry { .. } => Some("/expires_at".to_owned()),
            Self::ReasonRequired => Some("/reason".to_owned()),
            Self::InvalidText { field, .. } => Some(format!("/{field}")),
            Self::NotCreated
            | Self::AlreadyCreated
            | Self::AlreadyDispatched { .. }
            | Self::NotDispatched
            | Self::AlreadySigned
            | Self::Cancelled { .. }
            | Self::LinkIdReused { .. }
            | Self::LinkNotUsable { .. } => None,
        }
    }
}
