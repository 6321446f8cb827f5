//! Tax totals, monetary totals, and the allowances and charges that move them.

use serde::{Deserialize, Serialize};

use super::{Amount, Flag, Identifier, Measure, Number, Text};

/// A discount (`ChargeIndicator` false) or a fee (true), on a line or the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct AllowanceCharge {
    pub charge_indicator: Vec<Flag>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowance_charge_reason: Vec<Text>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub multiplier_factor_numeric: Vec<Number>,
    pub amount: Vec<Amount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct TaxTotal {
    /// The sum of the subtotals' tax.
    pub tax_amount: Vec<Amount>,
    pub tax_subtotal: Vec<TaxSubtotal>,
}

/// The tax of one tax type: at a percentage, or a fixed amount per unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct TaxSubtotal {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub taxable_amount: Vec<Amount>,
    pub tax_amount: Vec<Amount>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub percent: Vec<Number>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub base_unit_measure: Vec<Measure>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub per_unit_amount: Vec<Amount>,
    pub tax_category: Vec<TaxCategory>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct TaxCategory {
    /// LHDN's tax type, `01` to `06` or `E`.
    #[serde(rename = "ID")]
    pub id: Vec<Text>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tax_exemption_reason: Vec<Text>,
    pub tax_scheme: Vec<TaxScheme>,
}

/// Always `OTH` in scheme `UN/ECE 5153`, agency `6`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaxScheme {
    #[serde(rename = "ID")]
    pub id: Vec<Identifier>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct LegalMonetaryTotal {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub line_extension_amount: Vec<Amount>,
    pub tax_exclusive_amount: Vec<Amount>,
    pub tax_inclusive_amount: Vec<Amount>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowance_total_amount: Vec<Amount>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub charge_total_amount: Vec<Amount>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub payable_rounding_amount: Vec<Amount>,
    pub payable_amount: Vec<Amount>,
}
