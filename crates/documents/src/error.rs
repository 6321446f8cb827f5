//! Why a document store operation failed.

use chrono::NaiveDate;

use crate::DocumentKey;

/// A refusal (not found, still retained, under legal hold, tampered) or a fault of the
/// database or the object store.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("no document {0}")]
    NotFound(DocumentKey),
    /// The seven years are not over: records must be kept until `until` (inclusive).
    #[error("document {key} must be kept until {until}")]
    Retained { key: DocumentKey, until: NaiveDate },
    #[error("document {0} is under legal hold")]
    LegalHold(DocumentKey),
    /// The stored object no longer hashes to the digest recorded for it.
    #[error("document {key} was altered: its object hashes to {actual}")]
    Tampered { key: DocumentKey, actual: String },
    #[error("a metadata row is unreadable: {0}")]
    Corrupt(String),
    #[error("object store: {0}")]
    Objects(#[from] object_store::Error),
    #[error("cannot create the documents folder: {0}")]
    Folder(#[from] std::io::Error),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
}
