//! `niaga documents verify`'s check of the PDFs: each one a history records must be stored,
//! with the digest the history gives, and intact.

use niaga_documents::{DocumentError, DocumentKey, DocumentStore, Verification};
use niaga_domain::PdfIssued;
use niaga_store::{Cursor, Database, FeedFilter};

use super::{PdfIssueError, STREAM_TYPES};

/// The stored types of the events that record a PDF.
const PDF_EVENTS: &[&str] = &[
    "InvoicePdfIssued",
    "QuotationPdfIssued",
    "DeliveryOrderPdfIssued",
    "RentalReturnReceiptIssued",
];

/// One line per recorded PDF that is missing, has another digest than its event says, or
/// whose object is damaged (`verification` is the store's own re-hash).
pub async fn verify_recorded(
    db: &Database,
    documents: &DocumentStore,
    verification: &Verification,
) -> Result<Vec<String>, PdfIssueError> {
    let store = db.event_store();
    let filter = FeedFilter::stream_types(STREAM_TYPES);
    let mut cursor = Cursor::START;
    let mut problems = Vec::new();
    loop {
        let page = store.read_feed(cursor, 500, filter).await?;
        if page.next == cursor {
            return Ok(problems);
        }
        for event in page
            .events
            .iter()
            .filter(|e| PDF_EVENTS.contains(&e.event_type.as_str()))
        {
            let pdf: PdfIssued = serde_json::from_str(event.payload.text())
                .map_err(|e| PdfIssueError::Corrupt(format!("{}: {e}", event.stream)))?;
            let key = DocumentKey::from_uuid(pdf.document_key);
            let name = format!(
                "{} {} version {}",
                pdf.kind.name(),
                pdf.document_id,
                pdf.version
            );
            match documents.find(key).await {
                Err(DocumentError::NotFound(_)) => {
                    problems.push(format!("{name}: its PDF (document {key}) is not stored"));
                }
                Err(other) => return Err(other.into()),
                Ok(stored) if stored.sha256 != pdf.sha256.as_str() => problems.push(format!(
                    "{name}: document {key} is {}, its history says {}",
                    stored.sha256, pdf.sha256
                )),
                Ok(_) if verification.broken.iter().any(|b| b.key == key) => {
                    problems.push(format!("{name}: its PDF (document {key}) is damaged"));
                }
                Ok(_) => {}
            }
        }
        cursor = page.next;
    }
}
