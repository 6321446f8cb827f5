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
    batch::{self, Cell, Cells, RowPerStream},
    newest_first::{NewestFirst, Page},
    sen,
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

/// One quotation as stored: every column, in the order [`Row::cells`] gives them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct Row {
    quotation_id: String,
    number: String,
    customer_id: String,
    status: String,
    current_revision: i64,
    currency: String,
    payable_sen: i64,
    sent_on: Option<String>,
    valid_until: Option<String>,
    accepted_revision: Option<i64>,
    invoice_id: Option<String>,
    drafted_at: String,
    drafted_position: i64,
    updated_at: String,
    updated_position: i64,
}

const INSERT: &str = "INSERT INTO quotation_list (quotation_id, number, customer_id, status, \
     current_revision, currency, payable_sen, sent_on, valid_until, accepted_revision, \
     invoice_id, drafted_at, drafted_position, updated_at, updated_position)";

/// What a later event may change of a row written before.
const ON_CONFLICT: &str = "ON CONFLICT (quotation_id) DO UPDATE SET status = EXCLUDED.status, \
     current_revision = EXCLUDED.current_revision, payable_sen = EXCLUDED.payable_sen, \
     sent_on = EXCLUDED.sent_on, valid_until = EXCLUDED.valid_until, \
     accepted_revision = EXCLUDED.accepted_revision, invoice_id = EXCLUDED.invoice_id, \
     updated_at = EXCLUDED.updated_at, updated_position = EXCLUDED.updated_position";

/// The quotation events the list shows: a PDF is not on it ([`Projection::event_types`]).
const EVENTS: &[&str] = &[
    "QuotationDrafted",
    "QuotationLinesAmended",
    "QuotationSent",
    "QuotationRevised",
    "QuotationAccepted",
    "QuotationConverted",
    "QuotationRejected",
    "QuotationExpired",
    "QuotationValidityChanged",
];

impl Cells for Row {
    fn cells(&self) -> Vec<Cell<'_>> {
        vec![
            (&self.quotation_id).into(),
            (&self.number).into(),
            (&self.customer_id).into(),
            (&self.status).into(),
            self.current_revision.into(),
            (&self.currency).into(),
            self.payable_sen.into(),
            (&self.sent_on).into(),
            (&self.valid_until).into(),
            Cell::Int(self.accepted_revision),
            (&self.invoice_id).into(),
            (&self.drafted_at).into(),
            self.drafted_position.into(),
            (&self.updated_at).into(),
            self.updated_position.into(),
        ]
    }
}

impl Row {
    fn set_status(&mut self, status: QuotationStatus) {
        self.status = status_text(status).to_owned();
    }
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

    fn event_types(&self) -> Option<&'static [&'static str]> {
        Some(EVENTS)
    }

    async fn apply(&self, tx: &mut ReadTx, event: &RecordedEvent) -> Result<(), ProjectionError> {
        self.apply_batch(tx, std::slice::from_ref(event)).await
    }

    async fn apply_batch(
        &self,
        tx: &mut ReadTx,
        events: &[RecordedEvent],
    ) -> Result<(), ProjectionError> {
        batch::apply_rows::<Self>(tx, events).await
    }
}

impl RowPerStream for QuotationList {
    type Event = QuotationEvent;
    type Row = Row;
    const STREAM_TYPE: &'static str = Quotation::STREAM_TYPE;
    const SELECT: &'static str = "SELECT quotation_id, number, customer_id, status, \
         current_revision, currency, payable_sen, sent_on, valid_until, accepted_revision, \
         invoice_id, drafted_at, drafted_position, updated_at, updated_position \
         FROM quotation_list WHERE quotation_id";
    const INSERT: &'static str = INSERT;
    const ON_CONFLICT: &'static str = ON_CONFLICT;

    fn key(row: &Row) -> &str {
        &row.quotation_id
    }

    /// Folds one event of a quotation into its row (`None` before its draft); whether it
    /// changed.
    fn fold(
        row: &mut Option<Row>,
        event: &RecordedEvent,
        decoded: QuotationEvent,
    ) -> Result<bool, ProjectionError> {
        let at = time_text(event.recorded_at);
        let position = event.position;
        let row = match (decoded, row) {
            (QuotationEvent::QuotationDrafted(e), row @ None) => {
                *row = Some(Row {
                    quotation_id: event.stream.stream_id.clone(),
                    number: e.number.as_str().to_owned(),
                    customer_id: e.customer_id.to_string(),
                    status: status_text(QuotationStatus::Draft).to_owned(),
                    current_revision: i64::from(e.revision.get()),
                    currency: e.currency.to_string(),
                    payable_sen: payable(&e.totals)?,
                    sent_on: None,
                    valid_until: None,
                    accepted_revision: None,
                    invoice_id: None,
                    drafted_at: at.clone(),
                    drafted_position: position,
                    updated_at: at,
                    updated_position: position,
                });
                return Ok(true);
            }
            (QuotationEvent::QuotationLinesAmended(e), Some(row)) => {
                row.payable_sen = payable(&e.totals)?;
                row
            }
            (QuotationEvent::QuotationSent(e), Some(row)) => {
                row.set_status(QuotationStatus::Sent);
                row.payable_sen = payable(&e.totals)?;
                row.sent_on = Some(day_text(e.sent_on));
                row.valid_until = Some(day_text(e.valid_until));
                row
            }
            (QuotationEvent::QuotationRevised(e), Some(row)) => {
                // The row shows the current revision: a new draft, not yet sent.
                row.set_status(QuotationStatus::Draft);
                row.current_revision = i64::from(e.revision.get());
                row.payable_sen = payable(&e.totals)?;
                row.sent_on = None;
                row.valid_until = None;
                row
            }
            (QuotationEvent::QuotationAccepted(e), Some(row)) => {
                row.set_status(QuotationStatus::Accepted);
                row.accepted_revision = Some(i64::from(e.revision.get()));
                row
            }
            (QuotationEvent::QuotationConverted(e), Some(row)) => {
                row.set_status(QuotationStatus::Converted);
                row.invoice_id = Some(e.invoice_id.to_string());
                row
            }
            (QuotationEvent::QuotationRejected(_), Some(row)) => {
                row.set_status(QuotationStatus::Rejected);
                row
            }
            (QuotationEvent::QuotationExpired(_), Some(row)) => {
                row.set_status(QuotationStatus::Expired);
                row
            }
            (QuotationEvent::QuotationValidityChanged(_), Some(row)) => row,
            // The list shows no documents; the view reads them from the aggregate. Every other
            // event follows the draft in its stream.
            _ => return Ok(false),
        };
        row.updated_at = at;
        row.updated_position = position;
        Ok(true)
    }
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
