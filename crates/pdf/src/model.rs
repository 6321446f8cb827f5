//! The plain data every document shares: who issues it, to whom, lines and totals.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;

/// The company issuing the document, as printed at the top of every page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Letterhead {
    pub name: String,
    /// Business registration number (SSM).
    pub registration_no: String,
    /// LHDN tax identification number.
    pub tin: String,
    /// SST registration number, when registered.
    pub sst_no: Option<String>,
    pub address_lines: Vec<String>,
    pub phone: String,
    pub email: String,
}

/// The customer (or any other party) a document is addressed to.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Party {
    pub name: String,
    pub address_lines: Vec<String>,
    pub tin: Option<String>,
    pub registration_no: Option<String>,
}

/// When and as what a document was issued: its number and the moment that dates the PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// The document's number as printed (`INV-2026-000123`, `QT-2026-0042 r2`).
    pub number: String,
    /// The moment it was issued: the PDF's creation date, so the bytes never depend on
    /// when they were rendered.
    pub at: DateTime<Utc>,
}

/// One priced line, every figure already worked out (the domain's rounding, not ours).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub description: String,
    pub quantity: Decimal,
    /// The unit's name or code (`piece`, `set`, `day`).
    pub unit: String,
    pub unit_price: Decimal,
    pub discount: Decimal,
    /// A short label of the tax applied (`SST 8%`, `Exempt`).
    pub tax_label: String,
    pub tax: Decimal,
    /// The line's total, tax included.
    pub total: Decimal,
}

/// A document's totals in its currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    /// Sum of the lines before tax, after discounts.
    pub net: Decimal,
    pub tax: Decimal,
    pub total: Decimal,
}

/// LHDN's validation of an e-invoice: what the QR code on the document points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LhdnValidation {
    /// LHDN's public validation link (`{portal}/{uuid}/share/{longId}`), printed as a QR
    /// code and as text.
    pub url: String,
    pub document_uuid: String,
    pub validated_at: DateTime<Utc>,
}
