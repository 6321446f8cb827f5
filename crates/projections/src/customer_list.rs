//! The customer list: one row per customer for the list screen, searchable by name prefix or
//! TIN, with open opportunities and the last interaction.

use crate::time_text;
use async_trait::async_trait;
use niaga_domain::{
    Aggregate,
    customer::{Customer, CustomerDetails, CustomerEvent, CustomerKind},
};
use niaga_store::{Database, RecordedEvent, on_reader};
use serde::Serialize;

use crate::{
    Projection, ProjectionError, ReadTx,
    batch::{self, Cell, Cells, RowPerStream},
};

pub const NAME: &str = "customer_list";

#[derive(Debug, Clone, Copy)]
pub struct CustomerList;

/// The search key of a name: lower-case, so that "acme" finds "ACME Sdn Bhd".
pub fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

pub(crate) fn kind_text(kind: CustomerKind) -> &'static str {
    match kind {
        CustomerKind::Company => "company",
        CustomerKind::Individual => "individual",
    }
}

/// The customer events that change a row: contacts and stages are not on the list
/// ([`Projection::event_types`]).
const EVENTS: &[&str] = &[
    "CustomerRegistered",
    "CustomerDetailsAmended",
    "InteractionRecorded",
    "OpportunityOpened",
    "OpportunityWon",
    "OpportunityLost",
];

/// Every column, in the order [`CustomerSummary::cells`] gives them.
const INSERT: &str = "INSERT INTO customer_list (customer_id, name, name_key, kind, tin, email, \
     phone, city, state, open_opportunities, last_interaction_at, registered_at)";

/// What a later event may change of a row written before.
const ON_CONFLICT: &str = "ON CONFLICT (customer_id) DO UPDATE SET name = EXCLUDED.name, \
     name_key = EXCLUDED.name_key, kind = EXCLUDED.kind, tin = EXCLUDED.tin, \
     email = EXCLUDED.email, phone = EXCLUDED.phone, city = EXCLUDED.city, \
     state = EXCLUDED.state, open_opportunities = EXCLUDED.open_opportunities, \
     last_interaction_at = EXCLUDED.last_interaction_at";

impl Cells for CustomerSummary {
    fn cells(&self) -> Vec<Cell<'_>> {
        vec![
            (&self.customer_id).into(),
            (&self.name).into(),
            (&self.name_key).into(),
            (&self.kind).into(),
            (&self.tin).into(),
            (&self.email).into(),
            (&self.phone).into(),
            (&self.city).into(),
            (&self.state).into(),
            self.open_opportunities.into(),
            (&self.last_interaction_at).into(),
            (&self.registered_at).into(),
        ]
    }
}

impl CustomerSummary {
    fn set_details(&mut self, kind: CustomerKind, details: &CustomerDetails) {
        self.name = details.name.as_str().to_owned();
        self.name_key = name_key(details.name.as_str());
        self.kind = kind_text(kind).to_owned();
        self.tin = details.tin.as_str().to_owned();
        self.email = details.email.as_str().to_owned();
        self.phone = details.phone.as_str().to_owned();
        self.city = details.address.city().to_owned();
        self.state = details.address.state().as_str().to_owned();
    }
}

#[async_trait]
impl Projection for CustomerList {
    fn name(&self) -> &'static str {
        NAME
    }

    fn tables(&self) -> &'static [&'static str] {
        &["customer_list"]
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

    async fn apply_batch(
        &self,
        tx: &mut ReadTx,
        events: &[RecordedEvent],
    ) -> Result<(), ProjectionError> {
        batch::apply_rows::<Self>(tx, events).await
    }
}

impl RowPerStream for CustomerList {
    type Event = CustomerEvent;
    type Row = CustomerSummary;
    const STREAM_TYPE: &'static str = Customer::STREAM_TYPE;
    const SELECT: &'static str = "SELECT * FROM customer_list WHERE customer_id";
    const INSERT: &'static str = INSERT;
    const ON_CONFLICT: &'static str = ON_CONFLICT;

    fn key(row: &CustomerSummary) -> &str {
        &row.customer_id
    }

