//! `GET /pipeline`: the sales pipeline report, from its read model: what is open by stage and
//! by expected close month, and what was won and lost month by month.
// utoipa's path macro expands the `Query<PipelineParams>` argument into code with a qualified
// path that this lint flags, outside the handler where an item-level allow would reach.
#![allow(unused_qualifications)]

use axum::extract::State;
use chrono::{Datelike, Months, NaiveDate, Utc};
use niaga_domain::{Currency, Money, business_day};
use niaga_projections::pipeline::{self, STAGES};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::AppState,
    auth::{ANY_STAFF, CurrentUser},
    error::{ApiError, Problem, Result},
    extract::Query,
    http::{catch_up::caught_up, money::MoneyBody},
};

/// The longest range of months one report covers: five years of monthly figures.
const MAX_MONTHS: u32 = 60;
/// The range when `from` is not given: a year up to `to`.
const DEFAULT_MONTHS: u32 = 12;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(pipeline_report))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub(crate) struct PipelineParams {
    /// The first month of the won and lost figures (`YYYY-MM`); 11 months before `to` when
    /// absent, so a year is shown.
    #[param(example = "2026-01")]
    from: Option<String>,
    /// The last month of the won and lost figures, included (`YYYY-MM`); the current month
    /// (Malaysian time) when absent. At most 60 months after `from`.
    #[param(example = "2026-12")]
    to: Option<String>,
    /// Wait until the pipeline includes the command that wrote this global position
    /// (read-your-writes); 503 with `Retry-After` if it does not within 3 seconds.
    min_position: Option<i64>,
}

/// Some opportunities in one currency and what they are expected to bring.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CurrencyFigures {
    count: i64,
    expected_value: MoneyBody,
}

/// The open opportunities at one stage.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct StageFigures {
    /// `lead`, `qualified` or `proposal`.
    stage: String,
    count: i64,
    /// One entry per currency, in currency order: amounts in different currencies are not
    /// added up.
    by_currency: Vec<CurrencyFigures>,
}

/// The open opportunities expected to close in one month.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CloseMonthFigures {
    /// `YYYY-MM`.
    month: String,
    count: i64,
    by_currency: Vec<CurrencyFigures>,
}

/// The opportunities closed in one month.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ClosedMonthFigures {
    /// `YYYY-MM`.
    month: String,
    /// Won + lost.
    closed: i64,
    won: i64,
    lost: i64,
    /// The expected values of the deals won, per currency.
    won_value: Vec<MoneyBody>,
    /// Won ÷ closed, from `"0.0000"` to `"1.0000"`; `null` in a month with nothing closed.
    win_rate: Option<String>,
}

/// The pipeline in one document.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "from": "2026-05", "to": "2026-06",
    "open_by_stage": [
        { "stage": "lead", "count": 2, "by_currency": [
            { "count": 2, "expected_value": { "amount": "15500.00", "currency": "MYR" } } ] },
        { "stage": "qualified", "count": 0, "by_currency": [] },
        { "stage": "proposal", "count": 1, "by_currency": [
            { "count": 1, "expected_value": { "amount": "4200.00", "currency": "USD" } } ] }
    ],
    "expected_close_by_month": [
        { "month": "2026-07", "count": 3, "by_currency": [
            { "count": 2, "expected_value": { "amount": "15500.00", "currency": "MYR" } },
            { "count": 1, "expected_value": { "amount": "4200.00", "currency": "USD" } } ] }
    ],
    "closed_by_month": [
        { "month": "2026-05", "closed": 0, "won": 0, "lost": 0, "won_value": [], "win_rate": null },
        { "month": "2026-06", "closed": 3, "won": 2, "lost": 1,
          "won_value": [ { "amount": "18000.00", "currency": "MYR" } ], "win_rate": "0.6667" }
    ]
}))]
pub(crate) struct PipelineReport {
    /// The first month of `closed_by_month`.
    from: String,
    /// Its last month.
    to: String,
    /// Every open stage in funnel order, empty ones included.
    open_by_stage: Vec<StageFigures>,
    /// Every month some open opportunity is expected to close in, in month order; months
    /// already past hold deals that slipped.
    expected_close_by_month: Vec<CloseMonthFigures>,
    /// Every month from `from` to `to`, those without closings included.
    closed_by_month: Vec<ClosedMonthFigures>,
}

