//! Validate Taxpayer's TIN, Search Taxpayer's TIN and QR code info (LHDN.md §1.8).

use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::{Shared, query_map};
use crate::config::IdType;
use crate::errors::ApiError;
use crate::registry::is_tin;

/// 200 with an empty body if the TIN and id belong together, 404 if not, 400 if malformed.
pub(super) async fn validate(
    State(sandbox): State<Shared>,
    Path(tin): Path<String>,
    request: Request,
) -> Result<Response, ApiError> {
    let query = query_map(request.uri().query());
    let id_type = query
        .get("idtype")
        .and_then(|t| IdType::parse(t))
        .ok_or_else(|| ApiError::bad_argument("idType is NRIC, PASSPORT, BRN or ARMY"))?;
    let id_value = query
        .get("idvalue")
        .filter(|v| !v.is_empty())
        .ok_or_else(|| ApiError::bad_argument("idValue is required"))?;
    if !is_tin(&tin) {
        return Err(ApiError::bad_argument("The TIN is malformed"));
    }
    match sandbox.registry.get(&tin) {
        Some(t) if t.id_type == id_type && &t.id_value == id_value => {
            Ok(StatusCode::OK.into_response())
        }
        _ => Err(ApiError::not_found()),
    }
}

/// Exactly one match by name, or by id type and value (and file type); 400 if ambiguous.
pub(super) async fn search(
    State(sandbox): State<Shared>,
    request: Request,
) -> Result<Response, ApiError> {
    let query = query_map(request.uri().query());
    let name = query.get("taxpayername").filter(|n| !n.is_empty());
    let id = match (query.get("idtype"), query.get("idvalue")) {
        (Some(t), Some(v)) => Some((
            IdType::parse(t).ok_or_else(|| ApiError::bad_argument("unknown idType"))?,
            v.clone(),
        )),
        (None, None) => None,
        _ => return Err(ApiError::bad_argument("idType and idValue go together")),
    };
    if name.is_none() && id.is_none() {
        return Err(ApiError::bad_argument(
            "taxpayerName, or idType and idValue, are required",
        ));
    }
    // fileType 1: individuals (IG TINs), 2: others.
    let individual = match query.get("filetype").map(String::as_str) {
        None => None,
        Some("1") => Some(true),
        Some("2") => Some(false),
        Some(_) => return Err(ApiError::bad_argument("fileType is 1 or 2")),
    };
    let found: Vec<&str> = sandbox
        .registry
        .all()
        .filter(|t| name.is_none_or(|n| t.name.eq_ignore_ascii_case(n)))
        .filter(|t| {
            id.as_ref()
                .is_none_or(|(id_type, value)| t.id_type == *id_type && &t.id_value == value)
        })
        .filter(|t| individual.is_none_or(|i| t.tin.starts_with("IG") == i))
        .map(|t| t.tin.as_str())
        .collect();
    match found.as_slice() {
        [tin] => Ok(axum::Json(json!({"tin": tin})).into_response()),
        [] => Err(ApiError::not_found()),
        _ => Err(ApiError::bad_argument("More than one taxpayer matches")),
    }
}

/// The sandbox knows no MyTax QR codes.
pub(super) async fn qr_code_info(Path(_text): Path<String>) -> ApiError {
    ApiError::not_found()
}
