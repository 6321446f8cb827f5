//! Exact money: a decimal amount and its ISO 4217 currency, never a float.

use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy, prelude::ToPrimitive};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An ISO 4217 currency code such as `MYR`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency([u8; 3]);

impl Currency {
    pub const MYR: Self = Self(*b"MYR");

    /// Parses a three-letter upper-case code.
    pub fn parse(code: &str) -> Result<Self, MoneyError> {
        match code.as_bytes() {
            [a, b, c] if [a, b, c].iter().all(|x| x.is_ascii_uppercase()) => Ok(Self([*a, *b, *c])),
            _ => Err(MoneyError::Currency(code.to_owned())),
        }
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII upper-case letters get in through `parse`.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = String::deserialize(deserializer)?;
        Self::parse(&code).map_err(serde::de::Error::custom)
    }
}

/// An amount of money in one currency.
///
/// Serialised as `{"amount":"1234.50","currency":"MYR"}`: the amount is a string so that no
/// JSON reader turns it into a float, with at least two decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    amount: Decimal,
    currency: Currency,
}

/// How many decimals a sen amount has.
const SEN_DECIMALS: u32 = 2;

impl Money {
    pub const fn new(amount: Decimal, currency: Currency) -> Self {
        Self { amount, currency }
    }

    pub fn zero(currency: Currency) -> Self {
        Self::new(Decimal::ZERO, currency)
    }

    pub fn myr(amount: Decimal) -> Self {
        Self::new(amount, Currency::MYR)
    }

    /// Parses a decimal string such as `"1234.50"` (no exponent, no float).
    pub fn parse(amount: &str, currency: &str) -> Result<Self, MoneyError> {
        let currency = Currency::parse(currency)?;
        let written = amount.trim();
        // Plain decimal notation only: an exponent ("1e3") hides the amount from a reader.
        let plain = written
            .strip_prefix('-')
            .unwrap_or(written)
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.');
        let amount: Decimal = written
            .parse()
            .ok()
            .filter(|_| plain && !written.is_empty())
            .ok_or_else(|| MoneyError::Amount(amount.to_owned()))?;
        Ok(Self::new(amount, currency))
    }

    pub fn amount(&self) -> Decimal {
        self.amount
    }

    pub fn currency(&self) -> Currency {
        self.currency
    }

    pub fn is_positive(&self) -> bool {
        self.amount > Decimal::ZERO
    }

    pub fn is_negative(&self) -> bool {
        self.amount < Decimal::ZERO
    }

    /// Rounds to whole sen, half away from zero (RM 0.005 becomes RM 0.01), as Malaysian
    /// invoices are rounded. The only place in Niaga where money is rounded.
    pub fn round_to_sen(self) -> Self {
        Self::new(
            self.amount
                .round_dp_with_strategy(SEN_DECIMALS, RoundingStrategy::MidpointAwayFromZero),
            self.currency,
        )
    }

    /// Adds two amounts of the same currency.
    pub fn checked_add(self, other: Self) -> Result<Self, MoneyError> {
        self.same_currency(other)?;
        self.amount
            .checked_add(other.amount)
            .map(|amount| Self::new(amount, self.currency))
            .ok_or(MoneyError::Overflow)
    }

    /// Subtracts an amount of the same currency.
    pub fn checked_sub(self, other: Self) -> Result<Self, MoneyError> {
        self.same_currency(other)?;
        self.amount
            .checked_sub(other.amount)
            .map(|amount| Self::new(amount, self.currency))
            .ok_or(MoneyError::Overflow)
    }

    /// Multiplies by a quantity or a rate (not rounded: call [`Money::round_to_sen`]).
    pub fn checked_mul(self, factor: Decimal) -> Result<Self, MoneyError> {
        self.amount
            .checked_mul(factor)
            .map(|amount| Self::new(amount, self.currency))
            .ok_or(MoneyError::Overflow)
    }

