//! Niaga's event store: one append-only table of immutable, hash-chained events on
//! PostgreSQL (production, many instances) or SQLite (embedded default), and the command
//! pipeline that loads an aggregate, decides and appends.
//!
//! Both back ends implement [`EventStore`] and pass the same test suite (`tests/suite.rs`).

pub mod audit;
mod database;
mod error;
mod event;
mod handler;
pub mod hash;
mod postgres;
mod prepare;
mod shared;
mod sqlite;
mod state_cache;
mod stored_json;
pub mod testing;

use async_trait::async_trait;

pub use database::{Backend, Database, one_kept_sqlite_connection};
pub use error::StoreError;
pub use event::{
    Append, Committed, Cursor, FeedFilter, FeedPage, Idempotency, IdempotencyRecord, Metadata,
    NewEvent, NumberSeries, RecordedEvent, Snapshot, StreamRef, Tip,
};
pub use handler::{CommandError, CommandHandler, CommandOptions, Outcome, decode};
pub use postgres::PgEventStore;
pub use sqlite::SqliteEventStore;
pub use stored_json::StoredJson;

/// The operations every back end provides. Events are only ever appended: there is no
/// update and no delete, and the database refuses them too.
#[async_trait]
pub trait EventStore: Send + Sync + std::fmt::Debug {
    /// Appends events to one stream if its tip is still `append.expected`, atomically with the
    /// idempotency record, if any. A stale tip is [`StoreError::Conflict`].
    async fn append(&self, append: Append) -> Result<Committed, StoreError>;

    /// Takes the next number of `series` and appends what `build` makes of it, in one
    /// transaction: the number is kept only if the append commits, so the numbers of a
    /// series found in committed events never repeat and have no gaps. Takers of one series
    /// wait for each other until commit. `build` answering `None` writes nothing and leaves
    /// the number to the next taker (`Ok(None)`). A stale tip is a conflict, as for
    /// [`EventStore::append`], and gives the number back too.
    async fn append_numbered(
        &self,
        series: &NumberSeries,
        build: &(dyn Fn(u64) -> Option<Append> + Send + Sync),
    ) -> Result<Option<Committed>, StoreError>;

    /// The events of one stream with a version above `after_version`, in version order.
    async fn read_stream(
        &self,
        stream: &StreamRef,
        after_version: u64,
    ) -> Result<Vec<RecordedEvent>, StoreError>;

    /// The next events of the global order after `after`, at most `limit`. Gap-safe: an event
    /// whose transaction has not committed yet is never passed over by a later one, so a
    /// reader that moves its cursor to the last event it got never misses an event.
    async fn read_all(&self, after: Cursor, limit: u32) -> Result<Vec<RecordedEvent>, StoreError>;

    /// The global feed as integrators and projectors read it: like [`EventStore::read_all`],
    /// but only the events `filter` wants, and with the cursor to continue from
    /// ([`FeedPage::next`]). The filter runs in the database, so `limit` counts matching
    /// events and a page short of it means the reader is at the end of what it may see now.
    /// Gap-safe like `read_all`.
    ///
    /// The page and the feed's visible end must come from one snapshot, or the end from an
    /// earlier one: then, when the page comes back short, every event up to the visible end
    /// was either returned or filtered out, and the cursor may move past the filtered ones.
    /// PostgreSQL reads both in one statement; SQLite reads the end first and the page after
    /// it.
    async fn read_feed(
        &self,
        after: Cursor,
        limit: u32,
        filter: FeedFilter<'_>,
    ) -> Result<FeedPage, StoreError>;

    /// The result recorded for an idempotency key on streams of `stream_type`, if the key
    /// was used (keys are unique per stream type, so a retried create finds its stream).
    async fn find_idempotency(
        &self,
        stream_type: &str,
        key: &str,
    ) -> Result<Option<IdempotencyRecord>, StoreError>;

    /// The streams in a stable order, a page at a time (for the auditor's chain check).
    async fn list_streams(
        &self,
        after: Option<&StreamRef>,
        limit: u32,
    ) -> Result<Vec<StreamRef>, StoreError>;

    /// The latest snapshot of a stream, if one was taken. Snapshots are an optimisation only.
    async fn load_snapshot(&self, stream: &StreamRef) -> Result<Option<Snapshot>, StoreError>;

    /// Keeps a snapshot, replacing an older one of the stream.
    async fn save_snapshot(&self, snapshot: Snapshot) -> Result<(), StoreError>;
}
