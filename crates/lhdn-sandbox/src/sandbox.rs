//! The running sandbox's shared core: configuration-derived lookups, the clock, limits,
//! faults and state, and the asynchronous validation of submissions.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use niaga_lhdn::verify::TrustAnchors;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::AbortHandle;

use crate::auth::{Clients, token_key};
use crate::clock::SandboxClock;
use crate::config::{ArithmeticMode, SandboxConfig, StructureErrors};
use crate::errors::ApiError;
use crate::faults::{Faults, ValidationFaults};
use crate::ids;
use crate::rate_limit::RateLimiter;
use crate::registry::Registry;
use crate::state::{Caller, Session, State, Status};
use crate::store::Write;
use crate::validate::{self, Context, Document, Known, SignatureSettings};

#[derive(Debug)]
pub(crate) struct Sandbox {
    pub(crate) registry: Registry,
    pub(crate) clients: Clients,
    pub(crate) trust: TrustAnchors,
    pub(crate) clock: SandboxClock,
    pub(crate) limiter: RateLimiter,
    pub(crate) faults: Faults,
    pub(crate) token_lifetime: TimeDelta,
    pub(crate) validation_delay: Duration,
    pub(crate) arithmetic: ArithmeticMode,
    pub(crate) structure_errors: StructureErrors,
    pub(crate) base_url: String,
    pub(crate) portal_url: String,
    state: Mutex<State>,
    writer: Mutex<Option<UnboundedSender<Write>>>,
    tasks: Mutex<Vec<AbortHandle>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // No code path leaves the data half-changed on a panic: keep serving.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The parts of [`Sandbox`] made before the listener is bound.
#[derive(Debug)]
pub(crate) struct Parts {
    pub(crate) trust: TrustAnchors,
    pub(crate) state: State,
    pub(crate) clock_offset: TimeDelta,
    pub(crate) writer: Option<UnboundedSender<Write>>,
    pub(crate) base_url: String,
}

impl Sandbox {
    pub(crate) fn new(config: &SandboxConfig, parts: Parts) -> Self {
        let portal_url = config
            .portal_url
            .clone()
            .unwrap_or_else(|| format!("{}/portal", parts.base_url));
        Self {
            registry: Registry::new(&config.taxpayers),
            clients: Clients::new(config),
            trust: parts.trust,
            clock: SandboxClock::new(parts.clock_offset),
            limiter: RateLimiter::new(config.rate_limits.clone()),
            faults: Faults::new(config.faults.clone()),
            token_lifetime: i64::try_from(config.token_lifetime_seconds)
                .ok()
                .and_then(TimeDelta::try_seconds)
                .unwrap_or(TimeDelta::MAX),
            validation_delay: Duration::from_millis(config.validation_delay_ms),
            arithmetic: config.arithmetic,
            structure_errors: config.structure_errors,
            base_url: parts.base_url,
            portal_url,
            state: Mutex::new(parts.state),
            writer: Mutex::new(parts.writer),
            tasks: Mutex::new(Vec::new()),
        }
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub(crate) fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    /// Sends changed records to the state file, if there is one.
    pub(crate) fn persist(&self, writes: impl IntoIterator<Item = Option<Write>>) {
        if let Some(writer) = lock(&self.writer).as_ref() {
            for write in writes.into_iter().flatten() {
                // The writer only stops at shutdown, when nothing is written any more.
                let _ = writer.send(write);
            }
        }
    }

    /// Moves the clock; refused (`None`) if the new offset is beyond ±100 years, which no
    /// test needs and which would overflow date arithmetic.
    pub(crate) fn advance_clock(&self, by: TimeDelta) -> Option<TimeDelta> {
        let limit = TimeDelta::days(36_500);
        let offset = self.clock.offset().checked_add(&by)?;
        if offset.abs() > limit {
            return None;
        }
        let offset = self.clock.advance(by);
        self.persist([Write::clock(offset)]);
        Some(offset)
    }

    /// Stops the writer (the caller awaits its task) and pending validations.
    pub(crate) fn stop(&self) {
        lock(&self.writer).take();
        for task in lock(&self.tasks).drain(..) {
            task.abort();
        }
    }

    /// Issues a token for `caller`, valid for the configured lifetime on the sandbox clock.
    pub(crate) fn issue_token(&self, caller: Caller) -> String {
        let token = ids::token();
        let key = token_key(&token);
        let session = Session {
            caller,
            expires_at: self
                .now()
                .checked_add_signed(self.token_lifetime)
                .unwrap_or(DateTime::<Utc>::MAX_UTC),
        };
        self.persist([Write::session(&key, &session)]);
        self.state().sessions.insert(key, session);
        token
    }

    /// The caller of a bearer token; expired and unknown tokens are 401.
    pub(crate) fn session(&self, token: &str) -> Result<Caller, ApiError> {
        let now = self.now();
        let state = self.state();
        state
            .sessions
            .get(&token_key(token))
            .filter(|session| now < session.expires_at)
            .map(|session| session.caller.clone())
            .ok_or(ApiError::Unauthorized)
    }

    /// Validates the submission after the configured delay (or the slow-validation fault's).
    pub(crate) fn schedule_validation(
        self: &Arc<Self>,
        submission_uid: String,
        faults: ValidationFaults,
    ) {
        let delay = faults
            .delay_seconds
            .map_or(self.validation_delay, Duration::from_secs);
        let long_id_after = faults
            .long_id_after_seconds
            .and_then(|s| i64::try_from(s).ok())
            .and_then(TimeDelta::try_seconds)
            .unwrap_or(TimeDelta::zero());
        let sandbox = Arc::clone(self);
        let task = tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            sandbox.validate_submission(&submission_uid, long_id_after);
        });
        let mut tasks = lock(&self.tasks);
        tasks.retain(|t| !t.is_finished());
        tasks.push(task.abort_handle());
    }

