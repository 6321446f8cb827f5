//! Rebuilding a read model from the first event into fresh tables, while the live one keeps
//! serving, then switching over in one transaction.
//!
//! The projection's SQL names its tables without a schema, so the fresh tables are made where
//! an unqualified name finds them first: on PostgreSQL in the schema `niaga_rebuild`, put
//! first on the `search_path` of each rebuild transaction; on SQLite as TEMP tables of a
//! connection of the rebuild's own (a temp table shadows the main one on that connection
//! only). Both are made from the live tables' own definitions, so the fresh tables have the
//! same columns, constraints and index names as the migrations gave.
//!
//! On PostgreSQL, history is first applied in a private SQLite database in memory, which the
//! same SQL runs on (decision 0005), and the result is copied into the fresh tables in one
//! `COPY` per table: applying an event costs a statement or two in this process instead of
//! as many round trips to the server, which is what bounded the rebuild's rate.
//!
//! The switch-over claims the projector's checkpoint row (the live runner claims it at every
//! batch, see [`checkpoint::claim`]), applies what was written since, swaps the tables and
//! sets the checkpoint to where the rebuild stands, all in one transaction. The live runner's
//! next batch finds the checkpoint moved and continues from it: nothing is applied twice or
//! skipped, and readers see the old tables until the commit, then the new ones.

mod copy;

use niaga_store::{Cursor, Database, EventStore, FeedFilter};
use sqlx::{Executor, PgPool, Postgres, SqlitePool};

use crate::{
    FeedInterest, Projection, ProjectionError, ReadTx, checkpoint,
    runner::{BATCH, apply_batch},
};

/// The PostgreSQL schema fresh tables are built in.
const SCHEMA: &str = "niaga_rebuild";

/// How far a rebuild has come, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Events of the projection's aggregates applied so far (the rest of the feed is not
    /// read).
    pub applied: u64,
    /// The global position reached.
    pub position: i64,
    /// The last position in the store when the rebuild started.
    pub head: i64,
}

/// Rebuilds `projection` from position 0 and switches over to the result. Returns where it
/// ended: the events it applied and the position its checkpoint now stands at. `progress` is
/// called after every batch.
pub async fn rebuild(
    projection: &dyn Projection,
    db: &Database,
    progress: &(dyn Fn(Progress) + Send + Sync),
) -> Result<Progress, ProjectionError> {
    let tables = projection.tables();
    if tables.is_empty() {
        return Err(refused(projection, "it declares no tables"));
    }
    if let Some(bad) = tables.iter().find(|t| !is_plain_identifier(t)) {
        return Err(refused(projection, &format!("table name {bad:?}")));
    }
    let head = checkpoint::head(db).await?;
    let shadow = Shadow::prepare(db, tables).await?;
    let store = db.event_store();
    let interest = FeedInterest::of(projection);
    let filter = interest.filter();
    let mut cursor = Cursor::START;
    let mut applied = 0;
    // Catch up outside the switch-over, a batch per transaction, so that the lock the
    // switch-over takes is held only for the last few events. The next page is read while
    // this one is applied: the feed and the rebuilt tables are on two connections.
    let mut page = store.read_feed(cursor, BATCH, filter).await?;
    while page.next != cursor {
        let apply = async {
            let mut tx = shadow.begin_batch().await?;
            let applied = apply_batch(projection, &mut tx, &page.events).await?;
            tx.commit().await?;
            Ok::<_, ProjectionError>(applied)
        };
        let (applied_now, next) = tokio::join!(apply, store.read_feed(page.next, BATCH, filter));
        applied += applied_now?;
        cursor = page.next;
        progress(Progress {
            applied,
            position: cursor.position,
            head,
        });
        page = next?;
    }
    shadow.load(tables).await?;
    let mut tx = shadow.begin_switch_over().await?;
    checkpoint::claim(&mut tx, projection.name()).await?;
    applied += catch_up_in(projection, store.as_ref(), filter, &mut tx, &mut cursor).await?;
    shadow.swap(&mut tx, tables).await?;
    checkpoint::advance(&mut tx, projection.name(), cursor).await?;
    tx.commit().await?;
    shadow.clean_up().await?;
    let done = Progress {
        applied,
        position: cursor.position,
        head,
    };
    progress(done);
    Ok(done)
}

