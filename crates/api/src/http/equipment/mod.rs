//! `/equipment`: the serial-numbered units the company rents out. Register a unit with its
//! rate card, change the card from a day on, record calibration certificates, retire it; the
//! list, each unit's custody timeline (every rental it went out on) and which units are free
//! for a range of days.

mod body;
mod error;
mod list;
pub(crate) mod view;

use axum::{extract::State, response::Response};
use niaga_domain::{
    equipment::{EquipmentUnit, EquipmentUnitCommand, EquipmentUnitRecord, RetireUnit},
    ids::{EquipmentUnitId, RentalId},
};
use niaga_projections::{equipment_units, rentals};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    app::AppState,
    auth::{ANY_STAFF, Authorized, CurrentUser, WAREHOUSE_WRITE},
    command::{CommandAccepted, CommandHeaders, CommandMeta},
    error::{ApiError, Problem, Result},
    extract::{Json, Path},
    http::catch_up::caught_up_to_now,
};
use body::{CalibrationBody, RateCardChangeBody, RegisterBody, RetireBody};
use view::{CustodyView, UnitView};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register_unit, list::list_units))
        .routes(routes!(list::availability))
        .routes(routes!(get_unit))
        .routes(routes!(change_rate_card))
        .routes(routes!(record_calibration))
        .routes(routes!(retire_unit))
        .routes(routes!(custody))
}

/// The end of every range asked "from today on": a day that sorts after any real one as text.
const LAST_DAY: chrono::NaiveDate = match chrono::NaiveDate::from_ymd_opt(9999, 12, 31) {
    Some(day) => day,
    None => chrono::NaiveDate::MIN,
};

fn location(id: Uuid) -> String {
    format!("/equipment/{id}")
}

/// The unit, registered, with its version; 404 otherwise.
pub(crate) async fn load_unit(state: &AppState, id: Uuid) -> Result<(EquipmentUnitRecord, u64)> {
    let loaded = state
        .commands::<EquipmentUnit>()
        .load(&id.to_string())
        .await?;
    match loaded {
        Some((EquipmentUnit::Registered(unit), version)) => Ok((*unit, version)),
        _ => Err(ApiError::NotFound("equipment unit".into())),
    }
}

/// Runs a command on a registered unit and answers 200 with its version and position.
async fn change(
    state: &AppState,
    user: &Authorized,
    meta: &CommandMeta,
    id: Uuid,
    command: EquipmentUnitCommand,
    body: &impl serde::Serialize,
) -> Result<CommandAccepted> {
    let outcome = state
        .commands::<EquipmentUnit>()
        .execute(
            &id.to_string(),
            &command,
            &meta.ctx(user),
            &meta.options_for(body)?,
        )
        .await?;
    Ok(CommandAccepted::ok(id, &outcome).at(location(id)))
}

