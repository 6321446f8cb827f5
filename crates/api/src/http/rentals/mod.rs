//! `/rentals`: equipment units reserved for a customer, checked out and in one by one,
//! extended, the deposit collected, retained and refunded, closed or cancelled; the rental's
//! charges and its late fees drafted as invoices of their own; the list and the overdue
//! list.

mod body;
mod error;
mod invoice;
mod list;
mod view;

use axum::{extract::State, response::Response};
use chrono::NaiveDate;
use niaga_domain::{
    equipment::UnitFacts,
    ids::{CustomerId, RentalId},
    rental::{
        CloseRental, ExtendRental, RefundDeposit, Rental, RentalCommand, RentalRecord,
        ReserveRental,
    },
};
use niaga_projections::rentals;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    app::AppState,
    auth::{ANY_STAFF, Authorized, CurrentUser, STAFF_WRITE},
    command::{CommandAccepted, CommandHeaders, CommandMeta},
    error::{ApiError, Problem, Result},
    extract::{Json, Path},
    http::{catch_up::caught_up_to_now, customers::is_registered, equipment::load_unit},
};
use body::{
    CancelBody, CheckInBody, CheckOutBody, CollectDepositBody, ExtendBody, ReserveBody,
    RetainDepositBody,
};
use view::RentalView;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(reserve_rental, list::list_rentals))
        .routes(routes!(list::overdue))
        .routes(routes!(get_rental))
        .routes(routes!(check_out))
        .routes(routes!(extend))
        .routes(routes!(check_in))
        .routes(routes!(collect_deposit))
        .routes(routes!(retain_deposit))
        .routes(routes!(refund_deposit))
        .routes(routes!(close_rental))
        .routes(routes!(cancel_rental))
        .routes(routes!(invoice::invoice_charges))
        .routes(routes!(invoice::invoice_late_fees))
}

fn location(id: impl std::fmt::Display) -> String {
    format!("/rentals/{id}")
}

/// The rental, reserved (open or ended), with its version; 404 otherwise.
async fn load(state: &AppState, id: Uuid) -> Result<(RentalRecord, u64)> {
    let loaded = state.commands::<Rental>().load(&id.to_string()).await?;
    match loaded {
        Some((rental, version)) => match rental.reserved() {
            Some(record) => Ok((record.clone(), version)),
            None => Err(ApiError::NotFound("rental".into())),
        },
        None => Err(ApiError::NotFound("rental".into())),
    }
}

/// Runs a command on a rental and answers 200 with its version and position.
async fn change(
    state: &AppState,
    user: &Authorized,
    meta: &CommandMeta,
    id: Uuid,
    command: RentalCommand,
    body: &impl serde::Serialize,
) -> Result<CommandAccepted> {
    let outcome = state
        .commands::<Rental>()
        .execute(
            &id.to_string(),
            &command,
            &meta.ctx(user),
            &meta.options_for(body)?,
        )
        .await?;
    Ok(CommandAccepted::ok(id, &outcome).at(location(id)))
}

/// Refuses units another rental holds on some day from `from` to `until`.
async fn check_free(
    state: &AppState,
    rental: RentalId,
    units: &[UnitFacts],
    from: NaiveDate,
    until: NaiveDate,
    today: NaiveDate,
) -> Result<()> {
    caught_up_to_now(state, rentals::NAME).await?;
    for (index, unit) in units.iter().enumerate() {
        let held = rentals::holding(state.db(), &unit.unit_id.to_string(), from, until, today)
            .await
            .map_err(ApiError::internal)?;
        if let Some(other) = held.iter().find(|c| c.rental_id != rental.to_string()) {
            return Err(ApiError::field(
                format!("/unit_ids/{index}"),
                format!(
                    "unit {} is {} on rental {} from {} to {}",
                    unit.serial,
                    if other.status == "out" {
                        "out"
                    } else {
                        "reserved"
                    },
                    other.rental_id,
                    other.held_from,
                    other.held_until,
                ),
            ));
        }
    }
    Ok(())
}

