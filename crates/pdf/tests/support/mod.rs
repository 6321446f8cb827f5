//! Sample documents and poppler helpers shared by the PDF tests.

#![allow(dead_code, clippy::unwrap_used)]

use std::{path::Path, process::Command};

use chrono::{DateTime, NaiveDate, Utc};
use niaga_pdf::*;
use rust_decimal::Decimal;

pub fn d(text: &str) -> Decimal {
    text.parse().unwrap()
}

pub fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

pub fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

pub fn letterhead() -> Letterhead {
    Letterhead {
        name: "Timbang Jaya Sdn. Bhd.".into(),
        registration_no: "202001012345 (1371234-X)".into(),
        tin: "C23456789010".into(),
        sst_no: Some("W10-1808-32000123".into()),
        address_lines: vec![
            "No. 12, Jalan Perusahaan 3".into(),
            "Taman Industri Bukit Raja".into(),
            "41050 Klang, Selangor".into(),
        ],
        phone: "+60 3-3341 2200".into(),
        email: "accounts@timbangjaya.com.my".into(),
    }
}

pub fn customer() -> Party {
    Party {
        name: "Makmal Kalibrasi Utara Sdn. Bhd.".into(),
        address_lines: vec![
            "Lot 7, Kawasan Perindustrian Mak Mandin".into(),
            "13400 Butterworth, Pulau Pinang".into(),
        ],
        tin: Some("C10987654320".into()),
        registration_no: Some("199801004567".into()),
    }
}

pub fn line(n: usize) -> Line {
    Line {
        description: format!("Test weight F1 {n} kg, stainless steel, with OIML certificate"),
        quantity: d("2"),
        unit: "piece".into(),
        unit_price: d("1250.00"),
        discount: if n.is_multiple_of(3) {
            d("50.00")
        } else {
            Decimal::ZERO
        },
        tax_label: "SST 8%".into(),
        tax: d("200.00"),
        total: d("2700.00"),
    }
}

pub fn invoice(lines: usize, validated: bool) -> InvoiceDocument {
    InvoiceDocument {
        issue: Issue {
            number: "INV-2026-000123".into(),
            at: at("2026-11-30T02:15:00Z"),
        },
        issued_on: day("2026-11-30"),
        due_on: day("2026-12-30"),
        payment_terms: "Net 30 days".into(),
        customer: customer(),
        customer_reference: Some("PO-8812".into()),
        currency: "MYR".into(),
        lines: (1..=lines).map(line).collect(),
        totals: Totals {
            net: d("2500.00") * Decimal::from(lines),
            tax: d("200.00") * Decimal::from(lines),
            total: d("2700.00") * Decimal::from(lines),
        },
        amount_in_words: true,
        lhdn: validated.then(validation),
    }
}

pub const VALIDATION_URL: &str = "https://preprod.myinvois.hasil.gov.my/F9D425P6DS7D8IU7XW1P4T3H10/share/LIJAF97HJJKH8298KHADH09908570FDKK9S2LSIUHB377373";

pub fn validation() -> LhdnValidation {
    LhdnValidation {
        url: VALIDATION_URL.into(),
        document_uuid: "F9D425P6DS7D8IU7XW1P4T3H10".into(),
        validated_at: at("2026-11-30T02:20:41Z"),
    }
}

pub fn note() -> NoteDocument {
    NoteDocument {
        kind: NoteKind::Credit,
        issue: Issue {
            number: "CN-2026-000007".into(),
            at: at("2026-12-03T06:00:00Z"),
        },
        issued_on: day("2026-12-03"),
        invoice_number: "INV-2026-000123".into(),
        reason: "One weight returned: scratched on delivery".into(),
        customer: customer(),
        currency: "MYR".into(),
        lines: vec![line(1)],
        totals: Totals {
            net: d("2500.00"),
            tax: d("200.00"),
            total: d("2700.00"),
        },
        amount_in_words: true,
        lhdn: Some(validation()),
    }
}

