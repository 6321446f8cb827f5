//! `overdue`: the daily overdue detection. Every open rental with a unit not back by its
//! expected return is assessed as of the run's day: the units late that day are recorded
//! (`RentalOverdue`, with days late), and a late fee is charged for every (unit, day) due and
//! not charged yet, under the company's late fee policy.
//!
//! Idempotent by construction: the Rental aggregate charges only the (unit, day) pairs it has
//! no fee for, so a second run for the same day writes nothing, and a run after days of
//! downtime charges every day missed, exactly as daily runs would have. The work list comes
//! from the rentals read model, brought up to date first; the decision is the aggregate's.

use async_trait::async_trait;
use chrono::NaiveDate;
use niaga_domain::{
    Actor, Ctx,
    rental::{AssessOverdue, Rental, RentalCommand, RentalEvent},
    start_of_business_day,
};
use niaga_projections::{rentals, runner};
use niaga_store::{CommandError, CommandHandler, CommandOptions};
use uuid::Uuid;

use crate::{Counts, Job, JobContext, JobError};

#[derive(Debug, Clone, Copy)]
pub struct Overdue;

#[async_trait]
impl Job for Overdue {
    fn name(&self) -> &'static str {
        "overdue"
    }

    fn description(&self) -> &'static str {
        "Records rental units not returned on time and charges their late fees"
    }

    async fn run(&self, ctx: &JobContext, as_of: NaiveDate) -> Result<Counts, JobError> {
        let now = start_of_business_day(as_of).ok_or(JobError::Date(as_of))?;
        runner::catch_up(&rentals::Rentals, &ctx.db, ctx.db.event_store().as_ref()).await?;
        let command_ctx = Ctx::new(now, Actor::System(self.name().to_owned()), Uuid::now_v7());
        let handler = CommandHandler::<Rental>::new(ctx.db.event_store())
            .notify_on_commit(ctx.committed.clone());
        let command = RentalCommand::AssessOverdue(AssessOverdue {
            as_of,
            policy: ctx.late_fees,
        });
        let mut counts = Counts::from([
            ("rentals".to_owned(), 0),
            ("units_overdue".to_owned(), 0),
            ("fees_charged".to_owned(), 0),
            ("unchanged".to_owned(), 0),
            ("skipped".to_owned(), 0),
        ]);
        let mut add = |name: &str, n: u64| *counts.entry(name.to_owned()).or_default() += n;
        for id in rentals::with_units_overdue(&ctx.db, as_of).await? {
            add("rentals", 1);
            match handler
                .execute(&id, &command, &command_ctx, &CommandOptions::default())
                .await
            {
                Ok(outcome) if outcome.events.is_empty() => add("unchanged", 1),
                Ok(outcome) => {
                    for event in &outcome.events {
                        match event {
                            RentalEvent::RentalOverdue(e) => {
                                add("units_overdue", e.units.len() as u64);
                            }
                            RentalEvent::RentalLateFeeCharged(_) => add("fees_charged", 1),
                            _ => {}
                        }
                    }
                }
                // A rule refused this rental (a policy in another currency, say): the others
                // still run, and the refusal is in the log with the rental's id.
                Err(CommandError::Domain(error)) => {
                    tracing::warn!(rental_id = %id, %error, "overdue assessment refused");
                    add("skipped", 1);
                }
                Err(error) => return Err(JobError::Command(error.to_string())),
            }
        }
        Ok(counts)
    }
}
