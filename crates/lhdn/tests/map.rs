//! Golden tests of the mapping: our fixture documents as LHDN UBL JSON, checked in under
//! `tests/golden/` (pretty-printed; compared minified). `UPDATE_GOLDEN=1 cargo test` rewrites
//! them after a deliberate change: review the diff.
#![allow(clippy::unwrap_used)]

mod common;

use chrono::{TimeZone, Utc};
use common::{customer, dec, invoice_record, supplier};
use niaga_domain::consolidation::{ConsolidatedDocument, ConsolidatedNumber, SalesLine};
use niaga_domain::values::Month;
use niaga_domain::values::TaxType;
use niaga_domain::{Currency, Money};
use niaga_lhdn::map::{self, MapError, Options};
use niaga_lhdn::minify;
use niaga_lhdn::ubl::Document;
use serde_json::{Value, json};

fn golden(name: &str, document: &Document) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        let mut pretty = serde_json::to_vec_pretty(document).unwrap();
        pretty.push(b'\n');
        std::fs::write(&path, pretty).unwrap();
    }
    let expected = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let ours = document.to_bytes();
    assert!(
        minify(&expected) == ours,
        "{name} differs from the golden file:\n{}",
        String::from_utf8_lossy(&ours)
    );
}

fn json(document: &Document) -> Value {
    serde_json::from_slice(&document.to_bytes()).unwrap()
}

fn amount(value: &Value) -> rust_decimal::Decimal {
    dec(&value[0]["_"].to_string())
}

#[test]
fn an_issued_invoice_maps_to_the_golden_document() {
    let record = invoice_record(Currency::MYR, false);
    let document = map::invoice(&record, &customer(), &supplier(), &Options::default()).unwrap();
    golden("invoice.json", &document);
}

#[test]
fn a_credit_note_references_the_invoice_by_its_lhdn_uuid() {
    let record = invoice_record(Currency::MYR, true);
    let note = &record.notes[0];
    let document = map::note(&record, note, &customer(), &supplier(), &Options::default()).unwrap();
    golden("credit-note.json", &document);
    let value = json(&document);
    let invoice = &value["Invoice"][0];
    assert_eq!(invoice["InvoiceTypeCode"][0]["_"], "02");
    let reference = &invoice["BillingReference"][0]["InvoiceDocumentReference"][0];
    assert_eq!(reference["UUID"][0]["_"], "F9D425P6DS7D8IU2JG5TBAXZ10");
    assert_eq!(reference["ID"][0]["_"], "INV-2026-000123");
}

#[test]
fn a_note_against_an_invoice_lhdn_has_not_validated_is_refused() {
    let mut record = invoice_record(Currency::MYR, true);
    record.lhdn = None;
    let note = record.notes[0].clone();
    assert_eq!(
        map::note(
            &record,
            &note,
            &customer(),
            &supplier(),
            &Options::default()
        ),
        Err(MapError::OriginalNotValidated {
            number: "INV-2026-000123".to_owned()
        })
    );
}

