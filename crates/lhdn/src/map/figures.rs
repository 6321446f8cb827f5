//! A line's figures, whatever document they come from, and the UBL line and totals made
//! from them. Invoices, notes and consolidated e-invoices all go through here, so their
//! totals reconcile the same way: every total is a sum of the lines' rounded figures
//! (LHDN.md §2.7, Pitfall 15).

use std::collections::BTreeMap;

use niaga_domain::Currency;
use niaga_domain::billing::{Line, Totals};
use niaga_domain::values::ExchangeRate;
use rust_decimal::Decimal;

use super::{Classifications, MapError};
use crate::ubl::{
    AllowanceCharge, Amount, Code, CommodityClassification, Flag, Identifier, InvoiceLine, Item,
    ItemPriceExtension, LegalMonetaryTotal, Measure, Num, Number, Price, TaxCategory, TaxScheme,
    TaxSubtotal, TaxTotal, amount, text,
};

/// One line, in the document's currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct LineFigures {
    pub description: String,
    pub classification: String,
    pub quantity: Decimal,
    pub unit: String,
    pub unit_price: Decimal,
    /// Quantity × unit price, rounded.
    pub subtotal: Decimal,
    pub discount: Decimal,
    /// Subtotal − discount.
    pub net: Decimal,
    pub tax_type: String,
    /// The rate charged, in percent.
    pub percent: Decimal,
    pub tax: Decimal,
    pub exemption_reason: Option<String>,
}

impl LineFigures {
    /// A priced line of an invoice or a note.
    pub fn of(line: &Line, classification: &str) -> Self {
        let tax = line.tax();
        let rule = tax.rule();
        let exemption_reason = tax.exemption_reason().map(|r| r.as_str().to_owned());
        Self {
            description: line.description().to_owned(),
            classification: classification.to_owned(),
            quantity: line.quantity().value(),
            unit: line.unit().as_str().to_owned(),
            unit_price: line.unit_price().amount(),
            subtotal: line.subtotal().amount(),
            discount: line.discount().amount(),
            net: line.net().amount(),
            tax_type: rule.tax_type().as_str().to_owned(),
            percent: rule.effective_rate(),
            tax: tax.amount().amount(),
            exemption_reason,
        }
    }
}

/// The document's currency, and the rate to MYR when it is another: LHDN wants tax amounts
/// in MYR (its `TaxCurrencyCode`) and everything else in the document's currency, as in its
/// foreign-currency sample (LHDN.md §2.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Currencies {
    pub document: Currency,
    pub to_myr: Option<Decimal>,
}

impl Currencies {
    pub fn new(document: Currency, to_myr: Option<ExchangeRate>) -> Result<Self, MapError> {
        match (document == Currency::MYR, to_myr) {
            (true, None) => Ok(Self {
                document,
                to_myr: None,
            }),
            (true, Some(_)) => Err(MapError::ExchangeRateForMyr),
            // A foreign-currency invoice issued before the rate was recorded has none.
            (false, None) => Err(MapError::ExchangeRateMissing { currency: document }),
            (false, Some(rate)) => Ok(Self {
                document,
                to_myr: Some(rate.to_myr()),
            }),
        }
    }

    pub fn money(&self, value: Decimal) -> Vec<Amount> {
        amount(Num::money(value), self.document.as_str())
    }

    /// A tax amount in MYR: converted line by line and rounded to the sen, so the MYR
    /// subtotals and total are sums of the MYR line figures.
    pub fn tax_in_myr(&self, tax: Decimal) -> Decimal {
        match self.to_myr {
            None => tax,
            Some(rate) => (tax * rate)
                .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero),
        }
    }

    fn myr(value: Decimal) -> Vec<Amount> {
        amount(Num::money(value), Currency::MYR.as_str())
    }
}

pub(super) fn ubl_line(index: usize, line: &LineFigures, currencies: &Currencies) -> InvoiceLine {
    let allowance_charge = if line.discount.is_zero() {
        Vec::new()
    } else {
        vec![AllowanceCharge {
            charge_indicator: vec![Flag { value: false }],
            allowance_charge_reason: text("Discount"),
            multiplier_factor_numeric: Vec::new(),
            amount: currencies.money(line.discount),
        }]
    };
    let tax_myr = currencies.tax_in_myr(line.tax);
    InvoiceLine {
        id: text((index + 1).to_string()),
        invoiced_quantity: vec![Measure {
            value: Num::plain(line.quantity),
            unit_code: line.unit.clone(),
        }],
        line_extension_amount: currencies.money(line.net),
        allowance_charge,
        tax_total: vec![TaxTotal {
            tax_amount: Currencies::myr(tax_myr),
            tax_subtotal: vec![TaxSubtotal {
                taxable_amount: currencies.money(line.net),
                tax_amount: Currencies::myr(tax_myr),
                percent: vec![Number {
                    value: Num::plain(line.percent),
                }],
                base_unit_measure: Vec::new(),
                per_unit_amount: Vec::new(),
                tax_category: tax_category(&line.tax_type, line.exemption_reason.clone()),
            }],
        }],
        item: vec![Item {
            commodity_classification: vec![CommodityClassification {
                item_classification_code: vec![Code {
                    value: line.classification.clone(),
                    list_id: Some("CLASS".to_owned()),
                    ..Code::default()
                }],
            }],
            description: text(&line.description),
            origin_country: Vec::new(),
        }],
        price: vec![Price {
            price_amount: amount(Num(line.unit_price), currencies.document.as_str()),
        }],
        item_price_extension: vec![ItemPriceExtension {
            amount: currencies.money(line.subtotal),
        }],
    }
}

