//! MyInvois's answers, read defensively: field names as LHDN sends them (with the casing
//! variants seen in the wild), statuses case- and space-insensitive, unknown fields ignored.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::error::LhdnError;

/// The answer to a submission (HTTP 202).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubmissionAnswer {
    /// `None` when every document was rejected.
    #[serde(alias = "submissionUID")]
    pub submission_uid: Option<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub accepted_documents: Vec<AcceptedDocument>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub rejected_documents: Vec<RejectedDocument>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AcceptedDocument {
    pub uuid: String,
    pub invoice_code_number: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RejectedDocument {
    pub invoice_code_number: String,
    #[serde(deserialize_with = "lhdn_error")]
    pub error: LhdnError,
}

/// Where a submission stands (Get Submission).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Submission {
    #[serde(alias = "submissionUID")]
    pub submission_uid: String,
    #[serde(default)]
    pub document_count: u32,
    pub overall_status: SubmissionStatus,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub document_summary: Vec<DocumentSummary>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubmissionStatus {
    InProgress,
    Valid,
    PartiallyValid,
    Invalid,
}

impl<'de> Deserialize<'de> for SubmissionStatus {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        match squeeze(&text).as_str() {
            "inprogress" => Ok(Self::InProgress),
            "valid" => Ok(Self::Valid),
            "partiallyvalid" => Ok(Self::PartiallyValid),
            "invalid" => Ok(Self::Invalid),
            _ => Err(serde::de::Error::custom(format!(
                "unknown submission status {text:?}"
            ))),
        }
    }
}

/// A document's status at LHDN (LHDN.md §1.11).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentStatus {
    Submitted,
    Valid,
    Invalid,
    Cancelled,
}

impl<'de> Deserialize<'de> for DocumentStatus {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        match squeeze(&text).as_str() {
            "submitted" | "1" => Ok(Self::Submitted),
            "valid" | "2" => Ok(Self::Valid),
            "invalid" | "3" => Ok(Self::Invalid),
            "cancelled" | "canceled" | "4" => Ok(Self::Cancelled),
            _ => Err(serde::de::Error::custom(format!(
                "unknown document status {text:?}"
            ))),
        }
    }
}

/// One document of a submission, or of a search.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentSummary {
    pub uuid: String,
    #[serde(default, alias = "submissionUID")]
    pub submission_uid: Option<String>,
    /// Present once the document is valid (sometimes a little later).
    #[serde(default, deserialize_with = "blank_as_none")]
    pub long_id: Option<String>,
    /// Our document number (`codeNumber`).
    #[serde(default)]
    pub internal_id: Option<String>,
    pub status: DocumentStatus,
    #[serde(default, deserialize_with = "lhdn_time")]
    pub date_time_issued: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "lhdn_time")]
    pub date_time_received: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "lhdn_time")]
    pub date_time_validated: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "lhdn_time")]
    pub cancel_date_time: Option<DateTime<Utc>>,
    #[serde(default)]
    pub document_status_reason: Option<String>,
}

/// Get Document Details: the summary and the validation steps.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentDetails {
    #[serde(flatten)]
    pub summary: DocumentSummary,
    #[serde(default)]
    pub validation_results: Option<ValidationResults>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidationResults {
    #[serde(default, deserialize_with = "null_as_empty")]
    pub validation_steps: Vec<ValidationStep>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidationStep {
    pub name: String,
    pub status: String,
    #[serde(default, deserialize_with = "optional_lhdn_error")]
    pub error: Option<LhdnError>,
}

impl DocumentDetails {
    /// The errors of the steps that failed, each with its nested details.
    pub fn errors(&self) -> Vec<LhdnError> {
        self.validation_results
            .iter()
            .flat_map(|results| &results.validation_steps)
            .filter(|step| squeeze(&step.status) == "invalid")
            .map(|step| {
                step.error.clone().unwrap_or_else(|| LhdnError {
                    message: step.name.clone(),
                    ..LhdnError::default()
                })
            })
            .collect()
    }
}

/// A page of Search Documents / Get Recent Documents.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentPage {
    #[serde(default, deserialize_with = "null_as_empty")]
    pub result: Vec<DocumentSummary>,
}

