//! Niaga's scheduled jobs: each a [`Job`] run for a business day ("as of"), by the daily
//! schedule inside `niaga serve` or once by `niaga jobs run`. A lease makes one scheduler of
//! several instances run a job at a time, and every run is recorded with what it did.
//!
//! Jobs are idempotent: running one twice for the same day, or for a day long past, changes
//! nothing the second time. The lease keeps two runs from racing; idempotence keeps a rerun
//! after a crash harmless.

mod error;
pub mod jobs;
pub mod lease;
pub mod runs;
mod schedule;

use std::{collections::BTreeMap, sync::Arc};

use async_trait::async_trait;
use chrono::NaiveDate;
use niaga_domain::rental::LateFeePolicy;
use niaga_store::Database;
use tokio::sync::Notify;

pub use error::JobError;
pub use runs::{JobRun, Outcome, Trigger, run_once};
pub use schedule::{Schedule, spawn};

/// What a run did, by name: `{"expired": 3, "skipped": 1}`.
pub type Counts = BTreeMap<String, u64>;

/// What a job gets to work with.
#[derive(Debug, Clone)]
pub struct JobContext {
    pub db: Database,
    /// Woken after each command a job writes, so in-process read models follow at once.
    pub committed: Arc<Notify>,
    /// How late returns are charged: company policy, from configuration.
    pub late_fees: LateFeePolicy,
}

/// A scheduled job.
#[async_trait]
pub trait Job: Send + Sync + std::fmt::Debug {
    /// Its name in `niaga jobs run NAME` and in the run records: never rename.
    fn name(&self) -> &'static str;

    /// What it does, for `niaga jobs list` and `/admin/jobs`.
    fn description(&self) -> &'static str;

    /// Does the job's work as of `as_of` (a Malaysian business day).
    async fn run(&self, ctx: &JobContext, as_of: NaiveDate) -> Result<Counts, JobError>;
}

/// Every job Niaga runs.
pub fn all() -> Vec<Arc<dyn Job>> {
    vec![
        Arc::new(jobs::ExpireQuotations),
        Arc::new(jobs::Overdue),
        Arc::new(jobs::ConsolidateEInvoices),
    ]
}

/// The job named `name`.
pub fn find(name: &str) -> Option<Arc<dyn Job>> {
    all().into_iter().find(|job| job.name() == name)
}
