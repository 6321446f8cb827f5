//! The Quotation aggregate: a priced offer to a customer, sent, revised as r2, r3… under the
//! same number, accepted (in one named revision), rejected or expired, and converted once
//! into an invoice.

mod command;
mod error;
mod event;
mod number;
mod state;
#[cfg(test)]
mod tests;
mod validity;

pub use command::{
    AcceptQuotation, AmendDraftLines, ChangeValidity, ConvertToInvoice, DraftQuotation,
    ExpireQuotation, QuotationCommand, RejectQuotation, ReviseQuotation, SendQuotation,
};
pub use error::QuotationError;
pub use event::{
    QuotationAccepted, QuotationConverted, QuotationDrafted, QuotationEvent, QuotationExpired,
    QuotationLinesAmended, QuotationRejected, QuotationRevised, QuotationSent,
    QuotationValidityChanged,
};
pub use number::{QuotationNumber, RevisionNumber};
pub use state::{
    Acceptance, Channel, Conversion, Quotation, QuotationRecord, QuotationStatus, Recipient,
    Rejection, Revision, RevisionStatus, Sending,
};
pub use validity::ValidityDays;

use chrono::NaiveDate;

use crate::billing::{self, Adjustments, Line, LineInput, Totals};
use crate::money::Currency;
use crate::values::{Lines, TextProblem, check_optional_text, check_text};
use crate::{Aggregate, Ctx};

const REFERENCE_MAX: usize = 100;
const REJECTION_REASON_MAX: usize = 1000;

impl Aggregate for Quotation {
    /// Stored beside every event of a quotation stream: never rename.
    const STREAM_TYPE: &'static str = "quotation";
    /// 2: the record keeps the PDFs issued of it.
    const STATE_VERSION: u32 = 2;
    type Command = QuotationCommand;
    type Event = QuotationEvent;
    type Error = QuotationError;

    fn decide(
        &self,
        command: &QuotationCommand,
        ctx: &Ctx,
    ) -> Result<Vec<QuotationEvent>, QuotationError> {
        use QuotationCommand as C;
        match (self, command) {
            (Self::NotDrafted, C::Draft(c)) => draft(c, ctx),
            (Self::Drafted(_), C::Draft(_)) => Err(QuotationError::AlreadyDrafted),
            (
                Self::NotDrafted,
                C::AmendLines(_)
                | C::ChangeValidity(_)
                | C::Send(_)
                | C::Revise(_)
                | C::Accept(_)
                | C::Reject(_)
                | C::Expire(_)
                | C::ConvertToInvoice(_),
            ) => Err(QuotationError::NotDrafted),
            (Self::Drafted(q), C::AmendLines(c)) => amend_lines(q, c, ctx),
            (Self::Drafted(q), C::ChangeValidity(c)) => change_validity(q, c),
            (Self::Drafted(q), C::Send(c)) => send(q, c, ctx),
            (Self::Drafted(q), C::Revise(c)) => revise(q, c, ctx),
            (Self::Drafted(q), C::Accept(c)) => accept(q, c, ctx),
            (Self::Drafted(q), C::Reject(c)) => reject(q, c, ctx),
            (Self::Drafted(q), C::Expire(ExpireQuotation)) => expire(q, ctx),
            (Self::Drafted(q), C::ConvertToInvoice(c)) => convert(q, c, ctx),
            (Self::NotDrafted, C::RecordPdf(_)) => Err(QuotationError::NotDrafted),
            (Self::Drafted(q), C::RecordPdf(pdf)) => Ok(crate::record_pdf(&q.pdfs, pdf)
                .map(QuotationEvent::QuotationPdfIssued)
                .into_iter()
                .collect()),
        }
    }

    fn evolve(self, event: &QuotationEvent) -> Self {
        use QuotationEvent as E;
        match self {
            Self::NotDrafted => match event {
                E::QuotationDrafted(e) => Self::Drafted(Box::new(QuotationRecord {
                    id: e.quotation_id,
                    number: e.number.clone(),
                    customer_id: e.customer_id,
                    currency: e.currency,
                    validity: e.validity,
                    earlier: Vec::new(),
                    current: Revision::draft(
                        e.revision,
                        e.lines.clone(),
                        e.totals.clone(),
                        e.priced_on,
                    ),
                    acceptance: None,
                    conversion: None,
                    pdfs: Vec::new(),
                })),
                // `decide` starts every stream with QuotationDrafted; nothing before it has a
                // quotation to change.
                E::QuotationLinesAmended(_)
                | E::QuotationValidityChanged(_)
                | E::QuotationSent(_)
                | E::QuotationRevised(_)
                | E::QuotationAccepted(_)
                | E::QuotationRejected(_)
                | E::QuotationExpired(_)
                | E::QuotationConverted(_)
                | E::QuotationPdfIssued(_) => Self::NotDrafted,
            },
            Self::Drafted(mut quotation) => {
                apply(&mut quotation, event);
                Self::Drafted(quotation)
            }
        }
    }
}

