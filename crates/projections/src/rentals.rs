//! Rentals and who holds which unit: the rental list (one row per rental), the units of each
//! rental with their check-out and check-in (a unit's custody timeline, its availability for
//! a range of days, the overdue list), and the late fees charged per unit and day.

use async_trait::async_trait;
use chrono::NaiveDate;
use niaga_domain::{
    Aggregate,
    rental::{Rental, RentalEvent},
};
use niaga_store::{Database, RecordedEvent, on_reader};
use serde::Serialize;

use crate::{
    Projection, ProjectionError, ReadTx, day_text,
    newest_first::{NewestFirst, Page},
    on_tx, sen, time_text,
};

pub const NAME: &str = "rentals";

#[derive(Debug, Clone, Copy)]
pub struct Rentals;

/// How a rental's status is stored and filtered on: the API's words.
pub const OPEN: &str = "open";
pub const CLOSED: &str = "closed";
pub const CANCELLED: &str = "cancelled";

const DEPOSIT_HELD: &str = "deposit_held_sen";
const LATE_FEES: &str = "late_fees_sen";

/// Runs one statement with the rental's id as `$1` and `binds` after it.
macro_rules! exec {
    ($tx:expr, $sql:expr, $id:expr $(, $bind:expr)* $(,)?) => {
        on_tx!($tx, conn => sqlx::query($sql).bind($id)$(.bind($bind))*.execute(conn).await.map(drop))
    };
}

