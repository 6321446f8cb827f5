//! `GET /receivables`: what customers owed at the end of a day, bucketed by how late it was,
//! from the receivables read model. The auditor's `GET /audit/receivables` answers in the same
//! shape from the events themselves.
// utoipa's path macro expands the `Query<ReceivablesParams>` argument into code with a
// qualified path that this lint flags, outside the handler where an item-level allow would
// reach.
#![allow(unused_qualifications)]

use std::collections::HashMap;

use axum::extract::State;
use chrono::{NaiveDate, Utc};
use niaga_domain::{
    business_day,
    ids::CustomerId,
    invoice::aging::{AgedAmounts, Aging, AgingBucket},
};
use niaga_projections::receivables;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    app::AppState,
    auth::{ANY_STAFF, CurrentUser},
    error::{ApiError, Problem, Result},
    extract::Query,
    http::{catch_up::caught_up, money::MoneyBody},
};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(receivables_as_of))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReceivablesParams {
    /// The day looked at, `YYYY-MM-DD`: what was owed at its end, counting the invoices issued,
    /// payments received and notes dated on or before it. Default: today (in Malaysia).
    #[param(example = "2026-06-30")]
    as_of: Option<String>,
    /// Only this customer.
    customer_id: Option<Uuid>,
    /// Wait until the receivables include the command that wrote this global position
    /// (read-your-writes); 503 with `Retry-After` if they do not within 3 seconds.
    min_position: Option<i64>,
}

/// `as_of` as a business day; today's in Malaysia when absent.
pub(crate) fn as_of_day(text: Option<&str>) -> Result<NaiveDate> {
    let Some(text) = text else {
        return Ok(business_day(Utc::now()));
    };
    // Exactly YYYY-MM-DD: dates are compared as text in the read model, which only the
    // four-digit year keeps in date order.
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .filter(|day| day.to_string() == text && day.succ_opt().is_some())
        .ok_or_else(|| ApiError::field("/as_of", "must be a date written YYYY-MM-DD"))
}

/// Amounts by how late they were on `as_of`, in one currency. A negative amount is a credit
/// balance (money the company owes the customer), shown where it falls.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AgedAmountsView {
    currency: String,
    /// Not due yet, or due on `as_of` itself.
    current: MoneyBody,
    /// 1 to 30 days past the due date.
    days_1_30: MoneyBody,
    days_31_60: MoneyBody,
    days_61_90: MoneyBody,
    /// More than 90 days past the due date.
    over_90: MoneyBody,
    /// Every bucket together.
    total: MoneyBody,
}

impl From<&AgedAmounts> for AgedAmountsView {
    fn from(amounts: &AgedAmounts) -> Self {
        let bucket = |bucket| MoneyBody::from(amounts.get(bucket));
        Self {
            currency: amounts.currency().to_string(),
            current: bucket(AgingBucket::Current),
            days_1_30: bucket(AgingBucket::Days1To30),
            days_31_60: bucket(AgingBucket::Days31To60),
            days_61_90: bucket(AgingBucket::Days61To90),
            over_90: bucket(AgingBucket::Over90),
            total: amounts.total().into(),
        }
    }
}

/// One customer's amounts in one currency.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CustomerAgingView {
    customer_id: String,
    /// `null` if the customer's name is not known (yet).
    customer_name: Option<String>,
    #[serde(flatten)]
    amounts: AgedAmountsView,
}

