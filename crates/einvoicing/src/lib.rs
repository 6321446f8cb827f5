//! The LHDN submitter: every issued invoice and note, and every month's consolidated
//! e-invoice, is signed, submitted to MyInvois, and followed until LHDN validates or rejects
//! it, with each step recorded as an event on the document's stream (the invoice's, or the
//! month's consolidation).
//!
//! One cycle ([`Submitter::run_cycle`]) does three things, from the `lhdn_documents` read
//! model:
//! 1. **reconcile**: a submission recorded as started but never answered (a crash, a lost
//!    answer) is looked up at LHDN by our document number; found, its answer is recorded;
//!    not found, the very same signed bytes are sent again, which LHDN refuses as a duplicate
//!    should the first one have arrived after all (LHDN.md §1.13).
//! 2. **submit**: documents ready to go are signed, stored, recorded as started (the intent),
//!    then sent in batches within LHDN's limits, and LHDN's answer recorded (the outcome).
//! 3. **poll**: accepted submissions are polled (Get Submission) until each document is valid
//!    or invalid, at a growing interval.
//!
//! Never twice: the Invoice and Consolidation aggregates refuse a new submission while one is
//! under way or once the document is valid (`niaga_domain::einvoice`), so a retry, a crash or a second instance cannot start another; a
//! lease keeps a single instance's submitter running at a time.

mod batch;
mod cancel;
mod document;
mod error;
mod poll;
mod prepare;
mod reconcile;
mod send;
#[cfg(feature = "testing")]
pub mod testing;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use niaga_documents::DocumentStore;
use niaga_domain::consolidation::Consolidation;
use niaga_domain::customer::Customer;
use niaga_domain::invoice::Invoice;
use niaga_domain::{Actor, Ctx};
use niaga_lhdn::client::MyInvoisClient;
use niaga_lhdn::map::{DocumentVersion, Supplier};
use niaga_lhdn::sign::Signer;
use niaga_projections::{lhdn_documents, runner};
use niaga_store::{CommandHandler, Database};
use tokio::sync::{Mutex, Notify};
use uuid::Uuid;

pub use batch::{Limits, envelope_bytes, pack};
pub use cancel::CancelError;
pub use document::DocumentRef;
pub use error::SubmitterError;

/// The lease's name: one submitter at a time across instances.
pub const LEASE: &str = "lhdn-submitter";

/// The actor every submitter event is recorded under.
pub const ACTOR: &str = "lhdn-submitter";

/// How the submitter paces itself.
#[derive(Debug, Clone)]
pub struct SubmitterSettings {
    pub limits: Limits,
    /// The e-invoice version documents are mapped to (1.1: signed).
    pub version: DocumentVersion,
    /// A submission started this long ago without an answer is reconciled with LHDN: longer
    /// than one send can take, so a live sender is never second-guessed.
    pub reconcile_after: TimeDelta,
    /// The first poll of an accepted submission, and the interval it grows from (3–5 s).
    pub first_poll: Duration,
    /// The longest interval between two polls of one submission.
    pub slowest_poll: Duration,
    /// How many documents one cycle takes on.
    pub documents_per_cycle: u32,
    /// LHDN's portal, for validation links: `{portal}/{uuid}/share/{longId}`.
    pub portal_url: String,
}

impl Default for SubmitterSettings {
    fn default() -> Self {
        Self {
            limits: Limits::default(),
            version: DocumentVersion::V1_1,
            reconcile_after: TimeDelta::minutes(2),
            first_poll: Duration::from_secs(3),
            slowest_poll: Duration::from_secs(60),
            documents_per_cycle: 500,
            portal_url: "https://myinvois.hasil.gov.my".to_owned(),
        }
    }
}

/// What one cycle did, by name: `{"submitted": 3, "valid": 2}`.
pub type CycleReport = std::collections::BTreeMap<&'static str, u64>;

