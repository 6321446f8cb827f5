//! The sales pipeline: one row per opportunity (its stage, expected value and close, and how
//! it closed), for the pipeline report (open value by stage and by expected close month, won
//! and lost per month) and a customer's open opportunities.

use async_trait::async_trait;
use chrono::NaiveDate;
use niaga_domain::{
    Aggregate,
    customer::{Customer, CustomerEvent, OpenStage, OpportunitySource},
};
use niaga_store::{Database, RecordedEvent, on_reader};
use serde::Serialize;

use crate::{
    Projection, ProjectionError, ReadTx,
    batch::{self, Cell, Cells, Folded},
    sen,
};

pub const NAME: &str = "pipeline";

#[derive(Debug, Clone, Copy)]
pub struct Pipeline;

/// The open stages in funnel order, as stored and reported.
pub const STAGES: [&str; 3] = ["lead", "qualified", "proposal"];

/// How a stage is stored: the same words as the API's. Written out rather than taken from
/// `Display`, because stored rows must not change meaning with a display change.
pub fn stage_text(stage: OpenStage) -> &'static str {
    match stage {
        OpenStage::Lead => "lead",
        OpenStage::Qualified => "qualified",
        OpenStage::Proposal => "proposal",
    }
}

fn source_text(source: OpportunitySource) -> &'static str {
    match source {
        OpportunitySource::Referral => "referral",
        OpportunitySource::Website => "website",
        OpportunitySource::WalkIn => "walk_in",
        OpportunitySource::Phone => "phone",
        OpportunitySource::WhatsApp => "whatsapp",
        OpportunitySource::Tender => "tender",
        OpportunitySource::Existing => "existing",
        OpportunitySource::Other => "other",
    }
}

/// A month as stored and compared: `YYYY-MM`, which sorts as text in time order.
pub fn month_text(day: NaiveDate) -> String {
    day.format("%Y-%m").to_string()
}

/// One opportunity as stored: every column, in the order [`Opportunity::cells`] gives them.
#[derive(Debug, Clone, sqlx::FromRow)]
struct Opportunity {
    customer_id: String,
    opportunity_id: String,
    title: String,
    currency: String,
    expected_value_sen: i64,
    expected_close: String,
    expected_close_month: String,
    source: String,
    stage: String,
    status: String,
    opened_on: String,
    opened_position: i64,
    closed_on: Option<String>,
    closed_month: Option<String>,
    lost_reason: Option<String>,
}

const INSERT: &str = "INSERT INTO pipeline_opportunities (customer_id, opportunity_id, title, \
     currency, expected_value_sen, expected_close, expected_close_month, source, stage, status, \
     opened_on, opened_position, closed_on, closed_month, lost_reason)";

/// What moves after an opportunity is opened.
const ON_CONFLICT: &str = "ON CONFLICT (customer_id, opportunity_id) DO UPDATE SET \
     stage = EXCLUDED.stage, status = EXCLUDED.status, closed_on = EXCLUDED.closed_on, \
     closed_month = EXCLUDED.closed_month, lost_reason = EXCLUDED.lost_reason";

impl Cells for Opportunity {
    fn cells(&self) -> Vec<Cell<'_>> {
        vec![
            (&self.customer_id).into(),
            (&self.opportunity_id).into(),
            (&self.title).into(),
            (&self.currency).into(),
            self.expected_value_sen.into(),
            (&self.expected_close).into(),
            (&self.expected_close_month).into(),
            (&self.source).into(),
            (&self.stage).into(),
            (&self.status).into(),
            (&self.opened_on).into(),
            self.opened_position.into(),
            (&self.closed_on).into(),
            (&self.closed_month).into(),
            (&self.lost_reason).into(),
        ]
    }
}

impl Opportunity {
    /// Its key among a batch's rows: opportunity ids are only unique within a customer.
    fn key(customer_id: &str, opportunity_id: &str) -> String {
        format!("{customer_id}/{opportunity_id}")
    }

    fn close(&mut self, status: &str, at_stage: OpenStage, closed_on: NaiveDate) {
        self.status = status.to_owned();
        self.stage = stage_text(at_stage).to_owned();
        self.closed_on = Some(closed_on.to_string());
        self.closed_month = Some(month_text(closed_on));
    }
}

