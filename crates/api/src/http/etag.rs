//! A resource read as JSON with its version in `ETag`, for `If-Match` on the next command.

use axum::{
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use serde::Serialize;

use crate::error::{ApiError, Result};

/// `body` as JSON, with `ETag: "<version>"`.
pub(crate) fn versioned(body: impl Serialize, version: u64) -> Result<Response> {
    let etag = HeaderValue::from_str(&format!("\"{version}\"")).map_err(ApiError::internal)?;
    let mut response = axum::Json(body).into_response();
    response.headers_mut().insert(header::ETAG, etag);
    Ok(response)
}
