//! What the equipment routes answer: a unit as its stream tells it, and the list, custody
//! and availability rows from the read models.

use niaga_domain::{
    Currency, Money,
    equipment::{Calibration, EquipmentUnitRecord, RateCard, RateCardVersion},
};
use niaga_projections::{equipment_units::UnitSummary, rentals::Custody};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    error::{ApiError, Result},
    http::money::MoneyBody,
};

/// A rate card from a day on.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RateCardView {
    effective_from: String,
    per_day: MoneyBody,
    per_week: MoneyBody,
    per_month: MoneyBody,
}

impl RateCardView {
    fn new(effective_from: String, card: &RateCard) -> Self {
        Self {
            effective_from,
            per_day: card.per_day().into(),
            per_week: card.per_week().into(),
            per_month: card.per_month().into(),
        }
    }
}

impl From<&RateCardVersion> for RateCardView {
    fn from(version: &RateCardVersion) -> Self {
        Self::new(version.effective_from.to_string(), &version.rate_card)
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CalibrationView {
    certificate: String,
    calibrated_on: String,
    due_on: String,
}

impl From<&Calibration> for CalibrationView {
    fn from(c: &Calibration) -> Self {
        Self {
            certificate: c.certificate.as_str().to_owned(),
            calibrated_on: c.calibrated_on.to_string(),
            due_on: c.due_on.to_string(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RetirementView {
    reason: String,
    retired_on: String,
}

/// An equipment unit with every rate card and certificate.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct UnitView {
    id: String,
    serial: String,
    class: String,
    nominal_mass: String,
    currency: String,
    registered_on: String,
    /// Oldest first; the last one applies from its day on.
    rate_cards: Vec<RateCardView>,
    /// The certificate in force (the latest calibration), if any.
    calibration: Option<CalibrationView>,
    /// Every certificate, in the order recorded.
    calibrations: Vec<CalibrationView>,
    retirement: Option<RetirementView>,
    version: u64,
}

impl UnitView {
    pub(crate) fn new(unit: &EquipmentUnitRecord, version: u64) -> Self {
        Self {
            id: unit.id.to_string(),
            serial: unit.serial.as_str().to_owned(),
            class: unit.class.as_str().to_owned(),
            nominal_mass: unit.nominal_mass.to_string(),
            currency: unit.currency().to_string(),
            registered_on: unit.registered_on.to_string(),
            rate_cards: unit.rate_cards().map(Into::into).collect(),
            calibration: unit.current_calibration().map(Into::into),
            calibrations: unit.calibrations.iter().map(Into::into).collect(),
            retirement: unit.retirement.as_ref().map(|r| RetirementView {
                reason: r.reason.clone(),
                retired_on: r.retired_on.to_string(),
            }),
            version,
        }
    }
}

/// A read model's whole sen in its currency.
pub(crate) fn money(sen: i64, currency: &str) -> Result<MoneyBody> {
    let currency = Currency::parse(currency).map_err(ApiError::internal)?;
    Ok(Money::from_sen(sen, currency).into())
}

/// One unit of the equipment list.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct UnitListItem {
    id: String,
    serial: String,
    class: String,
    nominal_mass: String,
    /// The latest rate card.
    rate_card: RateCardView,
    certificate: Option<String>,
    calibration_due_on: Option<String>,
    retired_on: Option<String>,
    registered_on: String,
    updated_position: i64,
}

impl TryFrom<UnitSummary> for UnitListItem {
    type Error = ApiError;

    fn try_from(u: UnitSummary) -> Result<Self> {
        Ok(Self {
            rate_card: RateCardView {
                effective_from: u.rate_card_from,
                per_day: money(u.per_day_sen, &u.currency)?,
                per_week: money(u.per_week_sen, &u.currency)?,
                per_month: money(u.per_month_sen, &u.currency)?,
            },
            id: u.unit_id,
            serial: u.serial,
            class: u.class,
            nominal_mass: u.nominal_mass,
            certificate: u.certificate,
            calibration_due_on: u.calibration_due_on,
            retired_on: u.retired_on,
            registered_on: u.registered_on,
            updated_position: u.updated_position,
        })
    }
}

/// A unit on one rental: who had it, from when to when, and how it came back.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CustodyView {
    rental_id: String,
    unit_id: String,
    serial: String,
    customer_id: String,
    /// `null` until the customer list has caught up with the customer.
    customer_name: Option<String>,
    /// `reserved`, `out`, `back`, `released` (never taken) or `cancelled`.
    status: String,
    start_on: String,
    expected_return_on: String,
    out_on: Option<String>,
    collected_by: Option<String>,
    delivery_order_id: Option<String>,
    back_on: Option<String>,
    /// `good`, `damaged` or `lost`, once back.
    condition: Option<String>,
    condition_note: Option<String>,
    /// The days the rental holds the unit.
    held_from: String,
    held_until: String,
}

impl From<Custody> for CustodyView {
    fn from(c: Custody) -> Self {
        Self {
            rental_id: c.rental_id,
            unit_id: c.unit_id,
            serial: c.serial,
            customer_id: c.customer_id,
            customer_name: c.customer_name,
            status: c.status,
            start_on: c.start_on,
            expected_return_on: c.expected_return_on,
            out_on: c.out_on,
            collected_by: c.collected_by,
            delivery_order_id: c.delivery_order_id,
            back_on: c.back_on,
            condition: c.condition,
            condition_note: c.condition_note,
            held_from: c.held_from,
            held_until: c.held_until,
        }
    }
}
