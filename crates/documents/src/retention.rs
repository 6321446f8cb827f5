//! How long a document is kept.

use chrono::{Datelike as _, NaiveDate};

/// Malaysian record-keeping (Income Tax Act 1967 s82, and LHDN's e-invoice guidance) asks
/// for seven years. Counted from the end of the year of issue, so every document of a year
/// may go on the same day: 31 December of the issue year plus seven.
pub fn retention_until(issued_on: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(issued_on.year() + 7, 12, 31).unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_is_kept_until_the_end_of_the_seventh_year_after_its_year_of_issue() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("a date");
        assert_eq!(retention_until(day(2026, 1, 1)), day(2033, 12, 31));
        assert_eq!(retention_until(day(2026, 12, 31)), day(2033, 12, 31));
        assert_eq!(retention_until(day(2024, 2, 29)), day(2031, 12, 31));
    }
}
