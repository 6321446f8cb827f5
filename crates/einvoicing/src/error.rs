//! Why a submitter cycle stopped. A document LHDN refuses is not an error: it is recorded on
//! the document.

use niaga_lhdn::client::ClientError;

#[derive(Debug, thiserror::Error)]
pub enum SubmitterError {
    #[error("the event store failed: {0}")]
    Store(String),
    #[error(transparent)]
    ReadModel(#[from] niaga_projections::ProjectionError),
    #[error(transparent)]
    Documents(#[from] niaga_documents::DocumentError),
    #[error(transparent)]
    MyInvois(#[from] ClientError),
    #[error("the submitter's lease could not be taken: {0}")]
    Lease(#[from] sqlx::Error),
}
