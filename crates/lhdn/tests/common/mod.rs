//! Fixtures shared by the test binaries: a supplier, a customer, and an invoice with a
//! credit note, built through the domain's own events so they look exactly as issued.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::Path;
use std::str::FromStr;

use chrono::{NaiveDate, TimeZone, Utc};
use niaga_domain::billing::{Adjustments, LineInput, price};
use niaga_domain::customer::{
    Customer, CustomerDetails, CustomerEvent, CustomerKind, CustomerRegistered, RegisteredCustomer,
};
use niaga_domain::ids::{CustomerId, InvoiceId, NoteId};
use niaga_domain::invoice::{
    DocumentKind, DocumentNumber, Invoice, InvoiceDrafted, InvoiceEvent, InvoiceIssued,
    InvoiceRecord, InvoiceValidatedByLhdn, NoteIssued, PaymentTerms,
};
use niaga_domain::tax::TaxTreatment;
use niaga_domain::values::{
    Address, Brn, CountryCode, Email, ExchangeRate, ExemptionReason, Identification, ItemCode,
    MsicCode, Name, Phone, Postcode, Quantity, SstRegistration, StateCode, Tin, UnitCode,
};
use niaga_domain::{Aggregate, Currency, Money};
use niaga_lhdn::map::{ClassificationCode, Classifications, Supplier};
use rust_decimal::Decimal;
use uuid::Uuid;

pub fn sample(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/samples")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every official sample with a signature that verifies (shared/lhdn/README.md).
pub const SIGNED_SAMPLES: [&str; 12] = [
    "1.1-Invoice-Sample.json",
    "1.1-Credit-Note-Sample.json",
    "1.1-Debit-Note-Sample.json",
    "1.1-Refund-Note-Sample.json",
    "1.1-Self-Billed-Invoice-Sample.json",
    "1.1-Self-Billed-Credit-Sample.json",
    "1.1-Self-Billed-Debit-Sample.json",
    "1.1-Self-Billed-Refund-Sample.json",
    "1.1-Invoice-ForeignCurrency-Sample.json",
    "1.1-Invoice-MultiLineItem-Sample.json",
    "1.1-Invoice-Consolidated-Sample.json",
    "sample-ul-invoice-2.1-signed.min.json",
];

pub fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

pub fn supplier() -> Supplier {
    let mut classifications = Classifications::all(ClassificationCode::parse("022").unwrap());
    classifications.by_item.insert(
        ItemCode::parse("CAL-SCALE").unwrap(),
        ClassificationCode::parse("010").unwrap(),
    );
    Supplier {
        name: Name::parse("Timbang Jaya Sdn Bhd").unwrap(),
        tin: Tin::parse("C25845632020").unwrap(),
        brn: Brn::parse("202001234567").unwrap(),
        sst: Some(SstRegistration::parse("W10-1808-32000001").unwrap()),
        tourism_tax: None,
        msic: MsicCode::parse("33120").unwrap(),
        business_activity: "Repair of machinery".to_owned(),
        address: Address::new(
            vec!["Lot 5, Jalan Utas 15/7".to_owned(), "Seksyen 15".to_owned()],
            "Shah Alam".to_owned(),
            Postcode::parse("40200").unwrap(),
            StateCode::parse("10").unwrap(),
            CountryCode::malaysia(),
        )
        .unwrap(),
        phone: Phone::parse("+60355191234").unwrap(),
        email: Some(Email::parse("akaun@timbangjaya.com.my").unwrap()),
        classifications,
    }
}

pub fn customer() -> RegisteredCustomer {
    let details = CustomerDetails {
        name: Name::parse("Kedai Runcit Maju Sdn Bhd").unwrap(),
        tin: Tin::parse("C20880498010").unwrap(),
        identification: Identification::parse("BRN", "201901034567").unwrap(),
        sst: None,
        msic: None,
        address: Address::new(
            vec!["No. 12, Jalan Pasar".to_owned()],
            "Klang".to_owned(),
            Postcode::parse("41000").unwrap(),
            StateCode::parse("10").unwrap(),
            CountryCode::malaysia(),
        )
        .unwrap(),
        email: Email::parse("beli@maju.com.my").unwrap(),
        phone: Phone::parse("0331234567").unwrap(),
    };
    let event = CustomerEvent::CustomerRegistered(CustomerRegistered {
        customer_id: customer_id(),
        kind: CustomerKind::Company,
        details,
    });
    match Customer::replay([&event]) {
        Customer::Registered(customer) => *customer,
        Customer::NotRegistered => panic!("the registration did not register"),
    }
}

fn customer_id() -> CustomerId {
    CustomerId::from_uuid(Uuid::from_u128(0x0197_0000_0000_7000_8000_0000_0000_0001))
}

#[allow(clippy::too_many_arguments)] // One column per field of a line, as a table.
fn line(
    item: Option<&str>,
    description: &str,
    quantity: &str,
    unit: &str,
    unit_price: &str,
    discount: &str,
    tax: TaxTreatment,
    currency: Currency,
) -> LineInput {
    LineInput {
        item_code: item.map(|code| ItemCode::parse(code).unwrap()),
        description: description.to_owned(),
        quantity: Quantity::parse(quantity).unwrap(),
        unit: UnitCode::parse(unit).unwrap(),
        unit_price: Money::new(dec(unit_price), currency),
        discount: Money::new(dec(discount), currency),
        tax,
    }
}

/// Four lines, one per way we tax: service tax, rental at 8 % less 2 %, resale (06) and an
/// exemption (E); one with a discount, one priced per gram.
pub fn invoice_lines(currency: Currency) -> Vec<LineInput> {
    vec![
        line(
            Some("CAL-SCALE"),
            "Calibration of platform scale 300 kg, certificate included",
            "2",
            "C62",
            "180.00",
            "20.00",
            TaxTreatment::Service,
            currency,
        ),
        line(
            None,
            "Rental of test weights set M1, 1 kg to 20 kg",
            "7",
            "DAY",
            "45.50",
            "0",
            TaxTreatment::EquipmentRental,
            currency,
        ),
        line(
            Some("GOLD-LEAF"),
            "Gold leaf for balance repair",
            "1.5",
            "GRM",
            "385.125",
            "0",
            TaxTreatment::GoodsResale,
            currency,
        ),
        line(
            None,
            "Repair of scale at government hospital",
            "1",
            "C62",
            "250.00",
            "0",
            TaxTreatment::Exempt {
                reason: ExemptionReason::parse(
                    "Exempt under Service Tax (Persons Exempted) Order 2018",
                )
                .unwrap(),
            },
            currency,
        ),
    ]
}

pub fn issued_on() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()
}

