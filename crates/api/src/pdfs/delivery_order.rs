//! Delivery orders: the copy shown on the signature page (its SHA-256 goes into the
//! signature's evidence), and the signed delivery order, with the signature image and the
//! evidence, issued once signed.

use niaga_documents::SIGNATURE_IMAGE;
use niaga_domain::{
    PdfIssued, PdfKind,
    delivery_order::{
        DeliveryOrder, DeliveryOrderCommand, DeliveryOrderEvent, DeliveryOrderRecord,
        DeliveryOrderSource,
    },
    invoice::Invoice,
    quotation::Quotation,
};
use niaga_pdf::{DeliveryOrderDocument, DeliveryOrderLine, Issue, SignatureEvidence};
use niaga_store::RecordedEvent;

use super::{
    PdfIssueError, convert,
    issue::{PdfSubject, decoded, issue, state_at, store_once},
    settings,
};
use crate::app::AppState;

/// What the delivery order delivers for, as printed: `Invoice INV-2026-000123`.
pub(crate) async fn source_label(
    state: &AppState,
    source: DeliveryOrderSource,
) -> Result<String, PdfIssueError> {
    let load_error = |e: &dyn std::fmt::Display| PdfIssueError::Record(e.to_string());
    Ok(match source {
        DeliveryOrderSource::Invoice(id) => {
            let number = state
                .commands::<Invoice>()
                .load(&id.to_string())
                .await
                .map_err(|e| load_error(&e))?
                .and_then(|(i, _)| i.drafted().and_then(|i| i.number().map(|n| n.to_string())));
            format!("Invoice {}", number.unwrap_or_else(|| id.to_string()))
        }
        DeliveryOrderSource::Quotation(id) => {
            let number = state
                .commands::<Quotation>()
                .load(&id.to_string())
                .await
                .map_err(|e| load_error(&e))?
                .and_then(|(q, _)| q.drafted().map(|q| q.number.to_string()));
            format!("Quotation {}", number.unwrap_or_else(|| id.to_string()))
        }
        DeliveryOrderSource::RentalCheckOut(id) => format!("Rental {id}"),
    })
}

/// The delivery order as a document, signed or not.
async fn document(
    state: &AppState,
    r: &DeliveryOrderRecord,
    signature: Option<SignatureEvidence>,
) -> Result<DeliveryOrderDocument, PdfIssueError> {
    let dispatch = r.dispatch.as_ref().map(|d| {
        let mut text = d.dispatched_on.format("%-d %b %Y").to_string();
        if let Some(driver) = &d.driver {
            text.push_str(&format!(", driver {}", driver.as_str()));
        }
        if let Some(vehicle) = &d.vehicle {
            text.push_str(&format!(", vehicle {vehicle}"));
        }
        text
    });
    // The shown copy is dated by the order's day (it has no moment of its own), the signed
    // one by the signature.
    let at = signature.as_ref().map_or_else(
        || r.created_on.and_time(chrono::NaiveTime::MIN).and_utc(),
        |s| s.signed_at,
    );
    Ok(DeliveryOrderDocument {
        issue: Issue {
            number: r.id.to_string(),
            at,
        },
        created_on: r.created_on,
        source: source_label(state, r.source).await?,
        // As at its creation, on the copy shown for signature and the signed one alike, so
        // the shown copy of a version is the same bytes whenever its link is opened.
        customer: convert::party(state, r.customer_id, r.created_at).await?,
        delivery_address: convert::address_lines(&r.delivery_address),
        dispatch,
        lines: r
            .lines
            .iter()
            .map(|l| DeliveryOrderLine {
                description: l.description.clone(),
                quantity: format!(
                    "{} {}",
                    l.quantity.value().normalize(),
                    l.unit.name().unwrap_or(l.unit.as_str()).to_lowercase()
                ),
                serials: l.serials.iter().map(|s| s.as_str().to_owned()).collect(),
            })
            .collect(),
        signature,
    })
}

