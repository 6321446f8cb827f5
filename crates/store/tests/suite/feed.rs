//! The global feed filtered by event type (`EventStore::read_feed`): the filter runs in the
//! database, pages count matching events, the cursor moves past events of other types only
//! where nothing of the wanted types can still appear, and late commits are never skipped.

use std::{sync::Arc, time::Duration};

use niaga_store::{
    Cursor, Database, EventStore, FeedFilter, NewEvent, RecordedEvent, StreamRef, Tip,
};
use serde_json::json;
use uuid::Uuid;

use niaga_store::testing::visible;

use super::store::{append, stream};

fn typed(event_type: &str) -> NewEvent {
    NewEvent {
        event_id: Uuid::now_v7(),
        event_type: event_type.into(),
        schema_version: 1,
        payload: json!({ "type": event_type }),
    }
}

fn types(names: &[&str]) -> Vec<String> {
    names.iter().map(|&name| name.to_owned()).collect()
}

/// Appends one event of each type in `sequence` to `stream`, in order, one append each.
async fn write(store: &dyn EventStore, stream: &StreamRef, tip: &mut Tip, sequence: &[&str]) {
    for event_type in sequence {
        let c = store
            .append(append(stream, tip.clone(), vec![typed(event_type)]))
            .await
            .unwrap();
        *tip = Tip {
            version: c.version,
            hash: c.hash,
        };
    }
}

/// Two streams writing A, B and C interleaved: 18 events, 6 of each type.
async fn interleaved(store: &Arc<dyn EventStore>) -> Vec<RecordedEvent> {
    let (s, t) = (stream(), stream());
    let (mut tip_s, mut tip_t) = (Tip::default(), Tip::default());
    for _ in 0..3 {
        write(store.as_ref(), &s, &mut tip_s, &["A", "B", "C"]).await;
        write(store.as_ref(), &t, &mut tip_t, &["C", "B", "A"]).await;
    }
    visible(store.as_ref(), 18).await
}

async fn paging_a_filtered_feed_yields_exactly_its_types_in_feed_order(db: Database) {
    let store = db.event_store();
    let all = interleaved(&store).await;
    let wanted = types(&["A", "C"]);

    let mut cursor = Cursor::START;
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let page = store
            .read_feed(cursor, 5, FeedFilter::event_types(Some(&wanted)))
            .await
            .unwrap();
        assert!(page.next >= cursor, "the cursor never goes back");
        assert!(page.events.len() <= 5);
        cursor = page.next;
        pages += 1;
        if page.events.is_empty() {
            break;
        }
        seen.extend(page.events);
    }
    let expected: Vec<_> = all
        .iter()
        .filter(|e| wanted.contains(&e.event_type))
        .map(|e| e.event_id)
        .collect();
    assert_eq!(expected.len(), 12);
    assert_eq!(
        seen.iter().map(|e| e.event_id).collect::<Vec<_>>(),
        expected,
        "every A and C once, in the order of the whole feed"
    );
    assert_eq!(pages, 4, "full pages of 5, 5, then 2, then an empty one");
    assert_eq!(cursor, all.last().unwrap().cursor());
}

async fn a_full_page_stops_at_its_last_event(db: Database) {
    let store = db.event_store();
    let s = stream();
    let mut tip = Tip::default();
    write(
        store.as_ref(),
        &s,
        &mut tip,
        &["A", "A", "B", "A", "B", "B"],
    )
    .await;
    let all = visible(store.as_ref(), 6).await;

    let page = store
        .read_feed(
            Cursor::START,
            2,
            FeedFilter::event_types(Some(&types(&["A"]))),
        )
        .await
        .unwrap();
    assert_eq!(page.events.len(), 2);
    assert_eq!(
        page.next,
        all[1].cursor(),
        "the third A may lie beyond: a full page does not jump ahead"
    );

    let rest = store
        .read_feed(page.next, 2, FeedFilter::event_types(Some(&types(&["A"]))))
        .await
        .unwrap();
    assert_eq!(
        rest.events.iter().map(|e| e.version).collect::<Vec<_>>(),
        [4]
    );
    assert_eq!(
        rest.next,
        all[5].cursor(),
        "a short page moves past the trailing Bs"
    );
}

