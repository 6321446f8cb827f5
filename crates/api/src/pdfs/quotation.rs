//! Quotations: a PDF of each revision as sent (the current revision when it went out).

use niaga_domain::{
    PdfKind,
    quotation::{Quotation, QuotationCommand, QuotationEvent},
};
use niaga_pdf::{Issue, QuotationDocument};
use niaga_store::RecordedEvent;

use super::{
    PdfIssueError, convert,
    issue::{PdfSubject, decoded, issue, state_at},
};
use crate::app::AppState;

/// Issues the PDF `event` calls for, if any; whether a PDF event was appended.
pub(crate) async fn on_event(
    state: &AppState,
    event: &RecordedEvent,
) -> Result<bool, PdfIssueError> {
    let sent = match decoded::<QuotationEvent>(event)? {
        QuotationEvent::QuotationSent(e) => e,
        QuotationEvent::QuotationDrafted(_)
        | QuotationEvent::QuotationLinesAmended(_)
        | QuotationEvent::QuotationValidityChanged(_)
        // A revision is a draft until it is sent: its PDF is made then.
        | QuotationEvent::QuotationRevised(_)
        | QuotationEvent::QuotationAccepted(_)
        | QuotationEvent::QuotationRejected(_)
        | QuotationEvent::QuotationExpired(_)
        | QuotationEvent::QuotationConverted(_)
        | QuotationEvent::QuotationPdfIssued(_) => return Ok(false),
    };
    let stream_id = &event.stream.stream_id;
    let quotation: Quotation = state_at(state, stream_id, event.version).await?;
    let Some(q) = quotation.drafted() else {
        return Err(PdfIssueError::Corrupt(format!(
            "quotation {stream_id} has no draft"
        )));
    };
    let in_words = state.pdf_settings().amount_in_words;
    let document = QuotationDocument {
        issue: Issue {
            number: q.number.with_revision(sent.revision),
            at: sent.sent_at,
        },
        sent_on: sent.sent_on,
        valid_until: sent.valid_until,
        customer: convert::party(state, q.customer_id, sent.sent_at).await?,
        attention: Some(sent.to.name.as_str().to_owned()),
        currency: q.currency.as_str().to_owned(),
        lines: convert::lines(&sent.lines),
        totals: convert::totals(&sent.totals),
        amount_in_words: in_words,
    };
    let subject = PdfSubject {
        kind: PdfKind::Quotation,
        document_id: *q.id.as_uuid(),
        version: event.version,
        issued_on: sent.sent_on,
    };
    issue::<Quotation>(
        state,
        event,
        subject,
        move |letterhead| niaga_pdf::render_quotation(letterhead, &document),
        QuotationCommand::RecordPdf,
    )
    .await
}