/// Folds one customer event into the opportunity it is about (`None` before it was opened);
/// whether it changed.
fn fold(
    row: &mut Option<Opportunity>,
    event: &RecordedEvent,
    decoded: CustomerEvent,
) -> Result<bool, ProjectionError> {
    match (decoded, row) {
        (CustomerEvent::OpportunityOpened(e), row @ None) => {
            // The domain takes any positive amount; an estimate rounded to the sen tells the
            // report the same, where refusing it would stop this projector for good.
            let value = sen(e.expected_value.round_to_sen())?;
            *row = Some(Opportunity {
                customer_id: event.stream.stream_id.clone(),
                opportunity_id: e.opportunity_id.to_string(),
                title: e.title,
                currency: e.expected_value.currency().to_string(),
                expected_value_sen: value,
                expected_close: e.expected_close.to_string(),
                expected_close_month: month_text(e.expected_close),
                source: source_text(e.source).to_owned(),
                stage: stage_text(e.stage).to_owned(),
                status: "open".to_owned(),
                opened_on: e.opened_on.to_string(),
                opened_position: event.position,
                closed_on: None,
                closed_month: None,
                lost_reason: None,
            });
        }
        (CustomerEvent::OpportunityStageChanged(e), Some(row)) => {
            row.stage = stage_text(e.to).to_owned();
        }
        (CustomerEvent::OpportunityWon(e), Some(row)) => {
            row.close("won", e.from_stage, e.closed_on);
        }
        (CustomerEvent::OpportunityLost(e), Some(row)) => {
            row.close("lost", e.from_stage, e.closed_on);
            row.lost_reason = Some(e.reason);
        }
        // Opened once; every other event follows the opening in its stream.
        _ => return Ok(false),
    }
    Ok(true)
}

/// The opportunity an event is about, if it is about one.
fn opportunity_of(event: &CustomerEvent) -> Option<String> {
    match event {
        CustomerEvent::OpportunityOpened(e) => Some(e.opportunity_id.to_string()),
        CustomerEvent::OpportunityStageChanged(e) => Some(e.opportunity_id.to_string()),
        CustomerEvent::OpportunityWon(e) => Some(e.opportunity_id.to_string()),
        CustomerEvent::OpportunityLost(e) => Some(e.opportunity_id.to_string()),
        CustomerEvent::CustomerRegistered(_)
        | CustomerEvent::CustomerDetailsAmended(_)
        | CustomerEvent::ContactAdded(_)
        | CustomerEvent::ContactRemoved(_)
        | CustomerEvent::InteractionRecorded(_) => None,
    }
}

/// The customer events that move an opportunity ([`Projection::event_types`]).
const EVENTS: &[&str] = &[
    "OpportunityOpened",
    "OpportunityStageChanged",
    "OpportunityWon",
    "OpportunityLost",
];

#[async_trait]
impl Projection for Pipeline {
    fn name(&self) -> &'static str {
        NAME
    }

    fn tables(&self) -> &'static [&'static str] {
        &["pipeline_opportunities"]
    }

    fn stream_types(&self) -> &'static [&'static str] {
        &[Customer::STREAM_TYPE]
    }

    fn event_types(&self) -> Option<&'static [&'static str]> {
        Some(EVENTS)
    }

    async fn apply(&self, tx: &mut ReadTx, event: &RecordedEvent) -> Result<(), ProjectionError> {
        self.apply_batch(tx, std::slice::from_ref(event)).await
    }

    /// Reads the opportunities of the batch's customers at once (a customer has a handful),
    /// folds the events into them and writes each changed one once.
    async fn apply_batch(
        &self,
        tx: &mut ReadTx,
        events: &[RecordedEvent],
    ) -> Result<(), ProjectionError> {
        let mut decoded = Vec::with_capacity(events.len());
        for event in events {
            if event.stream.stream_type != Customer::STREAM_TYPE {
                continue;
            }
            let customer_event = niaga_store::decode::<CustomerEvent>(event)?;
            if let Some(opportunity) = opportunity_of(&customer_event) {
                decoded.push((event, opportunity, customer_event));
            }
        }
        let customers =
            batch::distinct(decoded.iter().map(|(e, _, _)| e.stream.stream_id.as_str()));
        let stored: Vec<Opportunity> = batch::rows_with_keys(
            tx,
            "SELECT * FROM pipeline_opportunities WHERE customer_id",
            &customers,
        )
        .await?;
        let mut rows = Folded::new(
            stored
                .into_iter()
                .map(|row| (Opportunity::key(&row.customer_id, &row.opportunity_id), row)),
        );
        for (event, opportunity, customer_event) in decoded {
            let key = Opportunity::key(&event.stream.stream_id, &opportunity);
            rows.fold(&key, |row| fold(row, event, customer_event))?;
        }
        let cells: Vec<Vec<Cell<'_>>> = rows.changed().map(Cells::cells).collect();
        batch::insert_rows(tx, INSERT, ON_CONFLICT, &cells).await
    }
}

/// Open opportunities of one stage in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct StageTotal {
    pub stage: String,
    pub currency: String,
    pub count: i64,
    pub value_sen: i64,
}

