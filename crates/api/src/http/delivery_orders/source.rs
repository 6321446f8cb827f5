//! The document a delivery order is made from: its customer, its lines (what goes on the
//! lorry, without prices) and the reference the customer knows it by.

use niaga_domain::{
    delivery_order::{DeliveryLine, DeliveryOrderSource},
    ids::{InvoiceId, QuotationId, RentalId},
    invoice::Invoice,
    quotation::Quotation,
    rental::Rental,
    values::{Quantity, UnitCode},
};
use uuid::Uuid;

use super::body::{SourceBody, SourceKind};
use crate::{
    app::AppState,
    error::{ApiError, Result},
};

/// What a delivery order copies from its source.
pub(super) struct Source {
    pub source: DeliveryOrderSource,
    pub customer_id: Uuid,
    pub lines: Vec<DeliveryLine>,
}

fn unknown(kind: &str) -> ApiError {
    ApiError::field("/source/id", format!("no {kind} has this id"))
}

/// Loads the source document and copies its lines. A missing, voided or empty source is a
/// field error at `/source/id`.
pub(super) async fn load(state: &AppState, body: &SourceBody) -> Result<Source> {
    let id = body.id.to_string();
    match body.kind {
        SourceKind::Invoice => {
            let loaded = state.commands::<Invoice>().load(&id).await?;
            let Some(invoice) = loaded.as_ref().and_then(|(i, _)| i.drafted()) else {
                return Err(unknown("invoice"));
            };
            if invoice.voiding.is_some() || invoice.cancellation.is_some() {
                return Err(ApiError::field(
                    "/source/id",
                    "the invoice was voided or cancelled: nothing to deliver",
                ));
            }
            Ok(Source {
                source: DeliveryOrderSource::Invoice(InvoiceId::from_uuid(body.id)),
                customer_id: *invoice.customer_id.as_uuid(),
                lines: priced_lines(&invoice.lines),
            })
        }
        SourceKind::Quotation => {
            let loaded = state.commands::<Quotation>().load(&id).await?;
            let Some(quotation) = loaded.as_ref().and_then(|(q, _)| q.drafted()) else {
                return Err(unknown("quotation"));
            };
            // The accepted revision if there is one: what the customer ordered.
            let revision = quotation
                .acceptance
                .as_ref()
                .and_then(|a| quotation.revision(a.revision))
                .unwrap_or(&quotation.current);
            Ok(Source {
                source: DeliveryOrderSource::Quotation(QuotationId::from_uuid(body.id)),
                customer_id: *quotation.customer_id.as_uuid(),
                lines: priced_lines(&revision.lines),
            })
        }
        SourceKind::Rental => {
            let loaded = state.commands::<Rental>().load(&id).await?;
            let Some(rental) = loaded.as_ref().and_then(|(r, _)| r.reserved()) else {
                return Err(unknown("rental"));
            };
            let piece = UnitCode::parse("H87").map_err(ApiError::internal)?;
            let one = Quantity::parse("1").map_err(ApiError::internal)?;
            // The units still to go out or out now; those back need no delivery.
            let lines: Vec<DeliveryLine> = rental
                .units_not_back()
                .map(|u| DeliveryLine {
                    description: u.unit.label(),
                    quantity: one,
                    unit: piece.clone(),
                    serials: vec![u.unit.serial.clone()],
                })
                .collect();
            if lines.is_empty() {
                return Err(ApiError::field(
                    "/source/id",
                    "every unit of the rental is back: nothing to deliver",
                ));
            }
            Ok(Source {
                source: DeliveryOrderSource::RentalCheckOut(RentalId::from_uuid(body.id)),
                customer_id: *rental.customer_id.as_uuid(),
                lines,
            })
        }
    }
}

fn priced_lines(lines: &[niaga_domain::billing::Line]) -> Vec<DeliveryLine> {
    lines
        .iter()
        .map(|line| DeliveryLine {
            description: line.description().to_owned(),
            quantity: line.quantity(),
            unit: line.unit().clone(),
            serials: Vec::new(),
        })
        .collect()
}
