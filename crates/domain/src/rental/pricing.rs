//! What renting one unit costs for a number of days: the cheapest cover of those days by the
//! unit's rate card.
//!
//! # How many days
//!
//! A rental lasts `check-in day − check-out day` days, and at least 1 ([`rental_days`]): the
//! check-out day counts and the check-in day does not, as nights do at a hotel. Out on
//! 1 June and back on 2 June is 1 day; out and back on 1 June is also 1 day (the minimum);
//! out on 1 June and back on 8 June is 7 days.
//!
//! # The charge
//!
//! The rate card has a price per day, per week (7 days) and per month (30 days). The charge
//! for `N` days is the cheapest combination of months, weeks and days that covers at least
//! `N` days: `m × month + w × week + d × day`, over all `m, w, d ≥ 0` with
//! `30m + 7w + d ≥ N`. A larger period may therefore cover a remainder when that is cheaper
//! than counting its days: the customer never pays more than for the days they had, at any
//! mix of rates. Ties go to the cover with the fewest days beyond `N`, then to the one with
//! more months, then more weeks (fewer invoice quantities to read).
//!
//! With RM 50 a day, RM 280 a week and RM 900 a month:
//!
//! | days | cheapest cover            | charge   | every day at the day rate |
//! |------|---------------------------|----------|---------------------------|
//! | 3    | 3 days                    | RM 150   | RM 150                    |
//! | 6    | 1 week                    | RM 280   | RM 300                    |
//! | 8    | 1 week + 1 day            | RM 330   | RM 400                    |
//! | 13   | 2 weeks                   | RM 560   | RM 650                    |
//! | 25   | 1 month                   | RM 900   | RM 1 250                  |
//! | 45   | 1 month + 2 weeks + 1 day | RM 1 510 | RM 2 250                  |
//!
//! For 13 days, 1 week + 6 days would be RM 580: a second week covering the 6 days is
//! cheaper. For 25 days, 3 weeks + 4 days would be RM 1 040: a month covering them is RM 900.
//!
//! The charge is exact: rates are in whole sen ([`RateCard`]), so a sum of them is too and
//! nothing is rounded. Late fees for a unit kept beyond its expected return are not part of
//! this rule.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::equipment::RateCard;
use crate::money::{Money, MoneyError};

/// The days a week covers.
pub const DAYS_PER_WEEK: u32 = 7;
/// The days a month covers, whatever the calendar month.
pub const DAYS_PER_MONTH: u32 = 30;

/// How many days a unit was out: `checked_in_on − checked_out_on`, at least 1. A check-in
/// before the check-out (refused by the rental) counts as 1 day.
pub fn rental_days(checked_out_on: NaiveDate, checked_in_on: NaiveDate) -> u32 {
    let days = (checked_in_on - checked_out_on).num_days().max(1);
    u32::try_from(days).unwrap_or(u32::MAX)
}

/// One unit's rental charge, as decided at its check-in and recorded in the event: the
/// days, the cover that priced them and the amount. Stored forever: never rename a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RentalCharge {
    /// The days charged for ([`rental_days`]).
    pub days: u32,
    /// Months (30 days each) charged at the monthly rate.
    pub billed_months: u32,
    /// Weeks (7 days each) charged at the weekly rate.
    pub billed_weeks: u32,
    /// Days charged at the daily rate.
    pub billed_days: u32,
    /// `billed_months × per month + billed_weeks × per week + billed_days × per day`.
    pub amount: Money,
}

impl RentalCharge {
    /// The days the cover pays for: `days` or, when a larger period covers a remainder,
    /// more.
    pub fn covered_days(&self) -> u64 {
        u64::from(self.billed_months) * u64::from(DAYS_PER_MONTH)
            + u64::from(self.billed_weeks) * u64::from(DAYS_PER_WEEK)
            + u64::from(self.billed_days)
    }
}

/// The charge for renting a unit for `days` days under `card`: the cheapest cover (see the
/// module documentation). Fails only if the amount does not fit in a decimal.
pub fn charge(card: &RateCard, days: u32) -> Result<RentalCharge, MoneyError> {
    let mut best: Option<RentalCharge> = None;
    // More months than cover the days alone would only add to the price.
    for months in 0..=days.div_ceil(DAYS_PER_MONTH) {
        let rest = days.saturating_sub(months.saturating_mul(DAYS_PER_MONTH));
        // With the months fixed, the cost of `w` weeks plus the days they leave is linear in
        // `w` up to `rest / 7` weeks, and only grows past `ceil(rest / 7)`: the cheapest is
        // at no weeks, at the whole weeks in `rest`, or at one more week covering the
        // remainder.
        let whole_weeks = rest / DAYS_PER_WEEK;
        for (weeks, single_days) in [
            (0, rest),
            (whole_weeks, rest % DAYS_PER_WEEK),
            (rest.div_ceil(DAYS_PER_WEEK), 0),
        ] {
            let candidate = priced(card, days, months, weeks, single_days)?;
            if best.is_none_or(|best| preferred(&candidate, &best)) {
                best = Some(candidate);
            }
        }
    }
    match best {
        Some(best) => Ok(best),
        // The loop runs at least once (months = 0).
        None => priced(card, days, 0, 0, days),
    }
}

fn priced(
    card: &RateCard,
    days: u32,
    months: u32,
    weeks: u32,
    single_days: u32,
) -> Result<RentalCharge, MoneyError> {
    let amount = card
        .per_month()
        .checked_mul(Decimal::from(months))?
        .checked_add(card.per_week().checked_mul(Decimal::from(weeks))?)?
        .checked_add(card.per_day().checked_mul(Decimal::from(single_days))?)?;
    Ok(RentalCharge {
        days,
        billed_months: months,
        billed_weeks: weeks,
        billed_days: single_days,
        amount,
    })
}

