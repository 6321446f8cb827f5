//! The state file: a SQLite database the sandbox writes through (one JSON record per
//! document, submission and session, plus the clock offset), read back at start so a
//! restarted sandbox still knows what it accepted.

use std::path::Path;

use chrono::TimeDelta;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::state::{Session, State, StoredDocument, Submission};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("state database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("state database holds an unreadable {kind} record {id}: {source}")]
    Corrupt {
        kind: String,
        id: String,
        source: serde_json::Error,
    },
}

#[derive(Debug)]
pub(crate) struct Write {
    kind: &'static str,
    id: String,
    body: String,
}

impl Write {
    fn new(kind: &'static str, id: &str, value: &impl Serialize) -> Option<Self> {
        match serde_json::to_string(value) {
            Ok(body) => Some(Self {
                kind,
                id: id.to_owned(),
                body,
            }),
            Err(error) => {
                tracing::error!(%error, kind, "cannot serialise a state record");
                None
            }
        }
    }

    pub(crate) fn document(document: &StoredDocument) -> Option<Self> {
        Self::new("document", &document.uuid, document)
    }

    pub(crate) fn submission(submission: &Submission) -> Option<Self> {
        Self::new("submission", &submission.uid, submission)
    }

    pub(crate) fn session(key: &str, session: &Session) -> Option<Self> {
        Self::new("session", key, session)
    }

    pub(crate) fn clock(offset: TimeDelta) -> Option<Self> {
        Self::new("clock", "offset_ms", &offset.num_milliseconds())
    }
}

/// What was read back at start.
#[derive(Debug, Default)]
pub(crate) struct Loaded {
    pub(crate) state: State,
    pub(crate) clock_offset: Option<TimeDelta>,
}

pub(crate) async fn open(path: &Path) -> Result<(SqlitePool, Loaded), StoreError> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true);
    // One connection: writes arrive in order from one task.
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await?;
    sqlx::query(include_str!("../migrations/0001_records.sql"))
        .execute(&pool)
        .await?;
    let rows: Vec<(String, String, String)> = sqlx::query_as("SELECT kind, id, body FROM records")
        .fetch_all(&pool)
        .await?;
    let mut loaded = Loaded::default();
    for (kind, id, body) in rows {
        match kind.as_str() {
            "document" => {
                let document: StoredDocument = parse(&kind, &id, &body)?;
                loaded.state.documents.insert(id, document);
            }
            "submission" => {
                let submission: Submission = parse(&kind, &id, &body)?;
                loaded.state.submissions.insert(id, submission);
            }
            "session" => {
                let session: Session = parse(&kind, &id, &body)?;
                loaded.state.sessions.insert(id, session);
            }
            "clock" => {
                let offset: i64 = parse(&kind, &id, &body)?;
                loaded.clock_offset = Some(TimeDelta::milliseconds(offset));
            }
            _ => tracing::warn!(kind, "ignoring an unknown state record"),
        }
    }
    Ok((pool, loaded))
}

fn parse<T: DeserializeOwned>(kind: &str, id: &str, body: &str) -> Result<T, StoreError> {
    serde_json::from_str(body).map_err(|source| StoreError::Corrupt {
        kind: kind.to_owned(),
        id: id.to_owned(),
        source,
    })
}

/// Writes records in the order they were sent until the sender is dropped.
pub(crate) fn spawn_writer(pool: SqlitePool) -> (mpsc::UnboundedSender<Write>, JoinHandle<()>) {
    let (sender, mut receiver) = mpsc::unbounded_channel::<Write>();
    let task = tokio::spawn(async move {
        while let Some(write) = receiver.recv().await {
            let result = sqlx::query(
                "INSERT INTO records (kind, id, body) VALUES (?, ?, ?) \
                 ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body",
            )
            .bind(write.kind)
            .bind(&write.id)
            .bind(&write.body)
            .execute(&pool)
            .await;
            if let Err(error) = result {
                tracing::error!(%error, kind = write.kind, "cannot write the state file");
            }
        }
        pool.close().await;
    });
    (sender, task)
}
