//! The Rental aggregate: equipment units reserved for a customer, checked out and checked in
//! one by one (partial returns allowed), the expected return extended, a security deposit
//! collected, partly retained and refunded, and the rental closed, or cancelled before
//! anything went out.
//!
//! A unit's days are charged at its check-in, by [`pricing`], with the rate card copied into
//! the rental when it was reserved; [`invoicing`] turns the charges into invoice lines.
//! A unit kept beyond the expected return is recorded overdue and charged late fees, day by
//! day, by the daily job's [`AssessOverdue`]; [`late_fee`] has the rules.

mod command;
mod error;
mod event;
pub mod invoicing;
pub mod late_fee;
pub mod pricing;
mod state;
#[cfg(test)]
mod tests;

pub use command::{
    AssessOverdue, BillLateFees, CancelRental, CheckInUnit, CheckOutUnit, CloseRental,
    CollectDeposit, ExtendRental, RefundDeposit, RentalCommand, ReserveRental, RetainDeposit,
};
pub use error::RentalError;
pub use event::{
    LateFeeDay, OverdueUnit, RentalCancelled, RentalClosed, RentalDepositCollected,
    RentalDepositRefunded, RentalDepositRetained, RentalEvent, RentalLateFeeCharged,
    RentalLateFeeReversed, RentalLateFeesBilled, RentalOverdue, RentalReserved,
    RentalReturnExtended, RentalUnitCheckedIn, RentalUnitCheckedOut,
};
pub use late_fee::{DailyLateFee, LateFeePolicy, LateFeePolicyError, LateFeeReversalReason};
pub use pricing::RentalCharge;
pub use state::{
    Cancellation, CheckIn, CheckOut, Closing, Deposit, DepositCollection, DepositRefund,
    DepositRetention, Extension, LateFee, LateFeeReversal, Rental, RentalRecord, RentalStatus,
    RentalUnit, ReservedUnit, UnitCondition, UnitStatus,
};

use std::collections::HashSet;

use chrono::NaiveDate;

use crate::equipment::{CalibrationIssue, CalibrationPolicy, SerialNumber, UnitFacts};
use crate::ids::EquipmentUnitId;
use crate::money::{Currency, Money};
use crate::values::{Lines, TextProblem, check_optional_text, check_text};
use crate::{Aggregate, Ctx};

/// The most units one rental holds. A larger job is split into rentals, so that each
/// invoice drafted from one stays within LHDN's line limits.
pub const MAX_UNITS: usize = 100;
/// A cancellation or retention reason: one line.
const REASON_MAX: usize = 300;
/// A condition note goes on the damage line of an invoice, whose description LHDN limits to
/// 300 characters together with the unit's name.
const NOTE_MAX: usize = 150;

impl Aggregate for Rental {
    /// Stored beside every event of a rental stream: never rename.
    const STREAM_TYPE: &'static str = "rental";
    /// 2: the record keeps the PDFs issued of it.
    const STATE_VERSION: u32 = 2;
    type Command = RentalCommand;
    type Event = RentalEvent;
    type Error = RentalError;

