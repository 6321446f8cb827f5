//! A document's way to LHDN as an e-invoice, the same for every document that goes there (an
//! invoice, a note, a month's consolidated e-invoice): submitted, accepted for validation,
//! then validated or rejected, and after a rejection submitted again as a new attempt. A
//! document the submitter cannot send at all (it cannot be mapped or signed, it is too large,
//! its 72 hours are over) is held, with the reason, until someone asks for it again.
//!
//! The rules here are what keeps one document from being accepted twice: a submission is
//! recorded as started before it is sent, and no new one may start while one is under way
//! or once the document is validated. Each aggregate holding documents checks its own rules
//! first (a cancelled invoice, a note before its invoice) and then asks these functions,
//! which decide on the document's [`Track`] alone and return the fact to record.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::values::{Lines, TextProblem, check_text};

/// LHDN refuses a document issued more than 72 hours before it is submitted (LHDN.md §1.14).
pub const SUBMISSION_WINDOW: TimeDelta = TimeDelta::hours(72);

/// LHDN's document UUID and long id are short tokens; this only keeps junk out.
const LHDN_ID_MAX: usize = 100;

/// One problem LHDN reported with a document, in its words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LhdnProblem {
    /// LHDN's code (`CF321`, `DS320`, `BadStructure`...), when it gave one.
    pub code: Option<String>,
    pub message: String,
    /// Where in the document, when LHDN said.
    pub property_path: Option<String>,
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
    /// Rejected or held, then asked to be submitted again.
    ResubmissionRequested { requested_at: DateTime<Utc> },
    /// Never sent: the submitter could not send it, for these reasons.
    Held {
        problems: Vec<LhdnProblem>,
        held_at: DateTime<Utc>,
    },
}

impl EInvoiceStage {
    /// A submission was sent (or may have been) and LHDN's verdict is not recorded yet.
    pub fn under_way(&self) -> bool {
        matches!(self, Self::Submitting { .. } | Self::Accepted { .. })
    }
}

/// Where one document stands with LHDN: how many submissions were started, and the stage of
/// the latest. `None` where the document was never submitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Track<'a> {
    pub attempts: u32,
    pub stage: &'a EInvoiceStage,
}

/// Why a step of a document's submission is refused; the aggregate holding the document
/// says which document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubmissionError {
    #[error("it is with LHDN (submission {attempt}): wait for LHDN's answer")]
    UnderWay { attempt: u32 },
    #[error("LHDN already validated it as document {document_uuid}")]
    AlreadyValidated { document_uuid: String },
    #[error(
        "it can no longer go to LHDN: a document must be submitted within 72 hours of its issue, which ended at {closed_at}"
    )]
    WindowClosed { closed_at: DateTime<Utc> },
    #[error("a document hash is the lower-case hex SHA-256 of the signed document (64 characters)")]
    BadDocumentHash,
    #[error("it has no LHDN submission {attempt} waiting for an answer")]
    NoSuchSubmission { attempt: u32 },
    #[error("LHDN already accepted it as {document_uuid}")]
    AcceptedAsAnother { document_uuid: String },
    #[error("it was not rejected by LHDN nor held back: only such a document is submitted again")]
    NotRejected,
    #[error("{field} {problem}")]
    InvalidText {
        field: &'static str,
        problem: TextProblem,
    },
}

/// The submitter is about to send the document, signed as the document stored under
/// `signed_copy`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartSubmission {
    /// Lower-case hex SHA-256 of the signed document.
    pub document_hash: String,
    pub signed_copy: Uuid,
}

/// LHDN accepted attempt `attempt` for validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordAcceptance {
    pub attempt: u32,
    pub submission_uid: String,
    pub document_uuid: String,
}

/// LHDN refused attempt `attempt`, at submission or after validating it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordRejection {
    pub attempt: u32,
    pub document_uuid: Option<String>,
    pub problems: Vec<LhdnProblem>,
}

/// LHDN validated the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordValidation {
    /// LHDN's document UUID.
    pub document_uuid: String,
    /// LHDN's long id, for the validation link and QR code.
    pub long_id: String,
    /// LHDN's `dateTimeValidated`: the 72-hour cancellation window runs from it.
    pub validated_at: DateTime<Utc>,
}

/// The submitter cannot send the document (it cannot be mapped or signed, it is too large,
/// its 72 hours are over): it leaves the work list until someone asks for it again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoldSubmission {
    /// Why, in words for the person who fixes it (no LHDN code: LHDN never saw it).
    pub problems: Vec<LhdnProblem>,
}

/// One step of the submitter's, whichever aggregate holds the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubmissionStep {
    Start(StartSubmission),
    Accept(RecordAcceptance),
    Reject(RecordRejection),
    Validate(RecordValidation),
    Hold(HoldSubmission),
}

/// Decided: a submission starts (attempt 1 for the first, 2 after a rejection...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Started {
    pub attempt: u32,
    /// The lower-case hex SHA-256 of the signed document: LHDN's `documentHash`.
    pub document_hash: String,
    /// The signed document in the document store: the very bytes sent.
    pub signed_copy: Uuid,
    pub started_at: DateTime<Utc>,
}

