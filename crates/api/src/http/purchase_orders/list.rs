//! `GET /purchase-orders` and `GET /purchase-orders/{id}/variance`, from the purchase-order
//! read model.
// utoipa's path macro expands the `Query<…>` argument into code with a qualified path that
// this lint flags, outside the handler where an item-level allow would reach.
#![allow(unused_qualifications)]

use axum::extract::State;
use niaga_projections::{
    delivery_variance,
    purchase_orders::{self, PurchaseOrderFilter},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::view::{DeliveryVarianceView, PurchaseOrderListItem};
use crate::{
    app::AppState,
    auth::{ANY_STAFF, CurrentUser},
    error::{ApiError, Problem, Result},
    extract::{Path, Query},
    http::{catch_up::caught_up, page_cursor},
};

/// An order's state as the list filters on it.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum OrderStatus {
    Draft,
    Sent,
    Closed,
    Cancelled,
}

/// Where an order stands on receipts, as the list filters on it.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ReceiptStatus {
    NotReceived,
    PartlyReceived,
    Received,
    ShortClosed,
    Closed,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListParams {
    /// Only orders in this state.
    status: Option<OrderStatus>,
    /// Only orders this far in receipts.
    receipt_status: Option<ReceiptStatus>,
    /// Only this supplier's orders.
    supplier_id: Option<Uuid>,
    /// Page size, 1 to 200 (default 50).
    limit: Option<u32>,
    /// The `next` cursor of the previous page.
    after: Option<String>,
    /// Wait until the list includes the command that wrote this global position
    /// (read-your-writes); 503 with `Retry-After` if it does not within 3 seconds.
    min_position: Option<i64>,
}

/// A page of purchase orders, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PurchaseOrderListPage {
    items: Vec<PurchaseOrderListItem>,
    /// Pass as `after` for the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<String>,
}

/// List purchase orders, newest first, filtered by state, receipt status and supplier, in
/// pages.
#[utoipa::path(
    get,
    path = "/purchase-orders",
    tag = "purchasing",
    params(ListParams),
    responses(
        (status = OK, description = "A page of purchase orders", body = PurchaseOrderListPage),
        (status = BAD_REQUEST, description = "A malformed parameter or cursor", body = Problem, content_type = "application/problem+json"),
        (status = SERVICE_UNAVAILABLE, description = "Not caught up with `min_position` yet", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub(crate) async fn list_purchase_orders(
    user: CurrentUser,
    State(state): State<AppState>,
    Query(params): Query<ListParams>,
) -> Result<axum::Json<PurchaseOrderListPage>> {
    user.require(ANY_STAFF)?;
    caught_up(&state, purchase_orders::NAME, params.min_position).await?;
    let filter = PurchaseOrderFilter {
        status: params.status.map(|s| match s {
            OrderStatus::Draft => purchase_orders::DRAFT,
            OrderStatus::Sent => purchase_orders::SENT,
            OrderStatus::Closed => purchase_orders::CLOSED,
            OrderStatus::Cancelled => purchase_orders::CANCELLED,
        }),
        receipt_status: params.receipt_status.map(|s| match s {
            ReceiptStatus::NotReceived => purchase_orders::NOT_RECEIVED,
            ReceiptStatus::PartlyReceived => purchase_orders::PARTLY_RECEIVED,
            ReceiptStatus::Received => purchase_orders::RECEIVED,
            ReceiptStatus::ShortClosed => purchase_orders::SHORT_CLOSED,
            ReceiptStatus::Closed => purchase_orders::RECEIPT_CLOSED,
        }),
        supplier_id: params.supplier_id.map(|id| id.to_string()),
        after: params
            .after
            .as_deref()
            .map(page_cursor::decode)
            .transpose()?,
        limit: params.limit.unwrap_or(50),
    };
    let page = purchase_orders::list(state.db(), &filter)
        .await
        .map_err(ApiError::internal)?;
    Ok(axum::Json(PurchaseOrderListPage {
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
pub(crate) struct VarianceParams {
    /// Wait until the variance includes this global position (the `position` of a receipt,
    /// short-close or close).
    min_position: Option<i64>,
}

/// An order's delivery variance: per line what was ordered, received and closed short, over
/// or under by how much (percent), within tolerance or flagged, how late, and the tolerance
/// version it was judged under; and each delivery with its lateness.
#[utoipa::path(
    get,
    path = "/purchase-orders/{id}/variance",
    tag = "purchasing",
    params(("id" = Uuid, Path, description = "The purchase order"), VarianceParams),
    responses(
        (status = OK, description = "The variance", body = DeliveryVarianceView),
        (status = NOT_FOUND, description = "No such purchase order", body = Problem, content_type = "application/problem+json"),
        (status = SERVICE_UNAVAILABLE, description = "Not caught up with `min_position` yet", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub(crate) async fn delivery_variance(
    user: CurrentUser,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Query(params): Query<VarianceParams>,
) -> Result<axum::Json<DeliveryVarianceView>> {
    user.require(ANY_STAFF)?;
    caught_up(&state, purchase_orders::NAME, params.min_position).await?;
    let variance = delivery_variance::of_order(state.db(), &id.to_string())
        .await
        .map_err(ApiError::internal)?
        .ok_or_else(|| ApiError::NotFound("purchase order".into()))?;
    Ok(axum::Json(variance.try_into()?))
}