    fn decide(&self, command: &RentalCommand, ctx: &Ctx) -> Result<Vec<RentalEvent>, RentalError> {
        use RentalCommand as C;
        match (self, command) {
            (Self::NotReserved, C::Reserve(c)) => reserve(c, ctx),
            (Self::NotReserved, C::RecordPdf(_)) => Err(RentalError::NotReserved),
            // A receipt of a return is issued after it, maybe after the rental closed.
            (Self::Open(r) | Self::Closed(r) | Self::Cancelled(r), C::RecordPdf(pdf)) => {
                Ok(crate::record_pdf(&r.pdfs, pdf)
                    .map(RentalEvent::RentalReturnReceiptIssued)
                    .into_iter()
                    .collect())
            }
            (Self::Open(_) | Self::Closed(_) | Self::Cancelled(_), C::Reserve(_)) => {
                Err(RentalError::AlreadyReserved)
            }
            (
                Self::NotReserved,
                C::CheckOut(_)
                | C::Extend(_)
                | C::CheckIn(_)
                | C::CollectDeposit(_)
                | C::RetainDeposit(_)
                | C::RefundDeposit(_)
                | C::Close(_)
                | C::Cancel(_)
                | C::BillLateFees(_),
            ) => Err(RentalError::NotReserved),
            // The daily job assesses every rental: one not open has nothing late.
            (Self::NotReserved | Self::Closed(_) | Self::Cancelled(_), C::AssessOverdue(_)) => {
                Ok(vec![])
            }
            (Self::Open(r), C::CheckOut(c)) => check_out(r, c, ctx),
            (Self::Open(r), C::Extend(c)) => extend(r, c, ctx),
            (Self::Open(r), C::CheckIn(c)) => check_in(r, c, ctx),
            (Self::Open(r), C::CollectDeposit(c)) => collect_deposit(r, c, ctx),
            (Self::Open(r), C::RetainDeposit(c)) => retain_deposit(r, c, ctx),
            (Self::Open(r), C::RefundDeposit(RefundDeposit)) => refund_deposit(r, ctx),
            (Self::Open(r), C::Close(CloseRental)) => close(r, ctx),
            (Self::Open(r), C::Cancel(c)) => cancel(r, c, ctx),
            (Self::Open(r), C::AssessOverdue(c)) => late_fee::assess_overdue(r, c, ctx),
            (Self::Open(r), C::BillLateFees(c)) => late_fee::bill_late_fees(r, c, ctx),
            // Closing twice (a retry) is answered as done.
            (Self::Closed(_), C::Close(CloseRental)) => Ok(vec![]),
            (
                Self::Closed(r),
                C::CheckOut(_)
                | C::Extend(_)
                | C::CheckIn(_)
                | C::CollectDeposit(_)
                | C::RetainDeposit(_)
                | C::RefundDeposit(_)
                | C::Cancel(_)
                | C::BillLateFees(_),
            ) => Err(RentalError::Closed {
                // `evolve` sets the closing as it ends the rental (the cancellation likewise,
                // below); the start day only stands in for a snapshot that lost it.
                closed_on: r.closing.as_ref().map_or(r.start_on, |c| c.closed_on),
            }),
            // Cancelling twice (a retry) is answered as done.
            (Self::Cancelled(_), C::Cancel(_)) => Ok(vec![]),
            (
                Self::Cancelled(r),
                C::CheckOut(_)
                | C::Extend(_)
                | C::CheckIn(_)
                | C::CollectDeposit(_)
                | C::RetainDeposit(_)
                | C::RefundDeposit(_)
                | C::Close(_)
                | C::BillLateFees(_),
            ) => Err(RentalError::Cancelled {
                cancelled_on: r
                    .cancellation
                    .as_ref()
                    .map_or(r.start_on, |c| c.cancelled_on),
            }),
        }
    }

