//! What can be asked of an invoice. Fields are already-parsed values; ids and document
//! numbers are made by the caller, so a retried command carries the same ones.

use chrono::{DateTime, NaiveDate, Utc};

use uuid::Uuid;

use super::{
    DocumentNumber, EInvoiceChoice, LhdnProblem, PaymentMethod, PaymentTerms, QuotationSource,
};
use crate::billing::LineInput;
use crate::einvoice::SubmissionStep;
use crate::ids::{CustomerId, InvoiceId, NoteId, PaymentId};
use crate::money::{Currency, Money};
use crate::values::{ExchangeRate, Month};

/// A command to the Invoice aggregate.
#[derive(Debug, Clone, PartialEq)]
pub enum InvoiceCommand {
    Draft(DraftInvoice),
    AmendDraft(AmendDraft),
    Issue(IssueInvoice),
    RecordPayment(RecordPayment),
    IssueCreditNote(IssueNote),
    IssueDebitNote(IssueNote),
    IssueRefundNote(IssueNote),
    Void(VoidInvoice),
    RecordLhdnValidation(RecordLhdnValidation),
    Cancel(CancelInvoice),
    StartEInvoiceSubmission(StartEInvoiceSubmission),
    RecordEInvoiceAcceptance(RecordEInvoiceAcceptance),
    RecordEInvoiceRejection(RecordEInvoiceRejection),
    RequestEInvoiceResubmission(RequestEInvoiceResubmission),
    HoldEInvoiceSubmission(HoldEInvoiceSubmission),
    /// The buyer of a sale issued for consolidation asks for an e-invoice of their own:
    /// allowed within the month of the sale, until the month is consolidated.
    RequestIndividualEInvoice,
    /// The month's consolidated e-invoice takes in this sale (the consolidation job's command).
    Consolidate(ConsolidateInvoice),
    /// Records the PDF issued for a version of the document (the PDF issuer's command):
    /// nothing new when it is recorded already.
    RecordPdf(crate::PdfIssued),
}

/// Drafts an invoice, its lines priced under today's SST rules. Lines may be empty (added
/// later) but not when issued.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftInvoice {
    pub id: InvoiceId,
    /// A registered customer (the caller checks it exists).
    pub customer_id: CustomerId,
    /// Every line's prices, every payment and every note are in this currency.
    pub currency: Currency,
    pub lines: Vec<LineInput>,
    pub payment_terms: PaymentTerms,
    /// The customer's reference (their PO number): one line, at most 100 characters; blank
    /// counts as none.
    pub customer_reference: Option<String>,
    /// The accepted quotation this invoice was made from, if any.
    pub source: Option<QuotationSource>,
}

/// Replaces the draft's lines, terms and reference (a form saved whole), pricing the lines
/// under today's SST rules. Saving it unchanged records nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct AmendDraft {
    pub lines: Vec<LineInput>,
    pub payment_terms: PaymentTerms,
    pub customer_reference: Option<String>,
}

/// Issues the draft under `number`, dated the business day of the command: the lines are
/// priced again under that day's SST rules, and the due date is that day plus the terms.
#[derive(Debug, Clone, PartialEq)]
pub struct IssueInvoice {
    /// From the invoice series of the issue day's year.
    pub number: DocumentNumber,
    /// Whether the buyer wants an e-invoice of their own. A sale left to the consolidated
    /// e-invoice must be in ringgit and, from 2026, at most RM10,000 payable.
    pub einvoice: EInvoiceChoice,
    /// Ringgit per unit of the invoice's currency on the issue day: required for an invoice
    /// in a foreign currency (LHDN's `TaxExchangeRate`, mandatory since 1 September 2025),
    /// refused for one in ringgit. A note takes the invoice's.
    pub exchange_rate: Option<ExchangeRate>,
}

/// Records money received against the issued invoice.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordPayment {
    /// Made once by the caller: recording the same payment again changes nothing.
    pub payment_id: PaymentId,
    /// More than zero, in whole sen, in the invoice's currency, at most what is outstanding.
    pub amount: Money,
    pub method: PaymentMethod,
    /// The bank or cheque reference: one line, at most 100 characters; blank counts as none.
    pub reference: Option<String>,
    /// The business day the money arrived: today or earlier.
    pub received_on: NaiveDate,
}

