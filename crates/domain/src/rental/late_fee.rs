//! Overdue units and late fees.
//!
//! # When a unit is late
//!
//! A unit is *late on day `d`* when `d` is after the rental's expected return (as agreed or
//! last extended), the unit went out on or before `d`, and it had not come back before `d`:
//! it has no check-in yet, or its check-in is on `d` or later. A unit returned on day `d` was
//! still late that day, as the check-out day counts and the check-in day does not for the
//! rental's own days ([`super::pricing`]). A unit reported lost is late until the check-in
//! that reports it, by the same rule. A unit reserved and never taken is never late.
//!
//! `days_late(d) = d − expected return`: the day after the expected return is day 1.
//!
//! # When a fee is due
//!
//! A fee is due for a unit on day `d` when the unit is late on `d` and `days_late(d)` is more
//! than the policy's grace days: with 2 grace days, the third day late is the first charged.
//! Each fee is one unit's one day, at the policy's daily amount ([`DailyLateFee`]). Fees add up
//! per rental to at most the policy's cap: they are charged in order of day, then of the
//! units as reserved; the fee that reaches the cap is cut to what is left under it, and later
//! ones are not charged. A fee of zero is not charged.
//!
//! # Assessing
//!
//! [`AssessOverdue`](super::AssessOverdue) charges every fee due on or before its `as_of` day
//! that is not standing yet: a day missed while the daily job was down is caught up, and
//! assessing the same day twice charges nothing the second time. A standing fee keeps the
//! amount, grace days and policy version it was charged under: a newer policy applies only to
//! the days it charges. A day left uncharged (a fee of zero, or beyond the cap) is not
//! recorded, so a later policy may charge it.
//!
//! # Reversing
//!
//! A check-in back-dated before days already charged, or an extension of the expected return,
//! makes some standing fees no longer due: the decision that records the check-in or the
//! extension also reverses them ([`RentalLateFeeReversed`](super::RentalLateFeeReversed)),
//! after its own event, each by the grace days it was charged under. A reversal never deletes
//! the fee: it is kept, marked reversed, and one already billed is then owed back to the
//! customer ([`LateFee::credit_due`](super::LateFee::credit_due)). A fee cut by the cap stays
//! as cut when a reversal frees room under the cap: the days still uncharged are charged by
//! the next assessment, in order, so the total is right but may sit on other days than a
//! single assessment after the reversal would have put it.

use std::collections::HashSet;

use chrono::{DateTime, Days, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{
    AssessOverdue, BillLateFees, LateFee, LateFeeDay, OverdueUnit, RentalError, RentalEvent,
    RentalLateFeeCharged, RentalLateFeeReversed, RentalLateFeesBilled, RentalOverdue, RentalRecord,
    RentalUnit, apply,
};
use crate::Ctx;
use crate::equipment::RateCard;
use crate::ids::EquipmentUnitId;
use crate::money::{Currency, Money, MoneyError};

/// Basis points in 100 %.
const BASIS_POINTS: u32 = 10_000;

/// How late returns are charged: company policy, from configuration, passed to every
/// [`AssessOverdue`]. Valid by construction ([`LateFeePolicy::new`]); deserialising goes
/// through the same checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "LateFeePolicyWire", into = "LateFeePolicyWire")]
pub struct LateFeePolicy {
    version: u32,
    grace_days: u32,
    per_day: DailyLateFee,
    cap_per_rental: Option<Money>,
}

/// What one unit's one late day costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DailyLateFee {
    /// The same amount for every unit: zero or more, in whole sen.
    Amount(Money),
    /// A share of the daily price on the unit's rate card as reserved (`5000` is 50 %),
    /// rounded to the sen, half up.
    PercentOfDailyRate { basis_points: u32 },
}

/// Why a late fee policy is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LateFeePolicyError {
    #[error("a late fee policy's version is 1 or more: it is recorded on every fee")]
    VersionZero,
    #[error("the late fee {field} is zero or more, in whole sen (two decimals at most)")]
    InvalidAmount { field: &'static str },
    #[error("the daily late fee is in {per_day} but the cap in {cap}: a policy is in one currency")]
    Currency { per_day: Currency, cap: Currency },
}

