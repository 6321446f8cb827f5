//! The PostgreSQL event store.

use async_trait::async_trait;
use sqlx::{PgConnection, PgPool, Postgres, Row as _, Transaction, postgres::PgRow, types::Json};

use crate::{
    Append, Committed, Cursor, Database, EventStore, FeedFilter, FeedPage, IdempotencyRecord,
    NumberSeries, RecordedEvent, Snapshot, StoreError, StoredJson, StreamRef,
    prepare::{Prepared, prepare, to_i64, to_u64},
    shared::NEXT_NUMBER,
};

const APPEND: &str = include_str!("sql/append.sql");
const READ_FEED: &str = include_str!("sql/read_feed.sql");
const COLUMNS: &str = "position, transaction_id::text AS transaction_text, event_id, stream_type, \
    stream_id, version, event_type, schema_version, payload, metadata, recorded_at, hash";

/// The event store on PostgreSQL.
#[derive(Debug, Clone)]
pub struct PgEventStore {
    pool: PgPool,
    /// The same pool, for the operations written once for both databases.
    db: Database,
}

impl PgEventStore {
    pub fn new(pool: PgPool) -> Self {
        Self {
            db: Database::Postgres(pool.clone()),
            pool,
        }
    }

    async fn insert<'e>(
        executor: impl sqlx::PgExecutor<'e>,
        append: &Append,
        prepared: &Prepared,
    ) -> Result<Vec<i64>, sqlx::Error> {
        let rows = &prepared.rows;
        sqlx::query_scalar(APPEND)
            .bind(&append.stream.stream_type)
            .bind(&append.stream.stream_id)
            .bind(rows.iter().map(|r| r.event_id).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.version).collect::<Vec<_>>())
            .bind(
                rows.iter()
                    .map(|r| r.event_type.as_str())
                    .collect::<Vec<_>>(),
            )
            .bind(rows.iter().map(|r| r.schema_version).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.payload.as_str()).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.hash.as_str()).collect::<Vec<_>>())
            .bind(&prepared.metadata)
            .bind(append.recorded_at())
            .bind(prepared.expected_version)
            .bind(append.expected.hash.as_deref())
            .fetch_all(executor)
            .await
    }

    async fn current_version(&self, stream: &StreamRef) -> Result<u64, StoreError> {
        let version: i64 = sqlx::query_scalar(
            "SELECT COALESCE(MAX(version), 0) FROM events WHERE stream_type = $1 AND stream_id = $2",
        )
        .bind(&stream.stream_type)
        .bind(&stream.stream_id)
        .fetch_one(&self.pool)
        .await?;
        to_u64(version)
    }

    /// The conflict to report when an append wrote nothing or lost a race.
    async fn conflict(&self, append: &Append) -> StoreError {
        match self.current_version(&append.stream).await {
            Ok(actual) if actual == append.expected.version => StoreError::Corrupt(format!(
                "the tip of {} does not have the hash the writer read",
                append.stream
            )),
            Ok(actual) => StoreError::Conflict {
                stream: append.stream.clone(),
                expected: append.expected.version,
                actual,
            },
            Err(error) => error,
        }
    }

    /// Writes the rows and the idempotency record, if any, in the transaction `tx`; the
    /// caller commits when every row was written (fewer rows mean a stale tip).
    async fn write(
        tx: &mut PgConnection,
        append: &Append,
        prepared: &Prepared,
    ) -> Result<Vec<i64>, StoreError> {
        let positions = if prepared.rows.is_empty() {
            Vec::new()
        } else {
            Self::insert(&mut *tx, append, prepared).await?
        };
        let Some(idempotency) = &append.idempotency else {
            return Ok(positions);
        };
        if positions.len() != prepared.rows.len() {
            return Ok(positions);
        }
        let version = prepared.expected_version + i64::try_from(prepared.rows.len()).unwrap_or(0);
        sqlx::query(
            "INSERT INTO command_idempotency \
             (stream_type, stream_id, idempotency_key, request_hash, version, position, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&append.stream.stream_type)
        .bind(&append.stream.stream_id)
        .bind(&idempotency.key)
        .bind(&idempotency.request_hash)
        .bind(version)
        .bind(positions.iter().max())
        .bind(append.recorded_at())
        .execute(&mut *tx)
        .await?;
        Ok(positions)
    }

    /// Commits `tx` if the append wrote every row; otherwise it rolls back when dropped.
    async fn commit_if_written(
        tx: Transaction<'_, Postgres>,
        prepared: &Prepared,
        written: Result<Vec<i64>, StoreError>,
    ) -> Result<Vec<i64>, StoreError> {
        let positions = written?;
        if positions.len() == prepared.rows.len() {
            tx.commit().await?;
        }
        Ok(positions)
    }

    /// What an append that wrote `written` committed, or the conflict that stopped it.
    async fn committed(
        &self,
        append: &Append,
        prepared: Prepared,
        written: Result<Vec<i64>, StoreError>,
    ) -> Result<Committed, StoreError> {
        let positions = match written {
            Err(StoreError::Database(error)) if StoreError::is_unique_violation(&error) => {
                return Err(self.conflict(append).await);
            }
            other => other?,
        };
        if positions.len() != prepared.rows.len() {
            return Err(self.conflict(append).await);
        }
        Ok(Committed {
            version: append.expected.version + prepared.rows.len() as u64,
            hash: prepared.last_hash,
            position: positions.into_iter().max(),
        })
    }

    /// The feed after `after`, all of it or what `filter` wants, and the feed's visible end,
    /// as one statement saw them (`read_feed.sql`).
    async fn page(
        &self,
        after: Cursor,
        limit: u32,
        filter: FeedFilter<'_>,
    ) -> Result<(Vec<RecordedEvent>, Option<Cursor>), StoreError> {
        let rows = sqlx::query(READ_FEED)
            .bind(after.transaction.to_string())
            .bind(after.position)
            .bind(i64::from(limit))
            .bind(filter.event_types)
            .bind(filter.stream_types)
            .fetch_all(&self.pool)
            .await?;
        let end = rows.first().map(visible_end).transpose()?.flatten();
        let events = rows
            .iter()
            .filter_map(|row| page_event(row).transpose())
            .collect::<Result<_, _>>()?;
        Ok((events, end))
    }
}

