//! Each document of an invoice stream (the invoice itself and each note) on its way to LHDN
//! as an e-invoice: submitted, accepted for validation, then validated or rejected.
//!
//! The rules here are what keeps one document from being accepted twice: a submission is
//! recorded as started before it is sent, and no new one may start while one is under way
//! or once the document is validated. The submitter reconciles an attempt left open by a
//! crash with LHDN instead of starting another.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{
    DocumentNumber, EInvoiceAccepted, EInvoiceRejected, EInvoiceResubmissionRequested,
    EInvoiceSubmissionStarted, InvoiceError, InvoiceEvent, InvoiceRecord, RecordEInvoiceAcceptance,
    RecordEInvoiceRejection, RequestEInvoiceResubmission, StartEInvoiceSubmission,
};
use crate::Ctx;
use crate::ids::NoteId;

/// LHDN refuses a document issued more than 72 hours before it is submitted (LHDN.md §1.14).
pub const SUBMISSION_WINDOW: TimeDelta = TimeDelta::hours(72);

/// One problem LHDN reported with a document, in its words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LhdnProblem {
    /// LHDN's code (`CF321`, `DS320`, `BadStructure`...), when it gave one.
    pub code: Option<String>,
    pub message: String,
    /// Where in the document, when LHDN said.
    pub property_path: Option<String>,
}

/// Where one document stands with LHDN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EInvoice {
    /// `None`: the invoice itself.
    pub note_id: Option<NoteId>,
    /// How many submissions were started.
    pub attempts: u32,
    pub stage: EInvoiceStage,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "stage", rename_all = "snake_case")]
pub enum EInvoiceStage {
    /// Recorded as started; LHDN's answer is not recorded yet.
    Submitting {
        document_hash: String,
        signed_copy: Uuid,
        started_at: DateTime<Utc>,
    },
    /// LHDN accepted it for validation.
    Accepted {
        submission_uid: String,
        document_uuid: String,
        accepted_at: DateTime<Utc>,
    },
    Rejected {
        document_uuid: Option<String>,
        problems: Vec<LhdnProblem>,
        rejected_at: DateTime<Utc>,
    },
    Validated {
        document_uuid: String,
        long_id: String,
        validated_at: DateTime<Utc>,
    },
    /// Rejected, then asked to be submitted again.
    ResubmissionRequested { requested_at: DateTime<Utc> },
}

impl EInvoiceStage {
    /// A submission was sent (or may have been) and LHDN's verdict is not recorded yet.
    pub fn under_way(&self) -> bool {
        matches!(self, Self::Submitting { .. } | Self::Accepted { .. })
    }
}

