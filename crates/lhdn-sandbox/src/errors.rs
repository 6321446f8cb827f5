//! The error responses of the HTTP layer, in LHDN's shapes (LHDN.md §1.2, §1.4, §1.12):
//! OAuth errors `{error, error_description}` from the token endpoint, and everywhere else
//! `{"error": {code, message, target, details}}` as LHDN's API answers in practice.
//! Validation results have a third shape, rendered in `validate::report`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::json;

#[derive(Debug, thiserror::Error)]
pub(crate) enum ApiError {
    /// RFC 6749 §5.2 error of the token endpoint.
    #[error("OAuth {error}")]
    OAuth {
        status: StatusCode,
        error: &'static str,
        description: &'static str,
    },
    /// A 400 without a body: what the token endpoint answers to HTTP Basic credentials.
    #[error("bare 400")]
    BareBadRequest,
    #[error("unauthorized")]
    Unauthorized,
    #[error("{code}: {message}")]
    Request {
        status: StatusCode,
        code: &'static str,
        message: String,
        target: Option<String>,
        details: Option<Vec<ErrorDetail>>,
    },
    #[error("too many requests")]
    TooManyRequests { retry_after_seconds: u64 },
    #[error("duplicate submission")]
    DuplicateSubmission { retry_after_seconds: u64 },
    /// The HTML maintenance page LHDN answers with 403 (a fault the sandbox injects).
    #[error("maintenance")]
    Maintenance,
    #[error("injected {0}")]
    Injected(StatusCode),
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct ErrorDetail {
    pub(crate) code: Option<String>,
    pub(crate) message: String,
    pub(crate) target: Option<String>,
    #[serde(rename = "propertyPath")]
    pub(crate) property_path: Option<String>,
    pub(crate) details: Option<Vec<ErrorDetail>>,
}

impl ApiError {
    pub(crate) fn bad_argument(message: impl Into<String>) -> Self {
        Self::request(StatusCode::BAD_REQUEST, "BadArgument", message)
    }

    pub(crate) fn not_found() -> Self {
        Self::request(StatusCode::NOT_FOUND, "NotFound", "Not found")
    }

    pub(crate) fn forbidden(message: impl Into<String>) -> Self {
        Self::request(StatusCode::FORBIDDEN, "Forbidden", message)
    }

    pub(crate) fn request(
        status: StatusCode,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Self::Request {
            status,
            code,
            message: message.into(),
            target: None,
            details: None,
        }
    }

    /// A malformed submission envelope, in the shape observed from LHDN (klsheng #38).
    pub(crate) fn invalid_submission(
        code: &'static str,
        message: &str,
        correlation_id: &str,
    ) -> Self {
        Self::Request {
            status: StatusCode::BAD_REQUEST,
            code,
            message: message.to_owned(),
            target: Some("submission".to_owned()),
            details: Some(vec![ErrorDetail {
                code: Some("submission".to_owned()),
                message: format!(
                    "Invalid structured submission. For more details contact the System Admin \
                     using Correlation Id: {correlation_id}"
                ),
                target: Some("submission".to_owned()),
                property_path: None,
                details: None,
            }]),
        }
    }
}

fn error_body(
    code: &str,
    message: &str,
    target: Option<&str>,
    details: Option<&[ErrorDetail]>,
) -> serde_json::Value {
    json!({"error": {"code": code, "message": message, "target": target, "details": details}})
}

fn with_retry_after(mut response: Response, seconds: u64) -> Response {
    if let Ok(value) = HeaderValue::from_str(&seconds.max(1).to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

const MAINTENANCE_PAGE: &str = "<!DOCTYPE html>\n<html><head><title>Maintenance</title></head>\
<body><h1>403 - Forbidden</h1><p>The MyInvois system is under maintenance. \
Please try again later.</p></body></html>\n";

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            Self::OAuth {
                status,
                error,
                description,
            } => (
                status,
                axum::Json(json!({"error": error, "error_description": description})),
            )
                .into_response(),
            Self::BareBadRequest => StatusCode::BAD_REQUEST.into_response(),
            Self::Unauthorized => {
                let mut response = (
                    StatusCode::UNAUTHORIZED,
                    axum::Json(error_body("Unauthorized", "Unauthorized", None, None)),
                )
                    .into_response();
                response
                    .headers_mut()
                    .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
                response
            }
            Self::Request {
                status,
                code,
                message,
                target,
                details,
            } => (
                status,
                axum::Json(error_body(
                    code,
                    &message,
                    target.as_deref(),
                    details.as_deref(),
                )),
            )
                .into_response(),
            Self::TooManyRequests {
                retry_after_seconds,
            } => with_retry_after(
                (
                    StatusCode::TOO_MANY_REQUESTS,
                    axum::Json(error_body(
                        "TooManyRequests",
                        "Too many requests, retry after the time given in Retry-After",
                        None,
                        None,
                    )),
                )
                    .into_response(),
                retry_after_seconds,
            ),
            Self::DuplicateSubmission {
                retry_after_seconds,
            } => with_retry_after(
                (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    axum::Json(error_body(
                        "DuplicateSubmission",
                        "An identical submission was received within the last 10 minutes",
                        Some("submission"),
                        None,
                    )),
                )
                    .into_response(),
                retry_after_seconds,
            ),
            Self::Maintenance => (
                StatusCode::FORBIDDEN,
                [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                MAINTENANCE_PAGE,
            )
                .into_response(),
            Self::Injected(status) => {
                let code = if status == StatusCode::SERVICE_UNAVAILABLE {
                    "ServiceUnavailable"
                } else {
                    "InternalServerError"
                };
                (status, axum::Json(error_body(code, code, None, None))).into_response()
            }
        }
    }
}
