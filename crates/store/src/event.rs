//! The shapes that go into and come out of the store.

use chrono::{DateTime, SubsecRound, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::StoredJson;

/// Which stream an event belongs to: the aggregate type and its id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct StreamRef {
    pub stream_type: String,
    pub stream_id: String,
}

impl StreamRef {
    pub fn new(stream_type: impl Into<String>, stream_id: impl Into<String>) -> Self {
        Self {
            stream_type: stream_type.into(),
            stream_id: stream_id.into(),
        }
    }
}

impl std::fmt::Display for StreamRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.stream_type, self.stream_id)
    }
}

/// What travels with every event: who, on whose behalf, and why.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Metadata {
    pub actor: String,
    pub correlation_id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub causation_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_address: Option<String>,
}

/// An event to append, already encoded by its aggregate.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    pub event_id: Uuid,
    pub event_type: String,
    pub schema_version: u16,
    pub payload: Value,
}

/// The tip of a stream as the writer saw it: its last version and that event's hash.
/// Version 0 (no hash) is a stream that does not exist yet.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Tip {
    pub version: u64,
    pub hash: Option<String>,
}

/// An idempotency key with the fingerprint of the request that first used it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Idempotency {
    pub key: String,
    pub request_hash: String,
}

/// What was recorded for an idempotency key: the request's fingerprint and its result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyRecord {
    /// The stream the key was used on.
    pub stream_id: String,
    pub request_hash: String,
    pub version: u64,
    pub position: Option<i64>,
}

/// One append: events for one stream, written all or nothing.
#[derive(Debug, Clone)]
pub struct Append {
    pub stream: StreamRef,
    pub expected: Tip,
    pub events: Vec<NewEvent>,
    pub metadata: Metadata,
    /// When the events are recorded; kept to the microsecond, as both databases store it.
    pub recorded_at: DateTime<Utc>,
    pub idempotency: Option<Idempotency>,
}

impl Append {
    pub(crate) fn recorded_at(&self) -> DateTime<Utc> {
        self.recorded_at.trunc_subsecs(6)
    }
}

/// A per-year series of document numbers: the invoices of 2026 are one series, its credit
/// notes another. Numbers count from 1 in each.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NumberSeries {
    /// A stable name, stored: `invoice`, `credit-note`, `quotation`…
    pub name: String,
    pub year: i32,
}

impl NumberSeries {
    pub fn new(name: impl Into<String>, year: i32) -> Self {
        Self {
            name: name.into(),
            year,
        }
    }
}

/// What an append wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Committed {
    /// The stream's version after the append (unchanged if nothing was written).
    pub version: u64,
    /// The hash of the stream's last event after the append.
    pub hash: Option<String>,
    /// The global position of the last event written, if any.
    pub position: Option<i64>,
}

/// A position in the global order. On PostgreSQL it is the pair (transaction id, position),
/// because positions are taken from a sequence before commit and so commit out of order;
/// on SQLite writers are serialised and the transaction id is always 0.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct Cursor {
    pub transaction: u64,
    pub position: i64,
}

impl Cursor {
    pub const START: Self = Self {
        transaction: 0,
        position: 0,
    };
}

/// An event as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedEvent {
    pub position: i64,
    pub transaction: u64,
    pub event_id: Uuid,
    pub stream: StreamRef,
    pub version: u64,
    pub event_type: String,
    pub schema_version: u16,
    pub payload: StoredJson,
    pub metadata: StoredJson,
    pub recorded_at: DateTime<Utc>,
    pub hash: String,
}

impl RecordedEvent {
    pub fn cursor(&self) -> Cursor {
        Cursor {
            transaction: self.transaction,
            position: self.position,
        }
    }
}

/// Which events of the global feed a reader wants. The filter runs in the database, on the
/// same ordered scan as the whole feed, so a filtered page is as gap-safe as an unfiltered one
/// and the events a reader does not want never leave the database.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FeedFilter<'a> {
    /// Only events of these types: every type when `None`, none when empty.
    pub event_types: Option<&'a [String]>,
    /// Only events of these aggregates' streams: every stream type when `None`.
    pub stream_types: Option<&'a [&'a str]>,
}

impl<'a> FeedFilter<'a> {
    /// Every event.
    pub const ALL: FeedFilter<'static> = FeedFilter {
        event_types: None,
        stream_types: None,
    };

    /// Events of `types` (every type when `None`).
    pub fn event_types(types: Option<&'a [String]>) -> Self {
        Self {
            event_types: types,
            stream_types: None,
        }
    }

    /// Events of the streams of `stream_types`, the aggregates a read model follows.
    pub fn stream_types(stream_types: &'a [&'a str]) -> Self {
        Self {
            event_types: None,
            stream_types: Some(stream_types),
        }
    }
}

/// A page of the global feed as [`crate::EventStore::read_feed`] answers it: the events, and
/// where the reader continues from.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedPage {
    pub events: Vec<RecordedEvent>,
    /// The cursor to read on from. It is the last event's cursor, except when the page came
    /// back short of its limit: then the reader has looked at every event it may ever see up
    /// to the feed's visible end, and `next` moves there, past events the type filter passed
    /// over, so that a reader of a rare type does not scan the same events again at every
    /// poll. Never behind the cursor read after.
    pub next: Cursor,
}

impl FeedPage {
    /// Puts a page together. `visible_end` must have been read in the same snapshot as
    /// `events` or an earlier one (see `EventStore::read_feed`): only then is every event up
    /// to it already in `events` or of a type the filter passed over.
    pub(crate) fn new(
        after: Cursor,
        limit: u32,
        visible_end: Option<Cursor>,
        events: Vec<RecordedEvent>,
    ) -> Self {
        let last = events.last().map_or(after, RecordedEvent::cursor);
        let short = events.len() < usize::try_from(limit).unwrap_or(usize::MAX);
        let next = match visible_end {
            // A full page may end before events of its types that did not fit: stop at it.
            Some(end) if short => last.max(end),
            _ => last,
        };
        Self {
            events,
            next: next.max(after),
        }
    }
}

/// A stream's folded state at a version, kept to avoid replaying long streams.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub stream: StreamRef,
    pub version: u64,
    pub hash: String,
    pub state_version: u32,
    pub state: Value,
}
