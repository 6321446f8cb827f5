//! Overdue units and late fees: one test per rule, named as the rule.
//!
//! The standard rental of the parent module is due back on 1 June 2026; assessments run at
//! 10:00 on their `as_of` day.

use chrono::DateTime;

use super::*;
use crate::ids::InvoiceId;

fn june(day: u32) -> NaiveDate {
    date(2026, 6, day)
}

/// Policy `version`: `per_day` ringgit a day after `grace` days, capped at `cap` ringgit.
fn policy(version: u32, grace: u32, per_day: &str, cap: Option<&str>) -> LateFeePolicy {
    LateFeePolicy::new(
        version,
        grace,
        DailyLateFee::Amount(rm(per_day)),
        cap.map(rm),
    )
    .unwrap()
}

/// RM 10 a day from the first day late, uncapped.
fn ten_a_day() -> LateFeePolicy {
    policy(1, 0, "10", None)
}

fn assess(as_of: NaiveDate, policy: LateFeePolicy) -> RentalCommand {
    RentalCommand::AssessOverdue(AssessOverdue { as_of, policy })
}

fn at(day: NaiveDate) -> DateTime<Utc> {
    on(day).now
}

fn overdue(as_of: NaiveDate, units: &[u128]) -> RentalEvent {
    RentalEvent::RentalOverdue(RentalOverdue {
        as_of,
        units: units
            .iter()
            .map(|&n| OverdueUnit {
                unit_id: unit_id(n),
                serial: serial(n),
                expected_return_on: today(),
                out_since: start(),
                days_late: days_after_return(as_of),
            })
            .collect(),
        recorded_at: at(as_of),
    })
}

/// Days after the standard expected return, 1 June.
fn days_after_return(day: NaiveDate) -> u32 {
    u32::try_from((day - today()).num_days()).unwrap()
}

/// Unit `n`'s fee for `day`, charged under `policy` by the assessment of `assessed`.
fn fee(
    n: u128,
    day: NaiveDate,
    amount: &str,
    policy: &LateFeePolicy,
    assessed: NaiveDate,
) -> RentalEvent {
    RentalEvent::RentalLateFeeCharged(RentalLateFeeCharged {
        unit_id: unit_id(n),
        serial: serial(n),
        day,
        days_late: days_after_return(day),
        grace_days: policy.grace_days(),
        amount: rm(amount),
        policy_version: policy.version(),
        charged_at: at(assessed),
    })
}

fn reversal(
    n: u128,
    day: NaiveDate,
    amount: &str,
    reason: LateFeeReversalReason,
    recorded: NaiveDate,
) -> RentalEvent {
    RentalEvent::RentalLateFeeReversed(RentalLateFeeReversed {
        unit_id: unit_id(n),
        serial: serial(n),
        day,
        amount: rm(amount),
        reason,
        reversed_at: at(recorded),
    })
}

/// What a decision on `day` produces after `history` (which it must accept).
fn decided(history: &[RentalEvent], command: RentalCommand, day: NaiveDate) -> Vec<RentalEvent> {
    Rental::replay(history).decide(&command, &on(day)).unwrap()
}

/// The fees among `events`: (serial, day, amount).
fn fees_in(events: &[RentalEvent]) -> Vec<(String, NaiveDate, String)> {
    events
        .iter()
        .filter_map(|event| match event {
            RentalEvent::RentalLateFeeCharged(e) => {
                Some((e.serial.to_string(), e.day, e.amount.amount_string()))
            }
            _ => None,
        })
        .collect()
}

fn row(n: u128, day: NaiveDate, amount: &str) -> (String, NaiveDate, String) {
    (serial(n).to_string(), day, amount.to_owned())
}

/// RM 10 for units 1 and 2 on each of `days` of June.
fn both_at_ten(days: &[u32]) -> Vec<(String, NaiveDate, String)> {
    days.iter()
        .flat_map(|&day| [row(1, june(day), "10.00"), row(2, june(day), "10.00")])
        .collect()
}

