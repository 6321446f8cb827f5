//! `/audit`: the auditor's time travel. A stream as it stood at an instant: its events up to
//! then, the aggregate folded from them, and a check of their hash chain.
//!
//! Everything here is read from the event store and folded with the aggregate's own
//! `evolve`, never from read models: those are derived, can lag or be rebuilt, and an
//! auditor must see what the books themselves say.
// utoipa's path macro expands the `Query<AsOfParams>` argument into code with a qualified
// path that this lint flags, outside the handler where an item-level allow would reach.
#![allow(unused_qualifications)]

use std::collections::{HashMap, HashSet};

use axum::extract::State;
use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use niaga_domain::{
    Aggregate, UpcastError,
    ctx::end_of_business_day,
    customer::{Customer, CustomerEvent},
    ids::CustomerId,
    invoice::{
        Invoice, InvoiceEvent,
        aging::{Aging, Receivable},
    },
};
use niaga_store::{
    Cursor, EventStore, RecordedEvent, StoredJson, StreamRef,
    audit::{BrokenLink, history_at},
    decode,
    hash::hashed_time,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::{
    customers::CustomerView,
    receivables::{ReceivablesView, as_of_day},
};
use crate::{
    app::AppState,
    auth::{AUDIT_READ, CurrentUser},
    error::{ApiError, Problem, Result},
    extract::{Path, Query},
};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(stream_as_of))
        .routes(routes!(receivables_as_of))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub(crate) struct AsOfParams {
    /// The instant to look at: RFC 3339 with an offset (`2026-03-31T23:59:59+08:00`; in a
    /// URL write `+` as `%2B`), or a date (`2026-03-31`) meaning the end of that business day
    /// in Asia/Kuala_Lumpur (23:59:59.999999 +08:00). Inclusive. Default: now.
    as_of: Option<String>,
}

/// A stream as it stood at `as_of`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct StreamAsOf {
    stream_type: String,
    stream_id: String,
    /// The instant looked at, in UTC, to the microsecond like `recorded_at` (events are
    /// recorded to the microsecond, so nothing finer can tell them apart).
    #[schema(example = "2026-03-31T15:59:59.999999Z")]
    as_of: String,
    /// The stream's version at `as_of`: 0 if it had no events yet.
    version: u64,
    /// The aggregate as it stood then, in the shape its own route shows it today (for
    /// `customer`, the customer of `GET /customers/{id}`); `null` if it did not exist yet or
    /// its events cannot be read (then `state_error` says why).
    #[schema(value_type = Option<Object>)]
    state: Option<Value>,
    /// Why `state` is `null` although there are events: a stored event that today's code
    /// cannot read (typically one altered by hand, which `chain` then shows too).
    #[serde(skip_serializing_if = "Option::is_none")]
    state_error: Option<String>,
    /// The events up to and including `as_of`, in version order, exactly as stored.
    events: Vec<AuditEvent>,
    chain: ChainCheck,
}

/// One stored event with every field its hash covers, so the hash can be recomputed from
/// this answer alone (see docs/architecture.md, "Hash chain").
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AuditEvent {
    /// The event id.
    id: Uuid,
    version: u64,
    /// The stored event type, e.g. `CustomerRegistered`.
    #[serde(rename = "type")]
    event_type: String,
    /// The payload's schema version as stored; `payload` is shown as stored, not upcast.
    schema_version: u16,
    #[schema(value_type = Object)]
    payload: StoredJson,
    /// Actor, correlation id, idempotency key and client address.
    #[schema(value_type = Object)]
    metadata: StoredJson,
    /// As hashed: RFC 3339, UTC, six fractional digits.
    #[schema(example = "2026-03-31T07:15:02.123456Z")]
    recorded_at: String,
    hash: String,
}

impl From<&RecordedEvent> for AuditEvent {
    fn from(event: &RecordedEvent) -> Self {
        Self {
            id: event.event_id,
            version: event.version,
            event_type: event.event_type.clone(),
            schema_version: event.schema_version,
            payload: event.payload.clone(),
            metadata: event.metadata.clone(),
            recorded_at: hashed_time(event.recorded_at),
            hash: event.hash.clone(),
        }
    }
}

