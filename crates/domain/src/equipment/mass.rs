//! The nominal mass of a test weight.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::EquipmentValueError;

/// The unit a nominal mass is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MassUnit {
    /// Gram.
    G,
    /// Kilogram.
    Kg,
}

impl MassUnit {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::G => "g",
            Self::Kg => "kg",
        }
    }
}

/// The mass a weight stands for (`20 kg`, `500 g`, `0.5 g`): a decimal more than zero and
/// its unit, kept as written, because a certificate and a customer name a weight that way
/// ("a 500 g weight", not "0.5 kg"). Never a float.
///
/// Stored as `{"value":"20","unit":"kg"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "MassWire", into = "MassWire")]
pub struct NominalMass {
    value: Decimal,
    unit: MassUnit,
}

impl NominalMass {
    pub fn new(value: Decimal, unit: MassUnit) -> Result<Self, EquipmentValueError> {
        if value > Decimal::ZERO {
            Ok(Self {
                value: value.normalize(),
                unit,
            })
        } else {
            Err(EquipmentValueError::NominalMass)
        }
    }

    /// Parses `"20 kg"`, `"500g"` or `"0.5 G"`: plain decimal notation (no exponent, no
    /// thousands separator) and `g` or `kg`.
    pub fn parse(input: &str) -> Result<Self, EquipmentValueError> {
        let written = input.trim().to_ascii_lowercase();
        let (number, unit) = if let Some(number) = written.strip_suffix("kg") {
            (number, MassUnit::Kg)
        } else if let Some(number) = written.strip_suffix('g') {
            (number, MassUnit::G)
        } else {
            return Err(EquipmentValueError::NominalMass);
        };
        let number = number.trim();
        let plain = !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit() || b == b'.');
        let value: Decimal = number
            .parse()
            .ok()
            .filter(|_| plain)
            .ok_or(EquipmentValueError::NominalMass)?;
        Self::new(value, unit)
    }

    pub fn value(&self) -> Decimal {
        self.value
    }

    pub fn unit(&self) -> MassUnit {
        self.unit
    }

    /// The mass in grams, to compare weights written in different units.
    pub fn grams(&self) -> Option<Decimal> {
        match self.unit {
            MassUnit::G => Some(self.value),
            MassUnit::Kg => self.value.checked_mul(Decimal::ONE_THOUSAND),
        }
    }
}

impl fmt::Display for NominalMass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.value, self.unit.as_str())
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct MassWire {
    value: Decimal,
    unit: MassUnit,
}

impl TryFrom<MassWire> for NominalMass {
    type Error = EquipmentValueError;
    fn try_from(wire: MassWire) -> Result<Self, Self::Error> {
        Self::new(wire.value, wire.unit)
    }
}

impl From<NominalMass> for MassWire {
    fn from(mass: NominalMass) -> Self {
        Self {
            value: mass.value,
            unit: mass.unit,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_nominal_mass_is_a_positive_decimal_in_g_or_kg() {
        let twenty = NominalMass::parse(" 20 kg ").unwrap();
        assert_eq!(
            (twenty.value(), twenty.unit()),
            (Decimal::from(20), MassUnit::Kg)
        );
        assert_eq!(twenty.to_string(), "20 kg");
        assert_eq!(NominalMass::parse("500G").unwrap().to_string(), "500 g");
        assert_eq!(NominalMass::parse("0.50 g").unwrap().to_string(), "0.5 g");
        assert_eq!(twenty.grams(), Some(Decimal::from(20_000)));
        for input in [
            "", "20", "kg", "0 kg", "-1 kg", "1e3 g", "1,000 g", "20 lb", "20 mg",
        ] {
            assert_eq!(
                NominalMass::parse(input),
                Err(EquipmentValueError::NominalMass),
                "{input}"
            );
        }
    }

    #[test]
    fn a_nominal_mass_is_stored_as_a_decimal_string_and_its_unit() {
        let mass = NominalMass::parse("500 g").unwrap();
        let json = serde_json::to_string(&mass).unwrap();
        assert_eq!(json, r#"{"value":"500","unit":"g"}"#);
        assert_eq!(serde_json::from_str::<NominalMass>(&json).unwrap(), mass);
        assert!(serde_json::from_str::<NominalMass>(r#"{"value":"0","unit":"g"}"#).is_err());
    }
}
