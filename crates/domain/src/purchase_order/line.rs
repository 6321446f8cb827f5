//! The lines of a purchase order: what is bought, how many, at what price.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::money::{Money, MoneyError};
use crate::values::{ItemCode, Quantity, UnitCode};

/// A line's position on the order, from 1, as printed. Receipts and short-closes name lines
/// by it; lines are renumbered only while nothing has been received, so it never moves under
/// a receipt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u16", into = "u16")]
pub struct LineNo(u16);

impl LineNo {
    /// `None` for 0: lines count from 1.
    pub fn new(number: u16) -> Option<Self> {
        (number >= 1).then_some(Self(number))
    }

    pub fn get(self) -> u16 {
        self.0
    }

    /// The number of the line at `index` in a list (0-based); `None` beyond `u16`.
    pub(crate) fn at(index: usize) -> Option<Self> {
        u16::try_from(index + 1).ok().map(Self)
    }

    /// Its index in the order's list of lines.
    pub(crate) fn index(self) -> usize {
        usize::from(self.0) - 1
    }
}

impl TryFrom<u16> for LineNo {
    type Error = &'static str;
    fn try_from(number: u16) -> Result<Self, Self::Error> {
        Self::new(number).ok_or("line numbers count from 1")
    }
}

impl From<LineNo> for u16 {
    fn from(line: LineNo) -> u16 {
        line.0
    }
}

impl fmt::Display for LineNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}", self.0)
    }
}

/// A line of a purchase order, as the buyer writes it and as events store it (the
/// description trimmed). Stored in events: never rename a field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLine {
    /// The supplier's or our catalogue code, or `None` for a free-text line.
    pub item_code: Option<ItemCode>,
    /// One line, at most 300 characters.
    pub description: String,
    pub quantity: Quantity,
    pub unit: UnitCode,
    /// Zero or more, in the order's currency.
    pub unit_price: Money,
}

impl OrderLine {
    /// What the line costs: quantity × unit price, rounded to the sen. Purchase orders
    /// carry no tax: the supplier's invoice does.
    pub fn amount(&self) -> Result<Money, MoneyError> {
        self.unit_price
            .checked_mul(self.quantity.value())
            .map(Money::round_to_sen)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn line_numbers_count_from_1_when_read_back_too() {
        assert_eq!(LineNo::new(0), None);
        assert_eq!(serde_json::from_str::<LineNo>("2").unwrap().get(), 2);
        assert!(serde_json::from_str::<LineNo>("0").is_err());
    }

    #[test]
    fn a_line_costs_its_quantity_times_its_unit_price_rounded_to_the_sen() {
        let line = OrderLine {
            item_code: None,
            description: "Brass, per gram".into(),
            quantity: Quantity::parse("3").unwrap(),
            unit: UnitCode::parse("GRM").unwrap(),
            unit_price: Money::myr("0.333".parse().unwrap()),
        };
        assert_eq!(line.amount().unwrap(), Money::myr("1.00".parse().unwrap()));
    }
}
