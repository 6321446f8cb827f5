//! An event as the feed shows it: the stored event with the metadata cut down to what an
//! integrator may see.

use chrono::{DateTime, Utc};
use niaga_store::{RecordedEvent, StoredJson};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::{ApiError, Result};

/// One event of the global feed. The payload is the one stored, in the shape its
/// `schema_version` names: Niaga upcasts old shapes in its own readers only.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "019a0c6e-8d7b-7c3e-9f2a-5b1d2e3f4a5b",
    "position": 1042,
    "stream_type": "customer",
    "stream_id": "019a0c6e-8d7a-7b10-a1b2-c3d4e5f60718",
    "version": 3,
    "type": "ContactAdded",
    "schema_version": 1,
    "payload": {"contact_id": "019a0c6e-8d7b-7c3e-9f2a-000000000001", "name": "Siti Aminah"},
    "metadata": {"actor": "user:019a0c6e-0000-7000-8000-000000000001",
                 "correlation_id": "019a0c6e-8d79-7000-8000-0000000000aa",
                 "causation_id": null},
    "recorded_at": "2026-11-25T04:36:01.123456Z",
    "hash": "9f2c4e…"
}))]
pub(crate) struct FeedEvent {
    /// The event's own id: the same event delivered twice has the same id, so de-duplicate
    /// on it.
    id: Uuid,
    /// Unique, and increasing within one stream. Not the feed's order on PostgreSQL (events
    /// commit in another order than they take positions): follow the cursor, not this.
    position: i64,
    /// The kind of record (`customer`, `invoice`, …).
    stream_type: String,
    /// The record's id.
    stream_id: String,
    /// The record's version after this event: 1, 2, 3, … without gaps.
    version: u64,
    /// The event type (`CustomerRegistered`).
    #[serde(rename = "type")]
    event_type: String,
    /// The version of the payload's shape for this type; it goes up when the shape changes.
    schema_version: u16,
    /// The event's data, as written.
    #[schema(value_type = Object)]
    payload: StoredJson,
    metadata: FeedEventMetadata,
    /// When it was recorded (UTC, microseconds).
    recorded_at: DateTime<Utc>,
    /// The event's link in its stream's hash chain (SHA-256, hex): `niaga audit verify`
    /// recomputes it.
    hash: String,
}

/// Who caused an event and why. An allow-list of the stored metadata: the client address
/// (personal data) and the idempotency key (a client's secret-ish token) are never shown,
/// and fields added to the metadata later stay hidden until added here.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub(crate) struct FeedEventMetadata {
    /// `user:<id>` for staff, `system:<job>` for Niaga's own jobs.
    actor: String,
    /// The request (or job run) that caused it: every event of one request shares it.
    correlation_id: Uuid,
    /// The event or command this one follows from; `null` when a person caused it directly.
    #[serde(default)]
    causation_id: Option<Uuid>,
}

impl TryFrom<RecordedEvent> for FeedEvent {
    type Error = ApiError;

    fn try_from(event: RecordedEvent) -> Result<Self> {
        // Unknown fields are ignored here: that is how the allow-list drops the others.
        let metadata = event.metadata.decode().map_err(|error| {
            ApiError::internal(anyhow::anyhow!(
                "metadata of event {} does not parse: {error}",
                event.event_id
            ))
        })?;
        Ok(Self {
            id: event.event_id,
            position: event.position,
            stream_type: event.stream.stream_type,
            stream_id: event.stream.stream_id,
            version: event.version,
            event_type: event.event_type,
            schema_version: event.schema_version,
            payload: event.payload,
            metadata,
            recorded_at: event.recorded_at,
            hash: event.hash,
        })
    }
}

#[cfg(test)]
mod tests {
    use niaga_store::StreamRef;
    use serde_json::json;

    use super::*;

    #[test]
    fn only_allowed_metadata_is_shown() {
        let correlation = Uuid::now_v7();
        let event = RecordedEvent {
            position: 7,
            transaction: 0,
            event_id: Uuid::now_v7(),
            stream: StreamRef::new("customer", "c1"),
            version: 1,
            event_type: "CustomerRegistered".into(),
            schema_version: 2,
            payload: json!({"name": "Acme"}).into(),
            metadata: json!({
                "actor": "user:u1",
                "correlation_id": correlation,
                "idempotency_key": "secret-ish",
                "client_address": "10.1.2.3",
                "added_later": true,
            })
            .into(),
            recorded_at: Utc::now(),
            hash: "ab".into(),
        };
        let shown = serde_json::to_value(FeedEvent::try_from(event).ok()).ok();
        let shown = shown.unwrap_or_default();
        assert_eq!(
            shown["metadata"],
            json!({"actor": "user:u1", "correlation_id": correlation, "causation_id": null})
        );
        assert_eq!(shown["type"], "CustomerRegistered");
        assert_eq!(shown["payload"], json!({"name": "Acme"}));
    }
}
