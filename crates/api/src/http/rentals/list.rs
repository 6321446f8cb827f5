//! `GET /rentals` and `GET /rentals/overdue`, from the rentals read model.
// utoipa's path macro expands the `Query<…>` argument into code with a qualified path that
// this lint flags, outside the handler where an item-level allow would reach.
#![allow(unused_qualifications)]

use axum::extract::State;
use chrono::{NaiveDate, Utc};
use niaga_projections::rentals::{self, RentalFilter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::view::{OverdueView, RentalListItem};
use crate::{
    app::AppState,
    auth::{ANY_STAFF, CurrentUser},
    error::{ApiError, Problem, Result},
    extract::Query,
    http::{catch_up::caught_up, page_cursor},
};

/// A rental's state as the list filters on it.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum RentalListStatus {
    Open,
    Closed,
    Cancelled,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListParams {
    /// Only rentals in this state.
    status: Option<RentalListStatus>,
    /// Only this customer's rentals.
    customer_id: Option<Uuid>,
    /// Page size, 1 to 200 (default 50).
    limit: Option<u32>,
    /// The `next` cursor of the previous page.
    after: Option<String>,
    /// Wait until the list includes the command that wrote this global position
    /// (read-your-writes); 503 with `Retry-After` if it does not within 3 seconds.
    min_position: Option<i64>,
}

/// A page of rentals, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RentalListPage {
    items: Vec<RentalListItem>,
    /// Pass as `after` for the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<String>,
}

/// List rentals, newest first, filtered by state and customer, in pages.
#[utoipa::path(
    get,
    path = "/rentals",
    tag = "rentals",
    params(ListParams),
    responses(
        (status = OK, description = "A page of rentals", body = RentalListPage),
        (status = BAD_REQUEST, description = "A malformed parameter or cursor", body = Problem, content_type = "application/problem+json"),
        (status = SERVICE_UNAVAILABLE, description = "Not caught up with `min_position` yet", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub(crate) async fn list_rentals(
    user: CurrentUser,
    State(state): State<AppState>,
    Query(params): Query<ListParams>,
) -> Result<axum::Json<RentalListPage>> {
    user.require(ANY_STAFF)?;
    caught_up(&state, rentals::NAME, params.min_position).await?;
    let filter = RentalFilter {
        status: params.status.map(|s| match s {
            RentalListStatus::Open => rentals::OPEN,
            RentalListStatus::Closed => rentals::CLOSED,
            RentalListStatus::Cancelled => rentals::CANCELLED,
        }),
        customer_id: params.customer_id.map(|id| id.to_string()),
        after: params
            .after
            .as_deref()
            .map(page_cursor::decode)
            .transpose()?,
        limit: params.limit.unwrap_or(50),
    };
    let page = rentals::list(state.db(), &filter)
        .await
        .map_err(ApiError::internal)?;
    Ok(axum::Json(RentalListPage {
        items: page
            .items
            .into_iter()
            .map(TryInto::try_into)
            .collect::<Result<_>>()?,
        next: page.next.as_ref().map(page_cursor::encode),
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub(crate) struct OverdueParams {
    /// The day to look at (today in Malaysia when absent): units due back before it and not
    /// back by its end.
    as_of: Option<NaiveDate>,
    /// Wait until the list includes this global position.
    min_position: Option<i64>,
}

/// Every unit not returned by its expected return date, as of a day: who has it, since when,
/// how many days late, and the late fees charged for it so far. The most overdue first.
#[utoipa::path(
    get,
    path = "/rentals/overdue",
    tag = "rentals",
    params(OverdueParams),
    responses(
        (status = OK, description = "The overdue units", body = Vec<OverdueView>),
        (status = BAD_REQUEST, description = "A malformed date", body = Problem, content_type = "application/problem+json"),
        (status = SERVICE_UNAVAILABLE, description = "Not caught up with `min_position` yet", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub(crate) async fn overdue(
    user: CurrentUser,
    State(state): State<AppState>,
    Query(params): Query<OverdueParams>,
) -> Result<axum::Json<Vec<OverdueView>>> {
    user.require(ANY_STAFF)?;
    caught_up(&state, rentals::NAME, params.min_position).await?;
    let as_of = params
        .as_of
        .unwrap_or_else(|| niaga_domain::business_day(Utc::now()));
    rentals::overdue(state.db(), as_of)
        .await
        .map_err(ApiError::internal)?
        .into_iter()
        .map(|o| OverdueView::new(o, as_of))
        .collect::<Result<_>>()
        .map(axum::Json)
}