    fn same_currency(self, other: Self) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch {
                left: self.currency.to_string(),
                right: other.currency.to_string(),
            })
        }
    }

    /// The amount in whole sen (hundredths), for read models that add amounts up in SQL as
    /// integers; `None` if it holds a fraction of a sen or does not fit in an `i64`.
    pub fn to_sen(self) -> Option<i64> {
        let sen = self.amount.checked_mul(Decimal::ONE_HUNDRED)?;
        if sen.fract().is_zero() {
            sen.to_i64()
        } else {
            None
        }
    }

    /// An amount of whole sen: the inverse of [`Money::to_sen`].
    pub fn from_sen(sen: i64, currency: Currency) -> Self {
        Self::new(Decimal::new(sen, SEN_DECIMALS), currency)
    }

    /// The amount as it is written: at least two decimals (`"1234.50"`).
    pub fn amount_string(&self) -> String {
        let mut amount = self.amount.normalize();
        if amount.scale() < SEN_DECIMALS {
            amount.rescale(SEN_DECIMALS);
        }
        amount.to_string()
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.currency, self.amount_string())
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct MoneyWire {
    amount: String,
    currency: String,
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        MoneyWire {
            amount: self.amount_string(),
            currency: self.currency.to_string(),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wire = MoneyWire::deserialize(deserializer)?;
        Self::parse(&wire.amount, &wire.currency).map_err(serde::de::Error::custom)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("`{0}` is not an ISO 4217 currency code (three upper-case letters, e.g. MYR)")]
    Currency(String),
    #[error("`{0}` is not a decimal amount (write it as a string such as \"1234.50\")")]
    Amount(String),
    #[error("cannot combine {left} with {right}")]
    CurrencyMismatch { left: String, right: String },
    #[error("amount out of range")]
    Overflow,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal::prelude::FromPrimitive;

    fn rm(s: &str) -> Money {
        Money::parse(s, "MYR").unwrap()
    }

    #[test]
    fn whole_sen_go_to_integers_and_back() {
        assert_eq!(rm("1234.50").to_sen(), Some(123_450));
        assert_eq!(rm("-0.05").to_sen(), Some(-5));
        assert_eq!(rm("0.005").to_sen(), None);
        assert_eq!(Money::from_sen(123_450, Currency::MYR), rm("1234.50"));
        assert_eq!(Money::from_sen(-5, Currency::MYR).amount_string(), "-0.05");
    }

    #[test]
    fn money_is_written_with_two_decimals_and_its_currency() {
        let json = serde_json::to_string(&rm("1234.5")).unwrap();
        assert_eq!(json, r#"{"amount":"1234.50","currency":"MYR"}"#);
        let back: Money = serde_json::from_str(&json).unwrap();
        assert_eq!(back, rm("1234.50"));
    }

    #[test]
    fn a_half_sen_rounds_away_from_zero() {
        assert_eq!(rm("0.005").round_to_sen(), rm("0.01"));
        assert_eq!(rm("-0.005").round_to_sen(), rm("-0.01"));
        assert_eq!(rm("2.344").round_to_sen(), rm("2.34"));
    }

    #[test]
    fn amounts_of_different_currencies_do_not_add() {
        let usd = Money::parse("1", "USD").unwrap();
        assert!(matches!(
            rm("1").checked_add(usd),
            Err(MoneyError::CurrencyMismatch { .. })
        ));
    }

    #[test]
    fn floats_and_bad_codes_are_refused() {
        assert!(serde_json::from_str::<Money>(r#"{"amount":12.5,"currency":"MYR"}"#).is_err());
        assert!(Money::parse("1e3", "MYR").is_err());
        assert!(Money::parse("1", "myr").is_err());
    }

    proptest! {
        #[test]
        fn rounding_to_sen_moves_an_amount_by_at_most_half_a_sen(cents in -10_000_000_i64..10_000_000, extra in 0u32..1000) {
            let amount = Decimal::new(cents, 2) + Decimal::new(i64::from(extra), 5);
            let rounded = Money::myr(amount).round_to_sen();
            prop_assert!(rounded.amount().scale() <= 2);
            prop_assert!((rounded.amount() - amount).abs() <= Decimal::from_f64(0.005).unwrap());
        }

        #[test]
        fn serialising_money_loses_nothing(cents in any::<i64>().prop_map(|c| c / 1000)) {
            let money = Money::myr(Decimal::new(cents, 2));
            let back: Money = serde_json::from_str(&serde_json::to_string(&money).unwrap()).unwrap();
            prop_assert_eq!(back, money);
        }
    }
}
