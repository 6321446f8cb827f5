//! The signed-in user of a request, and the role check every route makes.

use axum::{
    extract::FromRequestParts,
    http::{header, request::Parts},
};
use chrono::{DateTime, Utc};
use niaga_domain::{Actor, ids::UserId};

use super::Role;
use crate::{app::AppState, error::ApiError};

/// The user whose valid `Authorization: Bearer <token>` came with the request. Extracting it
/// refuses the request with 401 (and `WWW-Authenticate: Bearer`) when the header is missing,
/// malformed, expired or signed by another key.
///
/// Holding a `CurrentUser` only says who is asking; call [`CurrentUser::require`] with the
/// roles the route allows to get an [`Authorized`] user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CurrentUser {
    pub id: UserId,
    pub role: Role,
    /// When the access token expires. A response that lasts (the event stream) ends then, so
    /// a role taken away stops it within one token lifetime, as it stops every other request.
    pub expires_at: DateTime<Utc>,
}

/// A user whose role a route has checked. Building a command's `Ctx` takes one, so a write
/// route cannot forget its role check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Authorized {
    pub id: UserId,
    pub role: Role,
}

impl CurrentUser {
    /// `Ok` if the user's role is one of `allowed`, else 403:
    /// `let user = user.require(SALES_WRITE)?;`
    pub fn require(self, allowed: &[Role]) -> Result<Authorized, ApiError> {
        if allowed.contains(&self.role) {
            Ok(Authorized {
                id: self.id,
                role: self.role,
            })
        } else {
            tracing::info!(role = %self.role, "refused: role not allowed on this route");
            Err(ApiError::Forbidden)
        }
    }
}

impl Authorized {
    /// Who the events of this request are attributed to.
    pub fn actor(&self) -> Actor {
        Actor::User(*self.id.as_uuid())
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        // Verified once per request even when several extractors ask.
        if let Some(user) = parts.extensions.get::<Self>() {
            return Ok(*user);
        }
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(bearer_token)
            .ok_or(ApiError::Unauthorized)?;
        let claims = state.auth().verify(token).map_err(|error| {
            // Why (expired, bad signature) helps an operator; the token itself is never logged.
            tracing::info!(%error, "refused an access token");
            ApiError::Unauthorized
        })?;
        let user = Self {
            id: UserId::from_uuid(claims.sub),
            role: claims.role,
            // Out of chrono's range only if we signed nonsense; refuse it like any bad token.
            expires_at: DateTime::from_timestamp(claims.exp, 0).ok_or(ApiError::Unauthorized)?,
        };
        tracing::Span::current().record("user_id", tracing::field::display(user.id));
        parts.extensions.insert(user);
        Ok(user)
    }
}

/// The token of an `Authorization: Bearer <token>` value (the scheme is case-insensitive).
fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_tokens() {
        assert_eq!(bearer_token("Bearer abc"), Some("abc"));
        assert_eq!(bearer_token("bearer  abc "), Some("abc"));
        assert_eq!(bearer_token("Basic abc"), None);
        assert_eq!(bearer_token("Bearer "), None);
        assert_eq!(bearer_token("Bearer"), None);
    }

    #[test]
    fn require_checks_the_role() {
        let user = CurrentUser {
            id: UserId::from_uuid(uuid::Uuid::now_v7()),
            role: Role::Auditor,
            expires_at: Utc::now(),
        };
        assert!(user.require(super::super::ANY_STAFF).is_ok());
        assert!(matches!(
            user.require(super::super::STAFF_WRITE),
            Err(ApiError::Forbidden)
        ));
    }
}
