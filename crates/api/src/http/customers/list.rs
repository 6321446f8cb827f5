//! `GET /customers`: the customer list, from its read model.
// utoipa's path macro expands the `Query<ListParams>` argument into code with a qualified
// path that this lint flags, outside the handler where an item-level allow would reach.
#![allow(unused_qualifications)]

use axum::extract::State;
use niaga_projections::customer_list::{self, CustomerSearch, CustomerSummary};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    app::AppState,
    auth::{ANY_STAFF, CurrentUser},
    error::{ApiError, Problem, Result},
    extract::Query,
    http::{catch_up::caught_up, page_cursor},
};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListParams {
    /// A name prefix (any case) or a TIN prefix.
    q: Option<String>,
    /// Page size, 1 to 200 (default 50).
    limit: Option<u32>,
    /// The `next` cursor of the previous page.
    after: Option<String>,
    /// Wait until the list includes the command that wrote this global position
    /// (read-your-writes); 503 with `Retry-After` if it does not within 3 seconds.
    min_position: Option<i64>,
}

/// One customer in the list.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CustomerListItem {
    id: String,
    name: String,
    kind: String,
    tin: String,
    email: String,
    phone: String,
    city: String,
    /// LHDN state code.
    state: String,
    open_opportunities: i64,
    last_interaction_at: Option<String>,
    registered_at: String,
}

impl From<CustomerSummary> for CustomerListItem {
    fn from(c: CustomerSummary) -> Self {
        Self {
            id: c.customer_id,
            name: c.name,
            kind: c.kind,
            tin: c.tin,
            email: c.email,
            phone: c.phone,
            city: c.city,
            state: c.state,
            open_opportunities: c.open_opportunities,
            last_interaction_at: c.last_interaction_at,
            registered_at: c.registered_at,
        }
    }
}

/// A page of customers in name order.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CustomerList {
    items: Vec<CustomerListItem>,
    /// Pass as `after` for the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<String>,
}

/// List customers, searchable by name or TIN prefix, in pages.
#[utoipa::path(
    get,
    path = "/customers",
    tag = "customers",
    params(ListParams),
    responses(
        (status = OK, description = "A page of customers", body = CustomerList),
        (status = BAD_REQUEST, description = "A malformed parameter or cursor", body = Problem, content_type = "application/problem+json"),
        (status = SERVICE_UNAVAILABLE, description = "The list has not caught up with `min_position` yet",
            body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub(crate) async fn list_customers(
    user: CurrentUser,
    State(state): State<AppState>,
    Query(params): Query<ListParams>,
) -> Result<axum::Json<CustomerList>> {
    user.require(ANY_STAFF)?;
    caught_up(&state, customer_list::NAME, params.min_position).await?;
    let search = CustomerSearch {
        query: params.q,
        after: params
            .after
            .as_deref()
            .map(page_cursor::decode)
            .transpose()?,
        limit: params.limit.unwrap_or(50),
    };
    let page = customer_list::search(state.db(), &search)
        .await
        .map_err(ApiError::internal)?;
    Ok(axum::Json(CustomerList {
        items: page.items.into_iter().map(Into::into).collect(),
        next: page.next.as_ref().map(page_cursor::encode),
    }))
}
