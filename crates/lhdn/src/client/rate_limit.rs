//! LHDN's per-client-id limits (LHDN.md §1.3), kept on our side so that one instance does not
//! run into 429s; several instances sharing a client id still may, and the client then waits
//! out `Retry-After`.

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

/// The endpoints with their own limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Endpoint {
    Login,
    ValidateTin,
    SearchTin,
    Submit,
    GetSubmission,
    Cancel,
    RecentDocuments,
    RawDocument,
    DocumentDetails,
    SearchDocuments,
}

impl Endpoint {
    /// Requests per minute per client id, as LHDN documents them.
    pub fn documented_per_minute(self) -> u32 {
        match self {
            Self::Login | Self::Cancel | Self::RecentDocuments | Self::SearchDocuments => 12,
            Self::ValidateTin | Self::SearchTin | Self::RawDocument => 60,
            Self::Submit => 100,
            Self::DocumentDetails => 125,
            Self::GetSubmission => 300,
        }
    }
}

/// Which limits to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RateLimits {
    /// LHDN's documented limits.
    #[default]
    Documented,
    /// None (a local sandbox with its limits off, or a benchmark).
    Off,
}

const WINDOW: Duration = Duration::from_secs(60);

/// A sliding one-minute window per endpoint.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    limits: RateLimits,
    sent: Mutex<HashMap<Endpoint, VecDeque<Instant>>>,
}

impl RateLimiter {
    pub(crate) fn new(limits: RateLimits) -> Self {
        Self {
            limits,
            sent: Mutex::new(HashMap::new()),
        }
    }

    /// Waits until a request to `endpoint` fits in its window, and counts it.
    pub(crate) async fn acquire(&self, endpoint: Endpoint) {
        if self.limits == RateLimits::Off {
            return;
        }
        let limit = endpoint.documented_per_minute() as usize;
        loop {
            let wait = {
                let mut sent = self.sent.lock().await;
                let window = sent.entry(endpoint).or_default();
                let now = Instant::now();
                while window
                    .front()
                    .is_some_and(|at| now.duration_since(*at) >= WINDOW)
                {
                    window.pop_front();
                }
                if window.len() < limit {
                    window.push_back(now);
                    return;
                }
                // The oldest request leaves the window first.
                window.front().map_or(Duration::ZERO, |oldest| {
                    WINDOW - now.duration_since(*oldest)
                })
            };
            tokio::time::sleep(wait).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn the_thirteenth_login_in_a_minute_waits_for_the_first_to_leave_the_window() {
        let limiter = RateLimiter::new(RateLimits::Documented);
        let start = Instant::now();
        for _ in 0..12 {
            limiter.acquire(Endpoint::Login).await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
        limiter.acquire(Endpoint::Login).await;
        assert_eq!(start.elapsed(), WINDOW);
        // Other endpoints keep their own window.
        let before = Instant::now();
        limiter.acquire(Endpoint::Submit).await;
        assert_eq!(before.elapsed(), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn with_limits_off_nothing_waits() {
        let limiter = RateLimiter::new(RateLimits::Off);
        let start = Instant::now();
        for _ in 0..1000 {
            limiter.acquire(Endpoint::Cancel).await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
    }
}
