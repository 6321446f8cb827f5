//! The Invoice aggregate: a draft, issued once under a number from the invoice series, paid
//! in one or more payments, corrected by credit, debit and refund notes (documents of their
//! own, recorded on the invoice's stream because the invoice is the consistency boundary of
//! their limits), validated by LHDN, and voided (a draft) or cancelled (LHDN's 72-hour rule).

pub mod aging;
mod command;
mod consolidation;
mod einvoice;
mod error;
mod event;
mod number;
mod payment;
mod state;
mod terms;
#[cfg(test)]
mod tests;

pub use crate::einvoice::{EInvoiceStage, LhdnProblem, SUBMISSION_WINDOW};
pub use command::{
    AmendDraft, CancelInvoice, ConsolidateInvoice, DraftInvoice, HoldEInvoiceSubmission,
    InvoiceCommand, IssueInvoice, IssueNote, RecordEInvoiceAcceptance, RecordEInvoiceRejection,
    RecordLhdnValidation, RecordPayment, RequestEInvoiceResubmission, StartEInvoiceSubmission,
    VoidInvoice,
};
pub use consolidation::{EInvoiceChoice, SINGLE_TRANSACTION_LIMIT, single_transaction_rule_from};
pub use einvoice::EInvoice;
pub use error::InvoiceError;
pub use event::{
    EInvoiceAccepted, EInvoiceHeld, EInvoiceRejected, EInvoiceResubmissionRequested,
    EInvoiceSubmissionStarted, IndividualEInvoiceRequested, InvoiceCancelled, InvoiceConsolidated,
    InvoiceDraftAmended, InvoiceDrafted, InvoiceEvent, InvoiceIssued, InvoiceValidatedByLhdn,
    InvoiceVoided, NoteIssued, NoteValidatedByLhdn, PaymentRecorded,
};
pub use number::{DocumentKind, DocumentNumber};
pub use payment::PaymentMethod;
pub use state::{
    CANCELLATION_WINDOW, Cancellation, Invoice, InvoiceRecord, InvoiceStanding, InvoiceStatus,
    Issuance, LhdnValidation, Note, NoteKind, Payment, QuotationSource, Voiding,
};
pub use terms::PaymentTerms;

use chrono::{Datelike, NaiveDate};

use crate::billing::{self, Adjustments, Line, LineInput, Totals};
use crate::money::{Currency, Money};
use crate::values::{ExchangeRate, Lines, TextProblem, check_optional_text, check_text};
use crate::{Aggregate, Ctx};
use state::{Account, Movement};

/// A customer's or a bank's reference: one line.
const REFERENCE_MAX: usize = 100;
/// LHDN's limit on a cancellation reason (LHDN.md §1.7). Voids and notes keep the same rule,
/// so every reason on an invoice reads and is checked alike.
const REASON_MAX: usize = 300;

impl Aggregate for Invoice {
    /// Stored beside every event of an invoice stream: never rename.
    const STREAM_TYPE: &'static str = "invoice";
    /// 2: the record keeps each document's e-invoice stage. 3: and the PDFs issued of it.
    /// 4: and whether the sale is left to the consolidated e-invoice.
    const STATE_VERSION: u32 = 4;
    type Command = InvoiceCommand;
    type Event = InvoiceEvent;
    type Error = InvoiceError;

