//! Every official version 1.1 sample (and the signed "min" sample) parses into our UBL types
//! and is written back byte for byte: the types know every element LHDN uses, in LHDN's
//! key order, and keep numbers as written.

mod common;

use common::{SIGNED_SAMPLES, sample};
use niaga_lhdn::{minify, ubl::Document};

#[test]
fn every_signed_sample_round_trips_byte_for_byte() {
    for name in SIGNED_SAMPLES {
        let minified = minify(&sample(name));
        let document: Document = serde_json::from_slice(&minified)
            .unwrap_or_else(|e| panic!("{name} does not parse: {e}"));
        let written = document.to_bytes();
        assert!(
            written == minified,
            "{name} is written back differently:\n ours: {}\n  its: {}",
            String::from_utf8_lossy(&written),
            String::from_utf8_lossy(&minified)
        );
    }
}

#[test]
fn the_unsigned_samples_round_trip_too() {
    for name in ["1.0-Invoice-Sample.json", "1.0-Credit-Note-Sample.json"] {
        let minified = minify(&sample(name));
        let document: Document = serde_json::from_slice(&minified).expect(name);
        assert!(document.invoice[0].ubl_extensions.is_empty());
        assert_eq!(document.to_bytes(), minified, "{name}");
    }
}
