//! Recomputing hash chains: of every stream in the store (`niaga audit verify`), of a stream
//! as it stood at an instant (`GET /audit/streams/…?as_of=`), and of an export file checked
//! away from the database (`niaga audit export`, `niaga audit verify --file`).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::{
    EventStore, RecordedEvent, StoreError, StreamRef,
    hash::{Hashed, chain_hash, hashed_time, parse_hashed_time},
};

/// The first event whose stored hash is not the one its content and predecessor give.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    pub stream: StreamRef,
    pub version: u64,
    pub expected: String,
    pub found: String,
}

impl std::fmt::Display for BrokenLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "stream {} version {}: expected hash {}, found {}",
            self.stream, self.version, self.expected, self.found
        )
    }
}

/// What a verification run found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Verification {
    pub streams: u64,
    pub events: u64,
    /// The first broken link of each broken stream.
    pub broken: Vec<BrokenLink>,
}

/// Checks one stream's events (in version order, from version 1): versions must run 1, 2, 3…
/// and every hash must follow from the event and the hash before it.
pub fn verify_chain(stream: &StreamRef, events: &[RecordedEvent]) -> Option<BrokenLink> {
    let mut previous: Option<&str> = None;
    for (expected_version, event) in (1u64..).zip(events) {
        let expected = if event.version == expected_version && &event.stream == stream {
            chain_hash(
                previous,
                Hashed {
                    event_id: event.event_id,
                    stream,
                    version: event.version,
                    event_type: &event.event_type,
                    schema_version: event.schema_version,
                    payload: &event.payload.to_value(),
                    metadata: &event.metadata.to_value(),
                    recorded_at: event.recorded_at,
                },
            )
        } else {
            format!("version {expected_version}")
        };
        if expected != event.hash {
            return Some(BrokenLink {
                stream: stream.clone(),
                version: expected_version,
                expected,
                found: event.hash.clone(),
            });
        }
        previous = Some(&event.hash);
    }
    None
}

/// Recomputes the hash chain of every stream in the store.
pub async fn verify_all(store: &dyn EventStore) -> Result<Verification, StoreError> {
    let mut report = Verification::default();
    let mut after: Option<StreamRef> = None;
    loop {
        let streams = store.list_streams(after.as_ref(), 500).await?;
        let Some(last) = streams.last().cloned() else {
            return Ok(report);
        };
        for stream in streams {
            let events = store.read_stream(&stream, 0).await?;
            report.streams += 1;
            report.events += events.len() as u64;
            if let Some(broken) = verify_chain(&stream, &events) {
                report.broken.push(broken);
            }
        }
        after = Some(last);
    }
}

/// A stream's history as it stood at an instant, and how far its chain was checked.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryAt<'a> {
    /// The events recorded up to and including the instant: a prefix of the stream.
    pub events: &'a [RecordedEvent],
    /// How many events the chain check covered: the prefix, plus the first event after it
    /// when there is one (see [`history_at`]).
    pub events_checked: u64,
    /// The first broken link among the checked events.
    pub first_broken: Option<BrokenLink>,
}

/// The events of a stream (all of them, in version order) that had been recorded at `at`,
/// with the hash chain checked over them.
///
/// The history is the longest prefix of versions recorded at or before `at`, not every
/// event with an earlier time: instances with skewed clocks may record version 3 a moment
/// "before" version 2, and version 3 was decided on the state after version 2, so a history
/// with a hole in it never existed.
///
/// The check also covers the first event after the prefix. Its hash covers its recorded
/// time, and that is what proves the history really ended there: without it, someone who
/// moved an event's time past `at` would hide that event and every later one behind a
/// chain that verifies.
pub fn history_at<'a>(
    stream: &StreamRef,
    events: &'a [RecordedEvent],
    at: DateTime<Utc>,
) -> HistoryAt<'a> {
    let cut = events
        .iter()
        .position(|event| event.recorded_at > at)
        .unwrap_or(events.len());
    let checked = &events[..events.len().min(cut + 1)];
    HistoryAt {
        events: &events[..cut],
        events_checked: checked.len() as u64,
        first_broken: verify_chain(stream, checked),
    }
}

