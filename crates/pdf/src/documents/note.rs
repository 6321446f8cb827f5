//! Credit, debit and refund notes: documents of their own against an invoice.

use chrono::NaiveDate;
use serde::Serialize;

use super::{LetterheadView, LhdnView, LineView, TotalsView, lhdn, line_views};
use crate::{
    Issue, Letterhead, LhdnValidation, Line, Party, PdfError, Totals, format,
    render::{Job, render},
};

/// Which note.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteKind {
    Credit,
    Debit,
    Refund,
}

impl NoteKind {
    fn title(self) -> &'static str {
        match self {
            Self::Credit => "Credit Note",
            Self::Debit => "Debit Note",
            Self::Refund => "Refund Note",
        }
    }
}

/// An issued note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteDocument {
    pub kind: NoteKind,
    pub issue: Issue,
    pub issued_on: NaiveDate,
    /// The number of the invoice it corrects.
    pub invoice_number: String,
    pub reason: String,
    pub customer: Party,
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
    invoice_number: &'a str,
    reason: &'a str,
    customer: &'a Party,
    lines: Vec<LineView<'a>>,
    totals: TotalsView,
    lhdn: Option<LhdnView>,
}

/// The note as an A4 PDF: like an invoice, naming the invoice it corrects and why.
pub fn render_note(letterhead: &Letterhead, d: &NoteDocument) -> Result<Vec<u8>, PdfError> {
    let (lhdn, files) = lhdn(d.lhdn.as_ref())?;
    let view = View {
        letterhead: LetterheadView::of(letterhead),
        title: d.kind.title(),
        number: &d.issue.number,
        issued_on: format::day(d.issued_on),
        invoice_number: &d.invoice_number,
        reason: &d.reason,
        customer: &d.customer,
        lines: line_views(&d.lines),
        totals: TotalsView::of(&d.currency, &d.totals, d.amount_in_words),
        lhdn,
    };
    render(Job {
        kind: "note",
        template: include_str!("../../templates/note.typ"),
        data: &view,
        files,
        ident: format!("niaga/note/{}", d.issue.number),
        issued_at: d.issue.at,
    })
}
