//! What a decision knows about the world beyond the command: the time and who acts.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use chrono_tz::Asia::Kuala_Lumpur;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The context of one command: the clock reading taken at the edge, the acting user and the
/// correlation id that ties the request to the events it writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ctx {
    pub now: DateTime<Utc>,
    pub actor: Actor,
    pub correlation_id: Uuid,
}

impl Ctx {
    pub fn new(now: DateTime<Utc>, actor: Actor, correlation_id: Uuid) -> Self {
        Self {
            now,
            actor,
            correlation_id,
        }
    }

    /// The business day of this command in Asia/Kuala_Lumpur.
    pub fn business_day(&self) -> NaiveDate {
        business_day(self.now)
    }
}

/// The business day an instant falls on. The company works on Malaysian time (UTC+8): an
/// invoice issued at 23:30 UTC on 31 March is dated 1 April.
pub fn business_day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Kuala_Lumpur).date_naive()
}

/// The business day `days` after `day`. At most a few hundred days after a business day:
/// only `NaiveDate::MAX` could overflow, and no command is ever dated there.
pub(crate) fn days_after(day: NaiveDate, days: u16) -> NaiveDate {
    day.checked_add_days(chrono::Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MAX)
}

/// The time of day in Asia/Kuala_Lumpur at `at` (when a daily job is due).
pub fn business_time(at: DateTime<Utc>) -> chrono::NaiveTime {
    at.with_timezone(&Kuala_Lumpur).time()
}

/// The first instant of a business day in Asia/Kuala_Lumpur (its midnight, in UTC): the
/// clock a job run "as of" that day decides with.
pub fn start_of_business_day(day: NaiveDate) -> Option<DateTime<Utc>> {
    let midnight = day
        .and_hms_opt(0, 0, 0)?
        .and_local_timezone(Kuala_Lumpur)
        .earliest()?;
    Some(midnight.with_timezone(&Utc))
}

/// The last instant (to the microsecond, the precision events are recorded at) of a
/// business day in Asia/Kuala_Lumpur: "as of 31 March" means everything recorded that
/// Malaysian day, including the 23:59 entries, which UTC dates on the 31st only until 16:00.
pub fn end_of_business_day(day: NaiveDate) -> Option<DateTime<Utc>> {
    let next_midnight = day
        .succ_opt()?
        .and_hms_opt(0, 0, 0)?
        .and_local_timezone(Kuala_Lumpur)
        .earliest()?;
    Some(next_midnight.with_timezone(&Utc) - TimeDelta::microseconds(1))
}

/// Who acts: a staff user (by id), or the system itself (scheduler, submitter).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
pub enum Actor {
    User(Uuid),
    System(String),
}

impl std::fmt::Display for Actor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::User(id) => write!(f, "user:{id}"),
            Self::System(name) => write!(f, "system:{name}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_business_day_is_malaysian_time() {
        let late_evening_utc = Utc.with_ymd_and_hms(2026, 3, 31, 23, 30, 0).unwrap();
        assert_eq!(
            business_day(late_evening_utc),
            NaiveDate::from_ymd_opt(2026, 4, 1).unwrap()
        );
        let afternoon_utc = Utc.with_ymd_and_hms(2026, 3, 31, 15, 59, 59).unwrap();
        assert_eq!(
            business_day(afternoon_utc),
            NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()
        );
    }

    #[test]
    fn a_business_day_ends_at_midnight_malaysian_time() {
        let end = end_of_business_day(NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()).unwrap();
        assert_eq!(end.to_rfc3339(), "2026-03-31T15:59:59.999999+00:00");
        assert_eq!(
            business_day(end),
            NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()
        );
        assert_eq!(
            business_day(end + TimeDelta::microseconds(1)),
            NaiveDate::from_ymd_opt(2026, 4, 1).unwrap()
        );
    }

    #[test]
    fn a_business_day_starts_at_midnight_malaysian_time() {
        let day = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
        let start = start_of_business_day(day).unwrap();
        assert_eq!(start.to_rfc3339(), "2026-03-31T16:00:00+00:00");
        assert_eq!(business_day(start), day);
        assert_eq!(
            start - TimeDelta::microseconds(1),
            end_of_business_day(NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()).unwrap()
        );
    }
}
