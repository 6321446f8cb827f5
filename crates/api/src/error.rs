//! The one API error, and its one mapping to RFC 9457 `application/problem+json`.
//!
//! Handlers return [`Result<T>`]; everything that can go wrong in a request becomes an
//! [`ApiError`] variant, and [`ApiError::into_response`] is the only place that decides
//! status codes, problem types and what a client may see. 5xx bodies say nothing; the cause is
//! logged in the request span.

use axum::{
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use niaga_store::{CommandError, StoreError};
use serde::Serialize;
use utoipa::ToSchema;

pub use crate::validate::{FieldError, Validator};

/// Short for handler signatures: `async fn create(..) -> Result<CommandAccepted>`.
pub type Result<T, E = ApiError> = std::result::Result<T, E>;

/// The media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// Problem `type` URIs are this base plus a slug per kind. They are part of the API contract:
/// clients switch on them, so a slug never changes meaning.
pub const PROBLEM_BASE: &str = "https://niaga.my/problems/";

/// Why a request failed, as the client is told.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The body or parameters parsed but some fields are not acceptable (422).
    #[error("{} field(s) are invalid", .0.len())]
    Validation(Vec<FieldError>),
    /// The request cannot be understood: malformed JSON, a bad header or path (400).
    #[error("bad request: {0}")]
    BadRequest(String),
    /// No valid access token (401, with `WWW-Authenticate: Bearer`).
    #[error("authentication required")]
    Unauthorized,
    /// Login failed. One answer for an unknown email and a wrong password, so the API does
    /// not tell who has an account (401).
    #[error("wrong email or password")]
    InvalidCredentials,
    /// Authenticated, but the role may not do this (403).
    #[error("the role may not do this")]
    Forbidden,
    /// The named thing does not exist, e.g. `NotFound("customer".into())` (404).
    #[error("{0} not found")]
    NotFound(String),
    /// The route exists but not with this method (405).
    #[error("method not allowed")]
    MethodNotAllowed,
    /// The request clashes with the current state, e.g. a duplicate email (409).
    #[error("conflict: {0}")]
    Conflict(String),
    /// `If-Match` named another version than the current one (412).
    #[error("the resource is at version {actual}, not {expected}")]
    VersionConflict { expected: u64, actual: u64 },
    /// Concurrent writers kept winning; retrying may succeed (409).
    #[error("the resource kept changing")]
    Contention,
    /// The `Idempotency-Key` was used before for a different request (422).
    #[error("idempotency key reused for a different request")]
    IdempotencyKeyReused,
    /// A business rule refused the command (422). `code` is a stable kebab-case slug naming
    /// the rule, which becomes the problem type (`https://niaga.my/problems/<code>`), so
    /// clients can tell refusals apart; `detail` is for the person.
    #[error("refused ({code}): {detail}")]
    Refused { code: &'static str, detail: String },
    /// The body is larger than the API accepts (413).
    #[error("payload too large")]
    PayloadTooLarge,
    /// The body is not JSON, or says it is not (415).
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// A dependency (the database) is not available right now (503).
    #[error("service unavailable")]
    ServiceUnavailable,
    /// Anything else: a bug or an infrastructure fault (500). Logged, never shown.
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl ApiError {
    /// An internal error from any error value.
    pub fn internal(error: impl Into<anyhow::Error>) -> Self {
        Self::Internal(error.into())
    }

    /// A validation problem on one field: `ApiError::field("/email", "is not an email")`.
    pub fn field(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError::new(pointer, message)])
    }

    /// The same error with its field pointers under `prefix`, for a body checked as a member
    /// of a larger one: `/name` becomes `/details/name`. Other errors are left as they are.
    pub fn nested_under(self, prefix: &str) -> Self {
        match self {
            Self::Validation(errors) => Self::Validation(
                errors
                    .into_iter()
                    .map(|e| FieldError::new(format!("{prefix}{}", e.pointer), e.message))
                    .collect(),
            ),
            other => other,
        }
    }

    /// A thing the body names by id and that does not exist is the body's fault: `NotFound`
    /// becomes a field error at `pointer`; anything else (a fault) stays as it is.
    pub fn missing_at(self, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        match self {
            Self::NotFound(_) => Self::field(pointer, message),
            other => other,
        }
    }

    /// A business-rule refusal: `ApiError::refused("customer-closed", &error)`.
    pub fn refused(code: &'static str, error: impl std::fmt::Display) -> Self {
        Self::Refused {
            code,
            detail: error.to_string(),
        }
    }

    /// Status, problem-type slug and title: the one table of error kinds.
    fn kind(&self) -> (StatusCode, &'static str, &'static str) {
        match self {
            Self::Validation(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                "Some fields are invalid",
            ),
            Self::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad-request", "Bad request"),
            Self::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "Authentication required",
            ),
            Self::InvalidCredentials => (
                StatusCode::UNAUTHORIZED,
                "invalid-credentials",
                "Wrong email or password",
            ),
            Self::Forbidden => (StatusCode::FORBIDDEN, "forbidden", "Not allowed"),
            Self::NotFound(_) => (StatusCode::NOT_FOUND, "not-found", "Not found"),
            Self::MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                "method-not-allowed",
                "Method not allowed",
            ),
            Self::Conflict(_) => (StatusCode::CONFLICT, "conflict", "Conflict"),
            Self::VersionConflict { .. } => (
                StatusCode::PRECONDITION_FAILED,
                "version-conflict",
                "The resource has changed",
            ),
            Self::Contention => (StatusCode::CONFLICT, "contention", "The resource is busy"),
            Self::IdempotencyKeyReused => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency-key-reused",
                "Idempotency key reused",
            ),
            Self::Refused { code, .. } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                code,
                "The request was refused",
            ),
            Self::PayloadTooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload-too-large",
                "Payload too large",
            ),
            Self::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "Unsupported media type",
            ),
            Self::ServiceUnavailable => (
                StatusCode::SERVICE_UNAVAILABLE,
                "service-unavailable",
                "Service unavailable",
            ),
            Self::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "Internal server error",
            ),
        }
    }

    /// What the client is told beyond the title; `None` for 5xx.
    fn detail(&self) -> Option<String> {
        let detail = match self {
            Self::Validation(_) => "Correct the fields listed in `errors` and send again.".into(),
            Self::BadRequest(detail) | Self::Conflict(detail) => detail.clone(),
            Self::Unauthorized => {
                "Log in and send the access token as `Authorization: Bearer <token>`.".into()
            }
            Self::InvalidCredentials => "The email or the password is wrong.".into(),
            Self::Forbidden => "Your role may not do this.".into(),
            Self::NotFound(what) => format!("The {what} was not found."),
            Self::MethodNotAllowed => "This route does not accept this method.".into(),
            Self::VersionConflict { expected, actual } => format!(
                "You sent If-Match for version {expected}, but it is at version {actual}: \
                 reload it and try again."
            ),
            Self::Contention => "Others changed it at the same moment; try again.".into(),
            Self::IdempotencyKeyReused => {
                "This Idempotency-Key was already used for a different request.".into()
            }
            Self::Refused { detail, .. } => detail.clone(),
            Self::PayloadTooLarge => "The body is larger than the API accepts.".into(),
            Self::UnsupportedMediaType => {
                "Send the body as JSON with `Content-Type: application/json`.".into()
            }
            Self::ServiceUnavailable | Self::Internal(_) => return None,
        };
        Some(detail)
    }
}

