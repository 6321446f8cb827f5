//! `/delivery-orders`: the goods of an invoice, a quotation or a rental on their way to the
//! customer; dispatched, then signed for by the customer on their phone through a
//! single-use link (`/sign/{token}`, in [`crate::http::sign`]), or cancelled before they
//! left.

mod body;
mod error;
mod list;
mod source;
pub(crate) mod view;

use axum::{
    extract::State,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use niaga_documents::SIGNATURE_IMAGE;
use niaga_domain::{
    Ctx,
    customer::Customer,
    delivery_order::{
        CreateDeliveryOrder, DeliveryOrder, DeliveryOrderCommand, DeliveryOrderRecord,
        IssueSignatureLink,
    },
    ids::{CustomerId, DeliveryOrderId, SignatureLinkId},
};
use niaga_store::CommandOptions;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    app::AppState,
    auth::{ANY_STAFF, Authorized, CurrentUser, STAFF_WRITE},
    command::{CommandAccepted, CommandHeaders, CommandMeta},
    error::{ApiError, Problem, Result},
    extract::{Json, Path},
    signing::{Token, link_url, token_sha256, whatsapp_url},
};
use body::{CancelBody, CreateBody, DispatchBody};
use view::DeliveryOrderView;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_delivery_order, list::list_delivery_orders))
        .routes(routes!(get_delivery_order))
        .routes(routes!(dispatch))
        .routes(routes!(issue_signature_link))
        .routes(routes!(cancel))
}

fn location(id: impl std::fmt::Display) -> String {
    format!("/delivery-orders/{id}")
}

/// A command's context on the state's clock (which tests may move forward).
fn ctx(state: &AppState, user: &Authorized, meta: &CommandMeta) -> Ctx {
    Ctx::new(state.clock().now(), user.actor(), meta.correlation_id)
}

/// The delivery order with its version; 404 if there is none.
pub(crate) async fn load(state: &AppState, id: Uuid) -> Result<(DeliveryOrderRecord, u64)> {
    let loaded = state
        .commands::<DeliveryOrder>()
        .load(&id.to_string())
        .await?;
    match loaded {
        Some((delivery_order, version)) => match delivery_order.record() {
            Some(record) => Ok((record.clone(), version)),
            None => Err(ApiError::NotFound("delivery order".into())),
        },
        None => Err(ApiError::NotFound("delivery order".into())),
    }
}

/// Runs a command on a delivery order and answers 200 with its version and position.
async fn change(
    state: &AppState,
    user: &Authorized,
    meta: &CommandMeta,
    id: Uuid,
    command: DeliveryOrderCommand,
    body: &impl Serialize,
) -> Result<CommandAccepted> {
    let outcome = state
        .commands::<DeliveryOrder>()
        .execute(
            &id.to_string(),
            &command,
            &ctx(state, user, meta),
            &meta.options_for(body)?,
        )
        .await?;
    Ok(CommandAccepted::ok(id, &outcome).at(location(id)))
}

