//! The PurchaseOrder aggregate: an order to a supplier, drafted and amended, sent under a
//! number from the per-year series, revised while nothing has arrived, then received in
//! partial deliveries (goods receipts), lines closed short, and the order closed (complete,
//! or forced) or cancelled before anything arrived.
//!
//! Every receipt is judged for variance by [`variance`]: per line, the cumulative quantity
//! against the ordered one and a tolerance, and the delivery against the promised date.
//! What needs the buyer's attention is raised as a [`DeliveryVarianceFlagged`] event after
//! the event it is about.

mod command;
mod error;
mod event;
mod line;
mod number;
mod state;
#[cfg(test)]
mod tests;
pub mod variance;

pub use command::{
    AmendPurchaseOrder, CancelPurchaseOrder, ClosePurchaseOrder, DraftPurchaseOrder,
    PurchaseOrderCommand, ReceiveGoods, ReceivedLine, SendPurchaseOrder, ShortCloseLine,
};
pub use error::PurchaseOrderError;
pub use event::{
    DeliveryVarianceFlagged, GoodsReceived, PurchaseOrderCancelled, PurchaseOrderClosed,
    PurchaseOrderDraftAmended, PurchaseOrderDrafted, PurchaseOrderEvent,
    PurchaseOrderLineShortClosed, PurchaseOrderRevised, PurchaseOrderSent, ReceiptLine,
    VarianceTrigger,
};
pub use line::{LineNo, OrderLine};
pub use number::{PurchaseOrderNumber, SERIES};
pub use state::{
    Cancellation, Closing, GoodsReceipt, LineProgress, LineReceiptStatus, PurchaseOrder,
    PurchaseOrderRecord, Revision, Sending, ShortClosure, VarianceFlag,
};
pub use variance::{
    DeliveryTolerance, LineVariance, TolerancePercent, VarianceAssessment, days_late, line_variance,
};

use std::collections::HashSet;

use chrono::Datelike;

use crate::money::Currency;
use crate::quotation::RevisionNumber;
use crate::values::{Lines, TextProblem, check_optional_text, check_text};
use crate::{Aggregate, Ctx, business_day};

/// The most lines one order holds: a larger purchase is split into orders.
pub const MAX_LINES: usize = 200;
/// A line's description, as on an invoice line.
const DESCRIPTION_MAX: usize = 300;
/// A cancellation, short-close or forced-close reason: one line.
const REASON_MAX: usize = 300;
/// A receipt's note (what the boxes looked like, what was missing).
const NOTE_MAX: usize = 1000;

impl Aggregate for PurchaseOrder {
    /// Stored beside every event of a purchase order stream: never rename.
    const STREAM_TYPE: &'static str = "purchase_order";
    type Command = PurchaseOrderCommand;
    type Event = PurchaseOrderEvent;
    type Error = PurchaseOrderError;