/// One event as `niaga audit export` writes it, one JSON object per line: every field the
/// hash covers, spelled as hashed, and the hash. Nothing else (not the global position,
/// which no hash covers), so everything in the file can be verified.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportedEvent {
    pub event_id: Uuid,
    pub stream_type: String,
    pub stream_id: String,
    pub version: u64,
    pub event_type: String,
    pub schema_version: u16,
    pub payload: Value,
    pub metadata: Value,
    /// As hashed: RFC 3339, UTC, six fractional digits ([`hashed_time`]).
    pub recorded_at: String,
    pub hash: String,
}

impl From<&RecordedEvent> for ExportedEvent {
    fn from(event: &RecordedEvent) -> Self {
        Self {
            event_id: event.event_id,
            stream_type: event.stream.stream_type.clone(),
            stream_id: event.stream.stream_id.clone(),
            version: event.version,
            event_type: event.event_type.clone(),
            schema_version: event.schema_version,
            payload: event.payload.to_value(),
            metadata: event.metadata.to_value(),
            recorded_at: hashed_time(event.recorded_at),
            hash: event.hash.clone(),
        }
    }
}

/// An exported line that cannot stand for a recorded event.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    #[error(
        "recorded_at {0:?} is not spelled as hashed (RFC 3339 in UTC with six fractional \
         digits, like 2026-06-01T02:00:00.000000Z)"
    )]
    RecordedAt(String),
}

impl TryFrom<ExportedEvent> for RecordedEvent {
    type Error = ExportError;

    /// The event as the store would hand it to [`verify_chain`]. The global position and
    /// transaction are not exported (no hash covers them) and come back as 0.
    fn try_from(line: ExportedEvent) -> Result<Self, Self::Error> {
        let recorded_at = parse_hashed_time(&line.recorded_at)
            .ok_or(ExportError::RecordedAt(line.recorded_at))?;
        Ok(Self {
            position: 0,
            transaction: 0,
            event_id: line.event_id,
            stream: StreamRef::new(line.stream_type, line.stream_id),
            version: line.version,
            event_type: line.event_type,
            schema_version: line.schema_version,
            payload: line.payload.into(),
            metadata: line.metadata.into(),
            recorded_at,
            hash: line.hash,
        })
    }
}

/// What checking one stream's chain found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamCheck {
    pub stream: StreamRef,
    pub events: u64,
    /// The hash of the last event: compare it with the live store's (or an earlier export's)
    /// to see that no events were cut off the end, which no chain can show by itself.
    pub last_hash: Option<String>,
    pub broken: Option<BrokenLink>,
}

