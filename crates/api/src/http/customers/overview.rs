//! `GET /customers/{id}/overview`: the customer 360 screen in one request: who the customer
//! is, whom to talk to, what is in the pipeline, the latest quotations and invoices, what they
//! owe, and when we were last in touch.
// utoipa's path macro expands the `Query<OverviewParams>` argument into code with a qualified
// path that this lint flags, outside the handler where an item-level allow would reach.
#![allow(unused_qualifications)]

use axum::extract::State;
use niaga_domain::{
    Currency, Money,
    customer::{Customer, CustomerKind, RegisteredCustomer},
};
use niaga_projections::{
    customer_ledger,
    invoice_list::{self, InvoiceFilter, InvoiceSummary},
    pipeline::{self, OpenOpportunity},
    quotation_list::{self, QuotationFilter, QuotationSummary},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{
    body::{AddressBody, Kind},
    view::{ContactView, InteractionView},
};
use crate::{
    app::AppState,
    auth::{ANY_STAFF, CurrentUser},
    error::{ApiError, Problem, Result},
    extract::{Path, Query},
    http::{catch_up::caught_up, money::MoneyBody, page_cursor},
};

/// How many of each list the overview shows; `more` leads to the rest.
const SHOWN: usize = 20;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub(crate) struct OverviewParams {
    /// Wait until the pipeline, quotation and invoice lists and the ledger include the
    /// command that wrote this global position (read-your-writes); 503 with `Retry-After` if
    /// they do not within 3 seconds.
    min_position: Option<i64>,
}

/// Who the customer is.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct OverviewDetails {
    id: String,
    /// The stream version, as `GET /customers/{id}` gives it for `If-Match`.
    version: u64,
    kind: Kind,
    name: String,
    tin: String,
    sst: Option<String>,
    email: String,
    phone: String,
    address: AddressBody,
}

/// An open opportunity.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct OverviewOpportunity {
    id: String,
    title: String,
    /// `lead`, `qualified` or `proposal`.
    stage: String,
    expected_value: MoneyBody,
    expected_close: String,
    source: String,
    opened_on: String,
}

/// A quotation as its current revision stands.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct OverviewQuotation {
    id: String,
    number: String,
    /// `draft`, `sent`, `accepted`, `rejected`, `expired` or `converted`.
    status: String,
    current_revision: i64,
    payable: MoneyBody,
    sent_on: Option<String>,
    valid_until: Option<String>,
    drafted_at: String,
}

