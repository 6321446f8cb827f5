//! One invoice line.

use serde::{Deserialize, Serialize};

use super::{AllowanceCharge, Amount, Code, Country, Measure, TaxTotal, Text};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct InvoiceLine {
    #[serde(rename = "ID")]
    pub id: Vec<Text>,
    pub invoiced_quantity: Vec<Measure>,
    /// Subtotal less line discounts plus line charges, before tax.
    pub line_extension_amount: Vec<Amount>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowance_charge: Vec<AllowanceCharge>,
    pub tax_total: Vec<TaxTotal>,
    pub item: Vec<Item>,
    pub price: Vec<Price>,
    /// Price × quantity.
    pub item_price_extension: Vec<ItemPriceExtension>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Item {
    pub commodity_classification: Vec<CommodityClassification>,
    pub description: Vec<Text>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub origin_country: Vec<Country>,
}

/// `listID` `CLASS` (LHDN's classification, mandatory) or `PTC` (tariff code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct CommodityClassification {
    pub item_classification_code: Vec<Code>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Price {
    pub price_amount: Vec<Amount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ItemPriceExtension {
    pub amount: Vec<Amount>,
}
