//! Each document of an invoice stream (the invoice itself and each note) on its way to LHDN
//! as an e-invoice. The invoice's own rules come first (issued, not cancelled, a note only
//! once its invoice is valid, not the invoice of a sale left to the month's consolidated
//! e-invoice); the submission's are [`crate::einvoice`]'s, shared with consolidated
//! e-invoices.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{
    DocumentNumber, EInvoiceAccepted, EInvoiceChoice, EInvoiceHeld, EInvoiceRejected,
    EInvoiceResubmissionRequested, EInvoiceSubmissionStarted, HoldEInvoiceSubmission, InvoiceError,
    InvoiceEvent, InvoiceRecord, RecordEInvoiceAcceptance, RecordEInvoiceRejection,
    RequestEInvoiceResubmission, StartEInvoiceSubmission,
};
use crate::Ctx;
use crate::einvoice::{
    self, EInvoiceStage, HoldSubmission, RecordAcceptance, RecordRejection, StartSubmission,
    SubmissionError, Track,
};
use crate::ids::NoteId;

/// Where one document stands with LHDN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EInvoice {
    /// `None`: the invoice itself.
    pub note_id: Option<NoteId>,
    /// How many submissions were started.
    pub attempts: u32,
    pub stage: EInvoiceStage,
}

impl EInvoice {
    pub fn track(&self) -> Track<'_> {
        Track {
            attempts: self.attempts,
            stage: &self.stage,
        }
    }
}

impl InvoiceRecord {
    /// Where the invoice (`None`) or one of its notes stands with LHDN; `None` if it was
    /// never submitted.
    pub fn einvoice(&self, note_id: Option<NoteId>) -> Option<&EInvoice> {
        self.einvoices.iter().find(|e| e.note_id == note_id)
    }

    fn track(&self, note_id: Option<NoteId>) -> Option<Track<'_>> {
        self.einvoice(note_id).map(EInvoice::track)
    }

    /// Records the document's new stage; `new_attempt` when a submission starts.
    pub(super) fn record_einvoice_stage(
        &mut self,
        note_id: Option<NoteId>,
        stage: EInvoiceStage,
        new_attempt: bool,
    ) {
        let attempt = u32::from(new_attempt);
        match self.einvoices.iter_mut().find(|e| e.note_id == note_id) {
            Some(einvoice) => {
                einvoice.attempts += attempt;
                einvoice.stage = stage;
            }
            None => self.einvoices.push(EInvoice {
                note_id,
                attempts: attempt,
                stage,
            }),
        }
    }

    /// The number and issue instant of the invoice (`None`) or of its note `note_id`, once
    /// issued.
    pub fn document_issue(
        &self,
        note_id: Option<NoteId>,
    ) -> Option<(&DocumentNumber, DateTime<Utc>)> {
        match note_id {
            None => self.issue.as_ref().map(|i| (&i.number, i.issued_at)),
            Some(id) => self.note(id).map(|n| (&n.number, n.issued_at)),
        }
    }
}

/// [`InvoiceRecord::document_issue`], or why there is no such issued document.
pub(super) fn document(
    r: &InvoiceRecord,
    note_id: Option<NoteId>,
) -> Result<(DocumentNumber, DateTime<Utc>), InvoiceError> {
    match (r.document_issue(note_id), note_id) {
        (Some((number, at)), _) if r.issue.is_some() => Ok((number.clone(), at)),
        (None, Some(note_id)) if r.issue.is_some() => Err(InvoiceError::NoSuchNote { note_id }),
        _ => Err(InvoiceError::NotIssued),
    }
}

impl InvoiceError {
    /// The shared submission rules' refusal, for the document `number` of this stream.
    pub(super) fn submission(number: DocumentNumber, refusal: SubmissionError) -> Self {
        match refusal {
            SubmissionError::UnderWay { attempt } => Self::SubmissionUnderWay { number, attempt },
            SubmissionError::AlreadyValidated { document_uuid } => {
                Self::AlreadyValidated { document_uuid }
            }
            SubmissionError::WindowClosed { closed_at } => {
                Self::SubmissionWindowClosed { number, closed_at }
            }
            SubmissionError::BadDocumentHash => Self::BadDocumentHash,
            SubmissionError::NoSuchSubmission { attempt } => {
                Self::NoSuchSubmission { number, attempt }
            }
            SubmissionError::AcceptedAsAnother { document_uuid } => {
                Self::AcceptedAsAnother { document_uuid }
            }
            SubmissionError::NotRejected => Self::NotRejectedByLhdn { number },
            SubmissionError::InvalidText { field, problem } => Self::InvalidText { field, problem },
        }
    }
}

