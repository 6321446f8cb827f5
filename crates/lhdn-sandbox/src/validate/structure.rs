//! The structure validator: LHDN checks documents against a JSON schema and answers in the
//! schema validator's words (`NoAdditionalPropertiesAllowed: #/UBLExtensions`,
//! `ObjectExpected: #/Invoice[0].BillingReference[0]`, `DateExpected: ...`; LHDN.md §1.4).

use serde_json::{Map, Value};

use super::Finding;

const ROOT_KEYS: [&str; 5] = ["_D", "_A", "_B", "_E", "Invoice"];

/// The elements of `Invoice[0]` (LHDN.md §6, in the official samples' order).
const INVOICE_KEYS: [&str; 22] = [
    "ID",
    "IssueDate",
    "IssueTime",
    "InvoiceTypeCode",
    "DocumentCurrencyCode",
    "TaxCurrencyCode",
    "InvoicePeriod",
    "BillingReference",
    "AdditionalDocumentReference",
    "AccountingSupplierParty",
    "AccountingCustomerParty",
    "Delivery",
    "PaymentMeans",
    "PaymentTerms",
    "PrepaidPayment",
    "AllowanceCharge",
    "TaxExchangeRate",
    "TaxTotal",
    "LegalMonetaryTotal",
    "InvoiceLine",
    "UBLExtensions",
    "Signature",
];

const DATES: [&str; 4] = ["IssueDate", "StartDate", "EndDate", "PaidDate"];
const TIMES: [&str; 2] = ["IssueTime", "PaidTime"];
const BOOLEANS: [&str; 1] = ["ChargeIndicator"];
const NUMBERS: [&str; 18] = [
    "TaxAmount",
    "TaxableAmount",
    "Amount",
    "PriceAmount",
    "LineExtensionAmount",
    "TaxExclusiveAmount",
    "TaxInclusiveAmount",
    "AllowanceTotalAmount",
    "ChargeTotalAmount",
    "PayableRoundingAmount",
    "PayableAmount",
    "PaidAmount",
    "InvoicedQuantity",
    "Percent",
    "MultiplierFactorNumeric",
    "CalculationRate",
    "BaseUnitMeasure",
    "PerUnitAmount",
];
/// XML attributes of the signature elements, written as plain keys (LHDN.md §2.1).
const SIGNATURE_ATTRIBUTES: [&str; 5] = ["Id", "Target", "URI", "Type", "Algorithm"];

/// Signed versions carry `UBLExtensions` and `Signature`; unsigned ones must not.
pub(crate) fn is_signed_version(version: &str) -> bool {
    matches!(version, "1.1" | "1.3")
}

fn finding(kind: &str, path: &str) -> Finding {
    Finding::new(kind, format!("{kind}: {path}")).at(kind, path)
}

pub(crate) fn check(bytes: &[u8], document: &Value) -> Vec<Finding> {
    let mut findings = scientific_notation(bytes);
    let Some(root) = document.as_object() else {
        findings.push(finding("ObjectExpected", "#"));
        return findings;
    };
    for key in root.keys() {
        if !ROOT_KEYS.contains(&key.as_str()) {
            findings.push(finding(
                "NoAdditionalPropertiesAllowed",
                &format!("#/{key}"),
            ));
        }
    }
    for key in ["_D", "_A", "_B"] {
        match root.get(key) {
            Some(Value::String(_)) => {}
            Some(_) => findings.push(finding("StringExpected", &format!("#/{key}"))),
            None => findings.push(finding("PropertyRequired", &format!("#/{key}"))),
        }
    }
    let invoice = match root.get("Invoice") {
        Some(Value::Array(items)) if items.len() == 1 => &items[0],
        Some(Value::Array(_)) => {
            findings.push(finding("TooManyItems", "#/Invoice"));
            return findings;
        }
        Some(_) => {
            findings.push(finding("ArrayExpected", "#/Invoice"));
            return findings;
        }
        None => {
            findings.push(finding("PropertyRequired", "#/Invoice"));
            return findings;
        }
    };
    let Some(invoice) = invoice.as_object() else {
        findings.push(finding("ObjectExpected", "#/Invoice[0]"));
        return findings;
    };
    let version = invoice
        .get("InvoiceTypeCode")
        .and_then(|t| t.get(0)?.get("listVersionID")?.as_str())
        .unwrap_or_default();
    for key in invoice.keys() {
        let signature_block = key == "UBLExtensions" || key == "Signature";
        // As LHDN answers unsigned versions carrying a signature (LHDN.md §2.2).
        if !INVOICE_KEYS.contains(&key.as_str()) || (signature_block && !is_signed_version(version))
        {
            findings.push(finding(
                "NoAdditionalPropertiesAllowed",
                &format!("#/{key}"),
            ));
        }
    }
    elements(invoice, "#/Invoice[0]", &mut findings);
    findings
}