/// Issues a credit, debit or refund note against the issued invoice (which one is the
/// command's variant). The note is a document of its own, priced under the SST rules of the
/// invoice's issue day.
#[derive(Debug, Clone, PartialEq)]
pub struct IssueNote {
    /// Made once by the caller: issuing the same note again changes nothing.
    pub note_id: NoteId,
    /// From the series of the note's kind for today's year.
    pub number: DocumentNumber,
    /// At least one line.
    pub lines: Vec<LineInput>,
    /// Why the invoice is corrected: one line, at most 300 characters.
    pub reason: String,
}

/// Voids a draft that will never be issued. An issued invoice is corrected by notes or
/// cancelled under LHDN's rules instead.
#[derive(Debug, Clone, PartialEq)]
pub struct VoidInvoice {
    /// One line, at most 300 characters.
    pub reason: String,
}

/// Records that LHDN validated the issued invoice, or one of its notes (sent by the LHDN
/// submitter).
#[derive(Debug, Clone, PartialEq)]
pub struct RecordLhdnValidation {
    /// `None`: the invoice itself.
    pub note_id: Option<NoteId>,
    /// LHDN's document UUID.
    pub document_uuid: String,
    /// LHDN's long id, for the validation link and QR code.
    pub long_id: String,
    /// LHDN's `dateTimeValidated`: the 72-hour cancellation window runs from it.
    pub validated_at: DateTime<Utc>,
}

/// Cancels the issued invoice: allowed while no note references it, no payment is recorded,
/// and, once LHDN validated it, within 72 hours of validation.
#[derive(Debug, Clone, PartialEq)]
pub struct CancelInvoice {
    /// Sent to LHDN: one line, at most 300 characters.
    pub reason: String,
}

/// The submitter is about to send the invoice (or the note `note_id`) to LHDN, signed as the
/// document stored under `signed_copy`. Allowed within 72 hours of issue (LHDN refuses older
/// documents), for a note once the invoice is validated, and never while a submission of
/// the same document is under way or after it was validated.
#[derive(Debug, Clone, PartialEq)]
pub struct StartEInvoiceSubmission {
    pub note_id: Option<NoteId>,
    /// Lower-case hex SHA-256 of the signed document.
    pub document_hash: String,
    pub signed_copy: Uuid,
}

/// LHDN accepted attempt `attempt` for validation.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordEInvoiceAcceptance {
    pub note_id: Option<NoteId>,
    pub attempt: u32,
    pub submission_uid: String,
    pub document_uuid: String,
}

/// LHDN refused attempt `attempt`, at submission or after validating it.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordEInvoiceRejection {
    pub note_id: Option<NoteId>,
    pub attempt: u32,
    pub document_uuid: Option<String>,
    pub problems: Vec<LhdnProblem>,
}

/// Asks for a document LHDN rejected, or the submitter held back, to be submitted again, once
/// what was wrong with it is fixed.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestEInvoiceResubmission {
    pub note_id: Option<NoteId>,
}

/// The submitter cannot send the document: it is held back, with why, and leaves the work
/// list until a resubmission is asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct HoldEInvoiceSubmission {
    pub note_id: Option<NoteId>,
    pub problems: Vec<LhdnProblem>,
}

/// Takes the sale into the consolidated e-invoice of `month` (its month): once the month is
/// over, for a sale issued for consolidation.
#[derive(Debug, Clone, PartialEq)]
pub struct ConsolidateInvoice {
    pub month: Month,
}

impl InvoiceCommand {
    /// The submitter's `step` for the invoice (`None`) or its note `note_id`.
    pub fn submission(note_id: Option<NoteId>, step: SubmissionStep) -> Self {
        match step {
            SubmissionStep::Start(s) => Self::StartEInvoiceSubmission(StartEInvoiceSubmission {
                note_id,
                document_hash: s.document_hash,
                signed_copy: s.signed_copy,
            }),
            SubmissionStep::Accept(a) => Self::RecordEInvoiceAcceptance(RecordEInvoiceAcceptance {
                note_id,
                attempt: a.attempt,
                submission_uid: a.submission_uid,
                document_uuid: a.document_uuid,
            }),
            SubmissionStep::Reject(r) => Self::RecordEInvoiceRejection(RecordEInvoiceRejection {
                note_id,
                attempt: r.attempt,
                document_uuid: r.document_uuid,
                problems: r.problems,
            }),
            SubmissionStep::Validate(v) => Self::RecordLhdnValidation(RecordLhdnValidation {
                note_id,
                document_uuid: v.document_uuid,
                long_id: v.long_id,
                validated_at: v.validated_at,
            }),
            SubmissionStep::Hold(h) => Self::HoldEInvoiceSubmission(HoldEInvoiceSubmission {
                note_id,
                problems: h.problems,
            }),
        }
    }
}
