//! Niaga's documents as PDF: quotation, invoice, credit/debit/refund note, signed delivery
//! order and rental return receipt, each a pure function of plain data:
//! `fn(&Letterhead, &XxxDocument) -> Result<Vec<u8>, PdfError>`.
//!
//! The layout is a Typst template per document kind (`templates/`), compiled in memory with
//! the fonts embedded in the binary: nothing is read from disk or the network. The data goes
//! in as JSON, so a customer's text is always text, never markup.
//!
//! **Deterministic**: the same document renders the same bytes, on any day and any machine.
//! The PDF's creation date is the document's own time ([`Issue::at`]) and its identifier is
//! derived from the document's number, never from the clock or a random source; what was
//! issued can then be proved by its SHA-256 alone.

mod documents;
mod error;
mod format;
mod model;
mod qr;
mod render;
mod words;
mod world;

pub use documents::{
    DeliveryOrderDocument, DeliveryOrderLine, InvoiceDocument, NoteDocument, NoteKind,
    QuotationDocument, ReturnReceiptDocument, ReturnedUnit, SignatureEvidence,
    render_delivery_order, render_invoice, render_note, render_quotation, render_return_receipt,
};
pub use error::PdfError;
pub use model::{Issue, Letterhead, LhdnValidation, Line, Party, Totals};
pub use words::amount_in_words;

/// The media type of what every `render_*` returns.
pub const MEDIA_TYPE: &str = "application/pdf";
