//! Where each projector is in the global feed.

use niaga_store::{Cursor, Database, on_reader};

use crate::{ProjectionError, ReadTx, on_tx};

/// A projector's progress as the admin screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Checkpoint {
    pub projection: String,
    pub cursor: Cursor,
    pub last_error: Option<String>,
}

fn cursor(transaction: i64, position: i64) -> Cursor {
    Cursor {
        transaction: u64::try_from(transaction).unwrap_or(0),
        position,
    }
}

/// The cursor of the last event applied by `projection` (the start if it never ran).
pub async fn load(db: &Database, projection: &str) -> Result<Cursor, ProjectionError> {
    let row: Option<(i64, i64)> = on_reader!(db, pool => sqlx::query_as(
        "SELECT transaction_id, position FROM projection_checkpoints WHERE projection = $1",
    )
    .bind(projection)
    .fetch_optional(pool)
    .await)?;
    Ok(row.map_or(Cursor::START, |(t, p)| cursor(t, p)))
}

/// Takes the projector's checkpoint row for this transaction and returns its cursor. The
/// no-op upsert locks the row on PostgreSQL (and takes the write lock on SQLite) until the
/// transaction ends, so a batch and a rebuild's switch-over, or two instances that both
/// believe they run the projector, never apply on top of each other: whoever comes second
/// sees the cursor moved and reads again from there.
pub async fn claim(tx: &mut ReadTx, projection: &str) -> Result<Cursor, ProjectionError> {
    let (t, p): (i64, i64) = on_tx!(tx, conn => sqlx::query_as(
        "INSERT INTO projection_checkpoints (projection) VALUES ($1) \
         ON CONFLICT (projection) DO UPDATE SET position = projection_checkpoints.position \
         RETURNING transaction_id, position",
    )
    .bind(projection)
    .fetch_one(conn)
    .await)?;
    Ok(cursor(t, p))
}

/// Moves the checkpoint, inside the transaction that applied the events.
pub async fn advance(tx: &mut ReadTx, projection: &str, to: Cursor) -> Result<(), ProjectionError> {
    let transaction = i64::try_from(to.transaction).unwrap_or(i64::MAX);
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO projection_checkpoints (projection, transaction_id, position, last_error) \
         VALUES ($1, $2, $3, NULL) \
         ON CONFLICT (projection) DO UPDATE SET transaction_id = excluded.transaction_id, \
         position = excluded.position, last_error = NULL",
    )
    .bind(projection)
    .bind(transaction)
    .bind(to.position)
    .execute(conn)
    .await.map(drop))?;
    Ok(())
}

/// Records why a projector is stuck, without moving it.
pub async fn record_error(
    db: &Database,
    projection: &str,
    error: &str,
) -> Result<(), ProjectionError> {
    niaga_store::on_writer!(db, pool => sqlx::query(
        "INSERT INTO projection_checkpoints (projection, last_error) VALUES ($1, $2) \
         ON CONFLICT (projection) DO UPDATE SET last_error = excluded.last_error",
    )
    .bind(projection)
    .bind(error)
    .execute(pool)
    .await.map(drop))?;
    Ok(())
}

/// Every projector's checkpoint.
pub async fn all(db: &Database) -> Result<Vec<Checkpoint>, ProjectionError> {
    let rows: Vec<(String, i64, i64, Option<String>)> = on_reader!(db, pool => sqlx::query_as(
        "SELECT projection, transaction_id, position, last_error FROM projection_checkpoints \
         ORDER BY projection",
    )
    .fetch_all(pool)
    .await)?;
    Ok(rows
        .into_iter()
        .map(|(projection, t, p, last_error)| Checkpoint {
            projection,
            cursor: cursor(t, p),
            last_error,
        })
        .collect())
}

/// Whether `projection` has applied the event at global `position` (read-your-writes).
/// On PostgreSQL the feed is ordered by (transaction, position), so the event's transaction
/// is looked up and the pair compared with the checkpoint.
pub async fn has_applied(
    db: &Database,
    projection: &str,
    position: i64,
) -> Result<bool, ProjectionError> {
    let at = load(db, projection).await?;
    match db {
        Database::Sqlite { .. } => Ok(at.position >= position),
        Database::Postgres(pool) => {
            let transaction: Option<i64> = sqlx::query_scalar(
                "SELECT transaction_id::text::bigint FROM events WHERE position = $1",
            )
            .bind(position)
            .fetch_optional(pool)
            .await?;
            Ok(transaction.is_some_and(|t| cursor(t, position) <= at))
        }
    }
}

/// A read model's progress, as operators see it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ProjectionStatus {
    pub name: String,
    /// The global position of the last event applied (0: none yet).
    pub position: i64,
    /// Positions between it and the newest event: the events still to apply (fewer where
    /// PostgreSQL skipped positions of rolled-back appends).
    pub behind: i64,
    /// Why the projector is stuck, while it is: it retries the same event, never skips it.
    pub last_error: Option<String>,
}

/// Every projection Niaga runs, with its checkpoint (also those that never ran).
pub async fn status(db: &Database) -> Result<Vec<ProjectionStatus>, ProjectionError> {
    let head = head(db).await?;
    let checkpoints = all(db).await?;
    Ok(crate::all()
        .iter()
        .map(|projection| {
            let checkpoint = checkpoints
                .iter()
                .find(|c| c.projection == projection.name());
            let position = checkpoint.map_or(0, |c| c.cursor.position);
            ProjectionStatus {
                name: projection.name().to_owned(),
                position,
                behind: (head - position).max(0),
                last_error: checkpoint.and_then(|c| c.last_error.clone()),
            }
        })
        .collect())
}

/// The newest event's global position (0 when there is none).
pub async fn head(db: &Database) -> Result<i64, ProjectionError> {
    let head: Option<i64> = on_reader!(db, pool => sqlx::query_scalar("SELECT MAX(position) FROM events")
        .fetch_one(pool)
        .await)?;
    Ok(head.unwrap_or(0))
}