pub(super) fn start(
    r: &InvoiceRecord,
    c: &StartEInvoiceSubmission,
    ctx: &Ctx,
) -> Result<Vec<InvoiceEvent>, InvoiceError> {
    let (number, issued_at) = document(r, c.note_id)?;
    if r.cancellation.is_some() {
        return Err(InvoiceError::Cancelled { number });
    }
    // The buyer wanted no e-invoice: the sale goes to LHDN in the month's consolidated
    // e-invoice, never on its own (LHDN.md §2.8).
    if c.note_id.is_none() && r.einvoice_choice() == EInvoiceChoice::Consolidated {
        return Err(InvoiceError::LeftToConsolidation { number });
    }
    // LHDN's referenced-document rule: a note must name a valid invoice's UUID.
    if c.note_id.is_some() && r.lhdn.is_none() {
        let invoice = r.number().cloned().unwrap_or(number);
        return Err(InvoiceError::InvoiceNotValidated { invoice });
    }
    let start = StartSubmission {
        document_hash: c.document_hash.clone(),
        signed_copy: c.signed_copy,
    };
    let started = einvoice::start(r.track(c.note_id), issued_at, &start, ctx.now)
        .map_err(|refusal| InvoiceError::submission(number, refusal))?;
    Ok(vec![InvoiceEvent::EInvoiceSubmissionStarted(
        EInvoiceSubmissionStarted {
            note_id: c.note_id,
            started,
        },
    )])
}

pub(super) fn accept(
    r: &InvoiceRecord,
    c: &RecordEInvoiceAcceptance,
    ctx: &Ctx,
) -> Result<Vec<InvoiceEvent>, InvoiceError> {
    let (number, _) = document(r, c.note_id)?;
    let acceptance = RecordAcceptance {
        attempt: c.attempt,
        submission_uid: c.submission_uid.clone(),
        document_uuid: c.document_uuid.clone(),
    };
    let accepted = einvoice::accept(r.track(c.note_id), &acceptance, ctx.now)
        .map_err(|refusal| InvoiceError::submission(number, refusal))?;
    let note_id = c.note_id;
    Ok(accepted
        .map(|accepted| InvoiceEvent::EInvoiceAccepted(EInvoiceAccepted { note_id, accepted }))
        .into_iter()
        .collect())
}

pub(super) fn reject(
    r: &InvoiceRecord,
    c: &RecordEInvoiceRejection,
    ctx: &Ctx,
) -> Result<Vec<InvoiceEvent>, InvoiceError> {
    let (number, _) = document(r, c.note_id)?;
    let rejection = RecordRejection {
        attempt: c.attempt,
        document_uuid: c.document_uuid.clone(),
        problems: c.problems.clone(),
    };
    let rejected = einvoice::reject(r.track(c.note_id), &rejection, ctx.now)
        .map_err(|refusal| InvoiceError::submission(number, refusal))?;
    let note_id = c.note_id;
    Ok(rejected
        .map(|rejected| InvoiceEvent::EInvoiceRejected(EInvoiceRejected { note_id, rejected }))
        .into_iter()
        .collect())
}

pub(super) fn request_resubmission(
    r: &InvoiceRecord,
    c: &RequestEInvoiceResubmission,
    ctx: &Ctx,
) -> Result<Vec<InvoiceEvent>, InvoiceError> {
    let (number, _) = document(r, c.note_id)?;
    let asked = einvoice::may_resubmit(r.track(c.note_id))
        .map_err(|refusal| InvoiceError::submission(number.clone(), refusal))?;
    if !asked {
        return Ok(vec![]);
    }
    if r.cancellation.is_some() {
        return Err(InvoiceError::Cancelled { number });
    }
    Ok(vec![InvoiceEvent::EInvoiceResubmissionRequested(
        EInvoiceResubmissionRequested {
            note_id: c.note_id,
            requested_at: ctx.now,
        },
    )])
}

pub(super) fn hold(
    r: &InvoiceRecord,
    c: &HoldEInvoiceSubmission,
    ctx: &Ctx,
) -> Result<Vec<InvoiceEvent>, InvoiceError> {
    let (number, _) = document(r, c.note_id)?;
    // A cancelled invoice is off the work list already: nothing to hold.
    if r.cancellation.is_some() {
        return Err(InvoiceError::Cancelled { number });
    }
    let hold = HoldSubmission {
        problems: c.problems.clone(),
    };
    let held = einvoice::hold(r.track(c.note_id), &hold, ctx.now)
        .map_err(|refusal| InvoiceError::submission(number, refusal))?;
    let note_id = c.note_id;
    Ok(held
        .map(|held| InvoiceEvent::EInvoiceHeld(EInvoiceHeld { note_id, held }))
        .into_iter()
        .collect())
}