/// Checks the element convention below one object: every capitalised key is an array of
/// objects, `_` holds the leaf in the type its element needs, attributes are strings.
fn elements(object: &Map<String, Value>, path: &str, findings: &mut Vec<Finding>) {
    for (key, value) in object {
        if key == "_" || SIGNATURE_ATTRIBUTES.contains(&key.as_str()) {
            continue;
        }
        let here = format!("{path}.{key}");
        if !key.starts_with(|c: char| c.is_ascii_uppercase()) {
            if !value.is_string() {
                findings.push(finding("StringExpected", &here));
            }
            continue;
        }
        let Some(items) = value.as_array() else {
            findings.push(finding("ArrayExpected", &here));
            continue;
        };
        for (index, item) in items.iter().enumerate() {
            let here = format!("{here}[{index}]");
            let Some(item) = item.as_object() else {
                findings.push(finding("ObjectExpected", &here));
                continue;
            };
            if let Some(leaf) = item.get("_") {
                leaf_type(key, leaf, &format!("{here}._"), findings);
            }
            for attribute in SIGNATURE_ATTRIBUTES {
                if item.get(attribute).is_some_and(|v| !v.is_string()) {
                    findings.push(finding("StringExpected", &format!("{here}.{attribute}")));
                }
            }
            elements(item, &here, findings);
        }
    }
}

fn leaf_type(element: &str, leaf: &Value, path: &str, findings: &mut Vec<Finding>) {
    let ok = if DATES.contains(&element) {
        leaf.as_str().is_some_and(is_date)
    } else if TIMES.contains(&element) {
        leaf.as_str().is_some_and(is_time)
    } else if NUMBERS.contains(&element) {
        leaf.is_number()
    } else if BOOLEANS.contains(&element) {
        leaf.is_boolean()
    } else {
        leaf.is_string()
    };
    if !ok {
        let kind = if DATES.contains(&element) {
            "DateExpected"
        } else if TIMES.contains(&element) {
            "TimeExpected"
        } else if NUMBERS.contains(&element) {
            "NumberExpected"
        } else if BOOLEANS.contains(&element) {
            "BooleanExpected"
        } else {
            "StringExpected"
        };
        findings.push(finding(kind, path));
    }
}

/// `YYYY-MM-DD` and a real date.
pub(crate) fn is_date(text: &str) -> bool {
    text.len() == 10 && chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok()
}

/// `HH:MM:SSZ`: UTC, no fractions, no offset.
pub(crate) fn is_time(text: &str) -> bool {
    text.len() == 9
        && text.ends_with('Z')
        && chrono::NaiveTime::parse_from_str(&text[..8], "%H:%M:%S").is_ok()
}

/// Numbers written with an exponent, refused since 30 Apr 2026. Read from the bytes: a
/// parsed number no longer knows how it was written.
fn scientific_notation(bytes: &[u8]) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut in_string = false;
    let mut escaped = false;
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            index += 1;
            continue;
        }
        if byte == b'"' {
            in_string = true;
            index += 1;
            continue;
        }
        if byte == b'-' || byte.is_ascii_digit() {
            let start = index;
            while index < bytes.len()
                && matches!(bytes[index], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
            {
                index += 1;
            }
            let token = &bytes[start..index];
            if token.iter().any(|b| matches!(b, b'e' | b'E')) {
                let token = String::from_utf8_lossy(token);
                findings.push(Finding::new(
                    "ScientificNotationNotAllowed",
                    format!("ScientificNotationNotAllowed: {token}"),
                ));
            }
            continue;
        }
        index += 1;
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(bytes: &[u8]) -> Vec<String> {
        let value: Value = serde_json::from_slice(bytes).unwrap();
        check(bytes, &value)
            .into_iter()
            .map(|f| f.message)
            .collect()
    }

    #[test]
    fn our_documents_and_lhdns_samples_have_a_valid_structure() {
        for (name, document) in crate::validate::tests::fixtures() {
            let bytes = serde_json::to_vec(&document).unwrap();
            assert_eq!(kinds(&bytes), Vec::<String>::new(), "{name}");
        }
    }

    #[test]
    fn a_signature_in_an_unsigned_version_is_an_additional_property() {
        let doc = br#"{"_D":"d","_A":"a","_B":"b","Invoice":[{"InvoiceTypeCode":[{"_":"01","listVersionID":"1.0"}],"UBLExtensions":[{}]}]}"#;
        assert_eq!(
            kinds(doc),
            vec!["NoAdditionalPropertiesAllowed: #/UBLExtensions"]
        );
    }

    #[test]
    fn unknown_keys_dates_times_numbers_and_exponents_are_reported() {
        let doc = br#"{"_D":"d","_A":"a","_B":"b","Extra":1,"Invoice":[{
            "IssueDate":[{"_":"01/06/2026"}],"IssueTime":[{"_":"10:00:00+08:00"}],
            "InvoicePeriod":[{"StartDate":[{"_":""}]}],
            "BillingReference":["x"],
            "TaxTotal":[{"TaxAmount":[{"_":"1.00"}]}],
            "LegalMonetaryTotal":[{"PayableAmount":[{"_":1e3}]}]}]}"#;
        assert_eq!(
            kinds(doc),
            vec![
                "ScientificNotationNotAllowed: 1e3",
                "NoAdditionalPropertiesAllowed: #/Extra",
                "ObjectExpected: #/Invoice[0].BillingReference[0]",
                "DateExpected: #/Invoice[0].InvoicePeriod[0].StartDate[0]._",
                "DateExpected: #/Invoice[0].IssueDate[0]._",
                "TimeExpected: #/Invoice[0].IssueTime[0]._",
                "NumberExpected: #/Invoice[0].TaxTotal[0].TaxAmount[0]._",
            ]
        );
    }

    #[test]
    fn dates_and_times_follow_lhdns_formats() {
        assert!(is_date("2026-06-01"));
        assert!(!is_date("2026-02-30"));
        assert!(!is_date("2026-6-1"));
        assert!(is_time("02:00:00Z"));
        assert!(!is_time("02:00:00"));
        assert!(!is_time("02:00:00.5Z"));
    }
}
