//! `/customers`: the CRM. Register and amend customers, their contacts, notes and
//! interactions, and the sales pipeline of opportunities.

mod body;
mod error;
mod list;
mod overview;
mod statement;
mod view;

use axum::{extract::State, response::Response};
use niaga_domain::{
    customer::{Customer, CustomerCommand, WinOpportunity},
    ids::{ContactId, CustomerId, InteractionId, OpportunityId},
};
use niaga_store::Outcome;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    app::AppState,
    auth::{ANY_STAFF, Authorized, CurrentUser, SALES_WRITE, STAFF_WRITE},
    command::{CommandAccepted, CommandMeta},
    error::{ApiError, Problem, Result},
    extract::{Json, Path},
};
// Suppliers are parties with the same details.
pub(crate) use body::CustomerDetailsBody;
use body::{ContactBody, InteractionBody, LoseBody, MoveBody, OpportunityBody};
// The auditor's time travel shows a customer of the past as this route shows one today.
pub(crate) use body::{AddressBody, address_at};
pub(super) use view::CustomerView;
pub(crate) use view::address as address_view;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register_customer, list::list_customers))
        .routes(routes!(get_customer, amend_customer))
        .routes(routes!(add_contact))
        .routes(routes!(remove_contact))
        .routes(routes!(record_interaction))
        .routes(routes!(open_opportunity))
        .routes(routes!(move_opportunity))
        .routes(routes!(win_opportunity))
        .routes(routes!(lose_opportunity))
        .routes(routes!(statement::customer_statement))
        .routes(routes!(overview::customer_overview))
}

fn location(id: CustomerId) -> String {
    format!("/customers/{id}")
}

/// Whether a customer with this id is registered: what a document for them requires.
pub(crate) async fn is_registered(state: &AppState, id: Uuid) -> Result<bool> {
    let loaded = state.commands::<Customer>().load(&id.to_string()).await?;
    Ok(loaded.is_some_and(|(customer, _)| customer.registered().is_some()))
}

/// Runs a command on an existing customer and answers 200 with its version and position.
async fn change(
    state: &AppState,
    user: &Authorized,
    meta: &CommandMeta,
    id: Uuid,
    command: CustomerCommand,
    body: &impl serde::Serialize,
) -> Result<CommandAccepted> {
    let outcome: Outcome<_> = state
        .commands::<Customer>()
        .execute(
            &id.to_string(),
            &command,
            &meta.ctx(user),
            &meta.options_for(body)?,
        )
        .await?;
    Ok(CommandAccepted::ok(id, &outcome).at(location(CustomerId::from_uuid(id))))
}

