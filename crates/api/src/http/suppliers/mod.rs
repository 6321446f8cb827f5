//! `/suppliers`: the parties the company buys from, with the same details as a customer's
//! and optionally their own delivery tolerance; the list, and performance per month.

mod body;
mod error;
mod list;
mod view;

use axum::{extract::State, response::Response};
use niaga_domain::{
    ids::SupplierId,
    supplier::{RegisteredSupplier, Supplier},
};
use niaga_store::{CommandOptions, Idempotency};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    app::AppState,
    auth::{ANY_STAFF, CurrentUser, PURCHASING_WRITE},
    command::{CommandAccepted, CommandHeaders, CommandMeta},
    error::{ApiError, Problem, Result},
    extract::{Json, Path},
};
use body::{AmendSupplierBody, RegisterSupplierBody};
use view::SupplierView;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register_supplier, list::list_suppliers))
        .routes(routes!(get_supplier, amend_supplier))
        .routes(routes!(list::supplier_performance))
}

fn location(id: impl std::fmt::Display) -> String {
    format!("/suppliers/{id}")
}

/// The registered supplier with its version; 404 otherwise.
pub(crate) async fn load(state: &AppState, id: Uuid) -> Result<(RegisteredSupplier, u64)> {
    let loaded = state.commands::<Supplier>().load(&id.to_string()).await?;
    loaded
        .and_then(|(supplier, version)| Some((supplier.registered()?.clone(), version)))
        .ok_or_else(|| ApiError::NotFound("supplier".into()))
}

/// Register a supplier with the details a self-billed e-invoice needs of a seller (as a
/// customer's), and optionally its own delivery tolerance.
#[utoipa::path(
    post,
    path = "/suppliers",
    tag = "purchasing",
    request_body = RegisterSupplierBody,
    params(CommandHeaders),
    responses(
        (status = CREATED, description = "Registered", body = CommandAccepted,
            headers(("location" = String, description = "/suppliers/{id}"), ("etag" = String, description = "The version"))),
        (status = UNPROCESSABLE_ENTITY, description = "Invalid fields: `/details/...` as a customer's, `/tolerance_override`",
            body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, description = "Not finance or admin", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn register_supplier(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Json(body): Json<RegisterSupplierBody>,
) -> Result<CommandAccepted> {
    let user = user.require(PURCHASING_WRITE)?;
    let suppliers = state.commands::<Supplier>();
    let (id, options): (SupplierId, _) = meta.create_target(&suppliers, &body).await?;
    let command = body.register(id)?;
    let outcome = suppliers
        .execute(&id.to_string(), &command, &meta.ctx(&user), &options)
        .await?;
    Ok(CommandAccepted::created(id, &outcome).at(location(id)))
}

/// A supplier: its details, its own tolerance if any, and the tolerance its next delivery is
/// judged against. The `ETag` is the version to send in `If-Match`.
#[utoipa::path(
    get,
    path = "/suppliers/{id}",
    tag = "purchasing",
    params(("id" = Uuid, Path, description = "The supplier")),
    responses(
        (status = OK, description = "The supplier", body = SupplierView,
            headers(("etag" = String, description = "The version"))),
        (status = NOT_FOUND, description = "No such supplier", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn get_supplier(
    user: CurrentUser,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<Response> {
    user.require(ANY_STAFF)?;
    let (supplier, version) = load(&state, id).await?;
    let company = state.purchasing_policy().delivery_tolerance;
    crate::http::etag::versioned(SupplierView::new(&supplier, version, company), version)
}

/// Change a supplier: replace its details (all of them), set its own delivery tolerance
/// (`"2.5"`) or return it to the company default (`null`), or both. Honours `If-Match`; what
/// is unchanged writes nothing.
#[utoipa::path(
    patch,
    path = "/suppliers/{id}",
    tag = "purchasing",
    request_body = AmendSupplierBody,
    params(("id" = Uuid, Path, description = "The supplier"), CommandHeaders),
    responses(
        (status = OK, description = "Changed (or unchanged)", body = CommandAccepted),
        (status = NOT_FOUND, description = "No such supplier", body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_FAILED, description = "Changed since the version in If-Match", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "Invalid fields: `/details/...`, `/tolerance_override`",
            body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, description = "Not finance or admin", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn amend_supplier(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(body): Json<AmendSupplierBody>,
) -> Result<CommandAccepted> {
    let user = user.require(PURCHASING_WRITE)?;
    let commands = body.commands()?;
    let suppliers = state.commands::<Supplier>();
    let ctx = meta.ctx(&user);
    let mut options = meta.options_for(&body)?;
    let mut last = None;
    for (step, command) in commands.iter().enumerate() {
        let outcome = suppliers
            .execute(&id.to_string(), command, &ctx, &options)
            .await?;
        // The next command follows the one just decided: `If-Match` was checked by the
        // first, and a retry under the same key replays each step under a key of its own.
        options = CommandOptions {
            expected_version: None,
            idempotency: options.idempotency.map(|i| Idempotency {
                key: format!("{}#{}", i.key, step + 1),
                ..i
            }),
            ..options
        };
        last = Some(outcome);
    }
    let outcome = last.ok_or_else(|| ApiError::internal(anyhow::anyhow!("no supplier command")))?;
    Ok(CommandAccepted::ok(id, &outcome).at(location(id)))
}
