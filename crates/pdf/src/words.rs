//! Amounts in words, as Malaysian invoices and cheques write them.

use rust_decimal::{Decimal, RoundingStrategy, prelude::ToPrimitive as _};

const ONES: [&str; 20] = [
    "Zero",
    "One",
    "Two",
    "Three",
    "Four",
    "Five",
    "Six",
    "Seven",
    "Eight",
    "Nine",
    "Ten",
    "Eleven",
    "Twelve",
    "Thirteen",
    "Fourteen",
    "Fifteen",
    "Sixteen",
    "Seventeen",
    "Eighteen",
    "Nineteen",
];
const TENS: [&str; 10] = [
    "", "", "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety",
];
const SCALES: [(u64, &str); 4] = [
    (1_000_000_000_000, "Trillion"),
    (1_000_000_000, "Billion"),
    (1_000_000, "Million"),
    (1_000, "Thousand"),
];

/// An amount of ringgit in English words, the way a Malaysian document writes it:
/// `Ringgit Malaysia One Thousand Two Hundred Thirty-Four and Sen Fifty Only`. Rounded to
/// the sen; `None` for a negative amount or one too large to say (a quadrillion ringgit).
pub fn amount_in_words(amount: Decimal) -> Option<String> {
    if amount.is_sign_negative() && !amount.is_zero() {
        return None;
    }
    let sen_total = (amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
        * Decimal::ONE_HUNDRED)
        .to_u64()?;
    let (ringgit, sen) = (sen_total / 100, sen_total % 100);
    if ringgit >= 1_000_000_000_000_000 {
        return None;
    }
    let mut text = format!("Ringgit Malaysia {}", number(ringgit));
    if sen > 0 {
        text.push_str(&format!(" and Sen {}", number(sen)));
    }
    text.push_str(" Only");
    Some(text)
}

/// A whole number in words: `One Thousand Two Hundred Thirty-Four`.
fn number(n: u64) -> String {
    if n == 0 {
        return ONES[0].to_owned();
    }
    let mut parts = Vec::new();
    let mut rest = n;
    for (scale, name) in SCALES {
        if rest >= scale {
            parts.push(format!("{} {name}", below_thousand(rest / scale)));
            rest %= scale;
        }
    }
    if rest > 0 {
        parts.push(below_thousand(rest));
    }
    parts.join(" ")
}

fn below_thousand(n: u64) -> String {
    let (hundreds, rest) = (n / 100, n % 100);
    let mut parts = Vec::new();
    if hundreds > 0 {
        parts.push(format!("{} Hundred", ONES[hundreds as usize]));
    }
    if rest > 0 {
        parts.push(below_hundred(rest));
    }
    parts.join(" ")
}

fn below_hundred(n: u64) -> String {
    match n {
        0..=19 => ONES[n as usize].to_owned(),
        _ if n.is_multiple_of(10) => TENS[(n / 10) as usize].to_owned(),
        _ => format!("{}-{}", TENS[(n / 10) as usize], ONES[(n % 10) as usize]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(amount: &str) -> Option<String> {
        amount_in_words(amount.parse().expect("a decimal"))
    }

    #[test]
    fn ringgit_and_sen_are_written_out() {
        assert_eq!(
            words("1234.50").as_deref(),
            Some("Ringgit Malaysia One Thousand Two Hundred Thirty-Four and Sen Fifty Only")
        );
    }

    #[test]
    fn whole_ringgit_have_no_sen() {
        assert_eq!(
            words("100").as_deref(),
            Some("Ringgit Malaysia One Hundred Only")
        );
        assert_eq!(words("0").as_deref(), Some("Ringgit Malaysia Zero Only"));
    }

    #[test]
    fn teens_tens_and_scales_read_as_spoken() {
        assert_eq!(
            words("2015013.07").as_deref(),
            Some("Ringgit Malaysia Two Million Fifteen Thousand Thirteen and Sen Seven Only")
        );
        assert_eq!(
            words("90000000.99").as_deref(),
            Some("Ringgit Malaysia Ninety Million and Sen Ninety-Nine Only")
        );
        assert_eq!(
            words("1000001").as_deref(),
            Some("Ringgit Malaysia One Million One Only")
        );
    }

    #[test]
    fn amounts_are_rounded_to_the_sen() {
        assert_eq!(
            words("0.005").as_deref(),
            Some("Ringgit Malaysia Zero and Sen One Only")
        );
    }

    #[test]
    fn a_negative_amount_has_no_words() {
        assert_eq!(words("-1"), None);
    }
}
