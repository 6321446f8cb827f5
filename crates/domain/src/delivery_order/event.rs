//! What happened to a delivery order. Stored forever: never rename a variant or a field;
//! change a payload's shape only with a new schema version and an upcaster.

use std::net::IpAddr;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{DeliveryLine, DeliveryOrderSource};
use crate::DomainEvent;
use crate::ids::{CustomerId, DeliveryOrderId, SignatureLinkId};
use crate::values::{Address, Name, Sha256Hex};

/// An event of the DeliveryOrder stream. The variant name is the stored event type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum DeliveryOrderEvent {
    DeliveryOrderCreated(DeliveryOrderCreated),
    DeliveryOrderDispatched(DeliveryOrderDispatched),
    SignatureLinkIssued(SignatureLinkIssued),
    DeliveryOrderSigned(DeliveryOrderSigned),
    DeliverySignatureRefused(DeliverySignatureRefused),
    DeliveryOrderCancelled(DeliveryOrderCancelled),
    /// The PDF of a document of this stream was issued (stored, its digest recorded).
    DeliveryOrderPdfIssued(crate::PdfIssued),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryOrderCreated {
    pub delivery_order_id: DeliveryOrderId,
    pub source: DeliveryOrderSource,
    pub customer_id: CustomerId,
    pub delivery_address: Address,
    pub lines: Vec<DeliveryLine>,
    pub created_on: NaiveDate,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryOrderDispatched {
    pub dispatched_on: NaiveDate,
    pub driver: Option<Name>,
    pub vehicle: Option<String>,
    pub recorded_at: DateTime<Utc>,
}

/// A signature link was issued. Only the token's SHA-256 is kept: the token itself is in
/// the link the customer got, nowhere else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureLinkIssued {
    pub link_id: SignatureLinkId,
    pub token_sha256: Sha256Hex,
    pub expires_at: DateTime<Utc>,
    /// The earlier link, not used, that this one revokes.
    pub revoked_link: Option<SignatureLinkId>,
    pub issued_at: DateTime<Utc>,
}

/// The customer signed through `link_id`: who, from where, and the digests of what they
/// drew and what they were shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryOrderSigned {
    pub link_id: SignatureLinkId,
    pub signed_at: DateTime<Utc>,
    pub signer_name: Name,
    pub client_ip: IpAddr,
    pub user_agent: String,
    pub signature_image_sha256: Sha256Hex,
    pub document_sha256: Sha256Hex,
}

/// The customer refused to sign through `link_id`, for `reason`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliverySignatureRefused {
    pub link_id: SignatureLinkId,
    pub refused_at: DateTime<Utc>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryOrderCancelled {
    pub reason: String,
    pub cancelled_on: NaiveDate,
    pub cancelled_at: DateTime<Utc>,
}

impl DomainEvent for DeliveryOrderEvent {
    fn event_type(&self) -> &'static str {
        match self {
            Self::DeliveryOrderCreated(_) => "DeliveryOrderCreated",
            Self::DeliveryOrderDispatched(_) => "DeliveryOrderDispatched",
            Self::SignatureLinkIssued(_) => "SignatureLinkIssued",
            Self::DeliveryOrderSigned(_) => "DeliveryOrderSigned",
            Self::DeliverySignatureRefused(_) => "DeliverySignatureRefused",
            Self::DeliveryOrderCancelled(_) => "DeliveryOrderCancelled",
            Self::DeliveryOrderPdfIssued(_) => "DeliveryOrderPdfIssued",
        }
    }
}
