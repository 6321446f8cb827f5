//! The issuance date validator (LHDN.md §1.14): issue date and time are UTC, not in the
//! future, and not older than 72 hours when LHDN receives the document.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeDelta, Utc};

use super::{Finding, path};
use crate::ubl::Facts;

const TOO_OLD: &str = "SBX030";
const IN_FUTURE: &str = "SBX031";
const UNREADABLE: &str = "SBX032";

/// How far ahead of LHDN's clock a document may be dated: client clocks drift.
pub(crate) const ALLOWED_SKEW: TimeDelta = TimeDelta::minutes(5);
pub(crate) const SUBMISSION_WINDOW: TimeDelta = TimeDelta::hours(72);

pub(crate) fn issued_at(facts: &Facts) -> Option<DateTime<Utc>> {
    let date = NaiveDate::parse_from_str(&facts.issue_date, "%Y-%m-%d").ok()?;
    let time = NaiveTime::parse_from_str(facts.issue_time.strip_suffix('Z')?, "%H:%M:%S").ok()?;
    Some(date.and_time(time).and_utc())
}

pub(crate) fn check(facts: &Facts, received_at: DateTime<Utc>, now: DateTime<Utc>) -> Vec<Finding> {
    let at = |f: Finding| f.at("IssueTime", path("IssueTime"));
    let Some(issued) = issued_at(facts) else {
        return vec![at(Finding::new(
            UNREADABLE,
            "Issuance date and time must be UTC, YYYY-MM-DD and HH:MM:SSZ",
        ))];
    };
    if issued > received_at.max(now) + ALLOWED_SKEW {
        return vec![at(Finding::new(
            IN_FUTURE,
            "Document issuance date and time is in the future",
        ))];
    }
    if received_at - issued > SUBMISSION_WINDOW {
        return vec![at(Finding::new(
            TOO_OLD,
            "Issuance date time value of the document is too old and cannot be submitted",
        ))];
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn facts(date: &str, time: &str) -> Facts {
        Facts {
            issue_date: date.to_owned(),
            issue_time: time.to_owned(),
            ..Facts::default()
        }
    }

    #[test]
    fn issue_times_within_72_hours_and_not_ahead_pass() {
        let received = Utc.with_ymd_and_hms(2026, 6, 4, 1, 0, 0).unwrap();
        let now = received;
        assert!(check(&facts("2026-06-01", "02:00:00Z"), received, now).is_empty());
        assert!(check(&facts("2026-06-04", "01:04:00Z"), received, now).is_empty());
        let old = check(&facts("2026-06-01", "00:59:00Z"), received, now);
        assert_eq!(old[0].code, TOO_OLD);
        let ahead = check(&facts("2026-06-04", "09:00:00Z"), received, now);
        assert_eq!(ahead[0].code, IN_FUTURE);
        let local = check(&facts("2026-06-04", "09:00:00+08:00"), received, now);
        assert_eq!(local[0].code, UNREADABLE);
    }
}
