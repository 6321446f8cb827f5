//! Rendered documents read back with poppler: their text, page count and QR code.

#![allow(clippy::unwrap_used)]

mod support;

use niaga_pdf::*;
use sha2::{Digest as _, Sha256};
use support::*;

/// Collapses runs of spaces, so assertions do not depend on column widths.
fn squeezed(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn an_invoice_shows_its_number_customer_lines_and_totals() {
    let pdf = render_invoice(&letterhead(), &invoice(2, false)).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let text = squeezed(&text(&pdf));
    for expected in [
        "Timbang Jaya Sdn. Bhd.",
        "TIN C23456789010",
        "SST No. W10-1808-32000123",
        "accounts@timbangjaya.com.my",
        "Invoice",
        "INV-2026-000123",
        "30 Nov 2026",
        "Makmal Kalibrasi Utara Sdn. Bhd.",
        "Test weight F1 2 kg",
        "MYR 5,400.00",
        "Ringgit Malaysia Five Thousand Four Hundred Only",
        "Page 1 of 1",
    ] {
        assert!(text.contains(expected), "{expected:?} not in {text}");
    }
    assert!(!text.contains("LHDN"), "no LHDN block before validation");
    assert_eq!(pages(&pdf), 1);
}

#[test]
fn a_long_invoice_breaks_across_pages_repeating_the_table_header() {
    let pdf = render_invoice(&letterhead(), &invoice(60, false)).unwrap();
    let pages = pages(&pdf);
    assert!(pages >= 3, "60 lines on {pages} pages");
    let text = text(&pdf);
    let per_page: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert_eq!(per_page.len() as u32, pages);
    for (i, page) in per_page.iter().enumerate() {
        let page = squeezed(page);
        assert!(
            page.contains(&format!("Page {} of {pages}", i + 1)),
            "page {}: {page}",
            i + 1
        );
        assert!(
            page.contains("Description"),
            "header repeated on page {}",
            i + 1
        );
    }
    assert!(squeezed(&text).contains("Test weight F1 60 kg"));
}

#[test]
fn a_validated_invoice_carries_lhdns_qr_code_link_and_uuid() {
    let pdf = render_invoice(&letterhead(), &invoice(1, true)).unwrap();
    let text = squeezed(&text(&pdf));
    assert!(text.contains("Validated by LHDN MyInvois"));
    assert!(text.contains(VALIDATION_URL), "the link as text: {text}");
    assert!(text.contains("UUID: F9D425P6DS7D8IU7XW1P4T3H10"));
    assert_eq!(decoded_qr(&pdf), vec![VALIDATION_URL.to_owned()]);
}

/// The QR codes on the first page, decoded from a 200 dpi rendering.
fn decoded_qr(pdf: &[u8]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("page");
    first_page_png(pdf, 200, &base);
    let file = std::fs::File::open(base.with_extension("png")).unwrap();
    let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().unwrap();
    let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut buffer).unwrap();
    let channels = frame.color_type.samples();
    let (w, h) = (frame.width as usize, frame.height as usize);
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| {
        let px = &buffer[(y * w + x) * channels..][..channels];
        (px.iter().take(3).map(|&v| u32::from(v)).sum::<u32>() / px.len().min(3) as u32) as u8
    });
    image
        .detect_grids()
        .into_iter()
        .map(|grid| grid.decode().unwrap().1)
        .collect()
}

#[test]
fn a_note_names_its_kind_invoice_and_reason() {
    let pdf = render_note(&letterhead(), &note()).unwrap();
    let text = squeezed(&text(&pdf));
    for expected in [
        "Credit Note",
        "CN-2026-000007",
        "INV-2026-000123",
        "One weight returned: scratched on delivery",
        "MYR 2,700.00",
        "Validated by LHDN MyInvois",
        VALIDATION_URL,
    ] {
        assert!(text.contains(expected), "{expected:?} not in {text}");
    }
}

#[test]
fn a_quotation_shows_its_revision_and_validity_without_words_when_not_asked() {
    let pdf = render_quotation(&letterhead(), &quotation()).unwrap();
    let text = squeezed(&text(&pdf));
    for expected in [
        "Quotation",
        "QT-2026-0042 r2",
        "20 Dec 2026",
        "MYR 5,400.00",
        "Puan Siti Aminah",
    ] {
        assert!(text.contains(expected), "{expected:?} not in {text}");
    }
    assert!(!text.contains("Ringgit Malaysia"));
}

