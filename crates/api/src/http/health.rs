//! Probes: `/healthz` (the process answers) and `/readyz` (it can serve: the database answers
//! and its schema is current). Public, so an orchestrator needs no token.

use std::time::Duration;

use axum::{extract::State, http::StatusCode};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::AppState,
    error::{ApiError, Problem, Result},
};

/// A probe must answer before the prober gives up; a database that takes longer than this is
/// as good as down.
const READY_TIMEOUT: Duration = Duration::from_secs(2);

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(healthz))
        .routes(routes!(readyz))
}

/// Liveness: 200 while the process serves HTTP at all.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "health",
    security(()),
    responses((status = OK, description = "The process is up"))
)]
async fn healthz() -> StatusCode {
    StatusCode::OK
}

/// Readiness: 200 when the database answers and every migration is applied, else 503.
#[utoipa::path(
    get,
    path = "/readyz",
    tag = "health",
    security(()),
    responses(
        (status = OK, description = "Ready to serve"),
        (status = SERVICE_UNAVAILABLE, description = "The database is unavailable or not migrated",
            body = Problem, content_type = "application/problem+json"),
    )
)]
async fn readyz(State(state): State<AppState>) -> Result<StatusCode> {
    match tokio::time::timeout(READY_TIMEOUT, state.db().is_ready()).await {
        Ok(true) => Ok(StatusCode::OK),
        Ok(false) | Err(_) => Err(ApiError::ServiceUnavailable),
    }
}
