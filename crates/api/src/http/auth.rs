//! `POST /auth/login` (password → access token) and `GET /auth/me`.

use axum::{
    extract::State,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::users::UserView;
use crate::{
    app::AppState,
    auth::{ANY_STAFF, CurrentUser, verify_password},
    error::{ApiError, Problem, Result},
    extract::Json,
    secret::Secret,
    users,
};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(me))
}

/// Email and password of a staff account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "siti@syarikat.com.my", "password": "kopi-o kosong satu"}))]
pub(crate) struct LoginRequest {
    email: String,
    #[schema(value_type = String, format = Password)]
    password: Secret<String>,
}

/// An access token (RFC 6749 §5.1 shape).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"access_token": "eyJhbGciOiJIUzI1NiJ9…", "token_type": "Bearer", "expires_in": 900}))]
pub(crate) struct TokenResponse {
    access_token: String,
    /// Always `Bearer`.
    token_type: &'static str,
    /// Seconds until the token expires; log in again then.
    expires_in: u64,
}

/// Log in. An unknown email and a wrong password get the same 401, in the same time.
#[utoipa::path(
    post,
    path = "/auth/login",
    tag = "auth",
    security(()),
    request_body = LoginRequest,
    responses(
        (status = OK, description = "Logged in", body = TokenResponse),
        (status = UNAUTHORIZED, description = "Wrong email or password",
            body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "The body has the wrong shape",
            body = Problem, content_type = "application/problem+json"),
    )
)]
async fn login(State(state): State<AppState>, Json(body): Json<LoginRequest>) -> Result<Response> {
    // A malformed email cannot match an account: treat it like an unknown one.
    let user = match users::normalize_email(&body.email) {
        Ok(email) => users::find_by_email(state.db(), &email).await?,
        Err(_) => None,
    };
    let hash = user
        .as_ref()
        .map(|user| user.password_hash.expose().clone());
    let matches = verify_password(body.password, hash).await?;
    let Some(user) = user.filter(|_| matches) else {
        tracing::info!("login refused");
        return Err(ApiError::InvalidCredentials);
    };
    tracing::Span::current().record("user_id", tracing::field::display(user.id));
    let token = state.auth().issue(user.id, user.role)?;
    tracing::info!(role = %user.role, "logged in");
    let mut response = Json(TokenResponse {
        access_token: token,
        token_type: "Bearer",
        expires_in: state.auth().ttl().as_secs(),
    })
    .into_response();
    // RFC 6749 §5.1: a token response must not be cached by anyone on the way.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// The signed-in user.
#[utoipa::path(
    get,
    path = "/auth/me",
    tag = "auth",
    responses(
        (status = OK, description = "The user the token was issued to", body = UserView),
        (status = UNAUTHORIZED, description = "No valid token",
            body = Problem, content_type = "application/problem+json"),
    )
)]
async fn me(user: CurrentUser, State(state): State<AppState>) -> Result<Json<UserView>> {
    let user = user.require(ANY_STAFF)?;
    // The token outlives a removed account by at most its lifetime; say so rather than 404.
    let account = users::find_by_id(state.db(), user.id)
        .await?
        .ok_or(ApiError::Unauthorized)?;
    Ok(Json(UserView::from(account)))
}
