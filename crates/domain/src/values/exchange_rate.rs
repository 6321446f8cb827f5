//! The rate at which a document in a foreign currency converts to ringgit.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{ValueError, decimal_value, plain_decimal};

/// LHDN's length limit on `CalculationRate` (LHDN.md §2.4).
const MAX_CHARACTERS: usize = 15;

/// Ringgit per one unit of a foreign currency (4.7215 for USD): more than zero, written in
/// plain decimal notation in at most 15 characters once trailing zeros are dropped, as LHDN
/// takes it in `TaxExchangeRate.CalculationRate`. Kept as given, never rounded: it is the rate
/// the invoice was issued at, and LHDN holds the same figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "Decimal", into = "Decimal")]
pub struct ExchangeRate(Decimal);

impl ExchangeRate {
    pub fn new(rate: Decimal) -> Result<Self, ValueError> {
        let rate = rate.normalize();
        if rate <= Decimal::ZERO {
            return Err(ValueError::ExchangeRate);
        }
        if rate.to_string().len() > MAX_CHARACTERS {
            return Err(ValueError::ExchangeRateTooLong);
        }
        Ok(Self(rate))
    }

    /// Parses plain decimal notation such as `"4.7215"`; an exponent hides the figure from a
    /// reader, as with money.
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        Self::new(plain_decimal(input).ok_or(ValueError::ExchangeRate)?)
    }

    /// Ringgit per unit of the document's currency.
    pub fn to_myr(&self) -> Decimal {
        self.0
    }
}

decimal_value!(ExchangeRate);

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_rate_is_a_decimal_more_than_zero_kept_as_given() {
        assert_eq!(
            ExchangeRate::parse(" 4.72150 ").unwrap().to_myr(),
            Decimal::new(47215, 4)
        );
        assert_eq!(
            ExchangeRate::parse("0.000283").unwrap().to_string(),
            "0.000283"
        );
        for input in ["0", "0.000", "-4.72", "", "4.7e0", "four", "4,72", "1.2.3"] {
            assert_eq!(
                ExchangeRate::parse(input),
                Err(ValueError::ExchangeRate),
                "{input}"
            );
        }
    }

    #[test]
    fn a_rate_fits_lhdns_fifteen_characters() {
        assert!(ExchangeRate::parse("0.0000000000001").is_ok());
        assert!(ExchangeRate::parse("0.000000000000100").is_ok());
        assert_eq!(
            ExchangeRate::parse("0.00000000000001"),
            Err(ValueError::ExchangeRateTooLong)
        );
        assert_eq!(
            ExchangeRate::parse("4.72150000000001"),
            Err(ValueError::ExchangeRateTooLong)
        );
    }

    #[test]
    fn a_rate_is_stored_as_a_string() {
        let rate = ExchangeRate::parse("4.7215").unwrap();
        assert_eq!(serde_json::to_string(&rate).unwrap(), r#""4.7215""#);
        assert_eq!(
            serde_json::from_str::<ExchangeRate>(r#""4.7215""#).unwrap(),
            rate
        );
        assert!(serde_json::from_str::<ExchangeRate>(r#""0""#).is_err());
    }
}
