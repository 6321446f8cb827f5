//! One module per document kind: its plain data, and the function that renders it with the
//! kind's template. What they share (letterhead, lines, totals, the LHDN block) is here, as
//! the data the templates read.

mod delivery_order;
mod invoice;
mod note;
mod quotation;
mod return_receipt;

pub use delivery_order::{
    DeliveryOrderDocument, DeliveryOrderLine, SignatureEvidence, render_delivery_order,
};
pub use invoice::{InvoiceDocument, render_invoice};
pub use note::{NoteDocument, NoteKind, render_note};
pub use quotation::{QuotationDocument, render_quotation};
pub use return_receipt::{ReturnReceiptDocument, ReturnedUnit, render_return_receipt};

use serde::Serialize;

use crate::{
    Letterhead, LhdnValidation, Line, PdfError, Totals, format, qr, words::amount_in_words,
};

/// The letterhead as the templates print it.
#[derive(Debug, Serialize)]
struct LetterheadView<'a> {
    name: &'a str,
    /// `Reg. No. … · TIN … · SST No. …`, the parts there are.
    identifiers: String,
    address_lines: &'a [String],
    /// `Tel … · email`.
    contact: String,
}

impl<'a> LetterheadView<'a> {
    fn of(l: &'a Letterhead) -> Self {
        let mut identifiers = vec![
            labelled("Reg. No.", &l.registration_no),
            labelled("TIN", &l.tin),
        ];
        if let Some(sst) = &l.sst_no {
            identifiers.push(labelled("SST No.", sst));
        }
        Self {
            name: &l.name,
            identifiers: join(identifiers),
            address_lines: &l.address_lines,
            contact: join(vec![labelled("Tel", &l.phone), l.email.clone()]),
        }
    }
}

fn labelled(label: &str, value: &str) -> String {
    if value.trim().is_empty() {
        String::new()
    } else {
        format!("{label} {value}")
    }
}

fn join(parts: Vec<String>) -> String {
    parts
        .into_iter()
        .filter(|p| !p.trim().is_empty())
        .collect::<Vec<_>>()
        .join("  ·  ")
}

/// A priced line as printed: every figure formatted.
#[derive(Debug, Serialize)]
struct LineView<'a> {
    description: &'a str,
    quantity: String,
    unit: &'a str,
    unit_price: String,
    discount: String,
    tax_label: &'a str,
    tax: String,
    total: String,
}

fn line_views(lines: &[Line]) -> Vec<LineView<'_>> {
    lines
        .iter()
        .map(|l| LineView {
            description: &l.description,
            quantity: format::quantity(l.quantity),
            unit: &l.unit,
            unit_price: format::amount(l.unit_price),
            discount: if l.discount.is_zero() {
                String::new()
            } else {
                format::amount(l.discount)
            },
            tax_label: &l.tax_label,
            tax: format::amount(l.tax),
            total: format::amount(l.total),
        })
        .collect()
}

/// Totals as printed, with the total in words when asked for (ringgit only: the words are
/// "Ringgit Malaysia … and Sen …").
#[derive(Debug, Serialize)]
struct TotalsView {
    currency: String,
    net: String,
    tax: String,
    total: String,
    words: Option<String>,
}

impl TotalsView {
    fn of(currency: &str, totals: &Totals, in_words: bool) -> Self {
        Self {
            currency: currency.to_owned(),
            net: format::amount(totals.net),
            tax: format::amount(totals.tax),
            total: format::amount(totals.total),
            words: words(currency, totals.total, in_words),
        }
    }
}

/// The amount in words when asked for and in ringgit (the words say "Ringgit Malaysia").
fn words(currency: &str, amount: rust_decimal::Decimal, wanted: bool) -> Option<String> {
    (wanted && currency == "MYR")
        .then(|| amount_in_words(amount))
        .flatten()
}

/// LHDN's validation as printed beside its QR code (`qr.svg`).
#[derive(Debug, Serialize)]
struct LhdnView {
    url: String,
    document_uuid: String,
    validated_at: String,
}

/// A file the template reads beside its data: its name and bytes.
type File = (&'static str, Vec<u8>);

/// The LHDN block's data and its QR code file, once validated.
fn lhdn(validation: Option<&LhdnValidation>) -> Result<(Option<LhdnView>, Vec<File>), PdfError> {
    let Some(v) = validation else {
        return Ok((None, Vec::new()));
    };
    let svg = qr::svg(&v.url)?;
    Ok((
        Some(LhdnView {
            url: v.url.clone(),
            document_uuid: v.document_uuid.clone(),
            validated_at: format::time(v.validated_at),
        }),
        vec![("/qr.svg", svg.into_bytes())],
    ))
}
