//! The code validator: every coded value must be in LHDN's published tables (LHDN.md §4),
//! shipped inside the binary from `codes/` (copies of shared/lhdn/codes).

use std::collections::HashSet;
use std::sync::LazyLock;

use serde_json::Value;

use super::{Finding, path};
use crate::registry::is_consolidated_buyer;
use crate::ubl::{self, Facts, all, classification_codes, first, tax_subtotals, text};

const NOT_IN_TABLE: &str = "SBX010";
const STATE_RESTRICTED: &str = "SBX011";

#[derive(Debug)]
pub(crate) struct CodeTables {
    pub(crate) document_types: HashSet<String>,
    pub(crate) tax_types: HashSet<String>,
    pub(crate) payment_methods: HashSet<String>,
    pub(crate) states: HashSet<String>,
    pub(crate) classifications: HashSet<String>,
    pub(crate) msic: HashSet<String>,
    pub(crate) countries: HashSet<String>,
    pub(crate) currencies: HashSet<String>,
    pub(crate) units: HashSet<String>,
}

fn table(json: &str) -> HashSet<String> {
    // The tables are part of the binary and parsed by a unit test: a broken one is a build
    // defect, not bad input.
    let rows: Vec<Value> = serde_json::from_str(json).unwrap_or_default();
    rows.iter()
        .filter_map(|row| row.get("Code")?.as_str())
        .map(str::to_owned)
        .collect()
}

pub(crate) static TABLES: LazyLock<CodeTables> = LazyLock::new(|| CodeTables {
    document_types: table(include_str!("../../codes/EInvoiceTypes.json")),
    tax_types: table(include_str!("../../codes/TaxTypes.json")),
    payment_methods: table(include_str!("../../codes/PaymentMethods.json")),
    states: table(include_str!("../../codes/StateCodes.json")),
    classifications: table(include_str!("../../codes/ClassificationCodes.json")),
    msic: table(include_str!("../../codes/MSICSubCategoryCodes.json")),
    countries: table(include_str!("../../codes/CountryCodes.json")),
    currencies: table(include_str!("../../codes/CurrencyCodes.json")),
    units: table(include_str!("../../codes/UnitTypes.json")),
});

/// The document-type versions LHDN accepts (1.2/1.3: the voluntary disclosure programme).
pub(crate) const VERSIONS: [&str; 4] = ["1.0", "1.1", "1.2", "1.3"];

struct Codes<'a> {
    findings: Vec<Finding>,
    tables: &'a CodeTables,
}

impl Codes<'_> {
    fn expect(&mut self, table: &HashSet<String>, value: Option<&str>, element: &str, what: &str) {
        if let Some(value) = value
            && !table.contains(value)
        {
            self.findings.push(Finding::about(
                element,
                NOT_IN_TABLE,
                format!("{what} '{value}' is not a valid code"),
            ));
        }
    }
}

pub(crate) fn check(invoice: &Value, facts: &Facts) -> Vec<Finding> {
    let tables = &*TABLES;
    let mut c = Codes {
        findings: Vec::new(),
        tables,
    };
    c.expect(
        &tables.document_types,
        Some(&facts.type_code),
        "InvoiceTypeCode",
        "Document type",
    );
    if !facts.version.is_empty() && !VERSIONS.contains(&facts.version.as_str()) {
        c.findings.push(
            Finding::new(
                NOT_IN_TABLE,
                format!("Version '{}' is not a valid version", facts.version),
            )
            .at("InvoiceTypeCode", path("InvoiceTypeCode")),
        );
    }
    c.expect(
        &tables.currencies,
        text(invoice, "DocumentCurrencyCode"),
        "DocumentCurrencyCode",
        "Currency",
    );
    c.expect(
        &tables.currencies,
        text(invoice, "TaxCurrencyCode"),
        "TaxCurrencyCode",
        "Currency",
    );
    c.expect(
        &tables.payment_methods,
        text(invoice, "PaymentMeans/PaymentMeansCode"),
        "PaymentMeans/PaymentMeansCode",
        "Payment mode",
    );
    let consolidated = is_consolidated_buyer(&facts.buyer.tin);
    for (party, element) in [
        (ubl::supplier(invoice), "AccountingSupplierParty/Party"),
        (ubl::buyer(invoice), "AccountingCustomerParty/Party"),
        (
            first(invoice, "Delivery/DeliveryParty"),
            "Delivery/DeliveryParty",
        ),
    ] {
        let Some(party) = party else { continue };
        address(
            &mut c,
            party,
            &format!("{element}/PostalAddress"),
            consolidated,
        );
    }
    if let Some(supplier) = ubl::supplier(invoice) {
        let tables = c.tables;
        c.expect(
            &tables.msic,
            text(supplier, "IndustryClassificationCode"),
            "AccountingSupplierParty/Party/IndustryClassificationCode",
            "MSIC code",
        );
    }
    amounts_currencies(&mut c, invoice, "");
    for subtotal in tax_subtotals(invoice) {
        c.expect(
            &tables.tax_types,
            text(subtotal, "TaxCategory/ID"),
            "TaxTotal/TaxSubtotal/TaxCategory/ID",
            "Tax type",
        );
    }
    for line in all(invoice, "InvoiceLine") {
        let unit = first(line, "InvoicedQuantity").and_then(|q| q.get("unitCode")?.as_str());
        c.expect(
            &tables.units,
            unit,
            "InvoiceLine/InvoicedQuantity",
            "Unit of measure",
        );
        for code in classification_codes(line, "CLASS") {
            c.expect(
                &tables.classifications,
                Some(code),
                "InvoiceLine/Item/CommodityClassification/ItemClassificationCode",
                "Classification",
            );
        }
        c.expect(
            &tables.countries,
            text(line, "Item/OriginCountry/IdentificationCode"),
            "InvoiceLine/Item/OriginCountry/IdentificationCode",
            "Country",
        );
        for subtotal in tax_subtotals(line) {
            c.expect(
                &tables.tax_types,
                text(subtotal, "TaxCategory/ID"),
                "InvoiceLine/TaxTotal/TaxSubtotal/TaxCategory/ID",
                "Tax type",
            );
            let base = first(subtotal, "BaseUnitMeasure").and_then(|q| q.get("unitCode")?.as_str());
            c.expect(
                &tables.units,
                base,
                "InvoiceLine/TaxTotal/TaxSubtotal/BaseUnitMeasure",
                "Unit of measure",
            );
        }
    }
    c.findings
}

