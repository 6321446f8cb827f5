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
        "recorded_at": hashed_time(event.recorded_at),
    });
    // Canonicalising a serde_json::Value cannot fail: it holds no non-finite numbers.
    let canonical = serde_json_canonicalizer::to_vec(&document).unwrap_or_default();
    hex::encode(Sha256::digest(&canonical))
}

/// The recorded time as the hash covers it: RFC 3339 in UTC with exactly six fractional
/// digits (`2026-06-01T02:00:00.000000Z`). Exports carry this very string, so an auditor
/// can recompute a hash from the exported text alone.
pub fn hashed_time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Reads a time written by [`hashed_time`]; `None` for any other spelling, even of the same
/// instant. Strict on purpose: a hash is over text, and a looser reading (nanoseconds cut
/// off, `+00:00` for `Z`) would let two different texts verify as one.
pub fn parse_hashed_time(text: &str) -> Option<DateTime<Utc>> {
    let at = DateTime::parse_from_rfc3339(text).ok()?.with_timezone(&Utc);
    (hashed_time(at) == text).then_some(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hashed_time_reads_back_only_in_its_own_spelling() {
        let text = "2026-06-01T02:00:00.123456Z";
        let at = parse_hashed_time(text).expect("the hashed spelling");
        assert_eq!(hashed_time(at), text);
        for other in [
            "2026-06-01T02:00:00.123456+00:00",
            "2026-06-01T10:00:00.123456+08:00",
            "2026-06-01T02:00:00.1234567Z",
            "2026-06-01T02:00:00Z",
            "yesterday",
        ] {
            assert_eq!(parse_hashed_time(other), None, "{other}");
        }
    }
}
