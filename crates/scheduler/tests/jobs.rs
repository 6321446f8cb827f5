//! Scheduled jobs on both databases: the quotation expiry job expires exactly the quotations
//! past their validity and changes nothing when run again; two schedulers never run a job at
//! once; a crashed holder's lease expires; a failing job is recorded with its error.
#![allow(clippy::unwrap_used)]

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use async_trait::async_trait;
use chrono::{NaiveDate, TimeDelta};
use niaga_domain::{
    Money,
    ids::{CustomerId, QuotationId},
    quotation::{
        AcceptQuotation, Channel, Quotation, QuotationCommand, QuotationStatus, Recipient,
        RevisionNumber, SendQuotation, ValidityDays,
    },
    rental::{DailyLateFee, LateFeePolicy},
    testing::{sample_quotation, test_ctx},
    values::{Email, Name},
};
use niaga_projections::{Projection, quotation_list::QuotationList, runner};
use niaga_scheduler::{
    Counts, Job, JobContext, JobError, Outcome, Trigger, jobs::ExpireQuotations, run_once, runs,
};
use niaga_store::{CommandHandler, CommandOptions, Database, on_writer};
use tokio::sync::Notify;
use uuid::Uuid;

/// One day's grace, then RM 10 a day (the quotation jobs never use it).
fn late_fee_policy() -> LateFeePolicy {
    LateFeePolicy::new(
        1,
        1,
        DailyLateFee::Amount(Money::from_sen(1_000, niaga_domain::Currency::MYR)),
        None,
    )
    .unwrap()
}

fn context(db: &Database) -> JobContext {
    JobContext {
        db: db.clone(),
        committed: Arc::new(Notify::new()),
        late_fees: late_fee_policy(),
    }
}

