//! LHDN's rate limits (LHDN.md §1.3): a sliding one-minute window per client id and
//! endpoint. On the real clock, not the sandbox clock: moving the sandbox clock forward
//! must not let a client off its limit.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::config::{RateLimits, RateProfile};
use crate::endpoint::Endpoint;

const WINDOW: Duration = Duration::from_secs(60);

/// The result of counting one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// No limit applies.
    Unlimited,
    Allowed {
        limit: u32,
        remaining: u32,
    },
    /// Over the limit: retry after this long (the oldest request leaves the window).
    Refused {
        limit: u32,
        retry_after: Duration,
    },
}

#[derive(Debug)]
pub(crate) struct RateLimiter {
    config: RateLimits,
    windows: Mutex<HashMap<(String, Endpoint), VecDeque<Instant>>>,
}

impl RateLimiter {
    pub(crate) fn new(config: RateLimits) -> Self {
        Self {
            config,
            windows: Mutex::new(HashMap::new()),
        }
    }

    pub(crate) fn limit(&self, endpoint: Endpoint) -> Option<u32> {
        if let Some(limit) = self.config.per_minute.get(&endpoint) {
            return Some(*limit);
        }
        let documented = endpoint.documented_rpm()?;
        match self.config.profile {
            RateProfile::Prod => Some(documented),
            RateProfile::Sandbox => Some(documented.div_ceil(2)),
            RateProfile::Off => None,
        }
    }

    pub(crate) fn check(&self, client_id: &str, endpoint: Endpoint) -> Verdict {
        self.check_at(client_id, endpoint, Instant::now())
    }

    fn check_at(&self, client_id: &str, endpoint: Endpoint, now: Instant) -> Verdict {
        let Some(limit) = self.limit(endpoint) else {
            return Verdict::Unlimited;
        };
        let mut windows = self
            .windows
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let window = windows.entry((client_id.to_owned(), endpoint)).or_default();
        while window
            .front()
            .is_some_and(|at| now.duration_since(*at) >= WINDOW)
        {
            window.pop_front();
        }
        let used = u32::try_from(window.len()).unwrap_or(u32::MAX);
        if used >= limit {
            let oldest = window.front().copied().unwrap_or(now);
            return Verdict::Refused {
                limit,
                retry_after: WINDOW.saturating_sub(now.duration_since(oldest)),
            };
        }
        window.push_back(now);
        Verdict::Allowed {
            limit,
            remaining: limit - used - 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn limiter(submit: u32) -> RateLimiter {
        RateLimiter::new(RateLimits {
            profile: RateProfile::Prod,
            per_minute: BTreeMap::from([(Endpoint::Submit, submit)]),
        })
    }

    #[test]
    fn the_window_slides() {
        let limiter = limiter(2);
        let start = Instant::now();
        assert_eq!(
            limiter.check_at("a", Endpoint::Submit, start),
            Verdict::Allowed {
                limit: 2,
                remaining: 1
            }
        );
        limiter.check_at("a", Endpoint::Submit, start + Duration::from_secs(30));
        assert_eq!(
            limiter.check_at("a", Endpoint::Submit, start + Duration::from_secs(40)),
            Verdict::Refused {
                limit: 2,
                retry_after: Duration::from_secs(20)
            }
        );
        // Another client and another endpoint have their own windows.
        assert!(matches!(
            limiter.check_at("b", Endpoint::Submit, start),
            Verdict::Allowed { .. }
        ));
        assert!(matches!(
            limiter.check_at("a", Endpoint::Token, start),
            Verdict::Allowed { limit: 12, .. }
        ));
        assert!(matches!(
            limiter.check_at("a", Endpoint::Submit, start + Duration::from_secs(61)),
            Verdict::Allowed { .. }
        ));
    }

    #[test]
    fn profiles() {
        let sandbox = RateLimiter::new(RateLimits {
            profile: RateProfile::Sandbox,
            per_minute: BTreeMap::new(),
        });
        assert_eq!(sandbox.limit(Endpoint::Submit), Some(50));
        assert_eq!(sandbox.limit(Endpoint::DocumentTypes), None);
        let off = RateLimiter::new(RateLimits {
            profile: RateProfile::Off,
            per_minute: BTreeMap::new(),
        });
        assert_eq!(off.limit(Endpoint::Submit), None);
    }
}