/// Register a unit with its first rate card, effective today. Its serial must be new.
#[utoipa::path(
    post,
    path = "/equipment",
    tag = "equipment",
    request_body = RegisterBody,
    params(CommandHeaders),
    responses(
        (status = CREATED, description = "Registered", body = CommandAccepted,
            headers(("location" = String, description = "/equipment/{id}"))),
        (status = UNPROCESSABLE_ENTITY, description = "Invalid fields (`/serial` also when another unit has it, `/rate_card/per_day`, …)",
            body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, description = "Not warehouse or admin", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn register_unit(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Json(body): Json<RegisterBody>,
) -> Result<CommandAccepted> {
    let user = user.require(WAREHOUSE_WRITE)?;
    let units = state.commands::<EquipmentUnit>();
    let (id, options): (EquipmentUnitId, _) = meta.create_target(&units, &body).await?;
    let command = body.register(id)?;
    caught_up_to_now(&state, equipment_units::NAME).await?;
    let taken = equipment_units::by_serial(state.db(), command.serial.as_str())
        .await
        .map_err(ApiError::internal)?;
    // A retry of this very registration finds its own unit, which is not a clash.
    if taken.iter().any(|u| u.unit_id != id.to_string()) {
        return Err(ApiError::field(
            "/serial",
            format!("another unit has serial {}", command.serial),
        ));
    }
    let outcome = units
        .execute(
            &id.to_string(),
            &EquipmentUnitCommand::Register(command),
            &meta.ctx(&user),
            &options,
        )
        .await?;
    Ok(CommandAccepted::created(id, &outcome).at(location(*id.as_uuid())))
}

/// A unit with every rate card and certificate. The `ETag` is the version to send in
/// `If-Match`.
#[utoipa::path(
    get,
    path = "/equipment/{id}",
    tag = "equipment",
    params(("id" = Uuid, Path, description = "The unit")),
    responses(
        (status = OK, description = "The unit", body = UnitView,
            headers(("etag" = String, description = "The version"))),
        (status = NOT_FOUND, description = "No such unit", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn get_unit(
    user: CurrentUser,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<Response> {
    user.require(ANY_STAFF)?;
    let (unit, version) = load_unit(&state, id).await?;
    crate::http::etag::versioned(UnitView::new(&unit, version), version)
}

/// Set a new rate card from a day on (not before the latest change). Rentals already
/// reserved keep the card they were reserved with.
#[utoipa::path(
    put,
    path = "/equipment/{id}/rate-card",
    tag = "equipment",
    request_body = RateCardChangeBody,
    params(("id" = Uuid, Path, description = "The unit"), CommandHeaders),
    responses(
        (status = OK, description = "Changed", body = CommandAccepted),
        (status = NOT_FOUND, description = "No such unit", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "Invalid rates, another currency, a day before the latest change, or a retired unit",
            body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn change_rate_card(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(body): Json<RateCardChangeBody>,
) -> Result<CommandAccepted> {
    let user = user.require(WAREHOUSE_WRITE)?;
    let command = EquipmentUnitCommand::ChangeRateCard(body.change()?);
    change(&state, &user, &meta, id, command, &body).await
}

/// Record a calibration certificate. The latest calibration decides whether the unit may
/// go out.
#[utoipa::path(
    post,
    path = "/equipment/{id}/calibrations",
    tag = "equipment",
    request_body = CalibrationBody,
    params(("id" = Uuid, Path, description = "The unit"), CommandHeaders),
    responses(
        (status = OK, description = "Recorded", body = CommandAccepted),
        (status = NOT_FOUND, description = "No such unit", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "Due day not after the calibration, calibrated in the future, certificate already recorded, or a retired unit",
            body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn record_calibration(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(body): Json<CalibrationBody>,
) -> Result<CommandAccepted> {
    let user = user.require(WAREHOUSE_WRITE)?;
    let command = EquipmentUnitCommand::RecordCalibration(body.record()?);
    change(&state, &user, &meta, id, command, &body).await
}

/// Retire a unit for good, for a reason. A unit reserved for or out on a rental is not
/// retired under the customer (`unit-on-rental`): a lost one is checked in as lost first.
#[utoipa::path(
    post,
    path = "/equipment/{id}/retire",
    tag = "equipment",
    request_body = RetireBody,
    params(("id" = Uuid, Path, description = "The unit"), CommandHeaders),
    responses(
        (status = OK, description = "Retired (or already)", body = CommandAccepted),
        (status = NOT_FOUND, description = "No such unit", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "No reason (`/reason`), or the unit is on a rental (`unit-on-rental`)",
            body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn retire_unit(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(body): Json<RetireBody>,
) -> Result<CommandAccepted> {
    let user = user.require(WAREHOUSE_WRITE)?;
    caught_up_to_now(&state, rentals::NAME).await?;
    let ctx = meta.ctx(&user);
    let today = ctx.business_day();
    let held = rentals::holding(state.db(), &id.to_string(), today, LAST_DAY, today)
        .await
        .map_err(ApiError::internal)?;
    let on_rental = held
        .first()
        .map(|c| c.rental_id.parse::<RentalId>())
        .transpose()
        .map_err(ApiError::internal)?;
    let command = EquipmentUnitCommand::Retire(RetireUnit {
        reason: body.reason.clone(),
        on_rental,
    });
    change(&state, &user, &meta, id, command, &body).await
}

/// Every rental the unit has been reserved for or out on, oldest first: who had it, from
/// when to when, under which delivery order, and in what condition it came back.
#[utoipa::path(
    get,
    path = "/equipment/{id}/custody",
    tag = "equipment",
    params(("id" = Uuid, Path, description = "The unit"),
        ("min_position" = Option<i64>, Query, description = "Wait until the timeline includes this global position")),
    responses(
        (status = OK, description = "The custody timeline", body = Vec<CustodyView>),
        (status = NOT_FOUND, description = "No such unit", body = Problem, content_type = "application/problem+json"),
        (status = SERVICE_UNAVAILABLE, description = "Not caught up with `min_position` yet", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn custody(
    user: CurrentUser,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    crate::extract::Query(params): crate::extract::Query<list::MinPosition>,
) -> Result<axum::Json<Vec<CustodyView>>> {
    user.require(ANY_STAFF)?;
    load_unit(&state, id).await?;
    crate::http::catch_up::caught_up(&state, rentals::NAME, params.min_position).await?;
    let timeline = rentals::custody_of(state.db(), &id.to_string())
        .await
        .map_err(ApiError::internal)?;
    Ok(axum::Json(timeline.into_iter().map(Into::into).collect()))
}
