//! The invoice.

use chrono::NaiveDate;
use serde::Serialize;

use super::{LetterheadView, LhdnView, LineView, TotalsView, lhdn, line_views};
use crate::{
    Issue, Letterhead, LhdnValidation, Line, Party, PdfError, Totals, format,
    render::{Job, render},
};

/// An issued invoice, and LHDN's validation once it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceDocument {
    pub issue: Issue,
    pub issued_on: NaiveDate,
    pub due_on: NaiveDate,
    /// `Net 30 days`, as agreed.
    pub payment_terms: String,
    pub customer: Party,
    pub customer_reference: Option<String>,
    pub currency: String,
    pub lines: Vec<Line>,
    pub totals: Totals,
    pub amount_in_words: bool,
    pub lhdn: Option<LhdnValidation>,
}

#[derive(Serialize)]
struct View<'a> {
    letterhead: LetterheadView<'a>,
    title: &'static str,
    number: &'a str,
    issued_on: String,
    due_on: String,
    payment_terms: &'a str,
    customer: &'a Party,
    customer_reference: Option<&'a str>,
    lines: Vec<LineView<'a>>,
    totals: TotalsView,
    lhdn: Option<LhdnView>,
}

/// The invoice as an A4 PDF: letterhead, customer, lines, totals (in words if asked), and
/// LHDN's QR code and link once validated.
pub fn render_invoice(letterhead: &Letterhead, d: &InvoiceDocument) -> Result<Vec<u8>, PdfError> {
    let (lhdn, files) = lhdn(d.lhdn.as_ref())?;
    let view = View {
        letterhead: LetterheadView::of(letterhead),
        title: "Invoice",
        number: &d.issue.number,
        issued_on: format::day(d.issued_on),
        due_on: format::day(d.due_on),
        payment_terms: &d.payment_terms,
        customer: &d.customer,
        customer_reference: d.customer_reference.as_deref(),
        lines: line_views(&d.lines),
        totals: TotalsView::of(&d.currency, &d.totals, d.amount_in_words),
        lhdn,
    };
    render(Job {
        kind: "invoice",
        template: include_str!("../../templates/invoice.typ"),
        data: &view,
        files,
        ident: format!("niaga/invoice/{}", d.issue.number),
        issued_at: d.issue.at,
    })
}
