//! `GET /invoices`: the invoice list, from its read model.
// utoipa's path macro expands the `Query<ListParams>` argument into code with a qualified
// path that this lint flags, outside the handler where an item-level allow would reach.
#![allow(unused_qualifications)]

use axum::extract::State;
use niaga_domain::{Currency, Money, invoice::InvoiceStatus};
use niaga_projections::invoice_list::{self, InvoiceFilter, InvoiceSummary};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::{
    app::AppState,
    auth::{ANY_STAFF, CurrentUser},
    error::{ApiError, Problem, Result},
    extract::Query,
    http::{catch_up::caught_up, money::MoneyBody, page_cursor},
};

/// Where an invoice stands, as the list filters on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum InvoiceStatusView {
    Draft,
    Issued,
    PartlyPaid,
    Paid,
    Credited,
    RefundDue,
    Voided,
    Cancelled,
}

impl From<InvoiceStatusView> for InvoiceStatus {
    fn from(status: InvoiceStatusView) -> Self {
        match status {
            InvoiceStatusView::Draft => Self::Draft,
            InvoiceStatusView::Issued => Self::Issued,
            InvoiceStatusView::PartlyPaid => Self::PartlyPaid,
            InvoiceStatusView::Paid => Self::Paid,
            InvoiceStatusView::Credited => Self::Credited,
            InvoiceStatusView::RefundDue => Self::RefundDue,
            InvoiceStatusView::Voided => Self::Voided,
            InvoiceStatusView::Cancelled => Self::Cancelled,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListParams {
    /// Only invoices in this state.
    status: Option<InvoiceStatusView>,
    /// Only this customer's invoices.
    customer_id: Option<Uuid>,
    /// Page size, 1 to 200 (default 50).
    limit: Option<u32>,
    /// The `next` cursor of the previous page.
    after: Option<String>,
    /// Wait until the list includes the command that wrote this global position
    /// (read-your-writes); 503 with `Retry-After` if it does not within 3 seconds.
    min_position: Option<i64>,
}

/// One invoice in the list, with its account.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0190f5c2-6a4e-7c31-9b8e-2f1d3c4b5a70", "number": "INV-2026-000123",
    "customer_id": "0197a000-0000-7000-8000-000000000001", "status": "partly_paid",
    "total": { "amount": "1080.00", "currency": "MYR" },
    "charged": { "amount": "980.00", "currency": "MYR" },
    "settled": { "amount": "500.00", "currency": "MYR" },
    "outstanding": { "amount": "480.00", "currency": "MYR" },
    "issued_on": "2026-06-02", "due_on": "2026-07-02",
    "quotation_id": "0190f5c2-6a4e-7c31-9b8e-2f1d3c4b5a69", "drafted_at": "2026-06-02T01:00:00Z"
}))]
pub(crate) struct InvoiceListItem {
    id: String,
    /// Absent on a draft.
    number: Option<String>,
    customer_id: String,
    /// `draft`, `issued`, `partly_paid`, `paid`, `credited`, `refund_due`, `voided` or
    /// `cancelled`.
    status: String,
    /// The invoice's payable amount as issued (or as drafted).
    total: MoneyBody,
    /// Payable + debit notes − credit notes.
    charged: MoneyBody,
    /// Payments − refunds.
    settled: MoneyBody,
    /// Charged − settled.
    outstanding: MoneyBody,
    issued_on: Option<String>,
    due_on: Option<String>,
    /// The quotation it was converted from.
    quotation_id: Option<String>,
    drafted_at: String,
}

impl TryFrom<InvoiceSummary> for InvoiceListItem {
    type Error = ApiError;

    fn try_from(i: InvoiceSummary) -> Result<Self> {
        let currency = Currency::parse(&i.currency).map_err(ApiError::internal)?;
        let money = |sen| MoneyBody::from(Money::from_sen(sen, currency));
        Ok(Self {
            total: money(i.total_sen),
            charged: money(i.charged_sen),
            settled: money(i.settled_sen),
            outstanding: money(i.outstanding_sen()),
            id: i.invoice_id,
            number: i.number,
            customer_id: i.customer_id,
            status: i.status,
            issued_on: i.issued_on,
            due_on: i.due_on,
            quotation_id: i.quotation_id,
            drafted_at: i.drafted_at,
        })
    }
}

/// A page of invoices, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct InvoiceListPage {
    items: Vec<InvoiceListItem>,
    /// Pass as `after` for the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<String>,
}

/// List invoices, newest first, filtered by status and customer, in pages.
#[utoipa::path(
    get,
    path = "/invoices",
    tag = "invoices",
    params(ListParams),
    responses(
        (status = OK, description = "A page of invoices", body = InvoiceListPage),
        (status = BAD_REQUEST, description = "A malformed parameter or cursor", body = Problem, content_type = "application/problem+json"),
        (status = SERVICE_UNAVAILABLE, description = "The list has not caught up with `min_position` yet",
            body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub(crate) async fn list_invoices(
    user: CurrentUser,
    State(state): State<AppState>,
    Query(params): Query<ListParams>,
) -> Result<axum::Json<InvoiceListPage>> {
    user.require(ANY_STAFF)?;
    caught_up(&state, invoice_list::NAME, params.min_position).await?;
    let filter = InvoiceFilter {
        status: params.status.map(Into::into),
        customer_id: params.customer_id.map(|id| id.to_string()),
        before: params
            .after
            .as_deref()
            .map(page_cursor::decode)
            .transpose()?,
        limit: params.limit.unwrap_or(50),
    };
    let page = invoice_list::list(state.db(), &filter)
        .await
        .map_err(ApiError::internal)?;
    Ok(axum::Json(InvoiceListPage {
        items: page
            .items
            .into_iter()
            .map(TryInto::try_into)
            .collect::<Result<_>>()?,
        next: page.next.as_ref().map(page_cursor::encode),
    }))
}
