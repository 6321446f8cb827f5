//! The optional header blocks: billing period, references, delivery, payment, exchange rate.

use serde::{Deserialize, Serialize};

use super::{AllowanceCharge, Amount, DeliveryParty, Number, Text};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct InvoicePeriod {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub start_date: Vec<Text>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub end_date: Vec<Text>,
    /// The frequency of billing (`Monthly`, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub description: Vec<Text>,
}

/// A reference to the document a note corrects, or to a bill (the customer's PO).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct BillingReference {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub invoice_document_reference: Vec<InvoiceDocumentReference>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub additional_document_reference: Vec<DocumentReference>,
}

/// The original document: our number and LHDN's UUID for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvoiceDocumentReference {
    #[serde(rename = "ID")]
    pub id: Vec<Text>,
    #[serde(rename = "UUID")]
    pub uuid: Vec<Text>,
}

/// A customs form, a free trade agreement, incoterms, or a bill reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct DocumentReference {
    #[serde(rename = "ID")]
    pub id: Vec<Text>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub document_type: Vec<Text>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub document_description: Vec<Text>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Delivery {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub delivery_party: Vec<DeliveryParty>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shipment: Vec<Shipment>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Shipment {
    #[serde(rename = "ID")]
    pub id: Vec<Text>,
    pub freight_allowance_charge: Vec<AllowanceCharge>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct PaymentMeans {
    /// LHDN's payment mode, `01` to `08`.
    pub payment_means_code: Vec<Text>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub payee_financial_account: Vec<FinancialAccount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FinancialAccount {
    #[serde(rename = "ID")]
    pub id: Vec<Text>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct PaymentTerms {
    pub note: Vec<Text>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct PrepaidPayment {
    #[serde(rename = "ID", default, skip_serializing_if = "Vec::is_empty")]
    pub id: Vec<Text>,
    pub paid_amount: Vec<Amount>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paid_date: Vec<Text>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paid_time: Vec<Text>,
}

/// Mandatory when the document is not in MYR (since 1 September 2025): document currency to
/// MYR.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct TaxExchangeRate {
    pub source_currency_code: Vec<Text>,
    pub target_currency_code: Vec<Text>,
    pub calculation_rate: Vec<Number>,
}