impl Revision {
    fn draft(
        number: RevisionNumber,
        lines: Vec<Line>,
        totals: Totals,
        priced_on: NaiveDate,
    ) -> Self {
        Self {
            number,
            status: RevisionStatus::Draft,
            lines,
            totals,
            priced_on,
            sent: None,
            rejection: None,
            expired_on: None,
        }
    }
}

fn apply(q: &mut QuotationRecord, event: &QuotationEvent) {
    use QuotationEvent as E;
    match event {
        // A stream is drafted once; a second draft cannot have been decided.
        E::QuotationDrafted(_) => {}
        E::QuotationLinesAmended(e) => {
            if let Some(r) = q.revision_mut(e.revision) {
                r.lines = e.lines.clone();
                r.totals = e.totals.clone();
                r.priced_on = e.priced_on;
            }
        }
        E::QuotationValidityChanged(e) => q.validity = e.validity,
        E::QuotationSent(e) => {
            if let Some(r) = q.revision_mut(e.revision) {
                r.status = RevisionStatus::Sent;
                r.lines = e.lines.clone();
                r.totals = e.totals.clone();
                r.priced_on = e.sent_on;
                r.sent = Some(Sending {
                    to: e.to.clone(),
                    sent_at: e.sent_at,
                    sent_on: e.sent_on,
                    valid_until: e.valid_until,
                });
            }
        }
        E::QuotationRevised(e) => {
            let new = Revision::draft(e.revision, e.lines.clone(), e.totals.clone(), e.priced_on);
            let mut previous = std::mem::replace(&mut q.current, new);
            // A rejected or expired revision already stopped standing, and keeps saying why.
            if previous.status == RevisionStatus::Sent {
                previous.status = RevisionStatus::Superseded;
            }
            q.earlier.push(previous);
        }
        E::QuotationAccepted(e) => {
            if let Some(r) = q.revision_mut(e.revision) {
                r.status = RevisionStatus::Accepted;
            }
            q.acceptance = Some(Acceptance {
                revision: e.revision,
                accepted_by: e.accepted_by.clone(),
                customer_reference: e.customer_reference.clone(),
                accepted_at: e.accepted_at,
                accepted_on: e.accepted_on,
            });
        }
        E::QuotationRejected(e) => {
            if let Some(r) = q.revision_mut(e.revision) {
                r.status = RevisionStatus::Rejected;
                r.rejection = Some(Rejection {
                    reason: e.reason.clone(),
                    rejected_at: e.rejected_at,
                });
            }
        }
        E::QuotationExpired(e) => {
            if let Some(r) = q.revision_mut(e.revision) {
                r.status = RevisionStatus::Expired;
                r.expired_on = Some(e.expired_on);
            }
        }
        E::QuotationConverted(e) => {
            q.conversion = Some(Conversion {
                invoice_id: e.invoice_id,
                revision: e.revision,
                converted_at: e.converted_at,
            });
        }
        E::QuotationPdfIssued(e) => q.pdfs.push(e.clone()),
    }
}

/// A quotation's lines priced under the SST rules of `day`. Quotations take no prepayment or
/// payable rounding: those belong to the invoice.
fn price(
    currency: Currency,
    lines: &[LineInput],
    day: NaiveDate,
) -> Result<(Vec<Line>, Totals), QuotationError> {
    Ok(billing::price(
        currency,
        lines,
        day,
        &Adjustments::default(),
    )?)
}

fn draft(c: &DraftQuotation, ctx: &Ctx) -> Result<Vec<QuotationEvent>, QuotationError> {
    let priced_on = ctx.business_day();
    let (lines, totals) = price(c.currency, &c.lines, priced_on)?;
    Ok(vec![QuotationEvent::QuotationDrafted(QuotationDrafted {
        quotation_id: c.id,
        number: c.number.clone(),
        customer_id: c.customer_id,
        currency: c.currency,
        validity: c.validity.unwrap_or(c.default_validity),
        revision: RevisionNumber::FIRST,
        lines,
        totals,
        priced_on,
    })])
}

/// The current revision, if it is still a draft: only a draft's lines and validity change.
fn current_draft(q: &QuotationRecord) -> Result<&Revision, QuotationError> {
    let current = &q.current;
    match current.status {
        RevisionStatus::Draft => Ok(current),
        RevisionStatus::Accepted => Err(QuotationError::AlreadyAccepted {
            revision: current.number,
        }),
        status @ (RevisionStatus::Sent
        | RevisionStatus::Superseded
        | RevisionStatus::Rejected
        | RevisionStatus::Expired) => Err(QuotationError::RevisionNotDraft {
            revision: current.number,
            status,
        }),
    }
}

