//! Runs a projection: follow the feed from the checkpoint, apply each batch and advance the
//! checkpoint in one transaction, wake on new events, retry failures without skipping.

use std::{sync::Arc, time::Duration};

use niaga_store::{Database, EventStore};
use sqlx::{PgConnection, PgPool};
use tokio::sync::Notify;
use tracing::{info, instrument, warn};

use crate::{FeedInterest, Projection, ProjectionError, ReadTx, checkpoint};

/// Events read and applied per transaction.
pub(crate) const BATCH: u32 = 500;
/// How often an idle projector looks for events another instance wrote.
const POLL: Duration = Duration::from_secs(1);
const MAX_BACKOFF: Duration = Duration::from_secs(60);

/// Applies every event of the projection's aggregates after the checkpoint, a batch per
/// transaction, until the feed has no more. Returns how many events were applied.
#[instrument(skip_all, fields(projection = projection.name()))]
pub async fn catch_up(
    projection: &dyn Projection,
    db: &Database,
    store: &dyn EventStore,
) -> Result<u64, ProjectionError> {
    let interest = FeedInterest::of(projection);
    let filter = interest.filter();
    let mut cursor = checkpoint::load(db, projection.name()).await?;
    let mut applied = 0;
    loop {
        let page = store.read_feed(cursor, BATCH, filter).await?;
        if page.next == cursor {
            return Ok(applied);
        }
        let mut tx = ReadTx::begin(db).await?;
        let at = checkpoint::claim(&mut tx, projection.name()).await?;
        if at != cursor {
            // A rebuild switched over, or another instance applied these: start from where
            // the read model really is. Dropping `tx` rolls it back.
            cursor = at;
            continue;
        }
        applied += apply_batch(projection, &mut tx, &page.events).await?;
        // Past the other aggregates' events too, up to the feed's visible end when the page
        // came back short: a caller waiting for its write to show sees the checkpoint reach
        // it even when the write was not this projection's.
        checkpoint::advance(&mut tx, projection.name(), page.next).await?;
        tx.commit().await?;
        cursor = page.next;
    }
}

/// Applies `batch` in `tx`; how many events it held.
pub(crate) async fn apply_batch(
    projection: &dyn Projection,
    tx: &mut ReadTx,
    batch: &[niaga_store::RecordedEvent],
) -> Result<u64, ProjectionError> {
    projection.apply_batch(tx, batch).await?;
    Ok(batch.len() as u64)
}

/// Runs a projection until the task is dropped: catches up, then waits for `wake` (an
/// append in this process) or the poll interval (appends by other instances). A failing
/// event is retried with growing pauses and the error is shown in its checkpoint; it is never
/// skipped.
pub async fn run(
    projection: Arc<dyn Projection>,
    db: Database,
    store: Arc<dyn EventStore>,
    wake: Arc<Notify>,
) {
    // Held for as long as this instance runs the projection (PostgreSQL only).
    let _lease = match &db {
        Database::Postgres(pool) => Some(lease(pool, projection.name()).await),
        Database::Sqlite { .. } => None,
    };
    let mut backoff = Duration::from_millis(500);
    loop {
        let notified = wake.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        match catch_up(projection.as_ref(), &db, store.as_ref()).await {
            Ok(_) => {
                backoff = Duration::from_millis(500);
                tokio::select! {
                    () = notified => {}
                    () = tokio::time::sleep(POLL) => {}
                }
            }
            Err(error) => {
                warn!(projection = projection.name(), %error, retry_in = ?backoff, "projection stuck");
                let _ = checkpoint::record_error(&db, projection.name(), &error.to_string()).await;
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
        }
    }
}

/// Waits until this instance holds the projection's advisory lock, so that exactly one of
/// several `niaga serve` processes sharing a database runs it. The lock lives as long as the
/// returned connection, which is taken out of the pool: when the projector stops (its task
/// dropped, or the process dead) the connection closes and PostgreSQL releases the lock for
/// another instance, instead of it idling in the pool, still held.
async fn lease(pool: &PgPool, name: &str) -> PgConnection {
    loop {
        let attempt: Result<(PgConnection, bool), sqlx::Error> = async {
            let mut conn = pool.acquire().await?.detach();
            let held: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock(hashtext($1))")
                .bind(format!("niaga.projection.{name}"))
                .fetch_one(&mut conn)
                .await?;
            Ok((conn, held))
        }
        .await;
        match attempt {
            Ok((conn, true)) => {
                info!(projection = name, "running projection");
                return conn;
            }
            Ok((conn, false)) => drop(conn),
            Err(error) => warn!(projection = name, %error, "cannot take projection lease"),
        }
        tokio::time::sleep(Duration::from_secs(5)).await;
    }
}

/// Starts every projection in the background.
pub fn spawn_all(db: &Database, wake: &Arc<Notify>) -> Vec<tokio::task::JoinHandle<()>> {
    let store = db.event_store();
    crate::all()
        .into_iter()
        .map(|projection| tokio::spawn(run(projection, db.clone(), store.clone(), wake.clone())))
        .collect()
}

/// Waits until `projection` has applied the event at `position`, at most `within`.
pub async fn wait_for(
    db: &Database,
    projection: &str,
    position: i64,
    within: Duration,
) -> Result<(), ProjectionError> {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        if checkpoint::has_applied(db, projection, position).await? {
            return Ok(());
        }
        if tokio::time::Instant::now() >= deadline {
            return Err(ProjectionError::NotCaughtUp { position });
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