    fn evolve(self, event: &RentalEvent) -> Self {
        use RentalEvent as E;
        match self {
            Self::NotReserved => match event {
                E::RentalReserved(e) => Self::Open(Box::new(RentalRecord {
                    id: e.rental_id,
                    customer_id: e.customer_id,
                    currency: e.currency,
                    start_on: e.start_on,
                    expected_return_on: e.expected_return_on,
                    units: e
                        .units
                        .iter()
                        .map(|unit| RentalUnit {
                            unit: unit.clone(),
                            check_out: None,
                            check_in: None,
                        })
                        .collect(),
                    calibration_warnings: e.calibration_warnings.clone(),
                    extensions: Vec::new(),
                    deposit: Deposit {
                        agreed: e.deposit,
                        collection: None,
                        retentions: Vec::new(),
                        refund: None,
                    },
                    reserved_at: e.reserved_at,
                    closing: None,
                    cancellation: None,
                    late_fees: Vec::new(),
                    last_overdue_as_of: None,
                    pdfs: Vec::new(),
                })),
                // `decide` starts every stream with RentalReserved; nothing before it has a
                // rental to change.
                E::RentalUnitCheckedOut(_)
                | E::RentalReturnExtended(_)
                | E::RentalUnitCheckedIn(_)
                | E::RentalDepositCollected(_)
                | E::RentalDepositRetained(_)
                | E::RentalDepositRefunded(_)
                | E::RentalClosed(_)
                | E::RentalCancelled(_)
                | E::RentalOverdue(_)
                | E::RentalLateFeeCharged(_)
                | E::RentalLateFeeReversed(_)
                | E::RentalLateFeesBilled(_)
                | E::RentalReturnReceiptIssued(_) => Self::NotReserved,
            },
            Self::Open(mut rental) => match event {
                E::RentalClosed(e) => {
                    rental.closing = Some(Closing {
                        not_collected: e.not_collected.clone(),
                        closed_on: e.closed_on,
                        closed_at: e.closed_at,
                    });
                    Self::Closed(rental)
                }
                E::RentalCancelled(e) => {
                    rental.cancellation = Some(Cancellation {
                        reason: e.reason.clone(),
                        cancelled_on: e.cancelled_on,
                        cancelled_at: e.cancelled_at,
                    });
                    Self::Cancelled(rental)
                }
                E::RentalReserved(_)
                | E::RentalUnitCheckedOut(_)
                | E::RentalReturnExtended(_)
                | E::RentalUnitCheckedIn(_)
                | E::RentalDepositCollected(_)
                | E::RentalDepositRetained(_)
                | E::RentalDepositRefunded(_)
                | E::RentalOverdue(_)
                | E::RentalLateFeeCharged(_)
                | E::RentalLateFeeReversed(_)
                | E::RentalLateFeesBilled(_)
                | E::RentalReturnReceiptIssued(_) => {
                    apply(&mut rental, event);
                    Self::Open(rental)
                }
            },
            // An ended rental takes no decision but the recording of a receipt's PDF.
            Self::Closed(mut r) => {
                if let E::RentalReturnReceiptIssued(e) = event {
                    r.pdfs.push(e.clone());
                }
                Self::Closed(r)
            }
            Self::Cancelled(mut r) => {
                if let E::RentalReturnReceiptIssued(e) = event {
                    r.pdfs.push(e.clone());
                }
                Self::Cancelled(r)
            }
        }
    }
}

/// Folds an event of an open rental that keeps it open.
fn apply(r: &mut RentalRecord, event: &RentalEvent) {
    use RentalEvent as E;
    match event {
        // A stream is reserved once; closing and cancelling end the rental (in `evolve`).
        E::RentalReserved(_) | E::RentalClosed(_) | E::RentalCancelled(_) => {}
        E::RentalReturnReceiptIssued(e) => r.pdfs.push(e.clone()),
        E::RentalUnitCheckedOut(e) => {
            if let Some(unit) = r.unit_mut(e.unit_id) {
                unit.check_out = Some(CheckOut {
                    on: e.on,
                    collected_by: e.collected_by.clone(),
                    delivery_order_id: e.delivery_order_id,
                    recorded_at: e.recorded_at,
                });
            }
        }
        E::RentalReturnExtended(e) => {
            r.extensions.push(Extension {
                from: e.previous_return_on,
                to: e.expected_return_on,
                extended_at: e.extended_at,
            });
            r.expected_return_on = e.expected_return_on;
            r.calibration_warnings
                .extend(e.calibration_warnings.iter().cloned());
        }
        E::RentalUnitCheckedIn(e) => {
            if let Some(unit) = r.unit_mut(e.unit_id) {
                unit.check_in = Some(CheckIn {
                    on: e.on,
                    condition: e.condition,
                    damage_charge: e.damage_charge,
                    note: e.note.clone(),
                    charge: e.charge,
                    recorded_at: e.recorded_at,
                });
            }
        }
        E::RentalDepositCollected(e) => {
            r.deposit.collection = Some(DepositCollection {
                amount: e.amount,
                collected_on: e.collected_on,
                collected_at: e.collected_at,
            });
        }
        E::RentalDepositRetained(e) => r.deposit.retentions.push(DepositRetention {
            amount: e.amount,
            reason: e.reason.clone(),
            retained_on: e.retained_on,
            retained_at: e.retained_at,
        }),
        E::RentalDepositRefunded(e) => {
            r.deposit.refund = Some(DepositRefund {
                amount: e.amount,
                refunded_on: e.refunded_on,
                refunded_at: e.refunded_at,
            });
        }
        E::RentalOverdue(e) => r.last_overdue_as_of = Some(e.as_of),
        E::RentalLateFeeCharged(e) => r.late_fees.push(LateFee {
            unit_id: e.unit_id,
            serial: e.serial.clone(),
            day: e.day,
            days_late: e.days_late,
            grace_days: e.grace_days,
            amount: e.amount,
            policy_version: e.policy_version,
            charged_at: e.charged_at,
            billed: None,
            reversed: None,
        }),
        E::RentalLateFeeReversed(e) => {
            if let Some(fee) = r.standing_late_fee_mut(e.unit_id, e.day) {
                fee.reversed = Some(LateFeeReversal {
                    reason: e.reason,
                    reversed_at: e.reversed_at,
                });
            }
        }
        E::RentalLateFeesBilled(e) => {
            for billed in &e.fees {
                if let Some(fee) = r.standing_late_fee_mut(billed.unit_id, billed.day) {
                    fee.billed = Some(e.invoice_id);
                }
            }
        }
    }
}

