//! Events cannot be changed, and a change made behind the database's back is found.

use niaga_store::{Database, StreamRef, Tip, audit::verify_all};

use super::store::{append, new_events, stream};

async fn seeded(db: &Database) -> StreamRef {
    let store = db.event_store();
    let s = stream();
    let mut tip = Tip::default();
    for _ in 0..3 {
        let c = store.append(append(&s, tip, new_events(1))).await.unwrap();
        tip = Tip {
            version: c.version,
            hash: c.hash,
        };
    }
    s
}

async fn execute(db: &Database, sql: &str) -> Result<(), sqlx::Error> {
    niaga_store::on_writer!(db, pool => sqlx::query(sql).execute(pool).await.map(|_| ()))
}

async fn the_database_refuses_to_update_or_delete_events(db: Database) {
    let s = seeded(&db).await;
    let update = execute(&db, "UPDATE events SET payload = payload WHERE version = 1").await;
    assert!(
        update
            .unwrap_err()
            .to_string()
            .contains("events are immutable")
    );
    let delete = execute(&db, "DELETE FROM events").await;
    assert!(
        delete
            .unwrap_err()
            .to_string()
            .contains("events are immutable")
    );
    assert_eq!(db.event_store().read_stream(&s, 0).await.unwrap().len(), 3);
}

/// Removes the guard the way someone with the database's owner rights could.
async fn drop_guard(db: &Database) {
    let sql = match db.backend() {
        niaga_store::Backend::Postgres => "ALTER TABLE events DISABLE TRIGGER USER",
        niaga_store::Backend::Sqlite => "DROP TRIGGER events_refuse_update",
    };
    execute(db, sql).await.unwrap();
    if db.backend() == niaga_store::Backend::Sqlite {
        execute(db, "DROP TRIGGER events_refuse_delete")
            .await
            .unwrap();
    }
}

async fn an_untouched_store_verifies(db: Database) {
    seeded(&db).await;
    seeded(&db).await;
    let report = verify_all(db.event_store().as_ref()).await.unwrap();
    assert_eq!((report.streams, report.events), (2, 6));
    assert!(report.broken.is_empty(), "{:?}", report.broken);
}

async fn tampering_is_found_at_the_altered_version(db: Database) {
    let untouched = seeded(&db).await;
    let payload = seeded(&db).await;
    let metadata = seeded(&db).await;
    let time = seeded(&db).await;
    let order = seeded(&db).await;
    let removed = seeded(&db).await;
    drop_guard(&db).await;
    let set = |what: &str, s: &StreamRef, version: u64| {
        format!(
            "UPDATE events SET {what} WHERE stream_id = '{}' AND version = {version}",
            s.stream_id
        )
    };
    let (json_payload, json_meta, later) = match db.backend() {
        niaga_store::Backend::Postgres => (
            "payload = '{\"amount\": 1000000}'::json",
            "metadata = jsonb_set(metadata::jsonb, '{actor}', '\"user:someone-else\"')::json",
            "recorded_at = recorded_at + interval '1 second'",
        ),
        niaga_store::Backend::Sqlite => (
            "payload = '{\"amount\": 1000000}'",
            "metadata = json_set(metadata, '$.actor', 'user:someone-else')",
            "recorded_at = replace(recorded_at, '.123456Z', '.123457Z')",
        ),
    };
    execute(&db, &set(json_payload, &payload, 2)).await.unwrap();
    execute(&db, &set(json_meta, &metadata, 3)).await.unwrap();
    execute(&db, &set(later, &time, 1)).await.unwrap();
    // Swap versions 2 and 3 of one stream (via a free version number).
    execute(&db, &set("version = 99", &order, 2)).await.unwrap();
    execute(&db, &set("version = 2", &order, 3)).await.unwrap();
    execute(&db, &set("version = 3", &order, 99)).await.unwrap();
    execute(
        &db,
        &format!(
            "DELETE FROM events WHERE stream_id = '{}' AND version = 2",
            removed.stream_id
        ),
    )
    .await
    .unwrap();

    let report = verify_all(db.event_store().as_ref()).await.unwrap();
    let broken: Vec<(String, u64)> = report
        .broken
        .iter()
        .map(|b| (b.stream.stream_id.clone(), b.version))
        .collect();
    let mut expected = vec![
        (payload.stream_id, 2),
        (metadata.stream_id, 3),
        (time.stream_id, 1),
        (order.stream_id, 2),
        (removed.stream_id, 2),
    ];
    expected.sort();
    let mut broken_sorted = broken.clone();
    broken_sorted.sort();
    assert_eq!(broken_sorted, expected);
    assert!(!broken.iter().any(|(id, _)| *id == untouched.stream_id));
    assert!(report.broken.iter().all(|b| b.expected != b.found));
}

niaga_store::on_both_backends!(
    the_database_refuses_to_update_or_delete_events,
    an_untouched_store_verifies,
    tampering_is_found_at_the_altered_version,
);
