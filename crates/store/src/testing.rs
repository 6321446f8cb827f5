//! Fresh, migrated databases for tests: a new SQLite file, or a new PostgreSQL database on
//! the local server (`NIAGA_TEST_POSTGRES`, default `postgres://postgres@127.0.0.1:5432`).
//! Test databases are named `niaga_test_*`; the test script drops old ones before a run.

use std::time::Duration;

use sqlx::{Connection, PgConnection};
use uuid::Uuid;

use crate::{Backend, Cursor, Database, EventStore, RecordedEvent, StoreError};

/// The whole feed once `total` events are visible. On PostgreSQL an open transaction anywhere
/// on the server (another test's) holds the feed's visible end back for a while: a test that
/// reads the feed, or runs what reads it, waits that out first.
///
/// # Panics
/// If the feed does not show `total` events within a minute.
pub async fn visible(store: &dyn EventStore, total: usize) -> Vec<RecordedEvent> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let all = store
            .read_all(Cursor::START, 10_000)
            .await
            .expect("the feed reads");
        if all.len() >= total || tokio::time::Instant::now() > deadline {
            assert_eq!(all.len(), total, "every event became visible");
            return all;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// The PostgreSQL server tests create their databases on.
pub fn postgres_server() -> String {
    std::env::var("NIAGA_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned())
}

/// A new, empty, migrated database of the given kind.
pub async fn fresh_database(backend: Backend) -> Result<Database, StoreError> {
    let url = fresh_database_url(backend).await?;
    let database = Database::connect(&url).await?;
    database.migrate().await?;
    Ok(database)
}

/// The URL of a new, empty database of the given kind (not migrated), with commits flushed
/// to disk as in production (for benchmarks).
pub async fn fresh_durable_database_url(backend: Backend) -> Result<String, StoreError> {
    let url = fresh_database_url(backend).await?;
    if backend == Backend::Postgres {
        let mut conn = PgConnection::connect(&url).await?;
        let name = url.rsplit('/').next().unwrap_or_default();
        sqlx::query(&format!("ALTER DATABASE {name} RESET synchronous_commit"))
            .execute(&mut conn)
            .await?;
        conn.close().await?;
    }
    Ok(url)
}

/// The URL of a new, empty database of the given kind (not migrated).
pub async fn fresh_database_url(backend: Backend) -> Result<String, StoreError> {
    let name = format!("niaga_test_{}", Uuid::now_v7().simple());
    match backend {
        Backend::Sqlite => {
            let path = std::env::temp_dir().join(format!("{name}.db"));
            Ok(format!("sqlite://{}", path.display()))
        }
        Backend::Postgres => {
            let server = postgres_server();
            let mut admin = PgConnection::connect(&format!("{server}/postgres")).await?;
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut admin)
                .await?;
            // Tests check behaviour, not durability: skip the flush at commit to keep the
            // suite fast. Production databases keep the server's setting.
            sqlx::query(&format!(
                "ALTER DATABASE {name} SET synchronous_commit = off"
            ))
            .execute(&mut admin)
            .await?;
            admin.close().await?;
            Ok(format!("{server}/{name}"))
        }
    }
}

/// Generates one `#[tokio::test]` per back end for each named `async fn test(db: Database)`,
/// in modules `sqlite` and `postgres`, each test on a fresh migrated database. The calling
/// crate needs tokio with the `macros` feature.
#[macro_export]
macro_rules! on_both_backends {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $test() {
                    let db = $crate::testing::fresh_database($crate::Backend::Sqlite)
                        .await
                        .expect("a fresh SQLite database");
                    super::$test(db).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $test() {
                    let db = $crate::testing::fresh_database($crate::Backend::Postgres)
                        .await
                        .expect("a fresh PostgreSQL database (is the server running?)");
                    super::$test(db).await
                }
            )*
        }
    };
}