/// State codes: `00` is retired (June 2025) and `17` ("Not Applicable") is only for the
/// consolidated buyer or an address abroad (30 Apr 2026).
fn address(c: &mut Codes<'_>, party: &Value, element: &str, consolidated: bool) {
    let Some(address) = first(party, "PostalAddress") else {
        return;
    };
    let country = text(address, "Country/IdentificationCode");
    let tables = c.tables;
    c.expect(
        &tables.countries,
        country,
        &format!("{element}/Country/IdentificationCode"),
        "Country",
    );
    let state = text(address, "CountrySubentityCode");
    let malaysian = country == Some("MYS");
    if malaysian {
        c.expect(
            &tables.states,
            state,
            &format!("{element}/CountrySubentityCode"),
            "State",
        );
    }
    let buyer_side =
        element.starts_with("AccountingCustomerParty") || element.starts_with("Delivery");
    if malaysian && state == Some("17") && !(consolidated && buyer_side) {
        c.findings.push(
            Finding::new(
                STATE_RESTRICTED,
                "State code 17 is only for the consolidated buyer or an address outside Malaysia",
            )
            .at(
                "CountrySubentityCode",
                path(&format!("{element}/CountrySubentityCode")),
            ),
        );
    }
}

/// Every `currencyID` attribute must be a currency code.
fn amounts_currencies(c: &mut Codes<'_>, value: &Value, at: &str) {
    let Some(object) = value.as_object() else {
        if let Some(items) = value.as_array() {
            for item in items {
                amounts_currencies(c, item, at);
            }
        }
        return;
    };
    if let Some(currency) = object.get("currencyID").and_then(Value::as_str) {
        let tables = c.tables;
        c.expect(&tables.currencies, Some(currency), at, "Currency");
    }
    for (key, child) in object {
        if key == "UBLExtensions" || key == "Signature" || key == "_" {
            continue;
        }
        let here = if at.is_empty() {
            key.clone()
        } else {
            format!("{at}/{key}")
        };
        amounts_currencies(c, child, &here);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::tests::{fixtures, invoice_of};

    #[test]
    fn the_tables_load() {
        let t = &*TABLES;
        assert_eq!(t.document_types.len(), 8);
        assert_eq!(t.tax_types.len(), 7);
        assert_eq!(t.payment_methods.len(), 8);
        assert_eq!(t.states.len(), 17);
        assert_eq!(t.classifications.len(), 45);
        assert!(t.msic.len() > 1000);
        assert!(t.countries.contains("MYS"));
        assert!(t.currencies.contains("MYR"));
        assert!(t.units.contains("C62"));
        assert!(!t.states.contains("00"));
    }

    #[test]
    fn our_documents_and_the_official_samples_use_valid_codes() {
        for (name, document) in fixtures() {
            let findings = check(invoice_of(&document), &Facts::read(&document));
            assert!(findings.is_empty(), "{name}: {findings:?}");
        }
    }

    #[test]
    fn unknown_codes_and_restricted_states_are_reported() {
        let (_, mut document) = fixtures().remove(0);
        let invoice = &mut document["Invoice"][0];
        invoice["InvoiceLine"][0]["InvoicedQuantity"][0]["unitCode"] = "BOXES".into();
        invoice["AccountingSupplierParty"][0]["Party"][0]["PostalAddress"][0]["CountrySubentityCode"]
            [0]["_"] = "17".into();
        invoice["DocumentCurrencyCode"][0]["_"] = "ZZZ".into();
        let findings = check(invoice_of(&document), &Facts::read(&document));
        let messages: Vec<&str> = findings.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "Currency 'ZZZ' is not a valid code",
                "State code 17 is only for the consolidated buyer or an address outside Malaysia",
                "Unit of measure 'BOXES' is not a valid code",
            ]
        );
    }
}