#[async_trait]
impl Projection for Rentals {
    fn name(&self) -> &'static str {
        NAME
    }

    fn tables(&self) -> &'static [&'static str] {
        &["rental_list", "rental_units", "rental_late_fees"]
    }

    fn stream_types(&self) -> &'static [&'static str] {
        &[Rental::STREAM_TYPE]
    }

    async fn apply(&self, tx: &mut ReadTx, event: &RecordedEvent) -> Result<(), ProjectionError> {
        if event.stream.stream_type != Rental::STREAM_TYPE {
            return Ok(());
        }
        let id = event.stream.stream_id.as_str();
        let position = event.position;
        match niaga_store::decode::<RentalEvent>(event)? {
            RentalEvent::RentalReserved(e) => {
                exec!(
                    tx,
                    "INSERT INTO rental_list (rental_id, customer_id, status, currency, start_on, \
                     expected_return_on, units, deposit_sen, reserved_at, reserved_position, \
                     updated_position) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) \
                     ON CONFLICT (rental_id) DO NOTHING",
                    id,
                    e.customer_id.to_string(),
                    OPEN,
                    e.currency.to_string(),
                    day_text(e.start_on),
                    day_text(e.expected_return_on),
                    i64::try_from(e.units.len()).unwrap_or(i64::MAX),
                    sen(e.deposit)?,
                    time_text(e.reserved_at),
                    position,
                )?;
                for unit in &e.units {
                    exec!(
                        tx,
                        "INSERT INTO rental_units (rental_id, unit_id, serial, customer_id, \
                         status, start_on, expected_return_on, held_from, held_until, \
                         reserved_position, updated_position) \
                         VALUES ($1, $2, $3, $4, 'reserved', $5, $6, $5, $6, $7, $7) \
                         ON CONFLICT (rental_id, unit_id) DO NOTHING",
                        id,
                        unit.unit_id.to_string(),
                        unit.serial.as_str(),
                        e.customer_id.to_string(),
                        day_text(e.start_on),
                        day_text(e.expected_return_on),
                        position,
                    )?;
                }
            }
            RentalEvent::RentalUnitCheckedOut(e) => {
                // A unit taken before the start day is held from the day it went.
                exec!(
                    tx,
                    "UPDATE rental_units SET status = 'out', out_on = $3, collected_by = $4, \
                     delivery_order_id = $5, \
                     held_from = CASE WHEN $3 < held_from THEN $3 ELSE held_from END, \
                     updated_position = $6 WHERE rental_id = $1 AND unit_id = $2",
                    id,
                    e.unit_id.to_string(),
                    day_text(e.on),
                    e.collected_by.as_str(),
                    e.delivery_order_id.map(|d| d.to_string()),
                    position,
                )?;
                exec!(
                    tx,
                    "UPDATE rental_list SET units_out = units_out + 1, updated_position = $2 \
                     WHERE rental_id = $1",
                    id,
                    position,
                )?;
            }
            RentalEvent::RentalReturnExtended(e) => {
                let until = day_text(e.expected_return_on);
                exec!(
                    tx,
                    "UPDATE rental_units SET expected_return_on = $2, \
                     held_until = CASE WHEN status IN ('reserved', 'out') THEN $2 ELSE held_until END, \
                     updated_position = $3 WHERE rental_id = $1",
                    id,
                    &until,
                    position,
                )?;
                exec!(
                    tx,
                    "UPDATE rental_list SET expected_return_on = $2, updated_position = $3 \
                     WHERE rental_id = $1",
                    id,
                    &until,
                    position,
                )?;
            }
            RentalEvent::RentalUnitCheckedIn(e) => {
                exec!(
                    tx,
                    "UPDATE rental_units SET status = 'back', back_on = $3, held_until = $3, \
                     condition = $4, condition_note = $5, damage_charge_sen = $6, \
                     rental_charge_sen = $7, updated_position = $8 \
                     WHERE rental_id = $1 AND unit_id = $2",
                    id,
                    e.unit_id.to_string(),
                    day_text(e.on),
                    e.condition.to_string(),
                    e.note.as_deref(),
                    sen(e.damage_charge)?,
                    sen(e.charge.amount)?,
                    position,
                )?;
                exec!(
                    tx,
                    "UPDATE rental_list SET units_out = units_out - 1, units_back = units_back + 1, \
                     updated_position = $2 WHERE rental_id = $1",
                    id,
                    position,
                )?;
            }
            RentalEvent::RentalDepositCollected(e) => {
                add_to(tx, id, DEPOSIT_HELD, sen(e.amount)?, position).await?;
            }
            RentalEvent::RentalDepositRetained(e) => {
                add_to(tx, id, DEPOSIT_HELD, -sen(e.amount)?, position).await?;
            }
            RentalEvent::RentalDepositRefunded(e) => {
                add_to(tx, id, DEPOSIT_HELD, -sen(e.amount)?, position).await?;
            }
            RentalEvent::RentalClosed(_) => {
                ended(tx, id, CLOSED, "released", position).await?;
            }
            RentalEvent::RentalCancelled(_) => {
                ended(tx, id, CANCELLED, "cancelled", position).await?;
            }
            // The overdue list is a query over the units; the record is for the feed.
            RentalEvent::RentalOverdue(_) => {}
            // Receipts are documents, read from the aggregate.
            RentalEvent::RentalReturnReceiptIssued(_) => {}
            RentalEvent::RentalLateFeeCharged(e) => {
                let amount = sen(e.amount)?;
                exec!(
                    tx,
                    "INSERT INTO rental_late_fees (rental_id, unit_id, day, days_late, \
                     amount_sen, policy_version, charged_position) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) \
                     ON CONFLICT (rental_id, unit_id, day) DO NOTHING",
                    id,
                    e.unit_id.to_string(),
                    day_text(e.day),
                    i64::from(e.days_late),
                    amount,
                    i64::from(e.policy_version),
                    position,
                )?;
                add_to(tx, id, LATE_FEES, amount, position).await?;
            }
            RentalEvent::RentalLateFeeReversed(e) => {
                exec!(
                    tx,
                    "UPDATE rental_late_fees SET reversed_position = $4 \
                     WHERE rental_id = $1 AND unit_id = $2 AND day = $3",
                    id,
                    e.unit_id.to_string(),
                    day_text(e.day),
                    position,
                )?;
                add_to(tx, id, LATE_FEES, -sen(e.amount)?, position).await?;
            }
            RentalEvent::RentalLateFeesBilled(e) => {
                for fee in &e.fees {
                    exec!(
                        tx,
                        "UPDATE rental_late_fees SET invoice_id = $4 \
                         WHERE rental_id = $1 AND unit_id = $2 AND day = $3",
                        id,
                        fee.unit_id.to_string(),
                        day_text(fee.day),
                        e.invoice_id.to_string(),
                    )?;
                }
            }
        }
        Ok(())
    }
}

/// Adds `change_sen` to one of the rental's running amounts (`deposit_held_sen`,
/// `late_fees_sen`).
async fn add_to(
    tx: &mut ReadTx,
    id: &str,
    column: &'static str,
    change_sen: i64,
    position: i64,
) -> Result<(), ProjectionError> {
    let sql = format!(
        "UPDATE rental_list SET {column} = {column} + $2, updated_position = $3 \
         WHERE rental_id = $1"
    );
    exec!(tx, sql.as_str(), id, change_sen, position)?;
    Ok(())
}

