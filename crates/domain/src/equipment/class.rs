//! The accuracy class of a test weight.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::EquipmentValueError;

/// A weight's accuracy class under OIML R111-1 (2004), from the finest (E1) to the coarsest
/// (M3). The class decides which balances a weight may test, so customers ask for it by name.
///
/// Stored as the class is written (`"M1-2"`): never rename a variant's serde name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AccuracyClass {
    E1,
    E2,
    F1,
    F2,
    M1,
    /// Only for weights of 50 kg to 5 000 kg.
    #[serde(rename = "M1-2")]
    M1_2,
    M2,
    /// Only for weights of 50 kg to 5 000 kg.
    #[serde(rename = "M2-3")]
    M2_3,
    M3,
}

impl AccuracyClass {
    /// Every class, finest first.
    pub const ALL: [Self; 9] = [
        Self::E1,
        Self::E2,
        Self::F1,
        Self::F2,
        Self::M1,
        Self::M1_2,
        Self::M2,
        Self::M2_3,
        Self::M3,
    ];

    /// Parses a class as written, in either case (`m1`, `M1-2`).
    pub fn parse(input: &str) -> Result<Self, EquipmentValueError> {
        let written = input.trim().to_ascii_uppercase();
        Self::ALL
            .into_iter()
            .find(|class| class.as_str() == written)
            .ok_or(EquipmentValueError::AccuracyClass)
    }

    /// The class as OIML writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::E1 => "E1",
            Self::E2 => "E2",
            Self::F1 => "F1",
            Self::F2 => "F2",
            Self::M1 => "M1",
            Self::M1_2 => "M1-2",
            Self::M2 => "M2",
            Self::M2_3 => "M2-3",
            Self::M3 => "M3",
        }
    }
}

impl fmt::Display for AccuracyClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for AccuracyClass {
    type Err = EquipmentValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_class_is_written_and_stored_as_oiml_writes_it() {
        for class in AccuracyClass::ALL {
            assert_eq!(AccuracyClass::parse(class.as_str()), Ok(class));
            let json = serde_json::to_string(&class).unwrap();
            assert_eq!(json, format!("\"{class}\""));
            assert_eq!(serde_json::from_str::<AccuracyClass>(&json).unwrap(), class);
        }
        assert_eq!(AccuracyClass::parse(" m1-2 "), Ok(AccuracyClass::M1_2));
    }

    #[test]
    fn classes_outside_oiml_r111_are_refused() {
        for input in ["", "M4", "E", "F3", "M12", "OIML M1"] {
            assert_eq!(
                AccuracyClass::parse(input),
                Err(EquipmentValueError::AccuracyClass),
                "{input}"
            );
        }
    }
}
