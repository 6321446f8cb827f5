//! Argon2id password hashes (PHC strings, so the parameters travel with each hash and can be
//! raised later without invalidating old ones).

use std::sync::LazyLock;

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier, password_hash::SaltString};

use crate::{error::ApiError, secret::Secret};

/// Company policy: long passphrases rather than complex short passwords.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Hashing cost does not depend on length much, but a cap keeps absurd bodies out.
pub const MAX_PASSWORD_CHARS: usize = 256;

/// Whether a new password is acceptable; the message is for the person choosing it.
pub fn check_password_policy(password: &str) -> Result<(), String> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        Err(format!(
            "a password has at least {MIN_PASSWORD_CHARS} characters"
        ))
    } else if chars > MAX_PASSWORD_CHARS {
        Err(format!(
            "a password has at most {MAX_PASSWORD_CHARS} characters"
        ))
    } else {
        Ok(())
    }
}

/// Hashes on a blocking thread: Argon2 is deliberately slow (tens of milliseconds) and would
/// stall every request sharing the async worker.
pub async fn hash_password(password: Secret<String>) -> Result<String, ApiError> {
    tokio::task::spawn_blocking(move || hash_now(password.expose()))
        .await
        .map_err(ApiError::internal)?
}

fn hash_now(password: &str) -> Result<String, ApiError> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| ApiError::internal(anyhow::anyhow!("argon2: {error}")))
}

/// Whether `password` matches `hash`. With `hash: None` (no such user) it verifies against a
/// dummy hash anyway, so an unknown email takes as long as a wrong password and response
/// times do not tell who has an account.
pub async fn verify_password(
    password: Secret<String>,
    hash: Option<String>,
) -> Result<bool, ApiError> {
    tokio::task::spawn_blocking(move || {
        let known = hash.is_some();
        let hash = match hash {
            Some(hash) => hash,
            None => DUMMY_HASH.clone().ok_or_else(|| {
                ApiError::internal(anyhow::anyhow!("cannot make the dummy password hash"))
            })?,
        };
        let parsed = PasswordHash::new(&hash)
            .map_err(|error| ApiError::internal(anyhow::anyhow!("stored hash: {error}")))?;
        let matches = Argon2::default()
            .verify_password(password.expose().as_bytes(), &parsed)
            .is_ok();
        Ok(known && matches)
    })
    .await
    .map_err(ApiError::internal)?
}

/// A hash with today's parameters of a password nobody knows, made on first use.
static DUMMY_HASH: LazyLock<Option<String>> = LazyLock::new(|| {
    let mut password = [0u8; 16];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut password);
    hash_now(&hex::encode(password)).ok()
});

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let hash = hash_password(Secret::new("correct horse battery".into()))
            .await
            .expect("hashed");
        assert!(hash.starts_with("$argon2id$"));
        let verify = |password: &str, hash: Option<String>| {
            verify_password(Secret::new(password.to_owned()), hash)
        };
        assert!(
            verify("correct horse battery", Some(hash.clone()))
                .await
                .expect("ran")
        );
        assert!(
            !verify("correct horse batterx", Some(hash))
                .await
                .expect("ran")
        );
        assert!(!verify("correct horse battery", None).await.expect("ran"));
    }

    #[test]
    fn the_policy_wants_twelve_characters() {
        assert!(check_password_policy("elevenchars").is_err());
        assert!(check_password_policy("twelve chars").is_ok());
        assert!(check_password_policy(&"x".repeat(257)).is_err());
    }
}