/// Ends a rental: units reserved and never taken become `unit_status` and hold no days.
async fn ended(
    tx: &mut ReadTx,
    id: &str,
    status: &str,
    unit_status: &str,
    position: i64,
) -> Result<(), ProjectionError> {
    exec!(
        tx,
        "UPDATE rental_list SET status = $2, updated_position = $3 WHERE rental_id = $1",
        id,
        status,
        position,
    )?;
    exec!(
        tx,
        "UPDATE rental_units SET status = $2, updated_position = $3 \
         WHERE rental_id = $1 AND status = 'reserved'",
        id,
        unit_status,
        position,
    )?;
    Ok(())
}

/// One rental of the list, with the customer's name from the customer list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct RentalSummary {
    pub rental_id: String,
    pub customer_id: String,
    pub customer_name: Option<String>,
    pub status: String,
    pub currency: String,
    pub start_on: String,
    pub expected_return_on: String,
    pub units: i64,
    pub units_out: i64,
    pub units_back: i64,
    pub deposit_sen: i64,
    pub deposit_held_sen: i64,
    pub late_fees_sen: i64,
    pub reserved_at: String,
    pub reserved_position: i64,
    pub updated_position: i64,
}

/// What the rental list screen asks for.
#[derive(Debug, Clone, Default)]
pub struct RentalFilter {
    /// [`OPEN`], [`CLOSED`] or [`CANCELLED`].
    pub status: Option<&'static str>,
    pub customer_id: Option<String>,
    pub after: Option<i64>,
    pub limit: u32,
}

const SELECT_RENTALS: &str = "SELECT r.rental_id, r.customer_id, c.name AS customer_name, \
     r.status, r.currency, r.start_on, r.expected_return_on, r.units, r.units_out, \
     r.units_back, r.deposit_sen, r.deposit_held_sen, r.late_fees_sen, r.reserved_at, r.reserved_position, \
     r.updated_position \
     FROM rental_list r LEFT JOIN customer_list c ON c.customer_id = r.customer_id";

/// A page of rentals, newest first; served by `rental_list_by_status`,
/// `rental_list_by_customer` or `rental_list_newest`, read backwards.
pub async fn list(
    db: &Database,
    filter: &RentalFilter,
) -> Result<Page<RentalSummary>, ProjectionError> {
    NewestFirst {
        select: SELECT_RENTALS,
        position: "r.reserved_position",
        filters: vec![
            ("r.status", filter.status.map(str::to_owned)),
            ("r.customer_id", filter.customer_id.clone()),
        ],
    }
    .page(db, filter.after, filter.limit, |r: &RentalSummary| {
        r.reserved_position
    })
    .await
}

/// One unit on one rental: a line of a unit's custody timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Custody {
    pub rental_id: String,
    pub unit_id: String,
    pub serial: String,
    pub customer_id: String,
    pub customer_name: Option<String>,
    /// reserved, out, back, released or cancelled.
    pub status: String,
    pub start_on: String,
    pub expected_return_on: String,
    pub out_on: Option<String>,
    pub collected_by: Option<String>,
    pub delivery_order_id: Option<String>,
    pub back_on: Option<String>,
    pub condition: Option<String>,
    pub condition_note: Option<String>,
    pub damage_charge_sen: Option<i64>,
    pub rental_charge_sen: Option<i64>,
    pub held_from: String,
    pub held_until: String,
}

const SELECT_CUSTODY: &str = "SELECT u.rental_id, u.unit_id, u.serial, u.customer_id, \
     c.name AS customer_name, u.status, u.start_on, u.expected_return_on, u.out_on, \
     u.collected_by, u.delivery_order_id, u.back_on, u.condition, u.condition_note, \
     u.damage_charge_sen, u.rental_charge_sen, u.held_from, u.held_until \
     FROM rental_units u LEFT JOIN customer_list c ON c.customer_id = u.customer_id";

/// Every rental a unit has been on, oldest first: who had it, from when to when, under
/// which delivery order, and in what condition it came back. Served by
/// `rental_units_by_unit`.
pub async fn custody_of(db: &Database, unit_id: &str) -> Result<Vec<Custody>, ProjectionError> {
    let sql = format!(
        "{SELECT_CUSTODY} WHERE u.unit_id = $1 AND u.status <> 'cancelled' \
         ORDER BY u.held_from, u.reserved_position"
    );
    Ok(on_reader!(db, pool => sqlx::query_as(&sql).bind(unit_id).fetch_all(pool).await)?)
}

/// The units of one rental, in the order reserved.
pub async fn units_of(db: &Database, rental_id: &str) -> Result<Vec<Custody>, ProjectionError> {
    let sql = format!("{SELECT_CUSTODY} WHERE u.rental_id = $1 ORDER BY u.serial");
    Ok(on_reader!(db, pool => sqlx::query_as(&sql).bind(rental_id).fetch_all(pool).await)?)
}