/// What a document adds or takes off after tax.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct AfterTax {
    pub prepaid: Decimal,
    pub rounding: Decimal,
}

/// The document's totals, added up from `lines`.
pub(super) struct DocumentTotals {
    pub line_extension: Decimal,
    pub tax: Decimal,
    pub tax_total: Vec<TaxTotal>,
    pub legal_monetary_total: Vec<LegalMonetaryTotal>,
}

pub(super) fn totals(
    lines: &[LineFigures],
    after: AfterTax,
    currencies: &Currencies,
) -> DocumentTotals {
    struct ByType {
        taxable: Decimal,
        tax_myr: Decimal,
        reasons: Vec<String>,
    }
    let mut by_type: BTreeMap<&str, ByType> = BTreeMap::new();
    let (mut line_extension, mut tax, mut tax_myr) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    for line in lines {
        line_extension += line.net;
        tax += line.tax;
        let line_tax_myr = currencies.tax_in_myr(line.tax);
        tax_myr += line_tax_myr;
        let entry = by_type.entry(line.tax_type.as_str()).or_insert(ByType {
            taxable: Decimal::ZERO,
            tax_myr: Decimal::ZERO,
            reasons: Vec::new(),
        });
        entry.taxable += line.net;
        entry.tax_myr += line_tax_myr;
        if let Some(reason) = &line.exemption_reason
            && !entry.reasons.contains(reason)
        {
            entry.reasons.push(reason.clone());
        }
    }
    let subtotals = by_type
        .into_iter()
        .map(|(tax_type, sum)| TaxSubtotal {
            taxable_amount: currencies.money(sum.taxable),
            tax_amount: Currencies::myr(sum.tax_myr),
            percent: Vec::new(),
            base_unit_measure: Vec::new(),
            per_unit_amount: Vec::new(),
            // LHDN allows `, ( ) . -` in a reason, so several are joined with a comma.
            tax_category: tax_category(
                tax_type,
                (!sum.reasons.is_empty()).then(|| sum.reasons.join(", ")),
            ),
        })
        .collect();
    // No document-level discounts or charges: tax-exclusive is the lines' sum.
    let tax_exclusive = line_extension;
    let tax_inclusive = tax_exclusive + tax;
    let payable = tax_inclusive - after.prepaid + after.rounding;
    let optional = |value: Decimal| {
        if value.is_zero() {
            Vec::new()
        } else {
            currencies.money(value)
        }
    };
    DocumentTotals {
        line_extension,
        tax,
        tax_total: vec![TaxTotal {
            tax_amount: Currencies::myr(tax_myr),
            tax_subtotal: subtotals,
        }],
        legal_monetary_total: vec![LegalMonetaryTotal {
            line_extension_amount: currencies.money(line_extension),
            tax_exclusive_amount: currencies.money(tax_exclusive),
            tax_inclusive_amount: currencies.money(tax_inclusive),
            allowance_total_amount: Vec::new(),
            charge_total_amount: Vec::new(),
            payable_rounding_amount: optional(after.rounding),
            payable_amount: currencies.money(payable),
        }],
    }
}

fn tax_category(tax_type: &str, exemption_reason: Option<String>) -> Vec<TaxCategory> {
    vec![TaxCategory {
        id: text(tax_type),
        tax_exemption_reason: exemption_reason.map(text).unwrap_or_default(),
        tax_scheme: vec![TaxScheme {
            id: vec![Identifier {
                value: "OTH".to_owned(),
                scheme_id: Some("UN/ECE 5153".to_owned()),
                scheme_agency_id: Some("6".to_owned()),
                scheme_agency_name: None,
            }],
        }],
    }]
}

/// The figures of a priced document's lines, each classified as the company says.
pub(super) fn priced(lines: &[Line], classifications: &Classifications) -> Vec<LineFigures> {
    lines
        .iter()
        .map(|line| LineFigures::of(line, classifications.of(line.item_code()).as_str()))
        .collect()
}

impl AfterTax {
    pub fn of(totals: &Totals) -> Self {
        Self {
            prepaid: totals.prepaid().amount(),
            rounding: totals.rounding().amount(),
        }
    }
}

/// Fails if the lines do not add up to what the domain recorded: the document would then
/// show LHDN figures other than the ones on our invoice or note.
pub(super) fn agree(ours: &DocumentTotals, recorded: &Totals) -> Result<(), MapError> {
    same(
        "before tax",
        ours.line_extension,
        recorded.line_extension().amount(),
    )?;
    same("in tax", ours.tax, recorded.tax().amount())
}

fn same(what: &'static str, lines: Decimal, recorded: Decimal) -> Result<(), MapError> {
    if lines == recorded {
        Ok(())
    } else {
        Err(MapError::TotalsDisagree {
            what,
            lines: lines.to_string(),
            totals: recorded.to_string(),
        })
    }
}
