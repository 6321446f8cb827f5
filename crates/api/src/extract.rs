//! Our extractors: axum's, with rejections that are [`ApiError`]s (problem+json) instead of
//! plain text. Resource handlers use these, never `axum::Json`/`Path`/`Query` directly.

use axum::{
    body::Bytes,
    extract::{FromRequest, FromRequestParts, Request, rejection::PathRejection},
    http::{StatusCode, header, request::Parts},
    response::{IntoResponse, Response},
};
use serde::{Serialize, de::DeserializeOwned};

use crate::error::{ApiError, FieldError};

/// The largest request body accepted, enforced by [`axum::extract::DefaultBodyLimit`] in
/// `app()`; a JSON command is a few kilobytes, documents are uploaded elsewhere.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// A JSON request body (or response). Rejections: not JSON by `Content-Type` → 415, larger
/// than [`MAX_BODY_BYTES`] → 413, malformed → 400 naming line and column, wrong type or an
/// unknown field (bodies use `#[serde(deny_unknown_fields)]`) → 422 with a JSON pointer.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

impl<T, S> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(request.headers().get(header::CONTENT_TYPE)) {
            return Err(ApiError::UnsupportedMediaType);
        }
        parse(&body(request, state).await?).map(Json)
    }
}

/// A JSON body that may be left out: no body at all is `None`; a body is read as [`Json`]
/// reads one (415 if it is not JSON, 400 if malformed, 422 with a pointer if wrong).
#[derive(Debug, Clone, Copy, Default)]
pub struct OptionalJson<T>(pub Option<T>);

impl<T, S> FromRequest<S> for OptionalJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let json = is_json(request.headers().get(header::CONTENT_TYPE));
        let bytes = body(request, state).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self(None));
        }
        if !json {
            return Err(ApiError::UnsupportedMediaType);
        }
        parse(&bytes).map(|value| Self(Some(value)))
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// The body's bytes: larger than [`MAX_BODY_BYTES`] → 413.
async fn body<S: Send + Sync>(request: Request, state: &S) -> Result<Bytes, ApiError> {
    Bytes::from_request(request, state)
        .await
        .map_err(|rejection| match rejection.status() {
            StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge,
            _ => ApiError::BadRequest(rejection.body_text()),
        })
}

/// `application/json` or any `application/…+json`, parameters (charset) ignored.
fn is_json(content_type: Option<&header::HeaderValue>) -> bool {
    let Some(essence) = content_type
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .map(|essence| essence.trim().to_ascii_lowercase())
    else {
        return false;
    };
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Parses a JSON body, telling syntax errors (400) from shape errors (422 with a pointer).
pub(crate) fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|error| reject(pointer(error.path()), error.into_inner()))?;
    // Trailing characters after the value are malformed JSON too.
    deserializer
        .end()
        .map_err(|error| reject(String::new(), error))?;
    Ok(value)
}

fn reject(pointer: String, error: serde_json::Error) -> ApiError {
    use serde_json::error::Category;
    match error.classify() {
        Category::Data => {
            let message = without_position(&error);
            let pointer = with_named_field(pointer, &message);
            ApiError::Validation(vec![FieldError::new(pointer, message)])
        }
        Category::Syntax | Category::Eof | Category::Io => ApiError::BadRequest(format!(
            "The body is not valid JSON: {} at line {}, column {}.",
            without_position(&error),
            error.line(),
            error.column()
        )),
    }
}

/// A serde path as an RFC 6901 JSON pointer (`/address/postcode`, `/lines/0/quantity`).
fn pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Map { key } => push_key(&mut pointer, key),
            Segment::Enum { variant } => push_key(&mut pointer, variant),
            // Past an untracked step the rest of the path is unknown: point at the parent.
            Segment::Unknown => break,
        }
    }
    pointer
}

fn push_key(pointer: &mut String, key: &str) {
    pointer.push('/');
    pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
}

/// serde's message for a missing or unknown field names it but the path stops at the object
/// holding it; the client needs the field itself.
fn with_named_field(mut pointer: String, message: &str) -> String {
    for prefix in ["missing field `", "unknown field `"] {
        if let Some(rest) = message.strip_prefix(prefix)
            && let Some((field, _)) = rest.split_once('`')
            && !pointer.ends_with(&format!("/{field}"))
        {
            push_key(&mut pointer, field);
        }
    }
    pointer
}

/// serde_json's message without the " at line L column C" it appends.
fn without_position(error: &serde_json::Error) -> String {
    let message = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    message
        .strip_suffix(&suffix)
        .map_or(message.clone(), str::to_owned)
}

/// Path parameters. A value that does not parse (an id that is not a UUID) → 400 naming it.
#[derive(Debug, Clone, Copy)]
pub struct Path<T>(pub T);

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Self(value)),
            Err(PathRejection::FailedToDeserializePathParams(error)) => {
                Err(ApiError::BadRequest(error.body_text()))
            }
            // The route has no such parameter: a programming error, not the client's.
            Err(other) => Err(ApiError::internal(anyhow::anyhow!(other.body_text()))),
        }
    }
}

/// Query parameters. A missing or malformed parameter → 400 naming it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<T>(pub T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(value)| Self(value))
            .map_err(|rejection| ApiError::BadRequest(rejection.body_text()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        name: String,
        address: Address,
        lines: Vec<Line>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Address {
        postcode: String,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Line {
        quantity: u32,
    }

    fn field_errors(json: &str) -> Vec<FieldError> {
        match parse::<Body>(json.as_bytes()) {
            Err(ApiError::Validation(errors)) => errors,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn a_wrong_type_points_at_the_field() {
        let errors = field_errors(
            r#"{"name":"a","address":{"postcode":"1"},"lines":[{"quantity":1},{"quantity":"x"}]}"#,
        );
        assert_eq!(errors[0].pointer, "/lines/1/quantity");
        assert!(errors[0].message.starts_with("invalid type"), "{errors:?}");
    }

    #[test]
    fn an_unknown_field_points_at_itself() {
        let errors =
            field_errors(r#"{"name":"a","address":{"postcode":"1","city":"KL"},"lines":[]}"#);
        assert_eq!(errors[0].pointer, "/address/city");
    }

    #[test]
    fn a_missing_field_points_at_itself() {
        let errors = field_errors(r#"{"name":"a","address":{},"lines":[]}"#);
        assert_eq!(errors[0].pointer, "/address/postcode");
        assert_eq!(errors[0].message, "missing field `postcode`");
    }

    #[test]
    fn malformed_json_names_line_and_column() {
        match parse::<Body>(b"{\n  \"name\": ") {
            Err(ApiError::BadRequest(detail)) => {
                assert!(detail.contains("line 2"), "{detail}");
            }
            other => panic!("expected a bad request, got {other:?}"),
        }
        assert!(matches!(parse::<u32>(b"1 2"), Err(ApiError::BadRequest(_))));
    }

    #[test]
    fn json_media_types() {
        let json = |value: &'static str| is_json(Some(&header::HeaderValue::from_static(value)));
        assert!(json("application/json"));
        assert!(json("Application/JSON; charset=utf-8"));
        assert!(json("application/merge-patch+json"));
        assert!(!json("text/plain"));
        assert!(!json("application/jsonx"));
        assert!(!is_json(None));
    }
}