/// Open opportunities expected to close in one month, in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct CloseMonthTotal {
    /// `YYYY-MM`.
    pub month: String,
    pub currency: String,
    pub count: i64,
    pub value_sen: i64,
}

/// Opportunities closed one way (`won` or `lost`) in one month, in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ClosedTotal {
    /// `YYYY-MM`.
    pub month: String,
    pub status: String,
    pub currency: String,
    pub count: i64,
    /// The expected values of the deals, as opened: the events carry no other figure.
    pub value_sen: i64,
}

/// One open opportunity, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct OpenOpportunity {
    pub customer_id: String,
    pub opportunity_id: String,
    pub title: String,
    pub currency: String,
    pub expected_value_sen: i64,
    pub expected_close: String,
    pub source: String,
    pub stage: String,
    pub opened_on: String,
    pub opened_position: i64,
}

/// The report's statements, public for their plan test. Each says `status = 'open'` as a
/// literal, never a bind: only then does the planner know it matches the partial indexes,
/// whatever plan it caches.
pub mod sql {
    /// Open opportunities by stage and currency: an index-only walk of
    /// `pipeline_open_by_stage`.
    pub const OPEN_BY_STAGE: &str = "SELECT stage, currency, COUNT(*) AS count, \
         CAST(SUM(expected_value_sen) AS BIGINT) AS value_sen \
         FROM pipeline_opportunities WHERE status = 'open' \
         GROUP BY stage, currency ORDER BY stage, currency";

    /// Open opportunities by expected close month and currency: an index-only walk of
    /// `pipeline_open_by_close_month`.
    pub const EXPECTED_CLOSE_BY_MONTH: &str = "SELECT expected_close_month AS month, currency, \
         COUNT(*) AS count, CAST(SUM(expected_value_sen) AS BIGINT) AS value_sen \
         FROM pipeline_opportunities WHERE status = 'open' \
         GROUP BY expected_close_month, currency ORDER BY expected_close_month, currency";

    /// Closed opportunities from month `$1` to month `$2` by month, status and currency: a
    /// range of `pipeline_closed_by_month`.
    pub const CLOSED_BY_MONTH: &str = "SELECT closed_month AS month, status, currency, \
         COUNT(*) AS count, CAST(SUM(expected_value_sen) AS BIGINT) AS value_sen \
         FROM pipeline_opportunities WHERE closed_month >= $1 AND closed_month <= $2 \
         GROUP BY closed_month, status, currency ORDER BY closed_month, status, currency";

    /// At most `$2` open opportunities of customer `$1`, soonest expected close first: a range
    /// of `pipeline_open_by_customer`.
    pub const OPEN_FOR_CUSTOMER: &str = "SELECT customer_id, opportunity_id, title, currency, \
         expected_value_sen, expected_close, source, stage, opened_on, opened_position \
         FROM pipeline_opportunities WHERE customer_id = $1 AND status = 'open' \
         ORDER BY expected_close, opportunity_id LIMIT $2";
}

/// Open opportunities by stage and currency, in stage (text) and currency order. Stages with
/// none are absent.
pub async fn open_by_stage(db: &Database) -> Result<Vec<StageTotal>, ProjectionError> {
    Ok(on_reader!(db, pool => sqlx::query_as(sql::OPEN_BY_STAGE)
        .fetch_all(pool)
        .await)?)
}

/// Open opportunities by the month they are expected to close in, and currency, in month
/// order. Months already past are included: a deal that slipped is still open and needs
/// chasing.
pub async fn expected_close_by_month(
    db: &Database,
) -> Result<Vec<CloseMonthTotal>, ProjectionError> {
    Ok(
        on_reader!(db, pool => sqlx::query_as(sql::EXPECTED_CLOSE_BY_MONTH)
        .fetch_all(pool)
        .await)?,
    )
}

/// Won and lost opportunities by the month they closed in, from the month of `from` to the
/// month of `to` (both included), by status and currency. Months without closings are
/// absent.
pub async fn closed_by_month(
    db: &Database,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<ClosedTotal>, ProjectionError> {
    let (from, to) = (month_text(from), month_text(to));
    Ok(on_reader!(db, pool => sqlx::query_as(sql::CLOSED_BY_MONTH)
        .bind(&from)
        .bind(&to)
        .fetch_all(pool)
        .await)?)
}

/// At most `limit` of a customer's open opportunities, soonest expected close first.
pub async fn open_for_customer(
    db: &Database,
    customer_id: &str,
    limit: u32,
) -> Result<Vec<OpenOpportunity>, ProjectionError> {
    Ok(
        on_reader!(db, pool => sqlx::query_as(sql::OPEN_FOR_CUSTOMER)
        .bind(customer_id)
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await)?,
    )
}
