//! Signing and verifying a 100-line invoice (the most lines a document may have), per
//! document: `cargo bench -p niaga-lhdn --bench sign`. A plain binary printing numbers.
#![allow(clippy::print_stdout, clippy::unwrap_used)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use niaga_domain::Currency;
use niaga_domain::billing::{Adjustments, MAX_LINES, price};
use niaga_domain::invoice::InvoiceRecord;
use niaga_lhdn::map::{self, Options};
use niaga_lhdn::sign::Signer;
use niaga_lhdn::testing::{TEST_TIN, TestPki};
use niaga_lhdn::verify::{VerifyOptions, verify};

const ROUNDS: u32 = 200;

fn hundred_lines() -> InvoiceRecord {
    let mut record = common::invoice_record(Currency::MYR, false);
    let inputs: Vec<_> = common::invoice_lines(Currency::MYR)
        .into_iter()
        .cycle()
        .take(MAX_LINES)
        .collect();
    let (lines, totals) = price(
        Currency::MYR,
        &inputs,
        common::issued_on(),
        &Adjustments::default(),
    )
    .unwrap();
    record.lines = lines;
    record.totals = totals;
    record
}

fn per_document(label: &str, mut run: impl FnMut()) -> Duration {
    run(); // warm-up
    let start = Instant::now();
    for _ in 0..ROUNDS {
        run();
    }
    let each = start.elapsed() / ROUNDS;
    println!("{label:<38} {:>9.1} µs/document", each.as_secs_f64() * 1e6);
    each
}

fn main() {
    let pki = TestPki::new();
    let record = hundred_lines();
    let customer = common::customer();
    let supplier = common::supplier();
    let signer = Signer::with_clock(
        pki.identity(),
        Utc.with_ymd_and_hms(2026, 6, 1, 2, 10, 0).unwrap(),
    );
    let document = map::invoice(&record, &customer, &supplier, &Options::default()).unwrap();
    let signed = signer.sign_document(&document).unwrap();
    let options = VerifyOptions {
        trust: pki.trust(),
        submitter_tin: Some(TEST_TIN.to_owned()),
    };
    assert!(verify(&signed, &options).is_valid());
    println!(
        "100-line invoice: {} bytes unsigned, {} bytes signed (RSA 2048); {ROUNDS} rounds each",
        document.to_bytes().len(),
        signed.len()
    );
    per_document("map (domain -> UBL document)", || {
        black_box(map::invoice(&record, &customer, &supplier, &Options::default()).unwrap());
    });
    per_document("serialise (document -> bytes)", || {
        black_box(document.to_bytes());
    });
    per_document("sign (bytes -> signed bytes)", || {
        black_box(signer.sign_document(&document).unwrap());
    });
    per_document("verify (all checks, CA and TIN)", || {
        black_box(verify(&signed, &options));
    });
}
