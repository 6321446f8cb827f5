//! Where a test's objects live: a temporary folder, or a fresh bucket on an S3 stand-in
//! (moto_server) named by `NIAGA_TEST_S3`. The suite runs the same tests on both, and
//! reaches the objects behind the store's back (to alter or lose one) through [`Objects`].

use std::{io::Write as _, sync::Arc};

use object_store::{ObjectStore, ObjectStoreExt as _, path::Path};
use uuid::Uuid;

use crate::{DocumentStore, S3Settings};

/// The variable holding the S3 stand-in's URL (`scripts/test.sh` starts moto_server and sets
/// it, with throwaway `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`).
const S3_URL: &str = "NIAGA_TEST_S3";

#[derive(Debug, Clone, Copy)]
pub(super) enum Place {
    Folder,
    S3,
}

/// The objects of one test's store, as an operator (or an intruder) sees them.
pub(super) enum Objects {
    /// `<dir>/sha256/ab/abcdef…`: the layout operators back up and inspect.
    Folder(tempfile::TempDir),
    /// A client of the test's bucket of its own.
    S3(Arc<dyn ObjectStore>),
}

impl Objects {
    /// The store's objects at `place`, with a document store on `db` over them; `None` (and
    /// a notice) when the S3 tests cannot run because no stand-in is configured.
    pub(super) async fn at(
        place: Place,
        db: niaga_store::Database,
    ) -> Option<(DocumentStore, Self)> {
        match place {
            Place::Folder => {
                let dir = tempfile::tempdir().expect("a temporary folder");
                let store = DocumentStore::local(db, dir.path()).expect("a folder store");
                Some((store, Self::Folder(dir)))
            }
            Place::S3 => {
                let settings = fresh_bucket().await?;
                let store = DocumentStore::s3(db, &settings).expect("an S3 store");
                let raw = crate::s3_bucket(&settings).expect("an S3 client");
                Some((store, Self::S3(Arc::new(raw))))
            }
        }
    }

    pub(super) async fn exists(&self, sha256: &str) -> bool {
        match self {
            Self::Folder(dir) => dir
                .path()
                .join(DocumentStore::object_location(sha256))
                .is_file(),
            Self::S3(raw) => match raw.head(&path(sha256)).await {
                Ok(_) => true,
                Err(object_store::Error::NotFound { .. }) => false,
                Err(error) => panic!("cannot read the bucket: {error}"),
            },
        }
    }

    /// Replaces the object's bytes, as someone with write access to the storage could.
    pub(super) async fn overwrite(&self, sha256: &str, bytes: &[u8]) {
        match self {
            Self::Folder(dir) => {
                std::fs::write(
                    dir.path().join(DocumentStore::object_location(sha256)),
                    bytes,
                )
                .expect("the object rewritten");
            }
            Self::S3(raw) => {
                raw.put(&path(sha256), bytes.to_vec().into())
                    .await
                    .expect("the object rewritten");
            }
        }
    }

    pub(super) async fn remove(&self, sha256: &str) {
        match self {
            Self::Folder(dir) => {
                std::fs::remove_file(dir.path().join(DocumentStore::object_location(sha256)))
                    .expect("the object removed");
            }
            Self::S3(raw) => raw.delete(&path(sha256)).await.expect("the object removed"),
        }
    }
}

fn path(sha256: &str) -> Path {
    Path::from(DocumentStore::object_location(sha256))
}

/// A new, empty bucket on the stand-in, so that tests running at once (the same bytes on
/// both databases) never share objects. `None` when `NIAGA_TEST_S3` is unset: a bare
/// `cargo test` on a machine without moto skips the S3 tests, saying so on stderr (written
/// directly, so the test harness's capture does not swallow it). Set but unreachable is a
/// failure: the run meant to test S3.
async fn fresh_bucket() -> Option<S3Settings> {
    let Ok(endpoint) = std::env::var(S3_URL) else {
        let _ = writeln!(
            std::io::stderr(),
            "note: {S3_URL} is not set, S3 document store test skipped (scripts/test.sh runs it on moto_server)"
        );
        return None;
    };
    assert!(
        endpoint.starts_with("http://") || endpoint.starts_with("https://"),
        "{S3_URL} is `{endpoint}`, not the URL of an S3 stand-in: the S3 document store tests cannot run"
    );
    let bucket = format!("niaga-test-{}", Uuid::now_v7().simple());
    // moto creates a bucket on an unsigned PUT, as S3's CreateBucket in us-east-1.
    let created = reqwest::Client::new()
        .put(format!("{}/{bucket}", endpoint.trim_end_matches('/')))
        .send()
        .await
        .and_then(reqwest::Response::error_for_status);
    if let Err(error) = created {
        panic!("cannot create a bucket on the S3 stand-in {S3_URL}={endpoint}: {error}");
    }
    Some(S3Settings {
        bucket,
        endpoint: Some(endpoint),
        region: Some("us-east-1".to_owned()),
        allow_http: true,
    })
}
