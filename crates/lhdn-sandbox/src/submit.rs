//! The synchronous checks of Submit Documents (LHDN.md §1.4): the envelope, the limits, the
//! document hash, the issuer, and (unless configured otherwise) the structure. Pure: the
//! handler in `http::submissions` stores what passes and schedules the validation.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::errors::{ApiError, ErrorDetail};
use crate::ubl::Facts;
use crate::validate::structure;

pub(crate) const MAX_BODY_BYTES: usize = 5 * 1024 * 1024;
pub(crate) const MAX_DOCUMENTS: usize = 100;
pub(crate) const MAX_DOCUMENT_BYTES: usize = 300 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Json,
    Xml,
}

impl Format {
    fn parse(text: &str) -> Option<Self> {
        match text.to_ascii_uppercase().as_str() {
            "JSON" => Some(Self::Json),
            "XML" => Some(Self::Xml),
            _ => None,
        }
    }

    /// The format a `Content-Type` announces.
    pub(crate) fn of_content_type(content_type: &str) -> Option<Self> {
        let media = content_type.split(';').next().unwrap_or_default().trim();
        match media.to_ascii_lowercase().as_str() {
            "application/json" => Some(Self::Json),
            "application/xml" | "text/xml" => Some(Self::Xml),
            _ => None,
        }
    }
}

/// One item of the envelope's `documents`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Item {
    pub(crate) format: Format,
    pub(crate) document: String,
    pub(crate) document_hash: String,
    pub(crate) code_number: String,
}

/// Reads the envelope; whole-request failures are 400s in LHDN's shapes.
pub(crate) fn envelope(
    content_type: Option<&str>,
    body: &[u8],
    correlation_id: &str,
) -> Result<Vec<Item>, ApiError> {
    let invalid = |code, message: &str| ApiError::invalid_submission(code, message, correlation_id);
    let announced = content_type
        .and_then(Format::of_content_type)
        .ok_or_else(|| {
            invalid(
                "BadStructure",
                "Content-Type must be application/json or application/xml",
            )
        })?;
    if body.len() > MAX_BODY_BYTES {
        return Err(maximum_size("The submission exceeds 5 MB"));
    }
    let value: Value = serde_json::from_slice(body)
        .map_err(|_| invalid("ValidationError", "JSON is not valid"))?;
    let documents = value
        .get("documents")
        .and_then(Value::as_array)
        .filter(|d| !d.is_empty())
        .ok_or_else(|| invalid("BadStructure", "Invalid structure"))?;
    if documents.len() > MAX_DOCUMENTS {
        return Err(maximum_size("A submission holds at most 100 documents"));
    }
    let items = documents
        .iter()
        .map(|item| {
            let field = |name: &str| item.get(name).and_then(Value::as_str).map(str::to_owned);
            Some(Item {
                format: Format::parse(&field("format")?)?,
                document: field("document")?,
                document_hash: field("documentHash")?,
                code_number: field("codeNumber")?,
            })
        })
        .collect::<Option<Vec<Item>>>()
        .ok_or_else(|| invalid("BadStructure", "Invalid structure"))?;
    if items.iter().any(|item| item.format != announced) {
        return Err(invalid(
            "BadStructure",
            "All documents must have the format of the Content-Type",
        ));
    }
    Ok(items)
}

pub(crate) fn maximum_size(message: &str) -> ApiError {
    ApiError::request(
        axum::http::StatusCode::BAD_REQUEST,
        "MaximumSizeExceeded",
        message,
    )
}

/// A document that passed the synchronous checks.
#[derive(Debug, Clone)]
pub(crate) struct Accepted {
    pub(crate) code_number: String,
    pub(crate) raw: String,
    pub(crate) facts: Facts,
}