/// `history` followed by what assessing `as_of` under `policy` decides.
fn assessed(
    mut history: Vec<RentalEvent>,
    as_of: NaiveDate,
    policy: LateFeePolicy,
) -> Vec<RentalEvent> {
    let events = decided(&history, assess(as_of, policy), as_of);
    history.extend(events);
    history
}

/// `event` (a check-in or an extension) as decided at 10:00 on `day`.
fn recorded_on(mut event: RentalEvent, day: NaiveDate) -> RentalEvent {
    match &mut event {
        RentalEvent::RentalUnitCheckedIn(e) => e.recorded_at = at(day),
        RentalEvent::RentalReturnExtended(e) => e.extended_at = at(day),
        _ => {}
    }
    event
}

/// Unit `n` checked in good on `day`, out since 18 May.
fn back_on(n: u128, day: NaiveDate) -> RentalEvent {
    let days = pricing::rental_days(start(), day);
    checked_in_with(
        n,
        day,
        UnitCondition::Good,
        "0",
        None,
        pricing::charge(&standard_card(), days).unwrap(),
    )
}

// ---- overdue and fees ----------------------------------------------------------------------

#[test]
fn units_kept_past_the_return_are_recorded_overdue_and_charged_a_fee_per_unit_and_day() {
    let p = ten_a_day();
    given(both_out())
        .at(on(june(3)))
        .when(assess(june(3), p))
        .then([
            overdue(june(3), &[1, 2]),
            fee(1, june(2), "10", &p, june(3)),
            fee(2, june(2), "10", &p, june(3)),
            fee(1, june(3), "10", &p, june(3)),
            fee(2, june(3), "10", &p, june(3)),
        ]);
}

#[test]
fn nothing_is_late_on_the_expected_return_day() {
    given(both_out())
        .at(on(today()))
        .when(assess(today(), ten_a_day()))
        .then_nothing();
}

#[test]
fn no_fee_is_charged_within_the_grace_days() {
    let p = policy(1, 2, "10", None);
    let history = both_out();
    given(history.clone())
        .at(on(june(3)))
        .when(assess(june(3), p))
        .then([overdue(june(3), &[1, 2])]);
    // The third day late is the first charged.
    assert_eq!(
        fees_in(&decided(&history, assess(june(4), p), june(4))),
        both_at_ten(&[4])
    );
}

#[test]
fn a_percentage_of_the_daily_rate_is_rounded_to_the_sen_half_up() {
    let card = RateCard::new(rm("12.35"), rm("70"), rm("250")).unwrap();
    let unit = UnitFacts {
        rate_card: card,
        ..facts(1)
    };
    let history = vec![
        reserved_by(
            &reserve_with(vec![unit], "0", CalibrationPolicy::Refuse),
            vec![],
        ),
        checked_out(1, start()),
    ];
    let half = LateFeePolicy::new(
        1,
        0,
        DailyLateFee::PercentOfDailyRate {
            basis_points: 5_000,
        },
        None,
    )
    .unwrap();
    // 50 % of RM 12.35 is RM 6.175.
    assert_eq!(
        fees_in(&decided(&history, assess(june(2), half), june(2))),
        [row(1, june(2), "6.18")]
    );
}

#[test]
fn a_percentage_of_the_daily_rate_follows_each_units_reserved_card() {
    let quarter = LateFeePolicy::new(
        1,
        0,
        DailyLateFee::PercentOfDailyRate {
            basis_points: 2_500,
        },
        None,
    )
    .unwrap();
    // RM 40 a day on the standard card.
    assert_eq!(quarter.daily_fee(&standard_card()), Ok(rm("10.00")));
    assert_eq!(
        fees_in(&decided(&both_out(), assess(june(2), quarter), june(2))),
        both_at_ten(&[2])
    );
}

