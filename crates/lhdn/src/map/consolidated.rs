//! The monthly consolidated e-invoice (LHDN.md §2.8): the receipts of buyers who wanted no
//! e-invoice, summarised (`niaga_domain::consolidation`), with the general public as the
//! buyer.

use niaga_domain::billing::MAX_LINES;
use niaga_domain::consolidation::ConsolidatedDocument;
use rust_decimal::Decimal;

use super::figures::{AfterTax, Currencies, LineFigures};
use super::header::{Parts, assemble};
use super::{ClassificationCode, MapError, Options, Supplier, party};
use crate::ubl::Document;

/// The consolidated e-invoice: buyer "General Public" with TIN `EI00000000010`, every line
/// classified `004`, quantity 1 of `C62` carrying the receipts' summed amounts.
pub fn consolidated(
    invoice: &ConsolidatedDocument,
    supplier: &Supplier,
    options: &Options,
) -> Result<Document, MapError> {
    if invoice.lines.is_empty() {
        return Err(MapError::NoSales);
    }
    if invoice.lines.len() > MAX_LINES {
        return Err(MapError::TooManySales { max: MAX_LINES });
    }
    let classification = ClassificationCode::consolidated();
    let lines = invoice
        .lines
        .iter()
        .enumerate()
        .map(|(index, sale)| {
            for money in [sale.net, sale.tax] {
                if money.currency() != invoice.currency {
                    return Err(MapError::SaleCurrency {
                        index,
                        expected: invoice.currency,
                        found: money.currency(),
                    });
                }
            }
            let net = sale.net.amount();
            Ok(LineFigures {
                description: sale.receipts.clone(),
                classification: classification.as_str().to_owned(),
                quantity: Decimal::ONE,
                unit: "C62".to_owned(),
                unit_price: net,
                subtotal: net,
                discount: Decimal::ZERO,
                net,
                tax_type: sale.tax_type.as_str().to_owned(),
                percent: sale.percent,
                tax: sale.tax.amount(),
                exemption_reason: sale
                    .exemption_reason
                    .as_ref()
                    .map(|r| r.as_str().to_owned()),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let (document, _) = assemble(
        Parts {
            number: invoice.number.as_str(),
            type_code: "01",
            version: options.version,
            issued_at: invoice.issued_at,
            // LHDN consolidates in MYR: a foreign-currency sale is never consolidated (the
            // domain refuses it), so there is no rate to give.
            currencies: Currencies::new(invoice.currency, None)?,
            billing_reference: Vec::new(),
            buyer: party::general_public(),
            payment_terms: None,
            lines,
            after_tax: AfterTax::default(),
        },
        supplier,
    );
    Ok(document)
}
