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

use crate::{
    Projection, ProjectionError, ReadTx,
    batch::{self, Cell, Folded},
    sen,
};

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
    invoice_id: String,
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

/// An invoice as kept: what it owes over time, and the position of the last event applied
/// to it.
type Kept = (Receivable, i64);

/// The invoices `invoice_ids` as kept, by id, in one statement per batch.
async fn load(
    tx: &mut ReadTx,
    invoice_ids: &[&str],
) -> Result<Vec<(String, Kept)>, ProjectionError> {
    let rows: Vec<InvoiceRunRow> = batch::rows_with_keys(
        tx,
        "SELECT i.invoice_id, i.customer_id, i.currency, i.issued_on, i.due_on, \
         i.through_position, b.from_on, b.until_on, b.outstanding_sen \
         FROM receivable_invoices i LEFT JOIN receivable_balances b ON b.invoice_id = i.invoice_id \
         WHERE i.invoice_id",
        invoice_ids,
    )
    .await?;
    let mut by_invoice: HashMap<String, Vec<InvoiceRunRow>> = HashMap::new();
    for row in rows {
        by_invoice
            .entry(row.invoice_id.clone())
            .or_default()
            .push(row);
    }
    by_invoice
        .into_iter()
        .map(|(id, rows)| Ok((id, receivable(&rows)?)))
        .collect()
}

/// One invoice's rows as read (one per run, at least one) made into its receivable.
fn receivable(rows: &[InvoiceRunRow]) -> Result<Kept, ProjectionError> {
    let invoice = &rows[0];
    let currency = currency(&invoice.currency)?;
    let mut periods = Vec::with_capacity(rows.len());
    for row in rows {
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
    let invoice_id = &invoice.invoice_id;
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
    Ok((receivable, invoice.through_position))
}

/// Writes the invoices a batch changed and replaces their runs (an invoice has a handful,
/// one per change): a statement or so each way for the whole batch.
async fn save<'a>(
    tx: &mut ReadTx,
    changed: impl Iterator<Item = &'a Kept>,
) -> Result<(), ProjectionError> {
    struct Texts {
        invoice_id: String,
        customer_id: String,
        currency: String,
        issued_on: String,
        due_on: String,
        through_position: i64,
        runs: Vec<(String, String, i64)>,
    }
    let mut invoices = Vec::new();
    for (receivable, through_position) in changed {
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
        invoices.push(Texts {
            invoice_id: receivable.invoice_id.to_string(),
            customer_id: receivable.customer_id.to_string(),
            currency: receivable.currency.to_string(),
            issued_on: receivable.issued_on().to_string(),
            due_on: receivable.due_on.to_string(),
            through_position: *through_position,
            runs,
        });
    }
    let rows: Vec<Vec<Cell<'_>>> = invoices
        .iter()
        .map(|i| {
            vec![
                (&i.invoice_id).into(),
                (&i.customer_id).into(),
                (&i.currency).into(),
                (&i.issued_on).into(),
                (&i.due_on).into(),
                i.through_position.into(),
            ]
        })
        .collect();
    batch::insert_rows(
        tx,
        "INSERT INTO receivable_invoices (invoice_id, customer_id, currency, issued_on, due_on, \
         through_position)",
        "ON CONFLICT (invoice_id) DO UPDATE SET through_position = EXCLUDED.through_position",
        &rows,
    )
    .await?;
    let ids: Vec<&str> = invoices.iter().map(|i| i.invoice_id.as_str()).collect();
    batch::delete_with_keys(tx, "DELETE FROM receivable_balances WHERE invoice_id", &ids).await?;
    let runs: Vec<Vec<Cell<'_>>> = invoices
        .iter()
        .flat_map(|i| {
            i.runs
                .iter()
                .map(move |(from_on, until_on, outstanding_sen)| {
                    vec![
                        (&i.invoice_id).into(),
                        from_on.into(),
                        until_on.into(),
                        (&i.customer_id).into(),
                        (&i.currency).into(),
                        (&i.due_on).into(),
                        (*outstanding_sen).into(),
                    ]
                })
        })
        .collect();
    batch::insert_rows(
        tx,
        "INSERT INTO receivable_balances (invoice_id, from_on, until_on, customer_id, \
         currency, due_on, outstanding_sen)",
        "",
        &runs,
    )
    .await
}

/// Folds one balance event of an invoice into it as kept (`None` before its issue); whether
/// it changed.
fn fold(
    kept: &mut Option<Kept>,
    event: &RecordedEvent,
    decoded: InvoiceEvent,
) -> Result<bool, ProjectionError> {
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
        | InvoiceEvent::EInvoiceHeld(_)
        | InvoiceEvent::IndividualEInvoiceRequested(_)
        | InvoiceEvent::InvoiceConsolidated(_) => return Ok(false),
    }
    // A stream's positions grow with its versions, so an event at or below the last one
    // applied was applied already (a replay must not pay an invoice twice).
    if kept
        .as_ref()
        .is_some_and(|(_, through)| event.position <= *through)
    {
        return Ok(false);
    }
    let receivable = match (decoded, kept.take()) {
        (InvoiceEvent::InvoiceIssued(e), _) => Receivable::issued(&e),
        (other, Some((mut receivable, _))) => {
            receivable
                .apply(&other)
                .map_err(|error| ProjectionError::Corrupt(error.to_string()))?;
            receivable
        }
        // Payments, notes and cancellations follow the issue in their stream; none can
        // reach an invoice never issued.
        (_, None) => return Ok(false),
    };
    *kept = Some((receivable, event.position));
    Ok(true)
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
        self.apply_batch(tx, std::slice::from_ref(event)).await
    }

    /// Reads the batch's invoices at once, folds the events into them and writes each
    /// changed invoice once.
    async fn apply_batch(
        &self,
        tx: &mut ReadTx,
        events: &[RecordedEvent],
    ) -> Result<(), ProjectionError> {
        let events: Vec<&RecordedEvent> = events
            .iter()
            .filter(|e| e.stream.stream_type == Invoice::STREAM_TYPE)
            .collect();
        let ids = batch::distinct(events.iter().map(|e| e.stream.stream_id.as_str()));
        let mut invoices = Folded::new(load(tx, &ids).await?);
        for event in events {
            let decoded = niaga_store::decode::<InvoiceEvent>(event)?;
            invoices.fold(&event.stream.stream_id, |kept| fold(kept, event, decoded))?;
        }
        save(tx, invoices.changed()).await
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
