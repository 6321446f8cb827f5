//! LHDN's document validators (LHDN.md §1.11, Checklist "Document validation"): each a pure
//! function from the document, the registry, what the sandbox already holds and the clock
//! to a list of findings. [`run`] applies them in LHDN's order and names the steps.

mod arithmetic;
pub(crate) mod codes;
mod core_fields;
mod currency;
mod duplicate;
mod issue_time;
mod references;
pub(crate) mod report;
mod signature;
pub(crate) mod structure;
mod taxpayer;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::config::ArithmeticMode;
use crate::registry::Registry;
use crate::state::Status;
use crate::ubl::Facts;

pub(crate) use issue_time::issued_at;
pub(crate) use signature::SignatureSettings;

/// One thing wrong with a document, in LHDN's inner-error terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Finding {
    pub(crate) code: String,
    pub(crate) message: String,
    pub(crate) property_name: Option<String>,
    pub(crate) property_path: Option<String>,
}

impl Finding {
    pub(crate) fn new(code: &str, message: impl Into<String>) -> Self {
        Self {
            code: code.to_owned(),
            message: message.into(),
            property_name: None,
            property_path: None,
        }
    }

    /// A finding about the element at `element` under `Invoice[0]` (`a/b/c`): named `c`, at
    /// path `Invoice.a.b.c`.
    pub(crate) fn about(element: &str, code: &str, message: impl Into<String>) -> Self {
        let name = element.rsplit('/').next().unwrap_or(element);
        Self::new(code, message).at(name, path(element))
    }

    /// The same, about the element at `path` (e.g. `Invoice.IssueDate`).
    pub(crate) fn at(mut self, name: &str, path: impl Into<String>) -> Self {
        self.property_name = Some(name.to_owned());
        self.property_path = Some(path.into());
        self
    }
}

/// LHDN's validation steps. Only "Step03-Duplicated Submission Validator" and
/// "Step08-Document Signature Validator" (with `Error21`) and `Error03` are observed names;
/// the others follow the same pattern in the order LHDN lists its validators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Step {
    Structure,
    CoreFields,
    Duplicate,
    IssueTime,
    Codes,
    Currency,
    Taxpayer,
    Signature,
    References,
    Arithmetic,
}

impl Step {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Structure => "Step01-Structure Validator",
            Self::CoreFields => "Step02-Core Fields Validator",
            Self::Duplicate => "Step03-Duplicated Submission Validator",
            Self::IssueTime => "Step04-Issuance Date Validator",
            Self::Codes => "Step05-Code Validator",
            Self::Currency => "Step06-Currency Validator",
            Self::Taxpayer => "Step07-Taxpayer Validator",
            Self::Signature => "Step08-Document Signature Validator",
            Self::References => "Step09-Referenced Documents Validator",
            Self::Arithmetic => "Step10-Mathematical Validator",
        }
    }

    /// The outer error: code and title, as in `{"errorCode":"Error21","error":"Document
    /// Signature Validator"}`.
    pub(crate) fn error(self) -> (&'static str, &'static str) {
        match self {
            Self::Structure => ("Error01", "Document Structure Validator"),
            Self::CoreFields => ("Error02", "Core Fields Validator"),
            Self::Duplicate => ("Error03", "Duplicated Submission Validator"),
            Self::IssueTime => ("Error04", "Issuance Date Validator"),
            Self::Codes => ("Error05", "Code Validator"),
            Self::Currency => ("Error06", "Currency Validator"),
            Self::Taxpayer => ("Error07", "Taxpayer Validator"),
            Self::Signature => ("Error21", "Document Signature Validator"),
            Self::References => ("Error09", "Referenced Documents Validator"),
            Self::Arithmetic => ("Error10", "Mathematical Validator"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StepResult {
    pub(crate) step: Step,
    pub(crate) findings: Vec<Finding>,
}

/// Another document the sandbox holds, as the duplicate and reference rules see it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Known<'a> {
    pub(crate) uuid: &'a str,
    pub(crate) status: Status,
    pub(crate) facts: &'a Facts,
    pub(crate) received_at: DateTime<Utc>,
}

/// The document under validation.
#[derive(Debug)]
pub(crate) struct Document<'a> {
    pub(crate) bytes: &'a [u8],
    pub(crate) json: &'a Value,
    pub(crate) facts: &'a Facts,
    pub(crate) received_at: DateTime<Utc>,
}

/// What the validators may look at besides the document.
#[derive(Debug)]
pub(crate) struct Context<'a> {
    pub(crate) now: DateTime<Utc>,
    pub(crate) registry: &'a Registry,
    pub(crate) others: &'a [Known<'a>],
    pub(crate) signature: &'a SignatureSettings,
    pub(crate) arithmetic: ArithmeticMode,
}

