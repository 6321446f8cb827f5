//! `/admin/…`: how the service itself is doing, for the people who run it.

use axum::extract::State;
use niaga_projections::checkpoint::{self, ProjectionStatus};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::AppState,
    auth::{ADMIN_ONLY, CurrentUser},
    error::{ApiError, Problem, Result},
};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_projections))
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