    fn decide(
        &self,
        command: &PurchaseOrderCommand,
        ctx: &Ctx,
    ) -> Result<Vec<PurchaseOrderEvent>, PurchaseOrderError> {
        use PurchaseOrderCommand as C;
        use PurchaseOrderError as Error;
        match (self, command) {
            (Self::NotDrafted, C::Draft(c)) => draft(c, ctx),
            (
                Self::Draft(_) | Self::Sent(_) | Self::Closed(_) | Self::Cancelled(_),
                C::Draft(_),
            ) => Err(Error::AlreadyDrafted),
            (
                Self::NotDrafted,
                C::Amend(_)
                | C::Send(_)
                | C::ReceiveGoods(_)
                | C::ShortCloseLine(_)
                | C::Cancel(_)
                | C::Close(_),
            ) => Err(Error::NotDrafted),
            (Self::Draft(r), C::Amend(c)) => amend_draft(r, c, ctx),
            (Self::Draft(_), C::Send(c)) => send(c, ctx),
            (Self::Draft(_), C::ReceiveGoods(_) | C::ShortCloseLine(_) | C::Close(_)) => {
                Err(Error::NotSent)
            }
            (Self::Draft(r) | Self::Sent(r), C::Cancel(c)) => cancel(r, c, ctx),
            (Self::Sent(r), C::Amend(c)) => revise(r, c, ctx),
            (Self::Sent(r), C::Send(_)) => Err(Error::AlreadySent {
                number: sent_number(r)?,
            }),
            (Self::Sent(r), C::ReceiveGoods(c)) => receive(r, c, ctx),
            (Self::Sent(r), C::ShortCloseLine(c)) => short_close(r, c, ctx),
            (Self::Sent(r), C::Close(c)) => close(r, c, ctx),
            // Closing twice (a retry) is answered as done; so is a receipt already recorded.
            (Self::Closed(_), C::Close(_)) => Ok(vec![]),
            (Self::Closed(r), C::ReceiveGoods(c)) if r.receipt(c.receipt_id).is_some() => {
                receive(r, c, ctx)
            }
            (
                Self::Closed(r),
                C::Amend(_) | C::Send(_) | C::ReceiveGoods(_) | C::ShortCloseLine(_) | C::Cancel(_),
            ) => Err(Error::Closed {
                // `evolve` sets the closing as it closes the order; the drafting day only
                // stands in for a snapshot that lost it.
                closed_on: r
                    .closing
                    .as_ref()
                    .map_or(r.drafted_at.date_naive(), |c| c.closed_on),
            }),
            (Self::Cancelled(_), C::Cancel(_)) => Ok(vec![]),
            (
                Self::Cancelled(r),
                C::Amend(_) | C::Send(_) | C::ReceiveGoods(_) | C::ShortCloseLine(_) | C::Close(_),
            ) => Err(Error::Cancelled {
                cancelled_on: r
                    .cancellation
                    .as_ref()
                    .map_or(r.drafted_at.date_naive(), |c| c.cancelled_on),
            }),
        }
    }

    fn evolve(self, event: &PurchaseOrderEvent) -> Self {
        use PurchaseOrderEvent as E;
        match self {
            Self::NotDrafted => match event {
                E::PurchaseOrderDrafted(e) => Self::Draft(Box::new(PurchaseOrderRecord {
                    id: e.purchase_order_id,
                    supplier_id: e.supplier_id,
                    currency: e.currency,
                    lines: e.lines.clone(),
                    promised_on: e.promised_on,
                    drafted_at: e.drafted_at,
                    sending: None,
                    revisions: Vec::new(),
                    receipts: Vec::new(),
                    short_closed: Vec::new(),
                    flags: Vec::new(),
                    closing: None,
                    cancellation: None,
                })),
                // `decide` starts every stream with PurchaseOrderDrafted.
                E::PurchaseOrderDraftAmended(_)
                | E::PurchaseOrderSent(_)
                | E::PurchaseOrderRevised(_)
                | E::GoodsReceived(_)
                | E::PurchaseOrderLineShortClosed(_)
                | E::DeliveryVarianceFlagged(_)
                | E::PurchaseOrderCancelled(_)
                | E::PurchaseOrderClosed(_) => Self::NotDrafted,
            },
            Self::Draft(mut r) => match event {
                E::PurchaseOrderSent(e) => {
                    r.sending = Some(Sending {
                        number: e.number.clone(),
                        sent_on: e.sent_on,
                        sent_at: e.sent_at,
                    });
                    Self::Sent(r)
                }
                E::PurchaseOrderCancelled(e) => {
                    r.cancellation = Some(cancellation(e));
                    Self::Cancelled(r)
                }
                E::PurchaseOrderDrafted(_)
                | E::PurchaseOrderDraftAmended(_)
                | E::PurchaseOrderRevised(_)
                | E::GoodsReceived(_)
                | E::PurchaseOrderLineShortClosed(_)
                | E::DeliveryVarianceFlagged(_)
                | E::PurchaseOrderClosed(_) => {
                    apply(&mut r, event);
                    Self::Draft(r)
                }
            },
            Self::Sent(mut r) => match event {
                E::PurchaseOrderCancelled(e) => {
                    r.cancellation = Some(cancellation(e));
                    Self::Cancelled(r)
                }
                E::PurchaseOrderClosed(e) => {
                    r.closing = Some(Closing {
                        force_reason: e.force_reason.clone(),
                        closed_short: e.closed_short.clone(),
                        closed_on: e.closed_on,
                    });
                    Self::Closed(r)
                }
                E::PurchaseOrderDrafted(_)
                | E::PurchaseOrderDraftAmended(_)
                | E::PurchaseOrderSent(_)
                | E::PurchaseOrderRevised(_)
                | E::GoodsReceived(_)
                | E::PurchaseOrderLineShortClosed(_)
                | E::DeliveryVarianceFlagged(_) => {
                    apply(&mut r, event);
                    Self::Sent(r)
                }
            },
            // A forced close may be followed by its variance flag.
            Self::Closed(mut r) => {
                apply(&mut r, event);
                Self::Closed(r)
            }
            cancelled @ Self::Cancelled(_) => cancelled,
        }
    }
}

