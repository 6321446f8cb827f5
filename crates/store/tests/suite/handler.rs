//! The command pipeline: decide and append, retries, idempotency, upcasting, snapshots.

use std::sync::Arc;

use niaga_domain::testing::test_ctx;
use niaga_store::{
    CommandError, CommandHandler, CommandOptions, Database, Idempotency, NewEvent, Tip,
};
use serde_json::json;
use uuid::Uuid;

use super::{
    store::append,
    tally::{Tally, TallyCommand, TallyError},
};

fn handler(db: &Database) -> CommandHandler<Tally> {
    CommandHandler::new(db.event_store())
}

fn keyed(key: &str, request: &str) -> CommandOptions {
    CommandOptions {
        idempotency: Some(Idempotency {
            key: key.into(),
            request_hash: request.into(),
        }),
        ..CommandOptions::default()
    }
}

async fn a_command_appends_what_was_decided_and_a_refusal_appends_nothing(db: Database) {
    let tallies = handler(&db);
    let id = Uuid::now_v7().to_string();
    let ctx = test_ctx();
    let done = tallies
        .execute(&id, &TallyCommand::Add(5), &ctx, &CommandOptions::default())
        .await
        .unwrap();
    assert_eq!((done.version, done.events.len()), (1, 1));
    assert!(done.position.is_some());

    let refused = tallies
        .execute(
            &id,
            &TallyCommand::Add(-1),
            &ctx,
            &CommandOptions::default(),
        )
        .await;
    assert!(matches!(
        refused,
        Err(CommandError::Domain(TallyError::Negative))
    ));
    let nothing = tallies
        .execute(
            &id,
            &TallyCommand::Nothing,
            &ctx,
            &CommandOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!((nothing.version, nothing.position), (1, None));

    let (state, version) = tallies.load(&id).await.unwrap().unwrap();
    assert_eq!((state.total, version), (5, 1));
    let stored = db
        .event_store()
        .read_stream(&niaga_store::StreamRef::new("tally", &id), 0)
        .await
        .unwrap();
    assert_eq!(
        stored[0].metadata.to_value()["actor"],
        ctx.actor.to_string()
    );
    assert_eq!(
        stored[0].metadata.to_value()["correlation_id"],
        ctx.correlation_id.to_string()
    );
}

async fn a_repeated_idempotency_key_returns_the_first_result_and_writes_nothing(db: Database) {
    let tallies = handler(&db);
    let id = Uuid::now_v7().to_string();
    let ctx = test_ctx();
    let first = tallies
        .execute(&id, &TallyCommand::Add(7), &ctx, &keyed("k-1", "body-a"))
        .await
        .unwrap();
    let again = tallies
        .execute(&id, &TallyCommand::Add(7), &ctx, &keyed("k-1", "body-a"))
        .await
        .unwrap();
    assert!(again.replayed && !first.replayed);
    assert_eq!(
        (again.version, again.position),
        (first.version, first.position)
    );

    let other_body = tallies
        .execute(&id, &TallyCommand::Add(8), &ctx, &keyed("k-1", "body-b"))
        .await;
    assert!(matches!(
        other_body,
        Err(CommandError::IdempotencyKeyReused)
    ));

    let other_stream = Uuid::now_v7().to_string();
    let elsewhere = tallies
        .execute(
            &other_stream,
            &TallyCommand::Add(7),
            &ctx,
            &keyed("k-1", "body-a"),
        )
        .await;
    assert!(matches!(elsewhere, Err(CommandError::IdempotencyKeyReused)));

    let (state, version) = tallies.load(&id).await.unwrap().unwrap();
    assert_eq!((state.total, version), (7, 1));
    assert!(tallies.load(&other_stream).await.unwrap().is_none());
}

async fn a_retried_create_finds_the_stream_its_first_attempt_made(db: Database) {
    let tallies = handler(&db);
    let first_id = Uuid::now_v7().to_string();
    tallies
        .execute(
            &first_id,
            &TallyCommand::Add(1),
            &test_ctx(),
            &keyed("create-1", "body"),
        )
        .await
        .unwrap();
    assert_eq!(
        tallies.stream_for_key("create-1").await.unwrap(),
        Some(first_id)
    );
    assert_eq!(tallies.stream_for_key("never-used").await.unwrap(), None);
}

async fn concurrent_instances_on_one_stream_all_land_after_retries(db: Database) {
    // Four handlers stand for four API instances, each with its own state cache.
    let handlers: Vec<Arc<CommandHandler<Tally>>> =
        (0..4).map(|_| Arc::new(handler(&db))).collect();
    let id = Uuid::now_v7().to_string();
    let mut tasks = Vec::new();
    for (n, tallies) in handlers.iter().enumerate() {
        let tallies = tallies.clone();
        let id = id.clone();
        tasks.push(tokio::spawn(async move {
            let mut landed = 0;
            for _ in 0..10 {
                match tallies
                    .execute(
                        &id,
                        &TallyCommand::Add(n as i64 + 1),
                        &test_ctx(),
                        &CommandOptions::default(),
                    )
                    .await
                {
                    Ok(_) => landed += 1,
                    Err(CommandError::Contention { .. }) => {}
                    Err(other) => panic!("{other}"),
                }
            }
            (n as i64 + 1) * landed
        }));
    }
    let mut expected = 0;
    for task in tasks {
        expected += task.await.unwrap();
    }
    let (state, version) = handlers[0].load(&id).await.unwrap().unwrap();
    assert_eq!(
        state.total, expected,
        "every landed command counted exactly once"
    );
    assert_eq!(version, state.additions);
    assert!(
        version >= 30,
        "most commands land after retrying: {version}"
    );
}

async fn a_new_stream_hint_on_an_existing_stream_still_decides_on_its_history(db: Database) {
    let id = Uuid::now_v7().to_string();
    handler(&db)
        .execute(
            &id,
            &TallyCommand::Add(2),
            &test_ctx(),
            &CommandOptions::default(),
        )
        .await
        .unwrap();
    let wrong_hint = CommandOptions {
        new_stream: true,
        ..CommandOptions::default()
    };
    let done = handler(&db)
        .execute(&id, &TallyCommand::Add(3), &test_ctx(), &wrong_hint)
        .await
        .unwrap();
    assert_eq!((done.version, done.attempts), (2, 2));
    assert_eq!(handler(&db).load(&id).await.unwrap().unwrap().0.total, 5);
}

async fn a_refusal_from_a_cached_state_is_checked_against_the_store(db: Database) {
    // Two instances: each handler keeps its own cache of the states it loaded.
    let (here, there) = (handler(&db), handler(&db));
    let id = Uuid::now_v7().to_string();
    let ctx = test_ctx();
    let options = CommandOptions::default();
    here.execute(&id, &TallyCommand::Add(1), &ctx, &options)
        .await
        .unwrap();
    there
        .execute(&id, &TallyCommand::Add(9), &ctx, &options)
        .await
        .unwrap();
    // `here` remembers a total of 1; the store says 10.
    let taken = here
        .execute(&id, &TallyCommand::Take(5), &ctx, &options)
        .await
        .unwrap();
    assert_eq!(taken.version, 3);
    assert_eq!(here.load(&id).await.unwrap().unwrap().0.total, 5);
    // And `If-Match` with the store's version is not refused for the cache's.
    there
        .execute(&id, &TallyCommand::Add(1), &ctx, &options)
        .await
        .unwrap();
    let current = CommandOptions {
        expected_version: Some(4),
        ..CommandOptions::default()
    };
    let done = here
        .execute(&id, &TallyCommand::Add(1), &ctx, &current)
        .await
        .unwrap();
    assert_eq!(done.version, 5);
}

async fn if_match_with_another_version_is_refused(db: Database) {
    let tallies = handler(&db);
    let id = Uuid::now_v7().to_string();
    tallies
        .execute(
            &id,
            &TallyCommand::Add(1),
            &test_ctx(),
            &CommandOptions::default(),
        )
        .await
        .unwrap();
    let stale = CommandOptions {
        expected_version: Some(0),
        ..CommandOptions::default()
    };
    let result = tallies
        .execute(&id, &TallyCommand::Add(1), &test_ctx(), &stale)
        .await;
    assert!(matches!(
        result,
        Err(CommandError::VersionMismatch {
            expected: 0,
            actual: 1
        })
    ));
}

async fn an_event_stored_in_an_old_shape_is_upcast_on_read(db: Database) {
    let store = db.event_store();
    let id = Uuid::now_v7().to_string();
    let stream = niaga_store::StreamRef::new("tally", &id);
    let v1 = NewEvent {
        event_id: Uuid::now_v7(),
        event_type: "Added".into(),
        schema_version: 1,
        payload: json!({ "n": 41 }),
    };
    store
        .append(append(&stream, Tip::default(), vec![v1]))
        .await
        .unwrap();
    let tallies = handler(&db);
    tallies
        .execute(
            &id,
            &TallyCommand::Add(1),
            &test_ctx(),
            &CommandOptions::default(),
        )
        .await
        .unwrap();
    let (state, _) = tallies.load(&id).await.unwrap().unwrap();
    assert_eq!(state.total, 42);
    let stored = store.read_stream(&stream, 0).await.unwrap();
    assert_eq!(
        stored[0].payload,
        json!({ "n": 41 }),
        "the stored row is never rewritten"
    );
    assert_eq!(stored[1].schema_version, 2);
}

async fn deleting_snapshots_changes_nothing_but_speed(db: Database) {
    let tallies = handler(&db);
    let id = Uuid::now_v7().to_string();
    for i in 0..230 {
        tallies
            .execute(
                &id,
                &TallyCommand::Add(i),
                &test_ctx(),
                &CommandOptions::default(),
            )
            .await
            .unwrap();
    }
    let stream = niaga_store::StreamRef::new("tally", &id);
    let snapshot = db
        .event_store()
        .load_snapshot(&stream)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(snapshot.version, 200);
    let with_snapshot = tallies.load(&id).await.unwrap();
    niaga_store::on_writer!(&db, pool => sqlx::query("DELETE FROM snapshots").execute(pool).await.map(|_| ()))
        .unwrap();
    let without = handler(&db).load(&id).await.unwrap();
    assert_eq!(with_snapshot, without);
    assert_eq!(without.unwrap().0.total, (0..230).sum::<i64>());
}

niaga_store::on_both_backends!(
    a_command_appends_what_was_decided_and_a_refusal_appends_nothing,
    a_repeated_idempotency_key_returns_the_first_result_and_writes_nothing,
    a_retried_create_finds_the_stream_its_first_attempt_made,
    concurrent_instances_on_one_stream_all_land_after_retries,
    a_refusal_from_a_cached_state_is_checked_against_the_store,
    if_match_with_another_version_is_refused,
    a_new_stream_hint_on_an_existing_stream_still_decides_on_its_history,
    an_event_stored_in_an_old_shape_is_upcast_on_read,
    deleting_snapshots_changes_nothing_but_speed,
);