/// Register a customer (company or individual) with the details LHDN e-invoices need.
#[utoipa::path(
    post,
    path = "/customers",
    tag = "customers",
    request_body = CustomerDetailsBody,
    params(
        ("Idempotency-Key" = Option<String>, Header, description = "Repeat-safe key: the same key and body answer like the first time"),
    ),
    responses(
        (status = CREATED, description = "Registered", body = CommandAccepted,
            headers(("location" = String, description = "/customers/{id}"), ("etag" = String, description = "The version"))),
        (status = UNPROCESSABLE_ENTITY, description = "Invalid fields (`errors` lists them) or a rule refused it",
            body = Problem, content_type = "application/problem+json"),
        (status = UNAUTHORIZED, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, description = "Not sales or admin", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn register_customer(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Json(body): Json<CustomerDetailsBody>,
) -> Result<CommandAccepted> {
    let user = user.require(SALES_WRITE)?;
    let customers = state.commands::<Customer>();
    let (id, options) = meta.create_target(&customers, &body).await?;
    let command = CustomerCommand::Register(body.register(id)?);
    let outcome = customers
        .execute(&id.to_string(), &command, &meta.ctx(&user), &options)
        .await?;
    Ok(CommandAccepted::created(id, &outcome).at(location(id)))
}

/// A customer as it is now: details, contacts, interactions and opportunities. The `ETag`
/// is the version to send in `If-Match`.
#[utoipa::path(
    get,
    path = "/customers/{id}",
    tag = "customers",
    params(("id" = Uuid, Path, description = "The customer")),
    responses(
        (status = OK, description = "The customer", body = CustomerView,
            headers(("etag" = String, description = "The version"))),
        (status = NOT_FOUND, description = "No such customer", body = Problem, content_type = "application/problem+json"),
        (status = UNAUTHORIZED, description = "No valid token", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn get_customer(
    user: CurrentUser,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<Response> {
    user.require(ANY_STAFF)?;
    let loaded = state.commands::<Customer>().load(&id.to_string()).await?;
    let Some((customer, version)) = loaded else {
        return Err(ApiError::NotFound("customer".into()));
    };
    let customer = customer
        .registered()
        .ok_or_else(|| ApiError::NotFound("customer".into()))?;
    crate::http::etag::versioned(CustomerView::new(customer, version), version)
}

/// Replace a customer's details (all of them). Honours `If-Match`; an unchanged form writes
/// nothing.
#[utoipa::path(
    put,
    path = "/customers/{id}",
    tag = "customers",
    request_body = CustomerDetailsBody,
    params(
        ("id" = Uuid, Path, description = "The customer"),
        ("If-Match" = Option<String>, Header, description = "The version read (`\"3\"`): refused with 412 if it changed since"),
    ),
    responses(
        (status = OK, description = "Amended (or unchanged)", body = CommandAccepted),
        (status = PRECONDITION_FAILED, description = "The customer changed since the version in If-Match",
            body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, description = "No such customer", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn amend_customer(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(body): Json<CustomerDetailsBody>,
) -> Result<CommandAccepted> {
    let user = user.require(SALES_WRITE)?;
    let command = CustomerCommand::AmendDetails(body.amend()?);
    change(&state, &user, &meta, id, command, &body).await
}

/// Add a contact person.
#[utoipa::path(
    post,
    path = "/customers/{id}/contacts",
    tag = "customers",
    request_body = ContactBody,
    params(("id" = Uuid, Path, description = "The customer")),
    responses(
        (status = OK, description = "Added", body = CommandAccepted),
        (status = NOT_FOUND, description = "No such customer", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn add_contact(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(body): Json<ContactBody>,
) -> Result<CommandAccepted> {
    let user = user.require(SALES_WRITE)?;
    let contact_id = ContactId::from_uuid(body.id.unwrap_or_else(Uuid::now_v7));
    let command = CustomerCommand::AddContact(body.add(contact_id)?);
    change(&state, &user, &meta, id, command, &body).await
}

/// Remove a contact person.
#[utoipa::path(
    delete,
    path = "/customers/{id}/contacts/{contact_id}",
    tag = "customers",
    params(
        ("id" = Uuid, Path, description = "The customer"),
        ("contact_id" = Uuid, Path, description = "The contact"),
    ),
    responses(
        (status = OK, description = "Removed", body = CommandAccepted),
        (status = NOT_FOUND, description = "No such customer or contact", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn remove_contact(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path((id, contact_id)): Path<(Uuid, Uuid)>,
) -> Result<CommandAccepted> {
    let user = user.require(SALES_WRITE)?;
    let command = CustomerCommand::RemoveContact(niaga_domain::customer::RemoveContact {
        contact_id: ContactId::from_uuid(contact_id),
    });
    change(&state, &user, &meta, id, command, &contact_id).await
}

/// Record a note, call, visit, WhatsApp or e-mail. The author is the caller.
#[utoipa::path(
    post,
    path = "/customers/{id}/interactions",
    tag = "customers",
    request_body = InteractionBody,
    params(("id" = Uuid, Path, description = "The customer")),
    responses(
        (status = OK, description = "Recorded", body = CommandAccepted),
        (status = NOT_FOUND, description = "No such customer", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "Empty or too long a summary, or a time in the future",
            body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn record_interaction(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(body): Json<InteractionBody>,
) -> Result<CommandAccepted> {
    let user = user.require(STAFF_WRITE)?;
    let interaction_id = InteractionId::from_uuid(body.id.unwrap_or_else(Uuid::now_v7));
    let command = CustomerCommand::RecordInteraction(body.record(interaction_id));
    change(&state, &user, &meta, id, command, &body).await
}

/// Open a sales opportunity; it starts as a lead.
#[utoipa::path(
    post,
    path = "/customers/{id}/opportunities",
    tag = "pipeline",
    request_body = OpportunityBody,
    params(("id" = Uuid, Path, description = "The customer")),
    responses(
        (status = OK, description = "Opened", body = CommandAccepted),
        (status = NOT_FOUND, description = "No such customer", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "Value not positive, close date in the past, bad title",
            body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn open_opportunity(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(body): Json<OpportunityBody>,
) -> Result<CommandAccepted> {
    let user = user.require(SALES_WRITE)?;
    let opportunity_id = OpportunityId::from_uuid(body.id.unwrap_or_else(Uuid::now_v7));
    let command = CustomerCommand::OpenOpportunity(body.open(opportunity_id)?);
    change(&state, &user, &meta, id, command, &body).await
}

/// Move an open opportunity to another open stage (lead, qualified, proposal).
#[utoipa::path(
    post,
    path = "/customers/{id}/opportunities/{opportunity_id}/stage",
    tag = "pipeline",
    request_body = MoveBody,
    params(
        ("id" = Uuid, Path, description = "The customer"),
        ("opportunity_id" = Uuid, Path, description = "The opportunity"),
    ),
    responses(
        (status = OK, description = "Moved", body = CommandAccepted),
        (status = NOT_FOUND, description = "No such customer or opportunity", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "Already won or lost, or already at that stage",
            body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn move_opportunity(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path((id, opportunity_id)): Path<(Uuid, Uuid)>,
    Json(body): Json<MoveBody>,
) -> Result<CommandAccepted> {
    let user = user.require(SALES_WRITE)?;
    let command =
        CustomerCommand::MoveOpportunity(body.command(OpportunityId::from_uuid(opportunity_id)));
    change(&state, &user, &meta, id, command, &body).await
}

/// Mark an open opportunity won.
#[utoipa::path(
    post,
    path = "/customers/{id}/opportunities/{opportunity_id}/win",
    tag = "pipeline",
    params(
        ("id" = Uuid, Path, description = "The customer"),
        ("opportunity_id" = Uuid, Path, description = "The opportunity"),
    ),
    responses(
        (status = OK, description = "Won", body = CommandAccepted),
        (status = NOT_FOUND, description = "No such customer or opportunity", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "Already won or lost", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn win_opportunity(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path((id, opportunity_id)): Path<(Uuid, Uuid)>,
) -> Result<CommandAccepted> {
    let user = user.require(SALES_WRITE)?;
    let command = CustomerCommand::WinOpportunity(WinOpportunity {
        opportunity_id: OpportunityId::from_uuid(opportunity_id),
    });
    change(&state, &user, &meta, id, command, &opportunity_id).await
}

/// Mark an open opportunity lost, with the reason.
#[utoipa::path(
    post,
    path = "/customers/{id}/opportunities/{opportunity_id}/lose",
    tag = "pipeline",
    request_body = LoseBody,
    params(
        ("id" = Uuid, Path, description = "The customer"),
        ("opportunity_id" = Uuid, Path, description = "The opportunity"),
    ),
    responses(
        (status = OK, description = "Lost", body = CommandAccepted),
        (status = NOT_FOUND, description = "No such customer or opportunity", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "No reason given, or already won or lost",
            body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn lose_opportunity(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path((id, opportunity_id)): Path<(Uuid, Uuid)>,
    Json(body): Json<LoseBody>,
) -> Result<CommandAccepted> {
    let user = user.require(SALES_WRITE)?;
    let command =
        CustomerCommand::LoseOpportunity(body.command(OpportunityId::from_uuid(opportunity_id)));
    change(&state, &user, &meta, id, command, &body).await
}
