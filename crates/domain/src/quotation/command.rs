//! What can be asked of a quotation. Fields are already-parsed values; ids and the quotation
//! number are made by the caller, so a retried command carries the same ones.

use super::{QuotationNumber, Recipient, RevisionNumber, ValidityDays};
use crate::billing::LineInput;
use crate::ids::{CustomerId, InvoiceId, QuotationId};
use crate::money::Currency;
use crate::values::Name;

/// A command to the Quotation aggregate.
#[derive(Debug, Clone, PartialEq)]
pub enum QuotationCommand {
    Draft(DraftQuotation),
    AmendLines(AmendDraftLines),
    ChangeValidity(ChangeValidity),
    Send(SendQuotation),
    Revise(ReviseQuotation),
    Accept(AcceptQuotation),
    Reject(RejectQuotation),
    Expire(ExpireQuotation),
    ConvertToInvoice(ConvertToInvoice),
    /// Records the PDF issued for a version of the document (the PDF issuer's command):
    /// nothing new when it is recorded already.
    RecordPdf(crate::PdfIssued),
}

/// Drafts a quotation as revision r1. Lines may be empty (added later) but not when sent.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftQuotation {
    pub id: QuotationId,
    /// Assigned by the caller from the per-year series.
    pub number: QuotationNumber,
    /// A registered customer (the caller checks it exists).
    pub customer_id: CustomerId,
    /// Every line's prices are in this currency.
    pub currency: Currency,
    pub lines: Vec<LineInput>,
    /// The company's default validity, from configuration (30 days).
    pub default_validity: ValidityDays,
    /// This quotation's own validity, if it differs from the default.
    pub validity: Option<ValidityDays>,
}

/// Replaces all the lines of the current revision while it is a draft (a form saved whole).
/// The lines are priced under the SST rules of today; saving the same lines records nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct AmendDraftLines {
    pub lines: Vec<LineInput>,
}

/// Changes how long the quotation stays open once sent, while the current revision is a
/// draft.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeValidity {
    pub validity: ValidityDays,
}

/// Sends the current draft revision to the customer: the time is the command's clock
/// reading, and the revision is open until its validity has passed.
#[derive(Debug, Clone, PartialEq)]
pub struct SendQuotation {
    pub to: Recipient,
}

/// Makes a new revision (r2, r3…) of a quotation that was sent, or rejected or expired after
/// being sent; the revision before it no longer stands. The new revision starts as a draft
/// with `lines`, or, if `None`, with the lines of the revision it replaces, priced again.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviseQuotation {
    pub lines: Option<Vec<LineInput>>,
}

/// Records the customer's acceptance of one revision, which must be the current one, sent,
/// and still within its validity on today's business day.
#[derive(Debug, Clone, PartialEq)]
pub struct AcceptQuotation {
    /// The revision the customer accepted, as printed on the copy they signed.
    pub revision: RevisionNumber,
    /// The customer's person who accepted.
    pub accepted_by: Name,
    /// Their reference or PO number: one line, at most 100 characters; blank counts as none.
    pub customer_reference: Option<String>,
}

/// Records that the customer turned the current sent revision down. The reason is required
/// (at most 1000 characters): lost quotations are reviewed by why.
#[derive(Debug, Clone, PartialEq)]
pub struct RejectQuotation {
    pub reason: String,
}

/// Marks the current sent revision expired once its last valid day has passed (the
/// scheduler's daily job; today is the command's business day). Repeating it changes
/// nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpireQuotation;

/// Records that the accepted quotation became the draft invoice `invoice_id` (made by the
/// caller, which drafts the invoice from the accepted revision). Once only; repeating it for
/// the same invoice changes nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct ConvertToInvoice {
    pub invoice_id: InvoiceId,
}
