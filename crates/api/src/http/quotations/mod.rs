//! `/quotations`: priced offers to customers. Draft (numbered `QUO-<year>-<serial>` from a
//! gapless per-year series), amend, send, revise as r2, r3…, and record the customer's
//! acceptance of one revision, or their rejection, or the expiry.

mod body;
mod error;
mod list;
mod view;

use axum::{
    extract::State,
    response::{IntoResponse, Response},
};
use chrono::Datelike;
use niaga_domain::{
    ids::QuotationId,
    quotation::{
        ExpireQuotation, Quotation, QuotationCommand, QuotationEvent, QuotationNumber,
        RevisionNumber,
    },
};
use niaga_store::{NumberSeries, Outcome};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    app::AppState,
    auth::{ANY_STAFF, Authorized, CurrentUser, SALES_WRITE},
    command::{CommandAccepted, CommandHeaders, CommandMeta},
    error::{ApiError, Problem, Result},
    extract::{Json, Path},
    http::customers::is_registered,
};
use body::{AcceptBody, DraftBody, LinesBody, RejectBody, ReviseBody, SendBody, ValidityBody};
use view::{QuotationView, RevisionMade};

/// The number series of quotations, stored: never rename.
const SERIES: &str = "quotation";

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(draft_quotation, list::list_quotations))
        .routes(routes!(get_quotation))
        .routes(routes!(amend_lines))
        .routes(routes!(change_validity))
        .routes(routes!(send_quotation))
        .routes(routes!(revise_quotation))
        .routes(routes!(accept_quotation))
        .routes(routes!(reject_quotation))
        .routes(routes!(expire_quotation))
    // `POST /quotations/{id}/convert-to-invoice` lives with the invoice routes
    // (`invoices/convert.rs`): it writes on both aggregates.
}

fn location(id: QuotationId) -> String {
    format!("/quotations/{id}")
}

/// Runs a command on an existing quotation and answers 200 with its version and position.
async fn change(
    state: &AppState,
    user: &Authorized,
    meta: &CommandMeta,
    id: Uuid,
    command: QuotationCommand,
    body: &impl serde::Serialize,
) -> Result<CommandAccepted> {
    let outcome: Outcome<_> = state
        .commands::<Quotation>()
        .execute(
            &id.to_string(),
            &command,
            &meta.ctx(user),
            &meta.options_for(body)?,
        )
        .await?;
    Ok(CommandAccepted::ok(id, &outcome).at(location(QuotationId::from_uuid(id))))
}

/// 201 with the quotation's `Location`, naming the revision a command made: the one in its
/// events, or for a replayed request (no events), `made` if known, else the current one.
async fn revision_made(
    state: &AppState,
    id: QuotationId,
    outcome: &Outcome<QuotationEvent>,
    made: Option<RevisionNumber>,
) -> Result<Response> {
    let loaded = state.commands::<Quotation>().load(&id.to_string()).await?;
    let quotation = loaded
        .as_ref()
        .and_then(|(quotation, _)| quotation.drafted())
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("a quotation just written is gone")))?;
    let from_events = outcome.events.iter().find_map(|event| match event {
        QuotationEvent::QuotationDrafted(e) => Some(e.revision),
        QuotationEvent::QuotationRevised(e) => Some(e.revision),
        _ => None,
    });
    let revision = from_events.or(made).unwrap_or(quotation.current.number);
    let accepted = CommandAccepted::created(id, outcome).at(location(id));
    let body = RevisionMade {
        accepted: accepted.clone(),
        number: quotation.number.as_str().to_owned(),
        revision: revision.get(),
        revision_number: quotation.number.with_revision(revision),
    };
    // The status and headers (ETag, Location, Idempotent-Replayed) of a command's answer, with
    // the revision added to its body.
    let mut response = accepted.into_response();
    *response.body_mut() =
        axum::body::Body::from(serde_json::to_vec(&body).map_err(ApiError::internal)?);
    Ok(response)
}