fn amend_lines(
    q: &QuotationRecord,
    c: &AmendDraftLines,
    ctx: &Ctx,
) -> Result<Vec<QuotationEvent>, QuotationError> {
    let revision = current_draft(q)?;
    let priced_on = ctx.business_day();
    let (lines, totals) = price(q.currency, &c.lines, priced_on)?;
    // The form is saved whole; saving it unchanged (or a retry) is not an amendment. Lines
    // priced under another rule than before differ, and are recorded.
    if lines == revision.lines {
        return Ok(vec![]);
    }
    Ok(vec![QuotationEvent::QuotationLinesAmended(
        QuotationLinesAmended {
            revision: revision.number,
            lines,
            totals,
            priced_on,
        },
    )])
}

fn change_validity(
    q: &QuotationRecord,
    c: &ChangeValidity,
) -> Result<Vec<QuotationEvent>, QuotationError> {
    current_draft(q)?;
    if c.validity == q.validity {
        return Ok(vec![]);
    }
    Ok(vec![QuotationEvent::QuotationValidityChanged(
        QuotationValidityChanged {
            validity: c.validity,
        },
    )])
}

fn send(
    q: &QuotationRecord,
    c: &SendQuotation,
    ctx: &Ctx,
) -> Result<Vec<QuotationEvent>, QuotationError> {
    let revision = current_draft(q)?;
    if revision.lines.is_empty() {
        return Err(QuotationError::NoLines {
            revision: revision.number,
        });
    }
    // A quotation is dated the day it is sent, and shows the SST of that day: a draft priced
    // before a rate change goes out at the new rate (issue 4; docs/decisions/0009).
    let sent_on = ctx.business_day();
    let inputs: Vec<LineInput> = revision.lines.iter().map(Line::input).collect();
    let (lines, totals) = price(q.currency, &inputs, sent_on)?;
    Ok(vec![QuotationEvent::QuotationSent(QuotationSent {
        revision: revision.number,
        to: c.to.clone(),
        sent_at: ctx.now,
        sent_on,
        valid_until: q.validity.last_valid_day(sent_on),
        lines,
        totals,
    })])
}

fn revise(
    q: &QuotationRecord,
    c: &ReviseQuotation,
    ctx: &Ctx,
) -> Result<Vec<QuotationEvent>, QuotationError> {
    let current = &q.current;
    match current.status {
        // A sent revision is replaced; a rejected or expired one is followed by a new offer.
        RevisionStatus::Sent
        | RevisionStatus::Superseded
        | RevisionStatus::Rejected
        | RevisionStatus::Expired => {}
        RevisionStatus::Draft => {
            return Err(QuotationError::ReviseDraft {
                revision: current.number,
            });
        }
        RevisionStatus::Accepted => {
            return Err(QuotationError::AlreadyAccepted {
                revision: current.number,
            });
        }
    }
    let inputs = match &c.lines {
        Some(lines) => lines.clone(),
        None => current.lines.iter().map(Line::input).collect(),
    };
    let priced_on = ctx.business_day();
    let (lines, totals) = price(q.currency, &inputs, priced_on)?;
    Ok(vec![QuotationEvent::QuotationRevised(QuotationRevised {
        revision: current.number.next(),
        supersedes: current.number,
        lines,
        totals,
        priced_on,
    })])
}

fn accept(
    q: &QuotationRecord,
    c: &AcceptQuotation,
    ctx: &Ctx,
) -> Result<Vec<QuotationEvent>, QuotationError> {
    if let Some(acceptance) = &q.acceptance {
        return Err(QuotationError::AlreadyAccepted {
            revision: acceptance.revision,
        });
    }
    let Some(revision) = q.revision(c.revision) else {
        return Err(QuotationError::UnknownRevision {
            revision: c.revision,
            latest: q.current.number,
        });
    };
    // The customer may hold several revisions; only the latest stands.
    if revision.number != q.current.number {
        return Err(QuotationError::RevisionSuperseded {
            revision: revision.number,
            current: q.current.number,
        });
    }
    let today = ctx.business_day();
    match (revision.status, &revision.sent) {
        (RevisionStatus::Sent, Some(sent)) if today > sent.valid_until => {
            // Validity passed even if the daily expiry job has not marked it yet.
            return Err(QuotationError::RevisionExpired {
                revision: revision.number,
                valid_until: sent.valid_until,
            });
        }
        (RevisionStatus::Sent, Some(_)) => {}
        (RevisionStatus::Draft, _) | (RevisionStatus::Sent, None) => {
            return Err(QuotationError::RevisionNotSent {
                revision: revision.number,
            });
        }
        (RevisionStatus::Expired, sent) => {
            return Err(QuotationError::RevisionExpired {
                revision: revision.number,
                valid_until: sent.as_ref().map_or(today, |s| s.valid_until),
            });
        }
        (RevisionStatus::Rejected, _) => {
            return Err(QuotationError::RevisionRejected {
                revision: revision.number,
            });
        }
        (RevisionStatus::Superseded, _) => {
            return Err(QuotationError::RevisionSuperseded {
                revision: revision.number,
                current: q.current.number,
            });
        }
        (RevisionStatus::Accepted, _) => {
            return Err(QuotationError::AlreadyAccepted {
                revision: revision.number,
            });
        }
    }
    let customer_reference = check_optional_text(
        c.customer_reference.as_deref(),
        REFERENCE_MAX,
        Lines::Single,
    )
    .map_err(|problem| QuotationError::InvalidText {
        field: "customer_reference",
        problem,
    })?;
    Ok(vec![QuotationEvent::QuotationAccepted(QuotationAccepted {
        revision: revision.number,
        accepted_by: c.accepted_by.clone(),
        customer_reference,
        accepted_at: ctx.now,
        accepted_on: today,
    })])
}

