//! Running a job once, under its lease, and the record of every run.

use std::time::Duration;

use chrono::{NaiveDate, Utc};
use niaga_store::{Database, on_reader, on_writer};
use serde::Serialize;
use tracing::{info, warn};
use uuid::Uuid;

use crate::{Counts, Job, JobContext, JobError, lease};

/// How a run was started.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// The daily schedule inside `niaga serve`.
    Schedule,
    /// `niaga jobs run` (cron, an operator, a test).
    Command,
}

impl Trigger {
    fn as_str(self) -> &'static str {
        match self {
            Self::Schedule => "schedule",
            Self::Command => "command",
        }
    }
}

/// One recorded run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct JobRun {
    pub run_id: String,
    pub job: String,
    pub as_of: String,
    pub holder: String,
    pub trigger: String,
    pub started_at: String,
    pub finished_at: Option<String>,
    /// `running`, `succeeded` or `failed`.
    pub outcome: String,
    /// What it did, as a JSON object of counts.
    pub counts: String,
    pub error: Option<String>,
}

impl JobRun {
    /// The counts, parsed.
    pub fn counts(&self) -> Counts {
        serde_json::from_str(&self.counts).unwrap_or_default()
    }
}

/// What asking for a run came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// It ran (successfully or not: see the record).
    Ran(Box<JobRun>),
    /// Another scheduler holds the job's lease: it is running there now.
    Busy,
}

/// Runs `job` as of `as_of` once, if no other scheduler is running it: takes the lease,
/// records the run, keeps the lease while the job works, records the outcome, gives the lease
/// up. A failed job is a recorded run with its error, not an `Err`; `Err` is only for a
/// failure to keep the record itself.
pub async fn run_once(
    job: &dyn Job,
    ctx: &JobContext,
    as_of: NaiveDate,
    holder: &str,
    trigger: Trigger,
) -> Result<Outcome, JobError> {
    let db = &ctx.db;
    if !lease::take(db, job.name(), holder, Utc::now()).await? {
        return Ok(Outcome::Busy);
    }
    let run_id = Uuid::now_v7().to_string();
    on_writer!(db, pool => sqlx::query(
        "INSERT INTO job_runs (run_id, job, as_of, holder, trigger, started_at, outcome) \
         VALUES ($1, $2, $3, $4, $5, $6, 'running')",
    )
    .bind(&run_id)
    .bind(job.name())
    .bind(as_of.to_string())
    .bind(holder)
    .bind(trigger.as_str())
    .bind(lease::instant(Utc::now()))
    .execute(pool)
    .await
    .map(drop))?;
    info!(job = job.name(), %as_of, run_id, "job started");

    let heartbeat = keep_lease(db.clone(), job.name(), holder.to_owned());
    let result = job.run(ctx, as_of).await;
    heartbeat.abort();

    let (outcome, counts, error) = match &result {
        Ok(counts) => ("succeeded", counts.clone(), None),
        Err(error) => ("failed", Counts::new(), Some(error.to_string())),
    };
    match &error {
        None => info!(job = job.name(), %as_of, run_id, ?counts, "job succeeded"),
        Some(error) => warn!(job = job.name(), %as_of, run_id, error, "job failed"),
    }
    let counts = serde_json::to_string(&counts).unwrap_or_else(|_| "{}".to_owned());
    on_writer!(db, pool => sqlx::query(
        "UPDATE job_runs SET finished_at = $2, outcome = $3, counts = $4, error = $5 \
         WHERE run_id = $1",
    )
    .bind(&run_id)
    .bind(lease::instant(Utc::now()))
    .bind(outcome)
    .bind(&counts)
    .bind(&error)
    .execute(pool)
    .await
    .map(drop))?;
    lease::give_up(db, job.name(), holder).await?;
    let run: JobRun = on_reader!(db, pool => sqlx::query_as("SELECT * FROM job_runs WHERE run_id = $1")
        .bind(&run_id)
        .fetch_one(pool)
        .await)?;
    Ok(Outcome::Ran(Box::new(run)))
}

/// Renews the lease a third of its term at a time until aborted, so a long run keeps it.
fn keep_lease(db: Database, job: &'static str, holder: String) -> tokio::task::JoinHandle<()> {
    let every = lease::TERM.to_std().unwrap_or(Duration::from_secs(60)) / 3;
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(every).await;
            if let Err(error) = lease::take(&db, job, &holder, Utc::now()).await {
                warn!(job, %error, "cannot renew the job's lease");
            }
        }
    })
}

/// The latest runs of `job`, newest first; served by `job_runs_latest`.
pub async fn latest(db: &Database, job: &str, limit: u32) -> Result<Vec<JobRun>, JobError> {
    Ok(on_reader!(db, pool => sqlx::query_as(
        "SELECT * FROM job_runs WHERE job = $1 ORDER BY started_at DESC LIMIT $2",
    )
    .bind(job)
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await)?)
}

/// Whether `job` has succeeded as of `day`; served by `job_runs_by_day`.
pub async fn succeeded(db: &Database, job: &str, day: NaiveDate) -> Result<bool, JobError> {
    let found: Option<String> = on_reader!(db, pool => sqlx::query_scalar(
        "SELECT run_id FROM job_runs WHERE job = $1 AND as_of = $2 AND outcome = 'succeeded' \
         LIMIT 1",
    )
    .bind(job)
    .bind(day.to_string())
    .fetch_optional(pool)
    .await)?;
    Ok(found.is_some())
}
