//! Invoices and their notes: a PDF when the invoice is issued, one per note issued, and a
//! new version of the invoice's once LHDN has validated it (with the QR code).

use niaga_domain::{
    PdfKind,
    invoice::{Invoice, InvoiceCommand, InvoiceEvent, InvoiceRecord, NoteKind},
};
use niaga_pdf::{InvoiceDocument, Issue, LhdnValidation, NoteDocument};
use niaga_store::{RecordedEvent, decode};

use super::{
    PdfIssueError, convert,
    issue::{PdfSubject, record, state_at, store_once},
};
use crate::app::AppState;

/// Issues the PDF `event` calls for, if any; whether a PDF event was appended.
pub(crate) async fn on_event(
    state: &AppState,
    event: &RecordedEvent,
) -> Result<bool, PdfIssueError> {
    let decoded: InvoiceEvent = decode(event).map_err(|e| PdfIssueError::Corrupt(e.to_string()))?;
    let note = match &decoded {
        InvoiceEvent::InvoiceIssued(_) | InvoiceEvent::InvoiceValidatedByLhdn(_) => None,
        InvoiceEvent::CreditNoteIssued(e)
        | InvoiceEvent::DebitNoteIssued(e)
        | InvoiceEvent::RefundNoteIssued(e) => Some(e.note_id),
        InvoiceEvent::InvoiceDrafted(_)
        | InvoiceEvent::InvoiceDraftAmended(_)
        | InvoiceEvent::PaymentRecorded(_)
        | InvoiceEvent::InvoiceVoided(_)
        | InvoiceEvent::InvoiceCancelled(_)
        | InvoiceEvent::InvoicePdfIssued(_) => return Ok(false),
    };
    let invoice: Invoice = state_at(state, &event.stream.stream_id, event.version).await?;
    let Some(r) = invoice.drafted() else {
        return Err(PdfIssueError::Corrupt(format!(
            "invoice {} has no draft",
            &event.stream.stream_id
        )));
    };
    let pdf = match note {
        None => invoice_pdf(state, r, event.version).await?,
        Some(note_id) => note_pdf(state, r, note_id, event.version).await?,
    };
    record::<Invoice>(
        state,
        &event.stream.stream_id,
        InvoiceCommand::RecordPdf(pdf),
        event.event_id,
    )
    .await
}

fn lhdn(state: &AppState, r: &InvoiceRecord) -> Option<LhdnValidation> {
    r.lhdn.as_ref().map(|v| LhdnValidation {
        portal: state.pdf_settings().lhdn_portal.clone(),
        document_uuid: v.document_uuid.clone(),
        long_id: v.long_id.clone(),
        validated_at: v.validated_at,
    })
}

async fn invoice_pdf(
    state: &AppState,
    r: &InvoiceRecord,
    version: u64,
) -> Result<niaga_domain::PdfIssued, PdfIssueError> {
    let Some(issue) = &r.issue else {
        return Err(PdfIssueError::Corrupt(format!(
            "invoice {} is not issued",
            r.id
        )));
    };
    let settings = state.pdf_settings();
    let document = InvoiceDocument {
        issue: Issue {
            number: issue.number.to_string(),
            at: issue.issued_at,
        },
        issued_on: issue.issued_on,
        due_on: issue.due_on,
        payment_terms: format!("Net {} days", r.payment_terms.days()),
        customer: convert::party(state, r.customer_id).await?,
        customer_reference: r.customer_reference.clone(),
        currency: r.currency.as_str().to_owned(),
        lines: convert::lines(&r.lines),
        totals: convert::totals(&r.totals),
        amount_in_words: settings.amount_in_words,
        lhdn: lhdn(state, r),
    };
    let subject = PdfSubject {
        kind: PdfKind::Invoice,
        document_id: *r.id.as_uuid(),
        version,
        issued_on: issue.issued_on,
    };
    let letterhead = settings.letterhead.clone();
    store_once(state, subject, move || {
        niaga_pdf::render_invoice(&letterhead, &document)
    })
    .await
}

async fn note_pdf(
    state: &AppState,
    r: &InvoiceRecord,
    note_id: niaga_domain::ids::NoteId,
    version: u64,
) -> Result<niaga_domain::PdfIssued, PdfIssueError> {
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
    let settings = state.pdf_settings();
    let document = NoteDocument {
        kind,
        issue: Issue {
            number: note.number.to_string(),
            at: note.issued_at,
        },
        issued_on: note.issued_on,
        invoice_number: r.number().map(ToString::to_string).unwrap_or_default(),
        reason: note.reason.clone(),
        customer: convert::party(state, r.customer_id).await?,
        currency: r.currency.as_str().to_owned(),
        lines: convert::lines(&note.lines),
        totals: convert::totals(&note.totals),
        amount_in_words: settings.amount_in_words,
        // LHDN validates a note as its own document; its validation is not recorded yet.
        lhdn: None,
    };
    let subject = PdfSubject {
        kind: pdf_kind,
        document_id: *note.id.as_uuid(),
        version,
        issued_on: note.issued_on,
    };
    let letterhead = settings.letterhead.clone();
    store_once(state, subject, move || {
        niaga_pdf::render_note(&letterhead, &document)
    })
    .await
}
