//! The currency validator: a document not in MYR must give its exchange rate to MYR
//! (mandatory in production since 1 Sep 2025; LHDN.md §2.4), and its tax totals stay in MYR
//! while every other amount is in the document's currency (LHDN.md §2.7, §6.2, Pitfall 10).

use rust_decimal::Decimal;
use serde_json::Value;

use super::Finding;
use crate::ubl::{Facts, first, number, tax_subtotals, text};

const EXCHANGE_RATE: &str = "SBX020";

pub(crate) fn check(invoice: &Value, facts: &Facts) -> Vec<Finding> {
    if facts.currency.is_empty() || facts.currency == "MYR" {
        return Vec::new();
    }
    let mut findings = Vec::new();
    let mut push = |element: &str, message: String| {
        findings.push(Finding::about(element, EXCHANGE_RATE, message));
    };
    // Only the document's tax totals: LHDN's foreign-currency sample states them in MYR; what
    // it wants of a line's tax is not documented, so the sandbox does not judge it.
    let tax_total = first(invoice, "TaxTotal");
    let tax_amounts = tax_total
        .and_then(|total| first(total, "TaxAmount"))
        .map(|amount| ("TaxTotal/TaxAmount", amount))
        .into_iter()
        .chain(
            tax_subtotals(invoice)
                .iter()
                .filter_map(|subtotal| first(subtotal, "TaxAmount"))
                .map(|amount| ("TaxTotal/TaxSubtotal/TaxAmount", amount)),
        );
    for (element, amount) in tax_amounts {
        let currency = amount.get("currencyID").and_then(Value::as_str);
        if currency != Some("MYR") {
            push(
                element,
                format!(
                    "the tax of a document in {} is stated in MYR, not {}",
                    facts.currency,
                    currency.unwrap_or("no currency")
                ),
            );
        }
    }
    if first(invoice, "TaxExchangeRate").is_none() {
        push(
            "TaxExchangeRate",
            format!(
                "TaxExchangeRate is mandatory for a document in {}",
                facts.currency
            ),
        );
        return findings;
    }
    if text(invoice, "TaxExchangeRate/SourceCurrencyCode") != Some(facts.currency.as_str()) {
        push(
            "TaxExchangeRate/SourceCurrencyCode",
            "SourceCurrencyCode must be the document currency".to_owned(),
        );
    }
    if text(invoice, "TaxExchangeRate/TargetCurrencyCode") != Some("MYR") {
        push(
            "TaxExchangeRate/TargetCurrencyCode",
            "TargetCurrencyCode must be MYR".to_owned(),
        );
    }
    // Counted as plain decimal notation: an exponent is refused anyway (structure step).
    match number(invoice, "TaxExchangeRate/CalculationRate") {
        Some(rate) if rate > Decimal::ZERO && rate.normalize().to_string().len() <= 15 => {}
        _ => push(
            "TaxExchangeRate/CalculationRate",
            "CalculationRate must be a positive number of at most 15 characters".to_owned(),
        ),
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn findings(document: Value) -> Vec<String> {
        let facts = Facts::read(&document);
        check(&document["Invoice"][0], &facts)
            .into_iter()
            .map(|f| f.message)
            .collect()
    }

    #[test]
    fn a_foreign_currency_needs_a_rate_to_myr() {
        let usd = json!({"Invoice": [{"DocumentCurrencyCode": [{"_": "USD"}]}]});
        assert_eq!(
            findings(usd),
            ["TaxExchangeRate is mandatory for a document in USD"]
        );
        let wrong = json!({"Invoice": [{"DocumentCurrencyCode": [{"_": "USD"}],
            "TaxExchangeRate": [{"SourceCurrencyCode": [{"_": "USD"}],
                "TargetCurrencyCode": [{"_": "SGD"}], "CalculationRate": [{"_": 4.72}]}]}]});
        assert_eq!(findings(wrong), ["TargetCurrencyCode must be MYR"]);
        let myr = json!({"Invoice": [{"DocumentCurrencyCode": [{"_": "MYR"}]}]});
        assert!(findings(myr).is_empty());
    }

    #[test]
    fn a_rate_is_a_positive_number_of_at_most_fifteen_characters() {
        let with_rate = |rate: Value| {
            json!({"Invoice": [{"DocumentCurrencyCode": [{"_": "USD"}],
                "TaxExchangeRate": [{"SourceCurrencyCode": [{"_": "USD"}],
                    "TargetCurrencyCode": [{"_": "MYR"}], "CalculationRate": [{"_": rate}]}]}]})
        };
        assert!(findings(with_rate(json!(4.7215))).is_empty());
        for bad in [
            json!(0),
            json!(-4.72),
            json!("4.72"),
            json!(0.000_000_000_000_01),
        ] {
            assert_eq!(
                findings(with_rate(bad.clone())),
                ["CalculationRate must be a positive number of at most 15 characters"],
                "{bad}"
            );
        }
    }

    #[test]
    fn the_tax_totals_of_a_foreign_currency_document_stay_in_myr() {
        let tax = |total: &str, subtotal: &str| {
            json!({"Invoice": [{"DocumentCurrencyCode": [{"_": "USD"}],
                "TaxExchangeRate": [{"SourceCurrencyCode": [{"_": "USD"}],
                    "TargetCurrencyCode": [{"_": "MYR"}], "CalculationRate": [{"_": 4.72}]}],
                "TaxTotal": [{"TaxAmount": [{"_": 28.33, "currencyID": total}],
                    "TaxSubtotal": [{"TaxableAmount": [{"_": 100.0, "currencyID": "USD"}],
                        "TaxAmount": [{"_": 28.33, "currencyID": subtotal}]}]}]}]})
        };
        assert!(findings(tax("MYR", "MYR")).is_empty());
        assert_eq!(
            findings(tax("USD", "MYR")),
            ["the tax of a document in USD is stated in MYR, not USD"]
        );
        let document = tax("MYR", "USD");
        let facts = Facts::read(&document);
        let found = check(&document["Invoice"][0], &facts);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].property_path.as_deref(),
            Some("Invoice.TaxTotal.TaxSubtotal.TaxAmount")
        );
    }
}
