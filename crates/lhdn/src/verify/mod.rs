//! Checks a signed document the way LHDN's signature validator does (LHDN.md §3.3), and
//! names each check by the DS code LHDN would return. Every check is reported, passed or
//! not, so an operator sees the whole picture.

mod chain;
mod checks;

pub use chain::TrustAnchors;

use crate::codes::SignatureCode;

/// What to check beyond the document itself.
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    /// CA certificates to check the signing certificate against (DS329); none: skipped.
    pub trust: TrustAnchors,
    /// The TIN of the submitter (the taxpayer, or the intermediary who signs for it): the
    /// certificate's organizationIdentifier must be it (DS311); `None`: skipped.
    pub submitter_tin: Option<String>,
}

/// How one check went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Passed,
    Failed(String),
    Skipped(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub code: SignatureCode,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub checks: Vec<Check>,
}

impl Report {
    /// No check failed.
    pub fn is_valid(&self) -> bool {
        self.failures().next().is_none()
    }

    pub fn failures(&self) -> impl Iterator<Item = SignatureCode> + '_ {
        self.checks
            .iter()
            .filter(|c| matches!(c.outcome, Outcome::Failed(_)))
            .map(|c| c.code)
    }

    pub fn failed(&self, code: SignatureCode) -> bool {
        self.failures().any(|c| c == code)
    }

    fn record(&mut self, code: SignatureCode, outcome: Outcome) {
        self.checks.push(Check { code, outcome });
    }

    fn pass_if(&mut self, code: SignatureCode, ok: bool, why: impl FnOnce() -> String) {
        let outcome = if ok {
            Outcome::Passed
        } else {
            Outcome::Failed(why())
        };
        self.record(code, outcome);
    }
}

/// Verifies the signed document `bytes` (as submitted: pretty or minified).
pub fn verify(bytes: &[u8], options: &VerifyOptions) -> Report {
    let mut report = Report::default();
    checks::run(bytes, options, &mut report);
    report
}