/// Decided: LHDN's acceptance of the latest attempt is recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accepted {
    pub attempt: u32,
    pub submission_uid: String,
    pub document_uuid: String,
    pub accepted_at: DateTime<Utc>,
}

/// Decided: LHDN's refusal of the latest attempt is recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejected {
    pub attempt: u32,
    /// LHDN's UUID, when it got as far as having one (invalid after validation).
    pub document_uuid: Option<String>,
    pub problems: Vec<LhdnProblem>,
    pub rejected_at: DateTime<Utc>,
}

/// Decided: LHDN's validation is recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validated {
    pub document_uuid: String,
    pub long_id: String,
    pub validated_at: DateTime<Utc>,
}

/// Decided: the document is held back, never sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Held {
    pub problems: Vec<LhdnProblem>,
    pub held_at: DateTime<Utc>,
}

/// Decided: a rejected or held document is to be submitted again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResubmissionRequested {
    pub requested_at: DateTime<Utc>,
}

impl From<&Started> for EInvoiceStage {
    fn from(s: &Started) -> Self {
        Self::Submitting {
            document_hash: s.document_hash.clone(),
            signed_copy: s.signed_copy,
            started_at: s.started_at,
        }
    }
}

impl From<&Accepted> for EInvoiceStage {
    fn from(a: &Accepted) -> Self {
        Self::Accepted {
            submission_uid: a.submission_uid.clone(),
            document_uuid: a.document_uuid.clone(),
            accepted_at: a.accepted_at,
        }
    }
}

impl From<&Rejected> for EInvoiceStage {
    fn from(r: &Rejected) -> Self {
        Self::Rejected {
            document_uuid: r.document_uuid.clone(),
            problems: r.problems.clone(),
            rejected_at: r.rejected_at,
        }
    }
}

impl From<&Validated> for EInvoiceStage {
    fn from(v: &Validated) -> Self {
        Self::Validated {
            document_uuid: v.document_uuid.clone(),
            long_id: v.long_id.clone(),
            validated_at: v.validated_at,
        }
    }
}

impl From<&Held> for EInvoiceStage {
    fn from(h: &Held) -> Self {
        Self::Held {
            problems: h.problems.clone(),
            held_at: h.held_at,
        }
    }
}

impl From<&ResubmissionRequested> for EInvoiceStage {
    fn from(r: &ResubmissionRequested) -> Self {
        Self::ResubmissionRequested {
            requested_at: r.requested_at,
        }
    }
}

/// LHDN's UUIDs, ids and submission uids: one short line.
pub(crate) fn lhdn_id(text: &str, field: &'static str) -> Result<String, SubmissionError> {
    check_text(text, LHDN_ID_MAX, Lines::Single)
        .map_err(|problem| SubmissionError::InvalidText { field, problem })
}

fn document_hash(text: &str) -> Result<String, SubmissionError> {
    let is_hex = text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    if is_hex {
        Ok(text.to_owned())
    } else {
        Err(SubmissionError::BadDocumentHash)
    }
}

/// The refusal of a document issued at `issued_at` whose 72 hours are over at `now`.
pub fn window_closed(issued_at: DateTime<Utc>, now: DateTime<Utc>) -> Option<SubmissionError> {
    let closed_at = issued_at + SUBMISSION_WINDOW;
    (now >= closed_at).then_some(SubmissionError::WindowClosed { closed_at })
}

/// Refuses a document LHDN has (a submission under way) or validated: nothing more may be
/// started or held for it.
fn not_with_lhdn(track: Option<Track<'_>>) -> Result<(), SubmissionError> {
    let Some(track) = track else {
        return Ok(());
    };
    match track.stage {
        EInvoiceStage::Submitting { .. } | EInvoiceStage::Accepted { .. } => {
            Err(SubmissionError::UnderWay {
                attempt: track.attempts,
            })
        }
        EInvoiceStage::Validated { document_uuid, .. } => Err(SubmissionError::AlreadyValidated {
            document_uuid: document_uuid.clone(),
        }),
        EInvoiceStage::Rejected { .. }
        | EInvoiceStage::ResubmissionRequested { .. }
        | EInvoiceStage::Held { .. } => Ok(()),
    }
}

/// A new submission of a document issued at `issued_at`: not while one is under way, not
/// once valid, not after LHDN's 72 hours.
pub fn start(
    track: Option<Track<'_>>,
    issued_at: DateTime<Utc>,
    c: &StartSubmission,
    now: DateTime<Utc>,
) -> Result<Started, SubmissionError> {
    not_with_lhdn(track)?;
    if let Some(refusal) = window_closed(issued_at, now) {
        return Err(refusal);
    }
    Ok(Started {
        attempt: track.map_or(0, |t| t.attempts) + 1,
        document_hash: document_hash(&c.document_hash)?,
        signed_copy: c.signed_copy,
        started_at: now,
    })
}

