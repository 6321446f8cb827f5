//! What the supplier routes answer: a supplier as its stream tells it, list rows and monthly
//! performance from the read models.

use niaga_domain::{purchase_order::DeliveryTolerance, supplier::RegisteredSupplier};
use niaga_projections::{supplier_list::SupplierSummary, supplier_performance::MonthPerformance};
use serde::Serialize;
use utoipa::ToSchema;

use crate::http::customers::CustomerDetailsBody;

/// Whose tolerance a delivery is judged against.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ToleranceSource {
    /// The company default, from configuration.
    Company,
    /// The supplier's own.
    Supplier,
}

/// A delivery tolerance and its version, recorded with every judgement made under it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ToleranceView {
    /// Percent over or under the quantity ordered (`"5"`).
    percent: String,
    version: u32,
    source: ToleranceSource,
}

/// A supplier as it is now.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SupplierView {
    id: String,
    /// Send it back in `If-Match` to change exactly this version.
    version: u64,
    details: CustomerDetailsBody,
    /// Its own tolerance, if it has one.
    tolerance_override: Option<String>,
    /// What its next delivery is judged against.
    delivery_tolerance: ToleranceView,
}

impl SupplierView {
    pub(crate) fn new(s: &RegisteredSupplier, version: u64, company: DeliveryTolerance) -> Self {
        let tolerance = s.delivery_tolerance(company);
        Self {
            id: s.id.to_string(),
            version,
            details: CustomerDetailsBody::of(s.kind, &s.details),
            tolerance_override: s.tolerance_override.map(|p| p.value().to_string()),
            delivery_tolerance: ToleranceView {
                percent: tolerance.percent.value().to_string(),
                version: tolerance.version,
                source: if s.tolerance_override.is_some() {
                    ToleranceSource::Supplier
                } else {
                    ToleranceSource::Company
                },
            },
        }
    }
}

/// One supplier of the list.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SupplierListItem {
    id: String,
    name: String,
    /// `company` or `individual`.
    kind: String,
    tin: String,
    email: String,
    phone: String,
    city: String,
    state: String,
    /// Its own delivery tolerance in percent; the company default when absent.
    tolerance_override: Option<String>,
    registered_at: String,
    updated_position: i64,
}

impl From<SupplierSummary> for SupplierListItem {
    fn from(s: SupplierSummary) -> Self {
        Self {
            id: s.supplier_id,
            name: s.name,
            kind: s.kind,
            tin: s.tin,
            email: s.email,
            phone: s.phone,
            city: s.city,
            state: s.state,
            tolerance_override: s.tolerance_override,
            registered_at: s.registered_at,
            updated_position: s.updated_position,
        }
    }
}

/// How a supplier did in one month. Deliveries count in the month received; the fill rate
/// counts orders (sent or closed) in the month of their promised date.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct MonthPerformanceView {
    /// `YYYY-MM`.
    #[schema(example = "2026-01")]
    month: String,
    deliveries: i64,
    on_time: i64,
    late: i64,
    total_days_late: i64,
    /// Percent of the deliveries received on or before the promised date, two decimals;
    /// absent without deliveries.
    #[schema(example = "66.67")]
    on_time_rate: Option<String>,
    /// Days late per delivery (on-time ones count 0), two decimals; absent without
    /// deliveries.
    #[schema(example = "2.33")]
    average_days_late: Option<String>,
    /// Quantities of the lines of orders promised in the month, added as written.
    ordered: String,
    received: String,
    /// `received` as a percent of `ordered`, two decimals; absent without orders.
    #[schema(example = "95")]
    fill_rate: Option<String>,
}

impl From<MonthPerformance> for MonthPerformanceView {
    fn from(m: MonthPerformance) -> Self {
        Self {
            month: m.month,
            deliveries: m.deliveries,
            on_time: m.on_time,
            late: m.late,
            total_days_late: m.total_days_late,
            on_time_rate: m.on_time_rate.map(|r| r.to_string()),
            average_days_late: m.average_days_late.map(|d| d.to_string()),
            ordered: m.ordered.to_string(),
            received: m.received.to_string(),
            fill_rate: m.fill_rate.map(|r| r.to_string()),
        }
    }
}

/// A supplier's performance, month by month.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PerformanceView {
    supplier_id: String,
    /// Oldest first, every month of the range, months without activity included.
    months: Vec<MonthPerformanceView>,
}

impl PerformanceView {
    pub(crate) fn new(supplier_id: String, months: Vec<MonthPerformance>) -> Self {
        Self {
            supplier_id,
            months: months.into_iter().map(Into::into).collect(),
        }
    }
}