    /// Folds one event of a customer into its row (`None` before its registration); whether it
    /// changed.
    fn fold(
        row: &mut Option<CustomerSummary>,
        event: &RecordedEvent,
        decoded: CustomerEvent,
    ) -> Result<bool, ProjectionError> {
        match (decoded, row) {
            (CustomerEvent::CustomerRegistered(e), row @ None) => {
                let mut registered = CustomerSummary {
                    customer_id: event.stream.stream_id.clone(),
                    name: String::new(),
                    name_key: String::new(),
                    kind: String::new(),
                    tin: String::new(),
                    email: String::new(),
                    phone: String::new(),
                    city: String::new(),
                    state: String::new(),
                    open_opportunities: 0,
                    last_interaction_at: None,
                    registered_at: time_text(event.recorded_at),
                };
                registered.set_details(e.kind, &e.details);
                *row = Some(registered);
            }
            (CustomerEvent::CustomerDetailsAmended(e), Some(row)) => {
                row.set_details(e.kind, &e.details)
            }
            (CustomerEvent::InteractionRecorded(e), Some(row)) => {
                // Interactions may be recorded after the fact: keep the latest by when it
                // happened, not by when it was typed in.
                let at = time_text(e.occurred_at);
                if row
                    .last_interaction_at
                    .as_ref()
                    .is_some_and(|last| *last >= at)
                {
                    return Ok(false);
                }
                row.last_interaction_at = Some(at);
            }
            (CustomerEvent::OpportunityOpened(_), Some(row)) => row.open_opportunities += 1,
            (CustomerEvent::OpportunityWon(_) | CustomerEvent::OpportunityLost(_), Some(row)) => {
                row.open_opportunities -= 1;
            }
            // Registered once; every other event follows the registration in its stream.
            _ => return Ok(false),
        }
        Ok(true)
    }
}

/// One row of the customer list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct CustomerSummary {
    pub customer_id: String,
    pub name: String,
    #[serde(skip)]
    pub name_key: String,
    pub kind: String,
    pub tin: String,
    pub email: String,
    pub phone: String,
    pub city: String,
    pub state: String,
    pub open_opportunities: i64,
    pub last_interaction_at: Option<String>,
    pub registered_at: String,
}

/// What the list screen asks for.
#[derive(Debug, Clone, Default)]
pub struct CustomerSearch {
    /// A name prefix (any case), or a TIN prefix when it looks like one (`C2584…`, `IG…`).
    pub query: Option<String>,
    /// Continue after this (name key, customer id), from the previous page.
    pub after: Option<(String, String)>,
    pub limit: u32,
}

/// A page of the list and where the next one starts.
#[derive(Debug, Clone)]
pub struct CustomerPage {
    pub items: Vec<CustomerSummary>,
    pub next: Option<(String, String)>,
}

/// Whether a search text is a TIN rather than a name: one or two letters then digits.
fn looks_like_tin(text: &str) -> bool {
    let letters = text.chars().take_while(char::is_ascii_alphabetic).count();
    (1..=2).contains(&letters)
        && text.len() > letters + 2
        && text[letters..].chars().all(|c| c.is_ascii_digit())
}

/// The end of a prefix range: every string starting with `prefix` sorts below it.
fn prefix_end(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

/// The page query of [`search`], by TIN prefix or by name prefix: binds the prefix, its end,
/// the cursor's name key and id, and the limit. Public for its plan test.
pub fn search_sql(by_tin: bool) -> String {
    // The column comes from this fixed pair, never from the request.
    let column = if by_tin { "tin" } else { "name_key" };
    format!(
        "SELECT * FROM customer_list WHERE {column} >= $1 AND {column} < $2 \
         AND (name_key, customer_id) > ($3, $4) ORDER BY name_key, customer_id LIMIT $5"
    )
}

/// A page of customers in name order; served by `customer_list_by_name` or
/// `customer_list_by_tin`.
pub async fn search(
    db: &Database,
    search: &CustomerSearch,
) -> Result<CustomerPage, ProjectionError> {
    let limit = i64::from(search.limit.clamp(1, 200));
    let query = search.query.as_deref().map(str::trim).unwrap_or("");
    let (after_key, after_id) = search.after.clone().unwrap_or_default();
    let by_tin = looks_like_tin(query);
    let prefix = if by_tin {
        query.to_uppercase()
    } else {
        name_key(query)
    };
    let sql = search_sql(by_tin);
    let mut items: Vec<CustomerSummary> = on_reader!(db, pool => sqlx::query_as(&sql)
        .bind(&prefix)
        .bind(prefix_end(&prefix))
        .bind(&after_key)
        .bind(&after_id)
        .bind(limit + 1)
        .fetch_all(pool)
        .await)?;
    let next = if items.len() as i64 > limit {
        items.truncate(usize::try_from(limit).unwrap_or(0));
        items
            .last()
            .map(|last| (last.name_key.clone(), last.customer_id.clone()))
    } else {
        None
    };
    Ok(CustomerPage { items, next })
}
