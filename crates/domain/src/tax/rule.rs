//! A resolved tax rule, as a line records it, and the tax it charges on an amount.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::money::{Money, MoneyError};
use crate::values::{ExemptionReason, TaxType};

/// The rule a line was taxed under, copied whole into the line when it is priced: a later
/// rule (a new rate, a new exemption) is a new row in the table with a new id, and a line
/// written under this one keeps it.
///
/// Stored in every line: never rename a field.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TaxRule {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) tax_type: TaxType,
    pub(super) rate: Decimal,
    pub(super) exemption: Option<RuleExemption>,
    pub(super) effective_from: NaiveDate,
}

/// Part of a rate remitted by an exemption order, shown on the document beside the full
/// rate (LHDN wants the exemption and its reason visible, not a silently lower rate).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RuleExemption {
    pub(super) rate: Decimal,
    pub(super) reason: ExemptionReason,
}

impl RuleExemption {
    /// The exempted percentage points (2 for "8 % less 2 %").
    pub fn rate(&self) -> Decimal {
        self.rate
    }

    /// Why, as `TaxExemptionReason` on the document.
    pub fn reason(&self) -> &ExemptionReason {
        &self.reason
    }
}

/// The tax a rule puts on a line's tax-exclusive amount, each figure in whole sen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TaxCharge {
    /// What the customer pays: the amount × the effective rate, rounded to sen.
    pub tax: Money,
    /// What the exemption remits: the amount × the full rate, rounded to sen, less `tax`.
    /// Zero without an exemption; never negative, as rounding keeps order.
    pub exempted: Money,
}

impl TaxRule {
    /// A stable identifier of the rule (`service-tax-8`): stored in lines, never reused for
    /// another rate.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The rule's name as it read when the line was priced.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// LHDN's tax type code (`TaxCategory.ID`).
    pub fn tax_type(&self) -> &TaxType {
        &self.tax_type
    }

    /// The full rate in percent (LHDN `Percent`: 8 for 8 %), before any exemption.
    pub fn rate(&self) -> Decimal {
        self.rate
    }

    pub fn exemption(&self) -> Option<&RuleExemption> {
        self.exemption.as_ref()
    }

    /// The rate charged: the full rate less the exemption's percentage points.
    pub fn effective_rate(&self) -> Decimal {
        self.rate - self.exemption.as_ref().map_or(Decimal::ZERO, |e| e.rate)
    }

    /// The first business day the rule applies to.
    pub fn effective_from(&self) -> NaiveDate {
        self.effective_from
    }

    /// The tax on a line's tax-exclusive amount, rounded per line (LHDN.md Pitfall 15).
    ///
    /// The charged tax is rounded from the effective rate, because that is the tax the law
    /// asks for; the exemption shown is the rounded full-rate tax less it, so that on the
    /// document "tax at 8 % − exemption = tax charged" holds to the sen.
    pub fn charge(&self, taxable: Money) -> Result<TaxCharge, MoneyError> {
        let percent = |rate: Decimal| {
            taxable
                .checked_mul(rate / Decimal::ONE_HUNDRED)
                .map(Money::round_to_sen)
        };
        let tax = percent(self.effective_rate())?;
        let full = percent(self.rate)?;
        Ok(TaxCharge {
            tax,
            exempted: full.checked_sub(tax)?,
        })
    }
}
