//! What the sandbox holds: submissions, documents with their validation results, access
//! tokens, and recent submission bodies (the 10-minute duplicate rule). Plain data; the
//! rules that change it live in `submit`, `process` and `http::state`.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::config::Action;
use crate::ubl::Facts;
use crate::validate::{Finding, StepResult};

/// A document's status (LHDN.md §1.11). "Rejected" is not one: a rejection request only
/// sets `rejectRequestDateTime`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DocumentStatus {
    Submitted,
    Valid,
    Invalid,
    Cancelled,
}

pub(crate) use DocumentStatus as Status;

impl DocumentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submitted => "Submitted",
            Self::Valid => "Valid",
            Self::Invalid => "Invalid",
            Self::Cancelled => "Cancelled",
        }
    }

    pub(crate) fn parse(text: &str) -> Option<Self> {
        [Self::Submitted, Self::Valid, Self::Invalid, Self::Cancelled]
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(text))
    }
}

/// Who made a request: the client, the taxpayer it acts for, and the intermediary if the
/// client is one acting `onbehalfof` that taxpayer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Caller {
    pub(crate) client_id: String,
    pub(crate) tin: String,
    pub(crate) intermediary_tin: Option<String>,
    /// What the taxpayer allows the intermediary; every action for the taxpayer itself.
    pub(crate) actions: Vec<Action>,
}

impl Caller {
    pub(crate) fn may(&self, action: Action) -> bool {
        self.actions.contains(&action)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Session {
    pub(crate) caller: Caller,
    pub(crate) expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct StoredDocument {
    pub(crate) uuid: String,
    pub(crate) submission_uid: String,
    /// The envelope's `codeNumber`, echoed as `invoiceCodeNumber`.
    pub(crate) code_number: String,
    /// The document as submitted (decoded), returned by Get Document.
    pub(crate) raw: String,
    pub(crate) facts: Facts,
    pub(crate) status: Status,
    pub(crate) received_at: DateTime<Utc>,
    pub(crate) validated_at: Option<DateTime<Utc>>,
    pub(crate) long_id: Option<String>,
    /// When the `longId` shows (the late-longId fault delays it).
    pub(crate) long_id_from: Option<DateTime<Utc>>,
    pub(crate) cancelled_at: Option<DateTime<Utc>>,
    pub(crate) reject_requested_at: Option<DateTime<Utc>>,
    pub(crate) status_reason: Option<String>,
    pub(crate) steps: Vec<StepResult>,
    pub(crate) warnings: Vec<Finding>,
    pub(crate) submitter: Caller,
}

impl StoredDocument {
    /// A document just accepted by Submit Documents, waiting for validation.
    pub(crate) fn submitted(
        uuid: String,
        submission_uid: String,
        accepted: crate::submit::Accepted,
        submitter: Caller,
        received_at: DateTime<Utc>,
    ) -> Self {
        Self {
            uuid,
            submission_uid,
            code_number: accepted.code_number,
            raw: accepted.raw,
            facts: accepted.facts,
            status: Status::Submitted,
            received_at,
            validated_at: None,
            long_id: None,
            long_id_from: None,
            cancelled_at: None,
            reject_requested_at: None,
            status_reason: None,
            steps: Vec::new(),
            warnings: Vec::new(),
            submitter,
        }
    }

    /// LHDN shows the `longId` of Valid documents only.
    pub(crate) fn visible_long_id(&self, now: DateTime<Utc>) -> Option<&str> {
        let shown =
            self.status == Status::Valid && self.long_id_from.is_some_and(|from| now >= from);
        self.long_id.as_deref().filter(|_| shown)
    }

    /// The TIN that may cancel it: the issuer (the buyer for self-billed documents).
    pub(crate) fn issuer_tin(&self) -> &str {
        &self.facts.issuer().tin
    }

    pub(crate) fn receiver_tin(&self) -> &str {
        &self.facts.receiver().tin
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Submission {
    pub(crate) uid: String,
    pub(crate) received_at: DateTime<Utc>,
    pub(crate) documents: Vec<String>,
    pub(crate) submitter: Caller,
}

/// A submission body the duplicate-submission rule remembers (its hash, not the body).
#[derive(Debug, Clone)]
pub(crate) struct SeenBody {
    pub(crate) sha256: [u8; 32],
    pub(crate) tin: String,
    pub(crate) at: DateTime<Utc>,
}

pub(crate) const DUPLICATE_SUBMISSION_WINDOW: TimeDelta = TimeDelta::minutes(10);

#[derive(Debug, Default)]
pub(crate) struct State {
    pub(crate) documents: BTreeMap<String, StoredDocument>,
    pub(crate) submissions: BTreeMap<String, Submission>,
    /// By SHA-256 of the token: the tokens themselves are never kept.
    pub(crate) sessions: HashMap<String, Session>,
    pub(crate) bodies: Vec<SeenBody>,
}

impl State {
    /// How long until the same body from the same taxpayer may be sent again; `None`: now.
    pub(crate) fn duplicate_wait(
        &mut self,
        sha256: &[u8; 32],
        tin: &str,
        now: DateTime<Utc>,
    ) -> Option<TimeDelta> {
        self.bodies
            .retain(|seen| now - seen.at < DUPLICATE_SUBMISSION_WINDOW);
        self.bodies
            .iter()
            .find(|seen| &seen.sha256 == sha256 && seen.tin == tin)
            .map(|seen| DUPLICATE_SUBMISSION_WINDOW - (now - seen.at))
    }

    /// The submission's documents, in submission order.
    pub(crate) fn documents_of(&self, submission: &Submission) -> Vec<&StoredDocument> {
        submission
            .documents
            .iter()
            .filter_map(|uuid| self.documents.get(uuid))
            .collect()
    }
}

/// What a test learns about a document the sandbox accepted: enough to prove a document was
/// never submitted twice, and to follow it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReceivedDocument {
    pub uuid: String,
    pub submission_uid: String,
    pub code_number: String,
    pub internal_id: String,
    pub status: DocumentStatus,
    pub long_id: Option<String>,
    pub received_at: DateTime<Utc>,
    pub validated_at: Option<DateTime<Utc>>,
    /// Findings that did not make it Invalid (the arithmetic in `warn` mode).
    pub warnings: Vec<String>,
    /// The document as submitted (decoded from the envelope): what a test asserts the
    /// signed content against.
    pub document: String,
}

impl From<&StoredDocument> for ReceivedDocument {
    fn from(document: &StoredDocument) -> Self {
        Self {
            uuid: document.uuid.clone(),
            submission_uid: document.submission_uid.clone(),
            code_number: document.code_number.clone(),
            internal_id: document.facts.internal_id.clone(),
            status: document.status,
            long_id: document.long_id.clone(),
            received_at: document.received_at,
            validated_at: document.validated_at,
            warnings: document
                .warnings
                .iter()
                .map(|w| w.message.clone())
                .collect(),
            document: document.raw.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_body_from_the_same_taxpayer_waits_ten_minutes() {
        let mut state = State::default();
        let now = Utc::now();
        state.bodies.push(SeenBody {
            sha256: [1; 32],
            tin: "C1".into(),
            at: now,
        });
        let wait = state
            .duplicate_wait(&[1; 32], "C1", now + TimeDelta::minutes(4))
            .unwrap();
        assert_eq!(wait, TimeDelta::minutes(6));
        assert_eq!(state.duplicate_wait(&[1; 32], "C2", now), None);
        assert_eq!(
            state.duplicate_wait(&[1; 32], "C1", now + TimeDelta::minutes(10)),
            None
        );
    }
}