/// What was owed at the end of `as_of`, per currency and per customer, by how late it was.
/// Invoices issued after `as_of` are not in it; a cancelled invoice owes nothing from the day
/// it was cancelled.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "as_of": "2026-06-30",
    "totals": [{
        "currency": "MYR",
        "current": { "amount": "1080.00", "currency": "MYR" },
        "days_1_30": { "amount": "580.00", "currency": "MYR" },
        "days_31_60": { "amount": "-120.00", "currency": "MYR" },
        "days_61_90": { "amount": "0.00", "currency": "MYR" },
        "over_90": { "amount": "2400.00", "currency": "MYR" },
        "total": { "amount": "3940.00", "currency": "MYR" }
    }],
    "customers": [{
        "customer_id": "0197a000-0000-7000-8000-000000000001",
        "customer_name": "Acme Timbang Sdn. Bhd.",
        "currency": "MYR",
        "current": { "amount": "1080.00", "currency": "MYR" },
        "days_1_30": { "amount": "580.00", "currency": "MYR" },
        "days_31_60": { "amount": "0.00", "currency": "MYR" },
        "days_61_90": { "amount": "0.00", "currency": "MYR" },
        "over_90": { "amount": "2400.00", "currency": "MYR" },
        "total": { "amount": "4060.00", "currency": "MYR" }
    }, {
        "customer_id": "0197a000-0000-7000-8000-000000000002",
        "customer_name": "Syarikat Neraca Jaya",
        "currency": "MYR",
        "current": { "amount": "0.00", "currency": "MYR" },
        "days_1_30": { "amount": "0.00", "currency": "MYR" },
        "days_31_60": { "amount": "-120.00", "currency": "MYR" },
        "days_61_90": { "amount": "0.00", "currency": "MYR" },
        "over_90": { "amount": "0.00", "currency": "MYR" },
        "total": { "amount": "-120.00", "currency": "MYR" }
    }]
}))]
pub(crate) struct ReceivablesView {
    as_of: NaiveDate,
    /// All customers together, one per currency.
    totals: Vec<AgedAmountsView>,
    /// One per customer and currency with something owed either way, by customer id.
    customers: Vec<CustomerAgingView>,
}

impl ReceivablesView {
    /// The view of `aging`, with the customers' names where `names` has them.
    pub(crate) fn new(aging: &Aging, names: &HashMap<CustomerId, String>) -> Self {
        Self {
            as_of: aging.as_of,
            totals: aging.totals.iter().map(AgedAmountsView::from).collect(),
            customers: aging
                .customers
                .iter()
                .map(|customer| CustomerAgingView {
                    customer_id: customer.customer_id.to_string(),
                    customer_name: names.get(&customer.customer_id).cloned(),
                    amounts: AgedAmountsView::from(&customer.amounts),
                })
                .collect(),
        }
    }
}

/// Receivables aging: what was owed at the end of `as_of` (invoices issued, payments received
/// and notes dated on or before it), per currency and per customer, in the buckets current,
/// 1–30, 31–60, 61–90 and over 90 days past due.
#[utoipa::path(
    get,
    path = "/receivables",
    tag = "receivables",
    params(ReceivablesParams),
    responses(
        (status = OK, description = "The aging", body = ReceivablesView),
        (status = BAD_REQUEST, description = "A malformed customer id or position",
            body = Problem, content_type = "application/problem+json"),
        (status = UNAUTHORIZED, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, description = "Not staff", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "`as_of` is not a date written YYYY-MM-DD",
            body = Problem, content_type = "application/problem+json"),
        (status = SERVICE_UNAVAILABLE, description = "The receivables have not caught up with `min_position` yet",
            body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub(crate) async fn receivables_as_of(
    user: CurrentUser,
    State(state): State<AppState>,
    Query(params): Query<ReceivablesParams>,
) -> Result<axum::Json<ReceivablesView>> {
    user.require(ANY_STAFF)?;
    let as_of = as_of_day(params.as_of.as_deref())?;
    caught_up(&state, receivables::NAME, params.min_position).await?;
    let customer = params.customer_id.map(|id| id.to_string());
    let aging = receivables::aging(state.db(), as_of, customer.as_deref())
        .await
        .map_err(ApiError::internal)?;
    let mut ids: Vec<CustomerId> = aging.customers.iter().map(|c| c.customer_id).collect();
    ids.dedup();
    let names = receivables::customer_names(state.db(), &ids)
        .await
        .map_err(ApiError::internal)?;
    Ok(axum::Json(ReceivablesView::new(&aging, &names)))
}
