//! Why a job run failed.

use niaga_projections::ProjectionError;
use niaga_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    ReadModel(#[from] ProjectionError),
    /// A date the job cannot run for (outside what the calendar can hold).
    #[error("cannot run as of {0}")]
    Date(chrono::NaiveDate),
    /// A command the job issued failed for a reason other than a business rule.
    #[error("{0}")]
    Command(String),
}