/// A required reason: one line, at most 300 characters.
fn reason(text: &str) -> Result<String, RentalError> {
    match check_text(text, REASON_MAX, Lines::Single) {
        Ok(reason) => Ok(reason),
        Err(TextProblem::Empty) => Err(RentalError::ReasonRequired),
        Err(problem) => Err(RentalError::InvalidText {
            field: "reason",
            problem,
        }),
    }
}

/// An amount given in a command must be in the rental's currency.
fn same_currency(
    field: &'static str,
    amount: Money,
    currency: Currency,
) -> Result<(), RentalError> {
    if amount.currency() == currency {
        Ok(())
    } else {
        Err(RentalError::Currency {
            field,
            expected: currency,
            found: amount.currency(),
        })
    }
}

fn whole_sen(amount: Money) -> bool {
    amount.round_to_sen() == amount
}

/// Checks every unit against the calibration policy until `until`: the warnings to record,
/// or the first refusal.
fn rentable_until(
    units: &[&UnitFacts],
    until: NaiveDate,
    policy: CalibrationPolicy,
) -> Result<Vec<CalibrationIssue>, RentalError> {
    let mut warnings = Vec::new();
    for facts in units {
        if let Some(warning) = facts.rentable_until(until, policy)? {
            warnings.push(warning);
        }
    }
    Ok(warnings)
}

fn reserve(c: &ReserveRental, ctx: &Ctx) -> Result<Vec<RentalEvent>, RentalError> {
    if c.units.is_empty() {
        return Err(RentalError::NoUnits);
    }
    if c.units.len() > MAX_UNITS {
        return Err(RentalError::TooManyUnits { max: MAX_UNITS });
    }
    let mut seen = HashSet::new();
    if let Some(twice) = c.units.iter().find(|u| !seen.insert(u.unit_id)) {
        return Err(RentalError::DuplicateUnit {
            serial: twice.serial.clone(),
        });
    }
    if c.expected_return_on < c.start_on {
        return Err(RentalError::ReturnBeforeStart {
            start_on: c.start_on,
            expected_return_on: c.expected_return_on,
        });
    }
    same_currency("deposit", c.deposit, c.currency)?;
    if c.deposit.is_negative() || !whole_sen(c.deposit) {
        return Err(RentalError::InvalidDeposit);
    }
    // Every charge of a rental goes on one invoice, in one currency.
    if let Some(unit) = c
        .units
        .iter()
        .find(|u| u.rate_card.currency() != c.currency)
    {
        return Err(RentalError::UnitCurrency {
            serial: unit.serial.clone(),
            expected: c.currency,
            found: unit.rate_card.currency(),
        });
    }
    let facts: Vec<&UnitFacts> = c.units.iter().collect();
    let calibration_warnings = rentable_until(&facts, c.expected_return_on, c.calibration_policy)?;
    Ok(vec![RentalEvent::RentalReserved(RentalReserved {
        rental_id: c.id,
        customer_id: c.customer_id,
        currency: c.currency,
        units: c
            .units
            .iter()
            .map(|facts| ReservedUnit {
                unit_id: facts.unit_id,
                serial: facts.serial.clone(),
                class: facts.class,
                nominal_mass: facts.nominal_mass,
                rate_card: facts.rate_card,
                calibration_due_on: facts.calibration_due_on,
            })
            .collect(),
        start_on: c.start_on,
        expected_return_on: c.expected_return_on,
        deposit: c.deposit,
        calibration_warnings,
        reserved_on: ctx.business_day(),
        reserved_at: ctx.now,
    })])
}

