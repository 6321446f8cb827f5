//! Authentication: short-lived HS256 access tokens, Argon2id passwords, the signed-in user
//! extractor and the roles routes allow.

mod current_user;
mod key;
mod password;
mod role;

use std::{fmt, time::Duration};

use chrono::Utc;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use niaga_domain::ids::UserId;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use current_user::{Authorized, CurrentUser};
pub use key::{MIN_KEY_BYTES, load_or_create_key};
pub use password::{
    MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS, check_password_policy, hash_password, verify_password,
};
pub use role::{
    ADMIN_ONLY, ANY_STAFF, AUDIT_READ, FEED_READERS, FINANCE_WRITE, PURCHASING_WRITE, Role,
    SALES_OR_FINANCE_WRITE, SALES_WRITE, STAFF_WRITE, WAREHOUSE_WRITE,
};

use crate::secret::Secret;

/// Issues and checks access tokens. Tokens are stateless: a changed role or a removed user
/// takes effect when the token expires, which is why the lifetime is short (15 minutes by
/// default).
#[derive(Clone)]
pub struct Auth {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    ttl: Duration,
}

/// The claims of an access token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// The user id.
    pub sub: Uuid,
    pub role: Role,
    /// Expiry, seconds since the epoch.
    pub exp: i64,
    /// Issued at, seconds since the epoch.
    pub iat: i64,
}

/// Why an access token was not accepted. Never shown to the client (all are one 401).
#[derive(Debug, thiserror::Error)]
#[error("invalid access token: {0}")]
pub struct InvalidToken(#[from] jsonwebtoken::errors::Error);

impl Auth {
    /// Signs with `key` (at least [`MIN_KEY_BYTES`]: HS256 is only as strong as its key).
    pub fn new(key: &Secret<Vec<u8>>, ttl: Duration) -> anyhow::Result<Self> {
        anyhow::ensure!(
            key.expose().len() >= MIN_KEY_BYTES,
            "the JWT signing key must be at least {MIN_KEY_BYTES} bytes"
        );
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_required_spec_claims(&["exp", "sub"]);
        // A few seconds for clocks of several instances that disagree, not the default minute.
        validation.leeway = 5;
        Ok(Self {
            encoding: EncodingKey::from_secret(key.expose()),
            decoding: DecodingKey::from_secret(key.expose()),
            validation,
            ttl,
        })
    }

    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// A signed access token for the user.
    pub fn issue(&self, user: UserId, role: Role) -> anyhow::Result<String> {
        let iat = Utc::now().timestamp();
        let ttl = i64::try_from(self.ttl.as_secs())?;
        let claims = Claims {
            sub: *user.as_uuid(),
            role,
            exp: iat.saturating_add(ttl),
            iat,
        };
        Ok(jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &self.encoding,
        )?)
    }

    /// The claims of a token this service signed and that has not expired.
    pub fn verify(&self, token: &str) -> Result<Claims, InvalidToken> {
        Ok(jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)?.claims)
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Auth")
            .field("key", &"[redacted]")
            .field("ttl", &self.ttl)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auth(key: &[u8], ttl: u64) -> Auth {
        Auth::new(&Secret::new(key.to_vec()), Duration::from_secs(ttl)).expect("a valid key")
    }

    #[test]
    fn a_token_round_trips() {
        let auth = auth(&[7; 32], 900);
        let user = UserId::from_uuid(Uuid::now_v7());
        let token = auth.issue(user, Role::Finance).expect("a token");
        let claims = auth.verify(&token).expect("valid");
        assert_eq!(claims.sub, *user.as_uuid());
        assert_eq!(claims.role, Role::Finance);
        assert_eq!(claims.exp - claims.iat, 900);
    }

    #[test]
    fn a_token_of_another_key_is_refused() {
        let token = auth(&[7; 32], 900)
            .issue(UserId::from_uuid(Uuid::now_v7()), Role::Admin)
            .expect("a token");
        assert!(auth(&[8; 32], 900).verify(&token).is_err());
    }

    #[test]
    fn an_expired_token_is_refused() {
        let auth = auth(&[7; 32], 900);
        let now = Utc::now().timestamp();
        let claims = Claims {
            sub: Uuid::now_v7(),
            role: Role::Admin,
            exp: now - 60,
            iat: now - 960,
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &auth.encoding)
            .expect("a token");
        assert!(auth.verify(&token).is_err());
    }

    #[test]
    fn a_short_key_is_refused() {
        assert!(Auth::new(&Secret::new(vec![1; 16]), Duration::from_secs(900)).is_err());
    }

    #[test]
    fn debug_hides_the_key() {
        assert!(format!("{:?}", auth(&[7; 32], 900)).contains("[redacted]"));
    }
}