async fn a_short_page_moves_the_cursor_past_events_of_other_types(db: Database) {
    let store = db.event_store();
    let s = stream();
    let mut tip = Tip::default();
    write(store.as_ref(), &s, &mut tip, &["B", "B", "B"]).await;
    let all = visible(store.as_ref(), 3).await;

    let none = store
        .read_feed(
            Cursor::START,
            10,
            FeedFilter::event_types(Some(&types(&["A"]))),
        )
        .await
        .unwrap();
    assert!(none.events.is_empty());
    assert_eq!(
        none.next,
        all[2].cursor(),
        "a reader of a rare type does not scan the same events at every poll"
    );

    write(store.as_ref(), &s, &mut tip, &["A"]).await;
    visible(store.as_ref(), 4).await;
    let page = store
        .read_feed(none.next, 10, FeedFilter::event_types(Some(&types(&["A"]))))
        .await
        .unwrap();
    assert_eq!(page.events.len(), 1);
    assert_eq!(page.events[0].event_type, "A");
    assert_eq!(page.next, page.events[0].cursor());
}

async fn the_unfiltered_feed_is_read_all_and_an_empty_filter_matches_nothing(db: Database) {
    let store = db.event_store();
    let all = interleaved(&store).await;

    let page = store
        .read_feed(Cursor::START, 100, FeedFilter::ALL)
        .await
        .unwrap();
    assert_eq!(page.events, all);
    assert_eq!(page.next, all.last().unwrap().cursor());

    let nothing = store
        .read_feed(Cursor::START, 100, FeedFilter::event_types(Some(&[])))
        .await
        .unwrap();
    assert!(nothing.events.is_empty());

    let unknown = store
        .read_feed(
            Cursor::START,
            100,
            FeedFilter::event_types(Some(&types(&["NoSuchType"]))),
        )
        .await
        .unwrap();
    assert!(unknown.events.is_empty());
    assert_eq!(unknown.next, all.last().unwrap().cursor());
}

async fn a_cursor_beyond_the_end_stays_where_it_is(db: Database) {
    let store = db.event_store();
    let s = stream();
    let mut tip = Tip::default();
    write(store.as_ref(), &s, &mut tip, &["A"]).await;
    let last = visible(store.as_ref(), 1).await[0].cursor();
    let far = Cursor {
        position: i64::MAX,
        ..last
    };
    let page = store.read_feed(far, 10, FeedFilter::ALL).await.unwrap();
    assert!(page.events.is_empty());
    assert_eq!(page.next, far, "next is never behind the cursor read after");
}

/// Concurrent writers of A and B while a reader tails only the As with `next` as its cursor,
/// the cursor moving past Bs whenever a page comes back short: it must still get every A once,
/// each stream in version order.
async fn a_filtered_tailing_reader_sees_every_event_of_its_type_once_under_concurrent_writers(
    db: Database,
) {
    const WRITERS: usize = 4;
    const EVENTS_PER_WRITER: usize = 400;
    let store = db.event_store();
    let wanted_total = WRITERS * EVENTS_PER_WRITER / 2;
    let reader = {
        let store = store.clone();
        tokio::spawn(async move {
            let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
            let wanted = types(&["A"]);
            let mut cursor = Cursor::START;
            let mut seen: Vec<RecordedEvent> = Vec::new();
            while seen.len() < wanted_total && tokio::time::Instant::now() < deadline {
                let page = store
                    .read_feed(cursor, 50, FeedFilter::event_types(Some(&wanted)))
                    .await
                    .unwrap();
                assert!(page.next >= cursor);
                cursor = page.next;
                if page.events.is_empty() {
                    tokio::time::sleep(Duration::from_millis(1)).await;
                }
                seen.extend(page.events);
            }
            seen.extend(
                store
                    .read_feed(cursor, 50, FeedFilter::event_types(Some(&wanted)))
                    .await
                    .unwrap()
                    .events,
            );
            seen
        })
    };
    let mut writers = Vec::new();
    for w in 0..WRITERS {
        let store = store.clone();
        writers.push(tokio::spawn(async move {
            let streams: Vec<_> = (0..3).map(|_| stream()).collect();
            let mut tips = vec![Tip::default(); streams.len()];
            for i in 0..EVENTS_PER_WRITER / 2 {
                let k = (i + w) % streams.len();
                // Runs of Bs of varying length between the As, so pages often come back short.
                let sequence: &[&str] = if i % 3 == 0 { &["B", "A"] } else { &["A", "B"] };
                write(store.as_ref(), &streams[k], &mut tips[k], sequence).await;
            }
        }));
    }
    for writer in writers {
        writer.await.unwrap();
    }
    let seen = reader.await.unwrap();
    assert!(seen.iter().all(|e| e.event_type == "A"));
    let ids: std::collections::HashSet<_> = seen.iter().map(|e| e.event_id).collect();
    assert_eq!(ids.len(), seen.len(), "no event delivered twice");
    assert_eq!(seen.len(), wanted_total, "no event skipped");
    let mut last: std::collections::HashMap<&StreamRef, u64> = Default::default();
    for event in &seen {
        let previous = last.entry(&event.stream).or_default();
        assert!(event.version > *previous, "{} out of order", event.stream);
        *previous = event.version;
    }
}