impl LateFeePolicy {
    /// A policy: version 1 or more, amounts zero or more in whole sen and in one currency.
    pub fn new(
        version: u32,
        grace_days: u32,
        per_day: DailyLateFee,
        cap_per_rental: Option<Money>,
    ) -> Result<Self, LateFeePolicyError> {
        if version == 0 {
            return Err(LateFeePolicyError::VersionZero);
        }
        let valid = |amount: Money| !amount.is_negative() && amount.round_to_sen() == amount;
        if let DailyLateFee::Amount(amount) = per_day
            && !valid(amount)
        {
            return Err(LateFeePolicyError::InvalidAmount { field: "per_day" });
        }
        if let Some(cap) = cap_per_rental {
            if !valid(cap) {
                return Err(LateFeePolicyError::InvalidAmount {
                    field: "cap_per_rental",
                });
            }
            if let DailyLateFee::Amount(amount) = per_day
                && amount.currency() != cap.currency()
            {
                return Err(LateFeePolicyError::Currency {
                    per_day: amount.currency(),
                    cap: cap.currency(),
                });
            }
        }
        Ok(Self {
            version,
            grace_days,
            per_day,
            cap_per_rental,
        })
    }

    /// Recorded on every fee charged under this policy.
    pub fn version(&self) -> u32 {
        self.version
    }

    /// Late days not charged: the first `grace_days` days after the expected return.
    pub fn grace_days(&self) -> u32 {
        self.grace_days
    }

    pub fn per_day(&self) -> DailyLateFee {
        self.per_day
    }

    /// The most a rental's standing late fees add up to, if capped.
    pub fn cap_per_rental(&self) -> Option<Money> {
        self.cap_per_rental
    }

    /// The fee for one late day of a unit priced by `card`, before any cap.
    pub fn daily_fee(&self, card: &RateCard) -> Result<Money, MoneyError> {
        match self.per_day {
            DailyLateFee::Amount(amount) => Ok(amount),
            DailyLateFee::PercentOfDailyRate { basis_points } => Ok(card
                .per_day()
                .checked_mul(Decimal::from(basis_points) / Decimal::from(BASIS_POINTS))?
                .round_to_sen()),
        }
    }

