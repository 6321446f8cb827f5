//! A month's consolidated e-invoice (LHDN.md §2.8): the sales whose buyers wanted no
//! e-invoice, summarised in one or more documents to the general public, submitted to LHDN
//! within 7 days after the month ends. One stream per month, its id the month (`2026-11`).
//!
//! The sales are taken in on their own streams first (`InvoiceCommand::Consolidate`), so a
//! buyer's late request for an e-invoice of their own is refused by the invoice itself; the
//! preparation then records which invoices each document covers and its lines. Each
//! document then goes to LHDN like any other ([`crate::einvoice`]).

mod command;
mod error;
mod event;
mod number;
mod state;
mod summary;
#[cfg(test)]
mod tests;

pub use command::{ConsolidationCommand, PrepareConsolidation};
pub use error::ConsolidationError;
pub use event::{ConsolidatedEInvoicePrepared, ConsolidationEvent, DocumentStep};
pub use number::ConsolidatedNumber;
pub use state::{ConsolidatedDocument, ConsolidatedMonth, Consolidation};
pub use summary::{Sale, SalesLine, TaxKey, TaxedAmount, summarise};

use std::collections::HashSet;

use chrono::TimeDelta;

use crate::billing::MAX_LINES;
use crate::einvoice::{self, ResubmissionRequested, SubmissionStep};
use crate::money::Currency;
use crate::{Aggregate, Ctx};

/// LHDN: the consolidated e-invoice is issued within 7 days after the month ends.
pub const CONSOLIDATION_WINDOW: TimeDelta = TimeDelta::days(7);

impl Aggregate for Consolidation {
    /// Stored beside every event of a consolidation stream: never rename.
    const STREAM_TYPE: &'static str = "consolidation";
    type Command = ConsolidationCommand;
    type Event = ConsolidationEvent;
    type Error = ConsolidationError;

    fn decide(
        &self,
        command: &ConsolidationCommand,
        ctx: &Ctx,
    ) -> Result<Vec<ConsolidationEvent>, ConsolidationError> {
        use ConsolidationCommand as C;
        match (self, command) {
            (Self::NotPrepared, C::Prepare(c)) => prepare(c, ctx),
            // Prepared once: a second run of the job (or a second instance) changes nothing.
            (Self::Prepared(_), C::Prepare(_)) => Ok(vec![]),
            (Self::NotPrepared, C::Submission { .. } | C::RequestResubmission { .. }) => {
                Err(ConsolidationError::NotPrepared)
            }
            (Self::Prepared(month), C::Submission { number, step }) => {
                submission(month, number, step, ctx)
            }
            (Self::Prepared(month), C::RequestResubmission { number }) => {
                request_resubmission(month, number, ctx)
            }
        }
    }

    fn evolve(self, event: &ConsolidationEvent) -> Self {
        use ConsolidationEvent as E;
        let mut month = match (self, event) {
            (Self::NotPrepared, E::ConsolidatedEInvoicePrepared(e)) => ConsolidatedMonth {
                month: e.month,
                documents: Vec::new(),
            },
            // `decide` starts every stream with a preparation; nothing before it has a
            // document to change.
            (
                Self::NotPrepared,
                E::ConsolidatedSubmissionStarted(_)
                | E::ConsolidatedEInvoiceAccepted(_)
                | E::ConsolidatedEInvoiceRejected(_)
                | E::ConsolidatedEInvoiceValidated(_)
                | E::ConsolidatedEInvoiceHeld(_)
                | E::ConsolidatedResubmissionRequested(_),
            ) => return Self::NotPrepared,
            (Self::Prepared(month), _) => month,
        };
        month.apply(event);
        Self::Prepared(month)
    }
}