/// A projector reads only the streams of the aggregates it follows: the other aggregates'
/// events never leave the database, and a short page still moves past them.
async fn a_stream_type_filter_yields_only_those_streams_and_combines_with_event_types(
    db: Database,
) {
    let store = db.event_store();
    let tally = stream();
    let other = StreamRef::new("other", Uuid::now_v7().to_string());
    let (mut tip_tally, mut tip_other) = (Tip::default(), Tip::default());
    write(store.as_ref(), &tally, &mut tip_tally, &["A", "B"]).await;
    write(store.as_ref(), &other, &mut tip_other, &["A", "B", "A"]).await;
    let all = visible(store.as_ref(), 5).await;

    let others = store
        .read_feed(Cursor::START, 10, FeedFilter::stream_types(&["other"]))
        .await
        .unwrap();
    assert_eq!(
        others.events.iter().map(|e| e.event_id).collect::<Vec<_>>(),
        all[2..].iter().map(|e| e.event_id).collect::<Vec<_>>(),
    );

    let tallies = store
        .read_feed(Cursor::START, 10, FeedFilter::stream_types(&["tally"]))
        .await
        .unwrap();
    assert_eq!(tallies.events.len(), 2);
    assert_eq!(
        tallies.next,
        all[4].cursor(),
        "a short page moves past the other aggregate's events"
    );

    let a = types(&["A"]);
    let a_of_other = FeedFilter {
        event_types: Some(&a),
        stream_types: Some(&["other"]),
    };
    let page = store
        .read_feed(Cursor::START, 10, a_of_other)
        .await
        .unwrap();
    assert_eq!(
        page.events.iter().map(|e| e.version).collect::<Vec<_>>(),
        [1, 3],
        "both filters apply"
    );
}

niaga_store::on_both_backends!(
    a_filtered_tailing_reader_sees_every_event_of_its_type_once_under_concurrent_writers,
    paging_a_filtered_feed_yields_exactly_its_types_in_feed_order,
    a_full_page_stops_at_its_last_event,
    a_short_page_moves_the_cursor_past_events_of_other_types,
    the_unfiltered_feed_is_read_all_and_an_empty_filter_matches_nothing,
    a_cursor_beyond_the_end_stays_where_it_is,
    a_stream_type_filter_yields_only_those_streams_and_combines_with_event_types,
);

/// PostgreSQL only: an event of the wanted type whose transaction took a lower position but
/// commits after events of other types. The filtered reader must neither see the later events
/// first nor move its cursor past the late one while it is in flight.
#[tokio::test]
async fn postgres_a_filtered_feed_waits_for_an_event_that_commits_late() {
    let db = niaga_store::testing::fresh_database(niaga_store::Backend::Postgres)
        .await
        .unwrap();
    let Database::Postgres(pool) = &db else {
        unreachable!()
    };
    let store = db.event_store();

    let mut slow = pool.begin().await.unwrap();
    let (late_transaction, late_position): (String, i64) = sqlx::query_as(
        "INSERT INTO events (event_id, stream_type, stream_id, version, event_type, \
         schema_version, payload, metadata, recorded_at, hash) \
         VALUES (gen_random_uuid(), 'tally', 'late', 1, 'A', 1, '{}', '{}', now(), 'x') \
         RETURNING transaction_id::text, position",
    )
    .fetch_one(&mut *slow)
    .await
    .unwrap();
    let late = Cursor {
        transaction: late_transaction.parse().unwrap(),
        position: late_position,
    };

    let s = stream();
    let mut tip = Tip::default();
    write(store.as_ref(), &s, &mut tip, &["B", "B", "A"]).await;
    let wanted = types(&["A"]);
    let held = store
        .read_feed(Cursor::START, 10, FeedFilter::event_types(Some(&wanted)))
        .await
        .unwrap();
    assert!(
        held.events.is_empty(),
        "everything waits behind the open one"
    );
    assert!(
        held.next < late,
        "the cursor stays before the event still in flight"
    );

    slow.commit().await.unwrap();
    visible(store.as_ref(), 4).await;
    let page = store
        .read_feed(held.next, 10, FeedFilter::event_types(Some(&wanted)))
        .await
        .unwrap();
    let positions: Vec<i64> = page.events.iter().map(|e| e.position).collect();
    assert_eq!(positions.len(), 2, "{positions:?}");
    assert_eq!(positions[0], late_position, "the late event comes first");
    assert_eq!(page.events[1].stream, s);
}