fn cancellation(e: &PurchaseOrderCancelled) -> Cancellation {
    Cancellation {
        reason: e.reason.clone(),
        cancelled_on: e.cancelled_on,
    }
}

/// Folds an event that leaves the order in its status.
fn apply(r: &mut PurchaseOrderRecord, event: &PurchaseOrderEvent) {
    use PurchaseOrderEvent as E;
    match event {
        // These change the status, in `evolve`.
        E::PurchaseOrderDrafted(_)
        | E::PurchaseOrderSent(_)
        | E::PurchaseOrderCancelled(_)
        | E::PurchaseOrderClosed(_) => {}
        E::PurchaseOrderDraftAmended(e) => {
            r.lines = e.lines.clone();
            r.promised_on = e.promised_on;
        }
        E::PurchaseOrderRevised(e) => {
            r.revisions.push(Revision {
                revision: e.revision,
                lines_before: e.lines_before.clone(),
                lines_after: e.lines_after.clone(),
                promised_before: e.promised_before,
                promised_after: e.promised_after,
                revised_at: e.revised_at,
            });
            r.lines = e.lines_after.clone();
            r.promised_on = e.promised_after;
        }
        E::GoodsReceived(e) => r.receipts.push(GoodsReceipt {
            id: e.receipt_id,
            received_on: e.received_on,
            receiver: e.receiver.clone(),
            note: e.note.clone(),
            lines: e.lines.clone(),
            variance: e.variance.clone(),
            days_late: e.days_late,
            tolerance_version: e.tolerance_version,
            tolerance_percent: e.tolerance_percent,
            recorded_at: e.recorded_at,
        }),
        E::PurchaseOrderLineShortClosed(e) => r.short_closed.push(ShortClosure {
            line: e.line,
            reason: e.reason.clone(),
            variance: e.variance.clone(),
            closed_on: e.closed_on,
        }),
        E::DeliveryVarianceFlagged(e) => r.flags.push(VarianceFlag {
            trigger: e.trigger,
            lines: e.lines.clone(),
            days_late: e.days_late,
            flagged_at: e.flagged_at,
        }),
    }
}

/// Checks the lines of a draft or an amendment: the trimmed lines, or the first problem.
fn check_lines(
    lines: &[OrderLine],
    currency: Currency,
) -> Result<Vec<OrderLine>, PurchaseOrderError> {
    if lines.is_empty() {
        return Err(PurchaseOrderError::NoLines);
    }
    if lines.len() > MAX_LINES {
        return Err(PurchaseOrderError::TooManyLines { max: MAX_LINES });
    }
    lines
        .iter()
        .enumerate()
        .map(|(index, line)| {
            let description = check_text(&line.description, DESCRIPTION_MAX, Lines::Single)
                .map_err(|problem| PurchaseOrderError::LineDescription { index, problem })?;
            if line.unit_price.currency() != currency {
                return Err(PurchaseOrderError::LineCurrency {
                    index,
                    expected: currency,
                    found: line.unit_price.currency(),
                });
            }
            if line.unit_price.is_negative() {
                return Err(PurchaseOrderError::NegativeUnitPrice { index });
            }
            Ok(OrderLine {
                description,
                ..line.clone()
            })
        })
        .collect()
}

