//! Receivables and aging: per issued invoice, the runs of days over which it owed the same
//! amount, so that the aging as of any day reads only the runs that held on that day.
//!
//! The runs are worked out by the domain's [`Receivable`] and added up by [`Aging::of`], the
//! same rules the auditor's fold of the events uses.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::NaiveDate;
use niaga_domain::{
    Aggregate, Currency, Money,
    ids::{CustomerId, InvoiceId},
    invoice::{
        Invoice, InvoiceEvent,
        aging::{Aging, Owed, OwedPeriod, Receivable},
    },
};
use niaga_store::{Database, RecordedEvent, on_reader};

use crate::{Projection, ProjectionError, ReadTx, on_tx, sen};

pub const NAME: &str = "receivables";

/// The `until_on` of an invoice's latest balance: later than any day asked about.
const OPEN_END: &str = "9999-12-31";

/// Every customer's aging at the end of `$1`; served by `receivable_balances_as_of`. Public so
/// that plan tests explain the statement the query runs.
pub const AGING_SQL: &str = "SELECT customer_id, currency, due_on, \
     CAST(SUM(outstanding_sen) AS BIGINT) AS outstanding_sen FROM receivable_balances \
     WHERE until_on > $1 AND from_on <= $1 \
     GROUP BY customer_id, currency, due_on";

/// Customer `$2`'s aging at the end of `$1`; served by `receivable_balances_customer_as_of`.
pub const CUSTOMER_AGING_SQL: &str = "SELECT customer_id, currency, due_on, \
     CAST(SUM(outstanding_sen) AS BIGINT) AS outstanding_sen FROM receivable_balances \
     WHERE customer_id = $2 AND until_on > $1 AND from_on <= $1 \
     GROUP BY customer_id, currency, due_on";

/// How many customers one name lookup asks for: well within both databases' bind limits.
const NAMES_PER_QUERY: usize = 500;

#[derive(Debug, Clone, Copy)]
pub struct Receivables;

/// The invoice and one of its runs (none when it owes nothing): what [`load`] reads.
#[derive(Debug, sqlx::FromRow)]
struct InvoiceRunRow {
    customer_id: String,
    currency: String,
    issued_on: String,
    due_on: String,
    through_position: i64,
    from_on: Option<String>,
    until_on: Option<String>,
    outstanding_sen: Option<i64>,
}

#[derive(Debug, sqlx::FromRow)]
struct AgingRow {
    customer_id: String,
    currency: String,
    due_on: String,
    outstanding_sen: i64,
}

fn corrupt(what: &str, value: &str) -> ProjectionError {
    ProjectionError::Corrupt(format!("receivables: {what} {value:?}"))
}

fn day(text: &str) -> Result<NaiveDate, ProjectionError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| corrupt("date", text))
}

fn currency(text: &str) -> Result<Currency, ProjectionError> {
    Currency::parse(text).map_err(|_| corrupt("currency", text))
}

fn customer(text: &str) -> Result<CustomerId, ProjectionError> {
    text.parse().map_err(|_| corrupt("customer id", text))
}

/// The invoice as kept, and the position of the last event applied to it: one statement,
/// since a rebuild runs it for every payment and note.
async fn load(
    tx: &mut ReadTx,
    invoice_id: &str,
) -> Result<Option<(Receivable, i64)>, ProjectionError> {
    let rows: Vec<InvoiceRunRow> = on_tx!(tx, conn => sqlx::query_as(
        "SELECT i.customer_id, i.currency, i.issued_on, i.due_on, i.through_position, \
         b.from_on, b.until_on, b.outstanding_sen \
         FROM receivable_invoices i LEFT JOIN receivable_balances b ON b.invoice_id = i.invoice_id \
         WHERE i.invoice_id = $1",
    )
    .bind(invoice_id)
    .fetch_all(conn)
    .await)?;
    let Some(invoice) = rows.first() else {
        return Ok(None);
    };
    let currency = currency(&invoice.currency)?;
    let mut periods = Vec::with_capacity(rows.len());
    for row in &rows {
        let (Some(from_on), Some(until_on), Some(outstanding_sen)) =
            (&row.from_on, &row.until_on, row.outstanding_sen)
        else {
            continue;
        };
        periods.push(OwedPeriod {
            from: day(from_on)?,
            until: match until_on.as_str() {
                OPEN_END => None,
                until => Some(day(until)?),
            },
            outstanding: Money::from_sen(outstanding_sen, currency),
        });
    }
    let id: InvoiceId = invoice_id
        .parse()
        .map_err(|_| corrupt("invoice id", invoice_id))?;
    let receivable = Receivable::from_periods(
        id,
        customer(&invoice.customer_id)?,
        currency,
        day(&invoice.due_on)?,
        day(&invoice.issued_on)?,
        periods,
    )
    .ok_or_else(|| corrupt("balances of invoice", invoice_id))?;
    Ok(Some((receivable, invoice.through_position)))
}

