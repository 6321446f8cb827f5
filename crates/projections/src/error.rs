use niaga_domain::UpcastError;
use niaga_store::StoreError;

/// Why a projector could not apply an event. The projector retries and never skips it.
#[derive(Debug, thiserror::Error)]
pub enum ProjectionError {
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot read stored event: {0}")]
    Unreadable(#[from] UpcastError),
    /// An event holds what a read model cannot keep: a bug or a corrupt event.
    #[error("cannot project event: {0}")]
    Corrupt(String),
    /// A rebuild that cannot run, e.g. of a projection that declares no tables.
    #[error("cannot rebuild {projection}: {reason}")]
    Rebuild { projection: String, reason: String },
    #[error("read model did not catch up to position {position} in time")]
    NotCaughtUp { position: i64 },
}
