//! How a quotation and its revisions are named: `QUO-2026-0042 r2`.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::values::{ValueError, string_value};

/// A quotation's number, `QUO-` + year + `-` + a serial of 4 to 8 digits (`QUO-2026-0042`).
/// Numbers are assigned outside the domain (a per-year series, which needs the store) and
/// arrive in the command; every revision keeps the number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct QuotationNumber(String);

string_value!(QuotationNumber);

impl QuotationNumber {
    /// Checks the shape; lower-case `quo-` is upper-cased.
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        let number = input.trim().to_ascii_uppercase();
        let digits = |s: &str, len: std::ops::RangeInclusive<usize>| {
            len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
        };
        let well_formed = number
            .strip_prefix("QUO-")
            .and_then(|rest| rest.split_once('-'))
            .is_some_and(|(year, serial)| digits(year, 4..=4) && digits(serial, 4..=8));
        if well_formed {
            Ok(Self(number))
        } else {
            Err(ValueError::QuotationNumber)
        }
    }

    /// The `serial`-th number of `year`'s series: `QUO-2026-0042`. The serial is zero-padded
    /// to four digits and grows to eight; a larger serial is not a number a series reaches.
    pub fn new(year: i32, serial: u64) -> Self {
        Self(format!("QUO-{year:04}-{serial:04}"))
    }

    /// The number of one revision as printed: `QUO-2026-0042 r2`.
    pub fn with_revision(&self, revision: RevisionNumber) -> String {
        format!("{} {revision}", self.0)
    }
}

/// A revision of a quotation: 1 for the first one sent, then 2, 3… Shown as `r2`, stored as
/// the number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RevisionNumber(u32);

impl RevisionNumber {
    /// The revision a quotation is drafted as.
    pub const FIRST: Self = Self(1);

    /// `None` for 0: revisions count from 1.
    pub fn new(number: u32) -> Option<Self> {
        (number >= 1).then_some(Self(number))
    }

    pub fn get(self) -> u32 {
        self.0
    }

    /// The revision after this one.
    pub fn next(self) -> Self {
        Self(self.0.saturating_add(1))
    }
}

impl fmt::Display for RevisionNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "r{}", self.0)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_quotation_number_is_quo_year_and_serial() {
        let number = QuotationNumber::parse(" quo-2026-0042 ").unwrap();
        assert_eq!(number.as_str(), "QUO-2026-0042");
        assert_eq!(
            number.with_revision(RevisionNumber::FIRST.next()),
            "QUO-2026-0042 r2"
        );
        for input in [
            "",
            "QUO-26-0042",
            "QUO-2026-042",
            "INV-2026-0042",
            "QUO-2026-0042-1",
            "QUO2026-0042",
        ] {
            assert_eq!(
                QuotationNumber::parse(input),
                Err(ValueError::QuotationNumber),
                "{input}"
            );
        }
    }

    #[test]
    fn a_number_is_made_from_the_year_and_its_serial() {
        assert_eq!(QuotationNumber::new(2026, 1).as_str(), "QUO-2026-0001");
        assert_eq!(QuotationNumber::new(2026, 42).as_str(), "QUO-2026-0042");
        assert_eq!(QuotationNumber::new(2026, 12345).as_str(), "QUO-2026-12345");
        for (year, serial) in [(2026, 1), (2027, 9999), (2026, 12_345_678)] {
            let number = QuotationNumber::new(year, serial);
            assert_eq!(QuotationNumber::parse(number.as_str()), Ok(number));
        }
    }

    #[test]
    fn revisions_count_from_1() {
        assert_eq!(RevisionNumber::new(0), None);
        assert_eq!(RevisionNumber::new(1), Some(RevisionNumber::FIRST));
        assert_eq!(RevisionNumber::new(3).unwrap().to_string(), "r3");
        assert_eq!(serde_json::to_string(&RevisionNumber::FIRST).unwrap(), "1");
    }
}
