//! How long a quotation stays open after it is sent.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::values::ValueError;

/// How many days a sent revision stays open for acceptance: 1 to 365. The company default
/// (30 days) is configuration, passed in the command, and a quotation may override it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "u16", into = "u16")]
pub struct ValidityDays(u16);

const MAX_DAYS: u16 = 365;

impl ValidityDays {
    pub fn new(days: u16) -> Result<Self, ValueError> {
        if (1..=MAX_DAYS).contains(&days) {
            Ok(Self(days))
        } else {
            Err(ValueError::ValidityDays)
        }
    }

    pub fn days(self) -> u16 {
        self.0
    }

    /// The last day a revision sent on `sent_on` may be accepted: valid for 30 days from
    /// 1 June means accepted up to and including 1 July, and expired from 2 July.
    pub fn last_valid_day(self, sent_on: NaiveDate) -> NaiveDate {
        crate::ctx::days_after(sent_on, self.0)
    }
}

impl TryFrom<u16> for ValidityDays {
    type Error = ValueError;
    fn try_from(days: u16) -> Result<Self, Self::Error> {
        Self::new(days)
    }
}

impl From<ValidityDays> for u16 {
    fn from(validity: ValidityDays) -> u16 {
        validity.0
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_validity_is_1_to_365_days() {
        assert_eq!(ValidityDays::new(0), Err(ValueError::ValidityDays));
        assert_eq!(ValidityDays::new(366), Err(ValueError::ValidityDays));
        assert_eq!(ValidityDays::new(30).unwrap().days(), 30);
        assert!(serde_json::from_str::<ValidityDays>("0").is_err());
    }

    #[test]
    fn a_revision_is_valid_through_its_last_day() {
        let sent = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        assert_eq!(
            ValidityDays::new(30).unwrap().last_valid_day(sent),
            NaiveDate::from_ymd_opt(2026, 7, 1).unwrap()
        );
    }
}
