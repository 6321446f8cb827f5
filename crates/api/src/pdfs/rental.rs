//! Rentals: a return receipt each time a unit comes back.

use niaga_domain::{
    PdfKind,
    rental::{Rental, RentalCommand, RentalEvent},
};
use niaga_pdf::{Issue, ReturnReceiptDocument, ReturnedUnit};
use niaga_store::RecordedEvent;

use super::{
    PdfIssueError, convert,
    issue::{PdfSubject, decoded, issue, state_at},
};
use crate::app::AppState;

/// Issues the return receipt when `event` is a unit checked in; whether a PDF event was
/// appended.
pub(crate) async fn on_event(
    state: &AppState,
    event: &RecordedEvent,
) -> Result<bool, PdfIssueError> {
    let returned = match decoded::<RentalEvent>(event)? {
        RentalEvent::RentalUnitCheckedIn(e) => e,
        RentalEvent::RentalReserved(_)
        | RentalEvent::RentalUnitCheckedOut(_)
        | RentalEvent::RentalReturnExtended(_)
        | RentalEvent::RentalDepositCollected(_)
        | RentalEvent::RentalDepositRetained(_)
        | RentalEvent::RentalDepositRefunded(_)
        | RentalEvent::RentalClosed(_)
        | RentalEvent::RentalCancelled(_)
        | RentalEvent::RentalOverdue(_)
        | RentalEvent::RentalLateFeeCharged(_)
        | RentalEvent::RentalLateFeeReversed(_)
        | RentalEvent::RentalLateFeesBilled(_)
        | RentalEvent::RentalReturnReceiptIssued(_) => return Ok(false),
    };
    let stream_id = &event.stream.stream_id;
    let rental: Rental = state_at(state, stream_id, event.version).await?;
    let Some(r) = rental.reserved() else {
        return Err(PdfIssueError::Corrupt(format!(
            "rental {stream_id} was not reserved"
        )));
    };
    let Some(unit) = r.unit(returned.unit_id) else {
        return Err(PdfIssueError::Corrupt(format!(
            "rental {stream_id} has no unit {}",
            returned.unit_id
        )));
    };
    // The n-th unit back names the receipt, so each return has a number of its own.
    let returns = r.units.iter().filter(|u| u.check_in.is_some()).count();
    let in_words = state.pdf_settings().amount_in_words;
    let document = ReturnReceiptDocument {
        issue: Issue {
            number: format!("{} / return {returns}", r.id),
            at: returned.recorded_at,
        },
        returned_on: returned.on,
        customer: convert::party(state, r.customer_id, returned.recorded_at).await?,
        currency: r.currency.as_str().to_owned(),
        units: vec![ReturnedUnit {
            description: unit.unit.label(),
            checked_out_on: unit.check_out.as_ref().map(|c| c.on),
            returned_on: returned.on,
            condition: returned.condition.to_string(),
            note: returned.note.clone(),
            days: returned.charge.days,
            rental_charge: returned.charge.amount.amount(),
            damage_charge: returned.damage_charge.amount(),
        }],
        still_out: r.units_out().map(|u| u.unit.label()).collect(),
        amount_in_words: in_words,
    };
    let subject = PdfSubject {
        kind: PdfKind::RentalReturnReceipt,
        document_id: *r.id.as_uuid(),
        version: event.version,
        issued_on: niaga_domain::business_day(returned.recorded_at),
    };
    issue::<Rental>(
        state,
        event,
        subject,
        move |letterhead| niaga_pdf::render_return_receipt(letterhead, &document),
        RentalCommand::RecordPdf,
    )
    .await
}
