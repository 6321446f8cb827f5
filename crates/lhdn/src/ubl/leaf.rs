//! The leaves of UBL JSON: an element's value under `"_"`, its XML attributes beside it
//! (LHDN.md §2.1). Field order is key order, as in the official samples.

use serde::{Deserialize, Serialize};

use super::Num;

/// A text value: an id, a date, a code without attributes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    #[serde(rename = "_")]
    pub value: String,
}

/// A number without a unit: a percentage, a rate, a factor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Number {
    #[serde(rename = "_")]
    pub value: Num,
}

/// `true` for a charge, `false` for an allowance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Flag {
    #[serde(rename = "_")]
    pub value: bool,
}

/// An amount in a currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Amount {
    #[serde(rename = "_")]
    pub value: Num,
    #[serde(rename = "currencyID")]
    pub currency_id: String,
}

/// A quantity in a unit (UN/ECE Rec 20).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    #[serde(rename = "_")]
    pub value: Num,
    #[serde(rename = "unitCode")]
    pub unit_code: String,
}

/// An identifier and the scheme it belongs to (`TIN`, `BRN`, `UN/ECE 5153`, `CertEX`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Identifier {
    #[serde(rename = "_")]
    pub value: String,
    #[serde(rename = "schemeID", default, skip_serializing_if = "Option::is_none")]
    pub scheme_id: Option<String>,
    #[serde(
        rename = "schemeAgencyID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub scheme_agency_id: Option<String>,
    #[serde(
        rename = "schemeAgencyName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub scheme_agency_name: Option<String>,
}

/// A code from a list (`ISO3166-1`, `CLASS`, `PTC`), or a document type with its version.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Code {
    #[serde(rename = "_")]
    pub value: String,
    #[serde(rename = "listID", default, skip_serializing_if = "Option::is_none")]
    pub list_id: Option<String>,
    #[serde(
        rename = "listAgencyID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub list_agency_id: Option<String>,
    #[serde(
        rename = "listVersionID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub list_version_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// An empty element naming an algorithm (`DigestMethod`, `SignatureMethod`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Method {
    #[serde(rename = "_")]
    pub value: String,
    #[serde(rename = "Algorithm", default, skip_serializing_if = "Option::is_none")]
    pub algorithm: Option<String>,
}

/// One text element: UBL JSON wraps even a single value in an array.
pub fn text(value: impl Into<String>) -> Vec<Text> {
    vec![Text {
        value: value.into(),
    }]
}

/// One amount element.
pub fn amount(value: Num, currency: &str) -> Vec<Amount> {
    vec![Amount {
        value,
        currency_id: currency.to_owned(),
    }]
}

/// One identifier element in a scheme.
pub fn scheme_id(value: impl Into<String>, scheme: &str) -> Vec<Identifier> {
    vec![Identifier {
        value: value.into(),
        scheme_id: Some(scheme.to_owned()),
        ..Identifier::default()
    }]
}