/// Make a delivery order for the goods of an invoice, a quotation (its accepted revision,
/// else the current one) or a rental (its units not back yet, with their serials). The
/// lines are copied from the source; the customer must be the source's. The delivery
/// address is the customer's registered one unless another is given.
#[utoipa::path(
    post,
    path = "/delivery-orders",
    tag = "delivery-orders",
    request_body = CreateBody,
    params(CommandHeaders),
    responses(
        (status = CREATED, description = "Created", body = CommandAccepted,
            headers(("location" = String, description = "/delivery-orders/{id}"))),
        (status = UNPROCESSABLE_ENTITY, description = "Invalid fields: `/source/id` unknown, voided or with nothing to deliver, `/customer_id` not the source's customer, `/delivery_address/...`",
            body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, description = "The auditor", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn create_delivery_order(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Json(body): Json<CreateBody>,
) -> Result<CommandAccepted> {
    let user = user.require(STAFF_WRITE)?;
    let handler = state.commands::<DeliveryOrder>();
    let (id, options): (DeliveryOrderId, _) = meta.create_target(&handler, &body).await?;
    let given_address = body.delivery_address()?;
    let source = source::load(&state, &body.source).await?;
    if source.customer_id != body.customer_id {
        return Err(ApiError::field(
            "/customer_id",
            "the source document is for another customer",
        ));
    }
    let customer = state
        .commands::<Customer>()
        .load(&body.customer_id.to_string())
        .await?;
    let Some(customer) = customer.as_ref().and_then(|(c, _)| c.registered()) else {
        return Err(ApiError::field("/customer_id", "no customer has this id"));
    };
    let command = DeliveryOrderCommand::Create(CreateDeliveryOrder {
        id,
        source: source.source,
        customer_id: CustomerId::from_uuid(body.customer_id),
        delivery_address: given_address.unwrap_or_else(|| customer.details.address.clone()),
        lines: source.lines,
    });
    let outcome = handler
        .execute(
            &id.to_string(),
            &command,
            &ctx(&state, &user, &meta),
            &options,
        )
        .await?;
    Ok(CommandAccepted::created(id, &outcome).at(location(id)))
}

/// A delivery order with its lines, dispatch, signature links (never their tokens),
/// refusals and the signature's evidence. The `ETag` is the version to send in `If-Match`.
#[utoipa::path(
    get,
    path = "/delivery-orders/{id}",
    tag = "delivery-orders",
    params(("id" = Uuid, Path, description = "The delivery order")),
    responses(
        (status = OK, description = "The delivery order", body = DeliveryOrderView,
            headers(("etag" = String, description = "The version"))),
        (status = NOT_FOUND, description = "No such delivery order", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn get_delivery_order(
    user: CurrentUser,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<Response> {
    user.require(ANY_STAFF)?;
    let (record, version) = load(&state, id).await?;
    let image = match &record.signature {
        None => None,
        Some(signature) => state
            .documents()
            .for_document(SIGNATURE_IMAGE, &id.to_string())
            .await
            .map_err(ApiError::internal)?
            .into_iter()
            .find(|d| d.sha256 == signature.signature_image_sha256.as_str())
            .map(|d| d.key.to_string()),
    };
    let view = DeliveryOrderView::new(&record, version, state.clock().now(), image);
    crate::http::etag::versioned(view, version)
}

/// Record that the goods left (today, or earlier when recorded late), with the driver and
/// vehicle.
#[utoipa::path(
    post,
    path = "/delivery-orders/{id}/dispatch",
    tag = "delivery-orders",
    request_body = DispatchBody,
    params(("id" = Uuid, Path, description = "The delivery order"), CommandHeaders),
    responses(
        (status = OK, description = "Dispatched (or already, on a retry)", body = CommandAccepted),
        (status = NOT_FOUND, description = "No such delivery order", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "`/dispatched_on` in the future, `/driver`, `/vehicle`, `already-dispatched`, `already-signed`, `delivery-order-cancelled`",
            body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn dispatch(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(body): Json<DispatchBody>,
) -> Result<CommandAccepted> {
    let user = user.require(STAFF_WRITE)?;
    let today = ctx(&state, &user, &meta).business_day();
    let command = DeliveryOrderCommand::Dispatch(body.dispatch(today)?);
    change(&state, &user, &meta, id, command, &body).await
}

/// A new signature link and where to send it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SignatureLinkView {
    /// The delivery order.
    id: String,
    version: u64,
    position: Option<i64>,
    link_id: String,
    /// `<public base url>/sign/<token>`: the only place the token is ever shown. Send it to
    /// the customer; it cannot be shown again (issue a new one if it is lost).
    url: String,
    /// The same URL in a WhatsApp share link (`https://wa.me/?text=…`).
    whatsapp_url: String,
    expires_at: DateTime<Utc>,
}

/// Issue a link for the customer to sign the dispatched delivery order on their phone. It
/// works once, for `NIAGA_SIGNATURE_LINK_TTL_HOURS` (24 by default), and revokes any earlier
/// link not used yet. The token is random (256 bits); only its SHA-256 is stored, so the
/// answer is the only place it appears. `Idempotency-Key` is ignored here: a replay could
/// not show the token again, so a retry issues a new link (revoking the first).
#[utoipa::path(
    post,
    path = "/delivery-orders/{id}/signature-links",
    tag = "delivery-orders",
    params(("id" = Uuid, Path, description = "The delivery order"), CommandHeaders),
    responses(
        (status = CREATED, description = "Issued", body = SignatureLinkView),
        (status = NOT_FOUND, description = "No such delivery order", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "`not-dispatched`, `already-signed`, `delivery-order-cancelled`",
            body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn issue_signature_link(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<Response> {
    let user = user.require(STAFF_WRITE)?;
    let ctx = ctx(&state, &user, &meta);
    let token = Token::generate();
    let link_id = SignatureLinkId::from_uuid(Uuid::now_v7());
    let expires_at = ctx.now + state.signing().link_ttl;
    let command = DeliveryOrderCommand::IssueSignatureLink(IssueSignatureLink {
        link_id,
        token_sha256: token_sha256(token.as_str()),
        expires_at,
    });
    let options = CommandOptions {
        idempotency: None,
        ..meta.options_for(&())?
    };
    let outcome = state
        .commands::<DeliveryOrder>()
        .execute(&id.to_string(), &command, &ctx, &options)
        .await?;
    let url = link_url(state.signing(), &token);
    let view = SignatureLinkView {
        id: id.to_string(),
        version: outcome.version,
        position: outcome.position,
        link_id: link_id.to_string(),
        whatsapp_url: whatsapp_url(&format!(
            "Please check and sign for your delivery here: {url}"
        )),
        url,
        expires_at,
    };
    let mut response = (StatusCode::CREATED, axum::Json(view)).into_response();
    // The body holds a bearer secret: no cache may keep it.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// Cancel a delivery order before it was dispatched, for a reason.
#[utoipa::path(
    post,
    path = "/delivery-orders/{id}/cancel",
    tag = "delivery-orders",
    request_body = CancelBody,
    params(("id" = Uuid, Path, description = "The delivery order"), CommandHeaders),
    responses(
        (status = OK, description = "Cancelled (or already)", body = CommandAccepted),
        (status = NOT_FOUND, description = "No such delivery order", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "`/reason` missing, `already-dispatched`, `already-signed`",
            body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn cancel(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(body): Json<CancelBody>,
) -> Result<CommandAccepted> {
    let user = user.require(STAFF_WRITE)?;
    let command = DeliveryOrderCommand::Cancel(body.cancel());
    change(&state, &user, &meta, id, command, &body).await
}
