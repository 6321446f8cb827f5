//! Recomputing every hash chain: what `niaga audit verify` runs.

use crate::{
    EventStore, RecordedEvent, StoreError, StreamRef,
    hash::{Hashed, chain_hash},
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
                    payload: &event.payload,
                    metadata: &event.metadata,
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
