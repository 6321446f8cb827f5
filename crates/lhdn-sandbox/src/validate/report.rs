//! Validation results in LHDN's shape (LHDN.md §1.12): `{status, validationSteps: [{status,
//! name, error?}]}`, each error `{propertyName, propertyPath, errorCode, error, errorMs,
//! innerError}`. The sandbox has no Malay texts: `errorMs` repeats the English one.

use serde_json::{Value, json};

use super::{Finding, StepResult};
use crate::state::Status;

fn inner(finding: &Finding) -> Value {
    json!({
        "propertyName": finding.property_name,
        "propertyPath": finding.property_path,
        "errorCode": finding.code,
        "error": finding.message,
        "errorMs": finding.message,
        "target": finding.property_name,
        "innerError": null,
    })
}

fn step(result: &StepResult) -> Value {
    if result.findings.is_empty() {
        return json!({"status": "Valid", "name": result.step.name()});
    }
    let (code, title) = result.step.error();
    json!({
        "status": "Invalid",
        "name": result.step.name(),
        "error": {
            "propertyName": null,
            "propertyPath": null,
            "errorCode": code,
            "error": title,
            "errorMs": title,
            "target": null,
            "innerError": result.findings.iter().map(inner).collect::<Vec<_>>(),
        },
    })
}

pub(crate) fn validation_results(status: Status, steps: &[StepResult]) -> Value {
    json!({
        "status": status.as_str(),
        "validationSteps": steps.iter().map(step).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::Step;

    #[test]
    fn a_failed_signature_step_reads_like_lhdns() {
        let steps = [StepResult {
            step: Step::Signature,
            findings: vec![
                Finding::new("DS320", "Signed properties digest value doesn't match")
                    .at("DigestValue", "Invoice.UBLExtensions"),
            ],
        }];
        let results = validation_results(Status::Invalid, &steps);
        let error = &results["validationSteps"][0]["error"];
        assert_eq!(
            results["validationSteps"][0]["name"],
            "Step08-Document Signature Validator"
        );
        assert_eq!(error["errorCode"], "Error21");
        assert_eq!(error["error"], "Document Signature Validator");
        assert_eq!(error["innerError"][0]["errorCode"], "DS320");
        assert_eq!(error["innerError"][0]["propertyName"], "DigestValue");
    }
}
