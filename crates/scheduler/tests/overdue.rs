//! The daily overdue job on both databases: the same rental history assessed day by day for
//! thirty days, and assessed once for the thirtieth day (after "downtime") and then again,
//! ends with the same late fees, a back-dated return included; the second run writes nothing.
#![allow(clippy::unwrap_used)]

use std::{sync::Arc, time::Duration};

use chrono::{Days, NaiveDate, TimeZone, Utc};
use niaga_domain::{
    Actor, Ctx, Money,
    equipment::{AccuracyClass, CalibrationPolicy, NominalMass, RateCard, SerialNumber, UnitFacts},
    ids::{CustomerId, EquipmentUnitId, RentalId},
    rental::{
        CheckInUnit, CheckOutUnit, DailyLateFee, LateFeePolicy, Rental, RentalCommand,
        ReserveRental, UnitCondition,
    },
    values::Name,
};
use niaga_projections::{checkpoint, rentals::Rentals, runner};
use niaga_scheduler::{JobContext, Outcome, Trigger, jobs::Overdue, run_once};
use niaga_store::{CommandHandler, CommandOptions, Database, on_reader, testing::fresh_database};
use tokio::sync::Notify;
use uuid::Uuid;

fn day(d: u64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 1)
        .unwrap()
        .checked_add_days(Days::new(d))
        .unwrap()
}

/// 10:00 in Kuala Lumpur on `day(d)`.
fn ctx_on(d: u64) -> Ctx {
    let at = Utc.with_ymd_and_hms(2026, 6, 1, 2, 0, 0).unwrap() + chrono::TimeDelta::days(d as i64);
    Ctx::new(at, Actor::User(Uuid::nil()), Uuid::now_v7())
}

fn myr(sen: i64) -> Money {
    Money::from_sen(sen, niaga_domain::Currency::MYR)
}

/// Half the daily rate per day after two days' grace.
fn policy() -> LateFeePolicy {
    LateFeePolicy::new(
        3,
        2,
        DailyLateFee::PercentOfDailyRate {
            basis_points: 5_000,
        },
        None,
    )
    .unwrap()
}

fn context(db: &Database) -> JobContext {
    JobContext {
        db: db.clone(),
        committed: Arc::new(Notify::new()),
        late_fees: policy(),
    }
}

fn unit_id(n: u128) -> EquipmentUnitId {
    EquipmentUnitId::from_uuid(Uuid::from_u128(0xE0 + n))
}

fn unit(n: u128, per_day_sen: i64) -> UnitFacts {
    UnitFacts {
        unit_id: unit_id(n),
        serial: SerialNumber::parse(&format!("TW-{n:04}")).unwrap(),
        class: AccuracyClass::parse("M1").unwrap(),
        nominal_mass: NominalMass::parse("20 kg").unwrap(),
        rate_card: RateCard::new(
            myr(per_day_sen),
            myr(per_day_sen * 5),
            myr(per_day_sen * 20),
        )
        .unwrap(),
        calibration_due_on: Some(day(365)),
        retired_on: None,
    }
}

const RENTAL: u128 = 0xAB;

/// A rental of two units out on day 0, due back on day 4.
async fn rental_out(rentals: &CommandHandler<Rental>) {
    let id = RentalId::from_uuid(Uuid::from_u128(RENTAL));
    let reserve = RentalCommand::Reserve(ReserveRental {
        id,
        customer_id: CustomerId::from_uuid(Uuid::from_u128(0xC0)),
        currency: niaga_domain::Currency::MYR,
        units: vec![unit(1, 2_500), unit(2, 4_000)],
        start_on: day(0),
        expected_return_on: day(4),
        deposit: Money::zero(niaga_domain::Currency::MYR),
        calibration_policy: CalibrationPolicy::Refuse,
    });
    let options = CommandOptions::default();
    rentals
        .execute(&id.to_string(), &reserve, &ctx_on(0), &options)
        .await
        .unwrap();
    for n in [1, 2] {
        let out = RentalCommand::CheckOut(CheckOutUnit {
            unit_id: unit_id(n),
            on: day(0),
            collected_by: Name::parse("Ahmad bin Ali").unwrap(),
            delivery_order_id: None,
        });
        rentals
            .execute(&id.to_string(), &out, &ctx_on(0), &options)
            .await
            .unwrap();
    }
}