/// INV-2026-000123 issued 1 June 2026 at 10:00 in Kuala Lumpur (02:00 UTC), and, when
/// `with_note` holds, validated by LHDN and credited the next day.
pub fn invoice_record(currency: Currency, with_note: bool) -> InvoiceRecord {
    let invoice_id =
        InvoiceId::from_uuid(Uuid::from_u128(0x0197_0000_0000_7000_8000_0000_0000_0002));
    let inputs = invoice_lines(currency);
    let (lines, totals) = price(currency, &inputs, issued_on(), &Adjustments::default()).unwrap();
    let number = DocumentNumber::new(DocumentKind::Invoice, 2026, 123).unwrap();
    // A document not in MYR carries its rate (LHDN's foreign-currency sample uses 4.72).
    let exchange_rate = (currency != Currency::MYR).then(|| ExchangeRate::parse("4.7215").unwrap());
    let mut events = vec![
        InvoiceEvent::InvoiceDrafted(InvoiceDrafted {
            invoice_id,
            customer_id: customer_id(),
            currency,
            payment_terms: PaymentTerms::new(30).unwrap(),
            customer_reference: Some("PO-7781".to_owned()),
            source: None,
            lines: lines.clone(),
            totals: totals.clone(),
            priced_on: issued_on(),
        }),
        InvoiceEvent::InvoiceIssued(InvoiceIssued {
            invoice_id,
            number: number.clone(),
            customer_id: customer_id(),
            issued_at: Utc.with_ymd_and_hms(2026, 6, 1, 2, 0, 0).unwrap(),
            issued_on: issued_on(),
            due_on: NaiveDate::from_ymd_opt(2026, 7, 1).unwrap(),
            lines,
            totals,
            einvoice: niaga_domain::invoice::EInvoiceChoice::Individual,
            exchange_rate,
        }),
    ];
    if with_note {
        let credited = vec![inputs[0].clone()];
        let (lines, totals) =
            price(currency, &credited, issued_on(), &Adjustments::default()).unwrap();
        events.push(InvoiceEvent::InvoiceValidatedByLhdn(
            InvoiceValidatedByLhdn {
                validated: niaga_domain::einvoice::Validated {
                    document_uuid: "F9D425P6DS7D8IU2JG5TBAXZ10".to_owned(),
                    long_id: "LIJAF97HJJKH8298KHADH09908570FDKK9S2LSIUHB377373".to_owned(),
                    validated_at: Utc.with_ymd_and_hms(2026, 6, 1, 2, 5, 0).unwrap(),
                },
            },
        ));
        events.push(InvoiceEvent::CreditNoteIssued(NoteIssued {
            note_id: NoteId::from_uuid(Uuid::from_u128(0x0197_0000_0000_7000_8000_0000_0000_0003)),
            number: DocumentNumber::new(DocumentKind::CreditNote, 2026, 7).unwrap(),
            invoice_id,
            invoice_number: number,
            customer_id: customer_id(),
            reason: "Calibration not done on the second scale".to_owned(),
            issued_at: Utc.with_ymd_and_hms(2026, 6, 2, 3, 30, 0).unwrap(),
            issued_on: NaiveDate::from_ymd_opt(2026, 6, 2).unwrap(),
            priced_on: issued_on(),
            lines,
            totals,
            exchange_rate,
        }));
    }
    Invoice::replay(&events)
        .drafted()
        .cloned()
        .expect("a drafted invoice")
}