/// An invoice and what is still owed on it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct OverviewInvoice {
    id: String,
    /// Absent on a draft.
    number: Option<String>,
    /// As in `GET /invoices`.
    status: String,
    total: MoneyBody,
    outstanding: MoneyBody,
    issued_on: Option<String>,
    due_on: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct OverviewContacts {
    /// In the order they were added.
    items: Vec<ContactView>,
    /// Where every contact is listed, when there are more than shown.
    more: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct OverviewOpportunities {
    /// Soonest expected close first.
    items: Vec<OverviewOpportunity>,
    /// Where every opportunity is listed, when there are more open ones than shown.
    more: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct OverviewQuotations {
    /// Newest first.
    items: Vec<OverviewQuotation>,
    /// The next page of the customer's quotations, when there are more than shown.
    more: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct OverviewInvoices {
    /// Newest first.
    items: Vec<OverviewInvoice>,
    /// The next page of the customer's invoices, when there are more than shown.
    more: Option<String>,
}

/// A customer at a glance. Each list shows at most 20; `more` is where the rest are.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "customer": {
        "id": "0197a000-0000-7000-8000-000000000001", "version": 7, "kind": "company",
        "name": "Acme Timbang Sdn. Bhd.", "tin": "C25845632020", "sst": "W10-1808-32000001",
        "email": "purchasing@acme.com.my", "phone": "+60355101234",
        "address": { "lines": ["Lot 5, Jalan Utas 15/7", "Seksyen 15"], "city": "Shah Alam",
                     "postcode": "40200", "state": "10", "country": "MYS" }
    },
    "contacts": { "items": [
        { "id": "0197a000-0000-7000-8000-0000000000c1", "name": "Puan Aminah",
          "role": "Purchasing", "email": "aminah@acme.com.my", "phone": "+60123456789" } ],
        "more": null },
    "open_opportunities": { "items": [
        { "id": "0197a000-0000-7000-8000-0000000000d1", "title": "Calibration of 20 kg weights",
          "stage": "qualified", "expected_value": { "amount": "12500.00", "currency": "MYR" },
          "expected_close": "2026-07-31", "source": "referral", "opened_on": "2026-06-01" } ],
        "more": null },
    "quotations": { "items": [
        { "id": "0190f5c2-6a4e-7c31-9b8e-2f1d3c4b5a69", "number": "QUO-2026-0042",
          "status": "sent", "current_revision": 2,
          "payable": { "amount": "876.00", "currency": "MYR" }, "sent_on": "2026-06-01",
          "valid_until": "2026-07-01", "drafted_at": "2026-05-28T02:00:00.000000Z" } ],
        "more": null },
    "invoices": { "items": [
        { "id": "0190f5c2-6a4e-7c31-9b8e-2f1d3c4b5a70", "number": "INV-2026-000123",
          "status": "partly_paid", "total": { "amount": "1080.00", "currency": "MYR" },
          "outstanding": { "amount": "580.00", "currency": "MYR" },
          "issued_on": "2026-06-02", "due_on": "2026-07-02" } ],
        "more": "/invoices?customer_id=0197a000-0000-7000-8000-000000000001&after=MTIz" },
    "balance": [ { "amount": "580.00", "currency": "MYR" } ],
    "last_interaction": {
        "id": "0197a000-0000-7000-8000-0000000000e1", "kind": "call",
        "occurred_at": "2026-06-03T02:30:00Z", "summary": "Asked for a revised quotation",
        "author": "user:0197a000-0000-7000-8000-0000000000aa",
        "recorded_at": "2026-06-03T02:45:00Z" }
}))]
pub(crate) struct CustomerOverview {
    customer: OverviewDetails,
    contacts: OverviewContacts,
    open_opportunities: OverviewOpportunities,
    quotations: OverviewQuotations,
    invoices: OverviewInvoices,
    /// What the customer owes now, per currency ever invoiced in (negative: what the company
    /// owes back); empty when never invoiced.
    balance: Vec<MoneyBody>,
    /// The latest by when it happened, not when it was written down; `null` if none.
    last_interaction: Option<InteractionView>,
}

fn money(sen: i64, currency: &str) -> Result<MoneyBody> {
    let currency = Currency::parse(currency).map_err(ApiError::internal)?;
    Ok(Money::from_sen(sen, currency).into())
}

fn details(customer: &RegisteredCustomer, version: u64) -> OverviewDetails {
    let d = &customer.details;
    let a = &d.address;
    OverviewDetails {
        id: customer.id.to_string(),
        version,
        kind: match customer.kind {
            CustomerKind::Company => Kind::Company,
            CustomerKind::Individual => Kind::Individual,
        },
        name: d.name.as_str().to_owned(),
        tin: d.tin.as_str().to_owned(),
        sst: d.sst.as_ref().map(|s| s.as_str().to_owned()),
        email: d.email.as_str().to_owned(),
        phone: d.phone.as_str().to_owned(),
        address: AddressBody {
            lines: a.lines().to_vec(),
            city: a.city().to_owned(),
            postcode: a.postcode().as_str().to_owned(),
            state: a.state().as_str().to_owned(),
            country: Some(a.country().as_str().to_owned()),
        },
    }
}

impl TryFrom<OpenOpportunity> for OverviewOpportunity {
    type Error = ApiError;

    fn try_from(o: OpenOpportunity) -> Result<Self> {
        Ok(Self {
            expected_value: money(o.expected_value_sen, &o.currency)?,
            id: o.opportunity_id,
            title: o.title,
            stage: o.stage,
            expected_close: o.expected_close,
            source: o.source,
            opened_on: o.opened_on,
        })
    }
}

impl TryFrom<QuotationSummary> for OverviewQuotation {
    type Error = ApiError;

    fn try_from(q: QuotationSummary) -> Result<Self> {
        Ok(Self {
            payable: money(q.payable_sen, &q.currency)?,
            id: q.quotation_id,
            number: q.number,
            status: q.status,
            current_revision: q.current_revision,
            sent_on: q.sent_on,
            valid_until: q.valid_until,
            drafted_at: q.drafted_at,
        })
    }
}

impl TryFrom<InvoiceSummary> for OverviewInvoice {
    type Error = ApiError;

