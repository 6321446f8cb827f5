//! `GET /customers/{id}/statement`: the customer's statement of account for a period, from
//! the customer ledger read model.
// utoipa's path macro expands the `Query<StatementParams>` argument into code with a
// qualified path that this lint flags, outside the handler where an item-level allow would
// reach.
#![allow(unused_qualifications)]

use axum::extract::State;
use chrono::NaiveDate;
use niaga_domain::{Currency, Money};
use niaga_projections::customer_ledger::{self, LedgerEntry, STATEMENT_MAX_ENTRIES};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::{
    app::AppState,
    auth::{ANY_STAFF, CurrentUser},
    error::{ApiError, Problem, Result},
    extract::{Path, Query},
    http::{catch_up::caught_up, money::MoneyBody},
};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub(crate) struct StatementParams {
    /// The first day of the period (Malaysian business day).
    #[param(example = "2026-01-01")]
    from: NaiveDate,
    /// The last day of the period, included.
    #[param(example = "2026-06-30")]
    to: NaiveDate,
    /// The currency of the account (default MYR): invoices in another currency have their own.
    currency: Option<String>,
    /// Wait until the ledger includes the command that wrote this global position
    /// (read-your-writes); 503 with `Retry-After` if it does not within 3 seconds.
    min_position: Option<i64>,
}

/// One line of a statement.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct StatementEntry {
    /// The invoice's or note's date, or the day a payment was received.
    date: String,
    /// `invoice`, `payment`, `credit_note`, `debit_note`, `refund_note` or `cancellation`.
    kind: String,
    /// The invoice or note number; for a payment, the invoice it pays.
    document_number: String,
    invoice_id: String,
    /// A payment's reference, or a note's or cancellation's reason.
    reference: Option<String>,
    /// Raises what the customer owes.
    debit: MoneyBody,
    /// Lowers it.
    credit: MoneyBody,
    /// What the customer owes after this entry.
    balance: MoneyBody,
}

/// What the customer owed at the start of the period, what moved it, and what they owe at
/// its end. A negative balance is money the company owes the customer.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "customer_id": "0197a000-0000-7000-8000-000000000001", "currency": "MYR",
    "from": "2026-06-01", "to": "2026-06-30",
    "opening_balance": { "amount": "0.00", "currency": "MYR" },
    "entries": [
        { "date": "2026-06-02", "kind": "invoice", "document_number": "INV-2026-000123",
          "invoice_id": "0190f5c2-6a4e-7c31-9b8e-2f1d3c4b5a70", "reference": null,
          "debit": { "amount": "1080.00", "currency": "MYR" }, "credit": { "amount": "0.00", "currency": "MYR" },
          "balance": { "amount": "1080.00", "currency": "MYR" } },
        { "date": "2026-06-10", "kind": "payment", "document_number": "INV-2026-000123",
          "invoice_id": "0190f5c2-6a4e-7c31-9b8e-2f1d3c4b5a70", "reference": "MBB 889120",
          "debit": { "amount": "0.00", "currency": "MYR" }, "credit": { "amount": "500.00", "currency": "MYR" },
          "balance": { "amount": "580.00", "currency": "MYR" } }
    ],
    "closing_balance": { "amount": "580.00", "currency": "MYR" }
}))]
pub(crate) struct StatementView {
    customer_id: String,
    currency: String,
    from: NaiveDate,
    to: NaiveDate,
    opening_balance: MoneyBody,
    entries: Vec<StatementEntry>,
    closing_balance: MoneyBody,
}

fn entry(e: LedgerEntry, balance: i64, currency: Currency) -> StatementEntry {
    let money = |sen| MoneyBody::from(Money::from_sen(sen, currency));
    StatementEntry {
        debit: money(e.debit_sen),
        credit: money(e.credit_sen),
        balance: money(balance),
        date: e.entry_on,
        kind: e.kind,
        document_number: e.document_number,
        invoice_id: e.invoice_id,
        reference: e.reference,
    }
}

/// A customer's statement of account: the opening balance on `from`, every invoice, payment
/// and note from `from` to `to` with the running balance, and the closing balance.
#[utoipa::path(
    get,
    path = "/customers/{id}/statement",
    tag = "customers",
    params(("id" = Uuid, Path, description = "The customer"), StatementParams),
    responses(
        (status = OK, description = "The statement", body = StatementView),
        (status = BAD_REQUEST, description = "A missing or malformed date", body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, description = "No such customer", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "`to` before `from`, an unknown currency, or a period with more than 5,000 entries",
            body = Problem, content_type = "application/problem+json"),
        (status = SERVICE_UNAVAILABLE, description = "The ledger has not caught up with `min_position` yet",
            body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub(crate) async fn customer_statement(
    user: CurrentUser,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Query(params): Query<StatementParams>,
) -> Result<axum::Json<StatementView>> {
    user.require(ANY_STAFF)?;
    if params.to < params.from {
        return Err(ApiError::field("/to", "is before `from`"));
    }
    let currency = Currency::parse(params.currency.as_deref().unwrap_or("MYR"))
        .map_err(|error| ApiError::field("/currency", error.to_string()))?;
    if !super::is_registered(&state, id).await? {
        return Err(ApiError::NotFound("customer".into()));
    }
    caught_up(&state, customer_ledger::NAME, params.min_position).await?;
    let statement = customer_ledger::statement(
        state.db(),
        &id.to_string(),
        currency.as_str(),
        params.from,
        params.to,
    )
    .await
    .map_err(ApiError::internal)?
    .ok_or_else(|| {
        ApiError::field(
            "/to",
            format!(
                "the period holds more than {STATEMENT_MAX_ENTRIES} entries: ask for a shorter one"
            ),
        )
    })?;
    let mut balance = statement.opening_sen;
    let entries = statement
        .entries
        .into_iter()
        .map(|e| {
            balance += e.debit_sen - e.credit_sen;
            entry(e, balance, currency)
        })
        .collect();
    Ok(axum::Json(StatementView {
        customer_id: id.to_string(),
        currency: currency.to_string(),
        from: params.from,
        to: params.to,
        opening_balance: Money::from_sen(statement.opening_sen, currency).into(),
        entries,
        closing_balance: Money::from_sen(statement.closing_sen, currency).into(),
    }))
}
