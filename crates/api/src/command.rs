//! What a command request carries besides its body, and what a command route answers.
//!
//! A write route reads like this:
//! ```ignore
//! async fn register(
//!     user: CurrentUser,
//!     meta: CommandMeta,
//!     State(state): State<AppState>,
//!     Json(body): Json<RegisterCustomerBody>,
//! ) -> Result<CommandAccepted> {
//!     let user = user.require(SALES_WRITE)?;
//!     let command = body.to_command()?;            // a Validator inside
//!     let outcome = state
//!         .commands::<Customer>()
//!         .execute(&id.to_string(), &command, &meta.ctx(&user), &meta.options_for(&body)?)
//!         .await?;
//!     Ok(CommandAccepted::created(id, &outcome))
//! }
//! ```

use std::{net::SocketAddr, str::FromStr};

use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::{HeaderMap, HeaderValue, StatusCode, header, request::Parts},
    response::{IntoResponse, Response},
};
use chrono::Utc;
use niaga_domain::{Aggregate, Ctx};
use niaga_store::{CommandHandler, CommandOptions, Idempotency, Outcome};
use serde::{Serialize, de::DeserializeOwned};
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::{
    auth::Authorized,
    error::{ApiError, Result},
    telemetry::REQUEST_ID_HEADER,
};

/// The longest `Idempotency-Key` accepted (a UUID is 36; room for client prefixes).
pub const MAX_IDEMPOTENCY_KEY_CHARS: usize = 200;

/// Header set on a response that repeats the result of an earlier request with the same
/// `Idempotency-Key`.
pub const IDEMPOTENT_REPLAYED_HEADER: &str = "idempotent-replayed";

/// The headers and connection facts of a command request: `Idempotency-Key`, `If-Match`, the
/// client address and the correlation id (the request id). Rejects a malformed
/// `Idempotency-Key` or `If-Match` with 400.
#[derive(Debug, Clone)]
pub struct CommandMeta {
    pub idempotency_key: Option<String>,
    /// The version `If-Match` names (`"3"`, `W/"3"` or `3`); `*` means no version check.
    pub expected_version: Option<u64>,
    pub client_address: Option<String>,
    pub correlation_id: Uuid,
    method: String,
    path: String,
}

impl CommandMeta {
    /// The command's context: now, the checked user, the correlation id.
    pub fn ctx(&self, user: &Authorized) -> Ctx {
        Ctx::new(Utc::now(), user.actor(), self.correlation_id)
    }

    /// Where a create command writes, and its store options: on a retry under the same
    /// `Idempotency-Key`, the stream its first attempt made, so the retry replays there
    /// instead of creating a second one; else a new UUIDv7, which has no history to load.
    pub async fn create_target<A, Id>(
        &self,
        commands: &CommandHandler<A>,
        body: &impl Serialize,
    ) -> Result<(Id, CommandOptions)>
    where
        A: Aggregate + Serialize + DeserializeOwned,
        Id: FromStr + From<Uuid>,
        Id::Err: std::error::Error + Send + Sync + 'static,
    {
        let earlier = match &self.idempotency_key {
            Some(key) => commands
                .stream_for_key(key)
                .await
                .map_err(ApiError::internal)?,
            None => None,
        };
        let id = match &earlier {
            Some(id) => id.parse().map_err(ApiError::internal)?,
            None => Id::from(Uuid::now_v7()),
        };
        let options = CommandOptions {
            new_stream: earlier.is_none(),
            ..self.options_for(body)?
        };
        Ok((id, options))
    }

    /// The store options for a request whose parsed body is `body`. The idempotency
    /// fingerprint is SHA-256 over method, path and the body as re-serialised after parsing,
    /// so formatting differences do not matter but any change of content does.
    pub fn options_for(&self, body: &impl Serialize) -> Result<CommandOptions> {
        let idempotency = match &self.idempotency_key {
            None => None,
            Some(key) => {
                let body = serde_json::to_vec(body).map_err(ApiError::internal)?;
                Some(Idempotency {
                    key: key.clone(),
                    request_hash: request_hash(&self.method, &self.path, &body),
                })
            }
        };
        Ok(CommandOptions {
            expected_version: self.expected_version,
            idempotency,
            client_address: self.client_address.clone(),
            causation_id: None,
            new_stream: false,
        })
    }
}

