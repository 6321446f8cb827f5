//! `PUT /api/v1.0/documents/state/{uuid}/state`: cancel (issuer) or reject (receiver).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::{CallerExt, Shared};
use crate::errors::ApiError;
use crate::lifecycle::{self, Request};
use crate::state::Status;
use crate::store::Write;

pub(super) async fn change_state(
    State(sandbox): State<Shared>,
    caller: CallerExt,
    Path(uuid): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    // A PUT without the JSON content type fails at LHDN too (LHDN.md Pitfall 20).
    let json_body = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !json_body {
        return Err(ApiError::request(
            axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UnsupportedMediaType",
            "Content-Type must be application/json",
        ));
    }
    let body: Value = serde_json::from_slice(&body)
        .map_err(|_| ApiError::bad_argument("The body is not valid JSON"))?;
    let request = body
        .get("status")
        .and_then(Value::as_str)
        .and_then(Request::parse)
        .ok_or_else(|| ApiError::bad_argument("status must be cancelled or rejected"))?;
    let reason = body
        .get("reason")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let now = sandbox.now();
    let mut state = sandbox.state();
    let referenced = state
        .documents
        .values()
        .any(|other| other.status == Status::Valid && other.facts.references.contains(&uuid));
    let document = state
        .documents
        .get_mut(&uuid)
        .ok_or_else(ApiError::not_found)?;
    lifecycle::decide(document, &caller, request, reason, referenced, now)?;
    lifecycle::apply(document, request, reason, now);
    let write = Write::document(document);
    let status = match request {
        Request::Cancel => "Cancelled",
        Request::Reject => "Requested for Rejection",
    };
    drop(state);
    sandbox.persist([write]);
    tracing::info!(uuid, status, "document state changed");
    Ok(axum::Json(json!({"uuid": uuid, "status": status})).into_response())
}
