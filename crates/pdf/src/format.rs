//! How figures, days and times read on a document.

use chrono::{DateTime, FixedOffset, NaiveDate, Offset as _, Utc};
use rust_decimal::{Decimal, RoundingStrategy};

/// `1,234.50`: two decimals (amounts are whole sen already), thousands grouped.
pub(crate) fn amount(value: Decimal) -> String {
    let rounded = value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    let text = format!("{:.2}", rounded.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, "00"));
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    let sign = if rounded.is_sign_negative() && !rounded.is_zero() {
        "-"
    } else {
        ""
    };
    format!("{sign}{grouped}.{fraction}")
}

/// A quantity without trailing zeros: `2`, `2.5`, `0.125`.
pub(crate) fn quantity(value: Decimal) -> String {
    value.normalize().to_string()
}

/// `30 Nov 2026`.
pub(crate) fn day(day: NaiveDate) -> String {
    day.format("%-d %b %Y").to_string()
}

/// Malaysian time, which has no daylight saving: the offset is fixed.
fn malaysia() -> FixedOffset {
    // Eight hours is within chrono's range; the fallback is never taken.
    FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| Utc.fix())
}

/// `30 Nov 2026 14:05:09 (UTC+08:00)`: times on a document are Malaysian, to the second.
pub(crate) fn time(at: DateTime<Utc>) -> String {
    at.with_timezone(&malaysia())
        .format("%-d %b %Y %H:%M:%S (UTC+08:00)")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_have_two_decimals_and_grouped_thousands() {
        let d = |s: &str| s.parse::<Decimal>().expect("a decimal");
        assert_eq!(amount(d("0")), "0.00");
        assert_eq!(amount(d("5.5")), "5.50");
        assert_eq!(amount(d("999.99")), "999.99");
        assert_eq!(amount(d("1234.5")), "1,234.50");
        assert_eq!(amount(d("1234567.891")), "1,234,567.89");
        assert_eq!(amount(d("-1000")), "-1,000.00");
    }

    #[test]
    fn times_are_printed_in_malaysian_time() {
        let at = DateTime::parse_from_rfc3339("2026-11-30T16:30:00Z")
            .expect("a time")
            .with_timezone(&Utc);
        assert_eq!(time(at), "1 Dec 2026 00:30:00 (UTC+08:00)");
    }
}