/// Reserve units for a customer from `start_on` to `expected_return_on`, with a deposit.
/// Each unit must be registered, not retired, free on those days (not reserved for or out
/// on another rental) and, under the company's calibration policy, calibrated through the
/// expected return. The rate card in force on `start_on` is copied into the rental.
#[utoipa::path(
    post,
    path = "/rentals",
    tag = "rentals",
    request_body = ReserveBody,
    params(CommandHeaders),
    responses(
        (status = CREATED, description = "Reserved", body = CommandAccepted,
            headers(("location" = String, description = "/rentals/{id}"))),
        (status = UNPROCESSABLE_ENTITY, description = "Invalid fields: `/customer_id` unknown, `/unit_ids/0` unknown, retired, taken on those days or out of calibration, `/deposit`, `/expected_return_on`",
            body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, description = "The auditor", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn reserve_rental(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Json(body): Json<ReserveBody>,
) -> Result<CommandAccepted> {
    let user = user.require(STAFF_WRITE)?;
    let rentals_handler = state.commands::<Rental>();
    let (id, options): (RentalId, _) = meta.create_target(&rentals_handler, &body).await?;
    let reservation = body.check()?;
    if !is_registered(&state, body.customer_id).await? {
        return Err(ApiError::field("/customer_id", "no customer has this id"));
    }
    let mut units = Vec::with_capacity(reservation.units.len());
    for (index, unit_id) in reservation.units.iter().enumerate() {
        let (unit, _) = load_unit(&state, *unit_id.as_uuid())
            .await
            .map_err(|e| e.missing_at(format!("/unit_ids/{index}"), "no unit has this id"))?;
        units.push(unit.facts_for_rental(body.start_on));
    }
    let ctx = meta.ctx(&user);
    check_free(
        &state,
        id,
        &units,
        body.start_on,
        body.expected_return_on,
        ctx.business_day(),
    )
    .await?;
    let command = RentalCommand::Reserve(ReserveRental {
        id,
        customer_id: CustomerId::from_uuid(body.customer_id),
        currency: reservation.currency,
        units,
        start_on: body.start_on,
        expected_return_on: body.expected_return_on,
        deposit: reservation.deposit,
        calibration_policy: state.rental_policy().calibration,
    });
    let outcome = rentals_handler
        .execute(&id.to_string(), &command, &ctx, &options)
        .await?;
    Ok(CommandAccepted::created(id, &outcome).at(location(id)))
}

/// A rental with its units (rate card, check-out, check-in, charge), deposit, late fees and
/// how it ended. The `ETag` is the version to send in `If-Match`.
#[utoipa::path(
    get,
    path = "/rentals/{id}",
    tag = "rentals",
    params(("id" = Uuid, Path, description = "The rental")),
    responses(
        (status = OK, description = "The rental", body = RentalView,
            headers(("etag" = String, description = "The version"))),
        (status = NOT_FOUND, description = "No such rental", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn get_rental(
    user: CurrentUser,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<Response> {
    user.require(ANY_STAFF)?;
    let (rental, version) = load(&state, id).await?;
    crate::http::etag::versioned(RentalView::new(&rental, version), version)
}

/// Record that a reserved unit went out with the customer (today, or earlier when recorded
/// late). A unit may go before the start day: its days count from when it went.
#[utoipa::path(
    post,
    path = "/rentals/{id}/check-out",
    tag = "rentals",
    request_body = CheckOutBody,
    params(("id" = Uuid, Path, description = "The rental"), CommandHeaders),
    responses(
        (status = OK, description = "Checked out (or already, on a retry)", body = CommandAccepted),
        (status = NOT_FOUND, description = "No such rental", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "`/unit_id` not on the rental, `/on` in the future, `unit-already-out`, `rental-closed`",
            body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn check_out(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(body): Json<CheckOutBody>,
) -> Result<CommandAccepted> {
    let user = user.require(STAFF_WRITE)?;
    let command = RentalCommand::CheckOut(body.check_out(meta.ctx(&user).business_day())?);
    change(&state, &user, &meta, id, command, &body).await
}

/// Move the expected return later, for every unit not back yet. The units must be free on
/// the added days and, under the calibration policy, calibrated through the new day. Late
/// fees already charged on days the extension now covers are reversed.
#[utoipa::path(
    post,
    path = "/rentals/{id}/extend",
    tag = "rentals",
    request_body = ExtendBody,
    params(("id" = Uuid, Path, description = "The rental"), CommandHeaders),
    responses(
        (status = OK, description = "Extended (or already to that day)", body = CommandAccepted),
        (status = NOT_FOUND, description = "No such rental", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "`/expected_return_on` earlier than now, `/unit_ids/N` taken on the added days or out of calibration, `nothing-to-extend`",
            body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn extend(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(body): Json<ExtendBody>,
) -> Result<CommandAccepted> {
    let user = user.require(STAFF_WRITE)?;
    let (rental, _) = load(&state, id).await?;
    let mut units = Vec::new();
    for unit in rental.units_not_back() {
        let (record, _) = load_unit(&state, *unit.unit.unit_id.as_uuid()).await?;
        units.push(record.facts_for_rental(rental.start_on));
    }
    if body.expected_return_on > rental.expected_return_on {
        let first_added = rental
            .expected_return_on
            .succ_opt()
            .unwrap_or(rental.expected_return_on);
        check_free(
            &state,
            rental.id,
            &units,
            first_added,
            body.expected_return_on,
            meta.ctx(&user).business_day(),
        )
        .await?;
    }
    let command = RentalCommand::Extend(ExtendRental {
        expected_return_on: body.expected_return_on,
        units,
        calibration_policy: state.rental_policy().calibration,
    });
    change(&state, &user, &meta, id, command, &body).await
}

/// Record that a unit came back (today, or earlier: a back-dated return reverses late fees
/// charged for the days after it), in what condition, with any damage charge; or that it was
/// lost. Its days are charged now, at the cheapest cover of months, weeks and days.
#[utoipa::path(
    post,
    path = "/rentals/{id}/check-in",
    tag = "rentals",
    request_body = CheckInBody,
    params(("id" = Uuid, Path, description = "The rental"), CommandHeaders),
    responses(
        (status = OK, description = "Checked in (or already, on a retry)", body = CommandAccepted),
        (status = NOT_FOUND, description = "No such rental", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "`/unit_id` not on the rental, `unit-not-out`, `unit-already-back`, `/on` in the future or before check-out, `/damage_charge`, `/note`",
            body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn check_in(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(body): Json<CheckInBody>,
) -> Result<CommandAccepted> {
    let user = user.require(STAFF_WRITE)?;
    let (rental, _) = load(&state, id).await?;
    let today = meta.ctx(&user).business_day();
    let command = RentalCommand::CheckIn(body.check_in(today, rental.currency)?);
    change(&state, &user, &meta, id, command, &body).await
}

/// Record that the agreed deposit was received, in full.
#[utoipa::path(
    post,
    path = "/rentals/{id}/deposit/collect",
    tag = "rentals",
    request_body = CollectDepositBody,
    params(("id" = Uuid, Path, description = "The rental"), CommandHeaders),
    responses(
        (status = OK, description = "Collected", body = CommandAccepted),
        (status = NOT_FOUND, description = "No such rental", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "`/amount` not the agreed deposit, `no-deposit-agreed`, `deposit-already-collected`",
            body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn collect_deposit(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(body): Json<CollectDepositBody>,
) -> Result<CommandAccepted> {
    let user = user.require(STAFF_WRITE)?;
    let command = RentalCommand::CollectDeposit(body.collect()?);
    change(&state, &user, &meta, id, command, &body).await
}

/// Keep part of the collected deposit, for a reason (damage, loss, unpaid days). Never more
/// than is held.
#[utoipa::path(
    post,
    path = "/rentals/{id}/deposit/retain",
    tag = "rentals",
    request_body = RetainDepositBody,
    params(("id" = Uuid, Path, description = "The rental"), CommandHeaders),
    responses(
        (status = OK, description = "Retained", body = CommandAccepted),
        (status = NOT_FOUND, description = "No such rental", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "`/amount` over what is held or not positive, `/reason` missing, `deposit-not-collected`",
            body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn retain_deposit(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(body): Json<RetainDepositBody>,
) -> Result<CommandAccepted> {
    let user = user.require(STAFF_WRITE)?;
    let command = RentalCommand::RetainDeposit(body.retain()?);
    change(&state, &user, &meta, id, command, &body).await
}

/// Refund what is left of the deposit, once every unit that went out is back.
#[utoipa::path(
    post,
    path = "/rentals/{id}/deposit/refund",
    tag = "rentals",
    params(("id" = Uuid, Path, description = "The rental"), CommandHeaders),
    responses(
        (status = OK, description = "Refunded", body = CommandAccepted),
        (status = NOT_FOUND, description = "No such rental", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "`units-still-out`, `deposit-not-collected`, `deposit-already-refunded`, `nothing-to-refund`",
            body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn refund_deposit(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<CommandAccepted> {
    let user = user.require(STAFF_WRITE)?;
    change(
        &state,
        &user,
        &meta,
        id,
        RentalCommand::RefundDeposit(RefundDeposit),
        &id,
    )
    .await
}

/// Close the rental: every unit that went out is back, the deposit is settled and the late
/// fees are billed. Units reserved and never taken are released.
#[utoipa::path(
    post,
    path = "/rentals/{id}/close",
    tag = "rentals",
    params(("id" = Uuid, Path, description = "The rental"), CommandHeaders),
    responses(
        (status = OK, description = "Closed (or already)", body = CommandAccepted),
        (status = NOT_FOUND, description = "No such rental", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "`units-still-out`, `deposit-held`, `late-fees-unbilled`, `nothing-checked-out`",
            body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn close_rental(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<CommandAccepted> {
    let user = user.require(STAFF_WRITE)?;
    change(
        &state,
        &user,
        &meta,
        id,
        RentalCommand::Close(CloseRental),
        &id,
    )
    .await
}

/// Cancel a reservation before anything went out, for a reason. A collected deposit must be
/// refunded or retained first.
#[utoipa::path(
    post,
    path = "/rentals/{id}/cancel",
    tag = "rentals",
    request_body = CancelBody,
    params(("id" = Uuid, Path, description = "The rental"), CommandHeaders),
    responses(
        (status = OK, description = "Cancelled (or already)", body = CommandAccepted),
        (status = NOT_FOUND, description = "No such rental", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "`/reason` missing, `cancel-after-check-out`, `deposit-held`",
            body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn cancel_rental(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(body): Json<CancelBody>,
) -> Result<CommandAccepted> {
    let user = user.require(STAFF_WRITE)?;
    change(
        &state,
        &user,
        &meta,
        id,
        RentalCommand::Cancel(body.cancel()),
        &body,
    )
    .await
}