    fn try_from(i: InvoiceSummary) -> Result<Self> {
        Ok(Self {
            total: money(i.total_sen, &i.currency)?,
            outstanding: money(i.outstanding_sen(), &i.currency)?,
            id: i.invoice_id,
            number: i.number,
            status: i.status,
            issued_on: i.issued_on,
            due_on: i.due_on,
        })
    }
}

fn converted<S, T: TryFrom<S, Error = ApiError>>(items: Vec<S>) -> Result<Vec<T>> {
    items.into_iter().map(T::try_from).collect()
}

/// The customer 360: details, contacts, open opportunities, the latest quotations and
/// invoices, the balance per currency and the last interaction.
#[utoipa::path(
    get,
    path = "/customers/{id}/overview",
    tag = "customers",
    params(("id" = Uuid, Path, description = "The customer"), OverviewParams),
    responses(
        (status = OK, description = "The customer at a glance", body = CustomerOverview),
        (status = BAD_REQUEST, description = "A malformed id or parameter", body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, description = "No such customer", body = Problem, content_type = "application/problem+json"),
        (status = UNAUTHORIZED, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = SERVICE_UNAVAILABLE, description = "A read model has not caught up with `min_position` yet",
            body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub(crate) async fn customer_overview(
    user: CurrentUser,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Query(params): Query<OverviewParams>,
) -> Result<axum::Json<CustomerOverview>> {
    user.require(ANY_STAFF)?;
    let loaded = state.commands::<Customer>().load(&id.to_string()).await?;
    let Some((customer, version)) = loaded else {
        return Err(ApiError::NotFound("customer".into()));
    };
    let customer = customer
        .registered()
        .ok_or_else(|| ApiError::NotFound("customer".into()))?;
    // The read models catch up side by side: wait for all of them at once.
    let at = params.min_position;
    futures::try_join!(
        caught_up(&state, pipeline::NAME, at),
        caught_up(&state, quotation_list::NAME, at),
        caught_up(&state, invoice_list::NAME, at),
        caught_up(&state, customer_ledger::NAME, at),
    )?;
    let customer_id = id.to_string();
    let db = state.db();

    let contacts = OverviewContacts {
        items: customer
            .contacts
            .iter()
            .take(SHOWN)
            .map(ContactView::from)
            .collect(),
        more: (customer.contacts.len() > SHOWN).then(|| format!("/customers/{id}")),
    };

    // One more than shown tells whether there are more.
    let mut open = pipeline::open_for_customer(db, &customer_id, SHOWN as u32 + 1)
        .await
        .map_err(ApiError::internal)?;
    let more_open = open.len() > SHOWN;
    open.truncate(SHOWN);
    let open_opportunities = OverviewOpportunities {
        items: converted(open)?,
        more: more_open.then(|| format!("/customers/{id}")),
    };

    let page = quotation_list::list(
        db,
        &QuotationFilter {
            customer_id: Some(customer_id.clone()),
            limit: SHOWN as u32,
            ..QuotationFilter::default()
        },
    )
    .await
    .map_err(ApiError::internal)?;
    let quotations = OverviewQuotations {
        items: converted(page.items)?,
        more: page.next.map(|next| {
            let after = page_cursor::encode(&next);
            format!("/quotations?customer_id={id}&after={after}")
        }),
    };

    let page = invoice_list::list(
        db,
        &InvoiceFilter {
            customer_id: Some(customer_id.clone()),
            limit: SHOWN as u32,
            ..InvoiceFilter::default()
        },
    )
    .await
    .map_err(ApiError::internal)?;
    let invoices = OverviewInvoices {
        items: converted(page.items)?,
        more: page.next.map(|next| {
            let after = page_cursor::encode(&next);
            format!("/invoices?customer_id={id}&after={after}")
        }),
    };

    let balance = customer_ledger::balances(db, &customer_id)
        .await
        .map_err(ApiError::internal)?
        .into_iter()
        .map(|b| money(b.balance_sen, &b.currency))
        .collect::<Result<_>>()?;

    let last_interaction = customer
        .interactions
        .iter()
        .max_by_key(|i| i.occurred_at)
        .map(InteractionView::from);

    Ok(axum::Json(CustomerOverview {
        customer: details(customer, version),
        contacts,
        open_opportunities,
        quotations,
        invoices,
        balance,
        last_interaction,
    }))
}