    /// The currency of the amounts the policy names (one, by construction), or `None` for a
    /// percentage without a cap, which applies in any currency.
    pub fn currency(&self) -> Option<Currency> {
        match (self.per_day, self.cap_per_rental) {
            (DailyLateFee::Amount(amount), _) => Some(amount.currency()),
            (DailyLateFee::PercentOfDailyRate { .. }, cap) => cap.map(|cap| cap.currency()),
        }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct LateFeePolicyWire {
    version: u32,
    grace_days: u32,
    per_day: DailyLateFee,
    #[serde(default)]
    cap_per_rental: Option<Money>,
}

impl TryFrom<LateFeePolicyWire> for LateFeePolicy {
    type Error = LateFeePolicyError;
    fn try_from(wire: LateFeePolicyWire) -> Result<Self, Self::Error> {
        Self::new(
            wire.version,
            wire.grace_days,
            wire.per_day,
            wire.cap_per_rental,
        )
    }
}

impl From<LateFeePolicy> for LateFeePolicyWire {
    fn from(policy: LateFeePolicy) -> Self {
        Self {
            version: policy.version,
            grace_days: policy.grace_days,
            per_day: policy.per_day,
            cap_per_rental: policy.cap_per_rental,
        }
    }
}

/// Why a standing late fee stopped being due.
///
/// Stored in events: never rename a variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LateFeeReversalReason {
    /// A back-dated check-in: the unit was back before the day.
    ReturnedEarlier,
    /// The expected return moved later: the day is no longer late, or within the grace days.
    Extended,
}

/// Days from `from` to `to` (zero if `to` is not after `from`).
fn days_between(from: NaiveDate, to: NaiveDate) -> u32 {
    u32::try_from((to - from).num_days().max(0)).unwrap_or(u32::MAX)
}

/// Whether `unit` is late on `day` (see the module documentation).
pub(super) fn late_on(unit: &RentalUnit, expected_return_on: NaiveDate, day: NaiveDate) -> bool {
    let Some(out) = &unit.check_out else {
        return false;
    };
    day > expected_return_on
        && out.on <= day
        && unit.check_in.as_ref().is_none_or(|back| back.on >= day)
}

/// Whether a fee is due for `unit` on `day` under `grace_days`.
fn fee_due(
    unit: &RentalUnit,
    expected_return_on: NaiveDate,
    grace_days: u32,
    day: NaiveDate,
) -> bool {
    late_on(unit, expected_return_on, day) && days_between(expected_return_on, day) > grace_days
}

/// The standing fees of `after` that are no longer due under its facts, each judged by the
/// grace days it was charged under. `after` is the rental as it will be once the check-in or
/// extension being decided is recorded.
pub fn late_fees_no_longer_due(after: &RentalRecord) -> impl Iterator<Item = &LateFee> {
    after.standing_late_fees().filter(|fee| {
        !after
            .unit(fee.unit_id)
            .is_some_and(|unit| fee_due(unit, after.expected_return_on, fee.grace_days, fee.day))
    })
}

/// `main` (a check-in or an extension), followed by the reversal of every standing fee it
/// makes no longer due, so that the fold of the decision leaves only fees due.
pub(super) fn with_reversals(
    r: &RentalRecord,
    main: RentalEvent,
    reason: LateFeeReversalReason,
    at: DateTime<Utc>,
) -> Vec<RentalEvent> {
    if r.standing_late_fees().next().is_none() {
        return vec![main];
    }
    let mut after = r.clone();
    apply(&mut after, &main);
    let reversals: Vec<RentalEvent> = late_fees_no_longer_due(&after)
        .map(|fee| {
            RentalEvent::RentalLateFeeReversed(RentalLateFeeReversed {
                unit_id: fee.unit_id,
                serial: fee.serial.clone(),
                day: fee.day,
                amount: fee.amount,
                reason,
                reversed_at: at,
            })
        })
        .collect();
    std::iter::once(main).chain(reversals).collect()
}

/// Records the units late on `as_of` (once per day) and charges every fee due up to it.
pub(super) fn assess_overdue(
    r: &RentalRecord,
    c: &AssessOverdue,
    ctx: &Ctx,
) -> Result<Vec<RentalEvent>, RentalError> {
    let today = ctx.business_day();
    // A fee is charged for a day that has come: a unit may still come back before it.
    if c.as_of > today {
        return Err(RentalError::AssessmentInFuture {
            as_of: c.as_of,
            today,
        });
    }
    if let Some(currency) = c.policy.currency()
        && currency != r.currency
    {
        return Err(RentalError::Currency {
            field: "policy",
            expected: r.currency,
            found: currency,
        });
    }
    let mut events = Vec::new();
    if let Some(overdue) = overdue(r, c.as_of, ctx) {
        events.push(RentalEvent::RentalOverdue(overdue));
    }
    events.extend(charges(r, &c.policy, c.as_of, ctx)?);
    Ok(events)
}

/// The overdue record for `as_of`, unless one was recorded for it or a later day, or no
/// unit is late.
fn overdue(r: &RentalRecord, as_of: NaiveDate, ctx: &Ctx) -> Option<RentalOverdue> {
    if r.last_overdue_as_of.is_some_and(|last| last >= as_of) {
        return None;
    }
    let units: Vec<OverdueUnit> = r
        .units
        .iter()
        .filter(|u| late_on(u, r.expected_return_on, as_of))
        .filter_map(|u| {
            let out = u.check_out.as_ref()?;
            Some(OverdueUnit {
                unit_id: u.unit.unit_id,
                serial: u.unit.serial.clone(),
                expected_return_on: r.expected_return_on,
                out_since: out.on,
                days_late: days_between(r.expected_return_on, as_of),
            })
        })
        .collect();
    (!units.is_empty()).then_some(RentalOverdue {
        as_of,
        units,
        recorded_at: ctx.now,
    })
}

/// The fees due on or before `as_of` and not standing, in order of day then unit, capped.
fn charges(
    r: &RentalRecord,
    policy: &LateFeePolicy,
    as_of: NaiveDate,
    ctx: &Ctx,
) -> Result<Vec<RentalEvent>, RentalError> {
    let standing: HashSet<(EquipmentUnitId, NaiveDate)> = r
        .standing_late_fees()
        .map(|fee| (fee.unit_id, fee.day))
        .collect();
    let first_charged = r
        .expected_return_on
        .checked_add_days(Days::new(u64::from(policy.grace_days) + 1));
    let mut due: Vec<(NaiveDate, usize)> = Vec::new();
    for (index, unit) in r.units.iter().enumerate() {
        let (Some(first), Some(out)) = (first_charged, &unit.check_out) else {
            continue;
        };
        let last = unit
            .check_in
            .as_ref()
            .map_or(as_of, |back| back.on.min(as_of));
        due.extend(
            first
                .max(out.on)
                .iter_days()
                .take_while(|day| *day <= last)
                .filter(|day| !standing.contains(&(unit.unit.unit_id, *day)))
                .map(|day| (day, index)),
        );
    }
    due.sort_unstable();
    let too_large = |_| RentalError::AmountTooLarge;
    let mut total = sum(r.currency, r.standing_late_fees()).map_err(too_large)?;
    let mut events = Vec::new();
    for (day, index) in due {
        let unit = &r.units[index];
        let mut amount = policy.daily_fee(&unit.unit.rate_card).map_err(too_large)?;
        if let Some(cap) = policy.cap_per_rental {
            let left = cap.checked_sub(total).map_err(too_large)?;
            if !left.is_positive() {
                break;
            }
            if amount.amount() > left.amount() {
                amount = left;
            }
        }
        if !amount.is_positive() {
            continue;
        }
        total = total.checked_add(amount).map_err(too_large)?;
        events.push(RentalEvent::RentalLateFeeCharged(RentalLateFeeCharged {
            unit_id: unit.unit.unit_id,
            serial: unit.unit.serial.clone(),
            day,
            days_late: days_between(r.expected_return_on, day),
            grace_days: policy.grace_days,
            amount,
            policy_version: policy.version,
            charged_at: ctx.now,
        }));
    }
    Ok(events)
}

/// Bills every standing unbilled fee on one invoice.
pub(super) fn bill_late_fees(
    r: &RentalRecord,
    c: &BillLateFees,
    ctx: &Ctx,
) -> Result<Vec<RentalEvent>, RentalError> {
    // The same invoice again (a retry) is answered as done: an invoice bills once.
    if r.late_fees
        .iter()
        .any(|fee| fee.billed == Some(c.invoice_id))
    {
        return Ok(vec![]);
    }
    let fees: Vec<&LateFee> = r.unbilled_late_fees().collect();
    if fees.is_empty() {
        return Err(RentalError::NoLateFeesToBill);
    }
    let total = sum(r.currency, fees.iter().copied()).map_err(|_| RentalError::AmountTooLarge)?;
    Ok(vec![RentalEvent::RentalLateFeesBilled(
        RentalLateFeesBilled {
            invoice_id: c.invoice_id,
            fees: fees
                .iter()
                .map(|fee| LateFeeDay {
                    unit_id: fee.unit_id,
                    day: fee.day,
                })
                .collect(),
            total,
            billed_at: ctx.now,
        },
    )])
}

/// The sum of some fees' amounts.
pub(super) fn sum<'a>(
    currency: Currency,
    mut fees: impl Iterator<Item = &'a LateFee>,
) -> Result<Money, MoneyError> {
    fees.try_fold(Money::zero(currency), |total, fee| {
        total.checked_add(fee.amount)
    })
}
