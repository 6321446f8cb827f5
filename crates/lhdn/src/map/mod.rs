//! Our issued documents as LHDN UBL 2.1 JSON: pure functions from domain state (plus the
//! company's settings, which the domain does not hold) to a [`Document`](crate::ubl::Document).
//!
//! - [`invoice`]: an issued invoice (type `01`);
//! - [`note`]: a credit, debit or refund note (`02`–`04`), referencing the invoice's LHDN UUID;
//! - [`consolidated`]: the monthly consolidated e-invoice for buyers who wanted none.
//!
//! The mapping never signs: version 1.1 documents go to [`crate::sign`] next.

mod classification;
mod consolidated;
mod error;
mod figures;
mod header;
mod invoice;
mod notes;
mod party;
mod supplier;

pub use classification::{ClassificationCode, Classifications};
pub use consolidated::consolidated;
pub use error::MapError;
pub use invoice::invoice;
pub use notes::note;
pub use party::GENERAL_PUBLIC_TIN;
pub use supplier::Supplier;

/// The e-invoice version (`InvoiceTypeCode.listVersionID`): 1.1 must be signed, 1.0 must not.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DocumentVersion {
    V1_0,
    #[default]
    V1_1,
}

impl DocumentVersion {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::V1_0 => "1.0",
            Self::V1_1 => "1.1",
        }
    }
}

/// Per-document choices the domain does not record. (The exchange rate of a document not in
/// MYR is recorded: on the invoice when issued, and on each note.)
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    pub version: DocumentVersion,
}