/// Checks the chains of the streams the events belong to, each stream in the order its
/// events come (which must be version order from 1), streams in the order they first
/// appear. For export files, which may hold one stream or several.
pub fn check_streams(events: Vec<RecordedEvent>) -> Vec<StreamCheck> {
    let mut streams: Vec<(StreamRef, Vec<RecordedEvent>)> = Vec::new();
    let mut index: HashMap<StreamRef, usize> = HashMap::new();
    for event in events {
        match index.get(&event.stream) {
            Some(&at) => streams[at].1.push(event),
            None => {
                index.insert(event.stream.clone(), streams.len());
                streams.push((event.stream.clone(), vec![event]));
            }
        }
    }
    streams
        .into_iter()
        .map(|(stream, events)| StreamCheck {
            broken: verify_chain(&stream, &events),
            events: events.len() as u64,
            last_hash: events.last().map(|event| event.hash.clone()),
            stream,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono::{TimeDelta, TimeZone};
    use serde_json::json;

    use super::*;

    fn stream() -> StreamRef {
        StreamRef::new("customer", "c-1")
    }

    /// A chained stream whose event `n` (from 1) was recorded `n` minutes past midnight.
    fn chained(count: u64) -> Vec<RecordedEvent> {
        let stream = stream();
        let midnight = Utc.with_ymd_and_hms(2026, 3, 31, 0, 0, 0).unwrap();
        let mut previous: Option<String> = None;
        (1..=count)
            .map(|version| {
                let payload = json!({ "n": version });
                let metadata = json!({ "actor": "user:x" });
                let recorded_at = midnight + TimeDelta::minutes(version as i64);
                let event_id = Uuid::now_v7();
                let hash = chain_hash(
                    previous.as_deref(),
                    Hashed {
                        event_id,
                        stream: &stream,
                        version,
                        event_type: "Happened",
                        schema_version: 1,
                        payload: &payload,
                        metadata: &metadata,
                        recorded_at,
                    },
                );
                previous = Some(hash.clone());
                RecordedEvent {
                    position: version as i64,
                    transaction: 0,
                    event_id,
                    stream: stream.clone(),
                    version,
                    event_type: "Happened".into(),
                    schema_version: 1,
                    payload: payload.into(),
                    metadata: metadata.into(),
                    recorded_at,
                    hash,
                }
            })
            .collect()
    }

    fn minute(n: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 31, 0, 0, 0).unwrap() + TimeDelta::minutes(n)
    }

    #[test]
    fn the_history_at_an_instant_includes_an_event_recorded_at_that_instant() {
        let events = chained(3);
        let history = history_at(&stream(), &events, minute(2));
        assert_eq!(history.events.len(), 2);
        assert_eq!(
            history.events_checked, 3,
            "the next event proves where it ends"
        );
        assert_eq!(history.first_broken, None);
        assert_eq!(history_at(&stream(), &events, minute(3)).events_checked, 3);
        let before = history_at(&stream(), &events, minute(0));
        assert!(before.events.is_empty());
        assert_eq!(before.events_checked, 1);
    }

    #[test]
    fn an_event_moved_past_the_instant_does_not_hide_behind_a_verified_chain() {
        let mut events = chained(3);
        events[1].recorded_at = minute(10);
        let history = history_at(&stream(), &events, minute(5));
        assert_eq!(history.events.len(), 1);
        assert_eq!(history.first_broken.map(|b| b.version), Some(2));
    }

    #[test]
    fn a_later_version_recorded_earlier_does_not_make_a_history_with_a_hole() {
        let mut events = chained(3);
        // Clock skew between instances: version 3 says it came before version 2.
        events[2].recorded_at = minute(1);
        let history = history_at(&stream(), &events, minute(1));
        assert_eq!(history.events.len(), 1);
    }

    #[test]
    fn an_exported_stream_reads_back_and_verifies() {
        let events = chained(3);
        let lines: Vec<String> = events
            .iter()
            .map(|event| serde_json::to_string(&ExportedEvent::from(event)).unwrap())
            .collect();
        assert!(lines[0].contains(r#""recorded_at":"2026-03-31T00:01:00.000000Z""#));
        let read: Vec<RecordedEvent> = lines
            .iter()
            .map(|line| {
                let exported: ExportedEvent = serde_json::from_str(line).unwrap();
                RecordedEvent::try_from(exported).unwrap()
            })
            .collect();
        let checks = check_streams(read);
        assert_eq!(checks.len(), 1);
        assert_eq!(checks[0].events, 3);
        assert_eq!(checks[0].broken, None);
        assert_eq!(
            checks[0].last_hash.as_deref(),
            Some(events[2].hash.as_str())
        );
    }

    #[test]
    fn an_edited_export_breaks_at_the_edited_version() {
        let mut exported: Vec<ExportedEvent> = chained(3).iter().map(ExportedEvent::from).collect();
        exported[1].payload = json!({ "n": 20 });
        let read = exported
            .into_iter()
            .map(|line| RecordedEvent::try_from(line).unwrap())
            .collect();
        let checks = check_streams(read);
        assert_eq!(checks[0].broken.as_ref().map(|b| b.version), Some(2));
    }

    #[test]
    fn an_export_with_another_spelling_of_the_time_is_refused() {
        let mut line = ExportedEvent::from(&chained(1)[0]);
        line.recorded_at = "2026-03-31T08:01:00+08:00".into();
        assert!(matches!(
            RecordedEvent::try_from(line),
            Err(ExportError::RecordedAt(_))
        ));
    }

    #[test]
    fn streams_are_checked_apart_in_the_order_they_appear() {
        let mut other = chained(2);
        for event in &mut other {
            event.stream = StreamRef::new("customer", "c-2");
        }
        let mut mixed = chained(2);
        mixed.insert(1, other[0].clone());
        mixed.push(other[1].clone());
        let checks = check_streams(mixed);
        assert_eq!(checks.len(), 2);
        assert_eq!(checks[0].stream, stream());
        assert_eq!(checks[0].broken, None);
        // Hashed as c-1's events: under c-2 they do not verify.
        assert_eq!(checks[1].broken.as_ref().map(|b| b.version), Some(1));
    }
}
