//! The currency validator: a document not in MYR must give its exchange rate to MYR
//! (mandatory in production since 1 Sep 2025; LHDN.md §2.4).

use serde_json::Value;

use super::Finding;
use crate::ubl::{Facts, first, leaf, text};

const EXCHANGE_RATE: &str = "SBX020";

pub(crate) fn check(invoice: &Value, facts: &Facts) -> Vec<Finding> {
    if facts.currency.is_empty() || facts.currency == "MYR" {
        return Vec::new();
    }
    let mut findings = Vec::new();
    let mut push = |element: &str, message: String| {
        findings.push(Finding::about(element, EXCHANGE_RATE, message));
    };
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
    match leaf(invoice, "TaxExchangeRate/CalculationRate") {
        Some(Value::Number(rate))
            if rate.as_f64().is_some_and(|r| r > 0.0) && rate.to_string().len() <= 15 => {}
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
}