/// The hash chain recomputed over the events up to `as_of` and the first one after it: that
/// event's hash covers its recorded time, which proves the history really ended there.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ChainCheck {
    verified: bool,
    events_checked: u64,
    /// The first event whose stored hash is not the one its content and predecessor give.
    first_broken: Option<BrokenLinkView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct BrokenLinkView {
    version: u64,
    /// The hash recomputed from the stored event (or `version N` when a version is missing
    /// or out of place).
    expected: String,
    /// The hash stored with the event.
    found: String,
}

impl From<BrokenLink> for BrokenLinkView {
    fn from(link: BrokenLink) -> Self {
        Self {
            version: link.version,
            expected: link.expected,
            found: link.found,
        }
    }
}

/// A stream (an aggregate: a customer, later an invoice…) as it stood at an instant, with
/// its events up to then and a check of their hash chain.
#[utoipa::path(
    get,
    path = "/audit/streams/{stream_type}/{stream_id}",
    tag = "audit",
    params(
        ("stream_type" = String, Path, description = "The aggregate type: `customer`"),
        ("stream_id" = String, Path, description = "The aggregate's id"),
        AsOfParams,
    ),
    responses(
        (status = OK, description = "The stream as of then; `chain.verified` false if its history was altered",
            body = StreamAsOf),
        (status = BAD_REQUEST, description = "`as_of` is not a time with an offset or a date",
            body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, description = "No such stream type, or a stream with no events",
            body = Problem, content_type = "application/problem+json"),
        (status = UNAUTHORIZED, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, description = "Not auditor or admin", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn stream_as_of(
    user: CurrentUser,
    State(state): State<AppState>,
    Path((stream_type, stream_id)): Path<(String, String)>,
    Query(params): Query<AsOfParams>,
) -> Result<axum::Json<StreamAsOf>> {
    user.require(AUDIT_READ)?;
    let as_of = match params.as_of.as_deref() {
        Some(text) => parse_as_of(text)?,
        None => Utc::now(),
    }
    // Events are recorded to the microsecond: cutting finer digits selects the same events.
    .trunc_subsecs(6);
    let fold = fold_for(&stream_type).ok_or_else(|| ApiError::NotFound("stream type".into()))?;
    let stream = StreamRef::new(stream_type, stream_id);
    let all = state.event_store().read_stream(&stream, 0).await?;
    if all.is_empty() {
        return Err(ApiError::NotFound("stream".into()));
    }
    let history = history_at(&stream, &all, as_of);
    if let Some(link) = &history.first_broken {
        tracing::warn!(%stream, version = link.version, "hash chain broken");
    }
    let (state, state_error) = match fold(history.events) {
        Ok(state) => (state, None),
        Err(FoldError::Unreadable(error)) => (None, Some(error.to_string())),
        Err(FoldError::View(error)) => return Err(ApiError::internal(error)),
    };
    Ok(axum::Json(StreamAsOf {
        version: history.events.last().map_or(0, |event| event.version),
        stream_type: stream.stream_type,
        stream_id: stream.stream_id,
        as_of: hashed_time(as_of),
        state,
        state_error,
        events: history.events.iter().map(AuditEvent::from).collect(),
        chain: ChainCheck {
            verified: history.first_broken.is_none(),
            events_checked: history.events_checked,
            first_broken: history.first_broken.map(BrokenLinkView::from),
        },
    }))
}

/// Folds a history (a stream's first events, in version order) into its aggregate's view;
/// `None` if the aggregate did not exist yet.
type Fold = fn(&[RecordedEvent]) -> Result<Option<Value>, FoldError>;

/// The aggregates an auditor can open, by stream type. Another aggregate is one more arm,
/// e.g. `Invoice::STREAM_TYPE => Some(|h| fold::<Invoice, _>(h, |i, v| InvoiceView::new(i, v)))`.
fn fold_for(stream_type: &str) -> Option<Fold> {
    match stream_type {
        Customer::STREAM_TYPE => Some(|history| {
            fold::<Customer, _>(history, |customer: &Customer, version| {
                customer
                    .registered()
                    .map(|customer| CustomerView::new(customer, version))
            })
        }),
        _ => None,
    }
}

#[derive(Debug, thiserror::Error)]
enum FoldError {
    /// A stored event today's code cannot read: the auditor is shown why, not a 500.
    #[error(transparent)]
    Unreadable(#[from] UpcastError),
    #[error("cannot serialise the view: {0}")]
    View(#[from] serde_json::Error),
}

/// Decodes (upcasting old payloads) and replays the history with `A`'s own `evolve`, then
/// shows the state through `view`, which gets the version reached.
fn fold<A, V>(
    history: &[RecordedEvent],
    view: impl FnOnce(&A, u64) -> Option<V>,
) -> Result<Option<Value>, FoldError>
where
    A: Aggregate,
    V: Serialize,
{
    let events = history
        .iter()
        .map(decode::<A::Event>)
        .collect::<Result<Vec<_>, _>>()?;
    let state = A::replay(&events);
    let version = history.last().map_or(0, |event| event.version);
    Ok(view(&state, version)
        .map(serde_json::to_value)
        .transpose()?)
}

/// Reads `as_of`: RFC 3339 with an offset, or a date meaning the end of that business day in
/// Malaysia. A time without an offset is refused rather than guessed.
fn parse_as_of(text: &str) -> Result<DateTime<Utc>> {
    // An unencoded `+` in a query string arrives as a space (`…23:59:59 08:00`); no RFC 3339
    // time has a space there, so reading it as the `+` the client meant is safe.
    let repaired;
    let text = if text.len() > 6 && text.as_bytes()[text.len() - 6] == b' ' {
        repaired = format!("{}+{}", &text[..text.len() - 6], &text[text.len() - 5..]);
        repaired.as_str()
    } else {
        text
    };
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Ok(at.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(end_of_business_day)
        .ok_or_else(|| {
            ApiError::BadRequest(
                "`as_of` must be a time with an offset (2026-03-31T23:59:59+08:00, with `+` \
                 written as %2B in a URL) or a date (2026-03-31: the end of that day in \
                 Malaysia)."
                    .into(),
            )
        })
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReceivablesAsOfParams {
    /// The day, `YYYY-MM-DD`: the books as recorded up to the end of it in Asia/Kuala_Lumpur
    /// (23:59:59.999999 +08:00). Default: today.
    #[param(example = "2026-03-31")]
    as_of: Option<String>,
}

/// Receivables aging as the books stood at the end of a day, folded from the events recorded
/// by then (never from a read model), in the shape of `GET /receivables`. An entry recorded
/// later but dated back to that day (a payment keyed in late) is not in it: that is what the
/// books said then, where `GET /receivables` shows what they say now about that day.
#[utoipa::path(
    get,
    path = "/audit/receivables",
    tag = "audit",
    params(ReceivablesAsOfParams),
    responses(
        (status = OK, description = "The aging as recorded by the end of `as_of`", body = ReceivablesView),
        (status = UNAUTHORIZED, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, description = "Not auditor or admin", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "`as_of` is not a date written YYYY-MM-DD",
            body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn receivables_as_of(
    user: CurrentUser,
    State(state): State<AppState>,
    Query(params): Query<ReceivablesAsOfParams>,
) -> Result<axum::Json<ReceivablesView>> {
    user.require(AUDIT_READ)?;
    let as_of = as_of_day(params.as_of.as_deref())?;
    let until = end_of_business_day(as_of)
        .ok_or_else(|| ApiError::field("/as_of", "must be a date written YYYY-MM-DD"))?;
    let books = RecordedBooks::read(state.event_store().as_ref(), until).await?;
    let owed = books
        .receivables
        .values()
        .filter_map(|receivable| receivable.owed_on(as_of));
    let aging = Aging::of(as_of, owed).map_err(ApiError::internal)?;
    Ok(axum::Json(ReceivablesView::new(&aging, &books.names())))
}

/// Events read from the feed per page.
const FEED_PAGE: u32 = 500;

/// What the events recorded up to an instant say about receivables: every issued invoice's
/// balances and every customer as it then stood, each folded with its aggregate's own rules.
#[derive(Debug, Default)]
struct RecordedBooks {
    /// By invoice id.
    receivables: HashMap<String, Receivable>,
    /// By customer id.
    customers: HashMap<String, Customer>,
    /// Streams with an event recorded after the instant. Their later versions are left out
    /// too: as for one stream, the history is the longest run of versions recorded by then,
    /// and a later version stamped earlier (clock skew) is not pulled in ahead of it.
    cut: HashSet<StreamRef>,
}

impl RecordedBooks {
    /// Folds the whole feed: the global order is not the order of recorded times, so an event
    /// recorded by `until` may come after one recorded later.
    async fn read(store: &dyn EventStore, until: DateTime<Utc>) -> Result<Self> {
        let mut books = Self::default();
        let mut cursor = Cursor::START;
        loop {
            let page = store.read_all(cursor, FEED_PAGE).await?;
            let Some(last) = page.last() else {
                return Ok(books);
            };
            cursor = last.cursor();
            for event in &page {
                books.fold(event, until)?;
            }
        }
    }

    fn fold(&mut self, event: &RecordedEvent, until: DateTime<Utc>) -> Result<()> {
        let stream = &event.stream;
        let kept =
            [Invoice::STREAM_TYPE, Customer::STREAM_TYPE].contains(&stream.stream_type.as_str());
        if !kept || self.cut.contains(stream) {
            return Ok(());
        }
        if event.recorded_at > until {
            self.cut.insert(stream.clone());
            return Ok(());
        }
        // A stored event today's code cannot read leaves no answer to give: the cause is
        // logged, and `/audit/streams` shows which event it is.
        if stream.stream_type == Invoice::STREAM_TYPE {
            let decoded = decode::<InvoiceEvent>(event).map_err(ApiError::internal)?;
            match (decoded, self.receivables.get_mut(&stream.stream_id)) {
                (InvoiceEvent::InvoiceIssued(issued), _) => {
                    self.receivables
                        .insert(stream.stream_id.clone(), Receivable::issued(&issued));
                }
                (other, Some(receivable)) => {
                    receivable.apply(&other).map_err(ApiError::internal)?;
                }
                (_, None) => {}
            }
        } else {
            let decoded = decode::<CustomerEvent>(event).map_err(ApiError::internal)?;
            let customer = self.customers.remove(&stream.stream_id).unwrap_or_default();
            self.customers
                .insert(stream.stream_id.clone(), customer.evolve(&decoded));
        }
        Ok(())
    }

    /// Each registered customer's name as it then was.
    fn names(&self) -> HashMap<CustomerId, String> {
        self.customers
            .values()
            .filter_map(Customer::registered)
            .map(|customer| (customer.id, customer.details.name.as_str().to_owned()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn as_of_is_a_time_with_an_offset() {
        assert_eq!(
            parse_as_of("2026-03-31T23:59:59+08:00").unwrap(),
            utc("2026-03-31T15:59:59Z")
        );
        assert_eq!(
            parse_as_of("2026-03-31T15:59:59.5Z").unwrap(),
            utc("2026-03-31T15:59:59.500Z")
        );
    }

    #[test]
    fn a_plus_lost_to_url_decoding_is_read_as_meant() {
        assert_eq!(
            parse_as_of("2026-03-31T23:59:59 08:00").unwrap(),
            utc("2026-03-31T15:59:59Z")
        );
    }

    #[test]
    fn a_date_is_the_end_of_that_malaysian_business_day() {
        assert_eq!(
            parse_as_of("2026-03-31").unwrap(),
            utc("2026-03-31T15:59:59.999999Z")
        );
    }

    #[test]
    fn a_time_without_an_offset_or_anything_else_is_refused() {
        for text in ["2026-03-31T23:59:59", "31/03/2026", "now", "", "2026-02-30"] {
            assert!(
                matches!(parse_as_of(text), Err(ApiError::BadRequest(_))),
                "{text}"
            );
        }
    }
}
