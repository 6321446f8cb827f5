//! What the rental routes answer: a rental as its stream tells it, and list and overdue rows
//! from the read model.

use niaga_domain::rental::{RentalRecord, RentalUnit};
use niaga_projections::rentals::{Overdue, RentalSummary};
use serde::Serialize;
use utoipa::ToSchema;

use crate::http::documents::{DocumentLink, document_links};
use crate::{
    error::Result,
    http::{equipment::view::money, money::MoneyBody},
};

/// One unit of a rental and what happened to it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RentalUnitView {
    unit_id: String,
    serial: String,
    /// `20 kg test weight, class M1, serial TW-0042`.
    label: String,
    /// `reserved`, `out` or `returned`.
    status: String,
    /// The rate card the unit's days are charged at, fixed when reserved.
    per_day: MoneyBody,
    per_week: MoneyBody,
    per_month: MoneyBody,
    out_on: Option<String>,
    collected_by: Option<String>,
    delivery_order_id: Option<String>,
    back_on: Option<String>,
    condition: Option<String>,
    note: Option<String>,
    /// What its days came to, charged at check-in.
    rental_charge: Option<MoneyBody>,
    /// How the days were covered: `1 month, 2 weeks, 3 days`.
    charged_as: Option<String>,
    damage_charge: Option<MoneyBody>,
}

impl From<&RentalUnit> for RentalUnitView {
    fn from(u: &RentalUnit) -> Self {
        let card = &u.unit.rate_card;
        let check_in = u.check_in.as_ref();
        Self {
            unit_id: u.unit.unit_id.to_string(),
            serial: u.unit.serial.as_str().to_owned(),
            label: u.unit.label(),
            status: u.status().to_string(),
            per_day: card.per_day().into(),
            per_week: card.per_week().into(),
            per_month: card.per_month().into(),
            out_on: u.check_out.as_ref().map(|c| c.on.to_string()),
            collected_by: u
                .check_out
                .as_ref()
                .map(|c| c.collected_by.as_str().to_owned()),
            delivery_order_id: u
                .check_out
                .as_ref()
                .and_then(|c| c.delivery_order_id.map(|d| d.to_string())),
            back_on: check_in.map(|c| c.on.to_string()),
            condition: check_in.map(|c| c.condition.to_string()),
            note: check_in.and_then(|c| c.note.clone()),
            rental_charge: check_in.map(|c| c.charge.amount.into()),
            charged_as: check_in.map(|c| {
                format!(
                    "{} months, {} weeks, {} days",
                    c.charge.billed_months, c.charge.billed_weeks, c.charge.billed_days
                )
            }),
            damage_charge: check_in.map(|c| c.damage_charge.into()),
        }
    }
}

/// The deposit's movements.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct DepositView {
    agreed: MoneyBody,
    collected: MoneyBody,
    retained: MoneyBody,
    refunded: MoneyBody,
    /// What the company holds now.
    held: MoneyBody,
    /// Each retention with its reason, oldest first.
    retentions: Vec<RetentionView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RetentionView {
    amount: MoneyBody,
    reason: String,
    retained_on: String,
}

/// A rental with its units, deposit and how it ended.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RentalView {
    id: String,
    customer_id: String,
    /// `reserved`, `out`, `returned`, `closed` or `cancelled`.
    status: String,
    currency: String,
    start_on: String,
    expected_return_on: String,
    units: Vec<RentalUnitView>,
    /// Calibration warnings accepted under the warn policy.
    calibration_warnings: Vec<String>,
    /// Each extension as `from → to`, oldest first.
    extensions: Vec<String>,
    deposit: DepositView,
    closed_on: Option<String>,
    cancelled_on: Option<String>,
    cancellation_reason: Option<String>,
    version: u64,
    /// The PDFs issued of it, oldest first (`GET` each `href`).
    documents: Vec<DocumentLink>,
}

