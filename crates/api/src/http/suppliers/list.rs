//! `GET /suppliers` and `GET /suppliers/{id}/performance`, from the read models.
// utoipa's path macro expands the `Query<…>` argument into code with a qualified path that
// this lint flags, outside the handler where an item-level allow would reach.
#![allow(unused_qualifications)]

use axum::extract::State;
use chrono::{Datelike, NaiveDate};
use niaga_projections::{purchase_orders, supplier_list, supplier_performance};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::view::{PerformanceView, SupplierListItem};
use crate::{
    app::AppState,
    auth::{ANY_STAFF, CurrentUser},
    error::{ApiError, Problem, Result},
    extract::{Path, Query},
    http::{catch_up::caught_up, page_cursor},
    validate::Validator,
};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListParams {
    /// Only the supplier with this TIN.
    tin: Option<String>,
    /// Page size, 1 to 200 (default 50).
    limit: Option<u32>,
    /// The `next` cursor of the previous page.
    after: Option<String>,
    /// Wait until the list includes the command that wrote this global position
    /// (read-your-writes); 503 with `Retry-After` if it does not within 3 seconds.
    min_position: Option<i64>,
}

/// A page of suppliers, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SupplierListPage {
    items: Vec<SupplierListItem>,
    /// Pass as `after` for the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<String>,
}

/// List suppliers, newest first, optionally the one with a TIN, in pages.
#[utoipa::path(
    get,
    path = "/suppliers",
    tag = "purchasing",
    params(ListParams),
    responses(
        (status = OK, description = "A page of suppliers", body = SupplierListPage),
        (status = BAD_REQUEST, description = "A malformed parameter or cursor", body = Problem, content_type = "application/problem+json"),
        (status = SERVICE_UNAVAILABLE, description = "Not caught up with `min_position` yet", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub(crate) async fn list_suppliers(
    user: CurrentUser,
    State(state): State<AppState>,
    Query(params): Query<ListParams>,
) -> Result<axum::Json<SupplierListPage>> {
    user.require(ANY_STAFF)?;
    caught_up(&state, supplier_list::NAME, params.min_position).await?;
    let after = params
        .after
        .as_deref()
        .map(page_cursor::decode)
        .transpose()?;
    let tin = params.tin.map(|tin| tin.trim().to_uppercase());
    let page = supplier_list::list(state.db(), tin, after, params.limit.unwrap_or(50))
        .await
        .map_err(ApiError::internal)?;
    Ok(axum::Json(SupplierListPage {
        items: page.items.into_iter().map(Into::into).collect(),
        next: page.next.as_ref().map(page_cursor::encode),
    }))
}

/// The most months one performance query covers: five years.
const MAX_MONTHS: i32 = 60;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub(crate) struct PerformanceParams {
    /// The first month, `YYYY-MM`.
    #[param(example = "2026-01")]
    from: String,
    /// The last month, `YYYY-MM`, at most 60 months after `from`.
    #[param(example = "2026-06")]
    to: String,
    /// Wait until the figures include this global position.
    min_position: Option<i64>,
}

/// The first day of a `YYYY-MM` month.
fn month(text: &str) -> Result<NaiveDate, &'static str> {
    let valid = text.len() == 7 && text.as_bytes().get(4) == Some(&b'-');
    valid
        .then(|| NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d").ok())
        .flatten()
        .ok_or("a month is written YYYY-MM, such as 2026-01")
}

/// A supplier's performance per month from `from` to `to`: deliveries received in the month,
/// the share on time and the average days late; the fill rate (received over ordered) of the
/// orders promised in the month.
#[utoipa::path(
    get,
    path = "/suppliers/{id}/performance",
    tag = "purchasing",
    params(("id" = Uuid, Path, description = "The supplier"), PerformanceParams),
    responses(
        (status = OK, description = "Month by month", body = PerformanceView),
        (status = NOT_FOUND, description = "No such supplier", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "`/from` or `/to` not a month, `/to` before `/from` or too far after it",
            body = Problem, content_type = "application/problem+json"),
        (status = SERVICE_UNAVAILABLE, description = "Not caught up with `min_position` yet", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub(crate) async fn supplier_performance(
    user: CurrentUser,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Query(params): Query<PerformanceParams>,
) -> Result<axum::Json<PerformanceView>> {
    user.require(ANY_STAFF)?;
    let mut v = Validator::new();
    let from = v.check("/from", month(&params.from));
    let to = v.check("/to", month(&params.to));
    if let (Some(from), Some(to)) = (from, to) {
        let index = |d: NaiveDate| d.year() * 12 + i32::try_from(d.month0()).unwrap_or(0);
        let months = index(to) - index(from);
        if months < 0 {
            v.error("/to", "is before `from`");
        } else if months >= MAX_MONTHS {
            v.error("/to", format!("at most {MAX_MONTHS} months at once"));
        }
    }
    let (from, to) = v.build(|| Some((from?, to?)))?;
    super::load(&state, id).await?;
    caught_up(&state, purchase_orders::NAME, params.min_position).await?;
    let months = supplier_performance::monthly(state.db(), &id.to_string(), from, to)
        .await
        .map_err(ApiError::internal)?;
    Ok(axum::Json(PerformanceView::new(id.to_string(), months)))
}
