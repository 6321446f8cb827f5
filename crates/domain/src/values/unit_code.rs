//! The unit of measure of a document line.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Serialize;

use super::{ValueError, code_table, stored_value, string_value};

/// LHDN's unit-of-measure table (`UnitTypes.json`: UN/ECE Recommendation 20 plus LHDN's own
/// additions such as `HAR`), shipped in the binary. LHDN edits it: update the file, not code.
static UNITS: LazyLock<HashMap<String, String>> = LazyLock::new(|| {
    code_table(
        include_str!("../../data/units.json"),
        "Name",
        "data/units.json",
    )
});

/// A unit of measure from LHDN's table (`InvoicedQuantity@unitCode`), such as `C62` (one),
/// `H87` (piece), `HUR` (hour), `DAY` or `KGM`. MyInvois requires the code to be in its table
/// (enforced in production since 15 August 2026, LHDN.md §2.6). Lower-case input is
/// upper-cased.
///
/// [`UnitCode::parse`] checks the code against today's table. Reading a stored one checks
/// only its shape (two or three upper-case letters and digits): events are kept 7 years, and
/// a unit LHDN drops from its table later must still load. Such a code has no
/// [`name`](UnitCode::name).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "String")]
pub struct UnitCode(String);

string_value!(UnitCode);
stored_value!(UnitCode, "two or three upper-case letters and digits");

impl UnitCode {
    /// Checks new input against LHDN's current table.
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        let code = input.trim().to_ascii_uppercase();
        if UNITS.contains_key(&code) {
            Ok(Self(code))
        } else {
            Err(ValueError::UnitCode)
        }
    }

    /// A code read back from storage: its shape only, in or out of today's table (see the
    /// type).
    pub(crate) fn from_stored(stored: String) -> Option<Self> {
        ((2..=3).contains(&stored.len())
            && stored
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()))
        .then_some(Self(stored))
    }

    /// LHDN's name of the unit ("one", "hour"), or `None` for a stored code that is not in
    /// today's table.
    pub fn name(&self) -> Option<&'static str> {
        UNITS.get(&self.0).map(String::as_str)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_unit_table_is_lhdns() {
        assert_eq!(UNITS.len(), 2162);
        assert!(
            UNITS
                .keys()
                .all(|c| UnitCode::from_stored(c.clone()).is_some())
        );
    }

    #[test]
    fn a_known_unit_has_its_name() {
        assert_eq!(UnitCode::parse(" c62 ").unwrap().as_str(), "C62");
        assert_eq!(UnitCode::parse("HUR").unwrap().name(), Some("hour"));
        assert_eq!(UnitCode::parse("HAR").unwrap().name(), Some("Hectare"));
    }

    #[test]
    fn unknown_units_are_refused() {
        for input in ["", "PCS", "X", "C622", "unit"] {
            assert_eq!(UnitCode::parse(input), Err(ValueError::UnitCode), "{input}");
        }
    }

    #[test]
    fn a_stored_unit_loads_even_if_lhdn_dropped_it() {
        assert_eq!(UnitCode::parse("ZZ9"), Err(ValueError::UnitCode));
        let dropped = serde_json::from_str::<UnitCode>(r#""ZZ9""#).unwrap();
        assert_eq!(dropped.as_str(), "ZZ9");
        assert_eq!(dropped.name(), None);
        for stored in ["", "C", "c62", "C622", " C62"] {
            let json = serde_json::to_string(stored).unwrap();
            assert!(serde_json::from_str::<UnitCode>(&json).is_err(), "{stored}");
        }
    }
}
