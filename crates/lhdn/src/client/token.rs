//! The access token, shared by every call and renewed shortly before it expires: a login per
//! request is throttled by LHDN (12 a minute) and flagged (LHDN.md §1.2).

use std::time::Duration;

use serde::Deserialize;
use tokio::sync::Mutex;
use tokio::time::Instant;

#[derive(Clone)]
pub(super) struct Token {
    access: String,
    /// When to stop using it: a little before LHDN's expiry.
    renew_at: Instant,
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Token")
            .field("access", &"[redacted]")
            .field("renew_at", &self.renew_at)
            .finish()
    }
}

impl Token {
    pub(super) fn from_answer(body: &[u8]) -> Result<Self, String> {
        #[derive(Deserialize)]
        struct Answer {
            access_token: String,
            expires_in: u64,
        }
        let answer: Answer = serde_json::from_slice(body)
            .map_err(|error| format!("a token answer without a token: {error}"))?;
        let lifetime = Duration::from_secs(answer.expires_in);
        // A minute early for LHDN's hour; a tenth early for a short sandbox lifetime.
        let margin = Duration::from_secs(60).min(lifetime / 10);
        Ok(Self {
            access: answer.access_token,
            renew_at: Instant::now() + lifetime - margin,
        })
    }
}

#[derive(Debug, Default)]
pub(super) struct TokenCache {
    current: Mutex<Option<Token>>,
}

impl TokenCache {
    /// The cached token while it is fresh; otherwise one login, which concurrent callers wait
    /// for and share.
    pub(super) async fn get_or_login<F, Fut, E>(&self, login: F) -> Result<String, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Token, E>>,
    {
        let mut current = self.current.lock().await;
        if let Some(token) = current.as_ref()
            && Instant::now() < token.renew_at
        {
            return Ok(token.access.clone());
        }
        let token = login().await?;
        let access = token.access.clone();
        *current = Some(token);
        Ok(access)
    }

    /// Drops `access` if it is still the cached token (LHDN refused it).
    pub(super) async fn forget(&self, access: &str) {
        let mut current = self.current.lock().await;
        if current.as_ref().is_some_and(|token| token.access == access) {
            *current = None;
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    fn token(name: &str, seconds: u64) -> Token {
        Token::from_answer(
            format!(r#"{{"access_token":"{name}","token_type":"Bearer","expires_in":{seconds}}}"#)
                .as_bytes(),
        )
        .unwrap()
    }

    #[tokio::test(start_paused = true)]
    async fn one_login_serves_until_shortly_before_expiry() {
        let cache = TokenCache::default();
        let logins = AtomicU32::new(0);
        let login = || async {
            let n = logins.fetch_add(1, Ordering::SeqCst);
            Ok::<_, ()>(token(&format!("t{n}"), 3600))
        };
        assert_eq!(cache.get_or_login(login).await.unwrap(), "t0");
        tokio::time::advance(Duration::from_secs(3539)).await;
        assert_eq!(cache.get_or_login(login).await.unwrap(), "t0");
        tokio::time::advance(Duration::from_secs(1)).await;
        assert_eq!(cache.get_or_login(login).await.unwrap(), "t1");
        assert_eq!(logins.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn a_refused_token_is_forgotten_and_the_next_call_logs_in() {
        let cache = TokenCache::default();
        let first = cache
            .get_or_login(|| async { Ok::<_, ()>(token("old", 5)) })
            .await;
        cache.forget(&first.unwrap()).await;
        let next = cache
            .get_or_login(|| async { Ok::<_, ()>(token("new", 5)) })
            .await;
        assert_eq!(next.unwrap(), "new");
    }

    #[test]
    fn a_token_answer_without_a_token_is_refused() {
        assert!(Token::from_answer(br#"{"error":"x"}"#).is_err());
    }
}
