//! Rebuilding every read model from the first event gives back the same rows: checked at the
//! end of the flows that fill the most tables (sales, the pipeline, purchasing, rentals,
//! delivery orders, the consolidated e-invoice), so each column of each read model goes
//! through a rebuild, which on PostgreSQL is applied in SQLite and copied back (decision
//! 0016), and rows the live projectors folded event by event are compared with rows a
//! rebuild folded a whole batch at a time.

use std::time::{Duration, Instant};

use niaga_projections::{checkpoint, rebuild::rebuild, runner};
use niaga_store::Database;

use crate::helpers::TestApp;

/// Every row of every read model, as text, in a stable order.
async fn snapshot(db: &Database) -> Vec<(&'static str, Vec<String>)> {
    let mut tables = Vec::new();
    for projection in niaga_projections::all() {
        for &table in projection.tables() {
            let rows: Vec<String> = match db {
                Database::Postgres(pool) => sqlx::query_scalar(&format!(
                    "SELECT to_jsonb(t)::text AS r FROM {table} t ORDER BY r"
                ))
                .fetch_all(pool)
                .await
                .unwrap(),
                Database::Sqlite { reader, .. } => {
                    let columns: Vec<String> = sqlx::query_scalar(&format!(
                        "SELECT name FROM pragma_table_info('{table}')"
                    ))
                    .fetch_all(reader)
                    .await
                    .unwrap();
                    let row = columns
                        .iter()
                        .map(|c| format!("'{c}', {c}"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    sqlx::query_scalar(&format!(
                        "SELECT json_object({row}) AS r FROM {table} ORDER BY r"
                    ))
                    .fetch_all(reader)
                    .await
                    .unwrap()
                }
            };
            tables.push((table, rows));
        }
    }
    tables
}

/// Waits until every read model has applied all history, rebuilds each from position 0 and
/// asserts its tables hold the same rows as before.
pub async fn assert_read_models_rebuild_identically(app: &TestApp) {
    let db = app.state.db();
    let head = checkpoint::head(db).await.unwrap();
    let store = db.event_store();
    for projection in niaga_projections::all() {
        // Applied here too: not every test app runs the projectors. On PostgreSQL the
        // feed's visible end may lag behind other tests' open transactions for a while.
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            runner::catch_up(projection.as_ref(), db, store.as_ref())
                .await
                .unwrap();
            if checkpoint::load(db, projection.name())
                .await
                .unwrap()
                .position
                >= head
            {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "{} never caught up",
                projection.name()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    let before = snapshot(db).await;
    assert!(
        before.iter().filter(|(_, rows)| !rows.is_empty()).count() >= 2,
        "the flow filled too few read models to say much: {before:?}"
    );
    for projection in niaga_projections::all() {
        rebuild(projection.as_ref(), db, &|_| {}).await.unwrap();
    }
    let after = snapshot(db).await;
    for ((table, was), (_, is)) in before.iter().zip(&after) {
        assert_eq!(was, is, "{table} differs after its rebuild");
    }
}
