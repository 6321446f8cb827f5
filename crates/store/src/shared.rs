//! Store operations whose SQL and types are the same on both databases, written once.

use crate::{Database, IdempotencyRecord, StoreError, StreamRef, on_reader, prepare::to_u64};

/// Takes the next number of a series (`$1` name, `$2` year), returning it; the row stays
/// locked until the transaction ends, so concurrent takers queue and a rollback gives the
/// number back.
pub(crate) const NEXT_NUMBER: &str = "INSERT INTO number_series (series, year, last_number) \
     VALUES ($1, $2, 1) ON CONFLICT (series, year) \
     DO UPDATE SET last_number = number_series.last_number + 1 RETURNING last_number";

pub(crate) async fn find_idempotency(
    db: &Database,
    stream_type: &str,
    key: &str,
) -> Result<Option<IdempotencyRecord>, StoreError> {
    let row: Option<(String, String, i64, Option<i64>)> = on_reader!(db, pool => sqlx::query_as(
        "SELECT stream_id, request_hash, version, position FROM command_idempotency \
         WHERE stream_type = $1 AND idempotency_key = $2",
    )
    .bind(stream_type)
    .bind(key)
    .fetch_optional(pool)
    .await)?;
    row.map(|(stream_id, request_hash, version, position)| {
        Ok(IdempotencyRecord {
            stream_id,
            request_hash,
            version: to_u64(version)?,
            position,
        })
    })
    .transpose()
}

pub(crate) async fn list_streams(
    db: &Database,
    after: Option<&StreamRef>,
    limit: u32,
) -> Result<Vec<StreamRef>, StoreError> {
    let (after_type, after_id) = after
        .map(|s| (s.stream_type.as_str(), s.stream_id.as_str()))
        .unwrap_or(("", ""));
    let rows: Vec<(String, String)> = on_reader!(db, pool => sqlx::query_as(
        "SELECT DISTINCT stream_type, stream_id FROM events \
         WHERE (stream_type, stream_id) > ($1, $2) \
         ORDER BY stream_type, stream_id LIMIT $3",
    )
    .bind(after_type)
    .bind(after_id)
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await)?;
    Ok(rows
        .into_iter()
        .map(|(t, i)| StreamRef::new(t, i))
        .collect())
}
