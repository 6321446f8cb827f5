//! Why a PDF could not be issued. Every case is a fault (ours or the infrastructure's),
//! retried by the issuer and never shown to a customer.

use niaga_documents::DocumentError;
use niaga_pdf::PdfError;
use niaga_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum PdfIssueError {
    #[error(transparent)]
    Render(#[from] PdfError),
    #[error("document store: {0}")]
    Documents(#[from] DocumentError),
    #[error("event store: {0}")]
    Store(#[from] StoreError),
    #[error("checkpoint: {0}")]
    Checkpoint(#[from] niaga_projections::ProjectionError),
    #[error("lease: {0}")]
    Lease(#[from] sqlx::Error),
    /// Recording the PDF on its document's stream failed.
    #[error("recording the PDF: {0}")]
    Record(String),
    /// The stream or a record it names does not hold what the event promised.
    #[error("{0}")]
    Corrupt(String),
    #[error("the renderer stopped: {0}")]
    Join(#[from] tokio::task::JoinError),
}