/// A required reason: one line, at most 300 characters.
fn reason(field: &'static str, text: &str) -> Result<String, PurchaseOrderError> {
    match check_text(text, REASON_MAX, Lines::Single) {
        Ok(reason) => Ok(reason),
        Err(TextProblem::Empty) => Err(PurchaseOrderError::ReasonRequired),
        Err(problem) => Err(PurchaseOrderError::InvalidText { field, problem }),
    }
}

fn draft(c: &DraftPurchaseOrder, ctx: &Ctx) -> Result<Vec<PurchaseOrderEvent>, PurchaseOrderError> {
    let lines = check_lines(&c.lines, c.currency)?;
    Ok(vec![PurchaseOrderEvent::PurchaseOrderDrafted(
        PurchaseOrderDrafted {
            purchase_order_id: c.id,
            supplier_id: c.supplier_id,
            currency: c.currency,
            lines,
            promised_on: c.promised_on,
            drafted_on: ctx.business_day(),
            drafted_at: ctx.now,
        },
    )])
}

fn amend_draft(
    r: &PurchaseOrderRecord,
    c: &AmendPurchaseOrder,
    ctx: &Ctx,
) -> Result<Vec<PurchaseOrderEvent>, PurchaseOrderError> {
    let lines = check_lines(&c.lines, r.currency)?;
    // The form is saved whole; saving it unchanged (or a retry) is not an amendment.
    if lines == r.lines && c.promised_on == r.promised_on {
        return Ok(vec![]);
    }
    Ok(vec![PurchaseOrderEvent::PurchaseOrderDraftAmended(
        PurchaseOrderDraftAmended {
            lines,
            promised_on: c.promised_on,
            amended_at: ctx.now,
        },
    )])
}

fn sent_number(r: &PurchaseOrderRecord) -> Result<PurchaseOrderNumber, PurchaseOrderError> {
    // A sent order has its sending, set by `evolve` with the status.
    r.sending
        .as_ref()
        .map(|s| s.number.clone())
        .ok_or(PurchaseOrderError::NotSent)
}

fn send(c: &SendPurchaseOrder, ctx: &Ctx) -> Result<Vec<PurchaseOrderEvent>, PurchaseOrderError> {
    let today = ctx.business_day();
    // A guard against a number from the wrong year's series reaching an order.
    if c.number.year() != today.year() {
        return Err(PurchaseOrderError::NumberFromAnotherYear {
            number: c.number.clone(),
            year: today.year(),
        });
    }
    Ok(vec![PurchaseOrderEvent::PurchaseOrderSent(
        PurchaseOrderSent {
            number: c.number.clone(),
            revision: RevisionNumber::FIRST,
            sent_on: today,
            sent_at: ctx.now,
        },
    )])
}

fn revise(
    r: &PurchaseOrderRecord,
    c: &AmendPurchaseOrder,
    ctx: &Ctx,
) -> Result<Vec<PurchaseOrderEvent>, PurchaseOrderError> {
    // Receipts and short-closes name lines by number: once one exists the lines stay put.
    if let Some(first) = r.receipts.first() {
        return Err(PurchaseOrderError::AmendAfterReceipt {
            received_on: first.received_on,
        });
    }
    if let Some(closed) = r.short_closed.first() {
        return Err(PurchaseOrderError::AmendAfterShortClose { line: closed.line });
    }
    let lines = check_lines(&c.lines, r.currency)?;
    if lines == r.lines && c.promised_on == r.promised_on {
        return Ok(vec![]);
    }
    let current = r.revision().unwrap_or(RevisionNumber::FIRST);
    Ok(vec![PurchaseOrderEvent::PurchaseOrderRevised(
        PurchaseOrderRevised {
            revision: current.next(),
            lines_before: r.lines.clone(),
            lines_after: lines,
            promised_before: r.promised_on,
            promised_after: c.promised_on,
            revised_on: ctx.business_day(),
            revised_at: ctx.now,
        },
    )])
}

