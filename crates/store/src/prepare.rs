//! Turning an [`Append`] into rows: versions and chained hashes, computed once for both back
//! ends.

use serde_json::Value;

use crate::{
    Append, StoreError,
    hash::{Hashed, chain_hash},
};

/// One event row ready to insert.
#[derive(Debug)]
pub(crate) struct Row {
    pub event_id: uuid::Uuid,
    pub version: i64,
    pub event_type: String,
    pub schema_version: i32,
    pub payload: String,
    pub hash: String,
}

/// The rows of an append and the metadata they share.
#[derive(Debug)]
pub(crate) struct Prepared {
    pub rows: Vec<Row>,
    pub metadata: String,
    pub expected_version: i64,
    pub last_hash: Option<String>,
}

pub(crate) fn prepare(append: &Append) -> Result<Prepared, StoreError> {
    let metadata: Value = serde_json::to_value(&append.metadata)?;
    let recorded_at = append.recorded_at();
    let mut previous = append.expected.hash.clone();
    let mut rows = Vec::with_capacity(append.events.len());
    for (offset, event) in (1u64..).zip(&append.events) {
        let version = append.expected.version + offset;
        let hash = chain_hash(
            previous.as_deref(),
            Hashed {
                event_id: event.event_id,
                stream: &append.stream,
                version,
                event_type: &event.event_type,
                schema_version: event.schema_version,
                payload: &event.payload,
                metadata: &metadata,
                recorded_at,
            },
        );
        rows.push(Row {
            event_id: event.event_id,
            version: to_i64(version)?,
            event_type: event.event_type.clone(),
            schema_version: i32::from(event.schema_version),
            payload: serde_json::to_string(&event.payload)?,
            hash: hash.clone(),
        });
        previous = Some(hash);
    }
    Ok(Prepared {
        rows,
        metadata: serde_json::to_string(&metadata)?,
        expected_version: to_i64(append.expected.version)?,
        last_hash: previous,
    })
}

pub(crate) fn to_i64(version: u64) -> Result<i64, StoreError> {
    i64::try_from(version)
        .map_err(|_| StoreError::Corrupt(format!("version {version} out of range")))
}

pub(crate) fn to_u64(version: i64) -> Result<u64, StoreError> {
    u64::try_from(version)
        .map_err(|_| StoreError::Corrupt(format!("version {version} out of range")))
}
