//! `expire-quotations`: marks expired every sent quotation whose last valid day has passed.
//!
//! The work list comes from the quotation list read model (sent quotations by validity),
//! brought up to date first; the
//! decision is the Quotation aggregate's, with the run's day as the command's clock, so a
//! quotation the read model shows stale (accepted a moment ago, or revised) is refused by the
//! aggregate and counted as skipped, never expired wrongly. Expiring an expired quotation
//! writes nothing, so a second run for the same day changes nothing.

use async_trait::async_trait;
use chrono::NaiveDate;
use niaga_domain::{
    Actor, Ctx,
    quotation::{ExpireQuotation, Quotation, QuotationCommand},
    start_of_business_day,
};
use niaga_projections::{quotation_list::QuotationList, runner};
use niaga_store::{CommandError, CommandHandler, CommandOptions, on_reader};
use uuid::Uuid;

use crate::{Counts, Job, JobContext, JobError};

/// Work list pages: a run holds at most this many ids at a time.
const PAGE: i64 = 500;

#[derive(Debug, Clone, Copy)]
pub struct ExpireQuotations;

/// Sent quotations whose last valid day is before `$1`, after the id `$2`; served by
/// `quotation_list_sent_by_validity`.
pub const TO_EXPIRE_SQL: &str = "SELECT quotation_id FROM quotation_list \
     WHERE status = 'sent' AND valid_until < $1 AND quotation_id > $2 \
     ORDER BY quotation_id LIMIT $3";

#[async_trait]
impl Job for ExpireQuotations {
    fn name(&self) -> &'static str {
        "expire-quotations"
    }

    fn description(&self) -> &'static str {
        "Marks expired every sent quotation whose validity has passed"
    }

    async fn run(&self, ctx: &JobContext, as_of: NaiveDate) -> Result<Counts, JobError> {
        let now = start_of_business_day(as_of).ok_or(JobError::Date(as_of))?;
        // Run from cron with no `serve` beside it, the list may lag: bring it up to date. A
        // projector running elsewhere at the same time is safe, each batch claims the
        // checkpoint.
        runner::catch_up(&QuotationList, &ctx.db, ctx.db.event_store().as_ref()).await?;
        let command_ctx = Ctx::new(now, Actor::System(self.name().to_owned()), Uuid::now_v7());
        let quotations = CommandHandler::<Quotation>::new(ctx.db.event_store())
            .notify_on_commit(ctx.committed.clone());
        let command = QuotationCommand::Expire(ExpireQuotation);
        let (mut expired, mut unchanged, mut skipped) = (0, 0, 0);
        let mut after = String::new();
        loop {
            let ids: Vec<String> = on_reader!(&ctx.db, pool => sqlx::query_scalar(TO_EXPIRE_SQL)
                .bind(as_of.to_string())
                .bind(&after)
                .bind(PAGE)
                .fetch_all(pool)
                .await)?;
            let Some(last) = ids.last() else { break };
            after = last.clone();
            for id in &ids {
                match quotations
                    .execute(id, &command, &command_ctx, &CommandOptions::default())
                    .await
                {
                    Ok(outcome) if outcome.events.is_empty() => unchanged += 1,
                    Ok(_) => expired += 1,
                    // The read model was behind the quotation: the aggregate's word stands.
                    Err(CommandError::Domain(_)) => skipped += 1,
                    Err(error) => return Err(JobError::Command(error.to_string())),
                }
            }
        }
        Ok(Counts::from([
            ("expired".to_owned(), expired),
            ("unchanged".to_owned(), unchanged),
            ("skipped".to_owned(), skipped),
        ]))
    }
}
