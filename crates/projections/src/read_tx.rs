//! A read-model transaction on whichever database Niaga runs on.

use niaga_store::Database;
use sqlx::{Postgres, Sqlite, Transaction};

/// An open transaction on the database's writer.
#[derive(Debug)]
pub enum ReadTx {
    Postgres(Transaction<'static, Postgres>),
    Sqlite(Transaction<'static, Sqlite>),
}

impl ReadTx {
    pub async fn begin(db: &Database) -> Result<Self, sqlx::Error> {
        Ok(match db {
            Database::Postgres(pool) => Self::Postgres(pool.begin().await?),
            Database::Sqlite { writer, .. } => Self::Sqlite(writer.begin().await?),
        })
    }

    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Self::Postgres(tx) => tx.commit().await,
            Self::Sqlite(tx) => tx.commit().await,
        }
    }
}

/// Runs one body on the transaction's connection, type-checked once per back end:
/// `on_tx!(tx, conn => sqlx::query("…").bind(x).execute(conn).await)`.
#[macro_export]
macro_rules! on_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match $tx {
            $crate::ReadTx::Postgres(tx) => {
                let $conn = &mut **tx;
                $body
            }
            $crate::ReadTx::Sqlite(tx) => {
                let $conn = &mut **tx;
                $body
            }
        }
    };
}