impl InvoiceRecord {
    /// Where the invoice (`None`) or one of its notes stands with LHDN; `None` if it was
    /// never submitted.
    pub fn einvoice(&self, note_id: Option<NoteId>) -> Option<&EInvoice> {
        self.einvoices.iter().find(|e| e.note_id == note_id)
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
}

impl InvoiceRecord {
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
fn document(
    r: &InvoiceRecord,
    note_id: Option<NoteId>,
) -> Result<(DocumentNumber, DateTime<Utc>), InvoiceError> {
    match (r.document_issue(note_id), note_id) {
        (Some((number, at)), _) if r.issue.is_some() => Ok((number.clone(), at)),
        (None, Some(note_id)) if r.issue.is_some() => Err(InvoiceError::NoSuchNote { note_id }),
        _ => Err(InvoiceError::NotIssued),
    }
}

fn document_hash(text: &str) -> Result<String, InvoiceError> {
    let is_hex = text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    if is_hex {
        Ok(text.to_owned())
    } else {
        Err(InvoiceError::BadDocumentHash)
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
    // LHDN's referenced-document rule: a note must name a valid invoice's UUID.
    if c.note_id.is_some() && r.lhdn.is_none() {
        let invoice = r.number().cloned().unwrap_or(number);
        return Err(InvoiceError::InvoiceNotValidated { invoice });
    }
    let einvoice = r.einvoice(c.note_id);
    if let Some(einvoice) = einvoice {
        match &einvoice.stage {
            EInvoiceStage::Submitting { .. } | EInvoiceStage::Accepted { .. } => {
                return Err(InvoiceError::SubmissionUnderWay {
                    number,
                    attempt: einvoice.attempts,
                });
            }
            EInvoiceStage::Validated { document_uuid, .. } => {
                return Err(InvoiceError::AlreadyValidated {
                    document_uuid: document_uuid.clone(),
                });
            }
            EInvoiceStage::Rejected { .. } | EInvoiceStage::ResubmissionRequested { .. } => {}
        }
    }
    let closed_at = issued_at + SUBMISSION_WINDOW;
    if ctx.now >= closed_at {
        return Err(InvoiceError::SubmissionWindowClosed { number, closed_at });
    }
    let document_hash = document_hash(&c.document_hash)?;
    Ok(vec![InvoiceEvent::EInvoiceSubmissionStarted(
        EInvoiceSubmissionStarted {
            note_id: c.note_id,
            attempt: einvoice.map_or(0, |e| e.attempts) + 1,
            document_hash,
            signed_copy: c.signed_copy,
            started_at: ctx.now,
        },
    )])
}

/// The attempt `attempt` of the document, if it is the latest one.
fn latest_attempt(
    r: &InvoiceRecord,
    note_id: Option<NoteId>,
    attempt: u32,
) -> Result<&EInvoiceStage, InvoiceError> {
    let (number, _) = document(r, note_id)?;
    match r.einvoice(note_id) {
        Some(einvoice) if einvoice.attempts == attempt => Ok(&einvoice.stage),
        _ => Err(InvoiceError::NoSuchSubmission { number, attempt }),
    }
}

pub(super) fn accept(
    r: &InvoiceRecord,
    c: &RecordEInvoiceAcceptance,
    ctx: &Ctx,
) -> Result<Vec<InvoiceEvent>, InvoiceError> {
    match latest_attempt(r, c.note_id, c.attempt)? {
        EInvoiceStage::Submitting { .. } => {}
        // A retried record of the same answer.
        EInvoiceStage::Accepted { document_uuid, .. } if *document_uuid == c.document_uuid => {
            return Ok(vec![]);
        }
        // The verdict came first (a reconciled attempt): nothing left to record.
        EInvoiceStage::Validated { document_uuid, .. }
        | EInvoiceStage::Rejected {
            document_uuid: Some(document_uuid),
            ..
        } if *document_uuid == c.document_uuid => return Ok(vec![]),
        EInvoiceStage::Accepted { document_uuid, .. }
        | EInvoiceStage::Validated { document_uuid, .. } => {
            return Err(InvoiceError::AcceptedAsAnother {
                document_uuid: document_uuid.clone(),
            });
        }
        EInvoiceStage::Rejected { .. } | EInvoiceStage::ResubmissionRequested { .. } => {
            let (number, _) = document(r, c.note_id)?;
            return Err(InvoiceError::NoSuchSubmission {
                number,
                attempt: c.attempt,
            });
        }
    }
    Ok(vec![InvoiceEvent::EInvoiceAccepted(EInvoiceAccepted {
        note_id: c.note_id,
        attempt: c.attempt,
        submission_uid: lhdn_text(&c.submission_uid, "submission_uid")?,
        document_uuid: lhdn_text(&c.document_uuid, "document_uuid")?,
        accepted_at: ctx.now,
    })])
}

pub(super) fn reject(
    r: &InvoiceRecord,
    c: &RecordEInvoiceRejection,
    ctx: &Ctx,
) -> Result<Vec<InvoiceEvent>, InvoiceError> {
    match latest_attempt(r, c.note_id, c.attempt)? {
        EInvoiceStage::Submitting { .. } | EInvoiceStage::Accepted { .. } => {}
        EInvoiceStage::Rejected { .. } | EInvoiceStage::ResubmissionRequested { .. } => {
            return Ok(vec![]);
        }
        EInvoiceStage::Validated { document_uuid, .. } => {
            return Err(InvoiceError::AlreadyValidated {
                document_uuid: document_uuid.clone(),
            });
        }
    }
    let document_uuid = c
        .document_uuid
        .as_deref()
        .map(|uuid| lhdn_text(uuid, "document_uuid"))
        .transpose()?;
    Ok(vec![InvoiceEvent::EInvoiceRejected(EInvoiceRejected {
        note_id: c.note_id,
        attempt: c.attempt,
        document_uuid,
        problems: c.problems.clone(),
        rejected_at: ctx.now,
    })])
}

pub(super) fn request_resubmission(
    r: &InvoiceRecord,
    c: &RequestEInvoiceResubmission,
    ctx: &Ctx,
) -> Result<Vec<InvoiceEvent>, InvoiceError> {
    let (number, _) = document(r, c.note_id)?;
    match r.einvoice(c.note_id).map(|e| &e.stage) {
        Some(EInvoiceStage::Rejected { .. }) => {}
        // Asked twice: once is enough.
        Some(EInvoiceStage::ResubmissionRequested { .. }) => return Ok(vec![]),
        _ => return Err(InvoiceError::NotRejectedByLhdn { number }),
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

fn lhdn_text(text: &str, field: &'static str) -> Result<String, InvoiceError> {
    super::lhdn_id(text, field)
}
