//! The sandbox clock: the system clock plus an offset that tests (or the admin route) move
//! forward, so the 72-hour windows and token expiry can be crossed without waiting.

use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, TimeDelta, Utc};

#[derive(Debug)]
pub(crate) struct SandboxClock {
    offset_ms: AtomicI64,
}

impl SandboxClock {
    pub(crate) fn new(offset: TimeDelta) -> Self {
        Self {
            offset_ms: AtomicI64::new(offset.num_milliseconds()),
        }
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        Utc::now() + self.offset()
    }

    pub(crate) fn offset(&self) -> TimeDelta {
        TimeDelta::milliseconds(self.offset_ms.load(Ordering::SeqCst))
    }

    /// Moves the clock by `by` (negative goes back) and returns the new offset.
    pub(crate) fn advance(&self, by: TimeDelta) -> TimeDelta {
        let by = by.num_milliseconds();
        TimeDelta::milliseconds(self.offset_ms.fetch_add(by, Ordering::SeqCst) + by)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_now_forward() {
        let clock = SandboxClock::new(TimeDelta::zero());
        let before = clock.now();
        clock.advance(TimeDelta::hours(73));
        assert!(clock.now() - before >= TimeDelta::hours(73));
        assert_eq!(clock.offset(), TimeDelta::hours(73));
    }
}
