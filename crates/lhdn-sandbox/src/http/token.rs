//! `POST /connect/token`.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::{Shared, with_rate_headers};
use crate::auth::TokenRequest;
use crate::endpoint::Endpoint;
use crate::errors::ApiError;
use crate::rate_limit::Verdict;

pub(super) async fn token(
    State(sandbox): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let basic_auth = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("basic"));
    let form_body = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let form: HashMap<String, String> = if form_body {
        serde_urlencoded::from_bytes(&body).unwrap_or_default()
    } else {
        HashMap::new()
    };
    // Limited per client id, which only the form names.
    let client_id = form.get("client_id").cloned().unwrap_or_default();
    let verdict = sandbox.limiter.check(&client_id, Endpoint::Token);
    if let Verdict::Refused { retry_after, .. } = verdict {
        let response = ApiError::TooManyRequests {
            retry_after_seconds: retry_after.as_secs_f64().ceil() as u64,
        }
        .into_response();
        return with_rate_headers(response, verdict, sandbox.now());
    }
    let on_behalf_of = headers.get("onbehalfof").and_then(|v| v.to_str().ok());
    let request = TokenRequest {
        form: &form,
        basic_auth,
        on_behalf_of,
    };
    let response = match sandbox.clients.authenticate(&sandbox.registry, &request) {
        Ok(caller) => {
            let expires_in = sandbox.token_lifetime.num_seconds();
            let token = sandbox.issue_token(caller);
            axum::Json(json!({
                "access_token": token,
                "token_type": "Bearer",
                "expires_in": expires_in,
                "scope": "InvoicingAPI",
            }))
            .into_response()
        }
        Err(error) => error.into_response(),
    };
    with_rate_headers(response, verdict, sandbox.now())
}