fn receive(
    r: &PurchaseOrderRecord,
    c: &ReceiveGoods,
    ctx: &Ctx,
) -> Result<Vec<PurchaseOrderEvent>, PurchaseOrderError> {
    let note =
        check_optional_text(c.note.as_deref(), NOTE_MAX, Lines::Multi).map_err(|problem| {
            PurchaseOrderError::InvalidText {
                field: "note",
                problem,
            }
        })?;
    let lines: Vec<ReceiptLine> = c
        .lines
        .iter()
        .map(|l| ReceiptLine {
            line: l.line,
            quantity: l.quantity,
        })
        .collect();
    // The same receipt again (a retry) is answered as done; its id with other details is
    // another delivery given a used id, which would be lost if accepted silently.
    if let Some(known) = r.receipt(c.receipt_id) {
        let same = (
            known.received_on,
            &known.receiver,
            &known.note,
            &known.lines,
        ) == (c.received_on, &c.receiver, &note, &lines);
        return if same {
            Ok(vec![])
        } else {
            Err(PurchaseOrderError::ReceiptIdReused {
                receipt_id: c.receipt_id,
            })
        };
    }
    let today = ctx.business_day();
    if c.received_on > today {
        return Err(PurchaseOrderError::ReceiptInFuture {
            received_on: c.received_on,
            today,
        });
    }
    let drafted_on = business_day(r.drafted_at);
    if c.received_on < drafted_on {
        return Err(PurchaseOrderError::ReceiptBeforeOrder {
            received_on: c.received_on,
            drafted_on,
        });
    }
    if lines.is_empty() {
        return Err(PurchaseOrderError::NothingReceived);
    }
    let mut seen = HashSet::new();
    let mut variance = Vec::with_capacity(lines.len());
    for (index, received) in lines.iter().enumerate() {
        let line = received.line;
        let ordered = r.line(line).ok_or(PurchaseOrderError::UnknownLine {
            line,
            index: Some(index),
        })?;
        if !seen.insert(line) {
            return Err(PurchaseOrderError::LineListedTwice { line, index });
        }
        if let Some(closed) = r.short_closure(line) {
            return Err(PurchaseOrderError::LineShortClosed {
                line,
                index,
                closed_on: closed.closed_on,
            });
        }
        let cumulative = r
            .received(line)
            .checked_add(received.quantity.value())
            .ok_or(PurchaseOrderError::QuantityTooLarge)?;
        variance.push(line_variance(
            line,
            ordered.quantity.value(),
            cumulative,
            c.tolerance.percent,
            false,
        ));
    }
    let days_late = days_late(r.promised_on, c.received_on);
    let flagged: Vec<LineVariance> = variance
        .iter()
        .filter(|v| v.assessment.is_flagged())
        .cloned()
        .collect();
    let mut events = vec![PurchaseOrderEvent::GoodsReceived(GoodsReceived {
        receipt_id: c.receipt_id,
        received_on: c.received_on,
        receiver: c.receiver.clone(),
        note,
        lines,
        variance,
        promised_on: r.promised_on,
        days_late,
        tolerance_version: c.tolerance.version,
        tolerance_percent: c.tolerance.percent,
        recorded_at: ctx.now,
    })];
    if !flagged.is_empty() || days_late > 0 {
        events.push(flag(
            VarianceTrigger::Receipt {
                receipt_id: c.receipt_id,
            },
            flagged,
            days_late,
            c.tolerance,
            ctx,
        ));
    }
    Ok(events)
}

fn flag(
    trigger: VarianceTrigger,
    lines: Vec<LineVariance>,
    days_late: u32,
    tolerance: DeliveryTolerance,
    ctx: &Ctx,
) -> PurchaseOrderEvent {
    PurchaseOrderEvent::DeliveryVarianceFlagged(DeliveryVarianceFlagged {
        trigger,
        lines,
        days_late,
        tolerance_version: tolerance.version,
        flagged_at: ctx.now,
    })
}

