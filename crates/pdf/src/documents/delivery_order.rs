//! The delivery order: as shown to the customer before signing, and as signed, with the
//! signature and the evidence of who signed, when and from where.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::LetterheadView;
use crate::{
    Issue, Letterhead, Party, PdfError, format,
    render::{Job, render},
};

/// A delivery order; `signature` is `None` for the copy shown on the signature page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryOrderDocument {
    pub issue: Issue,
    pub created_on: NaiveDate,
    /// What it delivers for (`Invoice INV-2026-000123`).
    pub source: String,
    pub customer: Party,
    pub delivery_address: Vec<String>,
    /// `30 Nov 2026, driver Ali, vehicle WXY 1234`, once dispatched.
    pub dispatch: Option<String>,
    pub lines: Vec<DeliveryOrderLine>,
    pub signature: Option<SignatureEvidence>,
}

/// A line as delivered: no prices on a delivery order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryOrderLine {
    pub description: String,
    /// `2 piece`.
    pub quantity: String,
    pub serials: Vec<String>,
}

/// The customer's signature and the evidence recorded with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureEvidence {
    pub signer_name: String,
    pub signed_at: DateTime<Utc>,
    pub client_ip: String,
    pub user_agent: String,
    /// The image as drawn on the page (PNG).
    pub image_png: Vec<u8>,
    pub image_sha256: String,
    /// The SHA-256 of the delivery order PDF the signer was shown.
    pub shown_pdf_sha256: String,
}

#[derive(Serialize)]
struct View<'a> {
    letterhead: LetterheadView<'a>,
    title: &'static str,
    number: &'a str,
    created_on: String,
    source: &'a str,
    customer: &'a Party,
    delivery_address: &'a [String],
    dispatch: Option<&'a str>,
    lines: Vec<LineView<'a>>,
    signature: Option<EvidenceView<'a>>,
}

#[derive(Serialize)]
struct LineView<'a> {
    description: &'a str,
    quantity: &'a str,
    serials: String,
}

#[derive(Serialize)]
struct EvidenceView<'a> {
    signer_name: &'a str,
    signed_at: String,
    client_ip: &'a str,
    user_agent: &'a str,
    image_sha256: &'a str,
    shown_pdf_sha256: &'a str,
}

/// The delivery order as an A4 PDF. Signed, it carries the signature image and an evidence
/// section; unsigned, a blank "received by" box.
pub fn render_delivery_order(
    letterhead: &Letterhead,
    d: &DeliveryOrderDocument,
) -> Result<Vec<u8>, PdfError> {
    let view = View {
        letterhead: LetterheadView::of(letterhead),
        title: "Delivery Order",
        number: &d.issue.number,
        created_on: format::day(d.created_on),
        source: &d.source,
        customer: &d.customer,
        delivery_address: &d.delivery_address,
        dispatch: d.dispatch.as_deref(),
        lines: d
            .lines
            .iter()
            .map(|l| LineView {
                description: &l.description,
                quantity: &l.quantity,
                serials: l.serials.join(", "),
            })
            .collect(),
        signature: d.signature.as_ref().map(|s| EvidenceView {
            signer_name: &s.signer_name,
            signed_at: format::time(s.signed_at),
            client_ip: &s.client_ip,
            user_agent: &s.user_agent,
            image_sha256: &s.image_sha256,
            shown_pdf_sha256: &s.shown_pdf_sha256,
        }),
    };
    let files = d
        .signature
        .as_ref()
        .map(|s| vec![("/signature.png", s.image_png.clone())])
        .unwrap_or_default();
    // The shown and the signed copies are different documents of one delivery order.
    let state = if d.signature.is_some() {
        "signed"
    } else {
        "shown"
    };
    render(Job {
        kind: "delivery order",
        template: include_str!("../../templates/delivery_order.typ"),
        data: &view,
        files,
        ident: format!("niaga/delivery-order/{}/{state}", d.issue.number),
        issued_at: d.issue.at,
    })
}