#[test]
fn a_signed_delivery_order_carries_the_signature_and_the_evidence() {
    let pdf = render_delivery_order(&letterhead(), &delivery_order(true)).unwrap();
    let text = squeezed(&text(&pdf));
    for expected in [
        "Delivery Order",
        "W-20-0001, W-20-0002",
        "Signature evidence",
        "Tan Mei Ling",
        "1 Dec 2026 14:42:10 (UTC+08:00)",
        "203.0.113.45",
        "Android 14",
        &"5f1d".repeat(16),
        &"a3c9".repeat(16),
    ] {
        assert!(text.contains(expected), "{expected:?} not in {text}");
    }
    let images = poppler("pdfimages", &["-list"], &pdf);
    assert!(
        images.lines().count() > 2,
        "the signature image is on the page: {images}"
    );
}

#[test]
fn an_unsigned_delivery_order_has_a_box_to_sign_and_no_evidence() {
    let pdf = render_delivery_order(&letterhead(), &delivery_order(false)).unwrap();
    let text = squeezed(&text(&pdf));
    assert!(text.contains("Received in good order and condition by"));
    assert!(!text.contains("Signature evidence"));
}

#[test]
fn a_return_receipt_lists_the_units_back_and_their_charges() {
    let pdf = render_return_receipt(&letterhead(), &return_receipt()).unwrap();
    let text = squeezed(&text(&pdf));
    for expected in [
        "Rental Return Receipt",
        "F1 20 kg, serial W-20-0001",
        "damaged",
        "Dent on the handle",
        "MYR 420.00",
        "Ringgit Malaysia Four Hundred Twenty Only",
        "Still out with the customer: F1 20 kg, serial W-20-0002",
    ] {
        assert!(text.contains(expected), "{expected:?} not in {text}");
    }
}

#[test]
fn a_document_renders_to_the_same_bytes_every_time() {
    let first = render_invoice(&letterhead(), &invoice(3, true)).unwrap();
    let second = render_invoice(&letterhead(), &invoice(3, true)).unwrap();
    assert!(first == second, "two renders differ");
    let signed = |_| render_delivery_order(&letterhead(), &delivery_order(true)).unwrap();
    assert!(signed(1) == signed(2));
}

/// The digest of the sample invoice as rendered when this test was written. The PDF's date
/// and id come from the document, so a render on any later day (or machine) must match;
/// only a change of template, font or engine version may change it, and then this digest is
/// updated in the same commit, as the new look of every future document.
const SAMPLE_INVOICE_SHA256: &str = include_str!("golden/invoice.sha256");

#[test]
fn a_document_renders_to_the_same_bytes_on_another_day() {
    let pdf = render_invoice(&letterhead(), &invoice(3, true)).unwrap();
    let digest = hex(&Sha256::digest(&pdf));
    if std::env::var_os("NIAGA_PDF_BLESS").is_some() {
        std::fs::write(
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/invoice.sha256"),
            &digest,
        )
        .unwrap();
        return;
    }
    assert_eq!(
        digest,
        SAMPLE_INVOICE_SHA256.trim(),
        "set NIAGA_PDF_BLESS=1 after a deliberate change of template or engine"
    );
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes one PNG per document kind into `NIAGA_PDF_SAMPLES` (docs/samples), for people to
/// look at, and prints how long each render took: `scripts/pdf-samples.sh`. Does nothing
/// without the variable.
#[test]
fn samples() {
    let Some(dir) = std::env::var_os("NIAGA_PDF_SAMPLES") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    let l = letterhead();
    type Render = Box<dyn Fn() -> Vec<u8>>;
    let documents: [(&str, Render); 5] = [
        (
            "quotation",
            Box::new(|| render_quotation(&letterhead(), &quotation()).unwrap()),
        ),
        (
            "invoice",
            Box::new(|| render_invoice(&letterhead(), &invoice(3, true)).unwrap()),
        ),
        (
            "credit-note",
            Box::new(|| render_note(&letterhead(), &note()).unwrap()),
        ),
        (
            "delivery-order-signed",
            Box::new(|| render_delivery_order(&letterhead(), &delivery_order(true)).unwrap()),
        ),
        (
            "rental-return-receipt",
            Box::new(|| render_return_receipt(&letterhead(), &return_receipt()).unwrap()),
        ),
    ];
    let _ = render_invoice(&l, &invoice(1, false)).unwrap(); // fonts and library loaded once
    for (name, render) in documents {
        let started = std::time::Instant::now();
        let pdf = render();
        eprintln!("{name}: {} bytes in {:?}", pdf.len(), started.elapsed());
        first_page_png(&pdf, 60, &dir.join(format!("pdf-{name}")));
    }
    let started = std::time::Instant::now();
    let long = render_invoice(&l, &invoice(60, true)).unwrap();
    eprintln!(
        "invoice of 60 lines ({} pages): {:?}",
        pages(&long),
        started.elapsed()
    );
}