pub fn quotation() -> QuotationDocument {
    QuotationDocument {
        issue: Issue {
            number: "QT-2026-0042 r2".into(),
            at: at("2026-11-20T01:00:00Z"),
        },
        sent_on: day("2026-11-20"),
        valid_until: day("2026-12-20"),
        customer: customer(),
        attention: Some("Puan Siti Aminah".into()),
        currency: "MYR".into(),
        lines: vec![line(1), line(2)],
        totals: Totals {
            net: d("5000.00"),
            tax: d("400.00"),
            total: d("5400.00"),
        },
        amount_in_words: false,
    }
}

/// A small PNG with a stroke across it: a signature as the page sends it.
pub fn signature_png() -> Vec<u8> {
    let (w, h) = (240u32, 80u32);
    let mut pixels = vec![255u8; (w * h) as usize];
    for x in 10..230 {
        let y = 40.0 + 25.0 * ((x as f64) / 20.0).sin();
        for dy in 0..3 {
            pixels[((y as u32 + dy) * w + x) as usize] = 0;
        }
    }
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, w, h);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().unwrap();
        writer.write_image_data(&pixels).unwrap();
    }
    out
}

pub fn delivery_order(signed: bool) -> DeliveryOrderDocument {
    DeliveryOrderDocument {
        issue: Issue {
            number: "DO-0193a6f1".into(),
            at: at("2026-12-01T03:00:00Z"),
        },
        created_on: day("2026-12-01"),
        source: "Invoice INV-2026-000123".into(),
        customer: customer(),
        delivery_address: vec!["Gate B, Lot 7".into(), "13400 Butterworth".into()],
        dispatch: Some("1 Dec 2026, driver Ali bin Ahmad, vehicle WXY 1234".into()),
        lines: vec![DeliveryOrderLine {
            description: "Test weight F1 20 kg".into(),
            quantity: "2 piece".into(),
            serials: vec!["W-20-0001".into(), "W-20-0002".into()],
        }],
        signature: signed.then(|| SignatureEvidence {
            signer_name: "Tan Mei Ling".into(),
            signed_at: at("2026-12-01T06:42:10Z"),
            client_ip: "203.0.113.45".into(),
            user_agent: "Mozilla/5.0 (Linux; Android 14; Pixel 8) Mobile".into(),
            image_png: signature_png(),
            image_sha256: "5f1d".repeat(16),
            shown_pdf_sha256: "a3c9".repeat(16),
        }),
    }
}

pub fn return_receipt() -> ReturnReceiptDocument {
    ReturnReceiptDocument {
        issue: Issue {
            number: "RENTAL-0193a6f1 / return 1".into(),
            at: at("2026-12-10T08:00:00Z"),
        },
        returned_on: day("2026-12-10"),
        customer: customer(),
        currency: "MYR".into(),
        units: vec![ReturnedUnit {
            description: "F1 20 kg, serial W-20-0001".into(),
            checked_out_on: Some(day("2026-12-01")),
            returned_on: day("2026-12-10"),
            condition: "damaged".into(),
            note: Some("Dent on the handle".into()),
            days: 9,
            rental_charge: d("270.00"),
            damage_charge: d("150.00"),
        }],
        still_out: vec!["F1 20 kg, serial W-20-0002".into()],
        amount_in_words: true,
    }
}

/// Runs a poppler tool on `pdf` (written to a temporary file) and returns its output.
pub fn poppler(tool: &str, args: &[&str], pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    let output = Command::new(tool)
        .args(args)
        .arg(&path)
        .args(if tool == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| panic!("{tool} (poppler-utils; scripts/test.sh installs it): {e}"));
    assert!(
        output.status.success(),
        "{tool} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The text of every page, layout kept (columns on one line).
pub fn text(pdf: &[u8]) -> String {
    poppler("pdftotext", &["-layout"], pdf)
}

pub fn pages(pdf: &[u8]) -> u32 {
    let info = poppler("pdfinfo", &[], pdf);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

/// The first page as a PNG at `dpi`, written to `to` (`to` without the `.png`).
pub fn first_page_png(pdf: &[u8], dpi: u32, to: &Path) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    let status = Command::new("pdftoppm")
        .args([
            "-png",
            "-r",
            &dpi.to_string(),
            "-singlefile",
            "-f",
            "1",
            "-l",
            "1",
        ])
        .arg(&path)
        .arg(to)
        .status()
        .unwrap();
    assert!(status.success(), "pdftoppm failed");
}
