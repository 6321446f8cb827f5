//! The SQLite event store, the embedded default.

use async_trait::async_trait;
use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::{Row as _, SqliteConnection, SqlitePool, sqlite::SqliteRow};

use crate::{
    Append, Committed, Cursor, Database, EventStore, FeedFilter, FeedPage, IdempotencyRecord,
    NumberSeries, RecordedEvent, Snapshot, StoreError, StoredJson, StreamRef,
    prepare::{Prepared, prepare, to_i64, to_u64},
    shared::NEXT_NUMBER,
};

const COLUMNS: &str = "position, event_id, stream_type, stream_id, version, event_type, \
    schema_version, payload, metadata, recorded_at, hash";

/// The event store on SQLite. Appends go through the one-connection writer pool, so they
/// are serialised: positions commit in order and the position alone is a gap-safe cursor.
#[derive(Debug, Clone)]
pub struct SqliteEventStore {
    reader: SqlitePool,
    writer: SqlitePool,
    /// The same pools, for the operations written once for both databases.
    db: Database,
}

impl SqliteEventStore {
    pub fn new(reader: SqlitePool, writer: SqlitePool) -> Self {
        Self {
            db: Database::Sqlite {
                reader: reader.clone(),
                writer: writer.clone(),
            },
            reader,
            writer,
        }
    }