/// An `xid8` read as text: sqlx has no type for it.
fn transaction_id(text: &str) -> Result<u64, StoreError> {
    text.parse()
        .map_err(|_| StoreError::Corrupt(format!("transaction id {text}")))
}

/// The feed's visible end a row of `read_feed.sql` carries (the greatest cursor below the
/// oldest transaction still in flight): as its statement saw it.
fn visible_end(row: &PgRow) -> Result<Option<Cursor>, StoreError> {
    let transaction: Option<String> = row.try_get("end_transaction_text")?;
    let position: Option<i64> = row.try_get("end_position")?;
    transaction
        .zip(position)
        .map(|(transaction, position)| {
            Ok(Cursor {
                transaction: transaction_id(&transaction)?,
                position,
            })
        })
        .transpose()
}

/// The event of a `read_feed.sql` row; `None` on the one row of an empty page.
fn page_event(row: &PgRow) -> Result<Option<RecordedEvent>, StoreError> {
    let position: Option<i64> = row.try_get("position")?;
    position.map(|_| recorded(row)).transpose()
}

fn recorded(row: &PgRow) -> Result<RecordedEvent, StoreError> {
    let transaction: String = row.try_get("transaction_text")?;
    Ok(RecordedEvent {
        position: row.try_get("position")?,
        transaction: transaction_id(&transaction)?,
        event_id: row.try_get("event_id")?,
        stream: StreamRef::new(
            row.try_get::<String, _>("stream_type")?,
            row.try_get::<String, _>("stream_id")?,
        ),
        version: to_u64(row.try_get("version")?)?,
        event_type: row.try_get("event_type")?,
        schema_version: u16::try_from(row.try_get::<i32, _>("schema_version")?)
            .map_err(|_| StoreError::Corrupt("schema version out of range".into()))?,
        payload: row.try_get::<Json<StoredJson>, _>("payload")?.0,
        metadata: row.try_get::<Json<StoredJson>, _>("metadata")?.0,
        recorded_at: row.try_get("recorded_at")?,
        hash: row.try_get("hash")?,
    })
}

#[async_trait]
impl EventStore for PgEventStore {
    async fn append(&self, append: Append) -> Result<Committed, StoreError> {
        let prepared = prepare(&append)?;
        let written = if append.idempotency.is_some() {
            let mut tx = self.pool.begin().await?;
            let written = Self::write(&mut tx, &append, &prepared).await;
            Self::commit_if_written(tx, &prepared, written).await
        } else if prepared.rows.is_empty() {
            Ok(Vec::new())
        } else {
            // One statement, no transaction to open: the common case stays one round trip.
            Self::insert(&self.pool, &append, &prepared)
                .await
                .map_err(StoreError::from)
        };
        self.committed(&append, prepared, written).await
    }

    async fn append_numbered(
        &self,
        series: &NumberSeries,
        build: &(dyn Fn(u64) -> Option<Append> + Send + Sync),
    ) -> Result<Option<Committed>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let number: i64 = sqlx::query_scalar(NEXT_NUMBER)
            .bind(&series.name)
            .bind(series.year)
            .fetch_one(&mut *tx)
            .await?;
        let Some(append) = build(to_u64(number)?) else {
            return Ok(None);
        };
        let prepared = prepare(&append)?;
        let written = Self::write(&mut tx, &append, &prepared).await;
        let written = Self::commit_if_written(tx, &prepared, written).await;
        self.committed(&append, prepared, written).await.map(Some)
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
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(recorded)
            .collect()
    }

    async fn read_all(&self, after: Cursor, limit: u32) -> Result<Vec<RecordedEvent>, StoreError> {
        Ok(self.page(after, limit, FeedFilter::ALL).await?.0)
    }

    async fn read_feed(
        &self,
        after: Cursor,
        limit: u32,
        filter: FeedFilter<'_>,
    ) -> Result<FeedPage, StoreError> {
        let (events, end) = self.page(after, limit, filter).await?;
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
        let row: Option<(i64, String, i32, serde_json::Value)> = sqlx::query_as(
            "SELECT version, hash, state_version, state FROM snapshots \
             WHERE stream_type = $1 AND stream_id = $2",
        )
        .bind(&stream.stream_type)
        .bind(&stream.stream_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|(version, hash, state_version, state)| {
            Ok(Snapshot {
                stream: stream.clone(),
                version: to_u64(version)?,
                hash,
                state_version: u32::try_from(state_version).unwrap_or(0),
                state,
            })
        })
        .transpose()
    }

    async fn save_snapshot(&self, snapshot: Snapshot) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO snapshots (stream_type, stream_id, version, hash, state_version, state) \
             VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (stream_type, stream_id) DO UPDATE SET version = EXCLUDED.version, \
             hash = EXCLUDED.hash, state_version = EXCLUDED.state_version, state = EXCLUDED.state \
             WHERE snapshots.version < EXCLUDED.version",
        )
        .bind(&snapshot.stream.stream_type)
        .bind(&snapshot.stream.stream_id)
        .bind(to_i64(snapshot.version)?)
        .bind(&snapshot.hash)
        .bind(i32::try_from(snapshot.state_version).unwrap_or(i32::MAX))
        .bind(&snapshot.state)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
