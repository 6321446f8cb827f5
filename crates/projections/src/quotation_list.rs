//! The quotation list: one row per quotation showing its current revision (status, payable
//! total, sent and valid dates), for the list screen filtered by status or customer, newest
//! first.

use crate::{day_text, time_text};
use async_trait::async_trait;
use niaga_domain::{
    Aggregate,
    billing::Totals,
    quotation::{Quotation, QuotationEvent, QuotationStatus},
};
use niaga_store::{Database, RecordedEvent};
use serde::Serialize;

use crate::{
    Projection, ProjectionError, ReadTx,
    newest_first::{NewestFirst, Page},
    on_tx, sen,
};

pub const NAME: &str = "quotation_list";

#[derive(Debug, Clone, Copy)]
pub struct QuotationList;

/// How a status is stored and filtered on: the same words as the API's.
pub fn status_text(status: QuotationStatus) -> &'static str {
    match status {
        QuotationStatus::Draft => "draft",
        QuotationStatus::Sent => "sent",
        QuotationStatus::Accepted => "accepted",
        QuotationStatus::Rejected => "rejected",
        QuotationStatus::Expired => "expired",
        QuotationStatus::Converted => "converted",
    }
}

fn payable(totals: &Totals) -> Result<i64, ProjectionError> {
    sen(totals.payable())
}

#[async_trait]
impl Projection for QuotationList {
    fn name(&self) -> &'static str {
        NAME
    }

    fn tables(&self) -> &'static [&'static str] {
        &["quotation_list"]
    }

    fn stream_types(&self) -> &'static [&'static str] {
        &[Quotation::STREAM_TYPE]
    }

    async fn apply(&self, tx: &mut ReadTx, event: &RecordedEvent) -> Result<(), ProjectionError> {
        if event.stream.stream_type != Quotation::STREAM_TYPE {
            return Ok(());
        }
        let id = event.stream.stream_id.as_str();
        let at = time_text(event.recorded_at);
        let position = event.position;
        match niaga_store::decode::<QuotationEvent>(event)? {
            QuotationEvent::QuotationDrafted(e) => {
                let payable = payable(&e.totals)?;
                on_tx!(tx, conn => sqlx::query(
                    "INSERT INTO quotation_list (quotation_id, number, customer_id, status, \
                     current_revision, currency, payable_sen, drafted_at, drafted_position, \
                     updated_at, updated_position) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $8, $9) \
                     ON CONFLICT (quotation_id) DO NOTHING",
                )
                .bind(id)
                .bind(e.number.as_str())
                .bind(e.customer_id.to_string())
                .bind(status_text(QuotationStatus::Draft))
                .bind(i64::from(e.revision.get()))
                .bind(e.currency.to_string())
                .bind(payable)
                .bind(&at)
                .bind(position)
                .execute(conn)
                .await.map(drop))?;
            }
            QuotationEvent::QuotationLinesAmended(e) => {
                let payable = payable(&e.totals)?;
                on_tx!(tx, conn => sqlx::query(
                    "UPDATE quotation_list SET payable_sen = $2, updated_at = $3, \
                     updated_position = $4 WHERE quotation_id = $1",
                )
                .bind(id)
                .bind(payable)
                .bind(&at)
                .bind(position)
                .execute(conn)
                .await.map(drop))?;
            }
            QuotationEvent::QuotationSent(e) => {
                let payable = payable(&e.totals)?;
                on_tx!(tx, conn => sqlx::query(
                    "UPDATE quotation_list SET status = $2, payable_sen = $3, sent_on = $4, \
                     valid_until = $5, updated_at = $6, updated_position = $7 \
                     WHERE quotation_id = $1",
                )
                .bind(id)
                .bind(status_text(QuotationStatus::Sent))
                .bind(payable)
                .bind(day_text(e.sent_on))
                .bind(day_text(e.valid_until))
                .bind(&at)
                .bind(position)
                .execute(conn)
                .await.map(drop))?;
            }
            QuotationEvent::QuotationRevised(e) => {
                // The row shows the current revision: a new draft, not yet sent.
                let payable = payable(&e.totals)?;
                on_tx!(tx, conn => sqlx::query(
                    "UPDATE quotation_list SET status = $2, current_revision = $3, \
                     payable_sen = $4, sent_on = NULL, valid_until = NULL, updated_at = $5, \
                     updated_position = $6 WHERE quotation_id = $1",
                )
                .bind(id)
                .bind(status_text(QuotationStatus::Draft))
                .bind(i64::from(e.revision.get()))
                .bind(payable)
                .bind(&at)
                .bind(position)
                .execute(conn)
                .await.map(drop))?;
            }
            QuotationEvent::QuotationAccepted(e) => {
                on_tx!(tx, conn => sqlx::query(
                    "UPDATE quotation_list SET status = $2, accepted_revision = $3, \
                     updated_at = $4, updated_position = $5 WHERE quotation_id = $1",
                )
                .bind(id)
                .bind(status_text(QuotationStatus::Accepted))
                .bind(i64::from(e.revision.get()))
                .bind(&at)
                .bind(position)
                .execute(conn)
                .await.map(drop))?;
            }
            QuotationEvent::QuotationConverted(e) => {
                on_tx!(tx, conn => sqlx::query(
                    "UPDATE quotation_list SET status = $2, invoice_id = $3, \
                     updated_at = $4, updated_position = $5 WHERE quotation_id = $1",
                )
                .bind(id)
                .bind(status_text(QuotationStatus::Converted))
                .bind(e.invoice_id.to_string())
                .bind(&at)
                .bind(position)
                .execute(conn)
                .await.map(drop))?;
            }
            // The list shows no documents; the view reads them from the aggregate.
            QuotationEvent::QuotationPdfIssued(_) => {}
            QuotationEvent::QuotationRejected(_) => {
                set_status(tx, id, Some(QuotationStatus::Rejected), &at, position).await?;
            }
            QuotationEvent::QuotationExpired(_) => {
                set_status(tx, id, Some(QuotationStatus::Expired), &at, position).await?;
            }
            QuotationEvent::QuotationValidityChanged(_) => {
                set_status(tx, id, None, &at, position).await?;
            }
        }
        Ok(())
    }
}