fn unit(r: &RentalRecord, id: EquipmentUnitId) -> Result<&RentalUnit, RentalError> {
    r.unit(id)
        .ok_or(RentalError::UnitNotInRental { unit_id: id })
}

fn check_out(
    r: &RentalRecord,
    c: &CheckOutUnit,
    ctx: &Ctx,
) -> Result<Vec<RentalEvent>, RentalError> {
    let unit = unit(r, c.unit_id)?;
    let serial = unit.unit.serial.clone();
    match (&unit.check_out, &unit.check_in) {
        (Some(_), Some(check_in)) => {
            return Err(RentalError::AlreadyReturned {
                serial,
                on: check_in.on,
            });
        }
        // The same check-out again (a retry) is answered as done.
        (Some(out), None)
            if (out.on, &out.collected_by, out.delivery_order_id)
                == (c.on, &c.collected_by, c.delivery_order_id) =>
        {
            return Ok(vec![]);
        }
        (Some(out), None) => return Err(RentalError::AlreadyCheckedOut { serial, on: out.on }),
        (None, _) => {}
    }
    let today = ctx.business_day();
    if c.on > today {
        return Err(RentalError::CheckOutInFuture {
            serial,
            on: c.on,
            today,
        });
    }
    Ok(vec![RentalEvent::RentalUnitCheckedOut(
        RentalUnitCheckedOut {
            unit_id: c.unit_id,
            serial,
            on: c.on,
            collected_by: c.collected_by.clone(),
            delivery_order_id: c.delivery_order_id,
            recorded_at: ctx.now,
        },
    )])
}

fn extend(r: &RentalRecord, c: &ExtendRental, ctx: &Ctx) -> Result<Vec<RentalEvent>, RentalError> {
    let not_back: Vec<&RentalUnit> = r.units_not_back().collect();
    if not_back.is_empty() {
        return Err(RentalError::NothingToExtend);
    }
    if c.expected_return_on < r.expected_return_on {
        return Err(RentalError::ExtensionNotLater {
            current: r.expected_return_on,
            requested: c.expected_return_on,
        });
    }
    // Already extended to that day (a retry).
    if c.expected_return_on == r.expected_return_on {
        return Ok(vec![]);
    }
    if let Some(stranger) = c.units.iter().find(|f| r.unit(f.unit_id).is_none()) {
        return Err(RentalError::UnitNotInRental {
            unit_id: stranger.unit_id,
        });
    }
    let mut facts = Vec::with_capacity(not_back.len());
    for unit in &not_back {
        let found = c
            .units
            .iter()
            .find(|f| f.unit_id == unit.unit.unit_id)
            .ok_or_else(|| RentalError::UnitFactsMissing {
                serial: unit.unit.serial.clone(),
            })?;
        facts.push(found);
    }
    let calibration_warnings = rentable_until(&facts, c.expected_return_on, c.calibration_policy)?;
    let extended = RentalEvent::RentalReturnExtended(RentalReturnExtended {
        previous_return_on: r.expected_return_on,
        expected_return_on: c.expected_return_on,
        calibration_warnings,
        extended_at: ctx.now,
    });
    Ok(late_fee::with_reversals(
        r,
        extended,
        LateFeeReversalReason::Extended,
        ctx.now,
    ))
}