/// A `YYYY-MM` parameter as the first day of its month; 422 at `pointer` otherwise.
fn month(pointer: &str, text: &str) -> Result<NaiveDate> {
    let written = text.len() == 7
        && text.bytes().enumerate().all(|(i, b)| {
            if i == 4 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    written
        .then(|| NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d").ok())
        .flatten()
        .ok_or_else(|| ApiError::field(pointer, "is not a month written YYYY-MM"))
}

/// The range asked for, defaults filled in and checked.
fn range(params: &PipelineParams) -> Result<(NaiveDate, NaiveDate)> {
    let to = match &params.to {
        Some(text) => month("/to", text)?,
        None => business_day(Utc::now())
            .with_day(1)
            .ok_or_else(|| ApiError::internal(anyhow::anyhow!("every month has a first day")))?,
    };
    let from = match &params.from {
        Some(text) => month("/from", text)?,
        None => to
            .checked_sub_months(Months::new(DEFAULT_MONTHS - 1))
            .ok_or_else(|| ApiError::field("/to", "is too early a month"))?,
    };
    if to < from {
        return Err(ApiError::field("/to", "is before `from`"));
    }
    if months_between(from, to) > MAX_MONTHS {
        return Err(ApiError::field(
            "/to",
            format!("is more than {MAX_MONTHS} months after `from`: ask for a shorter range"),
        ));
    }
    Ok((from, to))
}

/// How many months `from` to `to` span, both included.
fn months_between(from: NaiveDate, to: NaiveDate) -> u32 {
    let months = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32 + 1;
    u32::try_from(months).unwrap_or(0)
}

fn money(sen: i64, currency: &str) -> Result<MoneyBody> {
    let currency = Currency::parse(currency).map_err(ApiError::internal)?;
    Ok(Money::from_sen(sen, currency).into())
}

fn figures(count: i64, sen: i64, currency: &str) -> Result<CurrencyFigures> {
    Ok(CurrencyFigures {
        count,
        expected_value: money(sen, currency)?,
    })
}

/// Won ÷ closed to four decimals.
fn win_rate(won: i64, closed: i64) -> Option<String> {
    if closed == 0 {
        return None;
    }
    let mut rate = (Decimal::from(won) / Decimal::from(closed)).round_dp(4);
    rate.rescale(4);
    Some(rate.to_string())
}

async fn open_by_stage(state: &AppState) -> Result<Vec<StageFigures>> {
    let rows = pipeline::open_by_stage(state.db())
        .await
        .map_err(ApiError::internal)?;
    STAGES
        .iter()
        .map(|stage| {
            let rows = rows.iter().filter(|r| r.stage == *stage);
            Ok(StageFigures {
                stage: (*stage).to_owned(),
                count: rows.clone().map(|r| r.count).sum(),
                by_currency: rows
                    .map(|r| figures(r.count, r.value_sen, &r.currency))
                    .collect::<Result<_>>()?,
            })
        })
        .collect()
}

async fn expected_close_by_month(state: &AppState) -> Result<Vec<CloseMonthFigures>> {
    let rows = pipeline::expected_close_by_month(state.db())
        .await
        .map_err(ApiError::internal)?;
    let mut months: Vec<CloseMonthFigures> = Vec::new();
    // Rows come in month order, so a month's currencies are consecutive.
    for row in rows {
        let currency = figures(row.count, row.value_sen, &row.currency)?;
        match months.last_mut() {
            Some(last) if last.month == row.month => {
                last.count += row.count;
                last.by_currency.push(currency);
            }
            _ => months.push(CloseMonthFigures {
                month: row.month,
                count: row.count,
                by_currency: vec![currency],
            }),
        }
    }
    Ok(months)
}

async fn closed_by_month(
    state: &AppState,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<ClosedMonthFigures>> {
    let rows = pipeline::closed_by_month(state.db(), from, to)
        .await
        .map_err(ApiError::internal)?;
    let mut months = Vec::new();
    let mut month = Some(from);
    while let Some(first_day) = month.filter(|m| *m <= to) {
        let key = pipeline::month_text(first_day);
        let (mut won, mut lost, mut won_value) = (0, 0, Vec::new());
        for row in rows.iter().filter(|r| r.month == key) {
            if row.status == "won" {
                won += row.count;
                won_value.push(money(row.value_sen, &row.currency)?);
            } else {
                lost += row.count;
            }
        }
        months.push(ClosedMonthFigures {
            month: key,
            closed: won + lost,
            won,
            lost,
            won_value,
            win_rate: win_rate(won, won + lost),
        });
        month = first_day.checked_add_months(Months::new(1));
    }
    Ok(months)
}

/// The sales pipeline: open opportunities by stage and by expected close month, and won and
/// lost per month from `from` to `to`. Amounts are expected values, per currency.
#[utoipa::path(
    get,
    path = "/pipeline",
    tag = "pipeline",
    params(PipelineParams),
    responses(
        (status = OK, description = "The pipeline", body = PipelineReport),
        (status = BAD_REQUEST, description = "An unknown or malformed parameter", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "A month not written YYYY-MM, `to` before `from`, or more than 60 months",
            body = Problem, content_type = "application/problem+json"),
        (status = UNAUTHORIZED, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = SERVICE_UNAVAILABLE, description = "The pipeline has not caught up with `min_position` yet",
            body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub(crate) async fn pipeline_report(
    user: CurrentUser,
    State(state): State<AppState>,
    Query(params): Query<PipelineParams>,
) -> Result<axum::Json<PipelineReport>> {
    user.require(ANY_STAFF)?;
    let (from, to) = range(&params)?;
    caught_up(&state, pipeline::NAME, params.min_position).await?;
    Ok(axum::Json(PipelineReport {
        from: pipeline::month_text(from),
        to: pipeline::month_text(to),
        open_by_stage: open_by_stage(&state).await?,
        expected_close_by_month: expected_close_by_month(&state).await?,
        closed_by_month: closed_by_month(&state, from, to).await?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(from: Option<&str>, to: Option<&str>) -> PipelineParams {
        PipelineParams {
            from: from.map(str::to_owned),
            to: to.map(str::to_owned),
            min_position: None,
        }
    }

    fn day(y: i32, m: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, 1).unwrap()
    }

    #[test]
    fn a_month_is_written_yyyy_mm() {
        assert_eq!(month("/from", "2026-06").ok(), Some(day(2026, 6)));
        for bad in [
            "2026-6",
            "2026-13",
            "2026-00",
            "26-06",
            "2026/06",
            "2026-06-01",
            "",
        ] {
            assert!(month("/from", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_absent_from_is_eleven_months_before_to() {
        let (from, to) = range(&params(None, Some("2026-06"))).unwrap();
        assert_eq!((from, to), (day(2025, 7), day(2026, 6)));
    }

    #[test]
    fn a_range_runs_forwards_and_at_most_sixty_months() {
        assert!(range(&params(Some("2026-07"), Some("2026-06"))).is_err());
        assert!(range(&params(Some("2021-07"), Some("2026-06"))).is_ok());
        assert!(range(&params(Some("2021-06"), Some("2026-06"))).is_err());
        assert_eq!(months_between(day(2025, 11), day(2026, 2)), 4);
    }

    #[test]
    fn the_win_rate_has_four_decimals() {
        assert_eq!(win_rate(2, 3).as_deref(), Some("0.6667"));
        assert_eq!(win_rate(1, 1).as_deref(), Some("1.0000"));
        assert_eq!(win_rate(0, 2).as_deref(), Some("0.0000"));
        assert_eq!(win_rate(0, 0), None);
    }
}
