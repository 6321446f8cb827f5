//! The equipment list: one row per unit the company rents out, with its latest rate card,
//! its calibration and whether it is retired. Who holds a unit is in [`crate::rentals`].

use async_trait::async_trait;
use niaga_domain::{
    Aggregate,
    equipment::{EquipmentUnit, EquipmentUnitEvent, RateCard},
};
use niaga_store::{Database, RecordedEvent, on_reader};
use serde::Serialize;

use crate::{
    Projection, ProjectionError, ReadTx, day_text,
    newest_first::{NewestFirst, Page},
    on_tx, sen,
};

pub const NAME: &str = "equipment_units";

#[derive(Debug, Clone, Copy)]
pub struct EquipmentUnits;

/// A rate card's three rates in whole sen.
fn rates(card: &RateCard) -> Result<(i64, i64, i64), ProjectionError> {
    Ok((
        sen(card.per_day())?,
        sen(card.per_week())?,
        sen(card.per_month())?,
    ))
}

#[async_trait]
impl Projection for EquipmentUnits {
    fn name(&self) -> &'static str {
        NAME
    }

    fn tables(&self) -> &'static [&'static str] {
        &["equipment_units"]
    }

    fn stream_types(&self) -> &'static [&'static str] {
        &[EquipmentUnit::STREAM_TYPE]
    }

    async fn apply(&self, tx: &mut ReadTx, event: &RecordedEvent) -> Result<(), ProjectionError> {
        if event.stream.stream_type != EquipmentUnit::STREAM_TYPE {
            return Ok(());
        }
        let id = event.stream.stream_id.as_str();
        let position = event.position;
        match niaga_store::decode::<EquipmentUnitEvent>(event)? {
            EquipmentUnitEvent::EquipmentUnitRegistered(e) => {
                let (day, week, month) = rates(&e.rate_card)?;
                on_tx!(tx, conn => sqlx::query(
                    "INSERT INTO equipment_units (unit_id, serial, class, nominal_mass, currency, \
                     per_day_sen, per_week_sen, per_month_sen, rate_card_from, registered_on, \
                     registered_position, updated_position) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $10) \
                     ON CONFLICT (unit_id) DO NOTHING",
                )
                .bind(id)
                .bind(e.serial.as_str())
                .bind(e.class.as_str())
                .bind(e.nominal_mass.to_string())
                .bind(e.rate_card.currency().to_string())
                .bind(day)
                .bind(week)
                .bind(month)
                .bind(day_text(e.registered_on))
                .bind(position)
                .execute(conn)
                .await.map(drop))?;
            }
            EquipmentUnitEvent::EquipmentRateCardChanged(e) => {
                let (day, week, month) = rates(&e.rate_card)?;
                on_tx!(tx, conn => sqlx::query(
                    "UPDATE equipment_units SET per_day_sen = $2, per_week_sen = $3, \
                     per_month_sen = $4, rate_card_from = $5, updated_position = $6 \
                     WHERE unit_id = $1",
                )
                .bind(id)
                .bind(day)
                .bind(week)
                .bind(month)
                .bind(day_text(e.effective_from))
                .bind(position)
                .execute(conn)
                .await.map(drop))?;
            }
            EquipmentUnitEvent::EquipmentCalibrationRecorded(e) => {
                // A certificate recorded late (an older calibration) does not replace the
                // one that covers the unit now.
                on_tx!(tx, conn => sqlx::query(
                    "UPDATE equipment_units SET certificate = $2, calibrated_on = $3, \
                     calibration_due_on = $4, updated_position = $5 \
                     WHERE unit_id = $1 AND (calibration_due_on IS NULL OR calibration_due_on <= $4)",
                )
                .bind(id)
                .bind(e.certificate.as_str())
                .bind(day_text(e.calibrated_on))
                .bind(day_text(e.due_on))
                .bind(position)
                .execute(conn)
                .await.map(drop))?;
            }
            EquipmentUnitEvent::EquipmentUnitRetired(e) => {
                on_tx!(tx, conn => sqlx::query(
                    "UPDATE equipment_units SET retired_on = $2, retired_reason = $3, \
                     updated_position = $4 WHERE unit_id = $1",
                )
                .bind(id)
                .bind(day_text(e.retired_on))
                .bind(&e.reason)
                .bind(position)
                .execute(conn)
                .await.map(drop))?;
            }
        }
        Ok(())
    }
}

/// One unit of the equipment list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct UnitSummary {
    pub unit_id: String,
    pub serial: String,
    pub class: String,
    pub nominal_mass: String,
    pub currency: String,
    pub per_day_sen: i64,
    pub per_week_sen: i64,
    pub per_month_sen: i64,
    pub rate_card_from: String,
    pub certificate: Option<String>,
    pub calibrated_on: Option<String>,
    pub calibration_due_on: Option<String>,
    pub retired_on: Option<String>,
    pub retired_reason: Option<String>,
    pub registered_on: String,
    pub registered_position: i64,
    pub updated_position: i64,
}

const SELECT: &str = "SELECT unit_id, serial, class, nominal_mass, currency, per_day_sen, \
     per_week_sen, per_month_sen, rate_card_from, certificate, calibrated_on, \
     calibration_due_on, retired_on, retired_reason, registered_on, registered_position, \
     updated_position FROM equipment_units";

/// A page of units, newest first, optionally only the one with `serial`; served by
/// `equipment_units_newest` or `equipment_units_by_serial`.
pub async fn list(
    db: &Database,
    serial: Option<String>,
    after: Option<i64>,
    limit: u32,
) -> Result<Page<UnitSummary>, ProjectionError> {
    NewestFirst {
        select: SELECT,
        position: "registered_position",
        filters: vec![("serial", serial)],
    }
    .page(db, after, limit, |u: &UnitSummary| u.registered_position)
    .await
}

/// The units with this serial: one, unless two registrations raced.
pub async fn by_serial(db: &Database, serial: &str) -> Result<Vec<UnitSummary>, ProjectionError> {
    let sql = format!("{SELECT} WHERE serial = $1");
    Ok(on_reader!(db, pool => sqlx::query_as(&sql).bind(serial).fetch_all(pool).await)?)
}

/// Every unit not retired by `from`, in serial order: what an availability check looks at.
pub async fn in_service(
    db: &Database,
    from: chrono::NaiveDate,
) -> Result<Vec<UnitSummary>, ProjectionError> {
    let sql = format!("{SELECT} WHERE retired_on IS NULL OR retired_on > $1 ORDER BY serial");
    let from = day_text(from);
    Ok(on_reader!(db, pool => sqlx::query_as(&sql).bind(&from).fetch_all(pool).await)?)
}
