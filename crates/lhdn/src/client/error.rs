//! What can go wrong talking to MyInvois, and LHDN's own error bodies parsed into one shape.
//!
//! LHDN answers in three shapes (LHDN.md, Pitfalls 16): OAuth's `{error, error_description}`
//! from the token endpoint, `{code, message, target, details[]}` for a rejected submission,
//! and `{errorCode, error, errorMs, propertyPath, innerError[]}` for validation results. Casing
//! varies (`errorMS` / `errorMs`). [`LhdnError::from_json`] reads any of them.

use std::time::Duration;

use serde_json::Value;

/// One error as LHDN reported it, whatever shape it came in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LhdnError {
    /// `BadStructure`, `DuplicateSubmission`, `CF321`, `DS320`, `invalid_client`...
    pub code: Option<String>,
    pub message: String,
    pub target: Option<String>,
    pub property_path: Option<String>,
    pub details: Vec<LhdnError>,
}

impl LhdnError {
    /// Reads an error body, or the `error` object inside one. Unknown shapes keep their text
    /// as the message, so nothing LHDN said is lost.
    pub fn from_json(value: &Value) -> Self {
        match value {
            Value::Object(map) => {
                // `{"error": {...}}`: the documented wrapper (a validation result adds a
                // `status` beside it).
                if let Some(inner @ Value::Object(_)) = map.get("error") {
                    return Self::from_json(inner);
                }
                let text = |keys: &[&str]| {
                    keys.iter()
                        .find_map(|key| map.get(*key).and_then(Value::as_str))
                        .map(str::to_owned)
                };
                let code = text(&["code", "errorCode", "error"]).filter(|c| !c.is_empty());
                let message = text(&[
                    "message",
                    "error_description",
                    "error",
                    "errorMs",
                    "errorMS",
                ])
                .filter(|m| !m.is_empty())
                .or_else(|| code.clone())
                .unwrap_or_else(|| value.to_string());
                let details = ["details", "innerError"]
                    .iter()
                    .filter_map(|key| map.get(*key).and_then(Value::as_array))
                    .flatten()
                    .map(Self::from_json)
                    .collect();
                Self {
                    // `errorCode` beats the validator's title in `error`.
                    code: text(&["errorCode", "code"]).or(code),
                    message,
                    target: text(&["target", "propertyName"]),
                    property_path: text(&["propertyPath"]),
                    details,
                }
            }
            Value::String(text) => Self {
                message: text.clone(),
                ..Self::default()
            },
            other => Self {
                message: other.to_string(),
                ..Self::default()
            },
        }
    }

    /// This error and every nested detail, depth first: what a clerk needs to fix.
    pub fn flatten(&self) -> Vec<&LhdnError> {
        let mut all = vec![self];
        for detail in &self.details {
            all.extend(detail.flatten());
        }
        all
    }
}

impl std::fmt::Display for LhdnError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.code {
            Some(code) => write!(f, "{code}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// A failed call to MyInvois. Every variant that came with an answer carries LHDN's
/// `correlationId`, which LHDN support asks for.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The request may or may not have reached LHDN (connection refused, reset, timeout).
    #[error("MyInvois could not be reached: {0}")]
    Transport(#[source] reqwest::Error),
    #[error("MyInvois refused the login ({status}): {error}")]
    Login { status: u16, error: Box<LhdnError> },
    /// 422: the same submission body was sent in the last 10 minutes.
    #[error("MyInvois already has this exact submission (correlation {correlation_id:?})")]
    DuplicateSubmission {
        retry_after: Option<Duration>,
        correlation_id: Option<String>,
    },
    /// Still rate-limited after waiting out `Retry-After` as often as the client will.
    #[error("MyInvois is rate-limiting us: retry after {retry_after:?}")]
    RateLimited { retry_after: Duration },
    /// A 4xx other than the above: the request is wrong and resending it will not help.
    #[error("MyInvois refused the request ({status}, correlation {correlation_id:?}): {error}")]
    Refused {
        status: u16,
        error: Box<LhdnError>,
        correlation_id: Option<String>,
    },
    #[error("MyInvois found nothing there (404, correlation {correlation_id:?})")]
    NotFound { correlation_id: Option<String> },
    /// 5xx, or an HTML page where JSON was expected: LHDN's side; try again later.
    #[error("MyInvois failed ({status}, correlation {correlation_id:?}): {excerpt}")]
    Unavailable {
        status: u16,
        excerpt: String,
        correlation_id: Option<String>,
    },
    #[error("MyInvois answered something unexpected ({status}): {reason}")]
    UnexpectedAnswer { status: u16, reason: String },
    #[error("the MyInvois client is misconfigured: {0}")]
    Config(String),
}

impl ClientError {
    /// Whether trying again later may succeed; a refusal will not.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Self::Transport(_) | Self::RateLimited { .. } | Self::Unavailable { .. }
        )
    }

    /// Whether LHDN may have received and kept the request although no answer says so: after
    /// a submission ends this way, the document is reconciled before any resend.
    pub fn may_have_arrived(&self) -> bool {
        matches!(
            self,
            Self::Transport(_) | Self::Unavailable { .. } | Self::UnexpectedAnswer { .. }
        )
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use serde_json::json;

    use super::*;

    #[test]
    fn reads_the_oauth_shape() {
        let error = LhdnError::from_json(&json!({
            "error": "invalid_client", "error_description": "Client authentication failed"
        }));
        assert_eq!(error.code.as_deref(), Some("invalid_client"));
        assert_eq!(error.message, "Client authentication failed");
    }

    #[test]
    fn reads_the_submission_shape_with_details() {
        let error = LhdnError::from_json(&json!({"error": {
            "code": "ValidationError", "message": "Invalid structure", "target": "submission",
            "details": [{"code": "submission", "target": "submission", "message": "Invalid structured submission."}]
        }}));
        assert_eq!(error.code.as_deref(), Some("ValidationError"));
        assert_eq!(error.message, "Invalid structure");
        assert_eq!(error.details.len(), 1);
        assert_eq!(error.flatten().len(), 2);
    }

    #[test]
    fn reads_the_validation_shape_whatever_the_casing() {
        let error = LhdnError::from_json(&json!({
            "propertyName": null, "propertyPath": null, "errorCode": "Error21",
            "error": "Document Signature Validator", "errorMS": "Document Signature Validator",
            "innerError": [{"propertyName": "DigestValue", "propertyPath": "Invoice.UBLExtensions",
                "errorCode": "DS320", "error": "Signed properties digest value doesn't match", "innerError": null}]
        }));
        assert_eq!(error.code.as_deref(), Some("Error21"));
        assert_eq!(error.message, "Document Signature Validator");
        let inner = &error.details[0];
        assert_eq!(inner.code.as_deref(), Some("DS320"));
        assert_eq!(
            inner.property_path.as_deref(),
            Some("Invoice.UBLExtensions")
        );
        assert_eq!(inner.target.as_deref(), Some("DigestValue"));
    }

    #[test]
    fn keeps_an_unknown_shape_as_text() {
        let error = LhdnError::from_json(&json!([1, 2]));
        assert_eq!(error.message, "[1,2]");
    }
}
