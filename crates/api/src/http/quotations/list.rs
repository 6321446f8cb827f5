//! `GET /quotations`: the quotation list, from its read model.
// utoipa's path macro expands the `Query<ListParams>` argument into code with a qualified
// path that this lint flags, outside the handler where an item-level allow would reach.
#![allow(unused_qualifications)]

use axum::extract::State;
use niaga_domain::{Currency, Money, quotation::QuotationStatus};
use niaga_projections::quotation_list::{self, QuotationFilter, QuotationSummary};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::view::QuotationStatusView;
use crate::{
    app::AppState,
    auth::{ANY_STAFF, CurrentUser},
    error::{ApiError, Problem, Result},
    extract::Query,
    http::{catch_up::caught_up, money::MoneyBody, page_cursor},
};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListParams {
    /// Only quotations in this state.
    status: Option<QuotationStatusView>,
    /// Only this customer's quotations.
    customer_id: Option<Uuid>,
    /// Page size, 1 to 200 (default 50).
    limit: Option<u32>,
    /// The `next` cursor of the previous page.
    after: Option<String>,
    /// Wait until the list includes the command that wrote this global position
    /// (read-your-writes); 503 with `Retry-After` if it does not within 3 seconds.
    min_position: Option<i64>,
}

/// One quotation in the list, as its current revision stands.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0190f5c2-6a4e-7c31-9b8e-2f1d3c4b5a69", "number": "QUO-2026-0042",
    "revision_number": "QUO-2026-0042 r2",
    "customer_id": "0197a000-0000-7000-8000-000000000001", "customer_name": "Acme Timbang Sdn. Bhd.",
    "status": "sent", "current_revision": 2, "payable": { "amount": "876.00", "currency": "MYR" },
    "sent_on": "2026-06-01", "valid_until": "2026-07-01", "accepted_revision": null,
    "invoice_id": null, "drafted_at": "2026-05-28T02:00:00.000000Z", "updated_at": "2026-06-01T02:00:00.000000Z",
    "updated_position": 42
}))]
pub(crate) struct QuotationListItem {
    id: String,
    number: String,
    /// The current revision as printed.
    revision_number: String,
    customer_id: String,
    /// `null` until the customer list has caught up with the customer.
    customer_name: Option<String>,
    status: String,
    current_revision: i64,
    /// What the current revision comes to, tax included.
    payable: MoneyBody,
    sent_on: Option<String>,
    /// The current revision's last valid day, once sent.
    valid_until: Option<String>,
    accepted_revision: Option<i64>,
    /// The invoice it became, once converted.
    invoice_id: Option<String>,
    drafted_at: String,
    updated_at: String,
    /// The global position of the last event shown.
    updated_position: i64,
}

impl TryFrom<QuotationSummary> for QuotationListItem {
    type Error = ApiError;

    fn try_from(q: QuotationSummary) -> Result<Self> {
        let currency = Currency::parse(&q.currency).map_err(ApiError::internal)?;
        Ok(Self {
            revision_number: format!("{} r{}", q.number, q.current_revision),
            id: q.quotation_id,
            number: q.number,
            customer_id: q.customer_id,
            customer_name: q.customer_name,
            status: q.status,
            current_revision: q.current_revision,
            payable: Money::from_sen(q.payable_sen, currency).into(),
            sent_on: q.sent_on,
            valid_until: q.valid_until,
            accepted_revision: q.accepted_revision,
            invoice_id: q.invoice_id,
            drafted_at: q.drafted_at,
            updated_at: q.updated_at,
            updated_position: q.updated_position,
        })
    }
}

/// A page of quotations, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct QuotationListPage {
    items: Vec<QuotationListItem>,
    /// Pass as `after` for the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<String>,
}

impl From<QuotationStatusView> for QuotationStatus {
    fn from(status: QuotationStatusView) -> Self {
        match status {
            QuotationStatusView::Draft => Self::Draft,
            QuotationStatusView::Sent => Self::Sent,
            QuotationStatusView::Accepted => Self::Accepted,
            QuotationStatusView::Rejected => Self::Rejected,
            QuotationStatusView::Expired => Self::Expired,
            QuotationStatusView::Converted => Self::Converted,
        }
    }
}

/// List quotations, newest first, filtered by status and customer, in pages.
#[utoipa::path(
    get,
    path = "/quotations",
    tag = "quotations",
    params(ListParams),
    responses(
        (status = OK, description = "A page of quotations", body = QuotationListPage),
        (status = BAD_REQUEST, description = "A malformed parameter or cursor", body = Problem, content_type = "application/problem+json"),
        (status = SERVICE_UNAVAILABLE, description = "The list has not caught up with `min_position` yet",
            body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub(crate) async fn list_quotations(
    user: CurrentUser,
    State(state): State<AppState>,
    Query(params): Query<ListParams>,
) -> Result<axum::Json<QuotationListPage>> {
    user.require(ANY_STAFF)?;
    caught_up(&state, quotation_list::NAME, params.min_position).await?;
    let filter = QuotationFilter {
        status: params.status.map(Into::into),
        customer_id: params.customer_id.map(|id| id.to_string()),
        after: params
            .after
            .as_deref()
            .map(page_cursor::decode)
            .transpose()?,
        limit: params.limit.unwrap_or(50),
    };
    let page = quotation_list::list(state.db(), &filter)
        .await
        .map_err(ApiError::internal)?;
    Ok(axum::Json(QuotationListPage {
        items: page
            .items
            .into_iter()
            .map(TryInto::try_into)
            .collect::<Result<_>>()?,
        next: page.next.as_ref().map(page_cursor::encode),
    }))
}
