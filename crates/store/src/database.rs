//! Connecting to the configured database and bringing its schema up to date.

use std::{str::FromStr, sync::Arc, time::Duration};

use sqlx::{
    PgPool, SqlitePool,
    migrate::Migrator,
    postgres::PgPoolOptions,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};

use crate::{EventStore, PgEventStore, SqliteEventStore, StoreError};

static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../../migrations/postgres");
static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../../migrations/sqlite");

/// Which database Niaga runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Sqlite,
}

/// The connection pools of the configured database, shared by the event store, the read
/// models and the API.
#[derive(Debug, Clone)]
pub enum Database {
    Postgres(PgPool),
    /// SQLite has one writer at a time. Every write goes through `writer`, a pool of one
    /// connection, so writers queue in the process instead of failing with `SQLITE_BUSY`;
    /// reads use `reader`, which WAL lets run beside the writer.
    Sqlite {
        reader: SqlitePool,
        writer: SqlitePool,
    },
}

impl Database {
    /// Connects to `postgres://…` or `sqlite://path` (the file is created if missing).
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = PgPoolOptions::new()
                .max_connections(32)
                // No ping before every use: it doubles the round trips of a command. A dead
                // connection fails its statement instead, and the client may retry.
                .test_before_acquire(false)
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await?;
            Ok(Self::Postgres(pool))
        } else {
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                // FULL: a committed invoice survives a power cut, not only a crash.
                .synchronous(SqliteSynchronous::Full)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true);
            let writer = SqlitePoolOptions::new()
                .max_connections(1)
                .connect_with(options.clone())
                .await?;
            let reader = SqlitePoolOptions::new()
                .max_connections(4)
                .connect_with(options.read_only(true))
                .await?;
            Ok(Self::Sqlite { reader, writer })
        }
    }

    /// A private SQLite database in this process's memory with every migration applied,
    /// gone when the pool is closed: scratch space for work that writes many small rows
    /// before anyone may read them (a read model's rebuild).
    pub async fn in_memory_sqlite() -> Result<SqlitePool, StoreError> {
        let options = SqliteConnectOptions::from_str("sqlite::memory:")?
            .journal_mode(SqliteJournalMode::Memory)
            .synchronous(SqliteSynchronous::Off);
        // Each in-memory connection is a database of its own.
        let pool = one_kept_sqlite_connection(options).await?;
        SQLITE_MIGRATIONS.run(&pool).await?;
        Ok(pool)
    }

    pub fn backend(&self) -> Backend {
        match self {
            Self::Postgres(_) => Backend::Postgres,
            Self::Sqlite { .. } => Backend::Sqlite,
        }
    }

    /// Applies the migrations not applied yet. Safe to run from several instances at once
    /// (sqlx takes an advisory lock on PostgreSQL).
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self {
            Self::Postgres(pool) => POSTGRES_MIGRATIONS.run(pool).await?,
            Self::Sqlite { writer, .. } => SQLITE_MIGRATIONS.run(writer).await?,
        }
        Ok(())
    }

    /// Whether the database answers and every migration this build knows is applied.
    pub async fn is_ready(&self) -> bool {
        const APPLIED: &str = "SELECT COUNT(*) FROM _sqlx_migrations WHERE success";
        let applied: Result<i64, sqlx::Error> = match self {
            Self::Postgres(pool) => sqlx::query_scalar(APPLIED).fetch_one(pool).await,
            Self::Sqlite { reader, .. } => sqlx::query_scalar(APPLIED).fetch_one(reader).await,
        };
        let expected = match self {
            Self::Postgres(_) => POSTGRES_MIGRATIONS.iter().count(),
            Self::Sqlite { .. } => SQLITE_MIGRATIONS.iter().count(),
        };
        matches!(applied, Ok(n) if usize::try_from(n).is_ok_and(|n| n >= expected))
    }

    /// The event store on this database.
    pub fn event_store(&self) -> Arc<dyn EventStore> {
        match self {
            Self::Postgres(pool) => Arc::new(PgEventStore::new(pool.clone())),
            Self::Sqlite { reader, writer } => {
                Arc::new(SqliteEventStore::new(reader.clone(), writer.clone()))
            }
        }
    }

    pub async fn close(&self) {
        match self {
            Self::Postgres(pool) => pool.close().await,
            Self::Sqlite { reader, writer } => {
                reader.close().await;
                writer.close().await;
            }
        }
    }
}

/// A pool of one SQLite connection, never closed while the pool lives: what holds something
/// that belongs to its connection, a TEMP table or an in-memory database.
pub async fn one_kept_sqlite_connection(
    options: SqliteConnectOptions,
) -> Result<SqlitePool, sqlx::Error> {
    SqlitePoolOptions::new()
        .max_connections(1)
        .min_connections(1)
        .idle_timeout(None)
        .max_lifetime(None)
        .connect_with(options)
        .await
}

/// Runs the same code on whichever pool writes to the database: one body, type-checked once
/// per back end. `on_writer!(db, pool => sqlx::query("…").execute(pool).await)`.
#[macro_export]
macro_rules! on_writer {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::Database::Postgres($pool) => $body,
            $crate::Database::Sqlite { writer: $pool, .. } => $body,
        }
    };
}

/// Like [`on_writer!`], for reads (on SQLite, the read-only pool).
#[macro_export]
macro_rules! on_reader {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::Database::Postgres($pool) => $body,
            $crate::Database::Sqlite { reader: $pool, .. } => $body,
        }
    };
}
