//! `consolidate-einvoices`: in the 7 days after a month ends (Malaysian time), makes that
//! month's consolidated e-invoice of the sales whose buyers wanted no e-invoice of their own
//! (LHDN.md §2.8). The LHDN submitter then signs, submits and follows it like any document.
//!
//! The work list is the `lhdn_documents` read model, brought up to date first: the month
//! ended at least a day before the run, so every sale of it is there. Each sale is taken in
//! on its own stream (`InvoiceCommand::Consolidate`), which refuses a sale whose buyer asked
//! for an e-invoice of their own or that was cancelled; then the month's stream is prepared
//! with exactly the sales taken in. Every step is idempotent: a second run, or a run after a
//! crash between the two steps, takes the same sales in again (nothing new is written) and
//! finds the month prepared, or prepares it; a second instance is kept out by the job's
//! lease, and would lose the append race on the month's stream if it were not.

use async_trait::async_trait;
use chrono::{Datelike, NaiveDate, Utc};
use niaga_domain::consolidation::{
    CONSOLIDATION_WINDOW, Consolidation, ConsolidationCommand, PrepareConsolidation, Sale,
};
use niaga_domain::invoice::{ConsolidateInvoice, Invoice, InvoiceCommand};
use niaga_domain::values::Month;
use niaga_domain::{Actor, Ctx, start_of_business_day};
use niaga_projections::{lhdn_documents, runner};
use niaga_store::{CommandError, CommandHandler, CommandOptions};
use uuid::Uuid;

use crate::{Counts, Job, JobContext, JobError};

#[derive(Debug, Clone, Copy)]
pub struct ConsolidateEInvoices;

fn counts(pairs: &[(&str, u64)]) -> Counts {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
}

#[async_trait]
impl Job for ConsolidateEInvoices {
    fn name(&self) -> &'static str {
        "consolidate-einvoices"
    }

    fn description(&self) -> &'static str {
        "Prepares last month's consolidated e-invoice, in the 7 days after the month ends"
    }

    async fn run(&self, ctx: &JobContext, as_of: NaiveDate) -> Result<Counts, JobError> {
        let month = Month::of(as_of).previous();
        // LHDN: within 7 days after the month ends. Later runs leave the month alone: a
        // consolidated e-invoice that late needs a person to look at why.
        let days_after = i64::from(as_of.day()) - 1;
        if days_after >= CONSOLIDATION_WINDOW.num_days() {
            return Ok(counts(&[("outside_window", 1)]));
        }
        // The document is dated when it is made (LHDN refuses one issued more than 72 hours
        // before it is submitted), and never before the day it is made for: a run for a day
        // ahead (a test, a rehearsal) decides as at that day's start.
        let start = start_of_business_day(as_of).ok_or(JobError::Date(as_of))?;
        let now = Utc::now().max(start);
        let command_ctx = Ctx::new(now, Actor::System(self.name().to_owned()), Uuid::now_v7());
        let store = ctx.db.event_store();
        let consolidations = CommandHandler::<Consolidation>::new(store.clone())
            .notify_on_commit(ctx.committed.clone());
        let stream_id = month.to_string();
        let prepared = |loaded: Option<(Consolidation, u64)>| {
            matches!(loaded, Some((Consolidation::Prepared(_), _)))
        };
        if prepared(consolidations.load(&stream_id).await.map_err(command)?) {
            return Ok(counts(&[("already_prepared", 1)]));
        }
        runner::catch_up(&lhdn_documents::LhdnDocuments, &ctx.db, store.as_ref()).await?;
        let invoices =
            CommandHandler::<Invoice>::new(store).notify_on_commit(ctx.committed.clone());
        let take_in = InvoiceCommand::Consolidate(ConsolidateInvoice { month });
        let (mut sales, mut skipped) = (Vec::new(), 0);
        for id in lhdn_documents::sales_to_consolidate(&ctx.db, month).await? {
            match invoices
                .execute(&id, &take_in, &command_ctx, &CommandOptions::default())
                .await
            {
                Ok(_) => {}
                // Its buyer asked for an e-invoice of their own, or it was cancelled, since
                // the read model showed it: the invoice's word stands.
                Err(CommandError::Domain(_)) => {
                    skipped += 1;
                    continue;
                }
                Err(error) => return Err(command(error)),
            }
            let record = invoices.load(&id).await.map_err(command)?;
            if let Some(sale) = record
                .as_ref()
                .and_then(|(i, _)| i.drafted())
                .and_then(Sale::of)
            {
                sales.push(sale);
            }
        }
        if sales.is_empty() {
            return Ok(counts(&[
                ("nothing_to_consolidate", 1),
                ("skipped", skipped),
            ]));
        }
        let sold = u64::try_from(sales.len()).unwrap_or(u64::MAX);
        let prepare = ConsolidationCommand::Prepare(PrepareConsolidation { month, sales });
        let outcome = consolidations
            .execute(
                &stream_id,
                &prepare,
                &command_ctx,
                &CommandOptions::default(),
            )
            .await
            .map_err(command)?;
        let documents = u64::try_from(outcome.events.len()).unwrap_or(u64::MAX);
        Ok(counts(&[
            ("sales", sold),
            ("documents", documents),
            ("skipped", skipped),
        ]))
    }
}

fn command(error: impl std::fmt::Display) -> JobError {
    JobError::Command(error.to_string())
}