fn request_hash(method: &str, path: &str, body: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(method.as_bytes());
    hasher.update(b" ");
    hasher.update(path.as_bytes());
    hasher.update(b"\n");
    hasher.update(body);
    hex::encode(hasher.finalize())
}

impl<S: Send + Sync> FromRequestParts<S> for CommandMeta {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self {
            idempotency_key: idempotency_key(&parts.headers)?,
            expected_version: if_match(&parts.headers)?,
            // Only the TCP peer: a forwarded-for header is the client's word, and behind a
            // proxy it needs a list of trusted proxies first.
            client_address: parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(address)| address.ip().to_string()),
            correlation_id: correlation_id(&parts.headers),
            method: parts.method.to_string(),
            path: parts.uri.path().to_owned(),
        })
    }
}

fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let key = value
        .to_str()
        .map_err(|_| ApiError::BadRequest("Idempotency-Key must be visible ASCII.".into()))?
        .trim();
    if key.is_empty() || key.len() > MAX_IDEMPOTENCY_KEY_CHARS {
        return Err(ApiError::BadRequest(format!(
            "Idempotency-Key must have 1 to {MAX_IDEMPOTENCY_KEY_CHARS} characters."
        )));
    }
    Ok(Some(key.to_owned()))
}

fn if_match(headers: &HeaderMap) -> Result<Option<u64>> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Ok(None);
    };
    let invalid = || {
        ApiError::BadRequest("If-Match must be one version as sent in ETag, such as \"3\".".into())
    };
    let value = value.to_str().map_err(|_| invalid())?.trim();
    if value == "*" {
        return Ok(None);
    }
    let tag = value.strip_prefix("W/").unwrap_or(value);
    let tag = tag
        .strip_prefix('"')
        .and_then(|tag| tag.strip_suffix('"'))
        .unwrap_or(tag);
    tag.parse().map(Some).map_err(|_| invalid())
}

/// The request id if it is a UUID (the request-id layer makes sure it is), else a new one.
fn correlation_id(headers: &HeaderMap) -> Uuid {
    headers
        .get(REQUEST_ID_HEADER)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| Uuid::parse_str(value).ok())
        .unwrap_or_else(Uuid::now_v7)
}

/// The headers of a command route, for its OpenAPI description:
/// `#[utoipa::path(post, path = "/customers", params(CommandHeaders), ...)]`.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Header)]
pub struct CommandHeaders {
    /// Makes a retry safe: a request repeated with the same key gets the first answer (and
    /// `Idempotent-Replayed: true`) instead of being carried out twice. At most 200
    /// characters; a UUID is a good key.
    #[param(rename = "Idempotency-Key")]
    pub idempotency_key: Option<String>,
    /// Carry out the command only if the resource is still at this version (the `ETag` of the
    /// last answer, e.g. `"3"`); otherwise 412.
    #[param(rename = "If-Match")]
    pub if_match: Option<String>,
}

/// What a command route answers: the resource id, the stream version after the command and
/// the global position of its last event (to wait for read models to catch up). Sent with
/// `ETag: "<version>"` for the next `If-Match`. A replay of an idempotent request gets the
/// same status and body, plus `Idempotent-Replayed: true`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(example = json!({"id": "0190f5c2-6a4e-7c31-9b8e-2f1d3c4b5a69", "version": 1, "position": 42}))]
pub struct CommandAccepted {
    pub id: String,
    pub version: u64,
    /// `null` when the command changed nothing.
    pub position: Option<i64>,
    /// The document number the command gave (issuing an invoice or a note), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "INV-2026-000123")]
    pub number: Option<String>,
    #[serde(skip)]
    status: StatusCode,
    #[serde(skip)]
    replayed: bool,
    #[serde(skip)]
    location: Option<String>,
}

impl CommandAccepted {
    /// 201 Created: the command made a new resource.
    pub fn created<E>(id: impl ToString, outcome: &Outcome<E>) -> Self {
        Self::with_status(StatusCode::CREATED, id, outcome)
    }