/// An RFC 9457 problem details body, as every error response carries it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "https://niaga.my/problems/validation",
    "title": "Some fields are invalid",
    "status": 422,
    "detail": "Correct the fields listed in `errors` and send again.",
    "instance": "/customers",
    "errors": [{"pointer": "/address/postcode", "message": "a postcode has five digits"}]
}))]
pub struct Problem {
    /// A stable URI naming the kind of problem; clients switch on it.
    #[serde(rename = "type")]
    pub problem_type: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The request path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// For validation problems: each invalid field by JSON pointer.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub errors: Vec<FieldError>,
    /// For version conflicts: the version the resource is at now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_version: Option<u64>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Self::Internal(cause) = &self {
            // `{:#}` prints the whole source chain on one line.
            tracing::error!(error = format!("{cause:#}"), "internal error");
        }
        let (status, slug, title) = self.kind();
        let problem = Problem {
            problem_type: format!("{PROBLEM_BASE}{slug}"),
            title: title.to_owned(),
            status: status.as_u16(),
            detail: self.detail(),
            instance: crate::problem::request_path(),
            current_version: match &self {
                Self::VersionConflict { actual, .. } => Some(*actual),
                _ => None,
            },
            errors: match self {
                Self::Validation(errors) => errors,
                _ => Vec::new(),
            },
        };
        // Serialising this struct cannot fail; should it ever, the status still tells.
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        let mut response = (
            status,
            [(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON))],
            body,
        )
            .into_response();
        if status == StatusCode::UNAUTHORIZED {
            // RFC 9110: a 401 names the scheme the client should use.
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"niaga\""),
            );
        }
        if status == StatusCode::SERVICE_UNAVAILABLE {
            // Read models and the database recover within seconds; tell clients when to retry.
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}

impl<E> From<CommandError<E>> for ApiError
where
    E: std::error::Error + Into<ApiError> + 'static,
{
    fn from(error: CommandError<E>) -> Self {
        match error {
            CommandError::Domain(refusal) => refusal.into(),
            CommandError::VersionMismatch { expected, actual } => {
                Self::VersionConflict { expected, actual }
            }
            CommandError::Contention { stream } => {
                tracing::warn!(%stream, "gave up after repeated write conflicts");
                Self::Contention
            }
            CommandError::IdempotencyKeyReused => Self::IdempotencyKeyReused,
            CommandError::Unreadable(error) => Self::internal(error),
            CommandError::Store(error) => error.into(),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            // The command handler retries conflicts itself; one that escapes is contention.
            StoreError::Conflict { .. } => Self::Contention,
            StoreError::IdempotencyKeyReused { .. } => Self::IdempotencyKeyReused,
            StoreError::Database(error) => error.into(),
            other => Self::internal(other),
        }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        match error {
            // No connection within the acquire timeout: the database is down or saturated,
            // which the client may retry, unlike a bug.
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed => {
                tracing::warn!(error = %error, "database unavailable");
                Self::ServiceUnavailable
            }
            other => Self::internal(other),
        }
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(error: anyhow::Error) -> Self {
        Self::Internal(error)
    }
}