/// Which rows hold a unit on some day from `$2` to `$3` with today `$4`: reserved for those
/// days, or out with the customer. A unit still out past its expected return is held at least
/// through today, since nobody knows when it comes back.
const HOLDS: &str = "u.status IN ('reserved', 'out') AND u.held_from <= $3 \
     AND (u.held_until >= $2 OR (u.status = 'out' AND $4 >= $2))";

/// The rentals holding `unit_id` on some day from `from` to `until`.
pub async fn holding(
    db: &Database,
    unit_id: &str,
    from: NaiveDate,
    until: NaiveDate,
    today: NaiveDate,
) -> Result<Vec<Custody>, ProjectionError> {
    let sql = format!("{SELECT_CUSTODY} WHERE u.unit_id = $1 AND {HOLDS} ORDER BY u.held_from");
    held(db, &sql, Some(unit_id), from, until, today).await
}

/// Every rental holding any unit on some day from `from` to `until`.
pub async fn holding_any(
    db: &Database,
    from: NaiveDate,
    until: NaiveDate,
    today: NaiveDate,
) -> Result<Vec<Custody>, ProjectionError> {
    // `$1 IS NULL` keeps the parameters numbered as in `holding`.
    let sql =
        format!("{SELECT_CUSTODY} WHERE $1 IS NULL AND {HOLDS} ORDER BY u.unit_id, u.held_from");
    held(db, &sql, None, from, until, today).await
}

async fn held(
    db: &Database,
    sql: &str,
    unit_id: Option<&str>,
    from: NaiveDate,
    until: NaiveDate,
    today: NaiveDate,
) -> Result<Vec<Custody>, ProjectionError> {
    let (from, until, today) = (day_text(from), day_text(until), day_text(today));
    Ok(on_reader!(db, pool => sqlx::query_as(sql)
        .bind(unit_id)
        .bind(&from)
        .bind(&until)
        .bind(&today)
        .fetch_all(pool)
        .await)?)
}

/// A unit not back by the end of a day it was due before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Overdue {
    pub rental_id: String,
    pub unit_id: String,
    pub serial: String,
    pub customer_id: String,
    pub customer_name: Option<String>,
    pub out_on: String,
    pub expected_return_on: String,
    pub collected_by: Option<String>,
    pub currency: String,
    /// Late fees standing for this unit on days up to the day asked about.
    pub late_fees_sen: i64,
}

/// Every unit that went out on or before `as_of`, was due back before it, and had not come
/// back by the end of it; the most overdue first.
pub async fn overdue(db: &Database, as_of: NaiveDate) -> Result<Vec<Overdue>, ProjectionError> {
    let sql = "SELECT u.rental_id, u.unit_id, u.serial, u.customer_id, c.name AS customer_name, \
         u.out_on, u.expected_return_on, u.collected_by, r.currency, \
         CAST(COALESCE((SELECT SUM(f.amount_sen) FROM rental_late_fees f \
                   WHERE f.rental_id = u.rental_id AND f.unit_id = u.unit_id \
                   AND f.reversed_position IS NULL AND f.day <= $1), 0) AS BIGINT) AS late_fees_sen \
         FROM rental_units u JOIN rental_list r ON r.rental_id = u.rental_id \
         LEFT JOIN customer_list c ON c.customer_id = u.customer_id \
         WHERE u.expected_return_on < $1 AND u.out_on <= $1 \
         AND (u.back_on IS NULL OR u.back_on > $1) \
         ORDER BY u.expected_return_on, u.serial";
    let as_of = day_text(as_of);
    Ok(on_reader!(db, pool => sqlx::query_as(sql).bind(&as_of).fetch_all(pool).await)?)
}

/// The open rentals with a unit that went out and was not back by its due day before
/// `as_of` (still out, or returned late): what the daily overdue job visits. A unit returned
/// late while the job was not running still owes the days it missed.
pub async fn with_units_overdue(
    db: &Database,
    as_of: NaiveDate,
) -> Result<Vec<String>, ProjectionError> {
    let as_of = day_text(as_of);
    Ok(on_reader!(db, pool => sqlx::query_scalar(
        "SELECT DISTINCT u.rental_id FROM rental_units u \
         JOIN rental_list r ON r.rental_id = u.rental_id \
         WHERE r.status = 'open' AND u.out_on IS NOT NULL AND u.expected_return_on < $1 \
         AND (u.back_on IS NULL OR u.back_on > u.expected_return_on) ORDER BY u.rental_id",
    )
    .bind(&as_of)
    .fetch_all(pool)
    .await)?)
}
