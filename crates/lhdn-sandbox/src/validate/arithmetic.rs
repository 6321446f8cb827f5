//! The totals arithmetic of LHDN.md §2.7. LHDN's own samples do not balance, so these
//! findings are warnings unless the configuration enforces them. Compared exactly in
//! decimal: our mapper derives totals from rounded lines, so they must reconcile.

use rust_decimal::Decimal;
use serde_json::Value;

use super::Finding;
use crate::ubl::{all, first, number, tax_subtotals};

const MISMATCH: &str = "SBX060";

fn sum(values: &[Value], element: &str) -> Option<Decimal> {
    values.iter().map(|v| number(v, element)).sum()
}

pub(crate) fn check(invoice: &Value) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut expect =
        |element: &str, actual: Option<Decimal>, expected: Option<Decimal>, rule: &str| {
            if let (Some(actual), Some(expected)) = (actual, expected)
                && actual != expected
            {
                findings.push(Finding::about(
                    element,
                    MISMATCH,
                    format!("{element} is {actual}, expected {expected} ({rule})"),
                ));
            }
        };
    let tax_total = first(invoice, "TaxTotal").unwrap_or(&Value::Null);
    let totals = first(invoice, "LegalMonetaryTotal").unwrap_or(&Value::Null);
    let lines = all(invoice, "InvoiceLine");
    let zero = Some(Decimal::ZERO);
    expect(
        "TaxTotal/TaxAmount",
        number(tax_total, "TaxAmount"),
        sum(tax_subtotals(invoice), "TaxAmount"),
        "sum of the tax subtotals",
    );
    expect(
        "LegalMonetaryTotal/LineExtensionAmount",
        number(totals, "LineExtensionAmount"),
        sum(lines, "LineExtensionAmount"),
        "sum of the lines",
    );
    let line_extension = number(totals, "LineExtensionAmount");
    let allowances = number(totals, "AllowanceTotalAmount").or(zero);
    let charges = number(totals, "ChargeTotalAmount").or(zero);
    expect(
        "LegalMonetaryTotal/TaxExclusiveAmount",
        number(totals, "TaxExclusiveAmount"),
        line_extension
            .zip(allowances)
            .zip(charges)
            .map(|((l, a), c)| l - a + c),
        "line extension - allowances + charges",
    );
    // Tax stays in MYR on foreign-currency documents: only add like to like.
    let same_currency = first(tax_total, "TaxAmount").and_then(|t| t.get("currencyID"))
        == first(totals, "TaxExclusiveAmount").and_then(|t| t.get("currencyID"));
    if same_currency {
        expect(
            "LegalMonetaryTotal/TaxInclusiveAmount",
            number(totals, "TaxInclusiveAmount"),
            number(totals, "TaxExclusiveAmount")
                .zip(number(tax_total, "TaxAmount"))
                .map(|(e, t)| e + t),
            "tax exclusive + tax",
        );
    }
    let prepaid = number(
        first(invoice, "PrepaidPayment").unwrap_or(&Value::Null),
        "PaidAmount",
    )
    .or(zero);
    let rounding = number(totals, "PayableRoundingAmount").or(zero);
    expect(
        "LegalMonetaryTotal/PayableAmount",
        number(totals, "PayableAmount"),
        number(totals, "TaxInclusiveAmount")
            .zip(prepaid)
            .zip(rounding)
            .map(|((i, p), r)| i - p + r),
        "tax inclusive - prepaid + rounding",
    );
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::tests::{fixture, invoice_of};

    #[test]
    fn our_mapped_invoice_balances() {
        for name in [
            "invoice.json",
            "credit-note.json",
            "consolidated.json",
            "invoice-usd.json",
        ] {
            let document = fixture(name);
            assert_eq!(check(invoice_of(&document)), Vec::new(), "{name}");
        }
    }

    #[test]
    fn a_wrong_payable_amount_is_reported() {
        let mut document = fixture("invoice.json");
        document["Invoice"][0]["LegalMonetaryTotal"][0]["PayableAmount"][0]["_"] =
            serde_json::json!(1.0);
        let findings = check(invoice_of(&document));
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].property_name.as_deref(), Some("PayableAmount"));
    }
}
