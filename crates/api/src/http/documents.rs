//! `GET /documents/{id}`: a stored document's bytes (an issued PDF, a signature image),
//! checked against their recorded SHA-256 on the way out; and the links to a record's PDFs
//! that the invoice, quotation, delivery order and rental views carry.

use axum::{
    extract::State,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use niaga_documents::{DocumentError, DocumentKey};
use niaga_domain::PdfIssued;
use serde::Serialize;
use utoipa::ToSchema;
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

/// A PDF issued of a document, as its record recorded it: fetch it at `href`.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentLink {
    /// `invoice`, `credit_note`, `debit_note`, `refund_note`, `quotation`,
    /// `signed_delivery_order` or `rental_return_receipt`.
    #[schema(example = "invoice")]
    pub kind: &'static str,
    /// The invoice, note, quotation, delivery order or rental it renders.
    pub document_id: String,
    /// The version of the record it renders: a later version (LHDN's validation, a new
    /// revision) has a PDF of its own.
    pub version: u64,
    /// The SHA-256 of the PDF's bytes, as recorded in the record's history.
    pub sha256: String,
    pub size_bytes: u64,
    #[schema(example = "/documents/0193a6f1-…")]
    pub href: String,
}

/// The links to the PDFs issued of a record, oldest first.
pub(crate) fn document_links(pdfs: &[PdfIssued]) -> Vec<DocumentLink> {
    pdfs.iter()
        .map(|p| DocumentLink {
            kind: p.kind.name(),
            document_id: p.document_id.to_string(),
            version: p.version,
            sha256: p.sha256.as_str().to_owned(),
            size_bytes: p.size_bytes,
            href: format!("/documents/{}", p.document_key),
        })
        .collect()
}

/// A stored document, in its media type (`application/pdf` for an issued document,
/// `image/png` for a signature). `ETag` is its SHA-256; `X-Retention-Until` the day it must
/// be kept until.
#[utoipa::path(
    get,
    path = "/documents/{id}",
    tag = "documents",
    params(("id" = Uuid, Path, description = "The document, as a record's `documents[].href` or a delivery order's signature names it")),
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
