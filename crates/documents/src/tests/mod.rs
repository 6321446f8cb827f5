//! One suite, every store: metadata on both databases, objects in a temporary folder or
//! in an S3 bucket (moto_server, see [`objects`]).
#![allow(clippy::unwrap_used)]

mod objects;

use chrono::{NaiveDate, TimeZone as _, Utc};
use niaga_store::{Backend, testing::fresh_database};
use sha2::Digest as _;

use self::objects::{Objects, Place};
use super::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn signature(bytes: &[u8]) -> NewDocument {
    NewDocument {
        kind: SIGNATURE_IMAGE,
        document_id: "do-1".into(),
        version: 4,
        media_type: "image/png",
        issued_on: day(2026, 6, 1),
        bytes: bytes.to_vec(),
    }
}

/// A store on a fresh database of `backend` with its objects at `place`; `None` when
/// that place is not available to this run (S3 without a stand-in).
async fn store(backend: Backend, place: Place) -> Option<(DocumentStore, Objects)> {
    Objects::at(place, fresh_database(backend).await.unwrap()).await
}

/// How many documents are stored for the delivery order of [`signature`].
async fn rows_of_do_1(store: &DocumentStore) -> usize {
    store
        .for_document(SIGNATURE_IMAGE, "do-1")
        .await
        .unwrap()
        .len()
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 1, 2, 0, 0).unwrap()
}

async fn a_stored_document_reads_back_with_its_metadata(store: DocumentStore, objects: Objects) {
    let stored = store.put(signature(b"png bytes"), now()).await.unwrap();
    assert_eq!(stored.sha256, hex::encode(Sha256::digest(b"png bytes")));
    assert_eq!(stored.retention_until, day(2033, 12, 31));
    assert_eq!(stored.size_bytes, 9);
    assert!(objects.exists(&stored.sha256).await);
    let (found, bytes) = store.get(stored.key).await.unwrap();
    assert_eq!((found, bytes), (stored.clone(), b"png bytes".to_vec()));
    // The same bytes again: a second row, the same object.
    let again = store.put(signature(b"png bytes"), now()).await.unwrap();
    assert_ne!(again.key, stored.key);
    assert_eq!(again.sha256, stored.sha256);
    assert_eq!(rows_of_do_1(&store).await, 2);
}

async fn deleting_before_the_retention_date_or_under_legal_hold_is_refused(
    store: DocumentStore,
    objects: Objects,
) {
    let stored = store.put(signature(b"kept"), now()).await.unwrap();

    let refused = store.delete(stored.key, day(2033, 12, 31)).await;
    assert!(
        matches!(refused, Err(DocumentError::Retained { until, .. }) if until == day(2033, 12, 31)),
        "{refused:?}"
    );
    store.set_legal_hold(stored.key, true).await.unwrap();
    let held = store.delete(stored.key, day(2040, 1, 1)).await;
    assert!(
        matches!(held, Err(DocumentError::LegalHold(k)) if k == stored.key),
        "{held:?}"
    );
    assert!(objects.exists(&stored.sha256).await);

    store.set_legal_hold(stored.key, false).await.unwrap();
    store.delete(stored.key, day(2034, 1, 1)).await.unwrap();
    assert!(matches!(
        store.find(stored.key).await,
        Err(DocumentError::NotFound(_))
    ));
    assert!(!objects.exists(&stored.sha256).await);
}

async fn verify_names_an_altered_or_missing_object_and_get_refuses_it(
    store: DocumentStore,
    objects: Objects,
) {
    let intact = store.put(signature(b"intact"), now()).await.unwrap();
    let altered = store.put(signature(b"original"), now()).await.unwrap();
    let missing = store.put(signature(b"lost"), now()).await.unwrap();
    assert_eq!(
        store.verify_all().await.unwrap(),
        Verification {
            checked: 3,
            broken: vec![]
        }
    );

    objects.overwrite(&altered.sha256, b"forged").await;
    objects.remove(&missing.sha256).await;

    let verification = store.verify_all().await.unwrap();
    assert_eq!(verification.checked, 3);
    let broken: Vec<_> = verification.broken.iter().map(|b| b.key).collect();
    let mut expected = vec![altered.key, missing.key];
    expected.sort();
    assert_eq!(broken, expected);
    assert!(
        verification
            .broken
            .iter()
            .any(|b| b.problem.contains("hashes to"))
    );
    assert!(
        verification
            .broken
            .iter()
            .any(|b| b.problem.contains("missing"))
    );
    assert!(matches!(
        store.get(altered.key).await,
        Err(DocumentError::Tampered { .. })
    ));
    assert!(store.get(intact.key).await.is_ok());
}

async fn a_document_stored_once_under_its_key_is_stored_once(
    store: DocumentStore,
    _objects: Objects,
) {
    let key = DocumentKey::from_uuid(Uuid::from_u128(7));
    let first = store
        .put_once(key, signature(b"first"), now())
        .await
        .unwrap();
    // A retry (or a second instance) under the same key keeps the first row.
    let again = store
        .put_once(key, signature(b"second"), now())
        .await
        .unwrap();
    assert_eq!(again, first);
    assert_eq!(store.get(key).await.unwrap().1, b"first".to_vec());
    assert_eq!(rows_of_do_1(&store).await, 1);
}

/// One module of tests on `backend` with objects at `place`.
macro_rules! suite_on {
    ($module:ident, $backend:ident, $place:ident, $($test:ident),*) => {
        mod $module {
            $(
                #[tokio::test]
                async fn $test() {
                    let place = super::Place::$place;
                    if let Some((store, objects)) = super::store(niaga_store::Backend::$backend, place).await {
                        super::$test(store, objects).await
                    }
                }
            )*
        }
    };
}

/// Every test on both databases, with objects in a folder and in an S3 bucket.
macro_rules! on_every_store {
    ($($test:ident),* $(,)?) => {
        suite_on!(sqlite_folder, Sqlite, Folder, $($test),*);
        suite_on!(postgres_folder, Postgres, Folder, $($test),*);
        suite_on!(sqlite_s3, Sqlite, S3, $($test),*);
        suite_on!(postgres_s3, Postgres, S3, $($test),*);
    };
}

on_every_store!(
    a_document_stored_once_under_its_key_is_stored_once,
    a_stored_document_reads_back_with_its_metadata,
    deleting_before_the_retention_date_or_under_legal_hold_is_refused,
    verify_names_an_altered_or_missing_object_and_get_refuses_it,
);