/// The outcome of validating one document: the steps as reported, and warnings (the
/// arithmetic in `warn` mode) that do not make it Invalid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Outcome {
    pub(crate) steps: Vec<StepResult>,
    pub(crate) warnings: Vec<Finding>,
}

impl Outcome {
    pub(crate) fn is_valid(&self) -> bool {
        self.steps.iter().all(|s| s.findings.is_empty())
    }
}

/// Runs every validator. Later validators still run when an earlier one failed, so a
/// client sees every problem at once; a document that is not an invoice object at all
/// stops after the structure step.
pub(crate) fn run(document: &Document<'_>, context: &Context<'_>) -> Outcome {
    let structure = structure::check(document.bytes, document.json);
    let Some(invoice) = crate::ubl::invoice(document.json).filter(|i| i.is_object()) else {
        return Outcome {
            steps: vec![StepResult {
                step: Step::Structure,
                findings: structure,
            }],
            warnings: Vec::new(),
        };
    };
    let arithmetic = match context.arithmetic {
        ArithmeticMode::Off => Vec::new(),
        ArithmeticMode::Warn | ArithmeticMode::Enforce => arithmetic::check(invoice),
    };
    let mut steps = vec![
        (Step::Structure, structure),
        (
            Step::CoreFields,
            core_fields::check(invoice, document.facts),
        ),
        (
            Step::Duplicate,
            duplicate::check(document.facts, document.received_at, context.others),
        ),
        (
            Step::IssueTime,
            issue_time::check(document.facts, document.received_at, context.now),
        ),
        (Step::Codes, codes::check(invoice, document.facts)),
        (Step::Currency, currency::check(invoice, document.facts)),
        (
            Step::Taxpayer,
            taxpayer::check(invoice, document.facts, context.registry),
        ),
        (
            Step::Signature,
            signature::check(
                document.bytes,
                document.json,
                document.facts,
                context.signature,
            ),
        ),
        (
            Step::References,
            references::check(document.facts, context.others),
        ),
    ];
    let mut warnings = Vec::new();
    if context.arithmetic == ArithmeticMode::Enforce {
        steps.push((Step::Arithmetic, arithmetic));
    } else {
        warnings = arithmetic;
    }
    Outcome {
        steps: steps
            .into_iter()
            .map(|(step, findings)| StepResult { step, findings })
            .collect(),
        warnings,
    }
}

/// Path text for findings: `Invoice.AccountingSupplierParty.Party.Contact.Telephone`.
pub(crate) fn path(elements: &str) -> String {
    format!("Invoice.{}", elements.replace('/', "."))
}

#[cfg(test)]
pub(crate) mod tests {
    use serde_json::Value;

    fn read(dir: &str, name: &str) -> Value {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../lhdn/tests")
            .join(dir)
            .join(name);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        serde_json::from_slice(&bytes).unwrap()
    }

    /// One of our mapper's golden documents (crates/lhdn/tests/golden).
    pub(crate) fn fixture(name: &str) -> Value {
        read("golden", name)
    }

    /// Our golden documents, then LHDN's samples except the outdated consolidated one and
    /// the signature sample (old phone format), by name; the golden invoice first.
    pub(crate) fn fixtures() -> Vec<(String, Value)> {
        let golden = [
            "invoice.json",
            "credit-note.json",
            "invoice-usd.json",
            "consolidated.json",
        ];
        let samples = [
            "1.0-Invoice-Sample.json",
            "1.0-Credit-Note-Sample.json",
            "1.1-Invoice-Sample.json",
            "1.1-Credit-Note-Sample.json",
            "1.1-Debit-Note-Sample.json",
            "1.1-Refund-Note-Sample.json",
            "1.1-Self-Billed-Invoice-Sample.json",
            "1.1-Self-Billed-Credit-Sample.json",
            "1.1-Self-Billed-Debit-Sample.json",
            "1.1-Self-Billed-Refund-Sample.json",
            "1.1-Invoice-ForeignCurrency-Sample.json",
            "1.1-Invoice-MultiLineItem-Sample.json",
        ];
        golden
            .iter()
            .map(|n| ((*n).to_owned(), fixture(n)))
            .chain(
                samples
                    .iter()
                    .map(|n| ((*n).to_owned(), read("samples", n))),
            )
            .collect()
    }

    pub(crate) fn invoice_of(document: &Value) -> &Value {
        &document["Invoice"][0]
    }
}