impl RentalView {
    pub(crate) fn new(r: &RentalRecord, version: u64) -> Self {
        let d = &r.deposit;
        Self {
            id: r.id.to_string(),
            customer_id: r.customer_id.to_string(),
            status: r.status().to_string(),
            currency: r.currency.to_string(),
            start_on: r.start_on.to_string(),
            expected_return_on: r.expected_return_on.to_string(),
            units: r.units.iter().map(Into::into).collect(),
            calibration_warnings: r
                .calibration_warnings
                .iter()
                .map(ToString::to_string)
                .collect(),
            extensions: r
                .extensions
                .iter()
                .map(|e| format!("{} → {}", e.from, e.to))
                .collect(),
            deposit: DepositView {
                agreed: d.agreed.into(),
                collected: d.collected().into(),
                retained: d.retained().into(),
                refunded: d.refunded().into(),
                held: d.held().into(),
                retentions: d
                    .retentions
                    .iter()
                    .map(|x| RetentionView {
                        amount: x.amount.into(),
                        reason: x.reason.clone(),
                        retained_on: x.retained_on.to_string(),
                    })
                    .collect(),
            },
            closed_on: r.closing.as_ref().map(|c| c.closed_on.to_string()),
            cancelled_on: r.cancellation.as_ref().map(|c| c.cancelled_on.to_string()),
            cancellation_reason: r.cancellation.as_ref().map(|c| c.reason.clone()),
            version,
            documents: document_links(&r.pdfs),
        }
    }
}

/// One rental of the list.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RentalListItem {
    id: String,
    customer_id: String,
    customer_name: Option<String>,
    /// `open`, `closed` or `cancelled`.
    status: String,
    start_on: String,
    expected_return_on: String,
    units: i64,
    units_out: i64,
    units_back: i64,
    deposit: MoneyBody,
    deposit_held: MoneyBody,
    /// Late fees charged and not reversed.
    late_fees: MoneyBody,
    reserved_at: String,
    updated_position: i64,
}

impl TryFrom<RentalSummary> for RentalListItem {
    type Error = crate::error::ApiError;

    fn try_from(r: RentalSummary) -> Result<Self> {
        Ok(Self {
            deposit: money(r.deposit_sen, &r.currency)?,
            deposit_held: money(r.deposit_held_sen, &r.currency)?,
            late_fees: money(r.late_fees_sen, &r.currency)?,
            id: r.rental_id,
            customer_id: r.customer_id,
            customer_name: r.customer_name,
            status: r.status,
            start_on: r.start_on,
            expected_return_on: r.expected_return_on,
            units: r.units,
            units_out: r.units_out,
            units_back: r.units_back,
            reserved_at: r.reserved_at,
            updated_position: r.updated_position,
        })
    }
}

/// A unit not back by the day asked about: who has it, since when, how late, what they owe
/// in late fees so far.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct OverdueView {
    rental_id: String,
    unit_id: String,
    serial: String,
    customer_id: String,
    customer_name: Option<String>,
    collected_by: Option<String>,
    out_on: String,
    expected_return_on: String,
    days_late: i64,
    /// Standing late fees for the unit on days up to the day asked about.
    late_fees: MoneyBody,
}

impl OverdueView {
    pub(crate) fn new(o: Overdue, as_of: chrono::NaiveDate) -> Result<Self> {
        let expected = o
            .expected_return_on
            .parse::<chrono::NaiveDate>()
            .map_err(crate::error::ApiError::internal)?;
        Ok(Self {
            days_late: (as_of - expected).num_days(),
            late_fees: money(o.late_fees_sen, &o.currency)?,
            rental_id: o.rental_id,
            unit_id: o.unit_id,
            serial: o.serial,
            customer_id: o.customer_id,
            customer_name: o.customer_name,
            collected_by: o.collected_by,
            out_on: o.out_on,
            expected_return_on: o.expected_return_on,
        })
    }
}