/// Sets the status (or only marks the row updated, for `None`).
async fn set_status(
    tx: &mut ReadTx,
    id: &str,
    status: Option<QuotationStatus>,
    at: &str,
    position: i64,
) -> Result<(), ProjectionError> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE quotation_list SET status = COALESCE($2, status), updated_at = $3, \
         updated_position = $4 WHERE quotation_id = $1",
    )
    .bind(id)
    .bind(status.map(status_text))
    .bind(at)
    .bind(position)
    .execute(conn)
    .await.map(drop))?;
    Ok(())
}

/// One row of the quotation list, with the customer's name from the customer list (`None`
/// if that read model has not caught up with the customer yet).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct QuotationSummary {
    pub quotation_id: String,
    pub number: String,
    pub customer_id: String,
    pub customer_name: Option<String>,
    pub status: String,
    pub current_revision: i64,
    pub currency: String,
    pub payable_sen: i64,
    pub sent_on: Option<String>,
    pub valid_until: Option<String>,
    pub accepted_revision: Option<i64>,
    pub invoice_id: Option<String>,
    pub drafted_at: String,
    pub drafted_position: i64,
    pub updated_at: String,
    pub updated_position: i64,
}

/// What the list screen asks for. Both filters may be given.
#[derive(Debug, Clone, Default)]
pub struct QuotationFilter {
    pub status: Option<QuotationStatus>,
    pub customer_id: Option<String>,
    /// Continue after this drafted position (the previous page's last), going back in time.
    pub after: Option<i64>,
    pub limit: u32,
}

/// A page of the list and where the next one starts.
pub type QuotationPage = Page<QuotationSummary>;

/// The columns of a page; the customer's name is joined from the customer list.
const SELECT: &str = "SELECT q.quotation_id, q.number, q.customer_id, c.name AS customer_name, \
     q.status, q.current_revision, q.currency, q.payable_sen, q.sent_on, q.valid_until, \
     q.accepted_revision, q.invoice_id, q.drafted_at, q.drafted_position, q.updated_at, \
     q.updated_position \
     FROM quotation_list q LEFT JOIN customer_list c ON c.customer_id = q.customer_id";

/// A page of quotations, newest first; served by `quotation_list_by_status`,
/// `quotation_list_by_customer` or `quotation_list_newest`, read backwards.
pub async fn list(
    db: &Database,
    filter: &QuotationFilter,
) -> Result<QuotationPage, ProjectionError> {
    query(filter)
        .page(db, filter.after, filter.limit, |q: &QuotationSummary| {
            q.drafted_position
        })
        .await
}

/// The page query of [`list`] for `filter`. Its statement is public for the plan test.
fn query(filter: &QuotationFilter) -> NewestFirst<'static> {
    NewestFirst {
        select: SELECT,
        position: "q.drafted_position",
        filters: vec![
            ("q.status", filter.status.map(|s| status_text(s).to_owned())),
            ("q.customer_id", filter.customer_id.clone()),
        ],
    }
}

/// The statement [`list`] runs for `filter`: binds the cursor position, then the filters
/// given (status, customer), then the limit.
pub fn list_sql(filter: &QuotationFilter) -> String {
    query(filter).sql()
}