#[test]
fn the_totals_reconcile_as_lhdn_computes_them() {
    let record = invoice_record(Currency::MYR, false);
    let document = map::invoice(&record, &customer(), &supplier(), &Options::default()).unwrap();
    let value = json(&document);
    let invoice = &value["Invoice"][0];
    let lines = invoice["InvoiceLine"].as_array().unwrap();
    let sum = |f: &dyn Fn(&Value) -> rust_decimal::Decimal| lines.iter().map(f).sum();
    let totals = &invoice["LegalMonetaryTotal"][0];
    let tax_total = &invoice["TaxTotal"][0];
    let line_extension: rust_decimal::Decimal = sum(&|l| amount(&l["LineExtensionAmount"]));
    assert_eq!(amount(&totals["LineExtensionAmount"]), line_extension);
    assert_eq!(amount(&totals["TaxExclusiveAmount"]), line_extension);
    let tax: rust_decimal::Decimal = sum(&|l| amount(&l["TaxTotal"][0]["TaxAmount"]));
    assert_eq!(amount(&tax_total["TaxAmount"]), tax);
    let subtotals: rust_decimal::Decimal = tax_total["TaxSubtotal"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| amount(&s["TaxAmount"]))
        .sum();
    assert_eq!(subtotals, tax);
    assert_eq!(amount(&totals["TaxInclusiveAmount"]), line_extension + tax);
    assert_eq!(amount(&totals["PayableAmount"]), line_extension + tax);
    for line in lines {
        let extension = amount(&line["ItemPriceExtension"][0]["Amount"]);
        let discount = line["AllowanceCharge"]
            .as_array()
            .map_or(rust_decimal::Decimal::ZERO, |a| amount(&a[0]["Amount"]));
        assert_eq!(extension - discount, amount(&line["LineExtensionAmount"]));
    }
    // One subtotal per tax type, in code order: 02, 06, E.
    let types: Vec<&str> = tax_total["TaxSubtotal"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["TaxCategory"][0]["ID"][0]["_"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["02", "06", "E"]);
}

#[test]
fn a_foreign_currency_invoice_carries_the_rate_and_tax_in_myr() {
    let usd = Currency::parse("USD").unwrap();
    let record = invoice_record(usd, false);
    let document = map::invoice(&record, &customer(), &supplier(), &Options::default()).unwrap();
    golden("invoice-usd.json", &document);
    let value = json(&document);
    let invoice = &value["Invoice"][0];
    assert_eq!(invoice["DocumentCurrencyCode"][0]["_"], "USD");
    assert_eq!(invoice["TaxCurrencyCode"][0]["_"], "MYR");
    let rate = &invoice["TaxExchangeRate"][0];
    assert_eq!(rate["SourceCurrencyCode"][0]["_"], "USD");
    assert_eq!(rate["TargetCurrencyCode"][0]["_"], "MYR");
    assert_eq!(invoice["TaxTotal"][0]["TaxAmount"][0]["currencyID"], "MYR");
    assert_eq!(
        invoice["LegalMonetaryTotal"][0]["PayableAmount"][0]["currencyID"],
        "USD"
    );
    assert_eq!(rate["CalculationRate"][0]["_"], json!(4.7215));
    // Issued before the rate was recorded: LHDN would refuse it, so it is not mapped.
    let mut unrated = record.clone();
    if let Some(issue) = unrated.issue.as_mut() {
        issue.exchange_rate = None;
    }
    assert_eq!(
        map::invoice(&unrated, &customer(), &supplier(), &Options::default()),
        Err(MapError::ExchangeRateMissing { currency: usd })
    );
}

#[test]
fn a_note_against_a_foreign_currency_invoice_converts_at_the_invoices_rate() {
    let usd = Currency::parse("USD").unwrap();
    let record = invoice_record(usd, true);
    let note = &record.notes[0];
    let document = map::note(&record, note, &customer(), &supplier(), &Options::default()).unwrap();
    let value = json(&document);
    let invoice = &value["Invoice"][0];
    let rate = &invoice["TaxExchangeRate"][0];
    assert_eq!(rate["SourceCurrencyCode"][0]["_"], "USD");
    assert_eq!(rate["CalculationRate"][0]["_"], json!(4.7215));
    assert_eq!(invoice["TaxTotal"][0]["TaxAmount"][0]["currencyID"], "MYR");
}

#[test]
fn optional_blocks_are_left_out_rather_than_empty() {
    let record = invoice_record(Currency::MYR, false);
    let document = map::invoice(&record, &customer(), &supplier(), &Options::default()).unwrap();
    let text = String::from_utf8(document.to_bytes()).unwrap();
    for absent in [
        "InvoicePeriod",
        "Delivery",
        "PaymentMeans",
        "PrepaidPayment",
        "TaxExchangeRate",
        "UBLExtensions",
        "\"Signature\"",
        "\"_\":\"\"",
        "[]",
    ] {
        assert!(!text.contains(absent), "{absent} is in the document");
    }
}

#[test]
fn a_months_receipts_map_to_a_consolidated_e_invoice() {
    let sale = |receipts: &str, net: &str, tax: &str, tax_type: TaxType, percent: &str| SalesLine {
        receipts: receipts.to_owned(),
        invoices: Vec::new(),
        net: Money::myr(dec(net)),
        tax: Money::myr(dec(tax)),
        tax_type,
        percent: dec(percent),
        exemption_reason: None,
    };
    let invoice = ConsolidatedDocument {
        number: ConsolidatedNumber::new(Month::parse("2026-06").unwrap(), 1),
        issued_at: Utc.with_ymd_and_hms(2026, 7, 3, 1, 0, 0).unwrap(),
        currency: Currency::MYR,
        invoices: Vec::new(),
        attempts: 0,
        stage: None,
        lines: vec![
            sale(
                "Receipts R-000101 - R-000250",
                "12840.00",
                "1027.20",
                TaxType::service_tax(),
                "8",
            ),
            sale(
                "Receipts R-000251 - R-000263",
                "420.50",
                "0.00",
                TaxType::not_applicable(),
                "0",
            ),
        ],
    };
    let document = map::consolidated(&invoice, &supplier(), &Options::default()).unwrap();
    golden("consolidated.json", &document);
    let value = json(&document);
    let buyer = &value["Invoice"][0]["AccountingCustomerParty"][0]["Party"][0];
    assert_eq!(
        buyer["PartyLegalEntity"][0]["RegistrationName"][0]["_"],
        "General Public"
    );
    assert_eq!(
        buyer["PartyIdentification"][0]["ID"][0]["_"],
        "EI00000000010"
    );
    assert_eq!(
        buyer["PostalAddress"][0]["CountrySubentityCode"][0]["_"],
        "17"
    );
    for line in value["Invoice"][0]["InvoiceLine"].as_array().unwrap() {
        let class = &line["Item"][0]["CommodityClassification"][0]["ItemClassificationCode"][0];
        assert_eq!(class["_"], "004");
        assert_eq!(class["listID"], "CLASS");
    }
    assert_eq!(
        amount(&value["Invoice"][0]["LegalMonetaryTotal"][0]["PayableAmount"]),
        dec("14287.70")
    );
}