fn squeeze(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

fn null_as_empty<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default())
}

fn blank_as_none<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<String>::deserialize(deserializer)?.filter(|text| !text.trim().is_empty()))
}

fn lhdn_error<'de, D: Deserializer<'de>>(deserializer: D) -> Result<LhdnError, D::Error> {
    Ok(LhdnError::from_json(&Value::deserialize(deserializer)?))
}

fn optional_lhdn_error<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<LhdnError>, D::Error> {
    Ok(Option::<Value>::deserialize(deserializer)?
        .filter(|value| !value.is_null())
        .map(|value| LhdnError::from_json(&value)))
}

/// LHDN's timestamps: RFC 3339, sometimes without the zone (UTC is meant).
fn lhdn_time<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<DateTime<Utc>>, D::Error> {
    let Some(text) = Option::<String>::deserialize(deserializer)? else {
        return Ok(None);
    };
    if text.trim().is_empty() {
        return Ok(None);
    }
    if let Ok(at) = DateTime::parse_from_rfc3339(&text) {
        return Ok(Some(at.with_timezone(&Utc)));
    }
    NaiveDateTime::parse_from_str(&text, "%Y-%m-%dT%H:%M:%S%.f")
        .map(|at| Some(at.and_utc()))
        .map_err(|_| serde::de::Error::custom(format!("not a time: {text:?}")))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use serde_json::json;

    use super::*;

    #[test]
    fn reads_a_submission_answer_as_observed() {
        let answer: SubmissionAnswer = serde_json::from_value(json!({
            "submissionUid": "E3BNZRC5GBKWJ19H91XBJZYJ10",
            "acceptedDocuments": [{"uuid": "NYEA8PYC59ED2WJB91XBJZYJ10", "invoiceCodeNumber": "Inv-6862160103749"}],
            "rejectedDocuments": []
        }))
        .unwrap();
        assert_eq!(
            answer.accepted_documents[0].uuid,
            "NYEA8PYC59ED2WJB91XBJZYJ10"
        );
        let all_rejected: SubmissionAnswer = serde_json::from_value(json!({
            "submissionUID": null, "acceptedDocuments": null,
            "rejectedDocuments": [{"invoiceCodeNumber": "INV1", "error": {"code": "3", "message": "Validation Error",
                "details": [{"code": null, "message": "ArrayItemNotValid", "target": "[0]", "propertyPath": "#/Invoice[0]"}]}}]
        }))
        .unwrap();
        assert!(all_rejected.submission_uid.is_none());
        assert_eq!(
            all_rejected.rejected_documents[0].error.details[0].message,
            "ArrayItemNotValid"
        );
    }

    #[test]
    fn reads_statuses_whatever_their_spelling() {
        for (text, status) in [
            ("InProgress", SubmissionStatus::InProgress),
            ("in progress", SubmissionStatus::InProgress),
            ("partially valid", SubmissionStatus::PartiallyValid),
            ("Valid", SubmissionStatus::Valid),
        ] {
            let read: SubmissionStatus = serde_json::from_value(json!(text)).unwrap();
            assert_eq!(read, status);
        }
    }

    #[test]
    fn reads_a_summary_with_a_blank_long_id_and_a_zoneless_time() {
        let summary: DocumentSummary = serde_json::from_value(json!({
            "uuid": "U", "longId": "", "status": "Submitted",
            "dateTimeReceived": "2026-06-01T02:00:05.123", "dateTimeValidated": null
        }))
        .unwrap();
        assert!(summary.long_id.is_none());
        assert_eq!(
            summary.date_time_received.unwrap().to_rfc3339(),
            "2026-06-01T02:00:05.123+00:00"
        );
    }
}