#[test]
fn the_fee_reaching_the_cap_is_cut_to_what_is_left_and_later_ones_are_not_charged() {
    let p = policy(1, 0, "10", Some("25"));
    let history = assessed(both_out(), june(3), p);
    assert_eq!(
        fees_in(&history),
        [
            row(1, june(2), "10.00"),
            row(2, june(2), "10.00"),
            row(1, june(3), "5.00"),
        ]
    );
    assert_eq!(replay(&history).late_fees_total(), rm("25"));
    given(history)
        .at(on(june(4)))
        .when(assess(june(4), p))
        .then([overdue(june(4), &[1, 2])]);
}

#[test]
fn only_the_unit_still_out_after_the_return_is_late() {
    let mut history = both_out();
    history.push(back_on(1, today()));
    let p = ten_a_day();
    given(history)
        .at(on(june(3)))
        .when(assess(june(3), p))
        .then([
            overdue(june(3), &[2]),
            fee(2, june(2), "10", &p, june(3)),
            fee(2, june(3), "10", &p, june(3)),
        ]);
}

#[test]
fn a_unit_returned_on_a_day_was_still_late_that_day() {
    let mut history = both_out();
    history.extend([back_on(1, june(3)), back_on(2, june(3))]);
    assert_eq!(
        fees_in(&decided(&history, assess(june(5), ten_a_day()), june(5))),
        both_at_ten(&[2, 3])
    );
}

#[test]
fn a_lost_unit_is_late_until_the_check_in_reporting_it_lost() {
    let lost = checked_in_with(
        1,
        june(3),
        UnitCondition::Lost,
        "2800",
        Some("Fell into the river"),
        pricing::charge(&standard_card(), 16).unwrap(),
    );
    let history = vec![reserved(), checked_out(1, start()), lost];
    assert_eq!(
        fees_in(&decided(&history, assess(june(6), ten_a_day()), june(6))),
        [row(1, june(2), "10.00"), row(1, june(3), "10.00")]
    );
}

#[test]
fn a_unit_never_taken_is_never_late() {
    let history = vec![reserved(), checked_out(1, start())];
    let events = decided(&history, assess(june(2), ten_a_day()), june(2));
    assert_eq!(fees_in(&events), [row(1, june(2), "10.00")]);
    assert_eq!(events[0], overdue(june(2), &[1]));
}

#[test]
fn days_missed_while_the_job_was_down_are_caught_up_in_order() {
    let history = assessed(both_out(), june(2), ten_a_day());
    let events = decided(&history, assess(june(4), ten_a_day()), june(4));
    assert_eq!(fees_in(&events), both_at_ten(&[3, 4]));
}

#[test]
fn assessing_the_same_day_again_changes_nothing() {
    let history = assessed(both_out(), june(3), ten_a_day());
    given(history)
        .at(on(june(3)))
        .when(assess(june(3), ten_a_day()))
        .then_nothing();
}

#[test]
fn a_day_is_recorded_overdue_once_and_an_earlier_day_not_after_a_later_one() {
    let history = assessed(both_out(), june(3), ten_a_day());
    given(history.clone())
        .at(on(june(3)))
        .when(assess(june(2), ten_a_day()))
        .then_nothing();
    let later = decided(&history, assess(june(4), ten_a_day()), june(4));
    assert_eq!(later[0], overdue(june(4), &[1, 2]));
    assert_eq!(replay(&history).last_overdue_as_of, Some(june(3)));
}

#[test]
fn assessing_a_rental_not_open_changes_nothing() {
    let mut closed_history = both_back();
    closed_history.extend([refunded("500"), closed(vec![])]);
    for history in [closed_history, vec![reserved(), cancelled()], vec![]] {
        given(history)
            .at(on(june(9)))
            .when(assess(june(9), ten_a_day()))
            .then_nothing();
    }
}

#[test]
fn assessing_a_day_still_to_come_is_refused() {
    given(both_out())
        .at(on(june(3)))
        .when(assess(june(4), ten_a_day()))
        .then_err(RentalError::AssessmentInFuture {
            as_of: june(4),
            today: june(3),
        });
}

