//! The per-stream hash chain that makes stored history tamper-evident.
//!
//! Each event's hash is SHA-256 over the RFC 8785 canonical JSON of its fields and the hash
//! of the stream's previous event. Changing any stored field (payload, metadata, time, type,
//! version) or reordering, removing or inserting events breaks the chain from that event on.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::StreamRef;

/// The fields of an event that its hash covers.
#[derive(Debug, Clone, Copy)]
pub struct Hashed<'a> {
    pub event_id: Uuid,
    pub stream: &'a StreamRef,
    pub version: u64,
    pub event_type: &'a str,
    pub schema_version: u16,
    pub payload: &'a Value,
    pub metadata: &'a Value,
    pub recorded_at: DateTime<Utc>,
}

/// The hash of an event given the hash of the event before it in its stream.
pub fn chain_hash(previous: Option<&str>, event: Hashed<'_>) -> String {
    let document = json!({
        "previous": previous.unwrap_or(""),
        "event_id": event.event_id,
        "stream_type": event.stream.stream_type,
        "stream_id": event.stream.stream_id,
        "version": event.version,
        "event_type": event.event_type,
        "schema_version": event.schema_version,
        "payload": event.payload,
        "metadata": event.metadata,
        "recorded_at": event.recorded_at.to_rfc3339_opts(SecondsFormat::Micros, true),
    });
    // Canonicalising a serde_json::Value cannot fail: it holds no non-finite numbers.
    let canonical = serde_json_canonicalizer::to_vec(&document).unwrap_or_default();
    hex::encode(Sha256::digest(&canonical))
}