/// Draft a quotation for a registered customer, as revision r1. It is numbered
/// `QUO-<year>-<serial>` (the year of today's Malaysian business day) from a gapless series:
/// the number is taken only if the quotation is written.
#[utoipa::path(
    post,
    path = "/quotations",
    tag = "quotations",
    request_body = DraftBody,
    params(CommandHeaders),
    responses(
        (status = CREATED, description = "Drafted as r1", body = RevisionMade,
            headers(("location" = String, description = "/quotations/{id}"), ("etag" = String, description = "The version"))),
        (status = UNPROCESSABLE_ENTITY, description = "Invalid fields (`errors` lists them, e.g. `/customer_id` for an unknown customer, `/lines/0/quantity`)",
            body = Problem, content_type = "application/problem+json"),
        (status = UNAUTHORIZED, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, description = "Not sales or admin", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn draft_quotation(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Json(body): Json<DraftBody>,
) -> Result<Response> {
    let user = user.require(SALES_WRITE)?;
    let quotations = state.commands::<Quotation>();
    // A retried create lands on the quotation (and number) its first attempt made.
    let (id, options) = meta.create_target(&quotations, &body).await?;
    let draft = body.draft(id)?;
    if !is_registered(&state, body.customer_id).await? {
        return Err(ApiError::field("/customer_id", "no customer has this id"));
    }
    let ctx = meta.ctx(&user);
    let year = ctx.business_day().year();
    let outcome = quotations
        .execute_numbered(
            &id.to_string(),
            &NumberSeries::new(SERIES, year),
            &|serial| {
                Some(QuotationCommand::Draft(draft(QuotationNumber::new(
                    year, serial,
                ))))
            },
            &ctx,
            &options,
        )
        .await?;
    revision_made(&state, id, &outcome, Some(RevisionNumber::FIRST)).await
}

/// A quotation with every revision (lines and totals as priced or sent), its acceptance and
/// conversion. The `ETag` is the version to send in `If-Match`.
#[utoipa::path(
    get,
    path = "/quotations/{id}",
    tag = "quotations",
    params(("id" = Uuid, Path, description = "The quotation")),
    responses(
        (status = OK, description = "The quotation", body = QuotationView,
            headers(("etag" = String, description = "The version"))),
        (status = NOT_FOUND, description = "No such quotation", body = Problem, content_type = "application/problem+json"),
        (status = UNAUTHORIZED, description = "No valid token", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn get_quotation(
    user: CurrentUser,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<Response> {
    user.require(ANY_STAFF)?;
    let loaded = state.commands::<Quotation>().load(&id.to_string()).await?;
    let Some((quotation, version)) = loaded else {
        return Err(ApiError::NotFound("quotation".into()));
    };
    let quotation = quotation
        .drafted()
        .ok_or_else(|| ApiError::NotFound("quotation".into()))?;
    crate::http::etag::versioned(QuotationView::new(quotation, version), version)
}

/// Replace all the lines of the draft revision (the form saved whole; the issue's
/// "add lines" is this). They are priced under today's SST rules; the same lines again
/// write nothing.
#[utoipa::path(
    put,
    path = "/quotations/{id}/lines",
    tag = "quotations",
    request_body = LinesBody,
    params(("id" = Uuid, Path, description = "The quotation"), CommandHeaders),
    responses(
        (status = OK, description = "Amended (or unchanged)", body = CommandAccepted),
        (status = PRECONDITION_FAILED, description = "Changed since the version in If-Match", body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, description = "No such quotation", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "Invalid lines (pointers such as `/lines/0/quantity`), or the current revision is no longer a draft (`revision-not-draft`)",
            body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, description = "Not sales or admin", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn amend_lines(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(body): Json<LinesBody>,
) -> Result<CommandAccepted> {
    let user = user.require(SALES_WRITE)?;
    let command = QuotationCommand::AmendLines(body.amend()?);
    change(&state, &user, &meta, id, command, &body).await
}

/// Change how long the quotation stays open once sent, while its current revision is a
/// draft.
#[utoipa::path(
    put,
    path = "/quotations/{id}/validity",
    tag = "quotations",
    request_body = ValidityBody,
    params(("id" = Uuid, Path, description = "The quotation"), CommandHeaders),
    responses(
        (status = OK, description = "Changed (or unchanged)", body = CommandAccepted),
        (status = PRECONDITION_FAILED, description = "Changed since the version in If-Match", body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, description = "No such quotation", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "Not 1 to 365 days, or the current revision is no longer a draft",
            body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, description = "Not sales or admin", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn change_validity(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(body): Json<ValidityBody>,
) -> Result<CommandAccepted> {
    let user = user.require(SALES_WRITE)?;
    let command = QuotationCommand::ChangeValidity(body.change()?);
    change(&state, &user, &meta, id, command, &body).await
}

/// Send the current draft revision to the customer. It is dated today, priced again under
/// today's SST rules, and open until its validity has passed.
#[utoipa::path(
    post,
    path = "/quotations/{id}/send",
    tag = "quotations",
    request_body = SendBody,
    params(("id" = Uuid, Path, description = "The quotation"), CommandHeaders),
    responses(
        (status = OK, description = "Sent", body = CommandAccepted),
        (status = PRECONDITION_FAILED, description = "Changed since the version in If-Match", body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, description = "No such quotation", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "Invalid recipient, no lines (`no-lines`) or already sent (`revision-not-draft`)",
            body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, description = "Not sales or admin", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn send_quotation(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(body): Json<SendBody>,
) -> Result<CommandAccepted> {
    let user = user.require(SALES_WRITE)?;
    let command = QuotationCommand::Send(body.send()?);
    change(&state, &user, &meta, id, command, &body).await
}

/// Make a new revision (r2, r3…) of a sent, rejected or expired quotation: with new lines, or
/// the current ones priced again. The revision before no longer stands.
#[utoipa::path(
    post,
    path = "/quotations/{id}/revisions",
    tag = "quotations",
    request_body = ReviseBody,
    params(("id" = Uuid, Path, description = "The quotation"), CommandHeaders),
    responses(
        (status = CREATED, description = "The new draft revision", body = RevisionMade,
            headers(("location" = String, description = "/quotations/{id}"), ("etag" = String, description = "The version"))),
        (status = PRECONDITION_FAILED, description = "Changed since the version in If-Match", body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, description = "No such quotation", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "Invalid lines, the current revision is still a draft (`revise-draft`) or accepted (`already-accepted`)",
            body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, description = "Not sales or admin", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn revise_quotation(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(body): Json<ReviseBody>,
) -> Result<Response> {
    let user = user.require(SALES_WRITE)?;
    let command = QuotationCommand::Revise(body.revise()?);
    let outcome = state
        .commands::<Quotation>()
        .execute(
            &id.to_string(),
            &command,
            &meta.ctx(&user),
            &meta.options_for(&body)?,
        )
        .await?;
    revision_made(&state, QuotationId::from_uuid(id), &outcome, None).await
}

/// Record the customer's acceptance of one revision: the current one, sent, and within its
/// validity today.
#[utoipa::path(
    post,
    path = "/quotations/{id}/accept",
    tag = "quotations",
    request_body = AcceptBody,
    params(("id" = Uuid, Path, description = "The quotation"), CommandHeaders),
    responses(
        (status = OK, description = "Accepted", body = CommandAccepted),
        (status = PRECONDITION_FAILED, description = "Changed since the version in If-Match", body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, description = "No such quotation", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "The revision cannot be accepted: `revision-superseded` (the detail names the current one), \
            `revision-expired` (names its last valid day), `revision-not-sent`, `revision-rejected`, `unknown-revision`, `already-accepted`; or invalid fields",
            body = Problem, content_type = "application/problem+json",
            example = json!({
                "type": "https://niaga.my/problems/revision-superseded",
                "title": "The request was refused",
                "status": 422,
                "detail": "r1 was superseded by r2: only the current revision can be accepted",
                "instance": "/quotations/0190f5c2-6a4e-7c31-9b8e-2f1d3c4b5a69/accept"
            })),
        (status = FORBIDDEN, description = "Not sales or admin", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn accept_quotation(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(body): Json<AcceptBody>,
) -> Result<CommandAccepted> {
    let user = user.require(SALES_WRITE)?;
    let command = QuotationCommand::Accept(body.accept()?);
    change(&state, &user, &meta, id, command, &body).await
}

/// Record that the customer turned the current sent revision down, and why.
#[utoipa::path(
    post,
    path = "/quotations/{id}/reject",
    tag = "quotations",
    request_body = RejectBody,
    params(("id" = Uuid, Path, description = "The quotation"), CommandHeaders),
    responses(
        (status = OK, description = "Rejected", body = CommandAccepted),
        (status = PRECONDITION_FAILED, description = "Changed since the version in If-Match", body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, description = "No such quotation", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "No reason (`rejection-reason-required`), or the current revision is not open (`revision-not-sent`, `already-accepted`…)",
            body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, description = "Not sales or admin", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn reject_quotation(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(body): Json<RejectBody>,
) -> Result<CommandAccepted> {
    let user = user.require(SALES_WRITE)?;
    let command = QuotationCommand::Reject(body.reject());
    change(&state, &user, &meta, id, command, &body).await
}

/// Mark the current sent revision expired once its last valid day has passed (what the daily
/// job calls). Repeating it changes nothing.
#[utoipa::path(
    post,
    path = "/quotations/{id}/expire",
    tag = "quotations",
    params(("id" = Uuid, Path, description = "The quotation"), CommandHeaders),
    responses(
        (status = OK, description = "Expired (or already expired)", body = CommandAccepted),
        (status = NOT_FOUND, description = "No such quotation", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "Still valid (`not-yet-expired`, naming its last valid day), or not open (`revision-not-sent`, `already-accepted`…)",
            body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, description = "Not sales or admin", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn expire_quotation(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<CommandAccepted> {
    let user = user.require(SALES_WRITE)?;
    let command = QuotationCommand::Expire(ExpireQuotation);
    change(&state, &user, &meta, id, command, &id).await
}