/// The stage of attempt `attempt`, if it is the latest one.
fn latest(track: Option<Track<'_>>, attempt: u32) -> Result<&EInvoiceStage, SubmissionError> {
    match track {
        Some(track) if track.attempts == attempt => Ok(track.stage),
        _ => Err(SubmissionError::NoSuchSubmission { attempt }),
    }
}

/// LHDN's acceptance of the latest attempt; `None` when it is recorded already.
pub fn accept(
    track: Option<Track<'_>>,
    c: &RecordAcceptance,
    now: DateTime<Utc>,
) -> Result<Option<Accepted>, SubmissionError> {
    match latest(track, c.attempt)? {
        EInvoiceStage::Submitting { .. } => {}
        // A retried record of the same answer.
        EInvoiceStage::Accepted { document_uuid, .. } if *document_uuid == c.document_uuid => {
            return Ok(None);
        }
        // The verdict came first (a reconciled attempt): nothing left to record.
        EInvoiceStage::Validated { document_uuid, .. }
        | EInvoiceStage::Rejected {
            document_uuid: Some(document_uuid),
            ..
        } if *document_uuid == c.document_uuid => return Ok(None),
        EInvoiceStage::Accepted { document_uuid, .. }
        | EInvoiceStage::Validated { document_uuid, .. } => {
            return Err(SubmissionError::AcceptedAsAnother {
                document_uuid: document_uuid.clone(),
            });
        }
        EInvoiceStage::Rejected { .. }
        | EInvoiceStage::ResubmissionRequested { .. }
        | EInvoiceStage::Held { .. } => {
            return Err(SubmissionError::NoSuchSubmission { attempt: c.attempt });
        }
    }
    Ok(Some(Accepted {
        attempt: c.attempt,
        submission_uid: lhdn_id(&c.submission_uid, "submission_uid")?,
        document_uuid: lhdn_id(&c.document_uuid, "document_uuid")?,
        accepted_at: now,
    }))
}

/// LHDN's refusal of the latest attempt; `None` when it is recorded already.
pub fn reject(
    track: Option<Track<'_>>,
    c: &RecordRejection,
    now: DateTime<Utc>,
) -> Result<Option<Rejected>, SubmissionError> {
    match latest(track, c.attempt)? {
        EInvoiceStage::Submitting { .. } | EInvoiceStage::Accepted { .. } => {}
        EInvoiceStage::Rejected { .. }
        | EInvoiceStage::ResubmissionRequested { .. }
        | EInvoiceStage::Held { .. } => {
            return Ok(None);
        }
        EInvoiceStage::Validated { document_uuid, .. } => {
            return Err(SubmissionError::AlreadyValidated {
                document_uuid: document_uuid.clone(),
            });
        }
    }
    let document_uuid = c
        .document_uuid
        .as_deref()
        .map(|uuid| lhdn_id(uuid, "document_uuid"))
        .transpose()?;
    Ok(Some(Rejected {
        attempt: c.attempt,
        document_uuid,
        problems: c.problems.clone(),
        rejected_at: now,
    }))
}

/// LHDN's validation; `None` when the same validation is recorded already (a retried poll).
/// Taken whatever the latest attempt: LHDN's record is the truth to keep.
pub fn validate(
    track: Option<Track<'_>>,
    c: &RecordValidation,
) -> Result<Option<Validated>, SubmissionError> {
    let document_uuid = lhdn_id(&c.document_uuid, "document_uuid")?;
    let long_id = lhdn_id(&c.long_id, "long_id")?;
    if let Some(EInvoiceStage::Validated {
        document_uuid: known,
        ..
    }) = track.map(|t| t.stage)
    {
        return if *known == document_uuid {
            Ok(None)
        } else {
            Err(SubmissionError::AlreadyValidated {
                document_uuid: known.clone(),
            })
        };
    }
    Ok(Some(Validated {
        document_uuid,
        long_id,
        validated_at: c.validated_at,
    }))
}

/// Holds back a document the submitter cannot send: not one under way or validated; `None`
/// when it is held already.
pub fn hold(
    track: Option<Track<'_>>,
    c: &HoldSubmission,
    now: DateTime<Utc>,
) -> Result<Option<Held>, SubmissionError> {
    not_with_lhdn(track)?;
    if matches!(track.map(|t| t.stage), Some(EInvoiceStage::Held { .. })) {
        return Ok(None);
    }
    Ok(Some(Held {
        problems: c.problems.clone(),
        held_at: now,
    }))
}

/// Whether a resubmission may be asked for: only of a document rejected by LHDN or held back
/// by the submitter; `false` when it is asked already.
pub fn may_resubmit(track: Option<Track<'_>>) -> Result<bool, SubmissionError> {
    match track.map(|t| t.stage) {
        Some(EInvoiceStage::Rejected { .. } | EInvoiceStage::Held { .. }) => Ok(true),
        // Asked twice: once is enough.
        Some(EInvoiceStage::ResubmissionRequested { .. }) => Ok(false),
        _ => Err(SubmissionError::NotRejected),
    }
}
