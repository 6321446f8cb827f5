//! The quantity of a document line.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{ValueError, decimal_value, plain_decimal};

/// How many units a line sells: a decimal more than zero (2, 0.5 hour, 12.75 kg), kept as
/// written. Never a float, for the same reason as money. A return or a correction is a credit
/// note, not a negative quantity, so zero and less are refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "Decimal", into = "Decimal")]
pub struct Quantity(Decimal);

impl Quantity {
    pub fn new(quantity: Decimal) -> Result<Self, ValueError> {
        if quantity > Decimal::ZERO {
            Ok(Self(quantity))
        } else {
            Err(ValueError::Quantity)
        }
    }

    /// Parses plain decimal notation such as `"2.5"`; an exponent (`"1e3"`) hides the amount
    /// from a reader, as with money.
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        Self::new(plain_decimal(input).ok_or(ValueError::Quantity)?)
    }

    pub fn value(&self) -> Decimal {
        self.0
    }
}

decimal_value!(Quantity);

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_quantity_is_a_decimal_more_than_zero() {
        assert_eq!(
            Quantity::parse(" 2.50 ").unwrap().value(),
            Decimal::new(250, 2)
        );
        assert_eq!(
            Quantity::parse("0.001").unwrap().value(),
            Decimal::new(1, 3)
        );
        for input in ["0", "0.00", "-1", "", "1e3", "two", "1,5"] {
            assert_eq!(Quantity::parse(input), Err(ValueError::Quantity), "{input}");
        }
    }

    #[test]
    fn a_quantity_is_stored_as_a_string() {
        let two = Quantity::parse("2.5").unwrap();
        assert_eq!(serde_json::to_string(&two).unwrap(), r#""2.5""#);
        assert_eq!(serde_json::from_str::<Quantity>(r#""2.5""#).unwrap(), two);
        assert!(serde_json::from_str::<Quantity>(r#""0""#).is_err());
    }
}