fn check_in(r: &RentalRecord, c: &CheckInUnit, ctx: &Ctx) -> Result<Vec<RentalEvent>, RentalError> {
    let unit = unit(r, c.unit_id)?;
    let serial = unit.unit.serial.clone();
    let note =
        check_optional_text(c.note.as_deref(), NOTE_MAX, Lines::Single).map_err(|problem| {
            RentalError::InvalidText {
                field: "note",
                problem,
            }
        })?;
    let checked_out_on = match (&unit.check_out, &unit.check_in) {
        (None, _) => return Err(RentalError::NotCheckedOut { serial }),
        // The same check-in again (a retry) is answered as done.
        (Some(_), Some(back))
            if (back.on, back.condition, back.damage_charge, &back.note)
                == (c.on, c.condition, c.damage_charge, &note) =>
        {
            return Ok(vec![]);
        }
        (Some(_), Some(back)) => {
            return Err(RentalError::AlreadyReturned {
                serial,
                on: back.on,
            });
        }
        (Some(out), None) => out.on,
    };
    if c.on < checked_out_on {
        return Err(RentalError::CheckInBeforeCheckOut {
            serial,
            checked_out_on,
            checked_in_on: c.on,
        });
    }
    let today = ctx.business_day();
    if c.on > today {
        return Err(RentalError::CheckInInFuture {
            serial,
            on: c.on,
            today,
        });
    }
    check_damage(&serial, c, note.as_deref(), r.currency)?;
    let days = pricing::rental_days(checked_out_on, c.on);
    let charge =
        pricing::charge(&unit.unit.rate_card, days).map_err(|_| RentalError::AmountTooLarge)?;
    let checked_in = RentalEvent::RentalUnitCheckedIn(RentalUnitCheckedIn {
        unit_id: c.unit_id,
        serial,
        on: c.on,
        condition: c.condition,
        damage_charge: c.damage_charge,
        note,
        charge,
        recorded_at: ctx.now,
    });
    Ok(late_fee::with_reversals(
        r,
        checked_in,
        LateFeeReversalReason::ReturnedEarlier,
        ctx.now,
    ))
}

/// The damage charge and note fit the condition: a good unit is charged nothing, and a
/// damaged or lost one says what happened (the note goes on the invoice line).
fn check_damage(
    serial: &SerialNumber,
    c: &CheckInUnit,
    note: Option<&str>,
    currency: Currency,
) -> Result<(), RentalError> {
    same_currency("damage_charge", c.damage_charge, currency)?;
    if c.damage_charge.is_negative() || !whole_sen(c.damage_charge) {
        return Err(RentalError::InvalidDamageCharge {
            serial: serial.clone(),
        });
    }
    match (c.condition, note) {
        (UnitCondition::Good, _) if c.damage_charge.is_positive() => {
            Err(RentalError::DamageChargeOnGoodUnit {
                serial: serial.clone(),
                charge: c.damage_charge,
            })
        }
        (UnitCondition::Good, _) | (UnitCondition::Damaged | UnitCondition::Lost, Some(_)) => {
            Ok(())
        }
        (condition @ (UnitCondition::Damaged | UnitCondition::Lost), None) => {
            Err(RentalError::ConditionNoteRequired {
                serial: serial.clone(),
                condition,
            })
        }
    }
}

fn collect_deposit(
    r: &RentalRecord,
    c: &CollectDeposit,
    ctx: &Ctx,
) -> Result<Vec<RentalEvent>, RentalError> {
    let deposit = &r.deposit;
    if let Some(collection) = &deposit.collection {
        return Err(RentalError::DepositAlreadyCollected {
            amount: collection.amount,
            collected_on: collection.collected_on,
        });
    }
    if !deposit.agreed.is_positive() {
        return Err(RentalError::NoDepositAgreed);
    }
    same_currency("amount", c.amount, r.currency)?;
    if c.amount != deposit.agreed {
        return Err(RentalError::DepositAmountMismatch {
            agreed: deposit.agreed,
            offered: c.amount,
        });
    }
    Ok(vec![RentalEvent::RentalDepositCollected(
        RentalDepositCollected {
            amount: c.amount,
            collected_on: ctx.business_day(),
            collected_at: ctx.now,
        },
    )])
}