/// Writes the invoice and replaces its runs (an invoice has a handful, one per change) with
/// one statement each way.
async fn save(
    tx: &mut ReadTx,
    receivable: &Receivable,
    through_position: i64,
) -> Result<(), ProjectionError> {
    let invoice_id = receivable.invoice_id.to_string();
    let customer_id = receivable.customer_id.to_string();
    let due_on = receivable.due_on.to_string();
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO receivable_invoices (invoice_id, customer_id, currency, issued_on, due_on, \
         through_position) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (invoice_id) DO UPDATE SET through_position = EXCLUDED.through_position",
    )
    .bind(&invoice_id)
    .bind(&customer_id)
    .bind(receivable.currency.as_str())
    .bind(receivable.issued_on().to_string())
    .bind(&due_on)
    .bind(through_position)
    .execute(conn)
    .await
    .map(drop))?;
    on_tx!(tx, conn => sqlx::query("DELETE FROM receivable_balances WHERE invoice_id = $1")
        .bind(&invoice_id)
        .execute(conn)
        .await
        .map(drop))?;
    let runs = receivable
        .periods()
        .iter()
        .map(|period| {
            let until_on = period
                .until
                .map_or(OPEN_END.to_owned(), |until| until.to_string());
            Ok((period.from.to_string(), until_on, sen(period.outstanding)?))
        })
        .collect::<Result<Vec<_>, ProjectionError>>()?;
    if runs.is_empty() {
        return Ok(());
    }
    on_tx!(tx, conn => {
        let mut insert = sqlx::QueryBuilder::new(
            "INSERT INTO receivable_balances (invoice_id, from_on, until_on, customer_id, \
             currency, due_on, outstanding_sen) ",
        );
        insert.push_values(&runs, |mut row, (from_on, until_on, outstanding_sen)| {
            row.push_bind(&invoice_id)
                .push_bind(from_on)
                .push_bind(until_on)
                .push_bind(&customer_id)
                .push_bind(receivable.currency.as_str())
                .push_bind(&due_on)
                .push_bind(*outstanding_sen);
        });
        insert.build().execute(conn).await.map(drop)
    })?;
    Ok(())
}

