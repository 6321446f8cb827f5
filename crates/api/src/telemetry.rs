//! Logs: the subscriber, and one span per request carrying method, route, request id, user
//! id, status and latency. Never tokens, passwords, bodies or query strings (they may hold
//! personal data).

use std::time::Duration;

use axum::{
    body::Body,
    extract::{MatchedPath, Request},
    http::{HeaderValue, Response},
};
use tower_http::request_id::{MakeRequestId, RequestId};
use tracing::{Span, field::Empty};
use tracing_subscriber::EnvFilter;
use uuid::Uuid;

/// The header carrying the request id, echoed on the response; it doubles as the
/// correlation id written into the events the request causes.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// One JSON object per line, for the log collector.
    Json,
    /// Multi-line, coloured, for a developer's terminal.
    Pretty,
}

/// Installs the global subscriber. `filter` uses `RUST_LOG` syntax (`info,niaga_api=debug`).
pub fn init(format: LogFormat, filter: &str) -> anyhow::Result<()> {
    let filter = EnvFilter::try_new(filter)?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let installed = match format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
        LogFormat::Pretty => builder.pretty().try_init(),
    };
    installed.map_err(|error| anyhow::anyhow!("cannot install the log subscriber: {error}"))
}

/// Request ids are UUIDv7: unique across instances and sortable by time.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct MakeRequestUuidV7;

impl MakeRequestId for MakeRequestUuidV7 {
    fn make_request_id<B>(&mut self, _request: &axum::http::Request<B>) -> Option<RequestId> {
        HeaderValue::from_str(&Uuid::now_v7().to_string())
            .ok()
            .map(RequestId::new)
    }
}

/// Drops a client's `x-request-id` that is not a UUID, so a new one is made: the id goes into
/// logs and event metadata, where free text from outside has no place.
pub(crate) async fn only_uuid_request_ids(mut request: Request) -> Request {
    let valid = request
        .headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| Uuid::parse_str(value).is_ok());
    if !valid {
        request.headers_mut().remove(REQUEST_ID_HEADER);
    }
    request
}

/// The path segments after which the next segment is a secret: `/sign/<token>`.
const SECRET_AFTER: &[&str] = &["sign"];

/// `path` with every secret segment replaced by `[redacted]`: `/sign/<token>` becomes
/// `/sign/[redacted]`. For anything that writes a request's path where logs may see it.
pub fn redact_path(path: &str) -> String {
    let mut redact_next = false;
    path.split('/')
        .map(|segment| {
            let out = if redact_next && !segment.is_empty() {
                "[redacted]"
            } else {
                segment
            };
            redact_next = SECRET_AFTER.contains(&segment);
            out
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The span of one request. `user_id` is filled in by the `CurrentUser` extractor, `status`
/// and `latency_ms` when the response is ready.
pub(crate) fn request_span(request: &Request<Body>) -> Span {
    // The route template (`/customers/{id}`, `/sign/{token}`), never the path: ids in paths
    // would make every request its own metric and can be personal data, and a signature
    // link's path is a bearer secret. Redacted all the same, so that a route written with
    // a literal segment after `/sign/` could not bring a token into a log line.
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "<unmatched>".to_owned(), |m| redact_path(m.as_str()));
    let route = route.as_str();
    let request_id = request
        .headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    tracing::info_span!(
        "request",
        method = %request.method(),
        route,
        request_id,
        user_id = Empty,
        status = Empty,
        latency_ms = Empty,
    )
}

pub(crate) fn record_response(response: &Response<Body>, latency: Duration, span: &Span) {
    let status = response.status().as_u16();
    let latency_ms = u64::try_from(latency.as_millis()).unwrap_or(u64::MAX);
    span.record("status", status);
    span.record("latency_ms", latency_ms);
    tracing::info!(parent: span, status, latency_ms, "request finished");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_token_in_a_path_is_redacted_and_other_paths_are_not() {
        let token = "ab".repeat(32);
        assert_eq!(redact_path(&format!("/sign/{token}")), "/sign/[redacted]");
        assert_eq!(
            redact_path(&format!("/sign/{token}/refuse")),
            "/sign/[redacted]/refuse"
        );
        assert_eq!(redact_path("/sign/{token}"), "/sign/[redacted]");
        assert_eq!(redact_path("/sign/"), "/sign/");
        assert_eq!(redact_path("/customers/{id}"), "/customers/{id}");
        assert_eq!(
            redact_path("/delivery-orders/1/signature-links"),
            "/delivery-orders/1/signature-links"
        );
    }
}
