//! `/purchase-orders`: orders to suppliers, drafted and amended, sent under a number from the
//! per-year series, received in partial deliveries judged for variance against the
//! supplier's tolerance (or the company default), lines closed short, and orders closed;
//! the list and each order's delivery variance.

mod body;
mod error;
mod list;
mod view;

use axum::{extract::State, response::Response};
use chrono::Datelike;
use niaga_domain::{
    ids::{GoodsReceiptId, PurchaseOrderId, SupplierId},
    purchase_order::{
        DeliveryTolerance, PurchaseOrder, PurchaseOrderCommand, PurchaseOrderEvent,
        PurchaseOrderNumber, PurchaseOrderRecord, SERIES, SendPurchaseOrder,
    },
};
use niaga_store::NumberSeries;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    app::AppState,
    auth::{ANY_STAFF, Authorized, CurrentUser, PURCHASING_WRITE, WAREHOUSE_WRITE},
    command::{CommandAccepted, CommandHeaders, CommandMeta},
    error::{ApiError, Problem, Result},
    extract::{Json, Path},
    http::suppliers,
};
use body::{AmendBody, CloseBody, DraftBody, ReceiveBody, ShortCloseBody};
use view::PurchaseOrderView;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(draft_purchase_order, list::list_purchase_orders))
        .routes(routes!(get_purchase_order, amend_purchase_order))
        .routes(routes!(send_purchase_order))
        .routes(routes!(receive_goods))
        .routes(routes!(short_close_line))
        .routes(routes!(close_purchase_order))
        .routes(routes!(list::delivery_variance))
}

fn location(id: impl std::fmt::Display) -> String {
    format!("/purchase-orders/{id}")
}

/// The order as stored now, with its version; 404 if never drafted.
async fn load(state: &AppState, id: Uuid) -> Result<(PurchaseOrder, u64)> {
    let loaded = state
        .commands::<PurchaseOrder>()
        .load(&id.to_string())
        .await?;
    match loaded {
        Some((order, version)) if order.record().is_some() => Ok((order, version)),
        _ => Err(ApiError::NotFound("purchase order".into())),
    }
}

/// The record of a loaded order (present: `load` checked it).
fn record(order: &PurchaseOrder) -> Result<&PurchaseOrderRecord> {
    order
        .record()
        .ok_or_else(|| ApiError::NotFound("purchase order".into()))
}

/// What a delivery from the order's supplier is judged against: the supplier's own
/// tolerance, else the company default from configuration.
async fn tolerance(state: &AppState, supplier_id: SupplierId) -> Result<DeliveryTolerance> {
    let company = state.purchasing_policy().delivery_tolerance;
    let (supplier, _) = suppliers::load(state, *supplier_id.as_uuid()).await?;
    Ok(supplier.delivery_tolerance(company))
}

/// Runs the command `make` builds with the tolerance of the order's supplier (a delivery is
/// judged against it) and answers 200.
async fn judged(
    state: &AppState,
    user: &Authorized,
    meta: &CommandMeta,
    id: Uuid,
    make: impl FnOnce(DeliveryTolerance) -> Result<PurchaseOrderCommand>,
    body: &impl serde::Serialize,
) -> Result<CommandAccepted> {
    let (order, _) = load(state, id).await?;
    let command = make(tolerance(state, record(&order)?.supplier_id).await?)?;
    change(state, user, meta, id, command, body).await
}

/// Runs a command on an order and answers 200 with its version and position.
async fn change(
    state: &AppState,
    user: &Authorized,
    meta: &CommandMeta,
    id: Uuid,
    command: PurchaseOrderCommand,
    body: &impl serde::Serialize,
) -> Result<CommandAccepted> {
    let outcome = state
        .commands::<PurchaseOrder>()
        .execute(
            &id.to_string(),
            &command,
            &meta.ctx(user),
            &meta.options_for(body)?,
        )
        .await?;
    Ok(CommandAccepted::ok(id, &outcome).at(location(id)))
}

