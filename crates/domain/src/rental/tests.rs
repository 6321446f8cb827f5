//! One test per rule, named as the rule.

#![allow(clippy::unwrap_used)]

use chrono::{NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::json;
use uuid::Uuid;

use super::*;
use crate::billing::{self, Adjustments};
use crate::equipment::{
    AccuracyClass, CalibrationIssue, CalibrationPolicy, NominalMass, RateCard, SerialNumber,
    UnitFacts, Unrentable,
};
use crate::ids::{CustomerId, DeliveryOrderId, EquipmentUnitId, RentalId};
use crate::money::{Currency, Money};
use crate::tax::TaxTreatment;
use crate::testing::{self, Given, test_ctx};
use crate::values::{Name, TextProblem};
use crate::{Aggregate, Ctx, DomainEvent};

mod late_fees;

// ---- fixtures ------------------------------------------------------------------------------
//
// The standard rental: units 1 and 2 (20 kg, class M1, RM 40 a day, RM 200 a week, RM 600 a
// month, calibrated until 31 December 2026) from 18 May to 1 June 2026 (today), with a
// deposit of RM 500.

/// `testing::given`, for rentals: an event type alone cannot name its aggregate.
fn given(history: impl IntoIterator<Item = RentalEvent>) -> Given<Rental> {
    testing::given(history)
}

fn rental_id() -> RentalId {
    RentalId::from_uuid(Uuid::from_u128(0x0197_0000_0000_7000_8000_0000_0000_0a01))
}

fn customer_id() -> CustomerId {
    CustomerId::from_uuid(Uuid::from_u128(1))
}

fn unit_id(n: u128) -> EquipmentUnitId {
    EquipmentUnitId::from_uuid(Uuid::from_u128(0x0e00 + n))
}

fn serial(n: u128) -> SerialNumber {
    SerialNumber::parse(&format!("TW-{n:04}")).unwrap()
}

fn delivery_order() -> DeliveryOrderId {
    DeliveryOrderId::from_uuid(Uuid::from_u128(0xd0))
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The business day of [`test_ctx`]: 1 June 2026 in Kuala Lumpur.
fn today() -> NaiveDate {
    date(2026, 6, 1)
}

fn start() -> NaiveDate {
    date(2026, 5, 18)
}

/// A command run at 10:00 in Kuala Lumpur on `day`.
fn on(day: NaiveDate) -> Ctx {
    let ctx = test_ctx();
    Ctx::new(
        Utc.from_utc_datetime(&day.and_hms_opt(2, 0, 0).unwrap()),
        ctx.actor,
        ctx.correlation_id,
    )
}

fn rm(amount: &str) -> Money {
    Money::parse(amount, "MYR").unwrap()
}

/// RM 40 a day, RM 200 a week, RM 600 a month.
fn standard_card() -> RateCard {
    RateCard::new(rm("40"), rm("200"), rm("600")).unwrap()
}

fn facts(n: u128) -> UnitFacts {
    UnitFacts {
        unit_id: unit_id(n),
        serial: serial(n),
        class: AccuracyClass::M1,
        nominal_mass: NominalMass::parse("20 kg").unwrap(),
        rate_card: standard_card(),
        calibration_due_on: Some(date(2026, 12, 31)),
        retired_on: None,
    }
}

fn reserved_unit(facts: &UnitFacts) -> ReservedUnit {
    ReservedUnit {
        unit_id: facts.unit_id,
        serial: facts.serial.clone(),
        class: facts.class,
        nominal_mass: facts.nominal_mass,
        rate_card: facts.rate_card,
        calibration_due_on: facts.calibration_due_on,
    }
}

fn reserve_with(units: Vec<UnitFacts>, deposit: &str, policy: CalibrationPolicy) -> ReserveRental {
    ReserveRental {
        id: rental_id(),
        customer_id: customer_id(),
        currency: Currency::MYR,
        units,
        start_on: start(),
        expected_return_on: today(),
        deposit: rm(deposit),
        calibration_policy: policy,
    }
}

fn reserve(command: ReserveRental) -> RentalCommand {
    RentalCommand::Reserve(command)
}

/// Reserving units 1 and 2 with a deposit of RM 500, refusing lapsed calibrations.
fn standard_reservation() -> ReserveRental {
    reserve_with(vec![facts(1), facts(2)], "500", CalibrationPolicy::Refuse)
}

/// What reserving `command` records today.
fn reserved_by(command: &ReserveRental, warnings: Vec<CalibrationIssue>) -> RentalEvent {
    RentalEvent::RentalReserved(RentalReserved {
        rental_id: command.id,
        customer_id: command.customer_id,
        currency: command.currency,
        units: command.units.iter().map(reserved_unit).collect(),
        start_on: command.start_on,
        expected_return_on: command.expected_return_on,
        deposit: command.deposit,
        calibration_warnings: warnings,
        reserved_on: today(),
        reserved_at: test_ctx().now,
    })
}

fn reserved() -> RentalEvent {
    reserved_by(&standard_reservation(), vec![])
}

/// The standard rental without a deposit.
fn reserved_without_deposit() -> RentalEvent {
    reserved_by(
        &reserve_with(vec![facts(1), facts(2)], "0", CalibrationPolicy::Refuse),
        vec![],
    )
}

fn collector() -> Name {
    Name::parse("Ahmad bin Ismail").unwrap()
}

fn check_out(n: u128, day: NaiveDate) -> RentalCommand {
    RentalCommand::CheckOut(CheckOutUnit {
        unit_id: unit_id(n),
        on: day,
        collected_by: collector(),
        delivery_order_id: Some(delivery_order()),
    })
}

fn checked_out(n: u128, day: NaiveDate) -> RentalEvent {
    RentalEvent::RentalUnitCheckedOut(RentalUnitCheckedOut {
        unit_id: unit_id(n),
        serial: serial(n),
        on: day,
        collected_by: collector(),
        delivery_order_id: Some(delivery_order()),
        recorded_at: test_ctx().now,
    })
}

fn extend(to: NaiveDate, units: Vec<UnitFacts>, policy: CalibrationPolicy) -> RentalCommand {
    RentalCommand::Extend(ExtendRental {
        expected_return_on: to,
        units,
        calibration_policy: policy,
    })
}

fn extended(from: NaiveDate, to: NaiveDate, warnings: Vec<CalibrationIssue>) -> RentalEvent {
    RentalEvent::RentalReturnExtended(RentalReturnExtended {
        previous_return_on: from,
        expected_return_on: to,
        calibration_warnings: warnings,
        extended_at: test_ctx().now,
    })
}

fn check_in_with(
    n: u128,
    day: NaiveDate,
    condition: UnitCondition,
    damage: &str,
    note: Option<&str>,
) -> RentalCommand {
    RentalCommand::CheckIn(CheckInUnit {
        unit_id: unit_id(n),
        on: day,
        condition,
        damage_charge: rm(damage),
        note: note.map(str::to_owned),
    })
}

fn check_in(n: u128, day: NaiveDate) -> RentalCommand {
    check_in_with(n, day, UnitCondition::Good, "0", None)
}

fn charge(days: u32, months: u32, weeks: u32, single_days: u32, amount: &str) -> RentalCharge {
    RentalCharge {
        days,
        billed_months: months,
        billed_weeks: weeks,
        billed_days: single_days,
        amount: rm(amount),
    }
}

fn checked_in_with(
    n: u128,
    day: NaiveDate,
    condition: UnitCondition,
    damage: &str,
    note: Option<&str>,
    charge: RentalCharge,
) -> RentalEvent {
    RentalEvent::RentalUnitCheckedIn(RentalUnitCheckedIn {
        unit_id: unit_id(n),
        serial: serial(n),
        on: day,
        condition,
        damage_charge: rm(damage),
        note: note.map(str::to_owned),
        charge,
        recorded_at: test_ctx().now,
    })
}

/// Unit `n`, out since 18 May, back in good condition today: 14 days, 2 weeks, RM 400.
fn checked_in(n: u128) -> RentalEvent {
    checked_in_with(
        n,
        today(),
        UnitCondition::Good,
        "0",
        None,
        charge(14, 0, 2, 0, "400"),
    )
}

fn collect(amount: &str) -> RentalCommand {
    RentalCommand::CollectDeposit(CollectDeposit { amount: rm(amount) })
}

fn collected() -> RentalEvent {
    RentalEvent::RentalDepositCollected(RentalDepositCollected {
        amount: rm("500"),
        collected_on: today(),
        collected_at: test_ctx().now,
    })
}

fn retain(amount: &str, reason: &str) -> RentalCommand {
    RentalCommand::RetainDeposit(RetainDeposit {
        amount: rm(amount),
        reason: reason.into(),
    })
}

fn retained(amount: &str) -> RentalEvent {
    RentalEvent::RentalDepositRetained(RentalDepositRetained {
        amount: rm(amount),
        reason: "Dented knob".into(),
        retained_on: today(),
        retained_at: test_ctx().now,
    })
}

fn refund() -> RentalCommand {
    RentalCommand::RefundDeposit(RefundDeposit)
}

fn refunded(amount: &str) -> RentalEvent {
    RentalEvent::RentalDepositRefunded(RentalDepositRefunded {
        amount: rm(amount),
        refunded_on: today(),
        refunded_at: test_ctx().now,
    })
}

fn close() -> RentalCommand {
    RentalCommand::Close(CloseRental)
}

fn closed(not_collected: Vec<EquipmentUnitId>) -> RentalEvent {
    RentalEvent::RentalClosed(RentalClosed {
        not_collected,
        closed_on: today(),
        closed_at: test_ctx().now,
    })
}

fn cancel(reason: &str) -> RentalCommand {
    RentalCommand::Cancel(CancelRental {
        reason: reason.into(),
    })
}

fn cancelled() -> RentalEvent {
    RentalEvent::RentalCancelled(RentalCancelled {
        reason: "Customer postponed the audit".into(),
        cancelled_on: today(),
        cancelled_at: test_ctx().now,
    })
}

/// Both units out since 18 May, deposit collected.
fn both_out() -> Vec<RentalEvent> {
    vec![
        reserved(),
        collected(),
        checked_out(1, start()),
        checked_out(2, start()),
    ]
}

/// Both units back today, deposit still held.
fn both_back() -> Vec<RentalEvent> {
    let mut history = both_out();
    history.extend([checked_in(1), checked_in(2)]);
    history
}

fn record(state: &Rental) -> &RentalRecord {
    state.reserved().expect("a reserved rental")
}

fn replay(history: &[RentalEvent]) -> RentalRecord {
    record(&Rental::replay(history)).clone()
}

// ---- reservation ---------------------------------------------------------------------------

#[test]
fn reserving_copies_each_units_facts_and_rate_card_into_the_rental() {
    let state = given([])
        .when(reserve(standard_reservation()))
        .then([reserved()]);
    let r = record(&state);
    assert_eq!((r.id, r.customer_id), (rental_id(), customer_id()));
    assert_eq!(r.status(), RentalStatus::Reserved);
    assert_eq!((r.start_on, r.expected_return_on), (start(), today()));
    assert_eq!(r.units.len(), 2);
    assert_eq!(r.units[0].unit.rate_card, standard_card());
    assert_eq!(r.units[1].status(), UnitStatus::Reserved);
    assert_eq!(r.deposit.agreed, rm("500"));
    assert_eq!(r.deposit.held(), rm("0"));
}

#[test]
fn a_rental_may_end_on_the_day_it_starts() {
    let mut command = standard_reservation();
    command.expected_return_on = command.start_on;
    let event = reserved_by(&command, vec![]);
    given([]).when(reserve(command)).then([event]);
}

#[test]
fn a_rental_may_take_no_deposit() {
    let command = reserve_with(vec![facts(1), facts(2)], "0", CalibrationPolicy::Refuse);
    given([])
        .when(reserve(command))
        .then([reserved_without_deposit()]);
}

#[test]
fn reserving_without_units_is_refused() {
    given([])
        .when(reserve(reserve_with(
            vec![],
            "500",
            CalibrationPolicy::Refuse,
        )))
        .then_err(RentalError::NoUnits);
}

#[test]
fn reserving_more_than_100_units_is_refused() {
    let units = (1..=101).map(facts).collect();
    given([])
        .when(reserve(reserve_with(
            units,
            "500",
            CalibrationPolicy::Refuse,
        )))
        .then_err(RentalError::TooManyUnits { max: 100 });
}

#[test]
fn reserving_the_same_unit_twice_is_refused() {
    let refusal = RentalError::DuplicateUnit { serial: serial(2) };
    assert_eq!(refusal.pointer().as_deref(), Some("/units"));
    given([])
        .when(reserve(reserve_with(
            vec![facts(1), facts(2), facts(2)],
            "500",
            CalibrationPolicy::Refuse,
        )))
        .then_err(refusal);
}

#[test]
fn an_expected_return_before_the_start_is_refused() {
    let mut command = standard_reservation();
    command.expected_return_on = date(2026, 5, 17);
    given([])
        .when(reserve(command))
        .then_err(RentalError::ReturnBeforeStart {
            start_on: start(),
            expected_return_on: date(2026, 5, 17),
        });
}

#[test]
fn a_negative_deposit_or_one_in_fractions_of_a_sen_is_refused() {
    for deposit in ["-1", "100.005"] {
        given([])
            .when(reserve(reserve_with(
                vec![facts(1)],
                deposit,
                CalibrationPolicy::Refuse,
            )))
            .then_err(RentalError::InvalidDeposit);
    }
}

#[test]
fn a_deposit_in_another_currency_than_the_rental_is_refused() {
    let mut command = standard_reservation();
    command.deposit = Money::parse("500", "USD").unwrap();
    let refusal = RentalError::Currency {
        field: "deposit",
        expected: Currency::MYR,
        found: Currency::parse("USD").unwrap(),
    };
    assert_eq!(refusal.pointer().as_deref(), Some("/deposit"));
    given([]).when(reserve(command)).then_err(refusal);
}

#[test]
fn a_unit_priced_in_another_currency_than_the_rental_is_refused() {
    let usd = |a: &str| Money::parse(a, "USD").unwrap();
    let mut dollars = facts(2);
    dollars.rate_card = RateCard::new(usd("10"), usd("50"), usd("150")).unwrap();
    given([])
        .when(reserve(reserve_with(
            vec![facts(1), dollars],
            "500",
            CalibrationPolicy::Refuse,
        )))
        .then_err(RentalError::UnitCurrency {
            serial: serial(2),
            expected: Currency::MYR,
            found: Currency::parse("USD").unwrap(),
        });
}

#[test]
fn reserving_a_retired_unit_is_refused() {
    let mut retired = facts(2);
    retired.retired_on = Some(date(2026, 5, 2));
    let refusal = RentalError::Unrentable(Unrentable::Retired {
        serial: serial(2),
        retired_on: date(2026, 5, 2),
    });
    assert_eq!(
        refusal.to_string(),
        "unit TW-0002 was retired on 2026-05-02 and can no longer be rented"
    );
    // Whatever the calibration policy.
    for policy in [CalibrationPolicy::Warn, CalibrationPolicy::Refuse] {
        given([])
            .when(reserve(reserve_with(
                vec![facts(1), retired.clone()],
                "500",
                policy,
            )))
            .then_err(refusal.clone());
    }
}

/// Unit 2, calibrated until 25 May: not through the 1 June return.
fn lapsing() -> UnitFacts {
    let mut lapsing = facts(2);
    lapsing.calibration_due_on = Some(date(2026, 5, 25));
    lapsing
}

fn lapse_issue(needed_until: NaiveDate) -> CalibrationIssue {
    CalibrationIssue {
        serial: serial(2),
        due_on: Some(date(2026, 5, 25)),
        needed_until,
    }
}

#[test]
fn reserving_a_unit_due_for_calibration_before_the_return_is_refused_under_the_refuse_policy() {
    given([])
        .when(reserve(reserve_with(
            vec![facts(1), lapsing()],
            "500",
            CalibrationPolicy::Refuse,
        )))
        .then_err(RentalError::Unrentable(Unrentable::Calibration(
            lapse_issue(today()),
        )));
}

#[test]
fn reserving_a_unit_due_for_calibration_before_the_return_records_a_warning_under_the_warn_policy()
{
    let command = reserve_with(vec![facts(1), lapsing()], "500", CalibrationPolicy::Warn);
    let event = reserved_by(&command, vec![lapse_issue(today())]);
    let state = given([]).when(reserve(command)).then([event]);
    assert_eq!(record(&state).calibration_warnings, [lapse_issue(today())]);
}

#[test]
fn a_unit_calibrated_through_the_return_day_is_rented_without_a_warning() {
    let mut through = facts(2);
    through.calibration_due_on = Some(today());
    let command = reserve_with(vec![facts(1), through], "500", CalibrationPolicy::Refuse);
    let event = reserved_by(&command, vec![]);
    given([]).when(reserve(command)).then([event]);
}

#[test]
fn reserving_an_existing_rental_is_refused() {
    for history in [vec![reserved()], vec![reserved(), cancelled()]] {
        given(history)
            .when(reserve(standard_reservation()))
            .then_err(RentalError::AlreadyReserved);
    }
}

#[test]
fn commands_to_a_rental_never_reserved_are_refused() {
    for command in [
        check_out(1, start()),
        extend(date(2026, 6, 8), vec![facts(1)], CalibrationPolicy::Refuse),
        check_in(1, today()),
        collect("500"),
        retain("50", "Dented knob"),
        refund(),
        close(),
        cancel("Postponed"),
    ] {
        given([]).when(command).then_err(RentalError::NotReserved);
    }
}

// ---- check-out -----------------------------------------------------------------------------

#[test]
fn checking_out_a_unit_records_the_day_who_took_it_and_the_delivery_order() {
    let state = given([reserved()])
        .when(check_out(1, start()))
        .then([checked_out(1, start())]);
    let r = record(&state);
    assert_eq!(r.status(), RentalStatus::Out);
    let out = r.unit(unit_id(1)).unwrap().check_out.as_ref().unwrap();
    assert_eq!(out.on, start());
    assert_eq!(out.collected_by, collector());
    assert_eq!(out.delivery_order_id, Some(delivery_order()));
    assert_eq!(r.unit(unit_id(2)).unwrap().status(), UnitStatus::Reserved);
}

#[test]
fn a_unit_may_go_out_before_the_rentals_start_day() {
    given([reserved()])
        .when(check_out(1, date(2026, 5, 16)))
        .then([checked_out(1, date(2026, 5, 16))]);
}

#[test]
fn checking_out_a_unit_not_in_the_rental_is_refused() {
    let refusal = RentalError::UnitNotInRental {
        unit_id: unit_id(9),
    };
    assert_eq!(refusal.pointer().as_deref(), Some("/unit_id"));
    given([reserved()])
        .when(check_out(9, start()))
        .then_err(refusal);
}

#[test]
fn checking_out_a_unit_already_out_is_refused() {
    given([reserved(), checked_out(1, start())])
        .when(check_out(1, date(2026, 5, 20)))
        .then_err(RentalError::AlreadyCheckedOut {
            serial: serial(1),
            on: start(),
        });
}

#[test]
fn checking_out_the_same_unit_again_the_same_way_changes_nothing() {
    given([reserved(), checked_out(1, start())])
        .when(check_out(1, start()))
        .then_nothing();
}

#[test]
fn checking_out_a_unit_already_back_is_refused() {
    given([reserved(), checked_out(1, start()), checked_in(1)])
        .when(check_out(1, today()))
        .then_err(RentalError::AlreadyReturned {
            serial: serial(1),
            on: today(),
        });
}

#[test]
fn checking_out_on_a_day_after_today_is_refused() {
    given([reserved()])
        .when(check_out(1, date(2026, 6, 2)))
        .then_err(RentalError::CheckOutInFuture {
            serial: serial(1),
            on: date(2026, 6, 2),
            today: today(),
        });
}

// ---- extension -----------------------------------------------------------------------------

#[test]
fn extending_moves_the_expected_return_later() {
    let state = given(both_out())
        .when(extend(
            date(2026, 6, 15),
            vec![facts(1), facts(2)],
            CalibrationPolicy::Refuse,
        ))
        .then([extended(today(), date(2026, 6, 15), vec![])]);
    let r = record(&state);
    assert_eq!(r.expected_return_on, date(2026, 6, 15));
    assert_eq!(r.extensions.len(), 1);
    assert_eq!(r.extensions[0].from, today());
}

#[test]
fn a_reservation_not_yet_taken_may_be_extended() {
    given([reserved()])
        .when(extend(
            date(2026, 6, 15),
            vec![facts(1), facts(2)],
            CalibrationPolicy::Refuse,
        ))
        .then([extended(today(), date(2026, 6, 15), vec![])]);
}

#[test]
fn extending_to_an_earlier_day_is_refused() {
    let refusal = RentalError::ExtensionNotLater {
        current: today(),
        requested: date(2026, 5, 30),
    };
    assert_eq!(refusal.pointer().as_deref(), Some("/expected_return_on"));
    given(both_out())
        .when(extend(
            date(2026, 5, 30),
            vec![facts(1), facts(2)],
            CalibrationPolicy::Refuse,
        ))
        .then_err(refusal);
}

#[test]
fn extending_to_the_current_expected_return_changes_nothing() {
    given(both_out())
        .when(extend(
            today(),
            vec![facts(1), facts(2)],
            CalibrationPolicy::Refuse,
        ))
        .then_nothing();
}

#[test]
fn extending_once_every_unit_is_back_is_refused() {
    given(both_back())
        .when(extend(date(2026, 6, 15), vec![], CalibrationPolicy::Refuse))
        .then_err(RentalError::NothingToExtend);
}

#[test]
fn only_the_units_not_back_are_checked_when_extending() {
    // Unit 2 is back; its calibration no longer matters and its facts are not needed.
    let mut history = both_out();
    history.push(checked_in(2));
    given(history)
        .when(extend(
            date(2026, 6, 15),
            vec![facts(1)],
            CalibrationPolicy::Refuse,
        ))
        .then([extended(today(), date(2026, 6, 15), vec![])]);
}

#[test]
fn extending_past_a_units_calibration_is_refused_under_the_refuse_policy() {
    let mut due = facts(2);
    due.calibration_due_on = Some(date(2026, 6, 10));
    given(both_out())
        .when(extend(
            date(2026, 6, 15),
            vec![facts(1), due],
            CalibrationPolicy::Refuse,
        ))
        .then_err(RentalError::Unrentable(Unrentable::Calibration(
            CalibrationIssue {
                serial: serial(2),
                due_on: Some(date(2026, 6, 10)),
                needed_until: date(2026, 6, 15),
            },
        )));
}

#[test]
fn extending_past_a_units_calibration_records_a_warning_under_the_warn_policy() {
    let mut due = facts(2);
    due.calibration_due_on = Some(date(2026, 6, 10));
    let warning = CalibrationIssue {
        serial: serial(2),
        due_on: Some(date(2026, 6, 10)),
        needed_until: date(2026, 6, 15),
    };
    let state = given(both_out())
        .when(extend(
            date(2026, 6, 15),
            vec![facts(1), due],
            CalibrationPolicy::Warn,
        ))
        .then([extended(today(), date(2026, 6, 15), vec![warning.clone()])]);
    assert_eq!(record(&state).calibration_warnings, [warning]);
}

#[test]
fn a_unit_recalibrated_since_its_reservation_is_judged_by_its_new_certificate() {
    // Reserved with a warning for a lapsing calibration, then recalibrated before going out.
    let command = reserve_with(vec![facts(1), lapsing()], "0", CalibrationPolicy::Warn);
    let history = [reserved_by(&command, vec![lapse_issue(today())])];
    given(history)
        .when(extend(
            date(2026, 6, 15),
            vec![facts(1), facts(2)],
            CalibrationPolicy::Refuse,
        ))
        .then([extended(today(), date(2026, 6, 15), vec![])]);
}

#[test]
fn extending_without_the_facts_of_a_unit_not_back_is_refused() {
    given(both_out())
        .when(extend(
            date(2026, 6, 15),
            vec![facts(1)],
            CalibrationPolicy::Refuse,
        ))
        .then_err(RentalError::UnitFactsMissing { serial: serial(2) });
}

#[test]
fn extending_with_the_facts_of_a_unit_not_in_the_rental_is_refused() {
    given(both_out())
        .when(extend(
            date(2026, 6, 15),
            vec![facts(1), facts(2), facts(3)],
            CalibrationPolicy::Refuse,
        ))
        .then_err(RentalError::UnitNotInRental {
            unit_id: unit_id(3),
        });
}

// ---- check-in ------------------------------------------------------------------------------

#[test]
fn checking_in_a_unit_charges_its_days_at_the_rate_card_it_was_reserved_with() {
    // 18 May to 1 June: 14 days, two weeks at RM 200, not 14 days at RM 40 (RM 560).
    let state = given(both_out())
        .when(check_in(1, today()))
        .then([checked_in(1)]);
    let back = record(&state)
        .unit(unit_id(1))
        .unwrap()
        .check_in
        .clone()
        .unwrap();
    assert_eq!(back.charge, charge(14, 0, 2, 0, "400"));
    assert_eq!(back.condition, UnitCondition::Good);
}

#[test]
fn units_may_come_back_one_at_a_time() {
    let state = given(both_out())
        .when(check_in(1, today()))
        .then([checked_in(1)]);
    let r = record(&state);
    assert_eq!(r.status(), RentalStatus::Out);
    assert_eq!(
        r.units_out()
            .map(|u| u.unit.serial.clone())
            .collect::<Vec<_>>(),
        [serial(2)]
    );
    let mut history = both_out();
    history.push(checked_in(1));
    let state = given(history)
        .when(check_in(2, today()))
        .then([checked_in(2)]);
    assert_eq!(record(&state).status(), RentalStatus::Returned);
}

#[test]
fn a_back_dated_check_in_is_allowed_and_charged_to_the_day_it_came_back() {
    // Recorded today, back on 25 May: 7 days, one week.
    given(both_out())
        .when(check_in(1, date(2026, 5, 25)))
        .then([checked_in_with(
            1,
            date(2026, 5, 25),
            UnitCondition::Good,
            "0",
            None,
            charge(7, 0, 1, 0, "200"),
        )]);
}

#[test]
fn a_back_dated_check_in_before_check_out_is_refused() {
    let refusal = RentalError::CheckInBeforeCheckOut {
        serial: serial(1),
        checked_out_on: start(),
        checked_in_on: date(2026, 5, 17),
    };
    assert_eq!(
        refusal.to_string(),
        "unit TW-0001 went out on 2026-05-18: it cannot be checked in on 2026-05-17, before that"
    );
    assert_eq!(refusal.pointer().as_deref(), Some("/on"));
    given(both_out())
        .when(check_in(1, date(2026, 5, 17)))
        .then_err(refusal);
}

#[test]
fn a_check_in_after_today_is_refused() {
    given(both_out())
        .when(check_in(1, date(2026, 6, 2)))
        .then_err(RentalError::CheckInInFuture {
            serial: serial(1),
            on: date(2026, 6, 2),
            today: today(),
        });
}

#[test]
fn a_unit_back_the_day_it_went_out_is_charged_one_day() {
    given([reserved(), checked_out(1, today())])
        .when(check_in(1, today()))
        .then([checked_in_with(
            1,
            today(),
            UnitCondition::Good,
            "0",
            None,
            charge(1, 0, 0, 1, "40"),
        )]);
}

#[test]
fn a_unit_out_for_a_month_and_more_is_charged_by_the_month_first() {
    // Out 15 April, back 1 June: 47 days = 1 month + 2 weeks + 3 days = RM 600 + 400 + 120,
    // cheaper than 1 month + 3 weeks (RM 1 200).
    given([reserved(), checked_out(1, date(2026, 4, 15))])
        .when(check_in(1, today()))
        .then([checked_in_with(
            1,
            today(),
            UnitCondition::Good,
            "0",
            None,
            charge(47, 1, 2, 3, "1120"),
        )]);
}

#[test]
fn a_month_covers_the_last_days_when_it_is_cheaper_than_weeks() {
    // Extended to 15 June and back that day: 28 days, 4 weeks would be RM 800, a month is
    // RM 600.
    let mut history = both_out();
    history.push(extended(today(), date(2026, 6, 15), vec![]));
    let ctx = on(date(2026, 6, 15));
    let RentalEvent::RentalUnitCheckedIn(expected) = checked_in_with(
        1,
        date(2026, 6, 15),
        UnitCondition::Good,
        "0",
        None,
        charge(28, 1, 0, 0, "600"),
    ) else {
        unreachable!()
    };
    given(history)
        .at(ctx.clone())
        .when(check_in(1, date(2026, 6, 15)))
        .then([RentalEvent::RentalUnitCheckedIn(RentalUnitCheckedIn {
            recorded_at: ctx.now,
            ..expected
        })]);
}

#[test]
fn checking_in_a_unit_that_is_not_out_is_refused() {
    let refusal = RentalError::NotCheckedOut { serial: serial(2) };
    assert_eq!(
        refusal.to_string(),
        "unit TW-0002 has not gone out: only a unit with the customer can be checked in"
    );
    given([reserved(), checked_out(1, start())])
        .when(check_in(2, today()))
        .then_err(refusal);
}

#[test]
fn checking_in_a_unit_not_in_the_rental_is_refused() {
    given(both_out())
        .when(check_in(9, today()))
        .then_err(RentalError::UnitNotInRental {
            unit_id: unit_id(9),
        });
}

#[test]
fn checking_in_a_unit_already_back_is_refused() {
    let mut history = both_out();
    history.push(checked_in(1));
    given(history)
        .when(check_in(1, date(2026, 5, 30)))
        .then_err(RentalError::AlreadyReturned {
            serial: serial(1),
            on: today(),
        });
}

#[test]
fn checking_in_the_same_unit_again_the_same_way_changes_nothing() {
    let mut history = both_out();
    history.push(checked_in(1));
    given(history).when(check_in(1, today())).then_nothing();
}

#[test]
fn a_damaged_unit_carries_its_damage_charge_and_note() {
    let state = given(both_out())
        .when(check_in_with(
            1,
            today(),
            UnitCondition::Damaged,
            "150.00",
            Some(" Dented adjusting cavity cap "),
        ))
        .then([checked_in_with(
            1,
            today(),
            UnitCondition::Damaged,
            "150.00",
            Some("Dented adjusting cavity cap"),
            charge(14, 0, 2, 0, "400"),
        )]);
    let back = record(&state).unit(unit_id(1)).unwrap().check_in.clone();
    assert_eq!(back.map(|b| b.damage_charge), Some(rm("150")));
}

#[test]
fn a_lost_unit_is_checked_in_as_lost_with_its_replacement_charge() {
    given(both_out())
        .when(check_in_with(
            2,
            today(),
            UnitCondition::Lost,
            "2800.00",
            Some("Fell into the river at the site"),
        ))
        .then([checked_in_with(
            2,
            today(),
            UnitCondition::Lost,
            "2800.00",
            Some("Fell into the river at the site"),
            charge(14, 0, 2, 0, "400"),
        )]);
}

#[test]
fn a_damaged_unit_may_be_checked_in_without_charging_the_damage() {
    given(both_out())
        .when(check_in_with(
            1,
            today(),
            UnitCondition::Damaged,
            "0",
            Some("Scratched, waived"),
        ))
        .then([checked_in_with(
            1,
            today(),
            UnitCondition::Damaged,
            "0",
            Some("Scratched, waived"),
            charge(14, 0, 2, 0, "400"),
        )]);
}

#[test]
fn a_unit_in_good_condition_carries_no_damage_charge() {
    let refusal = RentalError::DamageChargeOnGoodUnit {
        serial: serial(1),
        charge: rm("10"),
    };
    assert_eq!(refusal.pointer().as_deref(), Some("/damage_charge"));
    given(both_out())
        .when(check_in_with(1, today(), UnitCondition::Good, "10", None))
        .then_err(refusal);
}

#[test]
fn a_damaged_or_lost_unit_needs_a_note_saying_what_happened() {
    for condition in [UnitCondition::Damaged, UnitCondition::Lost] {
        given(both_out())
            .when(check_in_with(1, today(), condition, "100", Some("  ")))
            .then_err(RentalError::ConditionNoteRequired {
                serial: serial(1),
                condition,
            });
    }
}

#[test]
fn a_condition_note_is_one_line_of_at_most_150_characters() {
    given(both_out())
        .when(check_in_with(
            1,
            today(),
            UnitCondition::Damaged,
            "100",
            Some(&"x".repeat(151)),
        ))
        .then_err(RentalError::InvalidText {
            field: "note",
            problem: TextProblem::TooLong { max: 150 },
        });
}

#[test]
fn a_negative_damage_charge_or_one_in_fractions_of_a_sen_is_refused() {
    for damage in ["-1", "10.001"] {
        given(both_out())
            .when(check_in_with(
                1,
                today(),
                UnitCondition::Damaged,
                damage,
                Some("Dent"),
            ))
            .then_err(RentalError::InvalidDamageCharge { serial: serial(1) });
    }
}

#[test]
fn a_damage_charge_in_another_currency_is_refused() {
    let command = RentalCommand::CheckIn(CheckInUnit {
        unit_id: unit_id(1),
        on: today(),
        condition: UnitCondition::Damaged,
        damage_charge: Money::parse("10", "USD").unwrap(),
        note: Some("Dent".into()),
    });
    given(both_out())
        .when(command)
        .then_err(RentalError::Currency {
            field: "damage_charge",
            expected: Currency::MYR,
            found: Currency::parse("USD").unwrap(),
        });
}

// ---- deposit -------------------------------------------------------------------------------

#[test]
fn collecting_the_deposit_records_it_and_the_company_holds_it() {
    let state = given([reserved()])
        .when(collect("500.00"))
        .then([collected()]);
    let deposit = &record(&state).deposit;
    assert_eq!(deposit.collected(), rm("500"));
    assert_eq!(deposit.held(), rm("500"));
}

#[test]
fn collecting_the_deposit_twice_is_refused() {
    given([reserved(), collected()])
        .when(collect("500"))
        .then_err(RentalError::DepositAlreadyCollected {
            amount: rm("500"),
            collected_on: today(),
        });
}

#[test]
fn collecting_another_amount_than_the_deposit_is_refused() {
    let refusal = RentalError::DepositAmountMismatch {
        agreed: rm("500"),
        offered: rm("450"),
    };
    assert_eq!(refusal.pointer().as_deref(), Some("/amount"));
    given([reserved()]).when(collect("450")).then_err(refusal);
}

#[test]
fn collecting_a_deposit_for_a_rental_without_one_is_refused() {
    given([reserved_without_deposit()])
        .when(collect("500"))
        .then_err(RentalError::NoDepositAgreed);
}

#[test]
fn retaining_part_of_the_deposit_records_the_amount_and_reason() {
    let mut history = both_back();
    history.push(retained("150"));
    let state = given(both_back())
        .when(retain("150", " Dented knob "))
        .then([retained("150")]);
    assert_eq!(record(&state).deposit.held(), rm("350"));
    // Several retentions may follow each other.
    let state = given(history)
        .when(retain("50", "Dented knob"))
        .then([retained("50")]);
    assert_eq!(record(&state).deposit.retained(), rm("200"));
    assert_eq!(record(&state).deposit.held(), rm("300"));
}

#[test]
fn retaining_more_than_the_deposit_is_refused() {
    let refusal = RentalError::OverRetention {
        available: rm("500"),
        requested: rm("500.01"),
    };
    assert_eq!(
        refusal.to_string(),
        "MYR 500.01 is more than the MYR 500.00 of the deposit still held: a retention takes at most what is left"
    );
    given(both_back())
        .when(retain("500.01", "Lost unit"))
        .then_err(refusal);
}

#[test]
fn retaining_more_than_is_left_after_earlier_retentions_is_refused() {
    let mut history = both_back();
    history.push(retained("450"));
    given(history)
        .when(retain("60", "Cleaning"))
        .then_err(RentalError::OverRetention {
            available: rm("50"),
            requested: rm("60"),
        });
}

#[test]
fn retaining_after_the_refund_is_refused() {
    let mut history = both_back();
    history.extend([retained("100"), refunded("400")]);
    given(history)
        .when(retain("1", "Late"))
        .then_err(RentalError::OverRetention {
            available: rm("0"),
            requested: rm("1"),
        });
}

#[test]
fn the_whole_deposit_may_be_retained() {
    given(both_back())
        .when(retain("500", "Dented knob"))
        .then([retained("500")]);
}

#[test]
fn retaining_before_the_deposit_is_collected_is_refused() {
    given([reserved()])
        .when(retain("50", "Dented knob"))
        .then_err(RentalError::DepositNotCollected);
}

#[test]
fn a_retention_is_more_than_zero_in_whole_sen_with_a_reason() {
    for amount in ["0", "-5", "5.001"] {
        given(both_back())
            .when(retain(amount, "Dented knob"))
            .then_err(RentalError::InvalidRetention);
    }
    given(both_back())
        .when(retain("50", " "))
        .then_err(RentalError::ReasonRequired);
}

#[test]
fn refunding_returns_what_is_left_of_the_deposit() {
    let mut history = both_back();
    history.push(retained("150"));
    let state = given(history).when(refund()).then([refunded("350")]);
    let deposit = &record(&state).deposit;
    assert_eq!(deposit.refunded(), rm("350"));
    assert_eq!(deposit.held(), rm("0"));
}

#[test]
fn refunding_while_a_unit_is_out_is_refused() {
    let mut history = both_out();
    history.push(checked_in(1));
    let refusal = RentalError::RefundWhileUnitsOut {
        serials: vec![serial(2)],
    };
    assert_eq!(
        refusal.to_string(),
        "unit TW-0002 is still out: the deposit is refunded once every unit is back"
    );
    given(history).when(refund()).then_err(refusal);
}

#[test]
fn a_deposit_collected_for_a_reservation_not_yet_taken_may_be_refunded() {
    given([reserved(), collected()])
        .when(refund())
        .then([refunded("500")]);
}

#[test]
fn refunding_twice_is_refused() {
    let mut history = both_back();
    history.push(refunded("500"));
    given(history)
        .when(refund())
        .then_err(RentalError::DepositAlreadyRefunded {
            amount: rm("500"),
            refunded_on: today(),
        });
}

#[test]
fn refunding_a_deposit_retained_in_full_is_refused() {
    let mut history = both_back();
    history.push(retained("500"));
    given(history)
        .when(refund())
        .then_err(RentalError::NothingToRefund);
}

#[test]
fn refunding_a_deposit_never_collected_is_refused() {
    given([reserved()])
        .when(refund())
        .then_err(RentalError::DepositNotCollected);
}

// ---- closing -------------------------------------------------------------------------------

#[test]
fn a_rental_closes_once_every_unit_is_back_and_the_deposit_settled() {
    let mut history = both_back();
    history.extend([retained("150"), refunded("350")]);
    let state = given(history).when(close()).then([closed(vec![])]);
    assert!(matches!(state, Rental::Closed(_)));
    assert_eq!(record(&state).status(), RentalStatus::Closed);
}

#[test]
fn closing_with_a_unit_still_out_is_refused() {
    let mut history = both_out();
    history.extend([checked_in(1), refunded("500")]);
    let refusal = RentalError::UnitsStillOut {
        serials: vec![serial(2)],
    };
    assert_eq!(
        refusal.to_string(),
        "unit TW-0002 is still out: a rental is closed once every unit is back"
    );
    given(history).when(close()).then_err(refusal);
    given(both_out())
        .when(close())
        .then_err(RentalError::UnitsStillOut {
            serials: vec![serial(1), serial(2)],
        });
}

#[test]
fn closing_with_the_deposit_held_is_refused() {
    let mut history = both_back();
    history.push(retained("100"));
    let refusal = RentalError::DepositHeld { held: rm("400") };
    assert_eq!(
        refusal.to_string(),
        "MYR 400.00 of the deposit is still held: refund or retain it first"
    );
    given(history).when(close()).then_err(refusal);
}

#[test]
fn a_deposit_retained_in_full_is_settled() {
    let mut history = both_back();
    history.push(retained("500"));
    given(history).when(close()).then([closed(vec![])]);
}

#[test]
fn a_deposit_never_collected_does_not_keep_a_rental_open() {
    given([
        reserved(),
        checked_out(1, start()),
        checked_out(2, start()),
        checked_in(1),
        checked_in(2),
    ])
    .when(close())
    .then([closed(vec![])]);
}

#[test]
fn closing_releases_units_reserved_and_never_taken() {
    let state = given([
        reserved_without_deposit(),
        checked_out(1, start()),
        checked_in(1),
    ])
    .when(close())
    .then([closed(vec![unit_id(2)])]);
    assert_eq!(
        record(&state)
            .closing
            .as_ref()
            .map(|c| c.not_collected.clone()),
        Some(vec![unit_id(2)])
    );
}

#[test]
fn closing_a_rental_nothing_went_out_on_is_refused() {
    given([reserved_without_deposit()])
        .when(close())
        .then_err(RentalError::NothingCheckedOut);
}

#[test]
fn closing_a_closed_rental_again_changes_nothing() {
    let mut history = both_back();
    history.extend([refunded("500"), closed(vec![])]);
    given(history).when(close()).then_nothing();
}

#[test]
fn a_closed_rental_can_no_longer_change() {
    let mut history = both_back();
    history.extend([refunded("500"), closed(vec![])]);
    for command in [
        check_out(1, today()),
        extend(date(2026, 6, 15), vec![], CalibrationPolicy::Warn),
        check_in(1, today()),
        collect("500"),
        retain("1", "Late"),
        refund(),
        cancel("Mistake"),
    ] {
        given(history.clone())
            .when(command)
            .then_err(RentalError::Closed { closed_on: today() });
    }
}

// ---- cancelling ----------------------------------------------------------------------------

#[test]
fn cancelling_a_reservation_records_why() {
    let state = given([reserved()])
        .when(cancel(" Customer postponed the audit "))
        .then([cancelled()]);
    assert!(matches!(state, Rental::Cancelled(_)));
    let r = record(&state);
    assert_eq!(r.status(), RentalStatus::Cancelled);
    assert_eq!(
        r.cancellation.as_ref().map(|c| c.reason.as_str()),
        Some("Customer postponed the audit")
    );
}

#[test]
fn cancelling_after_a_check_out_is_refused() {
    let mut history = both_out();
    history.extend([checked_in(1), checked_in(2), refunded("500")]);
    given(history)
        .when(cancel("Mistake"))
        .then_err(RentalError::CancelAfterCheckOut {
            serials: vec![serial(1), serial(2)],
        });
}

#[test]
fn cancelling_with_a_deposit_held_is_refused() {
    given([reserved(), collected()])
        .when(cancel("Postponed"))
        .then_err(RentalError::DepositHeld { held: rm("500") });
}

#[test]
fn a_cancellation_fee_may_be_retained_from_the_deposit_before_cancelling() {
    given([reserved(), collected(), retained("100"), refunded("400")])
        .when(cancel("Customer postponed the audit"))
        .then([cancelled()]);
}

#[test]
fn cancelling_needs_a_reason_of_one_line_of_at_most_300_characters() {
    given([reserved()])
        .when(cancel(" "))
        .then_err(RentalError::ReasonRequired);
    given([reserved()])
        .when(cancel(&"x".repeat(301)))
        .then_err(RentalError::InvalidText {
            field: "reason",
            problem: TextProblem::TooLong { max: 300 },
        });
}

#[test]
fn cancelling_a_cancelled_rental_again_changes_nothing() {
    given([reserved(), cancelled()])
        .when(cancel("Again"))
        .then_nothing();
}

#[test]
fn a_cancelled_rental_can_no_longer_change() {
    for command in [
        check_out(1, today()),
        extend(date(2026, 6, 15), vec![], CalibrationPolicy::Warn),
        check_in(1, today()),
        collect("500"),
        retain("1", "Late"),
        refund(),
        close(),
    ] {
        given([reserved(), cancelled()])
            .when(command)
            .then_err(RentalError::Cancelled {
                cancelled_on: today(),
            });
    }
}

// ---- invoice lines -------------------------------------------------------------------------

fn damaged_back(n: u128) -> RentalEvent {
    checked_in_with(
        n,
        today(),
        UnitCondition::Damaged,
        "150",
        Some("Dented adjusting cavity cap"),
        charge(14, 0, 2, 0, "400"),
    )
}

#[test]
fn a_returned_unit_becomes_a_line_per_period_taxed_as_equipment_rental() {
    let r = replay(&[
        reserved(),
        checked_out(1, date(2026, 4, 15)),
        checked_in_with(
            1,
            today(),
            UnitCondition::Good,
            "0",
            None,
            charge(47, 1, 2, 3, "1120"),
        ),
    ]);
    let lines = invoicing::unit_lines(&r.units[0], &TaxTreatment::Service).unwrap();
    let summary: Vec<_> = lines
        .iter()
        .map(|l| {
            (
                l.quantity.to_string(),
                l.unit.as_str().to_owned(),
                l.unit_price,
                l.tax.clone(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "1".into(),
                "MON".into(),
                rm("600"),
                TaxTreatment::EquipmentRental
            ),
            (
                "2".into(),
                "WEE".into(),
                rm("200"),
                TaxTreatment::EquipmentRental
            ),
            (
                "3".into(),
                "DAY".into(),
                rm("40"),
                TaxTreatment::EquipmentRental
            ),
        ]
    );
    assert_eq!(
        lines[1].description,
        "Rental of 20 kg test weight, class M1, serial TW-0001, out 2026-04-15 back 2026-06-01 (47 days), by the week"
    );
    // The lines add up to the charge decided at check-in.
    let (_, totals) =
        billing::price(Currency::MYR, &lines, today(), &Adjustments::default()).unwrap();
    assert_eq!(totals.tax_exclusive(), rm("1120"));
}

#[test]
fn a_damage_charge_is_a_line_of_its_own_taxed_as_the_caller_says() {
    let r = replay(&[reserved(), checked_out(1, start()), damaged_back(1)]);
    let damage_tax = TaxTreatment::Service;
    let lines = invoicing::unit_lines(&r.units[0], &damage_tax).unwrap();
    assert_eq!(lines.len(), 2);
    let damage = &lines[1];
    assert_eq!(
        damage.description,
        "Damage to 20 kg test weight, class M1, serial TW-0001: Dented adjusting cavity cap"
    );
    assert_eq!(damage.quantity.to_string(), "1");
    assert_eq!(damage.unit.as_str(), "C62");
    assert_eq!(damage.unit_price, rm("150"));
    assert_eq!(damage.tax, damage_tax);
}

#[test]
fn a_lost_unit_is_invoiced_as_a_loss() {
    let r = replay(&[
        reserved(),
        checked_out(2, start()),
        checked_in_with(
            2,
            today(),
            UnitCondition::Lost,
            "2800",
            Some("Fell into the river"),
            charge(14, 0, 2, 0, "400"),
        ),
    ]);
    let lines = invoicing::unit_lines(&r.units[1], &TaxTreatment::EquipmentRental).unwrap();
    assert_eq!(
        lines.last().map(|l| l.description.as_str()),
        Some("Loss of 20 kg test weight, class M1, serial TW-0002: Fell into the river")
    );
}

#[test]
fn a_unit_not_back_has_no_lines_yet() {
    let r = replay(&[reserved(), checked_out(1, start())]);
    for unit in &r.units {
        assert_eq!(
            invoicing::unit_lines(unit, &TaxTreatment::Service).unwrap(),
            []
        );
    }
}

#[test]
fn the_whole_rental_becomes_the_lines_of_its_returned_units_in_order() {
    let mut history = both_out();
    history.extend([damaged_back(1), checked_in(2)]);
    let lines = invoicing::rental_lines(&replay(&history), &TaxTreatment::Service).unwrap();
    let described: Vec<_> = lines
        .iter()
        .map(|l| {
            l.description
                .split(',')
                .next()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    assert_eq!(
        described,
        [
            "Rental of 20 kg test weight",
            "Damage to 20 kg test weight",
            "Rental of 20 kg test weight",
        ]
    );
    assert!(lines[2].description.contains("TW-0002"));
}

#[test]
fn rental_lines_are_taxed_as_group_k_from_july_2025_and_not_before() {
    let r = replay(&[reserved(), checked_out(1, start()), checked_in(1)]);
    let lines = invoicing::unit_lines(&r.units[0], &TaxTreatment::Service).unwrap();
    let tax_on = |day| {
        billing::price(Currency::MYR, &lines, day, &Adjustments::default())
            .unwrap()
            .1
            .tax()
    };
    // RM 400 of rental: 8 % less the 2 % exemption in 2026, 8 % in late 2025, none before.
    assert_eq!(tax_on(today()), rm("24.00"));
    assert_eq!(tax_on(date(2025, 7, 1)), rm("32.00"));
    assert_eq!(tax_on(date(2025, 6, 30)), rm("0.00"));
}

// ---- the deposit, by property --------------------------------------------------------------

/// One step of a random deposit history.
#[derive(Debug, Clone, Copy)]
enum Step {
    Collect,
    Retain(i64),
    Refund,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        Just(Step::Collect),
        (1_i64..60_000).prop_map(Step::Retain),
        Just(Step::Refund),
    ]
}

proptest! {
    #[test]
    fn the_deposit_adds_up_and_never_more_is_kept_or_returned_than_was_collected(
        steps in prop::collection::vec(step(), 1..20),
    ) {
        let mut state = Rental::replay(&both_back()[..1]);
        for step in steps {
            let before = record(&state).deposit.clone();
            let command = match step {
                Step::Collect => collect("500"),
                Step::Retain(sen) => retain(
                    &Money::from_sen(sen, Currency::MYR).amount_string(),
                    "Damage",
                ),
                Step::Refund => refund(),
            };
            if let Ok(events) = state.decide(&command, &test_ctx()) {
                if let Step::Retain(sen) = step {
                    prop_assert!(Money::from_sen(sen, Currency::MYR).amount() <= before.held().amount());
                }
                state = events.iter().fold(state, Rental::evolve);
            }
            let deposit = &record(&state).deposit;
            prop_assert!(!deposit.held().is_negative());
            prop_assert_eq!(
                deposit.collected().amount(),
                deposit.retained().amount() + deposit.refunded().amount() + deposit.held().amount()
            );
            prop_assert!(deposit.collected().amount() <= Decimal::from(500));
        }
    }
}

// ---- storage -------------------------------------------------------------------------------

fn every_event() -> Vec<RentalEvent> {
    vec![
        reserved_by(
            &reserve_with(vec![facts(1), lapsing()], "500", CalibrationPolicy::Warn),
            vec![lapse_issue(today())],
        ),
        checked_out(1, start()),
        extended(today(), date(2026, 6, 15), vec![]),
        damaged_back(1),
        collected(),
        retained("150"),
        refunded("350"),
        closed(vec![unit_id(2)]),
        cancelled(),
    ]
}

/// Encoding `event` names it by its variant, at version 1, and decoding gives it back.
#[track_caller]
fn assert_survives_storage(event: &RentalEvent) {
    let (event_type, version, payload) = event.encode().unwrap();
    assert_eq!(event_type, format!("{event:?}").split('(').next().unwrap());
    assert_eq!(version, 1);
    assert_eq!(
        &RentalEvent::decode(event_type, version, payload).unwrap(),
        event
    );
}

#[test]
fn every_event_survives_being_stored_and_read() {
    for event in every_event() {
        assert_survives_storage(&event);
    }
}

#[test]
fn a_reservation_is_stored_with_each_units_rate_card_and_the_warnings_accepted() {
    let (event_type, _, payload) = every_event()[0].encode().unwrap();
    assert_eq!(event_type, "RentalReserved");
    assert_eq!(payload["units"][1]["serial"], "TW-0002");
    assert_eq!(
        payload["units"][0]["rate_card"]["per_month"],
        json!({ "amount": "600.00", "currency": "MYR" })
    );
    assert_eq!(
        payload["calibration_warnings"],
        json!([{ "serial": "TW-0002", "due_on": "2026-05-25", "needed_until": "2026-06-01" }])
    );
    assert_eq!(
        payload["deposit"],
        json!({ "amount": "500.00", "currency": "MYR" })
    );
}

#[test]
fn a_check_in_is_stored_with_its_days_cover_and_charge() {
    let (event_type, _, payload) = damaged_back(1).encode().unwrap();
    assert_eq!(event_type, "RentalUnitCheckedIn");
    assert_eq!(payload["condition"], "damaged");
    assert_eq!(
        payload["charge"],
        json!({
            "days": 14,
            "billed_months": 0,
            "billed_weeks": 2,
            "billed_days": 0,
            "amount": { "amount": "400.00", "currency": "MYR" },
        })
    );
    assert_eq!(
        payload["damage_charge"],
        json!({ "amount": "150.00", "currency": "MYR" })
    );
}

#[test]
fn a_rental_survives_a_snapshot() {
    let mut history = both_out();
    history.extend([
        damaged_back(1),
        checked_in(2),
        retained("150"),
        refunded("350"),
    ]);
    let state = Rental::replay(&history);
    let snapshot = serde_json::to_value(&state).unwrap();
    assert_eq!(snapshot["state"], "open");
    let back = serde_json::from_value::<Rental>(snapshot).unwrap();
    assert_eq!(back, state);
    assert_eq!(record(&back).deposit.held(), rm("0"));
    assert_eq!(
        serde_json::to_value(Rental::default()).unwrap(),
        json!({ "state": "not_reserved" })
    );
}

#[test]
fn the_stream_type_is_rental() {
    assert_eq!(<Rental as Aggregate>::STREAM_TYPE, "rental");
}
