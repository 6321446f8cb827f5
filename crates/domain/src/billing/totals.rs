//! A document's totals, added up from its priced lines.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{BillingError, Line, LineError};
use crate::money::{Currency, Money, MoneyError};
use crate::values::TaxType;

/// What a document takes off or adds after tax: a prepayment (a deposit already received)
/// and a payable rounding. `None` is zero.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Adjustments {
    pub prepaid: Option<Money>,
    pub rounding: Option<Money>,
}

/// A document's totals, named as LHDN's `LegalMonetaryTotal` and `TaxTotal` (LHDN.md §2.7).
///
/// Every figure is a sum of rounded line figures, never a rounded sum (Pitfall 15), so:
/// `tax_exclusive + tax = tax_inclusive` and
/// `tax_inclusive − prepaid + rounding = payable`, exactly. Made only by
/// [`Totals::compute`] (or read back from an event). Stored in events: never rename a field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    line_extension: Money,
    tax_exclusive: Money,
    tax: Money,
    tax_inclusive: Money,
    prepaid: Money,
    rounding: Money,
    payable: Money,
    tax_subtotals: Vec<TaxSubtotal>,
}

/// The lines of one LHDN tax type, added up (`TaxTotal.TaxSubtotal`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxSubtotal {
    tax_type: TaxType,
    taxable: Money,
    tax: Money,
    exempted: Money,
}

/// Less than 5 sen: the most a payable rounding may move the amount.
const ROUNDING_LIMIT: Decimal = Decimal::from_parts(5, 0, 0, false, 2);

impl Totals {
    /// The totals of a document in `currency` with these priced lines: the one place a
    /// document's totals are worked out.
    pub fn compute(
        currency: Currency,
        lines: &[Line],
        adjustments: &Adjustments,
    ) -> Result<Self, BillingError> {
        let zero = Money::zero(currency);
        let overflow = |_: MoneyError| BillingError::Overflow;
        let mut line_extension = zero;
        let mut tax = zero;
        let mut subtotals: BTreeMap<TaxType, TaxSubtotal> = BTreeMap::new();
        for (index, line) in lines.iter().enumerate() {
            // Each line was priced in one currency; a line from another document is not.
            if line.net().currency() != currency {
                return Err(BillingError::Line {
                    index,
                    problem: LineError::Currency {
                        field: "unit_price",
                        expected: currency,
                        found: line.net().currency(),
                    },
                });
            }
            line_extension = line_extension.checked_add(line.net()).map_err(overflow)?;
            tax = tax.checked_add(line.tax().amount()).map_err(overflow)?;
            let tax_type = line.tax().rule().tax_type();
            let subtotal = subtotals
                .entry(tax_type.clone())
                .or_insert_with(|| TaxSubtotal {
                    tax_type: tax_type.clone(),
                    taxable: zero,
                    tax: zero,
                    exempted: zero,
                });
            subtotal.taxable = subtotal.taxable.checked_add(line.net()).map_err(overflow)?;
            subtotal.tax = subtotal
                .tax
                .checked_add(line.tax().amount())
                .map_err(overflow)?;
            subtotal.exempted = subtotal
                .exempted
                .checked_add(line.tax().exempted())
                .map_err(overflow)?;
        }
        // No document-level allowances or charges yet: discounts are per line.
        let tax_exclusive = line_extension;
        let tax_inclusive = tax_exclusive.checked_add(tax).map_err(overflow)?;

        let prepaid = adjustments.prepaid.unwrap_or(zero);
        same_currency("prepaid", currency, prepaid)?;
        if prepaid.is_negative() || prepaid.round_to_sen() != prepaid {
            return Err(BillingError::InvalidPrepaid);
        }
        if prepaid.amount() > tax_inclusive.amount() {
            return Err(BillingError::PrepaidExceedsTotal {
                prepaid,
                total: tax_inclusive,
            });
        }
        let rounding = adjustments.rounding.unwrap_or(zero);
        same_currency("rounding", currency, rounding)?;
        if rounding.round_to_sen() != rounding || rounding.amount().abs() >= ROUNDING_LIMIT {
            return Err(BillingError::InvalidRounding);
        }
        let payable = tax_inclusive
            .checked_sub(prepaid)
            .and_then(|m| m.checked_add(rounding))
            .map_err(overflow)?;
        if payable.is_negative() {
            return Err(BillingError::NegativePayable);
        }
        Ok(Self {
            line_extension,
            tax_exclusive,
            tax,
            tax_inclusive,
            prepaid,
            rounding,
            payable,
            tax_subtotals: subtotals.into_values().collect(),
        })
    }

    /// The sum of the lines' net amounts (LHDN `LineExtensionAmount`).
    pub fn line_extension(&self) -> Money {
        self.line_extension
    }

    /// The amount before tax (LHDN `TaxExclusiveAmount`).
    pub fn tax_exclusive(&self) -> Money {
        self.tax_exclusive
    }

    /// The tax charged, the sum of the lines' tax (LHDN `TaxTotal.TaxAmount`).
    pub fn tax(&self) -> Money {
        self.tax
    }

    /// Tax-exclusive + tax (LHDN `TaxInclusiveAmount`).
    pub fn tax_inclusive(&self) -> Money {
        self.tax_inclusive
    }

    /// Already received before the document (LHDN `PrepaidPayment.PaidAmount`).
    pub fn prepaid(&self) -> Money {
        self.prepaid
    }

    /// LHDN `PayableRoundingAmount`.
    pub fn rounding(&self) -> Money {
        self.rounding
    }

    /// Tax-inclusive − prepaid + rounding (LHDN `PayableAmount`).
    pub fn payable(&self) -> Money {
        self.payable
    }

    /// One per LHDN tax type present, in code order (`01` … `06`, `E`).
    pub fn tax_subtotals(&self) -> &[TaxSubtotal] {
        &self.tax_subtotals
    }
}

impl TaxSubtotal {
    pub fn tax_type(&self) -> &TaxType {
        &self.tax_type
    }

    /// The net amounts of the lines of this type (for type `E`, the amount exempted).
    pub fn taxable(&self) -> Money {
        self.taxable
    }

    pub fn tax(&self) -> Money {
        self.tax
    }

    /// Tax remitted by exemptions within this type.
    pub fn exempted(&self) -> Money {
        self.exempted
    }
}

fn same_currency(
    field: &'static str,
    expected: Currency,
    money: Money,
) -> Result<(), BillingError> {
    if money.currency() == expected {
        Ok(())
    } else {
        Err(BillingError::Currency {
            field,
            expected,
            found: money.currency(),
        })
    }
}
