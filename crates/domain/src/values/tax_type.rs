//! LHDN's tax type code.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Serialize;

use super::{ValueError, code_table, stored_value, string_value};

/// LHDN's tax type table (`TaxTypes.json`): `01` to `06` and `E`, shipped in the binary.
static TAX_TYPES: LazyLock<HashMap<String, String>> = LazyLock::new(|| {
    code_table(
        include_str!("../../data/tax_types.json"),
        "Description",
        "data/tax_types.json",
    )
});

/// A tax type from LHDN's table (`TaxCategory.ID`, LHDN.md §2.6): `01` Sales Tax, `02`
/// Service Tax, `03` Tourism Tax, `04` High-Value Goods Tax, `05` Sales Tax on Low Value
/// Goods, `06` Not Applicable, `E` Tax exemption.
///
/// [`TaxType::parse`] checks new input against today's table. Reading a stored one checks
/// only its shape (one or two upper-case letters and digits): a line records the tax type it
/// was charged under, and must still load if LHDN renumbers its table. Such a code has no
/// [`description`](TaxType::description).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(into = "String")]
pub struct TaxType(String);

string_value!(TaxType);
stored_value!(TaxType, "one or two upper-case letters and digits");

impl TaxType {
    /// `02`: service tax under the Service Tax Act 2018.
    pub fn service_tax() -> Self {
        Self("02".to_owned())
    }

    /// `06`: no SST applies (a reseller's sale of goods, a service outside the taxable list).
    pub fn not_applicable() -> Self {
        Self("06".to_owned())
    }

    /// `E`: exempt, with a reason LHDN asks for (`TaxExemptionReason`).
    pub fn exempt() -> Self {
        Self("E".to_owned())
    }

    /// Checks new input against LHDN's current table. Lower-case `e` is upper-cased.
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        let code = input.trim().to_ascii_uppercase();
        if TAX_TYPES.contains_key(&code) {
            Ok(Self(code))
        } else {
            Err(ValueError::TaxType)
        }
    }

    /// A code read back from storage: its shape only (see the type).
    pub(crate) fn from_stored(stored: String) -> Option<Self> {
        ((1..=2).contains(&stored.len())
            && stored
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()))
        .then_some(Self(stored))
    }

    /// LHDN's description ("Service Tax"), or `None` for a stored code that is not in
    /// today's table.
    pub fn description(&self) -> Option<&'static str> {
        TAX_TYPES.get(&self.0).map(String::as_str)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_tax_type_table_is_lhdns() {
        let mut codes: Vec<&str> = TAX_TYPES.keys().map(String::as_str).collect();
        codes.sort_unstable();
        assert_eq!(codes, ["01", "02", "03", "04", "05", "06", "E"]);
    }

    #[test]
    fn the_types_our_rules_use_are_in_the_table() {
        assert_eq!(TaxType::service_tax().description(), Some("Service Tax"));
        assert_eq!(
            TaxType::not_applicable().description(),
            Some("Not Applicable")
        );
        assert_eq!(
            TaxType::exempt().description(),
            Some("Tax exemption (where applicable)")
        );
        assert_eq!(TaxType::parse(" e ").unwrap(), TaxType::exempt());
    }

    #[test]
    fn unknown_tax_types_are_refused() {
        for input in ["", "00", "07", "2", "X", "SST"] {
            assert_eq!(TaxType::parse(input), Err(ValueError::TaxType), "{input}");
        }
    }

    #[test]
    fn a_stored_tax_type_loads_even_if_lhdn_dropped_it() {
        let dropped = serde_json::from_str::<TaxType>(r#""07""#).unwrap();
        assert_eq!(dropped.as_str(), "07");
        assert_eq!(dropped.description(), None);
        for stored in ["", "e", "002", " 02"] {
            let json = serde_json::to_string(stored).unwrap();
            assert!(serde_json::from_str::<TaxType>(&json).is_err(), "{stored}");
        }
    }
}
