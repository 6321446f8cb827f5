//! The PDF issuer: follows the event feed from its own checkpoint and, for each event that
//! issues a document (an invoice or note issued, LHDN's validation of an invoice, a
//! quotation's revision sent, a delivery order signed, a rental unit returned), renders the
//! document's PDF, keeps it in the document store and records it on the document's stream
//! (`InvoicePdfIssued`, `QuotationPdfIssued`, `DeliveryOrderPdfIssued`,
//! `RentalReturnReceiptIssued`) with its SHA-256, size and document key.
//!
//! **Never lost**: the checkpoint moves only after the PDFs of a page are recorded, so a
//! crash means the page is read again. **Never twice**: the document key is derived from
//! what the PDF is (kind, document, version: [`issue::PdfSubject::key`]), so storing it again
//! finds the first copy, and the aggregate records a PDF of the same document and version
//! once (`niaga_domain::record_pdf`), so a replay, a retry or a second instance appends
//! nothing new; a concurrent append is a version conflict the command handler retries into
//! that same "already recorded".
//!
//! The renders run where the API runs (in `serve`), a page at a time; a failing event is
//! retried with growing pauses and shown in the checkpoint, never skipped.
//!
//! **One instance at a time**: the scheduler's lease ([`LEASE`]), taken before every page,
//! lets one of several `serve` processes on a database render, so the others do not spend
//! CPU on PDFs that are then stored and recorded by someone else. The lease is not what
//! keeps a PDF from being issued twice (the keys above do): a holder that stalls past the
//! lease's term and carries on beside the next one still appends nothing twice.

mod convert;
pub(crate) mod delivery_order;
mod error;
mod invoice;
mod issue;
mod quotation;
mod rental;
mod settings;
mod verify;

use std::time::Duration;

use chrono::Utc;
use niaga_domain::{
    Aggregate as _, delivery_order::DeliveryOrder, invoice::Invoice, quotation::Quotation,
    rental::Rental,
};
use niaga_projections::{ReadTx, checkpoint};
use niaga_scheduler::lease;
use niaga_store::{FeedFilter, RecordedEvent};
use tracing::{instrument, warn};

use crate::app::AppState;

pub use error::PdfIssueError;
pub use settings::PdfSettings;
pub use verify::verify_recorded;

/// The issuer's checkpoint name (shown with the projections' on the admin screen).
pub const NAME: &str = "pdf_issuer";
/// The issuer's lease (`job_leases`): one instance renders at a time.
pub const LEASE: &str = "pdf-issuer";
/// The streams whose events issue documents.
const STREAM_TYPES: &[&str] = &[
    Invoice::STREAM_TYPE,
    Quotation::STREAM_TYPE,
    DeliveryOrder::STREAM_TYPE,
    Rental::STREAM_TYPE,
];
/// Events read per page: renders are slow, so a page is small enough to commit often.
const BATCH: u32 = 50;
const POLL: Duration = Duration::from_secs(1);
const MAX_BACKOFF: Duration = Duration::from_secs(60);

/// Issues the PDFs of every event after the checkpoint as `holder` (this instance's name in
/// leases), as long as it holds the issuer's lease; how many PDF events it appended, or
/// `None` when another instance holds the lease.
#[instrument(skip_all, fields(issuer = NAME))]
pub async fn catch_up(state: &AppState, holder: &str) -> Result<Option<u64>, PdfIssueError> {
    if !holds_lease(state, holder).await? {
        return Ok(None);
    }
    let filter = FeedFilter::stream_types(STREAM_TYPES);
    let mut cursor = checkpoint::load(state.db(), NAME).await?;
    let mut appended = 0;
    loop {
        let page = state.event_store().read_feed(cursor, BATCH, filter).await?;
        if page.next == cursor {
            return Ok(Some(appended));
        }
        for event in &page.events {
            if issue_for(state, event).await? {
                appended += 1;
            }
        }
        // Only now: a crash before this line issues the page again, which appends nothing.
        let mut tx = ReadTx::begin(state.db())
            .await
            .map_err(niaga_projections::ProjectionError::from)?;
        checkpoint::advance(&mut tx, NAME, page.next).await?;
        tx.commit()
            .await
            .map_err(niaga_projections::ProjectionError::from)?;
        cursor = page.next;
        // Renewed every page, so a long catch-up keeps it; lost (this instance stalled past
        // its term), the new holder goes on from the checkpoint.
        if !holds_lease(state, holder).await? {
            return Ok(Some(appended));
        }
    }
}

/// Takes or renews the issuer's lease for `holder`; whether it holds it now. Wall-clock
/// time, not the business clock (which tests move): a crashed holder's lease must run out
/// in real time.
async fn holds_lease(state: &AppState, holder: &str) -> Result<bool, PdfIssueError> {
    Ok(lease::take(state.db(), LEASE, holder, Utc::now()).await?)
}

/// The PDF an event issues, if any; whether a PDF event was appended.
async fn issue_for(state: &AppState, event: &RecordedEvent) -> Result<bool, PdfIssueError> {
    match event.stream.stream_type.as_str() {
        Invoice::STREAM_TYPE => invoice::on_event(state, event).await,
        Quotation::STREAM_TYPE => quotation::on_event(state, event).await,
        DeliveryOrder::STREAM_TYPE => delivery_order::on_event(state, event).await,
        Rental::STREAM_TYPE => rental::on_event(state, event).await,
        // The feed filter passes no other stream type.
        _ => Ok(false),
    }
}

/// Runs the issuer as `holder` until the task is dropped: catches up while it holds the
/// lease, then waits for an append in this process or the poll interval (an instance
/// without the lease tries again then, and takes over once the holder's lease expires). A
/// failure is retried with growing pauses and recorded in the checkpoint.
pub async fn run(state: AppState, holder: String) {
    let mut backoff = Duration::from_millis(500);
    loop {
        let notified = state.committed().notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        match catch_up(&state, &holder).await {
            Ok(_) => {
                backoff = Duration::from_millis(500);
                tokio::select! {
                    () = notified => {}
                    () = tokio::time::sleep(POLL) => {}
                }
            }
            Err(error) => {
                warn!(issuer = NAME, %error, retry_in = ?backoff, "PDF issuer stuck");
                let _ = checkpoint::record_error(state.db(), NAME, &error.to_string()).await;
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
        }
    }
}

/// Starts the issuer in the background as `holder`.
pub fn spawn(state: &AppState, holder: String) -> tokio::task::JoinHandle<()> {
    tokio::spawn(run(state.clone(), holder))
}
