//! Supplier performance per month, from the tables of [`crate::purchase_orders`]:
//!
//! - **Deliveries** count in the month they were received: the on-time rate is the share
//!   received on or before the promised date, and the average days late is over every
//!   delivery of the month (an on-time one counts 0), so a supplier that is rarely late but
//!   then very late still shows it. `late` and `total_days_late` are given too, for the
//!   average over the late ones only.
//! - **Fill rate** counts orders in the month of their promised date (sent or closed, never
//!   drafts or cancelled ones): everything received of their lines over everything ordered,
//!   so a short-closed line lowers it and an open order shows what has arrived so far.
//!   Quantities are added as written, whatever their unit: a purchasing measure, not stock.

use chrono::{Datelike, Months, NaiveDate};
use niaga_store::{Database, on_reader};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

use crate::{ProjectionError, day_text};

/// One supplier's month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MonthPerformance {
    /// `YYYY-MM`.
    pub month: String,
    pub deliveries: i64,
    pub on_time: i64,
    pub late: i64,
    pub total_days_late: i64,
    /// Percent of deliveries on time, two decimals; `None` without deliveries.
    pub on_time_rate: Option<Decimal>,
    /// Days late per delivery, two decimals; `None` without deliveries.
    pub average_days_late: Option<Decimal>,
    pub ordered: Decimal,
    pub received: Decimal,
    /// Percent of the quantity ordered that was received, two decimals; `None` without
    /// orders promised in the month.
    pub fill_rate: Option<Decimal>,
}

impl MonthPerformance {
    fn empty(month: NaiveDate) -> Self {
        Self {
            month: month.format("%Y-%m").to_string(),
            deliveries: 0,
            on_time: 0,
            late: 0,
            total_days_late: 0,
            on_time_rate: None,
            average_days_late: None,
            ordered: Decimal::ZERO,
            received: Decimal::ZERO,
            fill_rate: None,
        }
    }
}

/// The SQL of the deliveries: served by `purchase_order_receipts_by_supplier`. Binds the
/// supplier and the first and the day after the last day.
pub const DELIVERIES_SQL: &str = "SELECT received_on, days_late FROM purchase_order_receipts \
     WHERE supplier_id = $1 AND received_on >= $2 AND received_on < $3";

/// The SQL of the ordered and received quantities: served by
/// `purchase_order_list_by_supplier_promised`, then the lines by primary key.
pub const QUANTITIES_SQL: &str = "SELECT o.promised_on, l.ordered, l.received \
     FROM purchase_order_list o JOIN purchase_order_lines l \
     ON l.purchase_order_id = o.purchase_order_id \
     WHERE o.supplier_id = $1 AND o.promised_on >= $2 AND o.promised_on < $3 \
     AND o.status IN ('sent', 'closed')";

/// The first day of `day`'s month.
pub fn month_of(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

fn percent(part: Decimal, whole: Decimal) -> Option<Decimal> {
    part.checked_mul(Decimal::ONE_HUNDRED)
        .and_then(|p| p.checked_div(whole))
        .map(round)
}

fn round(value: Decimal) -> Decimal {
    value
        .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}

fn decimal(text: &str) -> Result<Decimal, ProjectionError> {
    text.parse()
        .map_err(|_| ProjectionError::Corrupt(format!("quantity {text} is not a decimal")))
}

/// Every month from `from`'s to `to`'s (inclusive) for one supplier, oldest first, months
/// without activity included.
pub async fn monthly(
    db: &Database,
    supplier_id: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<MonthPerformance>, ProjectionError> {
    let first = month_of(from);
    let end = month_of(to)
        .checked_add_months(Months::new(1))
        .unwrap_or(NaiveDate::MAX);
    let mut months = Vec::new();
    let mut month = first;
    while month < end {
        months.push(MonthPerformance::empty(month));
        month = match month.checked_add_months(Months::new(1)) {
            Some(next) => next,
            None => break,
        };
    }
    let (first_text, end_text) = (day_text(first), day_text(end));
    let index = |day: &str| {
        months
            .iter()
            .position(|m| day.get(..7) == Some(m.month.as_str()))
    };
    let deliveries: Vec<(String, i64)> = on_reader!(db, pool => sqlx::query_as(DELIVERIES_SQL)
        .bind(supplier_id)
        .bind(&first_text)
        .bind(&end_text)
        .fetch_all(pool)
        .await)?;
    let quantities: Vec<(String, String, String)> = on_reader!(db, pool => sqlx::query_as(QUANTITIES_SQL)
            .bind(supplier_id)
            .bind(&first_text)
            .bind(&end_text)
            .fetch_all(pool)
            .await)?;
    let mut delivered = Vec::with_capacity(deliveries.len());
    for (day, days_late) in &deliveries {
        delivered.push((index(day), *days_late));
    }
    let mut filled = Vec::with_capacity(quantities.len());
    for (day, ordered, received) in &quantities {
        filled.push((index(day), decimal(ordered)?, decimal(received)?));
    }
    for (at, days_late) in delivered {
        if let Some(m) = at.and_then(|i| months.get_mut(i)) {
            m.deliveries += 1;
            if days_late > 0 {
                m.late += 1;
                m.total_days_late += days_late;
            } else {
                m.on_time += 1;
            }
        }
    }
    for (at, ordered, received) in filled {
        if let Some(m) = at.and_then(|i| months.get_mut(i)) {
            m.ordered += ordered;
            m.received += received;
        }
    }
    for m in &mut months {
        if m.deliveries > 0 {
            let deliveries = Decimal::from(m.deliveries);
            m.on_time_rate = percent(Decimal::from(m.on_time), deliveries);
            m.average_days_late = Decimal::from(m.total_days_late)
                .checked_div(deliveries)
                .map(round);
        }
        if !m.ordered.is_zero() {
            m.fill_rate = percent(m.received, m.ordered);
        }
        m.ordered = m.ordered.normalize();
        m.received = m.received.normalize();
    }
    Ok(months)
}
