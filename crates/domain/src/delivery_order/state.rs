//! What we know about a delivery order: the fold of its events.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{DeliveryLine, DeliveryOrderSigned, DeliveryOrderSource, LinkRefusal};
use crate::ids::{CustomerId, DeliveryOrderId, SignatureLinkId};
use crate::values::{Address, Name, Sha256Hex};

/// A delivery order, as the API returns it and a snapshot stores it. `NotCreated` is the
/// state of a stream with no events (the `Default`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum DeliveryOrder {
    #[default]
    NotCreated,
    /// Created, maybe dispatched, not signed yet.
    Open(Box<DeliveryOrderRecord>),
    Signed(Box<DeliveryOrderRecord>),
    Cancelled(Box<DeliveryOrderRecord>),
}

impl DeliveryOrder {
    pub fn record(&self) -> Option<&DeliveryOrderRecord> {
        match self {
            Self::NotCreated => None,
            Self::Open(r) | Self::Signed(r) | Self::Cancelled(r) => Some(r),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeliveryOrderRecord {
    pub id: DeliveryOrderId,
    pub source: DeliveryOrderSource,
    pub customer_id: CustomerId,
    pub delivery_address: Address,
    pub lines: Vec<DeliveryLine>,
    pub created_on: NaiveDate,
    /// When it was created: its PDFs address the customer as registered then.
    pub created_at: DateTime<Utc>,
    pub dispatch: Option<Dispatch>,
    /// Every link issued, in order.
    pub links: Vec<SignatureLink>,
    /// Every refusal, in order.
    pub refusals: Vec<Refusal>,
    pub signature: Option<DeliveryOrderSigned>,
    pub cancellation: Option<Cancellation>,
    /// Every PDF issued of this document, in order. Defaulted so that snapshots taken
    /// before PDFs were issued still load (they had none).
    #[serde(default)]
    pub pdfs: Vec<crate::PdfIssued>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dispatch {
    pub dispatched_on: NaiveDate,
    pub driver: Option<Name>,
    pub vehicle: Option<String>,
}

/// A signature link, by the digest of its token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureLink {
    pub id: SignatureLinkId,
    pub token_sha256: Sha256Hex,
    pub expires_at: DateTime<Utc>,
    pub issued_at: DateTime<Utc>,
    /// Revoked by the link issued after it.
    pub revoked: bool,
    /// Signed or refused through it.
    pub used: bool,
}

impl SignatureLink {
    /// Whether the customer may sign or refuse through it at `at`: not used, not revoked,
    /// and strictly before its expiry (at the expiry instant it is expired).
    pub fn usable_at(&self, at: DateTime<Utc>) -> Result<(), LinkRefusal> {
        if self.used {
            Err(LinkRefusal::AlreadyUsed)
        } else if self.revoked {
            Err(LinkRefusal::Revoked)
        } else if at >= self.expires_at {
            Err(LinkRefusal::Expired)
        } else {
            Ok(())
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    pub link_id: SignatureLinkId,
    pub refused_at: DateTime<Utc>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cancellation {
    pub reason: String,
    pub cancelled_on: NaiveDate,
}

/// Where a delivery order stands, for lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    Created,
    Dispatched,
    Signed,
    Cancelled,
}

impl DeliveryOrderRecord {
    pub fn link_by_token(&self, token_sha256: &Sha256Hex) -> Option<&SignatureLink> {
        self.links.iter().find(|l| &l.token_sha256 == token_sha256)
    }

    /// The last link issued, if it is still neither used nor revoked (it may have expired).
    pub fn live_link(&self) -> Option<&SignatureLink> {
        self.links.last().filter(|l| !l.used && !l.revoked)
    }

    pub fn status(&self) -> DeliveryStatus {
        match (&self.cancellation, &self.signature, &self.dispatch) {
            (Some(_), _, _) => DeliveryStatus::Cancelled,
            (None, Some(_), _) => DeliveryStatus::Signed,
            (None, None, Some(_)) => DeliveryStatus::Dispatched,
            (None, None, None) => DeliveryStatus::Created,
        }
    }
}