#[test]
fn a_policy_in_another_currency_than_the_rental_is_refused() {
    let sgd = Money::parse("10", "SGD").unwrap();
    let p = LateFeePolicy::new(1, 0, DailyLateFee::Amount(sgd), None).unwrap();
    given(both_out())
        .at(on(june(3)))
        .when(assess(june(3), p))
        .then_err(RentalError::Currency {
            field: "policy",
            expected: Currency::MYR,
            found: sgd.currency(),
        });
}

#[test]
fn fees_standing_keep_the_policy_they_were_charged_under() {
    let history = assessed(both_out(), june(3), ten_a_day());
    let newer = policy(2, 0, "20", None);
    let history = assessed(history, june(4), newer);
    let r = replay(&history);
    let summary: Vec<_> = r
        .standing_late_fees()
        .map(|f| (f.day, f.amount, f.policy_version))
        .collect();
    assert_eq!(
        summary,
        [
            (june(2), rm("10"), 1),
            (june(2), rm("10"), 1),
            (june(3), rm("10"), 1),
            (june(3), rm("10"), 1),
            (june(4), rm("20"), 2),
            (june(4), rm("20"), 2),
        ]
    );
    assert_eq!(r.late_fees_total(), rm("80"));
}

// ---- reversals -----------------------------------------------------------------------------

#[test]
fn a_check_in_back_dated_before_days_charged_reverses_their_fees() {
    let p = ten_a_day();
    let history = assessed(both_out(), june(5), p);
    let state = given(history)
        .at(on(june(6)))
        .when(check_in(1, june(3)))
        .then([
            recorded_on(back_on(1, june(3)), june(6)),
            reversal(
                1,
                june(4),
                "10",
                LateFeeReversalReason::ReturnedEarlier,
                june(6),
            ),
            reversal(
                1,
                june(5),
                "10",
                LateFeeReversalReason::ReturnedEarlier,
                june(6),
            ),
        ]);
    let r = record(&state);
    // History is kept: eight fees charged, two of them reversed.
    assert_eq!(r.late_fees.len(), 8);
    assert_eq!(r.late_fees_total(), rm("60"));
}

#[test]
fn a_check_in_on_the_day_last_charged_reverses_nothing() {
    let history = assessed(both_out(), june(3), ten_a_day());
    given(history)
        .at(on(june(3)))
        .when(check_in(1, june(3)))
        .then([recorded_on(back_on(1, june(3)), june(3))]);
}

#[test]
fn an_extension_reverses_the_fees_no_longer_due_under_their_grace_days() {
    // One grace day: 3, 4 and 5 June charged.
    let p = policy(1, 1, "10", None);
    let history = assessed(vec![reserved(), checked_out(1, start())], june(5), p);
    assert_eq!(fees_in(&history).len(), 3);
    // Due back on 3 June now: 4 June is within the grace, 5 June is still charged.
    given(history)
        .at(on(june(5)))
        .when(extend(
            june(3),
            vec![facts(1), facts(2)],
            CalibrationPolicy::Refuse,
        ))
        .then([
            recorded_on(extended(today(), june(3), vec![]), june(5)),
            reversal(1, june(3), "10", LateFeeReversalReason::Extended, june(5)),
            reversal(1, june(4), "10", LateFeeReversalReason::Extended, june(5)),
        ]);
}

// ---- one assessment or one a day: the same fees --------------------------------------------

/// A rental's facts: when each unit went out and came back, the expected return (after an
/// extension or not), and the policy.
#[derive(Debug, Clone)]
struct Scenario {
    out: [i64; 2],
    back: [Option<i64>; 2],
    extended_by: i64,
    policy: LateFeePolicy,
    days: i64,
}