/// A line's shortfall judged as final (short-closed, or left short by a forced close).
fn final_variance(progress: &LineProgress, tolerance: DeliveryTolerance) -> LineVariance {
    line_variance(
        progress.line,
        progress.ordered,
        progress.received,
        tolerance.percent,
        true,
    )
}

fn short_close(
    r: &PurchaseOrderRecord,
    c: &ShortCloseLine,
    ctx: &Ctx,
) -> Result<Vec<PurchaseOrderEvent>, PurchaseOrderError> {
    let progress = r.progress().into_iter().find(|p| p.line == c.line).ok_or(
        PurchaseOrderError::UnknownLine {
            line: c.line,
            index: None,
        },
    )?;
    match progress.status {
        // Closed short already (a retry) is answered as done.
        LineReceiptStatus::ShortClosed => return Ok(vec![]),
        LineReceiptStatus::Received | LineReceiptStatus::OverReceived => {
            return Err(PurchaseOrderError::LineComplete { line: c.line });
        }
        LineReceiptStatus::NotReceived | LineReceiptStatus::PartlyReceived => {}
    }
    let reason = reason("reason", &c.reason)?;
    let variance = final_variance(&progress, c.tolerance);
    let flagged = variance.assessment.is_flagged();
    let mut events = vec![PurchaseOrderEvent::PurchaseOrderLineShortClosed(
        PurchaseOrderLineShortClosed {
            line: c.line,
            reason,
            variance: variance.clone(),
            tolerance_version: c.tolerance.version,
            tolerance_percent: c.tolerance.percent,
            closed_on: ctx.business_day(),
            closed_at: ctx.now,
        },
    )];
    if flagged {
        events.push(flag(
            VarianceTrigger::ShortClose { line: c.line },
            vec![variance],
            0,
            c.tolerance,
            ctx,
        ));
    }
    Ok(events)
}

fn cancel(
    r: &PurchaseOrderRecord,
    c: &CancelPurchaseOrder,
    ctx: &Ctx,
) -> Result<Vec<PurchaseOrderEvent>, PurchaseOrderError> {
    if let Some(first) = r.receipts.first() {
        return Err(PurchaseOrderError::CancelAfterReceipt {
            received_on: first.received_on,
        });
    }
    let reason = reason("reason", &c.reason)?;
    Ok(vec![PurchaseOrderEvent::PurchaseOrderCancelled(
        PurchaseOrderCancelled {
            reason,
            cancelled_on: ctx.business_day(),
            cancelled_at: ctx.now,
        },
    )])
}

fn close(
    r: &PurchaseOrderRecord,
    c: &ClosePurchaseOrder,
    ctx: &Ctx,
) -> Result<Vec<PurchaseOrderEvent>, PurchaseOrderError> {
    let open: Vec<LineProgress> = r
        .progress()
        .into_iter()
        .filter(|p| !p.status.is_complete())
        .collect();
    let force_reason = match (&c.force_reason, open.is_empty()) {
        (_, true) => None,
        (None, false) => {
            return Err(PurchaseOrderError::NotComplete {
                lines: open.iter().map(|p| p.line).collect(),
            });
        }
        (Some(text), false) => Some(reason("force_reason", text)?),
    };
    if force_reason.is_some() && r.receipts.is_empty() {
        return Err(PurchaseOrderError::NoReceipts);
    }
    let closed_short: Vec<LineVariance> = open
        .iter()
        .map(|p| final_variance(p, c.tolerance))
        .collect();
    let flagged: Vec<LineVariance> = closed_short
        .iter()
        .filter(|v| v.assessment.is_flagged())
        .cloned()
        .collect();
    let mut events = vec![PurchaseOrderEvent::PurchaseOrderClosed(
        PurchaseOrderClosed {
            force_reason,
            closed_short,
            tolerance_version: c.tolerance.version,
            closed_on: ctx.business_day(),
            closed_at: ctx.now,
        },
    )];
    if !flagged.is_empty() {
        events.push(flag(
            VarianceTrigger::ForcedClose,
            flagged,
            0,
            c.tolerance,
            ctx,
        ));
    }
    Ok(events)
}
