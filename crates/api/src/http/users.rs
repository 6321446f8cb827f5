//! `POST /users`: an admin adds a staff account.

use axum::{
    extract::State,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use niaga_domain::ids::UserId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    app::AppState,
    auth::{ADMIN_ONLY, CurrentUser, Role, check_password_policy, hash_password, verify_password},
    error::{ApiError, Problem, Result, Validator},
    extract::Json,
    secret::Secret,
    users::{self, InsertUserError, User},
};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(create_user))
}

/// A new staff account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "id": "0190f5c2-6a4e-7c31-9b8e-2f1d3c4b5a69",
    "email": "aminah@syarikat.com.my",
    "password": "teh tarik kurang manis",
    "role": "sales"
}))]
pub(crate) struct NewUserRequest {
    /// Chosen by the client (a UUID) to make retries safe: sending the same request again
    /// answers like the first time instead of 409. A new id is made when absent.
    #[serde(default)]
    id: Option<Uuid>,
    email: String,
    /// At least 12 characters.
    #[schema(value_type = String, format = Password, min_length = 12)]
    password: Secret<String>,
    role: Role,
}

/// A staff account as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct UserView {
    id: Uuid,
    email: String,
    role: Role,
    created_at: DateTime<Utc>,
}

impl From<User> for UserView {
    fn from(user: User) -> Self {
        Self {
            id: *user.id.as_uuid(),
            email: user.email,
            role: user.role,
            created_at: user.created_at,
        }
    }
}

/// Add a staff account (admin only). A duplicate email is 409; repeating a request with the
/// same `id`, email, role and password answers 201 with the account made the first time.
#[utoipa::path(
    post,
    path = "/users",
    tag = "users",
    request_body = NewUserRequest,
    responses(
        (status = CREATED, description = "The account was added", body = UserView,
            headers(("location" = String, description = "/users/{id}"))),
        (status = UNAUTHORIZED, description = "No valid token",
            body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, description = "Not an admin",
            body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, description = "The email or the id is taken",
            body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "Invalid email or too short a password",
            body = Problem, content_type = "application/problem+json"),
    )
)]
async fn create_user(
    user: CurrentUser,
    State(state): State<AppState>,
    Json(body): Json<NewUserRequest>,
) -> Result<Response> {
    let admin = user.require(ADMIN_ONLY)?;
    let mut v = Validator::new();
    let email = v.check("/email", users::normalize_email(&body.email));
    let policy = v.check("/password", check_password_policy(body.password.expose()));
    let email = v.build(|| policy.and(email))?;

    let account = User {
        id: UserId::from_uuid(body.id.unwrap_or_else(Uuid::now_v7)),
        email,
        password_hash: Secret::new(hash_password(body.password.clone()).await?),
        role: body.role,
        created_at: users::now(),
    };
    match users::insert(state.db(), &account).await {
        Ok(()) => {
            tracing::info!(new_user_id = %account.id, role = %account.role, created_by = %admin.id, "user added");
            Ok(created(account))
        }
        Err(InsertUserError::Database(error)) => Err(error.into()),
        Err(clash) => {
            if body.id.is_some()
                && let Some(existing) = users::find_by_id(state.db(), account.id).await?
                && existing.email == account.email
                && existing.role == account.role
                && verify_password(body.password, Some(existing.password_hash.expose().clone()))
                    .await?
            {
                return Ok(created(existing));
            }
            Err(ApiError::Conflict(format!("{clash}.")))
        }
    }
}

fn created(user: User) -> Response {
    let location = format!("/users/{}", user.id);
    (
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(UserView::from(user)),
    )
        .into_response()
}