/// The PDF the signature page shows for the delivery order at `version`: rendered afresh
/// each time (the same bytes for the same version), stored only when signed.
pub(crate) async fn shown_pdf(
    state: &AppState,
    r: &DeliveryOrderRecord,
) -> Result<Vec<u8>, PdfIssueError> {
    let document = document(state, r, None).await?;
    let letterhead = settings::letterhead(state.company());
    Ok(tokio::task::spawn_blocking(move || {
        niaga_pdf::render_delivery_order(&letterhead, &document)
    })
    .await??)
}

/// Keeps `shown` ([`shown_pdf`] of the delivery order at `version`), the copy its signer
/// was shown, as the evidence of what they signed for; returns its record (whose digest the
/// signature event names). A copy kept already for that version stays as it is.
pub(crate) async fn keep_shown_pdf(
    state: &AppState,
    r: &DeliveryOrderRecord,
    version: u64,
    shown: Vec<u8>,
) -> Result<PdfIssued, PdfIssueError> {
    let subject = PdfSubject {
        kind: PdfKind::DeliveryOrderShown,
        document_id: *r.id.as_uuid(),
        version,
        issued_on: niaga_domain::business_day(state.clock().now()),
    };
    store_once(state, subject, move || Ok(shown)).await
}

/// Issues the signed delivery order's PDF when `event` is its signature; whether a PDF event
/// was appended.
pub(crate) async fn on_event(
    state: &AppState,
    event: &RecordedEvent,
) -> Result<bool, PdfIssueError> {
    let signed = match decoded::<DeliveryOrderEvent>(event)? {
        DeliveryOrderEvent::DeliveryOrderSigned(e) => e,
        DeliveryOrderEvent::DeliveryOrderCreated(_)
        | DeliveryOrderEvent::DeliveryOrderDispatched(_)
        | DeliveryOrderEvent::SignatureLinkIssued(_)
        | DeliveryOrderEvent::DeliverySignatureRefused(_)
        | DeliveryOrderEvent::DeliveryOrderCancelled(_)
        | DeliveryOrderEvent::DeliveryOrderPdfIssued(_) => return Ok(false),
    };
    let stream_id = &event.stream.stream_id;
    let order: DeliveryOrder = state_at(state, stream_id, event.version).await?;
    let Some(r) = order.record() else {
        return Err(PdfIssueError::Corrupt(format!(
            "delivery order {stream_id} was not created"
        )));
    };
    let image_sha256 = signed.signature_image_sha256.as_str();
    let image = state
        .documents()
        .for_document(SIGNATURE_IMAGE, stream_id)
        .await?
        .into_iter()
        .find(|d| d.sha256 == image_sha256)
        .ok_or_else(|| {
            PdfIssueError::Corrupt(format!(
                "delivery order {stream_id}: no signature image {image_sha256}"
            ))
        })?;
    let (_, image_png) = state.documents().get(image.key).await?;
    let evidence = SignatureEvidence {
        signer_name: signed.signer_name.as_str().to_owned(),
        signed_at: signed.signed_at,
        client_ip: signed.client_ip.to_string(),
        user_agent: signed.user_agent.clone(),
        image_png,
        image_sha256: image_sha256.to_owned(),
        shown_pdf_sha256: signed.document_sha256.as_str().to_owned(),
    };
    let document = document(state, r, Some(evidence)).await?;
    let subject = PdfSubject {
        kind: PdfKind::SignedDeliveryOrder,
        document_id: *r.id.as_uuid(),
        version: event.version,
        issued_on: niaga_domain::business_day(signed.signed_at),
    };
    issue::<DeliveryOrder>(
        state,
        event,
        subject,
        move |letterhead| niaga_pdf::render_delivery_order(letterhead, &document),
        DeliveryOrderCommand::RecordPdf,
    )
    .await
}