    /// Checks the tip and writes the rows and the idempotency record, if any, in `tx`, which
    /// holds the write lock; the caller commits.
    async fn write(
        tx: &mut SqliteConnection,
        append: &Append,
        prepared: &Prepared,
    ) -> Result<Committed, StoreError> {
        let stream = &append.stream;
        let tip: Option<(i64, String)> = sqlx::query_as(
            "SELECT version, hash FROM events WHERE stream_type = $1 AND stream_id = $2 \
             ORDER BY version DESC LIMIT 1",
        )
        .bind(&stream.stream_type)
        .bind(&stream.stream_id)
        .fetch_optional(&mut *tx)
        .await?;
        let (actual, actual_hash) = match tip {
            Some((version, hash)) => (to_u64(version)?, Some(hash)),
            None => (0, None),
        };
        if actual != append.expected.version {
            return Err(StoreError::Conflict {
                stream: stream.clone(),
                expected: append.expected.version,
                actual,
            });
        }
        if actual_hash != append.expected.hash {
            return Err(StoreError::Corrupt(format!(
                "the tip of {stream} does not have the hash the writer read"
            )));
        }
        let recorded_at = time_text(append.recorded_at());
        let mut position = None;
        for row in &prepared.rows {
            let written: i64 = sqlx::query_scalar(
                "INSERT INTO events (event_id, stream_type, stream_id, version, event_type, \
                 schema_version, payload, metadata, recorded_at, hash) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING position",
            )
            .bind(row.event_id.to_string())
            .bind(&stream.stream_type)
            .bind(&stream.stream_id)
            .bind(row.version)
            .bind(&row.event_type)
            .bind(row.schema_version)
            .bind(&row.payload)
            .bind(&prepared.metadata)
            .bind(&recorded_at)
            .bind(&row.hash)
            .fetch_one(&mut *tx)
            .await?;
            position = Some(written);
        }
        let version = append.expected.version + prepared.rows.len() as u64;
        if let Some(idempotency) = &append.idempotency {
            let recorded = sqlx::query(
                "INSERT INTO command_idempotency \
                 (stream_type, stream_id, idempotency_key, request_hash, version, position, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&stream.stream_type)
            .bind(&stream.stream_id)
            .bind(&idempotency.key)
            .bind(&idempotency.request_hash)
            .bind(to_i64(version)?)
            .bind(position)
            .bind(&recorded_at)
            .execute(&mut *tx)
            .await;
            if let Err(error) = recorded {
                return Err(if StoreError::is_unique_violation(&error) {
                    StoreError::Conflict {
                        stream: stream.clone(),
                        expected: append.expected.version,
                        actual,
                    }
                } else {
                    error.into()
                });
            }
        }
        Ok(Committed {
            version,
            hash: prepared.last_hash.clone(),
            position,
        })
    }

    /// The feed after `after`, all of it or what `filter` wants. Each list of types travels
    /// as one JSON array unpacked by `json_each`: one statement whatever their number. The
    /// filter sits on the scan in position order, so the cursor keeps its meaning and `LIMIT`
    /// counts matching rows.
    async fn select(
        &self,
        after: Cursor,
        limit: u32,
        filter: FeedFilter<'_>,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let event_types = filter.event_types.map(serde_json::to_string).transpose()?;
        let stream_types = filter.stream_types.map(serde_json::to_string).transpose()?;
        let query = format!(
            "SELECT {COLUMNS} FROM events WHERE position > $1 \
             AND ($2 IS NULL OR event_type IN (SELECT value FROM json_each($2))) \
             AND ($4 IS NULL OR stream_type IN (SELECT value FROM json_each($4))) \
             ORDER BY position LIMIT $3"
        );
        sqlx::query(&query)
            .bind(after.position)
            .bind(event_types)
            .bind(i64::from(limit))
            .bind(stream_types)
            .fetch_all(&self.reader)
            .await?
            .iter()
            .map(recorded)
            .collect()
    }

    /// The position of the last event; every reader sees it, as positions commit in order.
    async fn feed_end(&self) -> Result<Option<Cursor>, StoreError> {
        let position: Option<i64> = sqlx::query_scalar("SELECT MAX(position) FROM events")
            .fetch_one(&self.reader)
            .await?;
        Ok(position.map(|position| Cursor {
            transaction: 0,
            position,
        }))
    }
}

/// Times are stored as RFC 3339 text in UTC to the microsecond, which also sorts correctly.
pub(crate) fn time_text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn json(row: &SqliteRow, column: &str) -> Result<StoredJson, StoreError> {
    let text: String = row.try_get(column)?;
    StoredJson::from_text(text).map_err(|e| StoreError::Corrupt(format!("{column}: {e}")))
}

fn recorded(row: &SqliteRow) -> Result<RecordedEvent, StoreError> {
    let event_id: String = row.try_get("event_id")?;
    let recorded_at: String = row.try_get("recorded_at")?;
    Ok(RecordedEvent {
        position: row.try_get("position")?,
        transaction: 0,
        event_id: event_id
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("event id {event_id}")))?,
        stream: StreamRef::new(
            row.try_get::<String, _>("stream_type")?,
            row.try_get::<String, _>("stream_id")?,
        ),
        version: to_u64(row.try_get("version")?)?,
        event_type: row.try_get("event_type")?,
        schema_version: u16::try_from(row.try_get::<i64, _>("schema_version")?)
            .map_err(|_| StoreError::Corrupt("schema version out of range".into()))?,
        payload: json(row, "payload")?,
        metadata: json(row, "metadata")?,
        recorded_at: DateTime::parse_from_rfc3339(&recorded_at)
            .map_err(|_| StoreError::Corrupt(format!("recorded_at {recorded_at}")))?
            .with_timezone(&Utc),
        hash: row.try_get("hash")?,
    })
}

#[async_trait]
impl EventStore for SqliteEventStore {
    async fn append(&self, append: Append) -> Result<Committed, StoreError> {
        let prepared = prepare(&append)?;
        // IMMEDIATE takes the write lock up front, so the tip read in `write` cannot go stale
        // before the insert (another process writing to the file waits for us, or we for it).
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        let committed = Self::write(&mut tx, &append, &prepared).await?;
        tx.commit().await?;
        Ok(committed)
    }

