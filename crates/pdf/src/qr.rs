//! QR codes as SVG, which the templates place like any image.

use qrcode::{EcLevel, QrCode, render::svg};

use crate::PdfError;

/// The SVG of a QR code holding `text`, medium error correction (a printed page may get a
/// stain; LHDN's links are short enough for it).
pub(crate) fn svg(text: &str) -> Result<String, PdfError> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .map_err(|_| PdfError::QrCode(text.len()))?;
    Ok(code
        .render::<svg::Color<'_>>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build())
}
