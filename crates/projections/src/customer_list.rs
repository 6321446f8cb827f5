//! The customer list: one row per customer for the list screen, searchable by name prefix or
//! TIN, with open opportunities and the last interaction.

use crate::time_text;
use async_trait::async_trait;
use niaga_domain::{
    Aggregate,
    customer::{Customer, CustomerEvent, CustomerKind},
};
use niaga_store::{Database, RecordedEvent, on_reader};
use serde::Serialize;

use crate::{Projection, ProjectionError, ReadTx, on_tx};

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
        if event.stream.stream_type != Customer::STREAM_TYPE {
            return Ok(());
        }
        let id = event.stream.stream_id.as_str();
        match niaga_store::decode::<CustomerEvent>(event)? {
            CustomerEvent::CustomerRegistered(e) => {
                on_tx!(tx, conn => sqlx::query(
                    "INSERT INTO customer_list (customer_id, name, name_key, kind, tin, email, phone, \
                     city, state, registered_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
                     ON CONFLICT (customer_id) DO NOTHING",
                )
                .bind(id)
                .bind(e.details.name.as_str())
                .bind(name_key(e.details.name.as_str()))
                .bind(kind_text(e.kind))
                .bind(e.details.tin.as_str())
                .bind(e.details.email.as_str())
                .bind(e.details.phone.as_str())
                .bind(e.details.address.city())
                .bind(e.details.address.state().as_str())
                .bind(time_text(event.recorded_at))
                .execute(conn)
                .await.map(drop))?;
            }
            CustomerEvent::CustomerDetailsAmended(e) => {
                on_tx!(tx, conn => sqlx::query(
                    "UPDATE customer_list SET name = $2, name_key = $3, kind = $4, tin = $5, \
                     email = $6, phone = $7, city = $8, state = $9 WHERE customer_id = $1",
                )
                .bind(id)
                .bind(e.details.name.as_str())
                .bind(name_key(e.details.name.as_str()))
                .bind(kind_text(e.kind))
                .bind(e.details.tin.as_str())
                .bind(e.details.email.as_str())
                .bind(e.details.phone.as_str())
                .bind(e.details.address.city())
                .bind(e.details.address.state().as_str())
                .execute(conn)
                .await.map(drop))?;
            }
            CustomerEvent::InteractionRecorded(e) => {
                // Interactions may be recorded after the fact: keep the latest by when it
                // happened, not by when it was typed in.
                on_tx!(tx, conn => sqlx::query(
                    "UPDATE customer_list SET last_interaction_at = $2 WHERE customer_id = $1 \
                     AND (last_interaction_at IS NULL OR last_interaction_at < $2)",
                )
                .bind(id)
                .bind(time_text(e.occurred_at))
                .execute(conn)
                .await.map(drop))?;
            }
            CustomerEvent::OpportunityOpened(_) => adjust_open(tx, id, 1).await?,
            CustomerEvent::OpportunityWon(_) | CustomerEvent::OpportunityLost(_) => {
                adjust_open(tx, id, -1).await?;
            }
            CustomerEvent::ContactAdded(_)
            | CustomerEvent::ContactRemoved(_)
            | CustomerEvent::OpportunityStageChanged(_) => {}
        }
        Ok(())
    }
}

async fn adjust_open(tx: &mut ReadTx, id: &str, by: i64) -> Result<(), ProjectionError> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE customer_list SET open_opportunities = open_opportunities + $2 WHERE customer_id = $1",
    )
    .bind(id)
    .bind(by)
    .execute(conn)
    .await.map(drop))?;
    Ok(())
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
