//! What the PDFs take from configuration: the letterhead (the company settings) and whether
//! totals are written out in words.

use niaga_pdf::Letterhead;

use crate::company::CompanySettings;

/// How documents are rendered.
#[derive(Debug, Clone)]
pub struct PdfSettings {
    /// Totals in words ("Ringgit Malaysia … Only") on invoices, notes, quotations, receipts.
    pub amount_in_words: bool,
}

impl Default for PdfSettings {
    fn default() -> Self {
        Self {
            amount_in_words: true,
        }
    }
}

/// The letterhead printed on every document: the company as configured
/// (`NIAGA_COMPANY_FILE`), or a line saying it is not, so a document issued before the
/// company was set up says so rather than naming nobody.
pub(crate) fn letterhead(company: Option<&CompanySettings>) -> Letterhead {
    let Some(company) = company else {
        return Letterhead {
            name: "(company not configured: set NIAGA_COMPANY_FILE)".into(),
            ..Letterhead::default()
        };
    };
    let s = &company.supplier;
    Letterhead {
        name: s.name.as_str().to_owned(),
        registration_no: s.brn.as_str().to_owned(),
        tin: s.tin.as_str().to_owned(),
        sst_no: s.sst.as_ref().map(|sst| sst.as_str().to_owned()),
        address_lines: super::convert::address_lines(&s.address),
        phone: s.phone.as_str().to_owned(),
        email: s
            .email
            .as_ref()
            .map(|e| e.as_str().to_owned())
            .unwrap_or_default(),
    }
}
