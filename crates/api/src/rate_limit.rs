//! A small in-process rate limiter for the public, unauthenticated routes (the signature
//! page), per client address. Per instance: with several instances behind a balancer each
//! counts on its own, so the effective limit is the per-instance one times the instances.

use std::{
    collections::HashMap,
    net::IpAddr,
    sync::{Mutex, PoisonError},
    time::{Duration, Instant},
};

/// The window requests are counted in.
const WINDOW: Duration = Duration::from_secs(60);
/// Above this many addresses tracked, windows that ended are dropped first: a flood from
/// many addresses cannot grow the map without bound.
const MAX_TRACKED: usize = 10_000;

/// At most `per_minute` requests per address in each fixed minute-long window.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    per_minute: u32,
    windows: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl RateLimiter {
    pub(crate) fn new(per_minute: u32) -> Self {
        Self {
            per_minute,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a request from `address` at `now`: `Ok` if within the limit, else how long
    /// until the window ends.
    pub(crate) fn check(&self, address: IpAddr, now: Instant) -> Result<(), Duration> {
        // A panic while the lock was held leaves counts that are merely stale.
        let mut windows = self.windows.lock().unwrap_or_else(PoisonError::into_inner);
        if windows.len() >= MAX_TRACKED {
            windows.retain(|_, (start, _)| now.duration_since(*start) < WINDOW);
        }
        let (start, count) = windows.entry(address).or_insert((now, 0));
        if now.duration_since(*start) >= WINDOW {
            *start = now;
            *count = 0;
        }
        if *count >= self.per_minute {
            return Err(WINDOW.saturating_sub(now.duration_since(*start)));
        }
        *count += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use super::*;

    #[test]
    fn an_address_over_its_limit_waits_for_the_next_window_and_others_do_not() {
        let limiter = RateLimiter::new(2);
        let (a, b) = (
            IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        );
        let t0 = Instant::now();
        assert!(limiter.check(a, t0).is_ok());
        assert!(limiter.check(a, t0).is_ok());
        let wait = limiter.check(a, t0 + Duration::from_secs(10));
        assert_eq!(wait, Err(Duration::from_secs(50)));
        assert!(limiter.check(b, t0 + Duration::from_secs(10)).is_ok());
        assert!(limiter.check(a, t0 + WINDOW).is_ok());
    }
}
