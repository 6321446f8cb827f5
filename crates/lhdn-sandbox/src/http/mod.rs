//! The HTTP surface: MyInvois's routes, the sandbox's admin routes under `/_sandbox`, and a
//! stand-in portal page for share links. Two layers do what every response needs: a
//! `correlationId`, injected faults, then (for the API) the bearer token and rate limit.

mod admin;
mod documents;
mod reference;
mod state;
mod submissions;
mod summary;
mod taxpayers;
mod token;

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Extension, Router};
use tokio::sync::Notify;

use crate::auth::bearer;
use crate::endpoint::Endpoint;
use crate::errors::ApiError;
use crate::faults::{FailMode, FaultAction, Stage};
use crate::ids;
use crate::rate_limit::Verdict;
use crate::sandbox::Sandbox;

pub(crate) type Shared = Arc<Sandbox>;

/// The request's correlation id, also sent back in the `correlationId` header.
#[derive(Debug, Clone)]
pub(crate) struct CorrelationId(pub(crate) String);

/// Closes the request's connection without an answer (set by the server per connection).
#[derive(Debug, Clone)]
pub(crate) struct DropConnection(pub(crate) Arc<Notify>);

pub(crate) fn router(sandbox: Shared) -> Router {
    let api = Router::new()
        .route("/api/v1.0/documentsubmissions", post(submissions::submit))
        .route("/api/v1.0/documentsubmissions/", post(submissions::submit))
        .route(
            "/api/v1.0/documentsubmissions/{uid}",
            get(submissions::get_submission),
        )
        .route("/api/v1.0/documents/recent", get(documents::recent))
        .route("/api/v1.0/documents/search", get(documents::search))
        .route("/api/v1.0/documents/{uuid}/raw", get(documents::raw))
        .route(
            "/api/v1.0/documents/{uuid}/details",
            get(documents::details),
        )
        .route(
            "/api/v1.0/documents/state/{uuid}/state",
            put(state::change_state),
        )
        .route(
            "/api/v1.0/taxpayer/validate/{tin}",
            get(taxpayers::validate),
        )
        .route("/api/v1.0/taxpayer/search/tin", get(taxpayers::search))
        .route(
            "/api/v1.0/taxpayers/qrcodeinfo/{text}",
            get(taxpayers::qr_code_info),
        )
        .route("/api/v1.0/documenttypes", get(reference::document_types))
        .route(
            "/api/v1.0/documenttypes/{id}",
            get(reference::document_type),
        )
        .route(
            "/api/v1.0/documenttypes/{id}/versions/{version}",
            get(reference::document_type_version),
        )
        .route(
            "/api/v1.0/notifications/taxpayer",
            get(reference::notifications),
        )
        .fallback(|| async { ApiError::not_found() })
        .route_layer(middleware::from_fn_with_state(sandbox.clone(), authorise));
    Router::new()
        .route("/connect/token", post(token::token))
        .merge(api)
        .merge(admin::router())
        .layer(middleware::from_fn_with_state(sandbox.clone(), around))
        .with_state(sandbox)
}

/// Correlation id and injected faults, around every request.
async fn around(State(sandbox): State<Shared>, mut request: Request, next: Next) -> Response {
    let correlation_id = ids::correlation_id();
    request
        .extensions_mut()
        .insert(CorrelationId(correlation_id.clone()));
    let endpoint = Endpoint::classify(request.method(), request.uri().path());
    let drop_connection = request.extensions().get::<DropConnection>().cloned();
    let mut response = match endpoint.and_then(|e| sandbox.faults.fire(Stage::Before, Some(e))) {
        Some(FaultAction::Maintenance) => ApiError::Maintenance.into_response(),
        Some(FaultAction::Status { status }) => ApiError::Injected(
            StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        )
        .into_response(),
        _ => {
            let response = next.run(request).await;
            let after = if response.status().is_success() {
                endpoint.and_then(|e| sandbox.faults.fire(Stage::After, Some(e)))
            } else {
                None
            };
            match after {
                Some(FaultAction::AcceptThenFail {
                    then: FailMode::Drop,
                }) => {
                    tracing::info!(?endpoint, "fault: dropping the connection after the work");
                    if let Some(DropConnection(notify)) = drop_connection {
                        notify.notify_one();
                        // The server drops this request with its connection.
                        std::future::pending::<()>().await;
                    }
                    ApiError::Injected(StatusCode::INTERNAL_SERVER_ERROR).into_response()
                }
                Some(FaultAction::AcceptThenFail { .. }) => {
                    tracing::info!(?endpoint, "fault: answering 500 after the work");
                    ApiError::Injected(StatusCode::INTERNAL_SERVER_ERROR).into_response()
                }
                _ => response,
            }
        }
    };
    if let Ok(value) = HeaderValue::from_str(&correlation_id) {
        response.headers_mut().insert("correlationId", value);
    }
    response
}

/// Bearer token and rate limit of the MyInvois API routes; the caller goes to the handler.
async fn authorise(State(sandbox): State<Shared>, mut request: Request, next: Next) -> Response {
    let caller = match caller_of(&sandbox, request.headers()) {
        Ok(caller) => caller,
        Err(error) => return error.into_response(),
    };
    let endpoint = Endpoint::classify(request.method(), request.uri().path());
    let verdict = endpoint.map_or(Verdict::Unlimited, |e| {
        sandbox.limiter.check(&caller.client_id, e)
    });
    request.extensions_mut().insert(caller);
    let response = match verdict {
        Verdict::Refused { retry_after, .. } => ApiError::TooManyRequests {
            retry_after_seconds: retry_after.as_secs_f64().ceil() as u64,
        }
        .into_response(),
        _ => next.run(request).await,
    };
    with_rate_headers(response, verdict, sandbox.now())
}

fn caller_of(sandbox: &Sandbox, headers: &HeaderMap) -> Result<crate::state::Caller, ApiError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(bearer)
        .ok_or(ApiError::Unauthorized)?;
    sandbox.session(token)
}

/// `X-Rate-Limit-Limit` and `-Remaining` on limited endpoints; `-Reset` (when a request
/// is allowed again) only once the limit was exceeded, as LHDN does.
pub(crate) fn with_rate_headers(
    mut response: Response,
    verdict: Verdict,
    now: chrono::DateTime<chrono::Utc>,
) -> Response {
    let headers = response.headers_mut();
    let mut set = |name: &'static str, value: String| {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    };
    match verdict {
        Verdict::Unlimited => {}
        Verdict::Allowed { limit, remaining } => {
            set("X-Rate-Limit-Limit", limit.to_string());
            set("X-Rate-Limit-Remaining", remaining.to_string());
        }
        Verdict::Refused { limit, retry_after } => {
            set("X-Rate-Limit-Limit", limit.to_string());
            set("X-Rate-Limit-Remaining", "0".to_owned());
            let reset =
                now + chrono::TimeDelta::from_std(retry_after).unwrap_or(chrono::TimeDelta::zero());
            set("X-Rate-Limit-Reset", summary::timestamp(reset));
        }
    }
    response
}

/// Query parameters by lower-case name: LHDN's own documentation mixes `InvoiceDirection`
/// and `invoiceDirection`.
pub(crate) fn query_map(query: Option<&str>) -> std::collections::HashMap<String, String> {
    let pairs: Vec<(String, String)> = query
        .and_then(|q| serde_urlencoded::from_str(q).ok())
        .unwrap_or_default();
    pairs
        .into_iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v))
        .collect()
}

/// The caller, put into the request by [`authorise`].
pub(crate) type CallerExt = Extension<crate::state::Caller>;
