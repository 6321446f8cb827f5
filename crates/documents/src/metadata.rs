//! The `documents` table: one row per stored document version.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use niaga_store::{Database, on_reader, on_writer};
use serde::Serialize;

use crate::{DocumentError, DocumentKey};

/// What is known of a stored document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredDocument {
    pub key: DocumentKey,
    pub kind: String,
    pub document_id: String,
    pub version: u64,
    pub media_type: String,
    pub size_bytes: u64,
    /// Lowercase hex: the object's key in the store.
    pub sha256: String,
    pub stored_at: DateTime<Utc>,
    pub retention_until: NaiveDate,
    pub legal_hold: bool,
}

type Row = (
    String,
    String,
    String,
    i64,
    String,
    i64,
    String,
    String,
    String,
    bool,
);

const SELECT: &str = "SELECT document_key, kind, document_id, version, media_type, size_bytes, \
     sha256, stored_at, retention_until, legal_hold FROM documents";

fn from_row(row: Row) -> Result<StoredDocument, DocumentError> {
    let (key, kind, document_id, version, media_type, size, sha256, stored_at, until, hold) = row;
    let corrupt = |what: &str| DocumentError::Corrupt(format!("document {key}: {what}"));
    Ok(StoredDocument {
        key: key.parse().map_err(|_| corrupt("key"))?,
        kind,
        document_id,
        version: u64::try_from(version).map_err(|_| corrupt("version"))?,
        media_type,
        size_bytes: u64::try_from(size).map_err(|_| corrupt("size"))?,
        sha256,
        stored_at: DateTime::parse_from_rfc3339(&stored_at)
            .map_err(|_| corrupt("stored_at"))?
            .with_timezone(&Utc),
        retention_until: until.parse().map_err(|_| corrupt("retention_until"))?,
        legal_hold: hold,
    })
}

pub(crate) async fn insert(db: &Database, d: &StoredDocument) -> Result<(), DocumentError> {
    write(db, d, "").await
}

/// Inserts the row unless one with its key is there already (whose it is, the caller reads).
pub(crate) async fn insert_once(db: &Database, d: &StoredDocument) -> Result<(), DocumentError> {
    write(db, d, " ON CONFLICT (document_key) DO NOTHING").await
}

async fn write(db: &Database, d: &StoredDocument, on_conflict: &str) -> Result<(), DocumentError> {
    let version = i64::try_from(d.version)
        .map_err(|_| DocumentError::Corrupt(format!("version {} too large", d.version)))?;
    let size = i64::try_from(d.size_bytes)
        .map_err(|_| DocumentError::Corrupt(format!("size {} too large", d.size_bytes)))?;
    let stored_at = d.stored_at.to_rfc3339_opts(SecondsFormat::Micros, true);
    let until = d.retention_until.format("%Y-%m-%d").to_string();
    let sql = format!(
        "INSERT INTO documents (document_key, kind, document_id, version, media_type, \
         size_bytes, sha256, stored_at, retention_until, legal_hold) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10){on_conflict}"
    );
    on_writer!(db, pool => sqlx::query(&sql)
    .bind(d.key.to_string())
    .bind(&d.kind)
    .bind(&d.document_id)
    .bind(version)
    .bind(&d.media_type)
    .bind(size)
    .bind(&d.sha256)
    .bind(&stored_at)
    .bind(&until)
    .bind(d.legal_hold)
    .execute(pool)
    .await
    .map(drop))?;
    Ok(())
}

pub(crate) async fn find(
    db: &Database,
    key: DocumentKey,
) -> Result<Option<StoredDocument>, DocumentError> {
    let sql = format!("{SELECT} WHERE document_key = $1");
    let key = key.to_string();
    let row: Option<Row> =
        on_reader!(db, pool => sqlx::query_as(&sql).bind(&key).fetch_optional(pool).await)?;
    row.map(from_row).transpose()
}

pub(crate) async fn for_document(
    db: &Database,
    kind: &str,
    document_id: &str,
) -> Result<Vec<StoredDocument>, DocumentError> {
    let sql =
        format!("{SELECT} WHERE kind = $1 AND document_id = $2 ORDER BY version, document_key");
    let rows: Vec<Row> = on_reader!(db, pool => sqlx::query_as(&sql)
        .bind(kind)
        .bind(document_id)
        .fetch_all(pool)
        .await)?;
    rows.into_iter().map(from_row).collect()
}

pub(crate) async fn of_kind(
    db: &Database,
    kind: &str,
) -> Result<Vec<StoredDocument>, DocumentError> {
    let sql = format!("{SELECT} WHERE kind = $1 ORDER BY document_key");
    let rows: Vec<Row> =
        on_reader!(db, pool => sqlx::query_as(&sql).bind(kind).fetch_all(pool).await)?;
    rows.into_iter().map(from_row).collect()
}

/// The rows after `after` in key order, at most `limit`.
pub(crate) async fn page(
    db: &Database,
    after: Option<DocumentKey>,
    limit: i64,
) -> Result<Vec<StoredDocument>, DocumentError> {
    let sql = format!("{SELECT} WHERE document_key > $1 ORDER BY document_key LIMIT $2");
    let after = after.map(|k| k.to_string()).unwrap_or_default();
    let rows: Vec<Row> = on_reader!(db, pool => sqlx::query_as(&sql)
        .bind(&after)
        .bind(limit)
        .fetch_all(pool)
        .await)?;
    rows.into_iter().map(from_row).collect()
}

pub(crate) async fn set_legal_hold(
    db: &Database,
    key: DocumentKey,
    hold: bool,
) -> Result<bool, DocumentError> {
    let key = key.to_string();
    let done = on_writer!(db, pool => sqlx::query(
        "UPDATE documents SET legal_hold = $2 WHERE document_key = $1",
    )
    .bind(&key)
    .bind(hold)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done > 0)
}

/// Deletes the row unless a legal hold is on it; whether it was deleted.
pub(crate) async fn delete(db: &Database, key: DocumentKey) -> Result<bool, DocumentError> {
    let key = key.to_string();
    // The conditions again in the statement: a hold put on between the check and here
    // still wins.
    let deleted = on_writer!(db, pool => sqlx::query(
        "DELETE FROM documents WHERE document_key = $1 AND NOT legal_hold",
    )
    .bind(&key)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(deleted > 0)
}

pub(crate) async fn count_with_sha256(db: &Database, sha256: &str) -> Result<i64, DocumentError> {
    let count: i64 = on_reader!(db, pool => sqlx::query_scalar(
        "SELECT COUNT(*) FROM documents WHERE sha256 = $1",
    )
    .bind(sha256)
    .fetch_one(pool)
    .await)?;
    Ok(count)
}
