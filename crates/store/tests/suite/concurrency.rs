//! The global feed under concurrent writers: a tailing reader sees every event exactly once,
//! each stream in version order, including events whose transactions commit late.

use std::{
    collections::{HashMap, HashSet},
    sync::Arc,
    time::Duration,
};

use niaga_store::{Cursor, Database, EventStore, RecordedEvent, Tip};

use super::store::{append, new_events, stream};

const WRITERS: usize = 8;
const EVENTS_PER_WRITER: usize = 2_000;

/// Reads the feed until `total` events arrived (or 60 s passed). On PostgreSQL an open
/// transaction anywhere on the server (another test's, say) holds the feed back for a while,
/// so an empty page does not mean the writers' events are all there.
async fn tail(store: Arc<dyn EventStore>, total: usize) -> Vec<RecordedEvent> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    let mut cursor = Cursor::START;
    let mut seen = Vec::with_capacity(total);
    while seen.len() < total && tokio::time::Instant::now() < deadline {
        let page = store.read_all(cursor, 500).await.unwrap();
        match page.last() {
            Some(last) => cursor = last.cursor(),
            None => tokio::time::sleep(Duration::from_millis(2)).await,
        }
        seen.extend(page);
    }
    // Anything past `total` would be a duplicate: give it the chance to show.
    seen.extend(store.read_all(cursor, 500).await.unwrap());
    seen
}

async fn a_tailing_reader_sees_every_event_once_under_eight_concurrent_writers(db: Database) {
    let store = db.event_store();
    let total = WRITERS * EVENTS_PER_WRITER;
    let reader = tokio::spawn(tail(store.clone(), total));

    let mut writers = Vec::new();
    for w in 0..WRITERS {
        let store = store.clone();
        writers.push(tokio::spawn(async move {
            // Each writer rotates over a few streams of its own, one or two events at a time.
            let streams: Vec<_> = (0..4).map(|_| stream()).collect();
            let mut tips = vec![Tip::default(); streams.len()];
            let mut written = 0;
            let mut i = 0;
            while written < EVENTS_PER_WRITER {
                let k = i % streams.len();
                let n = 1 + (i + w) % 2;
                let n = n.min(EVENTS_PER_WRITER - written);
                let c = store
                    .append(append(&streams[k], tips[k].clone(), new_events(n)))
                    .await
                    .unwrap();
                tips[k] = Tip {
                    version: c.version,
                    hash: c.hash,
                };
                written += n;
                i += 1;
            }
        }));
    }
    for writer in writers {
        writer.await.unwrap();
    }
    let seen = reader.await.unwrap();

    let ids: HashSet<_> = seen.iter().map(|e| e.event_id).collect();
    assert_eq!(ids.len(), seen.len(), "no event delivered twice");
    assert_eq!(seen.len(), total, "no event skipped");
    let mut last_version: HashMap<String, u64> = HashMap::new();
    for event in &seen {
        let last = last_version
            .entry(event.stream.stream_id.clone())
            .or_default();
        assert_eq!(
            event.version,
            *last + 1,
            "stream {} out of order",
            event.stream
        );
        *last = event.version;
    }
}

niaga_store::on_both_backends!(
    a_tailing_reader_sees_every_event_once_under_eight_concurrent_writers
);

/// PostgreSQL only: a transaction that took a lower position but commits after a later one.
#[tokio::test]
async fn postgres_feed_waits_for_an_event_that_commits_late() {
    let db = niaga_store::testing::fresh_database(niaga_store::Backend::Postgres)
        .await
        .unwrap();
    let Database::Postgres(pool) = &db else {
        unreachable!()
    };
    let store = db.event_store();

    let mut slow = pool.begin().await.unwrap();
    let late_position: i64 = sqlx::query_scalar(
        "INSERT INTO events (event_id, stream_type, stream_id, version, event_type, \
         schema_version, payload, metadata, recorded_at, hash) \
         VALUES (gen_random_uuid(), 'tally', 'late', 1, 'Added', 2, '{}', '{}', now(), 'x') \
         RETURNING position",
    )
    .fetch_one(&mut *slow)
    .await
    .unwrap();

    let s = stream();
    let early = store
        .append(append(&s, Tip::default(), new_events(1)))
        .await
        .unwrap();
    assert!(early.position.unwrap() > late_position);
    assert!(
        store.read_all(Cursor::START, 100).await.unwrap().is_empty(),
        "the committed event waits behind the open transaction"
    );

    slow.commit().await.unwrap();
    // Another test's open transaction on the server holds the feed back for a while too.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    let feed = loop {
        let feed = store.read_all(Cursor::START, 100).await.unwrap();
        if feed.len() >= 2 || tokio::time::Instant::now() > deadline {
            break feed;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    let positions: Vec<i64> = feed.iter().map(|e| e.position).collect();
    assert_eq!(positions, vec![late_position, early.position.unwrap()]);
}
