//! The registration or identity number that goes beside a TIN.

use serde::{Deserialize, Serialize};

use super::{ArmyNumber, Brn, Nric, Passport, ValueError};

/// The one identification LHDN requires beside the TIN (`PartyIdentification`, exactly one of
/// BRN, NRIC, PASSPORT or ARMY). Serialised as `{"scheme":"BRN","value":"201901234567"}`, the
/// scheme names being LHDN's `schemeID`s.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "scheme", content = "value")]
pub enum Identification {
    #[serde(rename = "BRN")]
    Brn(Brn),
    #[serde(rename = "NRIC")]
    Nric(Nric),
    #[serde(rename = "PASSPORT")]
    Passport(Passport),
    #[serde(rename = "ARMY")]
    Army(ArmyNumber),
}

impl Identification {
    /// Builds one from a scheme name (`BRN`, `NRIC`, `PASSPORT`, `ARMY`, any case) and a number,
    /// the shape a form or request body has.
    pub fn parse(scheme: &str, value: &str) -> Result<Self, ValueError> {
        match scheme.trim().to_ascii_uppercase().as_str() {
            "BRN" => Brn::parse(value).map(Self::Brn),
            "NRIC" => Nric::parse(value).map(Self::Nric),
            "PASSPORT" => Passport::parse(value).map(Self::Passport),
            "ARMY" => ArmyNumber::parse(value).map(Self::Army),
            _ => Err(ValueError::IdentificationScheme),
        }
    }

    /// LHDN's `schemeID` for this identification.
    pub fn scheme(&self) -> &'static str {
        match self {
            Self::Brn(_) => "BRN",
            Self::Nric(_) => "NRIC",
            Self::Passport(_) => "PASSPORT",
            Self::Army(_) => "ARMY",
        }
    }

    /// The number, normalised.
    pub fn value(&self) -> &str {
        match self {
            Self::Brn(v) => v.as_str(),
            Self::Nric(v) => v.as_str(),
            Self::Passport(v) => v.as_str(),
            Self::Army(v) => v.as_str(),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn an_identification_is_written_as_scheme_and_value() {
        let brn = Identification::parse("brn", "2019-01-234567").unwrap();
        let json = serde_json::to_string(&brn).unwrap();
        assert_eq!(json, r#"{"scheme":"BRN","value":"201901234567"}"#);
        assert_eq!(serde_json::from_str::<Identification>(&json).unwrap(), brn);
        assert_eq!((brn.scheme(), brn.value()), ("BRN", "201901234567"));
    }

    #[test]
    fn the_value_is_checked_against_its_scheme() {
        assert_eq!(
            Identification::parse("NRIC", "201901234567X"),
            Err(ValueError::Nric)
        );
        assert_eq!(
            Identification::parse("MYKAD", "900101145678"),
            Err(ValueError::IdentificationScheme)
        );
        assert!(
            serde_json::from_str::<Identification>(r#"{"scheme":"NRIC","value":"12"}"#).is_err()
        );
        let army = Identification::parse("ARMY", "T1234567").unwrap();
        assert_eq!(
            serde_json::to_string(&army).unwrap(),
            r#"{"scheme":"ARMY","value":"T1234567"}"#
        );
    }
}
