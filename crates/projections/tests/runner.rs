//! The projector runner's promise, tested against real databases: a projector killed in the
//! middle of a batch, while writers keep appending, then started again, applies every event
//! exactly once and in order. The read model here records each event's position under a
//! primary key, so an event applied twice fails the batch, and one skipped is missing.
#![allow(clippy::unwrap_used)]

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use async_trait::async_trait;
use chrono::Utc;
use niaga_projections::{Projection, ProjectionError, ReadTx, checkpoint, on_tx, runner};
use niaga_store::{
    Append, Cursor, Database, EventStore, Metadata, NewEvent, RecordedEvent, StreamRef, Tip,
    on_reader, on_writer,
};
use tokio::sync::Notify;
use uuid::Uuid;

const NAME: &str = "test_applied_events";

/// Records the position of every event it applies; counts applications, committed or not.
#[derive(Debug, Default)]
struct Ledger {
    applied: AtomicU64,
}

#[async_trait]
impl Projection for Ledger {
    fn name(&self) -> &'static str {
        NAME
    }

    fn tables(&self) -> &'static [&'static str] {
        &["test_applied_events"]
    }

    fn stream_types(&self) -> &'static [&'static str] {
        &["tally"]
    }

    async fn apply(&self, tx: &mut ReadTx, event: &RecordedEvent) -> Result<(), ProjectionError> {
        // Slow enough that a batch of 500 is in flight for a while, to be killed in.
        tokio::time::sleep(Duration::from_micros(500)).await;
        on_tx!(tx, conn => sqlx::query("INSERT INTO test_applied_events (position) VALUES ($1)")
            .bind(event.position)
            .execute(conn)
            .await
            .map(drop))?;
        self.applied.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

async fn rows(db: &Database) -> Vec<i64> {
    on_reader!(db, pool => sqlx::query_scalar("SELECT position FROM test_applied_events ORDER BY position")
        .fetch_all(pool)
        .await)
    .unwrap()
}

/// Appends `count` events in appends of ten to new tally streams.
async fn write(store: Arc<dyn EventStore>, count: usize) {
    write_to(store, "tally", count).await;
}

/// Appends `count` events in appends of ten to new streams of `stream_type`.
async fn write_to(store: Arc<dyn EventStore>, stream_type: &str, count: usize) {
    for _ in 0..count / 10 {
        let events = (0..10)
            .map(|i| NewEvent {
                event_id: Uuid::now_v7(),
                event_type: "Counted".into(),
                schema_version: 1,
                payload: serde_json::json!({ "i": i }),
            })
            .collect();
        store
            .append(Append {
                stream: StreamRef::new(stream_type, Uuid::now_v7().to_string()),
                expected: Tip::default(),
                events,
                metadata: Metadata::default(),
                recorded_at: Utc::now(),
                idempotency: None,
            })
            .await
            .unwrap();
    }
}

/// The position of every event in the feed, once `total` are visible (on PostgreSQL other
/// tests' open transactions hold the visible end back for a while).
async fn visible_positions(store: &dyn EventStore, total: usize) -> Vec<i64> {
    niaga_store::testing::visible(store, total)
        .await
        .iter()
        .map(|e| e.position)
        .collect()
}

async fn every_position(store: &dyn EventStore) -> Vec<i64> {
    let mut positions = Vec::new();
    let mut cursor = Cursor::START;
    loop {
        let batch = store.read_all(cursor, 1000).await.unwrap();
        let Some(last) = batch.last() else {
            return positions;
        };
        cursor = last.cursor();
        positions.extend(batch.iter().map(|e| e.position));
    }
}

async fn killed_mid_batch_and_restarted_it_applies_each_event_once(db: Database) {
    on_writer!(&db, pool => sqlx::query(
        "CREATE TABLE test_applied_events (position BIGINT NOT NULL PRIMARY KEY)",
    )
    .execute(pool)
    .await
    .map(drop))
    .unwrap();
    let store = db.event_store();
    write(store.clone(), 1500).await;
    let wake = Arc::new(Notify::new());
    // Four writers keep appending while the projector runs, is killed and runs again.
    let writers: Vec<_> = (0..4)
        .map(|_| tokio::spawn(write(store.clone(), 400)))
        .collect();

    let ledger = Arc::new(Ledger::default());
    let first = tokio::spawn(runner::run(
        ledger.clone(),
        db.clone(),
        store.clone(),
        wake.clone(),
    ));
    // Kill it while a batch is applied but not committed: more applications than rows.
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        let committed = rows(&db).await.len() as u64;
        let applied = ledger.applied.load(Ordering::SeqCst);
        if committed > 0 && applied > committed + 50 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no batch in flight seen"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    first.abort();
    let _ = first.await;
    let at_kill = rows(&db).await;
    let checkpoint = checkpoint::load(&db, NAME).await.unwrap();
    assert!(
        ledger.applied.load(Ordering::SeqCst) > at_kill.len() as u64,
        "the kill landed mid-batch"
    );
    // What was committed is exactly what the checkpoint covers, in feed order (on PostgreSQL
    // by transaction, then position): the batch in flight is gone.
    let feed = every_position(store.as_ref()).await;
    let upto = feed
        .iter()
        .position(|p| *p == checkpoint.position)
        .map_or(0, |i| i + 1);
    let mut covered = feed[..upto].to_vec();
    covered.sort_unstable();
    assert!(
        at_kill == covered,
        "{} rows, {} covered",
        at_kill.len(),
        covered.len()
    );

    let again = Arc::new(Ledger::default());
    let second = tokio::spawn(runner::run(again, db.clone(), store.clone(), wake.clone()));
    for writer in writers {
        writer.await.unwrap();
    }
    let mut all = visible_positions(store.as_ref(), 3100).await;
    let last = *all.last().unwrap();
    all.sort_unstable();
    wake.notify_waiters();
    runner::wait_for(&db, NAME, last, Duration::from_secs(60))
        .await
        .unwrap();
    second.abort();
    let applied = rows(&db).await;
    assert!(
        applied == all,
        "{} applied of {}: every event once, none skipped",
        applied.len(),
        all.len()
    );
    let status = checkpoint::all(&db).await.unwrap();
    let ours = status.iter().find(|c| c.projection == NAME).unwrap();
    assert_eq!(ours.last_error, None);
}

/// A projector applies only its aggregates' events, yet its checkpoint moves past the others:
/// a request waiting to read its own write (`?min_position=`) is not kept waiting by a read
/// model the write does not concern.
async fn other_aggregates_events_are_passed_over_not_waited_for(db: Database) {
    on_writer!(&db, pool => sqlx::query(
        "CREATE TABLE test_applied_events (position BIGINT NOT NULL PRIMARY KEY)",
    )
    .execute(pool)
    .await
    .map(drop))
    .unwrap();
    let store = db.event_store();
    write(store.clone(), 20).await;
    write_to(store.clone(), "other", 30).await;
    let feed = visible_positions(store.as_ref(), 50).await;
    let last = *feed.last().unwrap();

    let ledger = Ledger::default();
    let applied = runner::catch_up(&ledger, &db, store.as_ref())
        .await
        .unwrap();
    assert_eq!(applied, 20, "only the tally events");
    assert_eq!(rows(&db).await, feed[..20].to_vec());
    // Generous: on PostgreSQL the feed's visible end waits out every open transaction of
    // the server, other tests' too, and a loaded machine keeps some open for seconds.
    runner::wait_for(&db, NAME, last, Duration::from_secs(30))
        .await
        .expect("the checkpoint reached the last event of another aggregate");
    assert_eq!(
        runner::catch_up(&ledger, &db, store.as_ref())
            .await
            .unwrap(),
        0,
        "nothing is applied twice"
    );
}

niaga_store::on_both_backends!(
    killed_mid_batch_and_restarted_it_applies_each_event_once,
    other_aggregates_events_are_passed_over_not_waited_for,
);
