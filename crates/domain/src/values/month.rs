//! A calendar month in Malaysian time: what a consolidated e-invoice summarises.

use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::ValueError;
use crate::start_of_business_day;

/// A month, written `2026-11`: the id of its consolidated e-invoice's stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Month {
    /// The month's first day.
    first: NaiveDate,
}

impl Month {
    /// The month `day` falls in.
    pub fn of(day: NaiveDate) -> Self {
        Self {
            first: day.with_day(1).unwrap_or(day),
        }
    }

    /// `2026-11`; a month outside years 1000–9999 is refused.
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        let (year, month) = input.trim().split_once('-').ok_or(ValueError::Month)?;
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        if !(digits(year, 4) && digits(month, 2)) {
            return Err(ValueError::Month);
        }
        let year = year.parse().map_err(|_| ValueError::Month)?;
        let month = month.parse().map_err(|_| ValueError::Month)?;
        NaiveDate::from_ymd_opt(year, month, 1)
            .filter(|_| year >= 1000)
            .map(|first| Self { first })
            .ok_or(ValueError::Month)
    }

    pub fn first_day(self) -> NaiveDate {
        self.first
    }

    /// The month after.
    pub fn next(self) -> Self {
        Self {
            first: self
                .first
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or(NaiveDate::MAX),
        }
    }

    /// The month before.
    pub fn previous(self) -> Self {
        Self {
            first: self
                .first
                .checked_sub_months(chrono::Months::new(1))
                .unwrap_or(NaiveDate::MIN),
        }
    }

    pub fn contains(self, day: NaiveDate) -> bool {
        Self::of(day) == self
    }

    /// Its first instant: midnight of its first day in Malaysia.
    pub fn starts_at(self) -> DateTime<Utc> {
        start_of_business_day(self.first).unwrap_or(DateTime::<Utc>::MIN_UTC)
    }

    /// The instant it is over: midnight of the next month's first day in Malaysia.
    pub fn ends_at(self) -> DateTime<Utc> {
        self.next().starts_at()
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.first.year(), self.first.month())
    }
}

impl std::str::FromStr for Month {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for Month {
    type Error = ValueError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Month> for String {
    fn from(month: Month) -> Self {
        month.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::date;

    #[test]
    fn a_month_is_written_year_dash_month() {
        let november = Month::parse("2026-11").unwrap();
        assert_eq!(november.to_string(), "2026-11");
        assert_eq!(november, Month::of(date(2026, 11, 30)));
        assert_eq!(november.next().to_string(), "2026-12");
        assert_eq!(november.next().next().to_string(), "2027-01");
        assert_eq!(
            Month::parse("2027-01").unwrap().previous(),
            Month::parse("2026-12").unwrap()
        );
        for wrong in ["2026-13", "2026-1", "26-11", "2026/11", "0999-01", ""] {
            assert_eq!(Month::parse(wrong), Err(ValueError::Month), "{wrong}");
        }
    }

    #[test]
    fn a_month_ends_at_midnight_malaysian_time() {
        let november = Month::parse("2026-11").unwrap();
        assert_eq!(november.ends_at().to_rfc3339(), "2026-11-30T16:00:00+00:00");
        assert_eq!(
            november.starts_at().to_rfc3339(),
            "2026-10-31T16:00:00+00:00"
        );
    }
}