fn scenario() -> impl Strategy<Value = Scenario> {
    let per_day = prop_oneof![
        (0_i64..3_000).prop_map(|sen| DailyLateFee::Amount(Money::from_sen(sen, Currency::MYR))),
        (0_u32..20_000).prop_map(|basis_points| DailyLateFee::PercentOfDailyRate { basis_points }),
    ];
    let cap = prop::option::of((0_i64..30_000).prop_map(|sen| Money::from_sen(sen, Currency::MYR)));
    (
        [0_i64..20, 0_i64..20],
        [prop::option::of(-3_i64..25), prop::option::of(-3_i64..25)],
        0_i64..4,
        (0_u32..4, per_day, cap),
        1_i64..30,
    )
        .prop_map(
            |(out, back, extended_by, (grace, per_day, cap), days)| Scenario {
                out,
                back,
                extended_by,
                policy: LateFeePolicy::new(1, grace, per_day, cap).unwrap(),
                days,
            },
        )
}

impl Scenario {
    fn history(&self) -> Vec<RentalEvent> {
        let mut history = vec![reserved()];
        for (i, n) in [1_u128, 2].into_iter().enumerate() {
            let out = start() + chrono::Days::new(self.out[i].unsigned_abs());
            history.push(checked_out(n, out));
            if let Some(back) = self.back[i] {
                let back = (today() + chrono::TimeDelta::days(back)).max(out);
                history.push(checked_in_with(
                    n,
                    back,
                    UnitCondition::Good,
                    "0",
                    None,
                    charge(1, 0, 0, 1, "40"),
                ));
            }
        }
        if self.extended_by > 0 {
            let to = today() + chrono::TimeDelta::days(self.extended_by);
            history.push(extended(today(), to, vec![]));
        }
        history
    }

    fn as_of(&self) -> NaiveDate {
        today() + chrono::TimeDelta::days(self.days)
    }
}

/// A rental's fees as charged, but for when.
fn charged(state: &Rental) -> Vec<(EquipmentUnitId, NaiveDate, u32, Money, u32, bool)> {
    record(state)
        .late_fees
        .iter()
        .map(|f| {
            (
                f.unit_id,
                f.day,
                f.days_late,
                f.amount,
                f.policy_version,
                f.is_standing(),
            )
        })
        .collect()
}

fn run(state: Rental, as_of: NaiveDate, policy: LateFeePolicy) -> Rental {
    let events = state.decide(&assess(as_of, policy), &on(as_of)).unwrap();
    events.iter().fold(state, Rental::evolve)
}

proptest! {
    #[test]
    fn assessing_once_charges_the_same_fees_as_assessing_every_day_in_turn(s in scenario()) {
        let history = s.history();
        let once = run(Rental::replay(&history), s.as_of(), s.policy);
        let mut daily = Rental::replay(&history);
        for day in today().iter_days().take_while(|day| *day <= s.as_of()) {
            daily = run(daily, day, s.policy);
        }
        prop_assert_eq!(charged(&once), charged(&daily));
        // (Overdue records are not: each is of its own day, and a day missed is not recorded
        // late.)
        if let Some(cap) = s.policy.cap_per_rental() {
            prop_assert!(record(&once).late_fees_total().amount() <= cap.amount());
        }
        // And again the same day: nothing more.
        prop_assert_eq!(
            once.decide(&assess(s.as_of(), s.policy), &on(s.as_of())).unwrap(),
            vec![]
        );
    }

    #[test]
    fn after_a_back_dated_check_in_the_fees_standing_are_those_due(
        s in scenario(),
        back in 0_i64..25,
        late_by in 0_i64..6,
    ) {
        // Unit 1 out and not back; assessed daily; checked in `late_by` days after the day it
        // came back. Without a cap, what stands is what one assessment would have charged.
        let uncapped = LateFeePolicy::new(1, s.policy.grace_days(), s.policy.per_day(), None)
            .unwrap();
        let history = vec![reserved(), checked_out(1, start())];
        let back_on_day = today() + chrono::TimeDelta::days(back);
        let recorded = back_on_day + chrono::TimeDelta::days(late_by);
        let mut daily = Rental::replay(&history);
        for day in today().iter_days().take_while(|day| *day <= recorded) {
            daily = run(daily, day, uncapped);
        }
        let check_in = RentalCommand::CheckIn(CheckInUnit {
            unit_id: unit_id(1),
            on: back_on_day,
            condition: UnitCondition::Good,
            damage_charge: rm("0"),
            note: None,
        });
        let events = daily.decide(&check_in, &on(recorded)).unwrap();
        let daily = events.iter().fold(daily, Rental::evolve);
        let once = run(
            Rental::replay(&[history, vec![events[0].clone()]].concat()),
            recorded,
            uncapped,
        );
        let standing = |state: &Rental| -> Vec<_> {
            record(state).standing_late_fees().map(|f| (f.day, f.amount)).collect()
        };
        prop_assert_eq!(standing(&daily), standing(&once));
    }
}

