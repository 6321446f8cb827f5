//! Per-year number series: a number is taken in the transaction of the events that carry it,
//! so committed numbers never repeat and have no gaps, whatever is refused or lost on the way.

use std::sync::Arc;

use niaga_domain::testing::test_ctx;
use niaga_store::{
    CommandError, CommandHandler, CommandOptions, Database, NumberSeries, StoreError, StreamRef,
    Tip,
};
use uuid::Uuid;

use super::{
    store::{append, new_events, stream},
    tally::{Tally, TallyCommand, TallyError},
};

/// Takes the next number of `series` for a new stream and returns it.
async fn take(db: &Database, series: &NumberSeries) -> u64 {
    let taken = std::sync::Mutex::new(0);
    let s = stream();
    db.event_store()
        .append_numbered(series, &|number| {
            *taken.lock().unwrap() = number;
            Some(append(&s, Tip::default(), new_events(1)))
        })
        .await
        .unwrap()
        .unwrap();
    taken.into_inner().unwrap()
}

async fn numbers_count_from_one_in_each_series_and_year(db: Database) {
    let invoices_2026 = NumberSeries::new("invoice", 2026);
    let invoices_2027 = NumberSeries::new("invoice", 2027);
    let notes_2026 = NumberSeries::new("credit-note", 2026);
    assert_eq!(take(&db, &invoices_2026).await, 1);
    assert_eq!(take(&db, &invoices_2026).await, 2);
    assert_eq!(take(&db, &invoices_2027).await, 1);
    assert_eq!(take(&db, &notes_2026).await, 1);
    assert_eq!(take(&db, &invoices_2026).await, 3);
}

async fn a_number_that_is_not_used_goes_to_the_next_taker(db: Database) {
    let store = db.event_store();
    let series = NumberSeries::new("invoice", 2026);
    assert_eq!(take(&db, &series).await, 1);

    // Nothing to write: the number is not taken.
    let nothing = store.append_numbered(&series, &|_| None).await.unwrap();
    assert_eq!(nothing, None);

    // A stale tip: the append conflicts and the number is given back with it.
    let s = stream();
    store
        .append(append(&s, Tip::default(), new_events(1)))
        .await
        .unwrap();
    let stale = store
        .append_numbered(&series, &|_| {
            Some(append(&s, Tip::default(), new_events(1)))
        })
        .await;
    assert!(
        matches!(stale, Err(StoreError::Conflict { actual: 1, .. })),
        "{stale:?}"
    );
    assert_eq!(store.read_stream(&s, 0).await.unwrap().len(), 1);

    assert_eq!(take(&db, &series).await, 2);
}

/// The numbers stamped on the given tally streams, in ascending order.
async fn stamped_numbers(db: &Database, ids: &[String]) -> Vec<u64> {
    let mut numbers = Vec::new();
    for id in ids {
        for event in db
            .event_store()
            .read_stream(&StreamRef::new("tally", id), 0)
            .await
            .unwrap()
        {
            if event.event_type == "Stamped" {
                numbers.push(event.payload.to_value()["number"].as_u64().unwrap());
            }
        }
    }
    numbers.sort_unstable();
    numbers
}

async fn sixteen_concurrent_issuers_take_unique_numbers_without_gaps(db: Database) {
    const ISSUERS: usize = 16;
    const EACH: usize = 6;
    let series = Arc::new(NumberSeries::new("invoice", 2026));
    // Two handlers on one database behave as two instances: their caches and stream locks
    // are separate, so they race on the same streams and the store decides.
    let instances = [
        Arc::new(CommandHandler::<Tally>::new(db.event_store())),
        Arc::new(CommandHandler::<Tally>::new(db.event_store())),
    ];
    let ids: Vec<String> = (0..ISSUERS * EACH / 2)
        .map(|_| Uuid::now_v7().to_string())
        .collect();
    let ids = Arc::new(ids);
    let mut issuers = Vec::new();
    for issuer in 0..ISSUERS {
        let (instances, ids, series) = (instances.clone(), Arc::clone(&ids), Arc::clone(&series));
        issuers.push(tokio::spawn(async move {
            let (mut stamped, mut refused) = (0, 0);
            for round in 0..EACH {
                // Every stream is issued twice, by issuers `i` and `i + 8`, on different
                // instances: one wins, the other is refused (already stamped) or loses the
                // race at the store, and must leave no gap behind.
                let id = &ids[(issuer * EACH + round) % ids.len()];
                let handler = &instances[issuer / (ISSUERS / 2)];
                let result = handler
                    .execute_numbered(
                        id,
                        &series,
                        &|n| Some(TallyCommand::Stamp(n)),
                        &test_ctx(),
                        &CommandOptions::default(),
                    )
                    .await;
                match result {
                    Ok(outcome) if outcome.events.len() == 1 => stamped += 1,
                    Err(CommandError::Domain(TallyError::AlreadyStamped(_))) => refused += 1,
                    other => panic!("unexpected {other:?}"),
                }
            }
            (stamped, refused)
        }));
    }
    let (mut stamped, mut refused) = (0, 0);
    for issuer in issuers {
        let (s, r) = issuer.await.unwrap();
        stamped += s;
        refused += r;
    }
    assert_eq!((stamped, refused), (ids.len(), ISSUERS * EACH - ids.len()));
    let numbers = stamped_numbers(&db, &ids).await;
    let expected: Vec<u64> = (1..=ids.len() as u64).collect();
    assert_eq!(numbers, expected, "unique, from 1, without gaps");

    // The series goes on from there.
    let next = Uuid::now_v7().to_string();
    let outcome = instances[0]
        .execute_numbered(
            &next,
            &series,
            &|n| Some(TallyCommand::Stamp(n)),
            &test_ctx(),
            &CommandOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!(outcome.version, 1);
    assert_eq!(
        stamped_numbers(&db, &[next]).await,
        vec![ids.len() as u64 + 1]
    );
}

niaga_store::on_both_backends!(
    numbers_count_from_one_in_each_series_and_year,
    a_number_that_is_not_used_goes_to_the_next_taker,
    sixteen_concurrent_issuers_take_unique_numbers_without_gaps,
);
