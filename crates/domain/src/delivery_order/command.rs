//! What can be asked of a delivery order. Fields are already-parsed values; the delivery
//! order id and every signature link id are made by the caller, so a retry carries the same.
//!
//! Signing and refusing come from the customer's *public* signature page: the caller hashes
//! the token from the link (SHA-256) and sends only the hash, with the instant the page
//! was submitted.

use std::net::IpAddr;

use chrono::{DateTime, NaiveDate, Utc};

use super::{DeliveryLine, DeliveryOrderSource};
use crate::ids::{CustomerId, DeliveryOrderId, SignatureLinkId};
use crate::values::{Address, Name, Sha256Hex};

/// A command to the DeliveryOrder aggregate.
#[derive(Debug, Clone, PartialEq)]
pub enum DeliveryOrderCommand {
    Create(CreateDeliveryOrder),
    Dispatch(DispatchDeliveryOrder),
    IssueSignatureLink(IssueSignatureLink),
    Sign(SignDeliveryOrder),
    RefuseSignature(RefuseSignature),
    Cancel(CancelDeliveryOrder),
    /// Records the PDF issued for a version of the document (the PDF issuer's command):
    /// nothing new when it is recorded already.
    RecordPdf(crate::PdfIssued),
}

/// Creates a delivery order from the document it delivers (the caller copies the lines
/// from it and checks it belongs to the customer).
#[derive(Debug, Clone, PartialEq)]
pub struct CreateDeliveryOrder {
    pub id: DeliveryOrderId,
    pub source: DeliveryOrderSource,
    pub customer_id: CustomerId,
    pub delivery_address: Address,
    /// 1 to 200 lines; unit serials only on a rental's delivery order.
    pub lines: Vec<DeliveryLine>,
}

/// Records that the goods left, on `dispatched_on` (today or earlier).
#[derive(Debug, Clone, PartialEq)]
pub struct DispatchDeliveryOrder {
    pub dispatched_on: NaiveDate,
    pub driver: Option<Name>,
    /// The vehicle's registration, one line of at most 20 characters.
    pub vehicle: Option<String>,
}

/// Issues a link for the customer to sign the dispatched delivery order. The caller makes
/// a random token, sends it in the link and passes only its SHA-256 here. Any earlier link
/// not used yet is revoked.
#[derive(Debug, Clone, PartialEq)]
pub struct IssueSignatureLink {
    pub link_id: SignatureLinkId,
    pub token_sha256: Sha256Hex,
    /// After now, and at most 30 days ahead. The link works strictly before this instant.
    pub expires_at: DateTime<Utc>,
}

/// The customer signs on the public page.
#[derive(Debug, Clone, PartialEq)]
pub struct SignDeliveryOrder {
    pub token_sha256: Sha256Hex,
    /// When the page was submitted, read at the edge.
    pub at: DateTime<Utc>,
    pub signer_name: Name,
    pub client_ip: IpAddr,
    /// As the browser sent it; at most 500 characters.
    pub user_agent: String,
    pub signature_image_sha256: Sha256Hex,
    /// The SHA-256 of the PDF shown to the signer: what they signed.
    pub document_sha256: Sha256Hex,
}

/// The customer refuses to sign on the public page (goods damaged, short, wrong), saying
/// why. The link is used up; staff may issue another once it is sorted out.
#[derive(Debug, Clone, PartialEq)]
pub struct RefuseSignature {
    pub token_sha256: Sha256Hex,
    pub at: DateTime<Utc>,
    pub reason: String,
}

/// Cancels the delivery order before dispatch, for a reason.
#[derive(Debug, Clone, PartialEq)]
pub struct CancelDeliveryOrder {
    pub reason: String,
}
