//! `GET /delivery-orders`, from the delivery orders read model.
// utoipa's path macro expands the `Query<…>` argument into code with a qualified path that
// this lint flags, outside the handler where an item-level allow would reach.
#![allow(unused_qualifications)]

use axum::extract::State;
use niaga_projections::delivery_orders::{self, DeliveryOrderFilter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::view::DeliveryOrderListItem;
use crate::{
    app::AppState,
    auth::{ANY_STAFF, CurrentUser},
    error::{ApiError, Problem, Result},
    extract::Query,
    http::{catch_up::caught_up, page_cursor},
};

/// A delivery order's state as the list filters on it.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum DeliveryOrderListStatus {
    Created,
    Dispatched,
    Signed,
    Cancelled,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListParams {
    /// Only delivery orders in this state.
    status: Option<DeliveryOrderListStatus>,
    /// Only this customer's delivery orders.
    customer_id: Option<Uuid>,
    /// Page size, 1 to 200 (default 50).
    limit: Option<u32>,
    /// The `next` cursor of the previous page.
    after: Option<String>,
    /// Wait until the list includes the command that wrote this global position
    /// (read-your-writes); 503 with `Retry-After` if it does not within 3 seconds.
    min_position: Option<i64>,
}

/// A page of delivery orders, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct DeliveryOrderListPage {
    items: Vec<DeliveryOrderListItem>,
    /// Pass as `after` for the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<String>,
}

/// List delivery orders, newest first, filtered by state and customer, in pages.
#[utoipa::path(
    get,
    path = "/delivery-orders",
    tag = "delivery-orders",
    params(ListParams),
    responses(
        (status = OK, description = "A page of delivery orders", body = DeliveryOrderListPage),
        (status = BAD_REQUEST, description = "A malformed parameter or cursor", body = Problem, content_type = "application/problem+json"),
        (status = SERVICE_UNAVAILABLE, description = "Not caught up with `min_position` yet", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub(crate) async fn list_delivery_orders(
    user: CurrentUser,
    State(state): State<AppState>,
    Query(params): Query<ListParams>,
) -> Result<axum::Json<DeliveryOrderListPage>> {
    user.require(ANY_STAFF)?;
    caught_up(&state, delivery_orders::NAME, params.min_position).await?;
    let filter = DeliveryOrderFilter {
        status: params.status.map(|s| match s {
            DeliveryOrderListStatus::Created => delivery_orders::CREATED,
            DeliveryOrderListStatus::Dispatched => delivery_orders::DISPATCHED,
            DeliveryOrderListStatus::Signed => delivery_orders::SIGNED,
            DeliveryOrderListStatus::Cancelled => delivery_orders::CANCELLED,
        }),
        customer_id: params.customer_id.map(|id| id.to_string()),
        after: params
            .after
            .as_deref()
            .map(page_cursor::decode)
            .transpose()?,
        limit: params.limit.unwrap_or(50),
    };
    let page = delivery_orders::list(state.db(), &filter)
        .await
        .map_err(ApiError::internal)?;
    Ok(axum::Json(DeliveryOrderListPage {
        items: page.items.into_iter().map(Into::into).collect(),
        next: page.next.as_ref().map(page_cursor::encode),
    }))
}
