//! The quotation, in its current revision.

use chrono::NaiveDate;
use serde::Serialize;

use super::{LetterheadView, LineView, TotalsView, line_views};
use crate::{
    Issue, Letterhead, Line, Party, PdfError, Totals, format,
    render::{Job, render},
};

/// A revision of a quotation as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotationDocument {
    /// The number with its revision (`QT-2026-0042 r2`).
    pub issue: Issue,
    pub sent_on: NaiveDate,
    pub valid_until: NaiveDate,
    pub customer: Party,
    /// Who it is for at the customer, when named.
    pub attention: Option<String>,
    pub currency: String,
    pub lines: Vec<Line>,
    pub totals: Totals,
    pub amount_in_words: bool,
}

#[derive(Serialize)]
struct View<'a> {
    letterhead: LetterheadView<'a>,
    title: &'static str,
    number: &'a str,
    sent_on: String,
    valid_until: String,
    customer: &'a Party,
    attention: Option<&'a str>,
    lines: Vec<LineView<'a>>,
    totals: TotalsView,
}

/// The quotation as an A4 PDF: letterhead, customer, lines, totals, validity.
pub fn render_quotation(
    letterhead: &Letterhead,
    d: &QuotationDocument,
) -> Result<Vec<u8>, PdfError> {
    let view = View {
        letterhead: LetterheadView::of(letterhead),
        title: "Quotation",
        number: &d.issue.number,
        sent_on: format::day(d.sent_on),
        valid_until: format::day(d.valid_until),
        customer: &d.customer,
        attention: d.attention.as_deref(),
        lines: line_views(&d.lines),
        totals: TotalsView::of(&d.currency, &d.totals, d.amount_in_words),
    };
    render(Job {
        kind: "quotation",
        template: include_str!("../../templates/quotation.typ"),
        data: &view,
        files: Vec::new(),
        ident: format!("niaga/quotation/{}", d.issue.number),
        issued_at: d.issue.at,
    })
}