/// Draft a purchase order to a registered supplier: lines (item, quantity, unit, price) and
/// the promised delivery date. It is numbered when sent.
#[utoipa::path(
    post,
    path = "/purchase-orders",
    tag = "purchasing",
    request_body = DraftBody,
    params(CommandHeaders),
    responses(
        (status = CREATED, description = "Drafted", body = CommandAccepted,
            headers(("location" = String, description = "/purchase-orders/{id}"), ("etag" = String, description = "The version"))),
        (status = UNPROCESSABLE_ENTITY, description = "Invalid fields: `/supplier_id` unknown, `/currency`, `/lines` empty or too many, `/lines/0/quantity`, `/lines/0/unit_price`…",
            body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, description = "Not finance or admin", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn draft_purchase_order(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Json(body): Json<DraftBody>,
) -> Result<CommandAccepted> {
    let user = user.require(PURCHASING_WRITE)?;
    let orders = state.commands::<PurchaseOrder>();
    let (id, options): (PurchaseOrderId, _) = meta.create_target(&orders, &body).await?;
    let command = PurchaseOrderCommand::Draft(body.draft(id)?);
    suppliers::load(&state, body.supplier_id)
        .await
        .map_err(|e| e.missing_at("/supplier_id", "no supplier has this id"))?;
    let outcome = orders
        .execute(&id.to_string(), &command, &meta.ctx(&user), &options)
        .await?;
    Ok(CommandAccepted::created(id, &outcome).at(location(id)))
}

/// A purchase order: its current lines with what arrived of each, its deliveries,
/// short-closed lines and how it ended. The `ETag` is the version to send in `If-Match`.
#[utoipa::path(
    get,
    path = "/purchase-orders/{id}",
    tag = "purchasing",
    params(("id" = Uuid, Path, description = "The purchase order")),
    responses(
        (status = OK, description = "The purchase order", body = PurchaseOrderView,
            headers(("etag" = String, description = "The version"))),
        (status = NOT_FOUND, description = "No such purchase order", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn get_purchase_order(
    user: CurrentUser,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<Response> {
    user.require(ANY_STAFF)?;
    let (order, version) = load(&state, id).await?;
    let view = PurchaseOrderView::new(&order, record(&order)?, version)?;
    crate::http::etag::versioned(view, version)
}

/// Amend an order before anything is received: its lines (all of them), its promised date,
/// or both. A draft is simply edited; a sent order gets a new revision that keeps what it
/// replaced. Honours `If-Match`; an unchanged form writes nothing.
#[utoipa::path(
    patch,
    path = "/purchase-orders/{id}",
    tag = "purchasing",
    request_body = AmendBody,
    params(("id" = Uuid, Path, description = "The purchase order"), CommandHeaders),
    responses(
        (status = OK, description = "Amended (or unchanged)", body = CommandAccepted),
        (status = NOT_FOUND, description = "No such purchase order", body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_FAILED, description = "Changed since the version in If-Match", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "Invalid `/lines/...`; `amend-after-receipt`, `amend-after-short-close`, `purchase-order-closed`, `purchase-order-cancelled`",
            body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn amend_purchase_order(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(body): Json<AmendBody>,
) -> Result<CommandAccepted> {
    let user = user.require(PURCHASING_WRITE)?;
    let (order, _) = load(&state, id).await?;
    let command = PurchaseOrderCommand::Amend(body.amend(record(&order)?)?);
    change(&state, &user, &meta, id, command, &body).await
}

/// Send the draft to the supplier: it is numbered `PO-<year>-<serial>` (the year of today's
/// Malaysian business day) from a gapless series, as revision 1.
#[utoipa::path(
    post,
    path = "/purchase-orders/{id}/send",
    tag = "purchasing",
    params(("id" = Uuid, Path, description = "The purchase order"), CommandHeaders),
    responses(
        (status = OK, description = "Sent; `number` is the order's", body = CommandAccepted),
        (status = NOT_FOUND, description = "No such purchase order", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "`purchase-order-already-sent`, `purchase-order-closed`, `purchase-order-cancelled`",
            body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn send_purchase_order(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<CommandAccepted> {
    let user = user.require(PURCHASING_WRITE)?;
    let ctx = meta.ctx(&user);
    let year = ctx.business_day().year();
    let outcome = state
        .commands::<PurchaseOrder>()
        .execute_numbered(
            &id.to_string(),
            &NumberSeries::new(SERIES, year),
            &|serial| {
                let number = PurchaseOrderNumber::new(year, serial).ok()?;
                Some(PurchaseOrderCommand::Send(SendPurchaseOrder { number }))
            },
            &ctx,
            &meta.options_for(&id)?,
        )
        .await?;
    // A replayed request wrote nothing now: the number is on the order.
    let number = match outcome.events.first() {
        Some(PurchaseOrderEvent::PurchaseOrderSent(e)) => Some(e.number.to_string()),
        _ => load(&state, id)
            .await?
            .0
            .record()
            .and_then(|r| r.sending.as_ref().map(|s| s.number.to_string())),
    };
    let accepted = CommandAccepted::ok(id, &outcome).at(location(id));
    Ok(match number {
        Some(number) => accepted.numbered(number),
        None => accepted,
    })
}

/// Record one delivery from the supplier: some quantity of some lines (partial deliveries
/// are normal). Each line is judged on its cumulative quantity against the supplier's
/// tolerance (or the company default); a line beyond it, or a delivery after the promised
/// date, raises a variance flag. The same `receipt_id` again is answered as done.
#[utoipa::path(
    post,
    path = "/purchase-orders/{id}/receipts",
    tag = "purchasing",
    request_body = ReceiveBody,
    params(("id" = Uuid, Path, description = "The purchase order"), CommandHeaders),
    responses(
        (status = OK, description = "Received (or already, on a retry)", body = CommandAccepted),
        (status = NOT_FOUND, description = "No such purchase order", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "`/lines/0/line` not on the order, listed twice or closed short, `/lines` empty, `/received_on` in the future or before the order, `/receiver`; `purchase-order-not-sent`, `purchase-order-closed`, `receipt-id-reused`",
            body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, description = "Not warehouse or admin", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn receive_goods(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(body): Json<ReceiveBody>,
) -> Result<CommandAccepted> {
    let user = user.require(WAREHOUSE_WRITE)?;
    let today = meta.ctx(&user).business_day();
    let receipt_id = GoodsReceiptId::from_uuid(body.receipt_id.unwrap_or_else(Uuid::now_v7));
    let make = |tolerance| -> Result<_> {
        Ok(PurchaseOrderCommand::ReceiveGoods(
            body.receive(receipt_id, today, tolerance)?,
        ))
    };
    judged(&state, &user, &meta, id, make, &body).await
}

/// Close one line whose outstanding quantity will never arrive, for a reason; its shortfall
/// is judged as final against the tolerance, and flagged beyond it.
#[utoipa::path(
    post,
    path = "/purchase-orders/{id}/lines/{line}/short-close",
    tag = "purchasing",
    request_body = ShortCloseBody,
    params(
        ("id" = Uuid, Path, description = "The purchase order"),
        ("line" = u16, Path, description = "The line's number, from 1"),
        CommandHeaders,
    ),
    responses(
        (status = OK, description = "Closed short (or already)", body = CommandAccepted),
        (status = NOT_FOUND, description = "No such purchase order", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "`/line` not on the order or already received in full, `/reason` missing; `purchase-order-not-sent`, `purchase-order-closed`",
            body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn short_close_line(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path((id, line)): Path<(Uuid, u16)>,
    Json(body): Json<ShortCloseBody>,
) -> Result<CommandAccepted> {
    let user = user.require(PURCHASING_WRITE)?;
    let make = |tolerance| -> Result<_> {
        Ok(PurchaseOrderCommand::ShortCloseLine(
            body.short_close(line, tolerance)?,
        ))
    };
    judged(&state, &user, &meta, id, make, &body).await
}

/// Close a sent order: when every line is received in full, over-received or closed short;
/// or forced with `force_reason`, leaving the lines still short as they are (judged as final
/// and flagged beyond tolerance). Send `{}` for a plain close.
#[utoipa::path(
    post,
    path = "/purchase-orders/{id}/close",
    tag = "purchasing",
    request_body = CloseBody,
    params(("id" = Uuid, Path, description = "The purchase order"), CommandHeaders),
    responses(
        (status = OK, description = "Closed (or already)", body = CommandAccepted),
        (status = NOT_FOUND, description = "No such purchase order", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "`purchase-order-not-complete` (force it with a reason), `nothing-received`, `purchase-order-not-sent`, `/force_reason`",
            body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn close_purchase_order(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(body): Json<CloseBody>,
) -> Result<CommandAccepted> {
    let user = user.require(PURCHASING_WRITE)?;
    let make = |tolerance| -> Result<_> { Ok(PurchaseOrderCommand::Close(body.close(tolerance))) };
    judged(&state, &user, &meta, id, make, &body).await
}