/// Unit 2 came back on day 11, recorded on day `recorded`.
async fn unit_two_back(rentals: &CommandHandler<Rental>, recorded: u64) {
    let back = RentalCommand::CheckIn(CheckInUnit {
        unit_id: unit_id(2),
        on: day(11),
        condition: UnitCondition::Good,
        damage_charge: Money::zero(niaga_domain::Currency::MYR),
        note: None,
    });
    rentals
        .execute(
            &Uuid::from_u128(RENTAL).to_string(),
            &back,
            &ctx_on(recorded),
            &CommandOptions::default(),
        )
        .await
        .unwrap();
}

/// Runs the job for `day(d)`: the fees it charged.
async fn run(db: &Database, d: u64) -> u64 {
    let Outcome::Ran(run) = run_once(&Overdue, &context(db), day(d), "test", Trigger::Command)
        .await
        .unwrap()
    else {
        panic!("busy")
    };
    assert_eq!(run.outcome, "succeeded", "{:?}", run.error);
    let counts: serde_json::Value = serde_json::from_str(&run.counts).unwrap();
    counts["fees_charged"].as_u64().unwrap()
}

/// The standing fees in the read model: (unit, day, days late, amount, policy version).
async fn standing_fees(db: &Database) -> Vec<(String, String, i64, i64, i64)> {
    let store = db.event_store();
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        runner::catch_up(&Rentals, db, store.as_ref())
            .await
            .unwrap();
        let head = checkpoint::head(db).await.unwrap();
        if checkpoint::has_applied(db, "rentals", head).await.unwrap() {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "never caught up");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    on_reader!(db, pool => sqlx::query_as(
        "SELECT unit_id, day, days_late, amount_sen, policy_version FROM rental_late_fees \
         WHERE reversed_position IS NULL ORDER BY day, unit_id",
    )
    .fetch_all(pool)
    .await)
    .unwrap()
}

async fn a_range_after_downtime_charges_what_daily_runs_charge_and_only_once(db: Database) {
    // Day by day: unit 2's return on day 11 is recorded late, on day 20, after fees for
    // days 11 to 20 were charged; those are reversed.
    let daily = CommandHandler::<Rental>::new(db.event_store());
    rental_out(&daily).await;
    let mut charged = 0;
    for d in 1..=20 {
        charged += run(&db, d).await;
    }
    unit_two_back(&daily, 20).await;
    for d in 21..=30 {
        charged += run(&db, d).await;
    }
    // Unit 1: late days 5 to 30 (1 to 26 days late), charged from the 3rd: 24 fees. Unit 2:
    // days 7 to 20 charged (14) before the return was known.
    assert_eq!(charged, 24 + 14);
    let day_by_day = standing_fees(&db).await;

    // The same history on another database whose job did not run until day 30.
    let other = fresh_database(db.backend()).await.unwrap();
    let late = CommandHandler::<Rental>::new(other.event_store());
    rental_out(&late).await;
    unit_two_back(&late, 30).await;
    let first = run(&other, 30).await;
    let second = run(&other, 30).await;
    assert_eq!(second, 0, "a second run charges nothing");
    let caught_up = standing_fees(&other).await;
    assert_eq!(caught_up, day_by_day);
    // Unit 2 owes days 7 to 11 (3 to 7 days late).
    assert_eq!(first, 24 + 5);
    assert_eq!(caught_up.len(), 24 + 5);
    let unit_two = Uuid::from_u128(0xE2).to_string();
    let of_two: Vec<_> = caught_up.iter().filter(|f| f.0 == unit_two).collect();
    assert_eq!(of_two.first().unwrap().1, day(7).to_string());
    assert_eq!(of_two.last().unwrap().1, day(11).to_string());
    // Half of RM 40.00 a day, under policy version 3.
    assert!(
        of_two.iter().all(|f| f.3 == 2_000 && f.4 == 3),
        "{of_two:?}"
    );
    // Unit 1 at half of RM 25.00.
    assert!(
        caught_up
            .iter()
            .filter(|f| f.0 != unit_two)
            .all(|f| f.3 == 1_250),
        "{caught_up:?}"
    );
    // Running any day of the range again changes nothing.
    for d in [5, 11, 29, 30] {
        assert_eq!(run(&other, d).await, 0);
        assert_eq!(run(&db, d).await, 0);
    }
    assert_eq!(standing_fees(&other).await, caught_up);
    other.close().await;
}

niaga_store::on_both_backends!(a_range_after_downtime_charges_what_daily_runs_charge_and_only_once);