/// Applies every event `filter` wants after `cursor` in `tx`, moving `cursor`.
async fn catch_up_in(
    projection: &dyn Projection,
    store: &dyn EventStore,
    filter: FeedFilter<'_>,
    tx: &mut ReadTx,
    cursor: &mut Cursor,
) -> Result<u64, ProjectionError> {
    let mut applied = 0;
    loop {
        let page = store.read_feed(*cursor, BATCH, filter).await?;
        if page.next == *cursor {
            return Ok(applied);
        }
        applied += apply_batch(projection, tx, &page.events).await?;
        *cursor = page.next;
    }
}

fn refused(projection: &dyn Projection, reason: &str) -> ProjectionError {
    ProjectionError::Rebuild {
        projection: projection.name().to_owned(),
        reason: reason.to_owned(),
    }
}

/// Table names go into DDL, which takes no bind parameters: only names our own code declares,
/// of lower-case letters, digits and `_`, ever get there.
fn is_plain_identifier(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Where the fresh tables are, and how a transaction writes to them.
enum Shadow {
    Postgres {
        pool: PgPool,
        /// A SQLite database in memory, where the batches are applied before
        /// [`Shadow::load`] copies them over.
        staging: SqlitePool,
    },
    /// A database whose writer is the rebuild's own connection, holding the TEMP tables.
    Sqlite(Database),
}

impl Shadow {
    async fn prepare(db: &Database, tables: &[&str]) -> Result<Self, ProjectionError> {
        match db {
            Database::Postgres(pool) => {
                // What an earlier, interrupted rebuild left is thrown away.
                pool.execute(
                    format!("DROP SCHEMA IF EXISTS {SCHEMA} CASCADE; CREATE SCHEMA {SCHEMA}")
                        .as_str(),
                )
                .await?;
                for table in tables {
                    create_pg_table(pool, table).await?;
                }
                Ok(Self::Postgres {
                    pool: pool.clone(),
                    staging: Database::in_memory_sqlite().await?,
                })
            }
            Database::Sqlite { reader, writer } => {
                let options = writer.connect_options().as_ref().clone();
                // The temp tables live as long as this one connection.
                let own = niaga_store::one_kept_sqlite_connection(options).await?;
                for table in tables {
                    let ddl: Vec<(String, String)> = sqlx::query_as(
                        "SELECT type, sql FROM sqlite_master WHERE tbl_name = $1 \
                         AND sql IS NOT NULL ORDER BY type DESC",
                    )
                    .bind(table)
                    .fetch_all(&own)
                    .await?;
                    for (kind, sql) in ddl {
                        own.execute(temp_ddl(&kind, &sql).as_str()).await?;
                    }
                }
                Ok(Self::Sqlite(Database::Sqlite {
                    reader: reader.clone(),
                    writer: own,
                }))
            }
        }
    }

    /// A transaction for one batch of the catch-up.
    async fn begin_batch(&self) -> Result<ReadTx, ProjectionError> {
        Ok(match self {
            Self::Postgres { staging, .. } => ReadTx::Sqlite(staging.begin().await?),
            Self::Sqlite(db) => ReadTx::begin(db).await?,
        })
    }

    /// Puts what the batches applied into the fresh tables.
    async fn load(&self, tables: &[&str]) -> Result<(), ProjectionError> {
        let Self::Postgres { pool, staging } = self else {
            return Ok(());
        };
        let mut tx = pool.begin().await?;
        // Nobody reads the fresh tables yet: a crash that loses this commit loses a rebuild
        // that is started again anyway, so it does not wait for the disk (the database stays
        // consistent). The switch-over's own commit does.
        tx.execute("SET LOCAL synchronous_commit TO off").await?;
        for table in tables {
            copy::copy_table(staging, &mut tx, SCHEMA, table).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The switch-over's transaction, writing to the fresh tables.
    async fn begin_switch_over(&self) -> Result<ReadTx, ProjectionError> {
        match self {
            Self::Postgres { pool, .. } => {
                let mut tx = pool.begin().await?;
                tx.execute(format!("SET LOCAL search_path TO {SCHEMA}, public").as_str())
                    .await?;
                Ok(ReadTx::Postgres(tx))
            }
            Self::Sqlite(db) => Ok(ReadTx::begin(db).await?),
        }
    }

    /// Puts the fresh tables where the live ones are, inside the switch-over's transaction.
    async fn swap(&self, tx: &mut ReadTx, tables: &[&str]) -> Result<(), ProjectionError> {
        for table in tables {
            let sql = match tx {
                ReadTx::Postgres(_) => format!(
                    "DROP TABLE public.{table}; ALTER TABLE {SCHEMA}.{table} SET SCHEMA public"
                ),
                ReadTx::Sqlite(_) => format!(
                    "DELETE FROM main.{table}; INSERT INTO main.{table} SELECT * FROM temp.{table}"
                ),
            };
            match tx {
                ReadTx::Postgres(tx) => {
                    tx.execute(sql.as_str()).await?;
                }
                ReadTx::Sqlite(tx) => {
                    tx.execute(sql.as_str()).await?;
                }
            }
        }
        Ok(())
    }

    async fn clean_up(self) -> Result<(), ProjectionError> {
        match self {
            Self::Postgres { pool, staging } => {
                staging.close().await;
                pool.execute(format!("DROP SCHEMA IF EXISTS {SCHEMA} CASCADE").as_str())
                    .await?;
            }
            Self::Sqlite(db) => {
                if let Database::Sqlite { writer, .. } = db {
                    writer.close().await;
                }
            }
        }
        Ok(())
    }
}

/// Makes `SCHEMA.table` like `public.table`: columns (with their collations and defaults),
/// then the same constraints and indexes under the same names, so that error mapping and plan
/// tests that name them hold after the switch-over.
async fn create_pg_table(pool: &PgPool, table: &str) -> Result<(), ProjectionError> {
    let live = format!("public.{table}");
    let fresh = format!("{SCHEMA}.{table}");
    pool.execute(
        format!("CREATE TABLE {fresh} (LIKE {live} INCLUDING DEFAULTS INCLUDING GENERATED INCLUDING IDENTITY)")
            .as_str(),
    )
    .await?;
    let constraints: Vec<(String, String)> = sqlx::query_as(
        "SELECT conname::text, pg_get_constraintdef(oid) FROM pg_constraint \
         WHERE conrelid = $1::regclass AND contype IN ('p', 'u', 'c', 'x') ORDER BY conname",
    )
    .bind(&live)
    .fetch_all(pool)
    .await?;
    for (name, definition) in constraints {
        pool.execute(format!("ALTER TABLE {fresh} ADD CONSTRAINT {name} {definition}").as_str())
            .await?;
    }
    let indexes: Vec<String> = sqlx::query_scalar(
        "SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = $1::regclass \
         AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = indexrelid) \
         ORDER BY indexrelid",
    )
    .bind(&live)
    .fetch_all(pool)
    .await?;
    for index in indexes {
        let on_fresh = index.replacen(&format!(" ON {live} "), &format!(" ON {fresh} "), 1);
        sqlx::query::<Postgres>(&on_fresh).execute(pool).await?;
    }
    Ok(())
}

/// The DDL SQLite keeps for a table or index of `main`, turned into the same object in
/// `temp`: `CREATE TABLE t` → `CREATE TEMP TABLE t`, `CREATE INDEX i ON t` →
/// `CREATE INDEX temp.i ON t`.
fn temp_ddl(kind: &str, sql: &str) -> String {
    match kind {
        "table" => sql.replacen("CREATE TABLE ", "CREATE TEMP TABLE ", 1),
        _ if sql.starts_with("CREATE UNIQUE INDEX ") => {
            sql.replacen("CREATE UNIQUE INDEX ", "CREATE UNIQUE INDEX temp.", 1)
        }
        _ => sql.replacen("CREATE INDEX ", "CREATE INDEX temp.", 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_ddl_moves_to_temp() {
        assert_eq!(
            temp_ddl("table", "CREATE TABLE customer_list (a TEXT)"),
            "CREATE TEMP TABLE customer_list (a TEXT)"
        );
        assert_eq!(
            temp_ddl("index", "CREATE INDEX by_name ON customer_list (a)"),
            "CREATE INDEX temp.by_name ON customer_list (a)"
        );
        assert_eq!(
            temp_ddl("index", "CREATE UNIQUE INDEX u ON t (a)"),
            "CREATE UNIQUE INDEX temp.u ON t (a)"
        );
    }

    #[test]
    fn only_plain_names_reach_ddl() {
        assert!(is_plain_identifier("customer_list"));
        assert!(is_plain_identifier("t2"));
        for bad in ["", "Customer", "a;b", "a b", "public.t", "t\""] {
            assert!(!is_plain_identifier(bad), "{bad}");
        }
    }
}