    fn decide(
        &self,
        command: &InvoiceCommand,
        ctx: &Ctx,
    ) -> Result<Vec<InvoiceEvent>, InvoiceError> {
        use InvoiceCommand as C;
        match (self, command) {
            (Self::NotDrafted, C::Draft(c)) => draft(c, ctx),
            (Self::Drafted(_), C::Draft(_)) => Err(InvoiceError::AlreadyDrafted),
            (
                Self::NotDrafted,
                C::AmendDraft(_)
                | C::Issue(_)
                | C::RecordPayment(_)
                | C::IssueCreditNote(_)
                | C::IssueDebitNote(_)
                | C::IssueRefundNote(_)
                | C::Void(_)
                | C::RecordLhdnValidation(_)
                | C::Cancel(_)
                | C::StartEInvoiceSubmission(_)
                | C::RecordEInvoiceAcceptance(_)
                | C::RecordEInvoiceRejection(_)
                | C::RequestEInvoiceResubmission(_)
                | C::HoldEInvoiceSubmission(_)
                | C::RequestIndividualEInvoice
                | C::Consolidate(_),
            ) => Err(InvoiceError::NotDrafted),
            (Self::Drafted(r), C::AmendDraft(c)) => amend(r, c, ctx),
            (Self::Drafted(r), C::Issue(c)) => issue(r, c, ctx),
            (Self::Drafted(r), C::RecordPayment(c)) => record_payment(r, c, ctx),
            (Self::Drafted(r), C::IssueCreditNote(c)) => issue_note(r, NoteKind::Credit, c, ctx),
            (Self::Drafted(r), C::IssueDebitNote(c)) => issue_note(r, NoteKind::Debit, c, ctx),
            (Self::Drafted(r), C::IssueRefundNote(c)) => issue_note(r, NoteKind::Refund, c, ctx),
            (Self::Drafted(r), C::Void(c)) => void(r, c, ctx),
            (Self::Drafted(r), C::RecordLhdnValidation(c)) => record_validation(r, c),
            (Self::Drafted(r), C::Cancel(c)) => cancel(r, c, ctx),
            (Self::Drafted(r), C::StartEInvoiceSubmission(c)) => einvoice::start(r, c, ctx),
            (Self::Drafted(r), C::RecordEInvoiceAcceptance(c)) => einvoice::accept(r, c, ctx),
            (Self::Drafted(r), C::RecordEInvoiceRejection(c)) => einvoice::reject(r, c, ctx),
            (Self::Drafted(r), C::RequestEInvoiceResubmission(c)) => {
                einvoice::request_resubmission(r, c, ctx)
            }
            (Self::Drafted(r), C::HoldEInvoiceSubmission(c)) => einvoice::hold(r, c, ctx),
            (Self::Drafted(r), C::RequestIndividualEInvoice) => {
                consolidation::request_individual(r, ctx)
            }
            (Self::Drafted(r), C::Consolidate(c)) => consolidation::consolidate(r, c, ctx),
            (Self::NotDrafted, C::RecordPdf(_)) => Err(InvoiceError::NotDrafted),
            (Self::Drafted(r), C::RecordPdf(pdf)) => Ok(crate::record_pdf(&r.pdfs, pdf)
                .map(InvoiceEvent::InvoicePdfIssued)
                .into_iter()
                .collect()),
        }
    }

    fn evolve(self, event: &InvoiceEvent) -> Self {
        use InvoiceEvent as E;
        match self {
            Self::NotDrafted => match event {
                E::InvoiceDrafted(e) => Self::Drafted(Box::new(InvoiceRecord {
                    id: e.invoice_id,
                    customer_id: e.customer_id,
                    currency: e.currency,
                    payment_terms: e.payment_terms,
                    customer_reference: e.customer_reference.clone(),
                    source: e.source.clone(),
                    lines: e.lines.clone(),
                    totals: e.totals.clone(),
                    priced_on: e.priced_on,
                    issue: None,
                    payments: Vec::new(),
                    notes: Vec::new(),
                    lhdn: None,
                    einvoices: Vec::new(),
                    voiding: None,
                    cancellation: None,
                    consolidated_in: None,
                    account: Account::empty(e.currency),
                    pdfs: Vec::new(),
                })),
                // `decide` starts every stream with InvoiceDrafted; nothing before it has an
                // invoice to change.
                E::InvoiceDraftAmended(_)
                | E::InvoiceIssued(_)
                | E::PaymentRecorded(_)
                | E::CreditNoteIssued(_)
                | E::DebitNoteIssued(_)
                | E::RefundNoteIssued(_)
                | E::InvoiceVoided(_)
                | E::InvoiceValidatedByLhdn(_)
                | E::InvoiceCancelled(_)
                | E::InvoicePdfIssued(_)
                | E::EInvoiceSubmissionStarted(_)
                | E::EInvoiceAccepted(_)
                | E::EInvoiceRejected(_)
                | E::NoteValidatedByLhdn(_)
                | E::EInvoiceResubmissionRequested(_)
                | E::IndividualEInvoiceRequested(_)
                | E::InvoiceConsolidated(_)
                | E::EInvoiceHeld(_) => Self::NotDrafted,
            },
            Self::Drafted(mut invoice) => {
                apply(&mut invoice, event);
                Self::Drafted(invoice)
            }
        }
    }
}

