//! `GET /documents/{id}`: a stored document's bytes (a signature image now, PDFs later),
//! checked against their recorded SHA-256 on the way out.

use axum::{
    extract::State,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use niaga_documents::{DocumentError, DocumentKey};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    app::AppState,
    auth::{ANY_STAFF, CurrentUser},
    error::{ApiError, Problem, Result},
    extract::Path,
};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_document))
}

/// A stored document, in its media type (`image/png` for a signature). `ETag` is its
/// SHA-256; `X-Retention-Until` the day it must be kept until.
#[utoipa::path(
    get,
    path = "/documents/{id}",
    tag = "documents",
    params(("id" = Uuid, Path, description = "The document, as a delivery order's signature names it")),
    responses(
        (status = OK, description = "The document's bytes, in its media type",
            headers(("etag" = String, description = "The SHA-256 of the bytes"))),
        (status = NOT_FOUND, description = "No such document", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn get_document(
    user: CurrentUser,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<Response> {
    user.require(ANY_STAFF)?;
    let (stored, bytes) = match state.documents().get(DocumentKey::from_uuid(id)).await {
        Ok(found) => found,
        Err(DocumentError::NotFound(_)) => return Err(ApiError::NotFound("document".into())),
        // A tampered object is never served as the document: a fault to look into.
        Err(other) => return Err(ApiError::internal(other)),
    };
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    let header_value = |text: &str| HeaderValue::from_str(text).map_err(ApiError::internal);
    headers.insert(header::CONTENT_TYPE, header_value(&stored.media_type)?);
    headers.insert(
        header::ETAG,
        header_value(&format!("\"{}\"", stored.sha256))?,
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        "x-retention-until",
        header_value(&stored.retention_until.to_string())?,
    );
    Ok(response)
}
