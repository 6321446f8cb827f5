//! Append and read: versions, conflicts, the global feed, migrations.

use chrono::{TimeZone, Utc};
use niaga_store::{Append, Cursor, Database, Metadata, NewEvent, StoreError, StreamRef, Tip};
use serde_json::json;
use uuid::Uuid;

pub fn new_events(n: usize) -> Vec<NewEvent> {
    (0..n)
        .map(|i| NewEvent {
            event_id: Uuid::now_v7(),
            event_type: "Added".into(),
            schema_version: 2,
            payload: json!({ "amount": i, "note": "café ünïcode / \"quoted\"" }),
        })
        .collect()
}

pub fn append(stream: &StreamRef, expected: Tip, events: Vec<NewEvent>) -> Append {
    Append {
        stream: stream.clone(),
        expected,
        events,
        metadata: Metadata {
            actor: "user:test".into(),
            correlation_id: Uuid::now_v7(),
            causation_id: None,
            idempotency_key: None,
            client_address: Some("127.0.0.1".into()),
        },
        // Nanoseconds on purpose: the store keeps microseconds, and hashes what it keeps.
        recorded_at: Utc.timestamp_nanos(1_780_000_000_123_456_789),
        idempotency: None,
    }
}

pub fn stream() -> StreamRef {
    StreamRef::new("tally", Uuid::now_v7().to_string())
}

async fn appending_then_reading_a_stream_returns_every_field(db: Database) {
    let store = db.event_store();
    let s = stream();
    let events = new_events(3);
    let committed = store
        .append(append(&s, Tip::default(), events.clone()))
        .await
        .unwrap();
    assert_eq!(committed.version, 3);
    assert!(committed.position.is_some());

    let read = store.read_stream(&s, 0).await.unwrap();
    assert_eq!(read.len(), 3);
    for (i, (stored, sent)) in read.iter().zip(&events).enumerate() {
        assert_eq!(stored.version, i as u64 + 1);
        assert_eq!(stored.event_id, sent.event_id);
        assert_eq!(stored.payload, sent.payload);
        assert_eq!(stored.schema_version, 2);
        assert_eq!(stored.metadata.to_value()["client_address"], "127.0.0.1");
        assert_eq!(
            stored.recorded_at,
            Utc.timestamp_nanos(1_780_000_000_123_456_000)
        );
    }
    assert_eq!(read.last().map(|e| e.hash.clone()), committed.hash);
    assert_eq!(store.read_stream(&s, 2).await.unwrap().len(), 1);
}

async fn appending_at_a_stale_version_is_a_conflict_naming_both_versions(db: Database) {
    let store = db.event_store();
    let s = stream();
    let first = store
        .append(append(&s, Tip::default(), new_events(2)))
        .await
        .unwrap();

    let behind = store
        .append(append(&s, Tip::default(), new_events(1)))
        .await;
    assert!(
        matches!(
            behind,
            Err(StoreError::Conflict {
                expected: 0,
                actual: 2,
                ..
            })
        ),
        "{behind:?}"
    );

    let ahead = Tip {
        version: 5,
        hash: first.hash.clone(),
    };
    let ahead = store.append(append(&s, ahead, new_events(1))).await;
    assert!(
        matches!(
            ahead,
            Err(StoreError::Conflict {
                expected: 5,
                actual: 2,
                ..
            })
        ),
        "{ahead:?}"
    );

    let current = Tip {
        version: 2,
        hash: first.hash,
    };
    let next = store
        .append(append(&s, current, new_events(1)))
        .await
        .unwrap();
    assert_eq!(next.version, 3);
    assert_eq!(store.read_stream(&s, 0).await.unwrap().len(), 3);
}

async fn a_tip_with_another_hash_is_refused(db: Database) {
    let store = db.event_store();
    let s = stream();
    store
        .append(append(&s, Tip::default(), new_events(1)))
        .await
        .unwrap();
    let forged = Tip {
        version: 1,
        hash: Some("0".repeat(64)),
    };
    let result = store.append(append(&s, forged, new_events(1))).await;
    assert!(matches!(result, Err(StoreError::Corrupt(_))), "{result:?}");
    assert_eq!(store.read_stream(&s, 0).await.unwrap().len(), 1);
}

async fn the_global_feed_pages_through_every_event_once_in_order(db: Database) {
    let store = db.event_store();
    let (a, b) = (stream(), stream());
    let mut tip_a = Tip::default();
    let mut tip_b = Tip::default();
    for _ in 0..5 {
        let c = store
            .append(append(&a, tip_a.clone(), new_events(2)))
            .await
            .unwrap();
        tip_a = Tip {
            version: c.version,
            hash: c.hash,
        };
        let c = store
            .append(append(&b, tip_b.clone(), new_events(1)))
            .await
            .unwrap();
        tip_b = Tip {
            version: c.version,
            hash: c.hash,
        };
    }
    // Until all 15 came, not until the first empty page: on PostgreSQL another session's
    // open transaction (another test's) holds the feed back for a while.
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(60);
    let mut cursor = Cursor::START;
    let mut seen = Vec::new();
    while seen.len() < 15 && tokio::time::Instant::now() < deadline {
        let page = store.read_all(cursor, 4).await.unwrap();
        match page.last() {
            Some(last) => cursor = last.cursor(),
            None => tokio::time::sleep(std::time::Duration::from_millis(2)).await,
        }
        seen.extend(page);
    }
    // Anything more would be a duplicate: give it the chance to show.
    seen.extend(store.read_all(cursor, 4).await.unwrap());
    assert_eq!(seen.len(), 15);
    let positions: Vec<i64> = seen.iter().map(|e| e.position).collect();
    let mut sorted = positions.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(
        positions, sorted,
        "positions strictly increase along the feed"
    );
    let versions_of_a: Vec<u64> = seen
        .iter()
        .filter(|e| e.stream == a)
        .map(|e| e.version)
        .collect();
    assert_eq!(versions_of_a, (1..=10).collect::<Vec<_>>());
}

async fn migrations_run_again_change_nothing(db: Database) {
    db.migrate().await.unwrap();
    db.migrate().await.unwrap();
    assert!(db.is_ready().await);
}

async fn a_batch_is_written_all_or_nothing(db: Database) {
    let store = db.event_store();
    let s = stream();
    store
        .append(append(&s, Tip::default(), new_events(1)))
        .await
        .unwrap();
    // A batch at a stale tip whose second event would also collide: nothing of it lands.
    let result = store
        .append(append(&s, Tip::default(), new_events(3)))
        .await;
    assert!(
        matches!(
            result,
            Err(StoreError::Conflict {
                expected: 0,
                actual: 1,
                ..
            })
        ),
        "{result:?}"
    );
    assert_eq!(store.read_stream(&s, 0).await.unwrap().len(), 1);
}

niaga_store::on_both_backends!(
    appending_then_reading_a_stream_returns_every_field,
    appending_at_a_stale_version_is_a_conflict_naming_both_versions,
    a_tip_with_another_hash_is_refused,
    the_global_feed_pages_through_every_event_once_in_order,
    migrations_run_again_change_nothing,
    a_batch_is_written_all_or_nothing,
);
