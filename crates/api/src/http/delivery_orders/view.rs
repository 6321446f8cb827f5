//! What the delivery order routes answer: a delivery order as its stream tells it, and list
//! rows from the read model.

use chrono::{DateTime, NaiveDate, Utc};
use niaga_domain::delivery_order::{
    DeliveryLine, DeliveryOrderRecord, DeliveryStatus, SignatureLink,
};
use niaga_projections::delivery_orders::{DeliveryOrderSummary, source_parts};
use serde::Serialize;
use utoipa::ToSchema;

use crate::http::customers::{AddressBody, address_view};
use crate::http::documents::{DocumentLink, document_links};

/// The document delivered.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SourceView {
    /// `invoice`, `quotation` or `rental`.
    kind: &'static str,
    id: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct LineView {
    description: String,
    #[schema(value_type = String, example = "2")]
    quantity: String,
    /// UN/ECE unit code (`H87` piece).
    unit: String,
    /// Rental units' serials.
    serials: Vec<String>,
}

impl From<&DeliveryLine> for LineView {
    fn from(l: &DeliveryLine) -> Self {
        Self {
            description: l.description.clone(),
            quantity: l.quantity.value().normalize().to_string(),
            unit: l.unit.as_str().to_owned(),
            serials: l.serials.iter().map(|s| s.as_str().to_owned()).collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct DispatchView {
    dispatched_on: NaiveDate,
    driver: Option<String>,
    vehicle: Option<String>,
}

/// A signature link, without its token (which only the link itself carries).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct LinkView {
    link_id: String,
    issued_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    /// `usable`, `expired`, `revoked` or `used`.
    status: &'static str,
}

impl LinkView {
    fn new(l: &SignatureLink, now: DateTime<Utc>) -> Self {
        Self {
            link_id: l.id.to_string(),
            issued_at: l.issued_at,
            expires_at: l.expires_at,
            status: match l.usable_at(now) {
                Ok(()) => "usable",
                Err(niaga_domain::delivery_order::LinkRefusal::Expired) => "expired",
                Err(niaga_domain::delivery_order::LinkRefusal::Revoked) => "revoked",
                Err(_) => "used",
            },
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RefusalView {
    link_id: String,
    refused_at: DateTime<Utc>,
    reason: String,
}

/// The evidence of the signature.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SignatureView {
    signed_at: DateTime<Utc>,
    signer_name: String,
    client_ip: String,
    user_agent: String,
    signature_image_sha256: String,
    /// What the signer was shown: the SHA-256 of the delivery order PDF the signature page
    /// offered (kept in the document store as `delivery_order_shown_pdf`).
    document_sha256: String,
    /// `GET /documents/{id}` serves the signature image (PNG).
    signature_image_document_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CancellationView {
    reason: String,
    cancelled_on: NaiveDate,
}

/// A delivery order with its lines, dispatch, links, refusals and signature.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct DeliveryOrderView {
    id: String,
    version: u64,
    /// `created`, `dispatched`, `signed` or `cancelled`.
    status: &'static str,
    source: SourceView,
    customer_id: String,
    delivery_address: AddressBody,
    lines: Vec<LineView>,
    created_on: NaiveDate,
    dispatch: Option<DispatchView>,
    links: Vec<LinkView>,
    refusals: Vec<RefusalView>,
    signature: Option<SignatureView>,
    cancellation: Option<CancellationView>,
    /// The PDFs issued of it, oldest first (`GET` each `href`).
    documents: Vec<DocumentLink>,
}

pub(crate) fn status_word(status: DeliveryStatus) -> &'static str {
    match status {
        DeliveryStatus::Created => "created",
        DeliveryStatus::Dispatched => "dispatched",
        DeliveryStatus::Signed => "signed",
        DeliveryStatus::Cancelled => "cancelled",
    }
}

impl DeliveryOrderView {
    /// `image_document` is the stored signature image's key, if it is stored.
    pub(crate) fn new(
        r: &DeliveryOrderRecord,
        version: u64,
        now: DateTime<Utc>,
        image_document: Option<String>,
    ) -> Self {
        let (kind, id) = source_parts(&r.source);
        Self {
            id: r.id.to_string(),
            version,
            status: status_word(r.status()),
            source: SourceView { kind, id },
            customer_id: r.customer_id.to_string(),
            delivery_address: address_view(&r.delivery_address),
            lines: r.lines.iter().map(LineView::from).collect(),
            created_on: r.created_on,
            dispatch: r.dispatch.as_ref().map(|d| DispatchView {
                dispatched_on: d.dispatched_on,
                driver: d.driver.as_ref().map(|n| n.as_str().to_owned()),
                vehicle: d.vehicle.clone(),
            }),
            links: r.links.iter().map(|l| LinkView::new(l, now)).collect(),
            refusals: r
                .refusals
                .iter()
                .map(|f| RefusalView {
                    link_id: f.link_id.to_string(),
                    refused_at: f.refused_at,
                    reason: f.reason.clone(),
                })
                .collect(),
            signature: r.signature.as_ref().map(|s| SignatureView {
                signed_at: s.signed_at,
                signer_name: s.signer_name.as_str().to_owned(),
                client_ip: s.client_ip.to_string(),
                user_agent: s.user_agent.clone(),
                signature_image_sha256: s.signature_image_sha256.as_str().to_owned(),
                document_sha256: s.document_sha256.as_str().to_owned(),
                signature_image_document_id: image_document,
            }),
            cancellation: r.cancellation.as_ref().map(|c| CancellationView {
                reason: c.reason.clone(),
                cancelled_on: c.cancelled_on,
            }),
            documents: document_links(&r.pdfs),
        }
    }
}

/// One delivery order of the list.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct DeliveryOrderListItem {
    id: String,
    customer_id: String,
    customer_name: Option<String>,
    source: SourceView,
    /// `created`, `dispatched`, `signed` or `cancelled`.
    status: String,
    lines: i64,
    created_on: String,
    dispatched_on: Option<String>,
    signed_at: Option<String>,
    /// When the link that may still be used expires.
    link_expires_at: Option<String>,
    refusals: i64,
    /// The global position of the latest event applied to this row.
    position: i64,
}

impl From<DeliveryOrderSummary> for DeliveryOrderListItem {
    fn from(d: DeliveryOrderSummary) -> Self {
        let kind = match d.source_kind.as_str() {
            "invoice" => "invoice",
            "quotation" => "quotation",
            _ => "rental",
        };
        Self {
            id: d.delivery_order_id,
            customer_id: d.customer_id,
            customer_name: d.customer_name,
            source: SourceView {
                kind,
                id: d.source_id,
            },
            status: d.status,
            lines: d.lines,
            created_on: d.created_on,
            dispatched_on: d.dispatched_on,
            signed_at: d.signed_at,
            link_expires_at: d.link_expires_at,
            refusals: d.refusals,
            position: d.updated_position,
        }
    }
}