    async fn append_numbered(
        &self,
        series: &NumberSeries,
        build: &(dyn Fn(u64) -> Option<Append> + Send + Sync),
    ) -> Result<Option<Committed>, StoreError> {
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        let number: i64 = sqlx::query_scalar(NEXT_NUMBER)
            .bind(&series.name)
            .bind(series.year)
            .fetch_one(&mut *tx)
            .await?;
        let Some(append) = build(to_u64(number)?) else {
            return Ok(None);
        };
        let prepared = prepare(&append)?;
        let committed = Self::write(&mut tx, &append, &prepared).await?;
        tx.commit().await?;
        Ok(Some(committed))
    }

    async fn read_stream(
        &self,
        stream: &StreamRef,
        after_version: u64,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let query = format!(
            "SELECT {COLUMNS} FROM events \
             WHERE stream_type = $1 AND stream_id = $2 AND version > $3 ORDER BY version"
        );
        sqlx::query(&query)
            .bind(&stream.stream_type)
            .bind(&stream.stream_id)
            .bind(to_i64(after_version)?)
            .fetch_all(&self.reader)
            .await?
            .iter()
            .map(recorded)
            .collect()
    }

    async fn read_all(&self, after: Cursor, limit: u32) -> Result<Vec<RecordedEvent>, StoreError> {
        self.select(after, limit, FeedFilter::ALL).await
    }

    async fn read_feed(
        &self,
        after: Cursor,
        limit: u32,
        filter: FeedFilter<'_>,
    ) -> Result<FeedPage, StoreError> {
        // The transaction is always 0 here. A cursor with another one (made by hand, or on
        // PostgreSQL) would sort after every event and so never move: read it as its position.
        let after = Cursor {
            transaction: 0,
            ..after
        };
        // The end first: see the trait's documentation for why the order matters.
        let end = self.feed_end().await?;
        let events = self.select(after, limit, filter).await?;
        Ok(FeedPage::new(after, limit, end, events))
    }

    async fn find_idempotency(
        &self,
        stream_type: &str,
        key: &str,
    ) -> Result<Option<IdempotencyRecord>, StoreError> {
        crate::shared::find_idempotency(&self.db, stream_type, key).await
    }

    async fn list_streams(
        &self,
        after: Option<&StreamRef>,
        limit: u32,
    ) -> Result<Vec<StreamRef>, StoreError> {
        crate::shared::list_streams(&self.db, after, limit).await
    }

    async fn load_snapshot(&self, stream: &StreamRef) -> Result<Option<Snapshot>, StoreError> {
        let row: Option<(i64, String, i64, String)> = sqlx::query_as(
            "SELECT version, hash, state_version, state FROM snapshots \
             WHERE stream_type = $1 AND stream_id = $2",
        )
        .bind(&stream.stream_type)
        .bind(&stream.stream_id)
        .fetch_optional(&self.reader)
        .await?;
        row.map(|(version, hash, state_version, state)| {
            Ok(Snapshot {
                stream: stream.clone(),
                version: to_u64(version)?,
                hash,
                state_version: u32::try_from(state_version).unwrap_or(0),
                state: serde_json::from_str(&state)
                    .map_err(|e| StoreError::Corrupt(format!("snapshot: {e}")))?,
            })
        })
        .transpose()
    }

    async fn save_snapshot(&self, snapshot: Snapshot) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO snapshots (stream_type, stream_id, version, hash, state_version, state) \
             VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (stream_type, stream_id) DO UPDATE SET version = excluded.version, \
             hash = excluded.hash, state_version = excluded.state_version, state = excluded.state \
             WHERE snapshots.version < excluded.version",
        )
        .bind(&snapshot.stream.stream_type)
        .bind(&snapshot.stream.stream_id)
        .bind(to_i64(snapshot.version)?)
        .bind(&snapshot.hash)
        .bind(i64::from(snapshot.state_version))
        .bind(serde_json::to_string(&snapshot.state)?)
        .execute(&self.writer)
        .await?;
        Ok(())
    }
}