#[async_trait]
impl Projection for Receivables {
    fn name(&self) -> &'static str {
        NAME
    }

    fn tables(&self) -> &'static [&'static str] {
        &["receivable_invoices", "receivable_balances"]
    }

    fn stream_types(&self) -> &'static [&'static str] {
        &[Invoice::STREAM_TYPE]
    }

    fn event_types(&self) -> Option<&'static [&'static str]> {
        Some(crate::BALANCE_EVENTS)
    }

    async fn apply(&self, tx: &mut ReadTx, event: &RecordedEvent) -> Result<(), ProjectionError> {
        if event.stream.stream_type != Invoice::STREAM_TYPE {
            return Ok(());
        }
        let decoded = niaga_store::decode::<InvoiceEvent>(event)?;
        match &decoded {
            InvoiceEvent::InvoiceIssued(_)
            | InvoiceEvent::PaymentRecorded(_)
            | InvoiceEvent::CreditNoteIssued(_)
            | InvoiceEvent::DebitNoteIssued(_)
            | InvoiceEvent::RefundNoteIssued(_)
            | InvoiceEvent::InvoiceCancelled(_) => {}
            InvoiceEvent::InvoiceDrafted(_)
            | InvoiceEvent::InvoiceDraftAmended(_)
            | InvoiceEvent::InvoiceVoided(_)
            | InvoiceEvent::InvoiceValidatedByLhdn(_)
            | InvoiceEvent::InvoicePdfIssued(_)
            | InvoiceEvent::EInvoiceSubmissionStarted(_)
            | InvoiceEvent::EInvoiceAccepted(_)
            | InvoiceEvent::EInvoiceRejected(_)
            | InvoiceEvent::NoteValidatedByLhdn(_)
            | InvoiceEvent::EInvoiceResubmissionRequested(_)
            | InvoiceEvent::IndividualEInvoiceRequested(_)
            | InvoiceEvent::InvoiceConsolidated(_) => return Ok(()),
        }
        let kept = load(tx, &event.stream.stream_id).await?;
        // A stream's positions grow with its versions, so an event at or below the last one
        // applied was applied already (a replay must not pay an invoice twice).
        if kept
            .as_ref()
            .is_some_and(|(_, through)| event.position <= *through)
        {
            return Ok(());
        }
        let receivable = match (decoded, kept) {
            (InvoiceEvent::InvoiceIssued(e), _) => Receivable::issued(&e),
            (other, Some((mut receivable, _))) => {
                receivable
                    .apply(&other)
                    .map_err(|error| ProjectionError::Corrupt(error.to_string()))?;
                receivable
            }
            // Payments, notes and cancellations follow the issue in their stream; none can
            // reach an invoice never issued.
            (_, None) => return Ok(()),
        };
        save(tx, &receivable, event.position).await
    }
}

/// The aging at the end of `as_of` (entries dated on or before it), of every customer or of
/// `customer_id`; served by `receivable_balances_as_of` or
/// `receivable_balances_customer_as_of`. The rows read are the runs that end after `as_of`:
/// for a recent day, what is open and what was settled since.
pub async fn aging(
    db: &Database,
    as_of: NaiveDate,
    customer_id: Option<&str>,
) -> Result<Aging, ProjectionError> {
    let as_of_text = as_of.to_string();
    let rows: Vec<AgingRow> = match customer_id {
        None => on_reader!(db, pool => sqlx::query_as(AGING_SQL)
            .bind(&as_of_text)
            .fetch_all(pool)
            .await)?,
        Some(customer_id) => on_reader!(db, pool => sqlx::query_as(CUSTOMER_AGING_SQL)
            .bind(&as_of_text)
            .bind(customer_id)
            .fetch_all(pool)
            .await)?,
    };
    let owed = rows
        .iter()
        .map(|row| {
            Ok(Owed {
                customer_id: customer(&row.customer_id)?,
                due_on: day(&row.due_on)?,
                outstanding: Money::from_sen(row.outstanding_sen, currency(&row.currency)?),
            })
        })
        .collect::<Result<Vec<_>, ProjectionError>>()?;
    Aging::of(as_of, owed).map_err(|error| ProjectionError::Corrupt(error.to_string()))
}

/// The statement [`customer_names`] runs for `count` customers; served by
/// `customer_list_pkey`. Public so that plan tests explain it.
pub fn names_sql(count: usize) -> String {
    let binds: Vec<String> = (1..=count).map(|n| format!("${n}")).collect();
    format!(
        "SELECT customer_id, name FROM customer_list WHERE customer_id IN ({})",
        binds.join(", ")
    )
}

/// The names of `customer_ids` in the customer list, by id. A customer the list has not
/// caught up with yet is missing.
pub async fn customer_names(
    db: &Database,
    customer_ids: &[CustomerId],
) -> Result<HashMap<CustomerId, String>, ProjectionError> {
    let mut names = HashMap::new();
    for chunk in customer_ids.chunks(NAMES_PER_QUERY) {
        let sql = names_sql(chunk.len());
        let rows: Vec<(String, String)> = on_reader!(db, pool => {
            let mut query = sqlx::query_as(&sql);
            for id in chunk {
                query = query.bind(id.to_string());
            }
            query.fetch_all(pool).await
        })?;
        for (id, name) in rows {
            names.insert(customer(&id)?, name);
        }
    }
    Ok(names)
}