// ---- billing -------------------------------------------------------------------------------

fn invoice(n: u128) -> InvoiceId {
    InvoiceId::from_uuid(Uuid::from_u128(0x1_0000 + n))
}

fn bill(n: u128) -> RentalCommand {
    RentalCommand::BillLateFees(BillLateFees {
        invoice_id: invoice(n),
    })
}

/// Unit 1 alone out, charged RM 10 for 2 and 3 June.
fn unit_1_charged() -> Vec<RentalEvent> {
    assessed(
        vec![reserved(), checked_out(1, start())],
        june(3),
        ten_a_day(),
    )
}

#[test]
fn billing_bills_every_standing_fee_on_one_invoice() {
    let state = given(unit_1_charged()).at(on(june(3))).when(bill(1)).then([
        RentalEvent::RentalLateFeesBilled(RentalLateFeesBilled {
            invoice_id: invoice(1),
            fees: vec![
                LateFeeDay {
                    unit_id: unit_id(1),
                    day: june(2),
                },
                LateFeeDay {
                    unit_id: unit_id(1),
                    day: june(3),
                },
            ],
            total: rm("20"),
            billed_at: at(june(3)),
        }),
    ]);
    let r = record(&state);
    assert_eq!(r.unbilled_late_fees().count(), 0);
    assert_eq!(r.late_fees_billed_on(invoice(1)).count(), 2);
    assert_eq!(r.late_fees_total(), rm("20"));
}

#[test]
fn billing_again_with_nothing_new_is_refused() {
    let mut history = unit_1_charged();
    history.extend(decided(&history, bill(1), june(3)));
    given(history)
        .at(on(june(3)))
        .when(bill(2))
        .then_err(RentalError::NoLateFeesToBill);
}

#[test]
fn billing_on_the_same_invoice_again_changes_nothing() {
    let mut history = unit_1_charged();
    history.extend(decided(&history, bill(1), june(3)));
    given(history).at(on(june(3))).when(bill(1)).then_nothing();
}

#[test]
fn fees_charged_after_a_bill_go_on_the_next_one() {
    let mut history = unit_1_charged();
    history.extend(decided(&history, bill(1), june(3)));
    let history = assessed(history, june(4), ten_a_day());
    let events = decided(&history, bill(2), june(4));
    let RentalEvent::RentalLateFeesBilled(billed) = &events[0] else {
        panic!("expected a bill, got {events:?}");
    };
    assert_eq!(billed.fees.len(), 1);
    assert_eq!(billed.total, rm("10"));
}

#[test]
fn a_rental_with_no_late_fees_has_nothing_to_bill() {
    given(both_out())
        .when(bill(1))
        .then_err(RentalError::NoLateFeesToBill);
}

#[test]
fn a_fee_reversed_after_it_was_billed_stays_billed_and_is_owed_back() {
    let mut history = unit_1_charged();
    history.extend(decided(&history, bill(1), june(3)));
    let state = given(history)
        .at(on(june(3)))
        .when(check_in(1, june(2)))
        .then([
            recorded_on(back_on(1, june(2)), june(3)),
            reversal(
                1,
                june(3),
                "10",
                LateFeeReversalReason::ReturnedEarlier,
                june(3),
            ),
        ]);
    let r = record(&state);
    let owed: Vec<_> = r
        .late_fees_credit_due()
        .map(|f| (f.day, f.amount))
        .collect();
    assert_eq!(owed, [(june(3), rm("10"))]);
    assert_eq!(r.late_fees_billed_on(invoice(1)).count(), 2);
    assert_eq!(r.late_fees_total(), rm("10"));
}