fn retain_deposit(
    r: &RentalRecord,
    c: &RetainDeposit,
    ctx: &Ctx,
) -> Result<Vec<RentalEvent>, RentalError> {
    if r.deposit.collection.is_none() {
        return Err(RentalError::DepositNotCollected);
    }
    same_currency("amount", c.amount, r.currency)?;
    if !c.amount.is_positive() || !whole_sen(c.amount) {
        return Err(RentalError::InvalidRetention);
    }
    let available = r.deposit.held();
    if c.amount.amount() > available.amount() {
        return Err(RentalError::OverRetention {
            available,
            requested: c.amount,
        });
    }
    let reason = reason(&c.reason)?;
    Ok(vec![RentalEvent::RentalDepositRetained(
        RentalDepositRetained {
            amount: c.amount,
            reason,
            retained_on: ctx.business_day(),
            retained_at: ctx.now,
        },
    )])
}

fn serials<'a>(units: impl Iterator<Item = &'a RentalUnit>) -> Vec<SerialNumber> {
    units.map(|u| u.unit.serial.clone()).collect()
}

fn refund_deposit(r: &RentalRecord, ctx: &Ctx) -> Result<Vec<RentalEvent>, RentalError> {
    let deposit = &r.deposit;
    if deposit.collection.is_none() {
        return Err(RentalError::DepositNotCollected);
    }
    if let Some(refund) = &deposit.refund {
        return Err(RentalError::DepositAlreadyRefunded {
            amount: refund.amount,
            refunded_on: refund.refunded_on,
        });
    }
    let out = serials(r.units_out());
    if !out.is_empty() {
        return Err(RentalError::RefundWhileUnitsOut { serials: out });
    }
    let held = deposit.held();
    if !held.is_positive() {
        return Err(RentalError::NothingToRefund);
    }
    Ok(vec![RentalEvent::RentalDepositRefunded(
        RentalDepositRefunded {
            amount: held,
            refunded_on: ctx.business_day(),
            refunded_at: ctx.now,
        },
    )])
}

fn close(r: &RentalRecord, ctx: &Ctx) -> Result<Vec<RentalEvent>, RentalError> {
    let out = serials(r.units_out());
    if !out.is_empty() {
        return Err(RentalError::UnitsStillOut { serials: out });
    }
    if r.units.iter().all(|u| u.status() == UnitStatus::Reserved) {
        return Err(RentalError::NothingCheckedOut);
    }
    // Settled means the company holds none of the customer's money: refunded, retained, or
    // never collected.
    let held = r.deposit.held();
    if held.is_positive() {
        return Err(RentalError::DepositHeld { held });
    }
    // A closed rental takes no decision, so fees left unbilled would never be billed. Fees
    // due but not yet assessed are the caller's to assess (as of the closing day) first: the
    // rental does not know the policy.
    if r.unbilled_late_fees().next().is_some() {
        return Err(RentalError::LateFeesUnbilled {
            total: late_fee::sum(r.currency, r.unbilled_late_fees())
                .map_err(|_| RentalError::AmountTooLarge)?,
        });
    }
    Ok(vec![RentalEvent::RentalClosed(RentalClosed {
        not_collected: r
            .units
            .iter()
            .filter(|u| u.status() == UnitStatus::Reserved)
            .map(|u| u.unit.unit_id)
            .collect(),
        closed_on: ctx.business_day(),
        closed_at: ctx.now,
    })])
}

fn cancel(r: &RentalRecord, c: &CancelRental, ctx: &Ctx) -> Result<Vec<RentalEvent>, RentalError> {
    let taken = serials(r.units.iter().filter(|u| u.check_out.is_some()));
    if !taken.is_empty() {
        return Err(RentalError::CancelAfterCheckOut { serials: taken });
    }
    let held = r.deposit.held();
    if held.is_positive() {
        return Err(RentalError::DepositHeld { held });
    }
    let reason = reason(&c.reason)?;
    Ok(vec![RentalEvent::RentalCancelled(RentalCancelled {
        reason,
        cancelled_on: ctx.business_day(),
        cancelled_at: ctx.now,
    })])
}