/// When a submission is next polled.
#[derive(Debug, Clone, Copy)]
struct PollTimer {
    next_at: DateTime<Utc>,
    interval: Duration,
}

#[derive(Debug)]
pub struct Submitter {
    db: Database,
    documents: DocumentStore,
    client: Arc<MyInvoisClient>,
    signer: Arc<Signer>,
    supplier: Supplier,
    settings: SubmitterSettings,
    invoices: CommandHandler<Invoice>,
    consolidations: CommandHandler<Consolidation>,
    customers: CommandHandler<Customer>,
    polls: Mutex<HashMap<String, PollTimer>>,
}

impl Submitter {
    pub fn new(
        db: Database,
        documents: DocumentStore,
        client: Arc<MyInvoisClient>,
        signer: Arc<Signer>,
        supplier: Supplier,
        settings: SubmitterSettings,
    ) -> Self {
        let store = db.event_store();
        Self {
            invoices: CommandHandler::new(store.clone()),
            consolidations: CommandHandler::new(store.clone()),
            customers: CommandHandler::new(store),
            db,
            documents,
            client,
            signer,
            supplier,
            settings,
            polls: Mutex::new(HashMap::new()),
        }
    }

    /// Wakes in-process read models after each event the submitter records.
    pub fn notify_on_commit(mut self, committed: Arc<Notify>) -> Self {
        let store = self.db.event_store();
        self.invoices = CommandHandler::new(store.clone()).notify_on_commit(committed.clone());
        self.consolidations = CommandHandler::new(store).notify_on_commit(committed);
        self
    }

    pub fn settings(&self) -> &SubmitterSettings {
        &self.settings
    }

    /// One cycle: reconcile, submit, poll (see the crate's documentation).
    pub async fn run_cycle(&self, now: DateTime<Utc>) -> Result<CycleReport, SubmitterError> {
        let store = self.db.event_store();
        runner::catch_up(&lhdn_documents::LhdnDocuments, &self.db, store.as_ref()).await?;
        let mut report = CycleReport::new();
        self.reconcile(now, &mut report).await?;
        self.submit_ready(now, &mut report).await?;
        self.poll(now, &mut report).await?;
        Ok(report)
    }

    fn ctx(&self, now: DateTime<Utc>) -> Ctx {
        Ctx::new(now, Actor::System(ACTOR.to_owned()), Uuid::now_v7())
    }

    /// Runs cycles until the task is dropped: every `interval`, or sooner when `wake` is
    /// notified (an invoice was issued), while this instance holds the lease.
    pub fn spawn(
        self: Arc<Self>,
        holder: String,
        wake: Arc<Notify>,
        interval: Duration,
    ) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            loop {
                let now = Utc::now();
                match niaga_scheduler::lease::take(&self.db, LEASE, &holder, now).await {
                    Ok(true) => match self.run_cycle(now).await {
                        Ok(report) if !report.is_empty() => {
                            tracing::info!(?report, "LHDN submitter cycle");
                        }
                        Ok(_) => {}
                        Err(error) => tracing::warn!(%error, "LHDN submitter cycle failed"),
                    },
                    Ok(false) => {}
                    Err(error) => tracing::warn!(%error, "LHDN submitter lease unavailable"),
                }
                tokio::select! {
                    () = tokio::time::sleep(interval) => {}
                    () = wake.notified() => {}
                }
            }
        })
    }
}

/// `{portal}/{uuid}/share/{longId}` (LHDN.md §1.15): what the QR code on a document encodes.
pub fn validation_link(portal_url: &str, document_uuid: &str, long_id: &str) -> String {
    format!(
        "{}/{document_uuid}/share/{long_id}",
        portal_url.trim_end_matches('/')
    )
}

fn count(report: &mut CycleReport, what: &'static str) {
    *report.entry(what).or_default() += 1;
}

fn store_error(error: impl std::fmt::Display) -> SubmitterError {
    SubmitterError::Store(error.to_string())
}