#[test]
fn an_extension_after_billing_leaves_the_fees_it_reverses_owed_back() {
    let mut history = unit_1_charged();
    history.extend(decided(&history, bill(1), june(3)));
    history.extend(decided(
        &history,
        extend(june(2), vec![facts(1), facts(2)], CalibrationPolicy::Refuse),
        june(3),
    ));
    let r = replay(&history);
    let owed: Vec<_> = r.late_fees_credit_due().map(|f| f.day).collect();
    assert_eq!(owed, [june(2)]);
    assert_eq!(r.unbilled_late_fees().count(), 0);
}

#[test]
fn closing_with_late_fees_not_billed_is_refused() {
    let mut history = unit_1_charged();
    history.extend([back_on(1, june(3)), collected(), refunded("500")]);
    given(history.clone())
        .at(on(june(3)))
        .when(close())
        .then_err(RentalError::LateFeesUnbilled { total: rm("20") });
    history.extend(decided(&history, bill(1), june(3)));
    let events = decided(&history, close(), june(3));
    assert!(matches!(events[..], [RentalEvent::RentalClosed(_)]));
}

#[test]
fn billing_a_closed_or_cancelled_rental_is_refused() {
    let mut closed_history = both_back();
    closed_history.extend([refunded("500"), closed(vec![])]);
    given(closed_history)
        .when(bill(1))
        .then_err(RentalError::Closed { closed_on: today() });
    given([reserved(), cancelled()])
        .when(bill(1))
        .then_err(RentalError::Cancelled {
            cancelled_on: today(),
        });
}

// ---- invoice lines -------------------------------------------------------------------------

#[test]
fn late_fees_become_a_line_per_unit_of_days_at_the_daily_fee() {
    let mut history = assessed(both_out(), june(3), ten_a_day());
    history.extend(decided(&history, bill(1), june(3)));
    let r = replay(&history);
    let fees: Vec<&LateFee> = r.late_fees_billed_on(invoice(1)).collect();
    let lines = invoicing::late_fee_lines(&r, &fees, &TaxTreatment::Service).unwrap();
    assert_eq!(lines.len(), 2);
    assert_eq!(
        lines[0].description,
        "Late return of 20 kg test weight, class M1, serial TW-0001, 2 days (2026-06-02\u{2013}2026-06-03), policy v1"
    );
    assert_eq!(lines[0].quantity.to_string(), "2");
    assert_eq!(lines[0].unit.as_str(), "DAY");
    assert_eq!(lines[0].unit_price, rm("10"));
    assert_eq!(lines[0].tax, TaxTreatment::Service);
    assert!(lines[1].description.contains("TW-0002"));
    let (_, totals) =
        billing::price(Currency::MYR, &lines, june(3), &Adjustments::default()).unwrap();
    assert_eq!(totals.tax_exclusive(), rm("40"));
}

#[test]
fn a_unit_whose_fees_differ_is_one_line_at_their_total() {
    let mut history = assessed(
        vec![reserved(), checked_out(1, start())],
        june(4),
        policy(1, 0, "10", Some("25")),
    );
    history.extend(decided(&history, bill(1), june(4)));
    let r = replay(&history);
    let fees: Vec<&LateFee> = r.late_fees_billed_on(invoice(1)).collect();
    let lines = invoicing::late_fee_lines(&r, &fees, &TaxTreatment::Service).unwrap();
    assert_eq!(lines.len(), 1);
    assert!(
        lines[0]
            .description
            .contains("3 days (2026-06-02\u{2013}2026-06-04)")
    );
    assert_eq!(lines[0].quantity.to_string(), "1");
    assert_eq!(lines[0].unit.as_str(), "C62");
    assert_eq!(lines[0].unit_price, rm("25"));
}