/// PostgreSQL only: the feed's statements as the planner runs them on a table of some size.
/// A page must be a walk along `events_global_order` that stops at `LIMIT` (no sort of every
/// row after the cursor; the page's rows alone may be sorted after), with or without a type
/// filter; the visible end one backward probe.
#[tokio::test]
async fn postgres_the_feed_reads_along_the_global_order_index() {
    const READ_FEED: &str = include_str!("../../src/postgres/sql/read_feed.sql");
    let db = niaga_store::testing::fresh_database(niaga_store::Backend::Postgres)
        .await
        .unwrap();
    let Database::Postgres(pool) = &db else {
        unreachable!()
    };
    sqlx::query(
        "INSERT INTO events (event_id, stream_type, stream_id, version, event_type, \
         schema_version, payload, metadata, recorded_at, hash) \
         SELECT gen_random_uuid(), 'tally', (g / 10)::text, g % 10 + 1, \
                CASE WHEN g % 100 = 0 THEN 'Rare' ELSE 'Common' END, 1, '{}', '{}', now(), 'x' \
         FROM generate_series(0, 19999) AS g",
    )
    .execute(pool)
    .await
    .unwrap();
    sqlx::query("ANALYZE events").execute(pool).await.unwrap();

    let explain = |sql: &str| format!("EXPLAIN (FORMAT JSON) {sql}");
    let tally: &[&str] = &["tally"];
    for (types, streams) in [
        (None, None),
        (Some(types(&["Rare"])), None),
        (None, Some(tally)),
    ] {
        let page: serde_json::Value = sqlx::query_scalar(&explain(READ_FEED))
            .bind("0")
            .bind(0_i64)
            .bind(100_i64)
            .bind(types.as_deref())
            .bind(streams)
            .fetch_one(pool)
            .await
            .unwrap();
        assert!(
            sorts_only_limited_rows(&page[0]["Plan"]),
            "{types:?}: a sort of more than the page: {page}"
        );
        let page = page.to_string();
        assert!(page.contains("events_global_order"), "{types:?}: {page}");
        assert!(page.contains("Backward"), "{types:?}: {page}");
    }
}

/// Whether every sort in `plan` sorts what a `LIMIT` below it let through: the page's rows,
/// never every row after the cursor.
fn sorts_only_limited_rows(plan: &serde_json::Value) -> bool {
    fn children(plan: &serde_json::Value) -> impl Iterator<Item = &serde_json::Value> {
        plan["Plans"].as_array().into_iter().flatten()
    }
    fn limits(plan: &serde_json::Value) -> bool {
        plan["Node Type"] == "Limit" || children(plan).any(limits)
    }
    if plan["Node Type"] == "Sort" && !limits(plan) {
        return false;
    }
    children(plan).all(sorts_only_limited_rows)
}

/// SQLite only: its cursors carry transaction 0. One with another (made by hand, or brought
/// from PostgreSQL) is read as its position, rather than sorting after every event and never
/// moving.
#[tokio::test]
async fn sqlite_a_cursor_with_a_transaction_is_read_as_its_position() {
    let db = niaga_store::testing::fresh_database(niaga_store::Backend::Sqlite)
        .await
        .unwrap();
    let store = db.event_store();
    let s = stream();
    let mut tip = Tip::default();
    write(store.as_ref(), &s, &mut tip, &["A", "A"]).await;
    let odd = Cursor {
        transaction: 12_345,
        position: 0,
    };
    let page = store.read_feed(odd, 1, FeedFilter::ALL).await.unwrap();
    assert_eq!(page.events.len(), 1);
    let rest = store
        .read_feed(page.next, 10, FeedFilter::ALL)
        .await
        .unwrap();
    assert_eq!(rest.events.len(), 1, "the cursor moved on");
    assert_eq!(rest.next.transaction, 0);
}