    /// 200 OK: the command changed (or left unchanged) an existing resource.
    pub fn ok<E>(id: impl ToString, outcome: &Outcome<E>) -> Self {
        Self::with_status(StatusCode::OK, id, outcome)
    }

    fn with_status<E>(status: StatusCode, id: impl ToString, outcome: &Outcome<E>) -> Self {
        Self {
            id: id.to_string(),
            version: outcome.version,
            position: outcome.position,
            number: None,
            status,
            replayed: outcome.replayed,
            location: None,
        }
    }

    /// Adds a `Location` header (the new resource's URL, for 201).
    /// Names the document number the command gave.
    pub fn numbered(mut self, number: impl ToString) -> Self {
        self.number = Some(number.to_string());
        self
    }

    pub fn at(mut self, location: impl Into<String>) -> Self {
        self.location = Some(location.into());
        self
    }
}

impl IntoResponse for CommandAccepted {
    fn into_response(self) -> Response {
        let etag = HeaderValue::from_str(&format!("\"{}\"", self.version));
        let location = self
            .location
            .as_deref()
            .map(HeaderValue::from_str)
            .transpose();
        let (Ok(etag), Ok(location)) = (etag, location) else {
            return ApiError::internal(anyhow::anyhow!("a command answer has an invalid header"))
                .into_response();
        };
        let mut response = (self.status, axum::Json(&self)).into_response();
        let headers = response.headers_mut();
        headers.insert(header::ETAG, etag);
        if let Some(location) = location {
            headers.insert(header::LOCATION, location);
        }
        if self.replayed {
            headers.insert(IDEMPOTENT_REPLAYED_HEADER, HeaderValue::from_static("true"));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(name: &'static str, value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(name, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn the_command_headers_are_documented_by_their_http_names() {
        let names: Vec<_> = CommandHeaders::into_params(|| None)
            .into_iter()
            .map(|param| param.name)
            .collect();
        assert_eq!(names, ["Idempotency-Key", "If-Match"]);
    }

    #[test]
    fn if_match_takes_strong_weak_and_bare_versions() {
        let version = |value| if_match(&headers("if-match", value)).ok().flatten();
        assert_eq!(version("\"3\""), Some(3));
        assert_eq!(version("W/\"3\""), Some(3));
        assert_eq!(version("3"), Some(3));
        assert_eq!(version("*"), None);
        assert!(if_match(&headers("if-match", "\"three\"")).is_err());
        assert!(if_match(&headers("if-match", "\"1\", \"2\"")).is_err());
        assert_eq!(if_match(&HeaderMap::new()).ok(), Some(None));
    }

    #[test]
    fn idempotency_keys_are_bounded() {
        assert_eq!(
            idempotency_key(&headers("idempotency-key", "abc")).ok(),
            Some(Some("abc".to_owned()))
        );
        assert!(idempotency_key(&headers("idempotency-key", " ")).is_err());
        let mut long = HeaderMap::new();
        long.insert(
            "idempotency-key",
            HeaderValue::from_str(&"k".repeat(201)).expect("ascii"),
        );
        assert!(idempotency_key(&long).is_err());
    }

    #[test]
    fn the_request_hash_covers_method_path_and_body() {
        let hash = request_hash("POST", "/customers", b"{}");
        assert_eq!(hash.len(), 64);
        assert_ne!(hash, request_hash("PUT", "/customers", b"{}"));
        assert_ne!(hash, request_hash("POST", "/customer", b"{}"));
        assert_ne!(hash, request_hash("POST", "/customers", b"{ }"));
    }

    #[test]
    fn a_replay_answers_like_the_first_time() {
        let first = Outcome::<()> {
            events: vec![()],
            version: 1,
            position: Some(7),
            replayed: false,
            attempts: 1,
        };
        let replay = Outcome::<()> {
            events: vec![],
            replayed: true,
            ..first.clone()
        };
        let first = CommandAccepted::created("c1", &first).into_response();
        let replay = CommandAccepted::created("c1", &replay).into_response();
        assert_eq!(first.status(), StatusCode::CREATED);
        assert_eq!(replay.status(), StatusCode::CREATED);
        assert_eq!(first.headers()[header::ETAG], "\"1\"");
        assert_eq!(replay.headers()[IDEMPOTENT_REPLAYED_HEADER], "true");
    }
}
