//! One line of a document: what is sold, how many, at what price, and the tax on it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::LineError;
use crate::money::{Currency, Money};
use crate::tax::{TaxRule, TaxTreatment};
use crate::values::{ExemptionReason, ItemCode, Lines, Quantity, UnitCode, check_text};

/// LHDN's limit on an item's description (`Item.Description`).
const DESCRIPTION_MAX: usize = 300;

/// A line as someone writes it. Its values are already parsed (quantity, unit, item code);
/// [`Line::price`] checks the rest against the document and works out the figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineInput {
    /// The catalogue code, or `None` for a free-text line.
    pub item_code: Option<ItemCode>,
    /// One line of at most 300 characters, as LHDN allows.
    pub description: String,
    pub quantity: Quantity,
    pub unit: UnitCode,
    /// Zero or more, in the document's currency; may have more than two decimals (a price
    /// per gram), as only the line's amount is rounded.
    pub unit_price: Money,
    /// Money off this line: zero or more, in whole sen, at most the line's amount.
    pub discount: Money,
    pub tax: TaxTreatment,
}

/// A priced line: what was asked, and every figure worked out from it, each in whole sen.
///
/// Made only by [`Line::price`] (or read back from an event), so its figures agree with each
/// other: `net = subtotal − discount`, `total = net + tax`. Stored in events: never rename a
/// field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    item_code: Option<ItemCode>,
    description: String,
    quantity: Quantity,
    unit: UnitCode,
    unit_price: Money,
    subtotal: Money,
    discount: Money,
    net: Money,
    tax: LineTax,
    total: Money,
}

/// The tax on a line: how it was chosen, the rule that was in force, and the amounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineTax {
    treatment: TaxTreatment,
    rule: TaxRule,
    amount: Money,
    exempted: Money,
}

impl Line {
    /// Prices a line of a document in `currency` under the SST rules in force on
    /// `tax_point` (a business day).
    ///
    /// The subtotal (quantity × unit price) is rounded to the sen first, then the discount is
    /// taken off, so that the document shows `subtotal − discount = net` exactly, as LHDN's
    /// `ItemPriceExtension` and `LineExtensionAmount` (LHDN.md §2.7). Tax is then rounded per
    /// line (Pitfall 15).
    pub fn price(
        input: &LineInput,
        currency: Currency,
        tax_point: NaiveDate,
    ) -> Result<Self, LineError> {
        let description = check_text(&input.description, DESCRIPTION_MAX, Lines::Single)
            .map_err(LineError::Description)?;
        for (field, money) in [
            ("unit_price", input.unit_price),
            ("discount", input.discount),
        ] {
            if money.currency() != currency {
                return Err(LineError::Currency {
                    field,
                    expected: currency,
                    found: money.currency(),
                });
            }
        }
        if input.unit_price.is_negative() {
            return Err(LineError::NegativePrice);
        }
        let discount = input.discount;
        if discount.is_negative() {
            return Err(LineError::NegativeDiscount);
        }
        if discount.round_to_sen() != discount {
            return Err(LineError::DiscountFractionOfSen);
        }
        let subtotal = input
            .unit_price
            .checked_mul(input.quantity.value())
            .map_err(|_| LineError::Overflow)?
            .round_to_sen();
        if discount.amount() > subtotal.amount() {
            return Err(LineError::DiscountExceedsSubtotal { discount, subtotal });
        }
        let net = subtotal
            .checked_sub(discount)
            .map_err(|_| LineError::Overflow)?;
        let rule = input.tax.rule_on(tax_point)?;
        let charge = rule.charge(net).map_err(|_| LineError::Overflow)?;
        let total = net
            .checked_add(charge.tax)
            .map_err(|_| LineError::Overflow)?;
        Ok(Self {
            item_code: input.item_code.clone(),
            description,
            quantity: input.quantity,
            unit: input.unit.clone(),
            unit_price: input.unit_price,
            subtotal,
            discount,
            net,
            tax: LineTax {
                treatment: input.tax.clone(),
                rule,
                amount: charge.tax,
                exempted: charge.exempted,
            },
            total,
        })
    }

    /// What was asked for this line, to price it again (another day, a new revision).
    pub fn input(&self) -> LineInput {
        LineInput {
            item_code: self.item_code.clone(),
            description: self.description.clone(),
            quantity: self.quantity,
            unit: self.unit.clone(),
            unit_price: self.unit_price,
            discount: self.discount,
            tax: self.tax.treatment.clone(),
        }
    }

    pub fn item_code(&self) -> Option<&ItemCode> {
        self.item_code.as_ref()
    }

    /// Trimmed.
    pub fn description(&self) -> &str {
        &self.description
    }

    pub fn quantity(&self) -> Quantity {
        self.quantity
    }

    pub fn unit(&self) -> &UnitCode {
        &self.unit
    }

    /// As written, not rounded (LHDN `PriceAmount`).
    pub fn unit_price(&self) -> Money {
        self.unit_price
    }

    /// Quantity × unit price, rounded to the sen (LHDN `ItemPriceExtension`).
    pub fn subtotal(&self) -> Money {
        self.subtotal
    }

    pub fn discount(&self) -> Money {
        self.discount
    }

    /// Subtotal − discount: the line's amount excluding tax (LHDN `LineExtensionAmount`).
    pub fn net(&self) -> Money {
        self.net
    }

    pub fn tax(&self) -> &LineTax {
        &self.tax
    }

    /// Net + tax.
    pub fn total(&self) -> Money {
        self.total
    }
}

impl LineTax {
    pub fn treatment(&self) -> &TaxTreatment {
        &self.treatment
    }

    /// The rule in force on the tax point when the line was priced, as it read then.
    pub fn rule(&self) -> &TaxRule {
        &self.rule
    }

    /// The tax charged: net × the rule's effective rate, rounded to the sen.
    pub fn amount(&self) -> Money {
        self.amount
    }

    /// The tax remitted by the rule's exemption (zero without one).
    pub fn exempted(&self) -> Money {
        self.exempted
    }

    /// Why the line is (partly) exempt, as LHDN is told: a line exempt by its own reason
    /// (type E) gives it; a rule with a partial exemption ("8 % less 2 %") gives the
    /// exemption order's reason, shown with the effective rate so that taxable × percent =
    /// tax on the document.
    pub fn exemption_reason(&self) -> Option<&ExemptionReason> {
        self.treatment
            .exemption_reason()
            .or(self.rule.exemption().map(|e| e.reason()))
    }
}