/// The current revision, if it is sent and so open to the customer's answer.
fn current_sent(q: &QuotationRecord) -> Result<(&Revision, &Sending), QuotationError> {
    if let Some(acceptance) = &q.acceptance {
        return Err(QuotationError::AlreadyAccepted {
            revision: acceptance.revision,
        });
    }
    let current = &q.current;
    match (current.status, &current.sent) {
        (RevisionStatus::Sent, Some(sent)) => Ok((current, sent)),
        (RevisionStatus::Draft | RevisionStatus::Sent, _) => Err(QuotationError::RevisionNotSent {
            revision: current.number,
        }),
        (RevisionStatus::Rejected, _) => Err(QuotationError::RevisionRejected {
            revision: current.number,
        }),
        (RevisionStatus::Expired, sent) => Err(QuotationError::RevisionExpired {
            revision: current.number,
            valid_until: sent.as_ref().map_or(current.priced_on, |s| s.valid_until),
        }),
        (RevisionStatus::Accepted, _) => Err(QuotationError::AlreadyAccepted {
            revision: current.number,
        }),
        // The current revision is never superseded.
        (RevisionStatus::Superseded, _) => Err(QuotationError::RevisionNotDraft {
            revision: current.number,
            status: RevisionStatus::Superseded,
        }),
    }
}

fn reject(
    q: &QuotationRecord,
    c: &RejectQuotation,
    ctx: &Ctx,
) -> Result<Vec<QuotationEvent>, QuotationError> {
    // A customer may say no after the validity passed; the reason is still worth keeping.
    let (revision, _) = current_sent(q)?;
    let reason = match check_text(&c.reason, REJECTION_REASON_MAX, Lines::Multi) {
        Ok(reason) => reason,
        Err(TextProblem::Empty) => return Err(QuotationError::RejectionReasonRequired),
        Err(problem) => {
            return Err(QuotationError::InvalidText {
                field: "reason",
                problem,
            });
        }
    };
    Ok(vec![QuotationEvent::QuotationRejected(QuotationRejected {
        revision: revision.number,
        reason,
        rejected_at: ctx.now,
    })])
}

fn expire(q: &QuotationRecord, ctx: &Ctx) -> Result<Vec<QuotationEvent>, QuotationError> {
    // The daily job may run twice or race a person: an expired revision stays expired.
    if q.acceptance.is_none() && q.current.status == RevisionStatus::Expired {
        return Ok(vec![]);
    }
    let (revision, sent) = current_sent(q)?;
    let today = ctx.business_day();
    if today <= sent.valid_until {
        return Err(QuotationError::NotYetExpired {
            revision: revision.number,
            valid_until: sent.valid_until,
        });
    }
    Ok(vec![QuotationEvent::QuotationExpired(QuotationExpired {
        revision: revision.number,
        valid_until: sent.valid_until,
        expired_on: today,
    })])
}

fn convert(
    q: &QuotationRecord,
    c: &ConvertToInvoice,
    ctx: &Ctx,
) -> Result<Vec<QuotationEvent>, QuotationError> {
    if let Some(conversion) = &q.conversion {
        // A retry of the same conversion (the invoice id is made once, by the caller) is
        // answered as done; a second invoice from one quotation is not.
        return if conversion.invoice_id == c.invoice_id {
            Ok(vec![])
        } else {
            Err(QuotationError::AlreadyConverted {
                invoice_id: conversion.invoice_id,
            })
        };
    }
    let Some(acceptance) = &q.acceptance else {
        return Err(QuotationError::NotAccepted { status: q.status() });
    };
    Ok(vec![QuotationEvent::QuotationConverted(
        QuotationConverted {
            quotation_id: q.id,
            number: q.number.clone(),
            revision: acceptance.revision,
            invoice_id: c.invoice_id,
            converted_at: ctx.now,
        },
    )])
}
