//! One test per rule, named as the rule.

#![allow(clippy::unwrap_used)]

use chrono::{NaiveDate, TimeZone, Utc};
use serde_json::json;
use uuid::Uuid;

use super::*;
use crate::ids::{EquipmentUnitId, RentalId};
use crate::money::{Currency, Money};
use crate::testing::{self, Given, test_ctx};
use crate::values::TextProblem;
use crate::{Aggregate, Ctx, DomainEvent};

// ---- fixtures ------------------------------------------------------------------------------

/// `testing::given`, for equipment units: an event type alone cannot name its aggregate.
fn given(history: impl IntoIterator<Item = EquipmentUnitEvent>) -> Given<EquipmentUnit> {
    testing::given(history)
}

fn unit_id() -> EquipmentUnitId {
    EquipmentUnitId::from_uuid(Uuid::from_u128(0x0197_0000_0000_7000_8000_0000_0000_0e01))
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The business day of [`test_ctx`]: 1 June 2026 in Kuala Lumpur.
fn today() -> NaiveDate {
    date(2026, 6, 1)
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

fn card(day: &str, week: &str, month: &str) -> RateCard {
    RateCard::new(rm(day), rm(week), rm(month)).unwrap()
}

/// RM 40 a day, RM 200 a week, RM 600 a month.
fn standard_card() -> RateCard {
    card("40", "200", "600")
}

fn serial() -> SerialNumber {
    SerialNumber::parse("TW-20KG-0042").unwrap()
}

fn certificate(number: &str) -> CertificateNumber {
    CertificateNumber::parse(number).unwrap()
}

fn register() -> EquipmentUnitCommand {
    EquipmentUnitCommand::Register(RegisterUnit {
        id: unit_id(),
        serial: serial(),
        class: AccuracyClass::M1,
        nominal_mass: NominalMass::parse("20 kg").unwrap(),
        rate_card: standard_card(),
    })
}

/// The standard unit, registered today.
fn registered() -> EquipmentUnitEvent {
    let ctx = test_ctx();
    EquipmentUnitEvent::EquipmentUnitRegistered(EquipmentUnitRegistered {
        unit_id: unit_id(),
        serial: serial(),
        class: AccuracyClass::M1,
        nominal_mass: NominalMass::parse("20 kg").unwrap(),
        rate_card: standard_card(),
        registered_on: today(),
        registered_at: ctx.now,
    })
}

fn change_rates(rate_card: RateCard, effective_from: NaiveDate) -> EquipmentUnitCommand {
    EquipmentUnitCommand::ChangeRateCard(ChangeRateCard {
        rate_card,
        effective_from,
    })
}

fn rates_changed(rate_card: RateCard, effective_from: NaiveDate) -> EquipmentUnitEvent {
    EquipmentUnitEvent::EquipmentRateCardChanged(EquipmentRateCardChanged {
        rate_card,
        effective_from,
        changed_at: test_ctx().now,
    })
}

fn calibrate(number: &str, calibrated_on: NaiveDate, due_on: NaiveDate) -> EquipmentUnitCommand {
    EquipmentUnitCommand::RecordCalibration(RecordCalibration {
        certificate: certificate(number),
        calibrated_on,
        due_on,
    })
}

fn calibrated(number: &str, calibrated_on: NaiveDate, due_on: NaiveDate) -> EquipmentUnitEvent {
    EquipmentUnitEvent::EquipmentCalibrationRecorded(EquipmentCalibrationRecorded {
        certificate: certificate(number),
        calibrated_on,
        due_on,
        recorded_at: test_ctx().now,
    })
}

/// Calibrated on 2 January 2026, due on 31 December 2026.
fn calibrated_this_year() -> EquipmentUnitEvent {
    calibrated("CAL/2026/00731", date(2026, 1, 2), date(2026, 12, 31))
}

fn retire(reason: &str, on_rental: Option<RentalId>) -> EquipmentUnitCommand {
    EquipmentUnitCommand::Retire(RetireUnit {
        reason: reason.into(),
        on_rental,
    })
}

fn retired() -> EquipmentUnitEvent {
    EquipmentUnitEvent::EquipmentUnitRetired(EquipmentUnitRetired {
        serial: serial(),
        reason: "Worn beyond adjustment".into(),
        retired_on: today(),
        retired_at: test_ctx().now,
    })
}

fn record(state: &EquipmentUnit) -> &EquipmentUnitRecord {
    state.registered().expect("a registered unit")
}

// ---- registration --------------------------------------------------------------------------

#[test]
fn registering_a_unit_records_its_serial_class_mass_and_rate_card_from_today() {
    let state = given([]).when(register()).then([registered()]);
    let unit = record(&state);
    assert_eq!(unit.serial.as_str(), "TW-20KG-0042");
    assert_eq!(unit.class, AccuracyClass::M1);
    assert_eq!(unit.nominal_mass.to_string(), "20 kg");
    assert_eq!(unit.currency(), Currency::MYR);
    assert_eq!(unit.first_rate_card.effective_from, today());
    assert_eq!(unit.rate_card_on(today()), standard_card());
    assert_eq!(unit.current_calibration(), None);
    assert_eq!(unit.retirement, None);
}

#[test]
fn registering_a_unit_twice_is_refused_naming_its_serial() {
    given([registered()])
        .when(register())
        .then_err(EquipmentUnitError::AlreadyRegistered { serial: serial() });
}

#[test]
fn commands_to_a_unit_never_registered_are_refused() {
    for command in [
        change_rates(standard_card(), today()),
        calibrate("CAL-1", date(2026, 5, 1), date(2027, 5, 1)),
        retire("Lost", None),
    ] {
        given([])
            .when(command)
            .then_err(EquipmentUnitError::NotRegistered);
    }
}

// ---- rate cards ----------------------------------------------------------------------------

#[test]
fn a_rate_change_applies_from_its_day_and_earlier_days_keep_the_earlier_card() {
    let dearer = card("45", "220", "650");
    let state = given([registered()])
        .when(change_rates(dearer, date(2026, 7, 1)))
        .then([rates_changed(dearer, date(2026, 7, 1))]);
    let unit = record(&state);
    assert_eq!(unit.rate_card_on(date(2026, 6, 30)), standard_card());
    assert_eq!(unit.rate_card_on(date(2026, 7, 1)), dearer);
    assert_eq!(unit.rate_card_on(date(2027, 1, 1)), dearer);
    assert_eq!(unit.rate_cards().count(), 2);
}

#[test]
fn the_first_rate_card_also_prices_days_before_registration() {
    let unit = unit_after([registered()]);
    assert_eq!(unit.rate_card_on(date(2026, 1, 1)), standard_card());
}

#[test]
fn every_version_of_the_rate_card_is_kept_and_a_later_one_for_the_same_day_supersedes_it() {
    let july = card("45", "220", "650");
    let corrected = card("44", "220", "650");
    let state = given([registered(), rates_changed(july, date(2026, 7, 1))])
        .when(change_rates(corrected, date(2026, 7, 1)))
        .then([rates_changed(corrected, date(2026, 7, 1))]);
    let unit = record(&state);
    assert_eq!(unit.rate_card_on(date(2026, 7, 1)), corrected);
    let versions: Vec<_> = unit.rate_cards().map(|v| v.rate_card).collect();
    assert_eq!(versions, [standard_card(), july, corrected]);
}

#[test]
fn a_rate_change_dated_before_the_latest_version_is_refused() {
    let july = card("45", "220", "650");
    given([registered(), rates_changed(july, date(2026, 7, 1))])
        .when(change_rates(card("42", "210", "620"), date(2026, 6, 15)))
        .then_err(EquipmentUnitError::RateChangeBeforeLatest {
            serial: serial(),
            effective_from: date(2026, 6, 15),
            latest: date(2026, 7, 1),
        });
    // Nor before the day of registration, the first card's day.
    given([registered()])
        .when(change_rates(july, date(2026, 5, 31)))
        .then_err(EquipmentUnitError::RateChangeBeforeLatest {
            serial: serial(),
            effective_from: date(2026, 5, 31),
            latest: today(),
        });
}

#[test]
fn a_rate_card_in_another_currency_than_the_unit_is_refused() {
    let usd = |a: &str| Money::parse(a, "USD").unwrap();
    let dollars = RateCard::new(usd("10"), usd("50"), usd("150")).unwrap();
    let refusal = EquipmentUnitError::RateCardCurrency {
        serial: serial(),
        expected: Currency::MYR,
        found: Currency::parse("USD").unwrap(),
    };
    assert_eq!(refusal.pointer().as_deref(), Some("/rate_card"));
    given([registered()])
        .when(change_rates(dollars, date(2026, 7, 1)))
        .then_err(refusal);
}

#[test]
fn setting_the_rate_card_already_in_force_from_that_day_changes_nothing() {
    given([registered()])
        .when(change_rates(standard_card(), date(2026, 7, 1)))
        .then_nothing();
}

// ---- calibration ---------------------------------------------------------------------------

#[test]
fn recording_a_calibration_keeps_its_certificate_and_dates() {
    let state = given([registered()])
        .when(calibrate(
            "cal/2026/00731",
            date(2026, 1, 2),
            date(2026, 12, 31),
        ))
        .then([calibrated_this_year()]);
    let current = record(&state).current_calibration().unwrap();
    assert_eq!(current.certificate.as_str(), "CAL/2026/00731");
    assert_eq!(current.due_on, date(2026, 12, 31));
}

#[test]
fn a_calibration_due_on_or_before_the_day_it_was_made_is_refused() {
    for due_on in [date(2026, 5, 1), date(2026, 4, 30)] {
        given([registered()])
            .when(calibrate("CAL-9", date(2026, 5, 1), due_on))
            .then_err(EquipmentUnitError::CalibrationDueNotAfter {
                serial: serial(),
                certificate: certificate("CAL-9"),
                calibrated_on: date(2026, 5, 1),
                due_on,
            });
    }
}

#[test]
fn a_calibration_dated_after_today_is_refused() {
    given([registered()])
        .when(calibrate("CAL-9", date(2026, 6, 2), date(2027, 6, 2)))
        .then_err(EquipmentUnitError::CalibratedInFuture {
            serial: serial(),
            certificate: certificate("CAL-9"),
            calibrated_on: date(2026, 6, 2),
            today: today(),
        });
}

#[test]
fn recording_the_same_certificate_again_changes_nothing_and_with_other_dates_is_refused() {
    given([registered(), calibrated_this_year()])
        .when(calibrate(
            "CAL/2026/00731",
            date(2026, 1, 2),
            date(2026, 12, 31),
        ))
        .then_nothing();
    given([registered(), calibrated_this_year()])
        .when(calibrate(
            "CAL/2026/00731",
            date(2026, 1, 2),
            date(2027, 1, 2),
        ))
        .then_err(EquipmentUnitError::CertificateAlreadyRecorded {
            serial: serial(),
            certificate: certificate("CAL/2026/00731"),
        });
}

#[test]
fn the_calibration_in_force_is_the_latest_made_not_the_latest_entered() {
    let state = given([registered(), calibrated_this_year()])
        .when(calibrate(
            "CAL/2025/00112",
            date(2025, 1, 3),
            date(2025, 12, 31),
        ))
        .then([calibrated(
            "CAL/2025/00112",
            date(2025, 1, 3),
            date(2025, 12, 31),
        )]);
    let unit = record(&state);
    assert_eq!(unit.calibrations.len(), 2);
    assert_eq!(
        unit.current_calibration().map(|c| c.certificate.as_str()),
        Some("CAL/2026/00731")
    );
}

// ---- retirement ----------------------------------------------------------------------------

#[test]
fn retiring_a_unit_records_why_and_when() {
    let state = given([registered()])
        .when(retire(" Worn beyond adjustment ", None))
        .then([retired()]);
    let retirement = record(&state).retirement.as_ref().unwrap();
    assert_eq!(retirement.reason, "Worn beyond adjustment");
    assert_eq!(retirement.retired_on, today());
}

#[test]
fn retiring_needs_a_reason_of_one_line_of_at_most_300_characters() {
    given([registered()])
        .when(retire("  ", None))
        .then_err(EquipmentUnitError::ReasonRequired { serial: serial() });
    given([registered()])
        .when(retire(&"x".repeat(301), None))
        .then_err(EquipmentUnitError::InvalidText {
            field: "reason",
            problem: TextProblem::TooLong { max: 300 },
        });
}

#[test]
fn retiring_a_unit_reserved_for_or_out_on_a_rental_is_refused() {
    let rental_id = RentalId::from_uuid(Uuid::from_u128(77));
    given([registered()])
        .when(retire("Sold", Some(rental_id)))
        .then_err(EquipmentUnitError::OnRental {
            serial: serial(),
            rental_id,
        });
}

#[test]
fn a_retired_unit_cannot_be_changed() {
    let refusal = EquipmentUnitError::Retired {
        serial: serial(),
        retired_on: today(),
    };
    for command in [
        change_rates(card("45", "220", "650"), date(2026, 7, 1)),
        calibrate("CAL-9", date(2026, 5, 1), date(2027, 5, 1)),
        retire("Again", None),
    ] {
        given([registered(), retired()])
            .when(command)
            .then_err(refusal.clone());
    }
    assert_eq!(
        refusal.to_string(),
        "unit TW-20KG-0042 was retired on 2026-06-01 and can no longer change"
    );
}

// ---- rentability ---------------------------------------------------------------------------

fn unit_after(history: impl IntoIterator<Item = EquipmentUnitEvent>) -> EquipmentUnitRecord {
    let history: Vec<_> = history.into_iter().collect();
    record(&EquipmentUnit::replay(&history)).clone()
}

#[test]
fn a_calibrated_unit_in_service_is_rentable_through_its_due_day() {
    let unit = unit_after([registered(), calibrated_this_year()]);
    for policy in [CalibrationPolicy::Warn, CalibrationPolicy::Refuse] {
        assert_eq!(unit.rentable_on(date(2026, 12, 31), policy), Ok(None));
    }
}

#[test]
fn a_unit_due_for_calibration_before_the_rentals_end_is_refused_under_the_refuse_policy() {
    let unit = unit_after([registered(), calibrated_this_year()]);
    let issue = CalibrationIssue {
        serial: serial(),
        due_on: Some(date(2026, 12, 31)),
        needed_until: date(2027, 1, 1),
    };
    let refusal = unit
        .rentable_on(date(2027, 1, 1), CalibrationPolicy::Refuse)
        .unwrap_err();
    assert_eq!(refusal, Unrentable::Calibration(issue));
    assert_eq!(
        refusal.to_string(),
        "unit TW-20KG-0042's calibration is due on 2026-12-31, before 2027-01-01, the last day it would be out: recalibrate it before renting it out"
    );
}

#[test]
fn a_unit_due_for_calibration_before_the_rentals_end_is_rented_with_a_warning_under_the_warn_policy()
 {
    let unit = unit_after([registered(), calibrated_this_year()]);
    assert_eq!(
        unit.rentable_on(date(2027, 1, 1), CalibrationPolicy::Warn),
        Ok(Some(CalibrationIssue {
            serial: serial(),
            due_on: Some(date(2026, 12, 31)),
            needed_until: date(2027, 1, 1),
        }))
    );
}

#[test]
fn a_unit_never_calibrated_follows_the_calibration_policy() {
    let unit = unit_after([registered()]);
    let issue = CalibrationIssue {
        serial: serial(),
        due_on: None,
        needed_until: today(),
    };
    assert_eq!(
        unit.rentable_on(today(), CalibrationPolicy::Warn),
        Ok(Some(issue.clone()))
    );
    assert_eq!(
        unit.rentable_on(today(), CalibrationPolicy::Refuse),
        Err(Unrentable::Calibration(issue))
    );
}

#[test]
fn a_retired_unit_cannot_be_rented_whatever_the_policy() {
    let unit = unit_after([registered(), calibrated_this_year(), retired()]);
    for policy in [CalibrationPolicy::Warn, CalibrationPolicy::Refuse] {
        assert_eq!(
            unit.rentable_on(date(2026, 6, 10), policy),
            Err(Unrentable::Retired {
                serial: serial(),
                retired_on: today(),
            })
        );
    }
}

#[test]
fn a_rental_gets_the_units_facts_with_the_rate_card_of_its_start_day() {
    let july = card("45", "220", "650");
    let unit = unit_after([
        registered(),
        calibrated_this_year(),
        rates_changed(july, date(2026, 7, 1)),
    ]);
    let facts = unit.facts_for_rental(date(2026, 7, 3));
    assert_eq!(facts.unit_id, unit_id());
    assert_eq!(facts.rate_card, july);
    assert_eq!(facts.calibration_due_on, Some(date(2026, 12, 31)));
    assert_eq!(facts.retired_on, None);
    assert_eq!(
        unit.facts_for_rental(date(2026, 6, 20)).rate_card,
        standard_card()
    );
}

// ---- storage -------------------------------------------------------------------------------

fn every_event() -> Vec<EquipmentUnitEvent> {
    vec![
        registered(),
        rates_changed(card("45", "220", "650"), date(2026, 7, 1)),
        calibrated_this_year(),
        retired(),
    ]
}

#[test]
fn every_event_survives_being_stored_and_read() {
    for event in every_event() {
        let (event_type, version, payload) = event.encode().unwrap();
        assert_eq!(event_type, format!("{event:?}").split('(').next().unwrap());
        assert_eq!(version, 1);
        assert_eq!(
            EquipmentUnitEvent::decode(event_type, version, payload).unwrap(),
            event
        );
    }
}

#[test]
fn a_registration_is_stored_with_its_values_as_written() {
    let (event_type, _, payload) = registered().encode().unwrap();
    assert_eq!(event_type, "EquipmentUnitRegistered");
    assert_eq!(payload["serial"], "TW-20KG-0042");
    assert_eq!(payload["class"], "M1");
    assert_eq!(
        payload["nominal_mass"],
        json!({ "value": "20", "unit": "kg" })
    );
    assert_eq!(
        payload["rate_card"]["per_week"],
        json!({ "amount": "200.00", "currency": "MYR" })
    );
    assert_eq!(payload["registered_on"], "2026-06-01");
}

#[test]
fn a_unit_survives_a_snapshot() {
    let state = EquipmentUnit::replay(&every_event());
    let snapshot = serde_json::to_value(&state).unwrap();
    assert_eq!(snapshot["state"], "registered");
    let back = serde_json::from_value::<EquipmentUnit>(snapshot).unwrap();
    assert_eq!(back, state);
    assert_eq!(
        serde_json::to_value(EquipmentUnit::default()).unwrap(),
        json!({ "state": "not_registered" })
    );
}

#[test]
fn the_stream_type_is_equipment_unit() {
    assert_eq!(<EquipmentUnit as Aggregate>::STREAM_TYPE, "equipment_unit");
}

#[test]
fn a_registration_on_another_day_starts_the_first_rate_card_that_day() {
    let ctx = on(date(2026, 3, 15));
    let events = EquipmentUnit::default().decide(&register(), &ctx).unwrap();
    let state = EquipmentUnit::replay(&events);
    assert_eq!(
        record(&state).first_rate_card.effective_from,
        date(2026, 3, 15)
    );
}