fn apply(r: &mut InvoiceRecord, event: &InvoiceEvent) {
    use InvoiceEvent as E;
    match event {
        // A stream is drafted once; a second draft cannot have been decided.
        E::InvoiceDrafted(_) => {}
        E::InvoiceDraftAmended(e) => {
            r.payment_terms = e.payment_terms;
            r.customer_reference = e.customer_reference.clone();
            r.lines = e.lines.clone();
            r.totals = e.totals.clone();
            r.priced_on = e.priced_on;
        }
        E::InvoiceIssued(e) => {
            r.lines = e.lines.clone();
            r.totals = e.totals.clone();
            r.priced_on = e.issued_on;
            r.issue = Some(Issuance {
                number: e.number.clone(),
                issued_at: e.issued_at,
                issued_on: e.issued_on,
                due_on: e.due_on,
                einvoice: e.einvoice,
                exchange_rate: e.exchange_rate,
            });
            move_account(r, Movement::Issue, e.totals.payable());
        }
        E::PaymentRecorded(e) => {
            r.payments.push(Payment {
                id: e.payment_id,
                amount: e.amount,
                method: e.method,
                reference: e.reference.clone(),
                received_on: e.received_on,
                recorded_at: e.recorded_at,
            });
            move_account(r, Movement::Payment, e.amount);
        }
        E::CreditNoteIssued(e) => add_note(r, NoteKind::Credit, e),
        E::DebitNoteIssued(e) => add_note(r, NoteKind::Debit, e),
        E::RefundNoteIssued(e) => add_note(r, NoteKind::Refund, e),
        E::InvoiceVoided(e) => {
            r.voiding = Some(Voiding {
                reason: e.reason.clone(),
                voided_at: e.voided_at,
            });
        }
        E::InvoiceValidatedByLhdn(e) => {
            r.lhdn = Some(LhdnValidation {
                document_uuid: e.validated.document_uuid.clone(),
                long_id: e.validated.long_id.clone(),
                validated_at: e.validated.validated_at,
            });
            r.record_einvoice_stage(None, (&e.validated).into(), false);
        }
        E::NoteValidatedByLhdn(e) => {
            r.record_einvoice_stage(Some(e.note_id), (&e.validated).into(), false);
        }
        E::EInvoiceSubmissionStarted(e) => {
            r.record_einvoice_stage(e.note_id, (&e.started).into(), true);
        }
        E::EInvoiceAccepted(e) => r.record_einvoice_stage(e.note_id, (&e.accepted).into(), false),
        E::EInvoiceResubmissionRequested(e) => r.record_einvoice_stage(
            e.note_id,
            EInvoiceStage::ResubmissionRequested {
                requested_at: e.requested_at,
            },
            false,
        ),
        E::EInvoiceRejected(e) => r.record_einvoice_stage(e.note_id, (&e.rejected).into(), false),
        E::EInvoiceHeld(e) => r.record_einvoice_stage(e.note_id, (&e.held).into(), false),
        E::InvoiceCancelled(e) => {
            r.cancellation = Some(Cancellation {
                reason: e.reason.clone(),
                cancelled_at: e.cancelled_at,
            });
        }
        E::InvoicePdfIssued(e) => r.pdfs.push(e.clone()),
        E::IndividualEInvoiceRequested(_) => {
            if let Some(issue) = &mut r.issue {
                issue.einvoice = EInvoiceChoice::Individual;
            }
        }
        E::InvoiceConsolidated(e) => r.consolidated_in = Some(e.month),
    }
}