async fn catch_up(projection: &dyn Projection, db: &Database, position: i64) {
    let store = db.event_store();
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while !niaga_projections::checkpoint::has_applied(db, projection.name(), position)
        .await
        .unwrap()
    {
        runner::catch_up(projection, db, store.as_ref())
            .await
            .unwrap();
        assert!(
            std::time::Instant::now() < deadline,
            "never reached {position}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// A quotation sent on 1 June 2026 (test_ctx) valid for `days`: its id and last position.
async fn sent(quotations: &CommandHandler<Quotation>, n: u32, days: u16) -> (QuotationId, i64) {
    let id = QuotationId::from_uuid(Uuid::now_v7());
    let mut draft = sample_quotation(
        id,
        CustomerId::from_uuid(Uuid::now_v7()),
        &format!("QUO-2026-{n:04}"),
    )
    .unwrap();
    draft.validity = Some(ValidityDays::new(days).unwrap());
    let send = QuotationCommand::Send(SendQuotation {
        to: Recipient {
            name: Name::parse("Puan Aminah").unwrap(),
            channel: Channel::Email(Email::parse("aminah@acme.com.my").unwrap()),
        },
    });
    let mut position = 0;
    for command in [QuotationCommand::Draft(draft), send] {
        let outcome = quotations
            .execute(
                &id.to_string(),
                &command,
                &test_ctx(),
                &CommandOptions::default(),
            )
            .await
            .unwrap();
        position = outcome.position.unwrap();
    }
    (id, position)
}

async fn status(quotations: &CommandHandler<Quotation>, id: QuotationId) -> QuotationStatus {
    let (quotation, _) = quotations.load(&id.to_string()).await.unwrap().unwrap();
    quotation.drafted().unwrap().status()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

async fn expiry_expires_what_has_passed_and_a_second_run_changes_nothing(db: Database) {
    let quotations = CommandHandler::<Quotation>::new(db.event_store());
    // Sent on 1 June: valid 10 days is open until 11 June, 30 days until 1 July.
    let (short, _) = sent(&quotations, 1, 10).await;
    let (long, _) = sent(&quotations, 2, 30).await;
    let (accepted, _) = sent(&quotations, 3, 10).await;
    let accept = QuotationCommand::Accept(AcceptQuotation {
        revision: RevisionNumber::FIRST,
        accepted_by: Name::parse("Puan Aminah").unwrap(),
        customer_reference: None,
    });
    let outcome = quotations
        .execute(
            &accepted.to_string(),
            &accept,
            &test_ctx(),
            &CommandOptions::default(),
        )
        .await
        .unwrap();
    catch_up(&QuotationList, &db, outcome.position.unwrap()).await;

    let ctx = context(&db);
    let job = ExpireQuotations;
    // On its last valid day nothing expires.
    let Outcome::Ran(run) = run_once(&job, &ctx, day(2026, 6, 11), "a", Trigger::Command)
        .await
        .unwrap()
    else {
        panic!("busy")
    };
    assert_eq!(run.outcome, "succeeded");
    assert_eq!(run.counts()["expired"], 0);

    let Outcome::Ran(run) = run_once(&job, &ctx, day(2026, 6, 12), "a", Trigger::Command)
        .await
        .unwrap()
    else {
        panic!("busy")
    };
    assert_eq!(run.counts()["expired"], 1, "{run:?}");
    assert_eq!(status(&quotations, short).await, QuotationStatus::Expired);
    assert_eq!(status(&quotations, long).await, QuotationStatus::Sent);
    assert_eq!(
        status(&quotations, accepted).await,
        QuotationStatus::Accepted
    );
    let (expired, version) = quotations.load(&short.to_string()).await.unwrap().unwrap();
    assert_eq!(
        expired.drafted().unwrap().current.expired_on,
        Some(day(2026, 6, 12)),
        "decided by the run's day, not the wall clock"
    );

    // Run again for the same day (the read model may not have caught up yet): nothing new.
    let Outcome::Ran(again) = run_once(&job, &ctx, day(2026, 6, 12), "b", Trigger::Command)
        .await
        .unwrap()
    else {
        panic!("busy")
    };
    assert_eq!(again.counts()["expired"], 0, "{again:?}");
    let (_, version_after) = quotations.load(&short.to_string()).await.unwrap().unwrap();
    assert_eq!(version_after, version);

    let recorded = runs::latest(&db, job.name(), 10).await.unwrap();
    assert_eq!(recorded.len(), 3);
    assert!(recorded.iter().all(|r| r.outcome == "succeeded"));
    assert_eq!(recorded[0].holder, "b");
    assert!(
        runs::succeeded(&db, job.name(), day(2026, 6, 12))
            .await
            .unwrap()
    );
    assert!(
        !runs::succeeded(&db, job.name(), day(2026, 6, 13))
            .await
            .unwrap()
    );
}

/// A job that takes a while and counts how many of it run at once.
#[derive(Debug, Default)]
struct Slow {
    running: AtomicUsize,
    most: AtomicUsize,
    fail: bool,
}

#[async_trait]
impl Job for Slow {
    fn name(&self) -> &'static str {
        "slow"
    }

    fn description(&self) -> &'static str {
        "for tests"
    }

    async fn run(&self, _: &JobContext, _: NaiveDate) -> Result<Counts, JobError> {
        let now = self.running.fetch_add(1, Ordering::SeqCst) + 1;
        self.most.fetch_max(now, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(300)).await;
        self.running.fetch_sub(1, Ordering::SeqCst);
        if self.fail {
            return Err(JobError::Command("the bank's file was not there".into()));
        }
        Ok(Counts::from([("done".to_owned(), 1)]))
    }
}

async fn two_schedulers_never_run_a_job_at_once(db: Database) {
    let job = Arc::new(Slow::default());
    let ctx = context(&db);
    let today = day(2026, 7, 1);
    let runs: Vec<_> = ["instance-a", "instance-b", "instance-c"]
        .into_iter()
        .map(|holder| {
            let (job, ctx) = (job.clone(), ctx.clone());
            tokio::spawn(async move {
                run_once(job.as_ref(), &ctx, today, holder, Trigger::Schedule)
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut ran = 0;
    for run in runs {
        match run.await.unwrap() {
            Outcome::Ran(run) => {
                assert_eq!(run.outcome, "succeeded");
                ran += 1;
            }
            Outcome::Busy => {}
        }
    }
    assert_eq!(job.most.load(Ordering::SeqCst), 1, "never two at once");
    assert!(ran >= 1);
    // The lease was given up: the next run goes ahead.
    assert!(matches!(
        run_once(job.as_ref(), &ctx, today, "instance-b", Trigger::Command)
            .await
            .unwrap(),
        Outcome::Ran(_)
    ));
}

async fn a_crashed_holders_lease_expires_and_a_failure_is_recorded(db: Database) {
    // A scheduler that died holding the lease a minute and more ago.
    let expired = niaga_domain::start_of_business_day(day(2026, 1, 1)).unwrap();
    let live = chrono::Utc::now() + TimeDelta::seconds(60);
    let stamp =
        |at: chrono::DateTime<chrono::Utc>| at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    on_writer!(&db, pool => sqlx::query(
        "INSERT INTO job_leases (job, holder, expires_at) VALUES ('slow', 'ghost', $1)",
    )
    .bind(stamp(expired))
    .execute(pool)
    .await
    .map(drop))
    .unwrap();
    let job = Slow {
        fail: true,
        ..Slow::default()
    };
    let ctx = context(&db);
    let Outcome::Ran(run) = run_once(&job, &ctx, day(2026, 7, 1), "alive", Trigger::Command)
        .await
        .unwrap()
    else {
        panic!("the expired lease was not taken over")
    };
    assert_eq!(run.outcome, "failed");
    assert_eq!(run.error.as_deref(), Some("the bank's file was not there"));
    assert!(run.finished_at.is_some());
    assert!(!runs::succeeded(&db, "slow", day(2026, 7, 1)).await.unwrap());

    // A lease still running elsewhere is respected.
    on_writer!(&db, pool => sqlx::query(
        "INSERT INTO job_leases (job, holder, expires_at) VALUES ('slow', 'other', $1)",
    )
    .bind(stamp(live))
    .execute(pool)
    .await
    .map(drop))
    .unwrap();
    assert_eq!(
        run_once(&job, &ctx, day(2026, 7, 1), "alive", Trigger::Command)
            .await
            .unwrap(),
        Outcome::Busy
    );
}

niaga_store::on_both_backends!(
    expiry_expires_what_has_passed_and_a_second_run_changes_nothing,
    two_schedulers_never_run_a_job_at_once,
    a_crashed_holders_lease_expires_and_a_failure_is_recorded,
);