/// Cheaper first; at the same price, fewer days beyond those rented, then larger periods.
fn preferred(candidate: &RentalCharge, best: &RentalCharge) -> bool {
    let key = |c: &RentalCharge| {
        (
            c.amount.amount(),
            c.covered_days(),
            std::cmp::Reverse(c.billed_months),
            std::cmp::Reverse(c.billed_weeks),
        )
    };
    key(candidate) < key(best)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn card_in_sen(day: i64, week: i64, month: i64) -> RateCard {
        let sen = |s: i64| Money::from_sen(s, crate::money::Currency::MYR);
        RateCard::new(sen(day), sen(week), sen(month)).unwrap()
    }

    fn rm(ringgit: i64) -> Money {
        Money::myr(Decimal::from(ringgit))
    }

    /// RM 50 a day, RM 280 a week, RM 900 a month: the module documentation's card.
    fn documented_card() -> RateCard {
        card_in_sen(5_000, 28_000, 90_000)
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_check_out_day_counts_and_the_check_in_day_does_not() {
        assert_eq!(rental_days(date(2026, 6, 1), date(2026, 6, 2)), 1);
        assert_eq!(rental_days(date(2026, 6, 1), date(2026, 6, 8)), 7);
        assert_eq!(rental_days(date(2026, 6, 1), date(2026, 7, 1)), 30);
    }

    #[test]
    fn a_unit_returned_the_day_it_went_out_is_charged_one_day() {
        assert_eq!(rental_days(date(2026, 6, 1), date(2026, 6, 1)), 1);
    }

    #[test]
    fn the_documented_examples_hold() {
        let card = documented_card();
        for (days, (months, weeks, single), amount) in [
            (3, (0, 0, 3), 150),
            (6, (0, 1, 0), 280),
            (8, (0, 1, 1), 330),
            (13, (0, 2, 0), 560),
            (25, (1, 0, 0), 900),
            (45, (1, 2, 1), 1_510),
        ] {
            let charge = charge(&card, days).unwrap();
            assert_eq!(
                (
                    charge.billed_months,
                    charge.billed_weeks,
                    charge.billed_days
                ),
                (months, weeks, single),
                "{days} days"
            );
            assert_eq!(charge.amount, rm(amount), "{days} days");
            assert_eq!(charge.days, days);
        }
    }

    #[test]
    fn a_week_priced_as_seven_days_is_charged_as_one_week() {
        let card = card_in_sen(4_000, 28_000, 120_000);
        let charge = charge(&card, 7).unwrap();
        assert_eq!((charge.billed_weeks, charge.billed_days), (1, 0));
        assert_eq!(charge.amount, rm(280));
    }

    #[test]
    fn no_days_cost_nothing() {
        let charge = charge(&documented_card(), 0).unwrap();
        assert_eq!(charge.amount, rm(0));
        assert_eq!(charge.covered_days(), 0);
    }

    #[test]
    fn a_long_rental_is_priced_without_trying_every_combination() {
        // Ten years: the search is linear in the months, not cubic in the periods.
        let charge = charge(&documented_card(), 3_650).unwrap();
        assert_eq!(
            (
                charge.billed_months,
                charge.billed_weeks,
                charge.billed_days
            ),
            (121, 3, 0)
        );
        assert_eq!(charge.amount, rm(121 * 900 + 3 * 280));
    }

    /// The cheapest cover in sen, by trying every combination that could be the cheapest.
    fn brute_force(day: i64, week: i64, month: i64, days: u32) -> i64 {
        let mut best = i64::MAX;
        for m in 0..=days.div_ceil(30) {
            for w in 0..=days.div_ceil(7) {
                for d in 0..=days {
                    if 30 * m + 7 * w + d >= days {
                        let cost = i64::from(m) * month + i64::from(w) * week + i64::from(d) * day;
                        best = best.min(cost);
                    }
                }
            }
        }
        best
    }

    fn rates() -> impl Strategy<Value = (i64, i64, i64)> {
        // Any three rates, including a week dearer than seven days or a month cheaper than a
        // week: the rule must hold for whatever a card says.
        (1_i64..=50_000, 1_i64..=400_000, 1_i64..=1_500_000)
    }

    proptest! {
        #[test]
        fn the_charge_is_never_more_than_pricing_every_day_at_the_day_rate(
            (day, week, month) in rates(),
            days in 0_u32..=400,
        ) {
            let card = card_in_sen(day, week, month);
            let charge = charge(&card, days).unwrap();
            prop_assert!(charge.amount.to_sen().unwrap() <= day * i64::from(days));
        }

        #[test]
        fn the_charge_never_falls_as_the_rental_grows(
            (day, week, month) in rates(),
            days in 0_u32..=400,
        ) {
            let card = card_in_sen(day, week, month);
            let shorter = charge(&card, days).unwrap();
            let longer = charge(&card, days + 1).unwrap();
            prop_assert!(shorter.amount.amount() <= longer.amount.amount());
        }

        #[test]
        fn the_charge_is_the_cheapest_of_all_combinations_up_to_120_days(
            (day, week, month) in rates(),
            days in 0_u32..=120,
        ) {
            let card = card_in_sen(day, week, month);
            let charge = charge(&card, days).unwrap();
            prop_assert_eq!(charge.amount.to_sen().unwrap(), brute_force(day, week, month, days));
            prop_assert!(charge.covered_days() >= u64::from(days));
        }
    }
}
