//! The monthly consolidated e-invoice (LHDN.md §2.8): the receipts of buyers who wanted no
//! e-invoice, summarised, with the general public as the buyer.

use chrono::{DateTime, Utc};
use niaga_domain::billing::MAX_LINES;
use niaga_domain::invoice::DocumentNumber;
use niaga_domain::values::{ExemptionReason, TaxType};
use niaga_domain::{Currency, Money};
use rust_decimal::Decimal;

use super::figures::{AfterTax, Currencies, LineFigures};
use super::header::{Parts, assemble};
use super::{ClassificationCode, MapError, Options, Supplier, party};
use crate::ubl::Document;

/// A month's receipts, summarised line by line (one line per receipt range, per branch or
/// per tax type, as the caller chooses).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsolidatedInvoice {
    pub number: DocumentNumber,
    /// Within 7 days after the month's end.
    pub issued_at: DateTime<Utc>,
    pub currency: Currency,
    pub sales: Vec<SalesLine>,
}

/// Receipts summarised on one line, with the tax they charged (summed from the receipts,
/// not recomputed: each receipt was rounded on its own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SalesLine {
    /// Must name the receipts, e.g. `Receipts R-000101 - R-000250` (LHDN requires the
    /// references).
    pub receipts: String,
    /// Before tax.
    pub net: Money,
    pub tax: Money,
    pub tax_type: TaxType,
    /// The rate the receipts charged, in percent.
    pub percent: Decimal,
    pub exemption_reason: Option<ExemptionReason>,
}

/// The consolidated e-invoice: buyer "General Public" with TIN `EI00000000010`, every line
/// classified `004`.
pub fn consolidated(
    invoice: &ConsolidatedInvoice,
    supplier: &Supplier,
    options: &Options,
) -> Result<Document, MapError> {
    if invoice.sales.is_empty() {
        return Err(MapError::NoSales);
    }
    if invoice.sales.len() > MAX_LINES {
        return Err(MapError::TooManySales { max: MAX_LINES });
    }
    let classification = ClassificationCode::consolidated();
    let lines = invoice
        .sales
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
            currencies: Currencies::new(invoice.currency, options.exchange_rate)?,
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
