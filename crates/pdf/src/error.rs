//! Why a document could not be rendered.

/// A template that does not compile with the data given, or an export failure. Either is a
/// fault of ours (the templates are ours, the data is checked before it gets here), never
/// the customer's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfError {
    #[error("the {template} template failed: {message}")]
    Template {
        template: &'static str,
        message: String,
    },
    #[error("PDF export of the {template} document failed: {message}")]
    Export {
        template: &'static str,
        message: String,
    },
    #[error("the document's data cannot be encoded: {0}")]
    Data(String),
    #[error("the QR code cannot hold {0} characters")]
    QrCode(usize),
}