    /// Validates the submission's documents in order, so a later document can duplicate or
    /// reference an earlier one of the same submission.
    pub(crate) fn validate_submission(&self, submission_uid: &str, long_id_after: TimeDelta) {
        let uuids = match self.state().submissions.get(submission_uid) {
            Some(submission) => submission.documents.clone(),
            None => return,
        };
        for uuid in uuids {
            self.validate_document(&uuid, long_id_after);
        }
    }

    fn validate_document(&self, uuid: &str, long_id_after: TimeDelta) {
        let now = self.now();
        let mut state = self.state();
        let Some(document) = state.documents.get(uuid) else {
            return;
        };
        if document.status != Status::Submitted {
            return;
        }
        let outcome = {
            let others: Vec<Known<'_>> = state
                .documents
                .values()
                .filter(|other| other.uuid != uuid)
                .map(|other| Known {
                    uuid: &other.uuid,
                    status: other.status,
                    facts: &other.facts,
                    received_at: other.received_at,
                })
                .collect();
            let json: serde_json::Value =
                serde_json::from_str(&document.raw).unwrap_or(serde_json::Value::Null);
            let signature = SignatureSettings {
                trust: self.trust.clone(),
                intermediary: document
                    .submitter
                    .intermediary_tin
                    .as_ref()
                    .and_then(|tin| self.registry.get(tin))
                    .map(|i| (i.tin.clone(), i.id_value.clone())),
            };
            validate::run(
                &Document {
                    bytes: document.raw.as_bytes(),
                    json: &json,
                    facts: &document.facts,
                    received_at: document.received_at,
                },
                &Context {
                    now,
                    registry: &self.registry,
                    others: &others,
                    signature: &signature,
                    arithmetic: self.arithmetic,
                },
            )
        };
        let Some(document) = state.documents.get_mut(uuid) else {
            return;
        };
        document.validated_at = Some(now);
        if outcome.is_valid() {
            document.status = Status::Valid;
            document.long_id = Some(ids::long_id());
            document.long_id_from = Some(
                now.checked_add_signed(long_id_after)
                    .unwrap_or(DateTime::<Utc>::MAX_UTC),
            );
        } else {
            document.status = Status::Invalid;
        }
        if !outcome.warnings.is_empty() {
            tracing::info!(
                uuid,
                warnings = outcome.warnings.len(),
                "document valid with arithmetic warnings"
            );
        }
        document.steps = outcome.steps;
        document.warnings = outcome.warnings;
        tracing::info!(
            uuid,
            status = document.status.as_str(),
            "document validated"
        );
        let write = Write::document(document);
        drop(state);
        self.persist([write]);
    }
}

impl Sandbox {
    /// Every accepted document with this envelope `codeNumber` or document `ID` (all of
    /// them for `None`), in the order they were received.
    pub(crate) fn received(&self, internal_id: Option<&str>) -> Vec<crate::ReceivedDocument> {
        let state = self.state();
        let mut submissions: Vec<&crate::state::Submission> = state.submissions.values().collect();
        submissions.sort_by_key(|s| s.received_at);
        submissions
            .into_iter()
            .flat_map(|s| state.documents_of(s))
            .filter(|d| {
                internal_id.is_none_or(|id| d.code_number == id || d.facts.internal_id == id)
            })
            .map(crate::ReceivedDocument::from)
            .collect()
    }
}
