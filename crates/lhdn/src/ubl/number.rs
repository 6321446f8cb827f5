//! A JSON number written exactly as it was read or decided.
//!
//! The signature covers the document's bytes, so `1436.5` and `1436.50` are different
//! documents (LHDN.md Pitfall 3). A float would lose that; serde_json's
//! `arbitrary_precision` would change how every crate of the binary reads numbers. A
//! [`Decimal`] keeps its scale, and a raw JSON value lets us write it digit for digit.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

/// An amount, quantity, rate or percentage, as a plain decimal (never an exponent: LHDN
/// refuses scientific notation since 30 April 2026).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Num(pub Decimal);

impl Num {
    /// An amount of money, with at least two decimals (`12.5` becomes `12.50`), more if it
    /// has them (a unit price per gram).
    pub fn money(amount: Decimal) -> Self {
        let mut amount = amount;
        if amount.scale() < 2 {
            amount.rescale(2);
        }
        Self(amount)
    }

    /// A quantity or a rate as the domain holds it, trailing zeros dropped (`8.00` is `8`).
    pub fn plain(value: Decimal) -> Self {
        Self(value.normalize())
    }
}

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let raw = RawValue::from_string(self.0.to_string()).map_err(serde::ser::Error::custom)?;
        raw.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = <&RawValue>::deserialize(deserializer)?;
        let text = raw.get();
        let plain = text
            .strip_prefix('-')
            .unwrap_or(text)
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.');
        if !plain || text.is_empty() {
            return Err(D::Error::custom(
                "expected a plain decimal number (no quotes, no exponent)",
            ));
        }
        Decimal::from_str(text)
            .map(Self)
            .map_err(|_| D::Error::custom("number out of range for a decimal"))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_number_is_written_back_as_it_was_read() {
        for text in [
            "1436.5", "100", "2000.0", "2000.00", "0.3", "-12.50", "4.72",
        ] {
            let num: Num = serde_json::from_str(text).unwrap();
            assert_eq!(serde_json::to_string(&num).unwrap(), text);
        }
    }

    #[test]
    fn exponents_strings_and_junk_are_refused() {
        for text in ["1e3", "\"12.50\"", "true", "1.5E2"] {
            assert!(serde_json::from_str::<Num>(text).is_err(), "{text}");
        }
    }

    #[test]
    fn money_has_at_least_two_decimals() {
        let written =
            |d: &str| serde_json::to_string(&Num::money(Decimal::from_str(d).unwrap())).unwrap();
        assert_eq!(written("12.5"), "12.50");
        assert_eq!(written("7"), "7.00");
        assert_eq!(written("0.125"), "0.125");
        assert_eq!(
            serde_json::to_string(&Num::plain(Decimal::from_str("8.00").unwrap())).unwrap(),
            "8"
        );
    }
}
