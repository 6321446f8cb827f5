use crate::StreamRef;

/// Why the store could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Someone else appended to the stream since it was read.
    #[error("stream {stream} is at version {actual}, not {expected}")]
    Conflict {
        stream: StreamRef,
        expected: u64,
        actual: u64,
    },
    /// The same idempotency key was used on this stream for a different request.
    #[error("idempotency key already used on {stream} for a different request")]
    IdempotencyKeyReused { stream: StreamRef },
    /// A stored row cannot be read back as an event.
    #[error("stored event is corrupt: {0}")]
    Corrupt(String),
    #[error("cannot encode event: {0}")]
    Encode(#[from] serde_json::Error),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl StoreError {
    /// Whether a database error is the unique-key violation of a concurrent writer.
    pub(crate) fn is_unique_violation(error: &sqlx::Error) -> bool {
        matches!(error, sqlx::Error::Database(db) if db.is_unique_violation())
    }
}