fn prepare(
    c: &PrepareConsolidation,
    ctx: &Ctx,
) -> Result<Vec<ConsolidationEvent>, ConsolidationError> {
    // Until the month is over a buyer may still ask for an e-invoice of their own.
    if ctx.now < c.month.ends_at() {
        return Err(ConsolidationError::MonthNotOver { month: c.month });
    }
    if c.sales.is_empty() {
        return Err(ConsolidationError::NothingToConsolidate { month: c.month });
    }
    let mut seen = HashSet::new();
    for sale in &c.sales {
        if !c.month.contains(sale.issued_on) {
            return Err(ConsolidationError::SaleOutsideMonth {
                number: sale.number.clone(),
                month: c.month,
            });
        }
        if !seen.insert(&sale.number) {
            return Err(ConsolidationError::SaleTwice {
                number: sale.number.clone(),
            });
        }
        // The invoice refused consolidation in another currency; this guards the summary.
        let foreign = sale.amounts.iter().find(|a| {
            a.net.currency() != Currency::MYR || a.tax_amount.currency() != Currency::MYR
        });
        if foreign.is_some() {
            return Err(ConsolidationError::ForeignCurrency {
                number: sale.number.clone(),
            });
        }
    }
    let lines = summarise(&c.sales).map_err(|_| ConsolidationError::AmountTooLarge)?;
    // LHDN's document limits (300 KB) hold well at 100 lines; more lines, more documents.
    let mut events = Vec::new();
    for (index, chunk) in lines.chunks(MAX_LINES).enumerate() {
        let serial = u32::try_from(index + 1).map_err(|_| ConsolidationError::AmountTooLarge)?;
        let mut invoices: Vec<_> = chunk.iter().flat_map(|l| l.invoices.clone()).collect();
        invoices.sort_by_key(|n| (n.year(), n.serial()));
        invoices.dedup();
        events.push(ConsolidationEvent::ConsolidatedEInvoicePrepared(
            ConsolidatedEInvoicePrepared {
                month: c.month,
                number: ConsolidatedNumber::new(c.month, serial),
                issued_at: ctx.now,
                currency: Currency::MYR,
                invoices,
                lines: chunk.to_vec(),
            },
        ));
    }
    Ok(events)
}

fn document<'a>(
    month: &'a ConsolidatedMonth,
    number: &ConsolidatedNumber,
) -> Result<&'a ConsolidatedDocument, ConsolidationError> {
    month
        .document(number)
        .ok_or_else(|| ConsolidationError::NoSuchDocument {
            number: number.clone(),
        })
}

fn submission(
    month: &ConsolidatedMonth,
    number: &ConsolidatedNumber,
    step: &SubmissionStep,
    ctx: &Ctx,
) -> Result<Vec<ConsolidationEvent>, ConsolidationError> {
    let document = document(month, number)?;
    let track = document.track();
    let refused = |refusal| ConsolidationError::submission(number, refusal);
    use ConsolidationEvent as E;
    let event = match step {
        SubmissionStep::Start(s) => Some(E::ConsolidatedSubmissionStarted(DocumentStep::new(
            number,
            einvoice::start(track, document.issued_at, s, ctx.now).map_err(refused)?,
        ))),
        SubmissionStep::Accept(a) => einvoice::accept(track, a, ctx.now)
            .map_err(refused)?
            .map(|a| E::ConsolidatedEInvoiceAccepted(DocumentStep::new(number, a))),
        SubmissionStep::Reject(r) => einvoice::reject(track, r, ctx.now)
            .map_err(refused)?
            .map(|r| E::ConsolidatedEInvoiceRejected(DocumentStep::new(number, r))),
        SubmissionStep::Validate(v) => einvoice::validate(track, v)
            .map_err(refused)?
            .map(|v| E::ConsolidatedEInvoiceValidated(DocumentStep::new(number, v))),
        SubmissionStep::Hold(h) => einvoice::hold(track, h, ctx.now)
            .map_err(refused)?
            .map(|h| E::ConsolidatedEInvoiceHeld(DocumentStep::new(number, h))),
    };
    Ok(event.into_iter().collect())
}

fn request_resubmission(
    month: &ConsolidatedMonth,
    number: &ConsolidatedNumber,
    ctx: &Ctx,
) -> Result<Vec<ConsolidationEvent>, ConsolidationError> {
    let asked = einvoice::may_resubmit(document(month, number)?.track())
        .map_err(|refusal| ConsolidationError::submission(number, refusal))?;
    let requested = ResubmissionRequested {
        requested_at: ctx.now,
    };
    Ok(asked
        .then(|| {
            ConsolidationEvent::ConsolidatedResubmissionRequested(DocumentStep::new(
                number, requested,
            ))
        })
        .into_iter()
        .collect())
}
