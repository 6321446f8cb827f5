//! The sandbox's own routes, for someone running the binary: the clock, faults and what was
//! received (`/_sandbox/...`), and the portal page a share link opens. No token needed:
//! the sandbox listens on 127.0.0.1 only.

use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::TimeDelta;
use serde::Deserialize;
use serde_json::json;

use super::{Shared, query_map, summary};
use crate::errors::ApiError;
use crate::faults::FaultRule;

pub(super) fn router() -> Router<Shared> {
    Router::new()
        .route("/_sandbox/clock", get(clock).post(advance_clock))
        .route(
            "/_sandbox/faults",
            get(list_faults).post(add_fault).delete(clear_faults),
        )
        .route("/_sandbox/documents", get(documents))
        .route("/portal/{uuid}/share/{long_id}", get(share_page))
}

fn clock_json(sandbox: &Shared) -> Response {
    axum::Json(json!({
        "now": summary::timestamp(sandbox.now()),
        "offsetSeconds": sandbox.clock.offset().num_seconds(),
    }))
    .into_response()
}

async fn clock(State(sandbox): State<Shared>) -> Response {
    clock_json(&sandbox)
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Advance {
    advance_seconds: i64,
}

async fn advance_clock(
    State(sandbox): State<Shared>,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let advance: Advance = serde_json::from_slice(&body)
        .map_err(|_| ApiError::bad_argument(r#"expected {"advanceSeconds": N}"#))?;
    TimeDelta::try_seconds(advance.advance_seconds)
        .and_then(|by| sandbox.advance_clock(by))
        .ok_or_else(|| ApiError::bad_argument("the clock may move at most 100 years"))?;
    Ok(clock_json(&sandbox))
}

async fn list_faults(State(sandbox): State<Shared>) -> Response {
    axum::Json(sandbox.faults.list()).into_response()
}

async fn add_fault(
    State(sandbox): State<Shared>,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let rule: FaultRule = serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad_argument(format!("not a fault rule: {e}")))?;
    sandbox.faults.add(rule.clone());
    Ok((StatusCode::CREATED, axum::Json(rule)).into_response())
}

async fn clear_faults(State(sandbox): State<Shared>) -> StatusCode {
    sandbox.faults.clear();
    StatusCode::NO_CONTENT
}

async fn documents(State(sandbox): State<Shared>, request: Request) -> Response {
    let query = query_map(request.uri().query());
    let internal_id = query.get("internalid").map(String::as_str);
    axum::Json(sandbox.received(internal_id)).into_response()
}

/// What the QR code on a printed invoice opens: LHDN's portal shows the validated document.
async fn share_page(
    State(sandbox): State<Shared>,
    Path((uuid, long_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let now = sandbox.now();
    let state = sandbox.state();
    let document = state
        .documents
        .get(&uuid)
        .filter(|d| d.visible_long_id(now) == Some(long_id.as_str()))
        .ok_or_else(ApiError::not_found)?;
    let page = format!(
        "<!DOCTYPE html>\n<html><head><title>MyInvois sandbox</title></head><body>\
         <h1>{} {}</h1><p>Status: {}</p><p>UUID: {}</p></body></html>\n",
        document.facts.type_name(),
        html_escape(&document.facts.internal_id),
        document.status.as_str(),
        document.uuid,
    );
    Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response())
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