fn add_note(r: &mut InvoiceRecord, kind: NoteKind, e: &NoteIssued) {
    r.notes.push(Note {
        id: e.note_id,
        kind,
        number: e.number.clone(),
        reason: e.reason.clone(),
        issued_at: e.issued_at,
        issued_on: e.issued_on,
        priced_on: e.priced_on,
        lines: e.lines.clone(),
        totals: e.totals.clone(),
        exchange_rate: e.exchange_rate,
    });
    move_account(r, Movement::Note(kind), e.totals.payable());
}

fn move_account(r: &mut InvoiceRecord, movement: Movement, amount: Money) {
    // `decide` made this same move on this same account before recording the event
    // (`within_limits`), so it fits; a failure would leave the account as it was.
    if let Ok(account) = r.account.after(movement, amount) {
        r.account = account;
    }
}

/// A document's lines priced under the SST rules of `day`. No prepayment or payable rounding
/// is offered on invoices yet.
fn price(
    currency: Currency,
    lines: &[LineInput],
    day: NaiveDate,
) -> Result<(Vec<Line>, Totals), InvoiceError> {
    Ok(billing::price(
        currency,
        lines,
        day,
        &Adjustments::default(),
    )?)
}

/// An optional one-line reference; blank counts as none.
fn reference(text: Option<&str>, field: &'static str) -> Result<Option<String>, InvoiceError> {
    check_optional_text(text, REFERENCE_MAX, Lines::Single)
        .map_err(|problem| InvoiceError::InvalidText { field, problem })
}

/// A required reason: one line, at most 300 characters.
fn reason(text: &str) -> Result<String, InvoiceError> {
    match check_text(text, REASON_MAX, Lines::Single) {
        Ok(reason) => Ok(reason),
        Err(TextProblem::Empty) => Err(InvoiceError::ReasonRequired),
        Err(problem) => Err(InvoiceError::InvalidText {
            field: "reason",
            problem,
        }),
    }
}

/// A number allocated for a document of `kind` issued on `day`. The caller allocates it; this
/// guards against a number from the wrong series (kind or year) reaching a document.
fn check_number(
    number: &DocumentNumber,
    kind: DocumentKind,
    day: NaiveDate,
) -> Result<(), InvoiceError> {
    if number.kind() != kind {
        return Err(InvoiceError::WrongDocumentKind {
            number: number.clone(),
            expected: kind,
            found: number.kind(),
        });
    }
    if number.year() != day.year() {
        return Err(InvoiceError::NumberFromAnotherYear {
            number: number.clone(),
            year: day.year(),
        });
    }
    Ok(())
}

/// The invoice, if it is still a draft: only a draft changes or is issued.
fn open_draft(r: &InvoiceRecord) -> Result<(), InvoiceError> {
    if r.voiding.is_some() {
        return Err(InvoiceError::Voided);
    }
    match r.number() {
        None => Ok(()),
        Some(number) => Err(InvoiceError::AlreadyIssued {
            number: number.clone(),
        }),
    }
}

/// The invoice's issue, if it was issued (cancelled or not).
fn issued(r: &InvoiceRecord) -> Result<&Issuance, InvoiceError> {
    if r.voiding.is_some() {
        return Err(InvoiceError::Voided);
    }
    r.issue.as_ref().ok_or(InvoiceError::NotIssued)
}

/// The invoice's issue, if it was issued and not cancelled: only such an invoice is paid or
/// corrected. Cancelled is final.
pub(super) fn open_issued(r: &InvoiceRecord) -> Result<&Issuance, InvoiceError> {
    let issue = issued(r)?;
    match r.cancellation {
        None => Ok(issue),
        Some(_) => Err(InvoiceError::Cancelled {
            number: issue.number.clone(),
        }),
    }
}

