//! The document: the namespaces and the one `Invoice` object every type uses.

use serde::{Deserialize, Serialize};

use super::{
    AccountingCustomer, AccountingSupplier, AllowanceCharge, BillingReference, Code, Delivery,
    DocumentReference, InvoiceLine, InvoicePeriod, LegalMonetaryTotal, PaymentMeans, PaymentTerms,
    PrepaidPayment, SignatureReference, TaxExchangeRate, TaxTotal, Text, UblExtensions,
};

pub const INVOICE_NAMESPACE: &str = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2";
pub const AGGREGATE_NAMESPACE: &str =
    "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
pub const BASIC_NAMESPACE: &str =
    "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";

/// A UBL 2.1 JSON document as LHDN takes it. The root key is `Invoice` for every type: the
/// type is [`Invoice::invoice_type_code`] (LHDN.md §2.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    #[serde(rename = "_D")]
    pub default_namespace: String,
    #[serde(rename = "_A")]
    pub aggregate_namespace: String,
    #[serde(rename = "_B")]
    pub basic_namespace: String,
    #[serde(rename = "Invoice")]
    pub invoice: Vec<Invoice>,
}

impl Document {
    /// A document holding `invoice`, with the namespaces of the official samples.
    pub fn new(invoice: Invoice) -> Self {
        Self {
            default_namespace: INVOICE_NAMESPACE.to_owned(),
            aggregate_namespace: AGGREGATE_NAMESPACE.to_owned(),
            basic_namespace: BASIC_NAMESPACE.to_owned(),
            invoice: vec![invoice],
        }
    }

    /// The document minified, as it is hashed and submitted.
    pub fn to_bytes(&self) -> Vec<u8> {
        // Only strings, numbers we wrote ourselves and derived structs: nothing can fail.
        serde_json::to_vec(self).unwrap_or_default()
    }
}

/// The one object under `Invoice`, in the key order of the official samples (LHDN.md §6).
/// Optional blocks are empty vectors and left out of the JSON: LHDN refuses empty strings
/// where a date or a block is optional (Pitfall 11).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Invoice {
    #[serde(rename = "ID")]
    pub id: Vec<Text>,
    pub issue_date: Vec<Text>,
    pub issue_time: Vec<Text>,
    pub invoice_type_code: Vec<Code>,
    pub document_currency_code: Vec<Text>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tax_currency_code: Vec<Text>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub invoice_period: Vec<InvoicePeriod>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub billing_reference: Vec<BillingReference>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub additional_document_reference: Vec<DocumentReference>,
    pub accounting_supplier_party: Vec<AccountingSupplier>,
    pub accounting_customer_party: Vec<AccountingCustomer>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub delivery: Vec<Delivery>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub payment_means: Vec<PaymentMeans>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub payment_terms: Vec<PaymentTerms>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prepaid_payment: Vec<PrepaidPayment>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowance_charge: Vec<AllowanceCharge>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tax_exchange_rate: Vec<TaxExchangeRate>,
    pub tax_total: Vec<TaxTotal>,
    pub legal_monetary_total: Vec<LegalMonetaryTotal>,
    pub invoice_line: Vec<InvoiceLine>,
    /// The signature (version 1.1): written by the signer, never by the mapping.
    #[serde(
        rename = "UBLExtensions",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub ubl_extensions: Vec<UblExtensions>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signature: Vec<SignatureReference>,
}
