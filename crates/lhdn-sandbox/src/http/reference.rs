//! Document types and notifications: static answers (LHDN.md §1.9, §1.10).

use axum::extract::{Path, Request};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::query_map;
use super::submissions::paging;
use crate::errors::ApiError;
use crate::validate::codes::VERSIONS;

const ACTIVE_FROM: &str = "2024-01-01T00:00:00Z";
const TYPES: [(u32, &str); 8] = [
    (1, "Invoice"),
    (2, "Credit Note"),
    (3, "Debit Note"),
    (4, "Refund Note"),
    (11, "Self-billed Invoice"),
    (12, "Self-billed Credit Note"),
    (13, "Self-billed Debit Note"),
    (14, "Self-billed Refund Note"),
];

fn versions(type_id: u32) -> Vec<Value> {
    VERSIONS
        .iter()
        .enumerate()
        .map(|(index, name)| {
            json!({
                "id": type_id * 10 + u32::try_from(index).unwrap_or(0),
                "name": name,
                "description": format!("Version {name}"),
                "activeFrom": ACTIVE_FROM,
                "activeTo": null,
                "versionNumber": name.parse::<f64>().unwrap_or(1.0),
                "status": "published",
            })
        })
        .collect()
}

fn document_type_json(index: usize, code: u32, description: &str) -> Value {
    json!({
        "id": index + 1,
        "invoiceTypeCode": code,
        "description": description,
        "activeFrom": ACTIVE_FROM,
        "activeTo": null,
        "documentTypeVersions": versions(code),
    })
}

pub(super) async fn document_types() -> Response {
    let result: Vec<Value> = TYPES
        .iter()
        .enumerate()
        .map(|(index, (code, description))| document_type_json(index, *code, description))
        .collect();
    axum::Json(json!({"result": result})).into_response()
}

fn find(id: &str) -> Result<(usize, u32, &'static str), ApiError> {
    let id: usize = id.parse().map_err(|_| ApiError::not_found())?;
    TYPES
        .get(id.wrapping_sub(1))
        .map(|(code, description)| (id - 1, *code, *description))
        .ok_or_else(ApiError::not_found)
}

/// One type with its `workflowParameters`: 72 hours to submit, cancel and reject.
pub(super) async fn document_type(Path(id): Path<String>) -> Result<Response, ApiError> {
    let (index, code, description) = find(&id)?;
    let mut body = document_type_json(index, code, description);
    body["workflowParameters"] = json!([
        {"id": 1, "parameter": "submissionDuration", "value": 72, "activeFrom": ACTIVE_FROM, "activeTo": null},
        {"id": 2, "parameter": "cancellationDuration", "value": 72, "activeFrom": ACTIVE_FROM, "activeTo": null},
        {"id": 3, "parameter": "rejectionDuration", "value": 72, "activeFrom": ACTIVE_FROM, "activeTo": null},
    ]);
    Ok(axum::Json(body).into_response())
}

pub(super) async fn document_type_version(
    Path((id, version)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let (_, code, description) = find(&id)?;
    let found = versions(code)
        .into_iter()
        .find(|v| v["id"].as_u64().is_some() && v["id"].as_u64() == version.parse().ok())
        .ok_or_else(ApiError::not_found)?;
    let mut body = found;
    body["invoiceTypeCode"] = json!(code);
    body["description"] = json!(format!(
        "{description} {}",
        body["name"].as_str().unwrap_or_default()
    ));
    Ok(axum::Json(body).into_response())
}

/// The sandbox sends no notifications: always an empty page.
pub(super) async fn notifications(request: Request) -> Result<Response, ApiError> {
    let query = query_map(request.uri().query());
    paging(&query, 100)?;
    Ok(axum::Json(json!({"result": [], "metadata": {"hasNext": false}})).into_response())
}
