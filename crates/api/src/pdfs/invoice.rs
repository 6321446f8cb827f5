//! Invoices and their notes: a PDF when the invoice or a note is issued, and a new version of
//! it once LHDN has validated it (with the QR code).

use chrono::{DateTime, Utc};
use niaga_domain::{
    PdfKind,
    ids::NoteId,
    invoice::{EInvoiceStage, Invoice, InvoiceCommand, InvoiceEvent, InvoiceRecord, NoteKind},
};
use niaga_pdf::{InvoiceDocument, Issue, LhdnValidation, NoteDocument};
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
    let note = match &decoded::<InvoiceEvent>(event)? {
        InvoiceEvent::InvoiceIssued(_) | InvoiceEvent::InvoiceValidatedByLhdn(_) => None,
        InvoiceEvent::CreditNoteIssued(e)
        | InvoiceEvent::DebitNoteIssued(e)
        | InvoiceEvent::RefundNoteIssued(e) => Some(e.note_id),
        InvoiceEvent::NoteValidatedByLhdn(e) => Some(e.note_id),
        InvoiceEvent::InvoiceDrafted(_)
        | InvoiceEvent::InvoiceDraftAmended(_)
        | InvoiceEvent::PaymentRecorded(_)
        | InvoiceEvent::InvoiceVoided(_)
        | InvoiceEvent::InvoiceCancelled(_)
        | InvoiceEvent::EInvoiceSubmissionStarted(_)
        | InvoiceEvent::EInvoiceAccepted(_)
        | InvoiceEvent::EInvoiceRejected(_)
        | InvoiceEvent::EInvoiceResubmissionRequested(_)
        | InvoiceEvent::EInvoiceHeld(_)
        | InvoiceEvent::IndividualEInvoiceRequested(_)
        | InvoiceEvent::InvoiceConsolidated(_)
        | InvoiceEvent::InvoicePdfIssued(_) => return Ok(false),
    };
    let invoice: Invoice = state_at(state, &event.stream.stream_id, event.version).await?;
    let Some(r) = invoice.drafted() else {
        return Err(PdfIssueError::Corrupt(format!(
            "invoice {} has no draft",
            &event.stream.stream_id
        )));
    };
    match note {
        None => invoice_pdf(state, r, event).await,
        Some(note_id) => note_pdf(state, r, note_id, event).await,
    }
}

/// LHDN's validation of the invoice (`note: None`) or of one of its notes, for the QR block.
fn lhdn(state: &AppState, r: &InvoiceRecord, note: Option<NoteId>) -> Option<LhdnValidation> {
    let validation = |uuid: &String, long_id: &String, at: DateTime<Utc>| LhdnValidation {
        url: state.validation_link(uuid, long_id),
        document_uuid: uuid.clone(),
        validated_at: at,
    };
    match note {
        None => r
            .lhdn
            .as_ref()
            .map(|v| validation(&v.document_uuid, &v.long_id, v.validated_at)),
        Some(id) => match r.einvoice(Some(id)).map(|e| &e.stage) {
            Some(EInvoiceStage::Validated {
                document_uuid,
                long_id,
                validated_at,
            }) => Some(validation(document_uuid, long_id, *validated_at)),
            Some(
                EInvoiceStage::Submitting { .. }
                | EInvoiceStage::Accepted { .. }
                | EInvoiceStage::Rejected { .. }
                | EInvoiceStage::ResubmissionRequested { .. }
                | EInvoiceStage::Held { .. },
            )
            | None => None,
        },
    }
}

async fn invoice_pdf(
    state: &AppState,
    r: &InvoiceRecord,
    event: &RecordedEvent,
) -> Result<bool, PdfIssueError> {
    let Some(issuance) = &r.issue else {
        return Err(PdfIssueError::Corrupt(format!(
            "invoice {} is not issued",
            r.id
        )));
    };
    let in_words = state.pdf_settings().amount_in_words;
    let document = InvoiceDocument {
        issue: Issue {
            number: issuance.number.to_string(),
            at: issuance.issued_at,
        },
        issued_on: issuance.issued_on,
        due_on: issuance.due_on,
        payment_terms: format!("Net {} days", r.payment_terms.days()),
        customer: convert::party(state, r.customer_id, issuance.issued_at).await?,
        customer_reference: r.customer_reference.clone(),
        currency: r.currency.as_str().to_owned(),
        lines: convert::lines(&r.lines),
        totals: convert::totals(&r.totals),
        amount_in_words: in_words,
        lhdn: lhdn(state, r, None),
    };
    let subject = PdfSubject {
        kind: PdfKind::Invoice,
        document_id: *r.id.as_uuid(),
        version: event.version,
        issued_on: issuance.issued_on,
    };
    issue::<Invoice>(
        state,
        event,
        subject,
        move |letterhead| niaga_pdf::render_invoice(letterhead, &document),
        InvoiceCommand::RecordPdf,
    )
    .await
}

async fn note_pdf(
    state: &AppState,
    r: &InvoiceRecord,
    note_id: NoteId,
    event: &RecordedEvent,
) -> Result<bool, PdfIssueError> {
    let Some(note) = r.notes.iter().find(|n| n.id == note_id) else {
        return Err(PdfIssueError::Corrupt(format!(
            "invoice {} has no note {note_id}",
            r.id
        )));
    };
    let (kind, pdf_kind) = match note.kind {
        NoteKind::Credit => (niaga_pdf::NoteKind::Credit, PdfKind::CreditNote),
        NoteKind::Debit => (niaga_pdf::NoteKind::Debit, PdfKind::DebitNote),
        NoteKind::Refund => (niaga_pdf::NoteKind::Refund, PdfKind::RefundNote),
    };
    let in_words = state.pdf_settings().amount_in_words;
    let document = NoteDocument {
        kind,
        issue: Issue {
            number: note.number.to_string(),
            at: note.issued_at,
        },
        issued_on: note.issued_on,
        invoice_number: r.number().map(ToString::to_string).unwrap_or_default(),
        reason: note.reason.clone(),
        customer: convert::party(state, r.customer_id, note.issued_at).await?,
        currency: r.currency.as_str().to_owned(),
        lines: convert::lines(&note.lines),
        totals: convert::totals(&note.totals),
        amount_in_words: in_words,
        lhdn: lhdn(state, r, Some(note.id)),
    };
    let subject = PdfSubject {
        kind: pdf_kind,
        document_id: *note.id.as_uuid(),
        version: event.version,
        issued_on: note.issued_on,
    };
    issue::<Invoice>(
        state,
        event,
        subject,
        move |letterhead| niaga_pdf::render_note(letterhead, &document),
        InvoiceCommand::RecordPdf,
    )
    .await
}
