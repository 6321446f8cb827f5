//! What every document starts with, and the document assembled from its parts.

use chrono::{DateTime, Utc};

use super::figures::{AfterTax, Currencies, DocumentTotals, LineFigures, totals, ubl_line};
use super::{DocumentVersion, Supplier, party};
use crate::ubl::{
    AccountingCustomer, BillingReference, Code, Document, Invoice, Num, Number, PrepaidPayment,
    TaxExchangeRate, text,
};

/// The parts that differ between an invoice, a note and a consolidated e-invoice.
pub(super) struct Parts<'a> {
    pub number: &'a str,
    pub type_code: &'static str,
    pub version: DocumentVersion,
    pub issued_at: DateTime<Utc>,
    pub currencies: Currencies,
    pub billing_reference: Vec<BillingReference>,
    pub buyer: Vec<AccountingCustomer>,
    pub payment_terms: Option<String>,
    pub lines: Vec<LineFigures>,
    pub after_tax: AfterTax,
}

/// The document, and the totals its lines add up to (for the caller to check against the
/// domain's).
pub(super) fn assemble(parts: Parts<'_>, supplier: &Supplier) -> (Document, DocumentTotals) {
    let Parts {
        number,
        type_code,
        version,
        issued_at,
        currencies,
        billing_reference,
        buyer,
        payment_terms,
        lines,
        after_tax,
    } = parts;
    let totals = totals(&lines, after_tax, &currencies);
    let document_currency = currencies.document.as_str();
    let invoice = Invoice {
        id: text(number),
        // LHDN wants UTC, and refuses a time in the future (Pitfall 5).
        issue_date: text(issued_at.format("%Y-%m-%d").to_string()),
        issue_time: text(issued_at.format("%H:%M:%SZ").to_string()),
        invoice_type_code: vec![Code {
            value: type_code.to_owned(),
            list_version_id: Some(version.as_str().to_owned()),
            ..Code::default()
        }],
        document_currency_code: text(document_currency),
        tax_currency_code: text("MYR"),
        invoice_period: Vec::new(),
        billing_reference,
        additional_document_reference: Vec::new(),
        accounting_supplier_party: party::supplier(supplier),
        accounting_customer_party: buyer,
        delivery: Vec::new(),
        payment_means: Vec::new(),
        payment_terms: payment_terms
            .map(|note| vec![crate::ubl::PaymentTerms { note: text(note) }])
            .unwrap_or_default(),
        prepaid_payment: if after_tax.prepaid.is_zero() {
            Vec::new()
        } else {
            vec![PrepaidPayment {
                id: Vec::new(),
                paid_amount: currencies.money(after_tax.prepaid),
                paid_date: Vec::new(),
                paid_time: Vec::new(),
            }]
        },
        allowance_charge: Vec::new(),
        tax_exchange_rate: currencies
            .to_myr
            .map(|rate| {
                vec![TaxExchangeRate {
                    source_currency_code: text(document_currency),
                    target_currency_code: text("MYR"),
                    calculation_rate: vec![Number {
                        value: Num::plain(rate),
                    }],
                }]
            })
            .unwrap_or_default(),
        tax_total: totals.tax_total.clone(),
        legal_monetary_total: totals.legal_monetary_total.clone(),
        invoice_line: lines
            .iter()
            .enumerate()
            .map(|(index, line)| ubl_line(index, line, &currencies))
            .collect(),
        ubl_extensions: Vec::new(),
        signature: Vec::new(),
    };
    (Document::new(invoice), totals)
}