/// Refuses a payment or a note that would pass its limit (see the limits on
/// [`InvoiceRecord`]) or whose amounts would not fit.
fn within_limits(
    r: &InvoiceRecord,
    movement: Movement,
    requested: Money,
) -> Result<(), InvoiceError> {
    let exceeds = |limit: Money| requested.amount() > limit.amount();
    match movement {
        Movement::Payment if exceeds(r.payable_now()) => Err(InvoiceError::Overpayment {
            outstanding: r.payable_now(),
            requested,
        }),
        Movement::Note(NoteKind::Credit) if exceeds(r.creditable()) => {
            Err(InvoiceError::OverCredit {
                creditable: r.creditable(),
                requested,
            })
        }
        Movement::Note(NoteKind::Refund) if exceeds(r.refundable()) => {
            Err(InvoiceError::OverRefund {
                refundable: r.refundable(),
                requested,
            })
        }
        Movement::Issue | Movement::Payment | Movement::Note(_) => r
            .account
            .after(movement, requested)
            .map(|_| ())
            .map_err(|_| InvoiceError::AmountTooLarge),
    }
}

fn draft(c: &DraftInvoice, ctx: &Ctx) -> Result<Vec<InvoiceEvent>, InvoiceError> {
    let priced_on = ctx.business_day();
    let (lines, totals) = price(c.currency, &c.lines, priced_on)?;
    let customer_reference = reference(c.customer_reference.as_deref(), "customer_reference")?;
    Ok(vec![InvoiceEvent::InvoiceDrafted(InvoiceDrafted {
        invoice_id: c.id,
        customer_id: c.customer_id,
        currency: c.currency,
        payment_terms: c.payment_terms,
        customer_reference,
        source: c.source.clone(),
        lines,
        totals,
        priced_on,
    })])
}

fn amend(r: &InvoiceRecord, c: &AmendDraft, ctx: &Ctx) -> Result<Vec<InvoiceEvent>, InvoiceError> {
    open_draft(r)?;
    let priced_on = ctx.business_day();
    let (lines, totals) = price(r.currency, &c.lines, priced_on)?;
    let customer_reference = reference(c.customer_reference.as_deref(), "customer_reference")?;
    // The form is saved whole; saving it unchanged (or a retry) is not an amendment. Lines
    // priced under another rule than before differ, and are recorded.
    if lines == r.lines
        && c.payment_terms == r.payment_terms
        && customer_reference == r.customer_reference
    {
        return Ok(vec![]);
    }
    Ok(vec![InvoiceEvent::InvoiceDraftAmended(
        InvoiceDraftAmended {
            payment_terms: c.payment_terms,
            customer_reference,
            lines,
            totals,
            priced_on,
        },
    )])
}

fn issue(
    r: &InvoiceRecord,
    c: &IssueInvoice,
    ctx: &Ctx,
) -> Result<Vec<InvoiceEvent>, InvoiceError> {
    open_draft(r)?;
    if r.lines.is_empty() {
        return Err(InvoiceError::NoLines);
    }
    let issued_on = ctx.business_day();
    check_number(&c.number, DocumentKind::Invoice, issued_on)?;
    // The issue day is the tax point: a draft priced before a rate change is issued at the
    // rate in force that day (docs/decisions/0009).
    let inputs: Vec<LineInput> = r.lines.iter().map(Line::input).collect();
    let (lines, totals) = price(r.currency, &inputs, issued_on)?;
    if c.einvoice == EInvoiceChoice::Consolidated {
        consolidation::may_consolidate(totals.payable(), issued_on)?;
    }
    let exchange_rate = exchange_rate(r.currency, c.exchange_rate)?;
    Ok(vec![InvoiceEvent::InvoiceIssued(InvoiceIssued {
        invoice_id: r.id,
        number: c.number.clone(),
        customer_id: r.customer_id,
        issued_at: ctx.now,
        issued_on,
        due_on: r.payment_terms.due_on(issued_on),
        lines,
        totals,
        einvoice: c.einvoice,
        exchange_rate,
    })])
}

