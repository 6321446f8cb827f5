//! Credit, debit and refund notes (`02`, `03`, `04`): documents of their own that reference
//! the invoice they correct by its LHDN UUID.

use niaga_domain::customer::RegisteredCustomer;
use niaga_domain::invoice::{InvoiceRecord, Note};

use super::figures::{AfterTax, Currencies, agree, priced};
use super::header::{Parts, assemble};
use super::{MapError, Options, Supplier, party};
use crate::ubl::{BillingReference, Document, InvoiceDocumentReference, text};

/// `note`, issued against `record`, as LHDN UBL. The invoice must have been validated by
/// LHDN: the Referenced Documents validator refuses a note whose original is not Valid.
pub fn note(
    record: &InvoiceRecord,
    note: &Note,
    customer: &RegisteredCustomer,
    supplier: &Supplier,
    options: &Options,
) -> Result<Document, MapError> {
    let original = record.number().ok_or(MapError::NotIssued)?;
    let uuid = record
        .lhdn
        .as_ref()
        .map(|validation| validation.document_uuid.as_str())
        .ok_or_else(|| MapError::OriginalNotValidated {
            number: original.to_string(),
        })?;
    let (document, totals) = assemble(
        Parts {
            number: note.number.as_str(),
            type_code: note.kind.document_kind().lhdn_type_code(),
            version: options.version,
            issued_at: note.issued_at,
            currencies: Currencies::new(record.currency, note.exchange_rate)?,
            billing_reference: vec![BillingReference {
                invoice_document_reference: vec![InvoiceDocumentReference {
                    id: text(original.as_str()),
                    uuid: text(uuid),
                }],
                additional_document_reference: Vec::new(),
            }],
            buyer: party::buyer(&customer.details),
            payment_terms: None,
            lines: priced(&note.lines, &supplier.classifications),
            after_tax: AfterTax::of(&note.totals),
        },
        supplier,
    );
    agree(&totals, &note.totals)?;
    Ok(document)
}
