//! The daily schedule inside `niaga serve`: once a day, after the hour it is due (Malaysian
//! time), each job runs as of that day unless a run for the day has already succeeded, here
//! or on another instance.

use std::{sync::Arc, time::Duration};

use chrono::{NaiveTime, Utc};
use niaga_domain::{business_day, business_time};
use tracing::warn;

use crate::{Job, JobContext, Trigger, run_once, runs};

/// When the daily jobs are due, and which.
#[derive(Debug, Clone)]
pub struct Schedule {
    /// Malaysian time of day after which a day's runs start.
    pub due_at: NaiveTime,
    pub jobs: Vec<Arc<dyn Job>>,
    /// How often the scheduler looks whether something is due.
    pub tick: Duration,
}

impl Default for Schedule {
    /// Every job at 00:30, after the day's midnight has passed in Malaysia.
    fn default() -> Self {
        Self {
            due_at: NaiveTime::from_hms_opt(0, 30, 0).unwrap_or(NaiveTime::MIN),
            jobs: crate::all(),
            tick: Duration::from_secs(60),
        }
    }
}

/// Runs `schedule` until the task is dropped. `holder` names this instance in leases and
/// run records.
pub fn spawn(schedule: Schedule, ctx: JobContext, holder: String) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            let now = Utc::now();
            if business_time(now) >= schedule.due_at {
                let today = business_day(now);
                for job in &schedule.jobs {
                    match runs::succeeded(&ctx.db, job.name(), today).await {
                        Ok(true) => {}
                        Ok(false) => {
                            if let Err(error) =
                                run_once(job.as_ref(), &ctx, today, &holder, Trigger::Schedule)
                                    .await
                            {
                                warn!(job = job.name(), %error, "cannot run the job");
                            }
                        }
                        Err(error) => warn!(job = job.name(), %error, "cannot read job runs"),
                    }
                }
            }
            tokio::time::sleep(schedule.tick).await;
        }
    })
}
