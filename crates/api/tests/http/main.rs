//! The HTTP API through its real router (`app(state)` + `oneshot`), on a fresh database per
//! test. Tests that touch the database run on SQLite and on PostgreSQL.
#![allow(clippy::unwrap_used)]

mod helpers;

mod admin;
mod audit;
mod auth;
mod browser;
mod commands;
mod customers;
mod delivery_orders;
mod errors;
mod events;
mod health;
mod lhdn;
mod openapi;
mod pdf_issuer;
mod pdfs;
mod pipeline;
mod purchasing;
mod rebuilds;
mod receivables;
mod rentals;
mod sales;
mod users;

/// Generates one `#[tokio::test]` per back end for each named async test fn taking a
/// `TestApp`.
#[macro_export]
macro_rules! on_both_backends {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $test() {
                    let app = $crate::helpers::TestApp::spawn(niaga_store::Backend::Sqlite).await;
                    super::$test(app).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $test() {
                    let app = $crate::helpers::TestApp::spawn(niaga_store::Backend::Postgres).await;
                    super::$test(app).await
                }
            )*
        }
    };
}