// ---- the policy ----------------------------------------------------------------------------

#[test]
fn a_policy_has_a_version_and_amounts_of_zero_or_more_in_whole_sen_in_one_currency() {
    let amount = |s| DailyLateFee::Amount(rm(s));
    assert_eq!(
        LateFeePolicy::new(0, 0, amount("10"), None),
        Err(LateFeePolicyError::VersionZero)
    );
    assert_eq!(
        LateFeePolicy::new(1, 0, amount("-1"), None),
        Err(LateFeePolicyError::InvalidAmount { field: "per_day" })
    );
    assert_eq!(
        LateFeePolicy::new(1, 0, amount("10.001"), None),
        Err(LateFeePolicyError::InvalidAmount { field: "per_day" })
    );
    assert_eq!(
        LateFeePolicy::new(
            1,
            0,
            amount("10"),
            Some(rm("0.5").checked_mul(Decimal::new(1, 2)).unwrap())
        ),
        Err(LateFeePolicyError::InvalidAmount {
            field: "cap_per_rental"
        })
    );
    let sgd = Money::parse("100", "SGD").unwrap();
    assert_eq!(
        LateFeePolicy::new(1, 0, amount("10"), Some(sgd)),
        Err(LateFeePolicyError::Currency {
            per_day: Currency::MYR,
            cap: sgd.currency(),
        })
    );
}

#[test]
fn a_policy_is_read_from_configuration_through_the_same_checks() {
    let config = json!({
        "version": 3,
        "grace_days": 2,
        "per_day": { "percent_of_daily_rate": { "basis_points": 2500 } },
        "cap_per_rental": { "amount": "500.00", "currency": "MYR" },
    });
    let p: LateFeePolicy = serde_json::from_value(config.clone()).unwrap();
    assert_eq!(p.version(), 3);
    assert_eq!(p.cap_per_rental(), Some(rm("500")));
    assert_eq!(serde_json::to_value(p).unwrap(), config);
    let bad = json!({
        "version": 1,
        "grace_days": 0,
        "per_day": { "amount": { "amount": "-5.00", "currency": "MYR" } },
    });
    assert!(serde_json::from_value::<LateFeePolicy>(bad).is_err());
}

// ---- storage -------------------------------------------------------------------------------

#[test]
fn every_late_fee_event_survives_being_stored_and_read() {
    let p = ten_a_day();
    for event in [
        overdue(june(3), &[1, 2]),
        fee(1, june(2), "10", &p, june(3)),
        reversal(1, june(2), "10", LateFeeReversalReason::Extended, june(3)),
        RentalEvent::RentalLateFeesBilled(RentalLateFeesBilled {
            invoice_id: invoice(1),
            fees: vec![LateFeeDay {
                unit_id: unit_id(1),
                day: june(2),
            }],
            total: rm("10"),
            billed_at: at(june(3)),
        }),
    ] {
        assert_survives_storage(&event);
    }
}

#[test]
fn a_snapshot_taken_before_late_fees_existed_still_loads() {
    let state = Rental::replay(&both_out());
    let mut snapshot = serde_json::to_value(&state).unwrap();
    let fields = snapshot.as_object_mut().unwrap();
    fields.remove("late_fees");
    fields.remove("last_overdue_as_of");
    assert_eq!(serde_json::from_value::<Rental>(snapshot).unwrap(), state);
}

#[test]
fn a_rental_with_late_fees_survives_a_snapshot() {
    let mut history = unit_1_charged();
    history.extend(decided(&history, bill(1), june(3)));
    history.extend(decided(&history, check_in(1, june(2)), june(3)));
    let state = Rental::replay(&history);
    let snapshot = serde_json::to_value(&state).unwrap();
    assert_eq!(
        snapshot["late_fees"][1]["reversed"]["reason"],
        "returned_earlier"
    );
    assert_eq!(serde_json::from_value::<Rental>(snapshot).unwrap(), state);
}
