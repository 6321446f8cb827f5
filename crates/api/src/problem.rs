//! Request-scoped plumbing that keeps every error response a problem document: the request
//! path for the `instance` member, and a net under responses made outside our handlers.

use axum::{
    extract::Request,
    http::{StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};

use crate::error::{ApiError, PROBLEM_JSON};

tokio::task_local! {
    /// The path of the request being handled. Only the path: a query string may carry
    /// personal data (a search by name) and problem bodies end up in client logs.
    static REQUEST_PATH: String;
}

/// The current request's path, for a problem's `instance`; `None` outside a request.
pub(crate) fn request_path() -> Option<String> {
    REQUEST_PATH.try_with(Clone::clone).ok()
}

/// Makes the request path available to [`ApiError`] rendering for the rest of the request.
pub(crate) async fn with_request_path(request: Request, next: Next) -> Response {
    // Redacted: a signature link's token is in its path, and problem bodies end up in logs.
    let path = crate::telemetry::redact_path(request.uri().path());
    REQUEST_PATH.scope(path, next.run(request)).await
}

/// Replaces an error response that is not a problem document (axum's own rejections, a
/// 404 of the Swagger UI assets, a 500 from a layer) with the problem for its status, so
/// clients can rely on `application/problem+json` for every 4xx and 5xx.
pub(crate) async fn ensure_problem(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(PROBLEM_JSON.as_bytes()));
    // The public signature page answers people, not programs: its pages, the bland "this
    // link cannot be used" 404 included, stay HTML.
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"text/html"));
    if status.as_u16() < 400 || is_problem || is_html {
        return response;
    }
    let error = match status {
        StatusCode::BAD_REQUEST => ApiError::BadRequest("The request is malformed.".into()),
        StatusCode::UNAUTHORIZED => ApiError::Unauthorized,
        StatusCode::FORBIDDEN => ApiError::Forbidden,
        StatusCode::NOT_FOUND => ApiError::NotFound("resource".into()),
        StatusCode::METHOD_NOT_ALLOWED => ApiError::MethodNotAllowed,
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::UnsupportedMediaType,
        StatusCode::UNPROCESSABLE_ENTITY => ApiError::BadRequest("The request is invalid.".into()),
        StatusCode::SERVICE_UNAVAILABLE => ApiError::ServiceUnavailable,
        StatusCode::INTERNAL_SERVER_ERROR => ApiError::internal(anyhow::anyhow!(
            "a layer answered 500 without a problem body"
        )),
        // No layer we use answers anything else; should one, its status is kept as it is.
        _ => return response,
    };
    let mut problem = error.into_response();
    // Keep what the original response said beyond its body (e.g. `Allow` on a 405).
    for name in [header::ALLOW, header::RETRY_AFTER] {
        if let Some(value) = response.headers().get(&name) {
            problem.headers_mut().insert(name, value.clone());
        }
    }
    problem
}
