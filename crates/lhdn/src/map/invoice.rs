//! An issued invoice, type `01`.

use niaga_domain::customer::RegisteredCustomer;
use niaga_domain::invoice::InvoiceRecord;

use super::figures::{AfterTax, Currencies, agree, priced};
use super::header::{Parts, assemble};
use super::{MapError, Options, Supplier, party};
use crate::ubl::{BillingReference, Document, DocumentReference, text};

/// The invoice as LHDN UBL, the customer's details as the buyer.
pub fn invoice(
    record: &InvoiceRecord,
    customer: &RegisteredCustomer,
    supplier: &Supplier,
    options: &Options,
) -> Result<Document, MapError> {
    let issue = record.issue.as_ref().ok_or(MapError::NotIssued)?;
    let days = record.payment_terms.days();
    let payment_terms = if days == 0 {
        "Due on receipt".to_owned()
    } else {
        format!("Due {days} days from issue, on {}", issue.due_on)
    };
    // The customer's own reference (their PO) is LHDN's "bill reference".
    let billing_reference = record
        .customer_reference
        .iter()
        .map(|reference| BillingReference {
            invoice_document_reference: Vec::new(),
            additional_document_reference: vec![DocumentReference {
                id: text(reference),
                document_type: Vec::new(),
                document_description: Vec::new(),
            }],
        })
        .collect();
    let (document, totals) = assemble(
        Parts {
            number: issue.number.as_str(),
            type_code: issue.number.kind().lhdn_type_code(),
            version: options.version,
            issued_at: issue.issued_at,
            currencies: Currencies::new(record.currency, issue.exchange_rate)?,
            billing_reference,
            buyer: party::buyer(&customer.details),
            payment_terms: Some(payment_terms),
            lines: priced(&record.lines, &supplier.classifications),
            after_tax: AfterTax::of(&record.totals),
        },
        supplier,
    );
    agree(&totals, &record.totals)?;
    Ok(document)
}