/// Checks one document; a refusal is its `rejectedDocuments[].error`.
pub(crate) fn document(item: &Item, reject_structure: bool) -> Result<Accepted, ErrorDetail> {
    let reject = |code: &str, message: &str, details: Option<Vec<ErrorDetail>>| ErrorDetail {
        code: Some(code.to_owned()),
        message: message.to_owned(),
        target: Some(item.code_number.clone()),
        property_path: None,
        details,
    };
    if item.format == Format::Xml {
        return Err(reject(
            "BadStructure",
            "The sandbox validates JSON documents only",
            None,
        ));
    }
    let bytes = STANDARD
        .decode(item.document.as_bytes())
        .map_err(|_| reject("BadStructure", "The document is not valid base64", None))?;
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(reject(
            "MaximumSizeExceeded",
            "A document may have at most 300 KB",
            None,
        ));
    }
    let hash = hex::encode(Sha256::digest(&bytes));
    if !hash.eq_ignore_ascii_case(item.document_hash.trim()) {
        return Err(reject(
            "InvalidDocumentHash",
            "documentHash is not the SHA-256 (hex) of the document",
            None,
        ));
    }
    let raw = String::from_utf8(bytes)
        .map_err(|_| reject("ValidationError", "The document is not UTF-8", None))?;
    let json: Value = serde_json::from_str(&raw)
        .map_err(|_| reject("ValidationError", "JSON is not valid", None))?;
    if reject_structure {
        let findings = structure::check(raw.as_bytes(), &json);
        if !findings.is_empty() {
            let details = findings
                .into_iter()
                .map(|finding| ErrorDetail {
                    code: None,
                    message: finding.message,
                    target: Some(item.code_number.clone()),
                    property_path: finding.property_path,
                    details: None,
                })
                .collect();
            return Err(reject("ValidationError", "Validation Error", Some(details)));
        }
    }
    Ok(Accepted {
        code_number: item.code_number.clone(),
        facts: Facts::read(&json),
        raw,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(items: &str) -> Vec<u8> {
        format!(r#"{{"documents":[{items}]}}"#).into_bytes()
    }

    fn item(document: &[u8]) -> String {
        format!(
            r#"{{"format":"JSON","document":"{}","documentHash":"{}","codeNumber":"INV-1"}}"#,
            STANDARD.encode(document),
            hex::encode(Sha256::digest(document))
        )
    }

    fn code(error: ApiError) -> &'static str {
        match error {
            ApiError::Request { code, .. } => code,
            _ => "other",
        }
    }

    #[test]
    fn the_envelope_is_checked() {
        let json = Some("application/json");
        let ok = body(&item(b"{}"));
        assert_eq!(envelope(json, &ok, "c").unwrap().len(), 1);
        assert_eq!(code(envelope(None, &ok, "c").unwrap_err()), "BadStructure");
        assert_eq!(
            code(envelope(Some("application/xml"), &ok, "c").unwrap_err()),
            "BadStructure"
        );
        assert_eq!(
            code(envelope(json, b"{", "c").unwrap_err()),
            "ValidationError"
        );
        assert_eq!(
            code(envelope(json, &body(""), "c").unwrap_err()),
            "BadStructure"
        );
        assert_eq!(
            code(envelope(json, br#"{"documents":[{"format":"JSON"}]}"#, "c").unwrap_err()),
            "BadStructure"
        );
        let many = vec![item(b"{}"); 101].join(",");
        assert_eq!(
            code(envelope(json, &body(&many), "c").unwrap_err()),
            "MaximumSizeExceeded"
        );
    }

    #[test]
    fn a_wrong_hash_or_size_rejects_the_document() {
        let mut wrong = envelope(Some("application/json"), &body(&item(b"{}")), "c").unwrap();
        wrong[0].document_hash = "00".repeat(32);
        assert_eq!(
            document(&wrong[0], true).unwrap_err().code.as_deref(),
            Some("InvalidDocumentHash")
        );
        let big = vec![b' '; MAX_DOCUMENT_BYTES + 1];
        let items = envelope(Some("application/json"), &body(&item(&big)), "c").unwrap();
        assert_eq!(
            document(&items[0], true).unwrap_err().code.as_deref(),
            Some("MaximumSizeExceeded")
        );
    }
}