/// LHDN wants every document not in ringgit to say what one unit of its currency is in
/// ringgit (`TaxExchangeRate`, mandatory since 1 September 2025), and a ringgit document to
/// say nothing.
fn exchange_rate(
    currency: Currency,
    given: Option<ExchangeRate>,
) -> Result<Option<ExchangeRate>, InvoiceError> {
    match (currency == Currency::MYR, given) {
        (true, None) => Ok(None),
        (true, Some(_)) => Err(InvoiceError::ExchangeRateForRinggit),
        (false, None) => Err(InvoiceError::ExchangeRateRequired { currency }),
        (false, Some(rate)) => Ok(Some(rate)),
    }
}

fn record_payment(
    r: &InvoiceRecord,
    c: &RecordPayment,
    ctx: &Ctx,
) -> Result<Vec<InvoiceEvent>, InvoiceError> {
    let issue = open_issued(r)?;
    // The payment id is made once by the caller: a retry is answered as done, even once the
    // payment it repeats has left nothing outstanding.
    if r.payment(c.payment_id).is_some() {
        return Ok(vec![]);
    }
    let amount = c.amount;
    if amount.currency() != r.currency {
        return Err(InvoiceError::PaymentCurrency {
            expected: r.currency,
            found: amount.currency(),
        });
    }
    if !amount.is_positive() {
        return Err(InvoiceError::NonPositivePayment);
    }
    if amount.round_to_sen() != amount {
        return Err(InvoiceError::PaymentFractionOfSen);
    }
    let today = ctx.business_day();
    if c.received_on > today {
        return Err(InvoiceError::PaymentInFuture {
            received_on: c.received_on,
            today,
        });
    }
    let reference = reference(c.reference.as_deref(), "reference")?;
    within_limits(r, Movement::Payment, amount)?;
    Ok(vec![InvoiceEvent::PaymentRecorded(PaymentRecorded {
        invoice_id: r.id,
        invoice_number: issue.number.clone(),
        customer_id: r.customer_id,
        payment_id: c.payment_id,
        amount,
        method: c.method,
        reference,
        received_on: c.received_on,
        recorded_at: ctx.now,
    })])
}

/// Credit, debit and refund notes: one path, the kind deciding the number series, the limit
/// and the event.
fn issue_note(
    r: &InvoiceRecord,
    kind: NoteKind,
    c: &IssueNote,
    ctx: &Ctx,
) -> Result<Vec<InvoiceEvent>, InvoiceError> {
    let issue = open_issued(r)?;
    // The note id is made once by the caller: a retry is answered as done.
    if r.note(c.note_id).is_some() {
        return Ok(vec![]);
    }
    // A note refers to its invoice's e-invoice, which a consolidated sale does not have
    // (notes against consolidated e-invoices are not supported: docs/decisions/0015).
    if issue.einvoice == EInvoiceChoice::Consolidated {
        return Err(InvoiceError::NoteOnConsolidatedSale {
            number: issue.number.clone(),
        });
    }
    let issued_on = ctx.business_day();
    check_number(&c.number, kind.document_kind(), issued_on)?;
    if c.lines.is_empty() {
        return Err(InvoiceError::NoLines);
    }
    let reason = reason(&c.reason)?;
    // A note corrects the supply the invoice recorded, so it is taxed as that supply was:
    // under the SST rules of the invoice's issue day (its tax point), not the note's. A
    // rental invoiced at 8 % in December 2025 is credited at 8 % in 2026, not at 6 %.
    let (lines, totals) = price(r.currency, &c.lines, issue.issued_on)?;
    within_limits(r, Movement::Note(kind), totals.payable())?;
    let note = NoteIssued {
        note_id: c.note_id,
        number: c.number.clone(),
        invoice_id: r.id,
        invoice_number: issue.number.clone(),
        customer_id: r.customer_id,
        reason,
        issued_at: ctx.now,
        issued_on,
        priced_on: issue.issued_on,
        lines,
        totals,
        // The note converts at the invoice's rate, not at the rate of its own day: it corrects
        // the supply the invoice recorded (as its SST rules are the invoice's, above), so its
        // tax in ringgit undoes or adds to the invoice's tax in ringgit exactly, and a credit
        // note for the whole invoice takes off exactly the ringgit tax LHDN recorded for it.
        exchange_rate: issue.exchange_rate,
    };
    Ok(vec![match kind {
        NoteKind::Credit => InvoiceEvent::CreditNoteIssued(note),
        NoteKind::Debit => InvoiceEvent::DebitNoteIssued(note),
        NoteKind::Refund => InvoiceEvent::RefundNoteIssued(note),
    }])
}

