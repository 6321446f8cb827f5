//! `/admin/…`: how the service itself is doing, for the people who run it: read models and
//! scheduled jobs.

use axum::extract::State;
use niaga_projections::checkpoint::{self, ProjectionStatus};
use niaga_scheduler::{JobRun, runs};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::AppState,
    auth::{ADMIN_ONLY, CurrentUser},
    error::{ApiError, Problem, Result},
};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_projections))
        .routes(routes!(list_jobs))
}

/// One read model's progress through the event feed.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "name": "invoice_list", "position": 1520, "behind": 0, "stuck": false, "last_error": null
}))]
pub(crate) struct ProjectionView {
    /// As `niaga projections rebuild NAME` takes it.
    name: String,
    /// The global position of the last event applied.
    position: i64,
    /// Positions still to apply: 0 when caught up.
    behind: i64,
    /// The projector keeps failing on the next event; it retries with backoff and never
    /// skips it. `last_error` says why.
    stuck: bool,
    last_error: Option<String>,
}

impl From<ProjectionStatus> for ProjectionView {
    fn from(p: ProjectionStatus) -> Self {
        Self {
            stuck: p.last_error.is_some(),
            name: p.name,
            position: p.position,
            behind: p.behind,
            last_error: p.last_error,
        }
    }
}

/// Every read model with its position in the feed, how far behind it is, and whether it is
/// stuck on an event (with the error).
#[utoipa::path(
    get,
    path = "/admin/projections",
    tag = "admin",
    responses(
        (status = OK, description = "The read models", body = [ProjectionView]),
        (status = UNAUTHORIZED, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn list_projections(
    user: CurrentUser,
    State(state): State<AppState>,
) -> Result<axum::Json<Vec<ProjectionView>>> {
    user.require(ADMIN_ONLY)?;
    let status = checkpoint::status(state.db())
        .await
        .map_err(ApiError::internal)?;
    Ok(axum::Json(status.into_iter().map(Into::into).collect()))
}

/// The most recent runs each job shows.
const RUNS_SHOWN: u32 = 10;

/// A scheduled job and its latest runs.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "name": "expire-quotations",
    "description": "Marks expired every sent quotation whose validity has passed",
    "runs": [{
        "run_id": "0193c7a0-0000-7000-8000-000000000001", "as_of": "2026-07-01",
        "trigger": "schedule", "holder": "serve-0193c79f-…", "started_at": "2026-06-30T16:30:00.000000Z",
        "finished_at": "2026-06-30T16:30:01.250000Z", "outcome": "succeeded",
        "counts": { "expired": 3, "skipped": 0, "unchanged": 0 }, "error": null
    }]
}))]
pub(crate) struct JobView {
    /// As `niaga jobs run NAME` takes it.
    name: String,
    description: String,
    /// Newest first, at most ten.
    runs: Vec<JobRunView>,
}

/// One run of a job.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct JobRunView {
    run_id: String,
    /// The business day it ran as of.
    as_of: String,
    /// `schedule` (inside `niaga serve`) or `command` (`niaga jobs run`).
    trigger: String,
    /// The instance that ran it.
    holder: String,
    started_at: String,
    finished_at: Option<String>,
    /// `running`, `succeeded` or `failed`.
    outcome: String,
    /// What it did: `{"expired": 3}`.
    #[schema(value_type = Object)]
    counts: niaga_scheduler::Counts,
    error: Option<String>,
}

impl From<JobRun> for JobRunView {
    fn from(run: JobRun) -> Self {
        Self {
            counts: run.counts(),
            run_id: run.run_id,
            as_of: run.as_of,
            trigger: run.trigger,
            holder: run.holder,
            started_at: run.started_at,
            finished_at: run.finished_at,
            outcome: run.outcome,
            error: run.error,
        }
    }
}

/// Every scheduled job with its latest runs: when, as of which day, on which instance, the
/// outcome and what it did.
#[utoipa::path(
    get,
    path = "/admin/jobs",
    tag = "admin",
    responses(
        (status = OK, description = "The jobs", body = [JobView]),
        (status = UNAUTHORIZED, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn list_jobs(
    user: CurrentUser,
    State(state): State<AppState>,
) -> Result<axum::Json<Vec<JobView>>> {
    user.require(ADMIN_ONLY)?;
    let mut jobs = Vec::new();
    for job in niaga_scheduler::all() {
        let latest = runs::latest(state.db(), job.name(), RUNS_SHOWN)
            .await
            .map_err(ApiError::internal)?;
        jobs.push(JobView {
            name: job.name().to_owned(),
            description: job.description().to_owned(),
            runs: latest.into_iter().map(Into::into).collect(),
        });
    }
    Ok(axum::Json(jobs))
}
