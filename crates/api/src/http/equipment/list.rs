//! `GET /equipment` and `GET /equipment/availability`, from the read models.
// utoipa's path macro expands the `Query<…>` argument into code with a qualified path that
// this lint flags, outside the handler where an item-level allow would reach.
#![allow(unused_qualifications)]

use std::collections::BTreeMap;

use axum::extract::State;
use chrono::{NaiveDate, Utc};
use niaga_projections::{equipment_units, rentals};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::view::{CustodyView, UnitListItem};
use crate::{
    app::AppState,
    auth::{ANY_STAFF, CurrentUser},
    error::{ApiError, Problem, Result},
    extract::Query,
    http::{catch_up::caught_up, page_cursor},
};

/// The longest range an availability check covers: two years of days.
const MAX_RANGE_DAYS: i64 = 731;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub(crate) struct MinPosition {
    /// Wait until the read model includes the command that wrote this global position
    /// (read-your-writes); 503 with `Retry-After` if it does not within 3 seconds.
    pub(crate) min_position: Option<i64>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListParams {
    /// Only the unit with this serial.
    serial: Option<String>,
    /// Page size, 1 to 200 (default 50).
    limit: Option<u32>,
    /// The `next` cursor of the previous page.
    after: Option<String>,
    /// Wait until the list includes this global position.
    min_position: Option<i64>,
}

/// A page of units, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct UnitListPage {
    items: Vec<UnitListItem>,
    /// Pass as `after` for the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<String>,
}

/// List equipment units, newest first, in pages.
#[utoipa::path(
    get,
    path = "/equipment",
    tag = "equipment",
    params(ListParams),
    responses(
        (status = OK, description = "A page of units", body = UnitListPage),
        (status = BAD_REQUEST, description = "A malformed parameter or cursor", body = Problem, content_type = "application/problem+json"),
        (status = SERVICE_UNAVAILABLE, description = "Not caught up with `min_position` yet", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub(crate) async fn list_units(
    user: CurrentUser,
    State(state): State<AppState>,
    Query(params): Query<ListParams>,
) -> Result<axum::Json<UnitListPage>> {
    user.require(ANY_STAFF)?;
    caught_up(&state, equipment_units::NAME, params.min_position).await?;
    let after = params
        .after
        .as_deref()
        .map(page_cursor::decode)
        .transpose()?;
    let page = equipment_units::list(state.db(), params.serial, after, params.limit.unwrap_or(50))
        .await
        .map_err(ApiError::internal)?;
    Ok(axum::Json(UnitListPage {
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
pub(crate) struct AvailabilityParams {
    /// The first day wanted.
    from: NaiveDate,
    /// The last day wanted (on or after `from`, at most two years later).
    until: NaiveDate,
    /// Wait until the answer includes this global position.
    min_position: Option<i64>,
}

/// A unit in service and whether it is free on every day of the range.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct UnitAvailability {
    unit: UnitListItem,
    /// Free on every day asked about: no rental holds it then.
    free: bool,
    /// The rentals that hold it on some of those days (a unit still out past its expected
    /// return is held at least through today).
    held_by: Vec<CustodyView>,
}

/// Which units in service are free from `from` to `until`, and who holds the others. Units
/// retired before `from` are left out.
#[utoipa::path(
    get,
    path = "/equipment/availability",
    tag = "equipment",
    params(AvailabilityParams),
    responses(
        (status = OK, description = "Every unit in service, free or held", body = Vec<UnitAvailability>),
        (status = UNPROCESSABLE_ENTITY, description = "`until` before `from`, or a range over two years", body = Problem, content_type = "application/problem+json"),
        (status = BAD_REQUEST, description = "A malformed date", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub(crate) async fn availability(
    user: CurrentUser,
    State(state): State<AppState>,
    Query(params): Query<AvailabilityParams>,
) -> Result<axum::Json<Vec<UnitAvailability>>> {
    user.require(ANY_STAFF)?;
    if params.until < params.from {
        return Err(ApiError::field("/until", "is before `from`"));
    }
    if (params.until - params.from).num_days() > MAX_RANGE_DAYS {
        return Err(ApiError::field(
            "/until",
            "is more than two years after `from`",
        ));
    }
    caught_up(&state, rentals::NAME, params.min_position).await?;
    let today = niaga_domain::ctx::business_day(Utc::now());
    let units = equipment_units::in_service(state.db(), params.from)
        .await
        .map_err(ApiError::internal)?;
    let mut holds: BTreeMap<String, Vec<CustodyView>> = BTreeMap::new();
    for hold in rentals::holding_any(state.db(), params.from, params.until, today)
        .await
        .map_err(ApiError::internal)?
    {
        holds
            .entry(hold.unit_id.clone())
            .or_default()
            .push(hold.into());
    }
    units
        .into_iter()
        .map(|unit| {
            let held_by = holds.remove(&unit.unit_id).unwrap_or_default();
            Ok(UnitAvailability {
                free: held_by.is_empty(),
                held_by,
                unit: unit.try_into()?,
            })
        })
        .collect::<Result<_>>()
        .map(axum::Json)
}
