//! What the PDFs take from configuration: the letterhead, LHDN's portal (for the QR link)
//! and whether totals are written out in words.
//!
//! The letterhead comes from a small JSON file (`NIAGA_LETTERHEAD_FILE`) until the company
//! settings have their own home; [`PdfSettings::letterhead`] is the one seam to switch.

use std::path::Path;

use anyhow::Context as _;
use niaga_pdf::Letterhead;
use serde::Deserialize;

/// LHDN's production portal: where a validated document's QR code points.
pub const LHDN_PORTAL: &str = "https://myinvois.hasil.gov.my";

/// How documents are rendered. `Default` is what tests use: a placeholder letterhead.
#[derive(Debug, Clone)]
pub struct PdfSettings {
    pub letterhead: Letterhead,
    /// `https://myinvois.hasil.gov.my`, or the pre-production portal.
    pub lhdn_portal: String,
    pub amount_in_words: bool,
}

impl Default for PdfSettings {
    fn default() -> Self {
        Self {
            letterhead: Letterhead {
                name: "Niaga Demo Sdn. Bhd.".into(),
                registration_no: "202601000001 (1600001-A)".into(),
                tin: "C00000000000".into(),
                sst_no: None,
                address_lines: vec!["Kuala Lumpur".into()],
                phone: String::new(),
                email: String::new(),
            },
            lhdn_portal: LHDN_PORTAL.into(),
            amount_in_words: true,
        }
    }
}

/// The letterhead file: the company as printed on its documents.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LetterheadFile {
    name: String,
    registration_no: String,
    tin: String,
    #[serde(default)]
    sst_no: Option<String>,
    address_lines: Vec<String>,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
}

/// Reads the letterhead from `path` (JSON).
pub fn letterhead_from_file(path: &Path) -> anyhow::Result<Letterhead> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the letterhead file {}", path.display()))?;
    let file: LetterheadFile = serde_json::from_str(&text)
        .with_context(|| format!("the letterhead file {} is not valid", path.display()))?;
    Ok(Letterhead {
        name: file.name,
        registration_no: file.registration_no,
        tin: file.tin,
        sst_no: file.sst_no.filter(|s| !s.trim().is_empty()),
        address_lines: file.address_lines,
        phone: file.phone,
        email: file.email,
    })
}