fn void(r: &InvoiceRecord, c: &VoidInvoice, ctx: &Ctx) -> Result<Vec<InvoiceEvent>, InvoiceError> {
    open_draft(r).map_err(|refusal| match refusal {
        // An issued invoice reached the customer and LHDN: it is corrected or cancelled, and
        // the refusal says how.
        InvoiceError::AlreadyIssued { number } => InvoiceError::VoidIssued { number },
        other => other,
    })?;
    let reason = reason(&c.reason)?;
    Ok(vec![InvoiceEvent::InvoiceVoided(InvoiceVoided {
        reason,
        voided_at: ctx.now,
    })])
}

fn record_validation(
    r: &InvoiceRecord,
    c: &RecordLhdnValidation,
) -> Result<Vec<InvoiceEvent>, InvoiceError> {
    // A cancelled invoice still takes LHDN's answer: a submission already under way when it
    // was cancelled may come back valid, and LHDN's record is the truth to keep.
    issued(r)?;
    let (number, _) = einvoice::document(r, c.note_id)?;
    let validation = crate::einvoice::RecordValidation {
        document_uuid: c.document_uuid.clone(),
        long_id: c.long_id.clone(),
        validated_at: c.validated_at,
    };
    // The submitter may report the same outcome twice (a retried poll): `None`.
    let Some(validated) =
        crate::einvoice::validate(r.einvoice(c.note_id).map(EInvoice::track), &validation)
            .map_err(|refusal| InvoiceError::submission(number, refusal))?
    else {
        return Ok(vec![]);
    };
    let event = match c.note_id {
        None => InvoiceEvent::InvoiceValidatedByLhdn(InvoiceValidatedByLhdn { validated }),
        Some(note_id) => {
            InvoiceEvent::NoteValidatedByLhdn(NoteValidatedByLhdn { note_id, validated })
        }
    };
    Ok(vec![event])
}

fn cancel(
    r: &InvoiceRecord,
    c: &CancelInvoice,
    ctx: &Ctx,
) -> Result<Vec<InvoiceEvent>, InvoiceError> {
    let issue = consolidation::open_unconsolidated(r)?;
    let number = issue.number.clone();
    // LHDN refuses to cancel a document that a valid note references
    // (`ActiveReferencingDocuments`, LHDN.md §1.7).
    if !r.notes.is_empty() {
        return Err(InvoiceError::ReferencedByNotes {
            number,
            notes: r.notes.iter().map(|n| n.number.clone()).collect(),
        });
    }
    // Money received against a cancelled invoice would belong to no document.
    if !r.payments.is_empty() {
        return Err(InvoiceError::PaymentsRecorded {
            number,
            paid: r.paid(),
        });
    }
    // LHDN cancels only a valid document: one under validation waits for the verdict.
    if let Some(einvoice) = r.einvoice(None)
        && einvoice.stage.under_way()
    {
        return Err(InvoiceError::SubmissionUnderWay {
            number,
            attempt: einvoice.attempts,
        });
    }
    // Once validated, LHDN allows cancelling for 72 hours (`OperationPeriodOver` after). An
    // invoice not yet validated has not been accepted by LHDN and may be cancelled.
    if let Some(closed_at) = r.cancellable_until()
        && ctx.now >= closed_at
    {
        return Err(InvoiceError::CancellationWindowClosed { number, closed_at });
    }
    let reason = reason(&c.reason)?;
    Ok(vec![InvoiceEvent::InvoiceCancelled(InvoiceCancelled {
        invoice_id: r.id,
        number,
        customer_id: r.customer_id,
        reason,
        cancelled_at: ctx.now,
    })])
}
