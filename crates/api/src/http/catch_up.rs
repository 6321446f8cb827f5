//! Read-your-writes: a query given `min_position` waits until its read model has applied the
//! command that wrote that position, or answers 503 (with `Retry-After`) after a while.

use std::time::Duration;

use niaga_projections::{ProjectionError, runner};

use crate::{
    app::AppState,
    error::{ApiError, Result},
};

/// How long a query waits for its read model to reach `min_position`.
const CATCH_UP_WAIT: Duration = Duration::from_secs(3);

/// Waits until the read model `projection` includes `min_position`, if one is asked for.
pub(crate) async fn caught_up(
    state: &AppState,
    projection: &str,
    min_position: Option<i64>,
) -> Result<()> {
    let Some(position) = min_position else {
        return Ok(());
    };
    runner::wait_for(state.db(), projection, position, CATCH_UP_WAIT)
        .await
        .map_err(|error| match error {
            ProjectionError::NotCaughtUp { .. } => ApiError::ServiceUnavailable,
            other => ApiError::internal(other),
        })
}

/// Waits until the read model `projection` includes every event written so far: for a
/// command that checks a rule across streams against it (a serial taken, a unit booked)
/// and must not miss the write just before it.
pub(crate) async fn caught_up_to_now(state: &AppState, projection: &str) -> Result<()> {
    let head = niaga_projections::checkpoint::head(state.db())
        .await
        .map_err(ApiError::internal)?;
    // No event yet: nothing to wait for.
    caught_up(state, projection, (head > 0).then_some(head)).await
}
