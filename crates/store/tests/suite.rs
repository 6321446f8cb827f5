//! The event store test suite. Every test runs against SQLite and against PostgreSQL.
#![allow(clippy::unwrap_used)]

mod suite {
    pub mod concurrency;
    pub mod handler;
    pub mod immutability;
    pub mod store;
    pub mod tally;
}

/// Generates one `#[tokio::test]` per back end for each named async test fn taking a
/// `Database`.
#[macro_export]
macro_rules! on_both_backends {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $test() {
                    let db = niaga_store::testing::fresh_database(niaga_store::Backend::Sqlite)
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
                    let db = niaga_store::testing::fresh_database(niaga_store::Backend::Postgres)
                        .await
                        .expect("a fresh PostgreSQL database (is the server running?)");
                    super::$test(db).await
                }
            )*
        }
    };
}
