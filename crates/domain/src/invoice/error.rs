//! Why an invoice command is refused. Each message is written for the finance clerk who sent
//! it, naming the rule and the amounts.

use chrono::{DateTime, NaiveDate, Utc};

use super::{DocumentKind, DocumentNumber};
use crate::billing::BillingError;
use crate::ids::NoteId;
use crate::money::{Currency, Money};
use crate::values::{Month, TextProblem};

/// A refusal of the Invoice aggregate; the API answers it with a 4xx.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvoiceError {
    #[error("this invoice does not exist")]
    NotDrafted,
    #[error("this invoice already exists")]
    AlreadyDrafted,
    #[error(transparent)]
    Lines(#[from] BillingError),
    #[error("{field} {problem}")]
    InvalidText {
        field: &'static str,
        problem: TextProblem,
    },
    /// An issued invoice stays as the customer and LHDN received it.
    #[error(
        "invoice {number} is already issued and can no longer change: correct it with a credit or debit note"
    )]
    AlreadyIssued { number: DocumentNumber },
    #[error("this invoice was voided and can no longer change")]
    Voided,
    #[error("invoice {number} was cancelled and can no longer change")]
    Cancelled { number: DocumentNumber },
    #[error("this invoice is still a draft: issue it first")]
    NotIssued,
    #[error("there are no lines: add at least one before issuing")]
    NoLines,
    #[error("{number} is from the {found} series: this needs a number from the {expected} series")]
    WrongDocumentKind {
        number: DocumentNumber,
        expected: DocumentKind,
        found: DocumentKind,
    },
    /// Each year has its own series: a document issued in 2026 takes a 2026 number.
    #[error(
        "{number} is from the {} series, but documents issued today are numbered in the {year} series",
        .number.year()
    )]
    NumberFromAnotherYear { number: DocumentNumber, year: i32 },
    #[error("the payment is in {found}, but the invoice is in {expected}")]
    PaymentCurrency { expected: Currency, found: Currency },
    #[error("a payment is an amount more than zero")]
    NonPositivePayment,
    #[error("a payment is written in whole sen (two decimals at most)")]
    PaymentFractionOfSen,
    #[error(
        "the payment of {requested} is more than the {outstanding} outstanding: over-payments are not accepted, record only what is due"
    )]
    Overpayment {
        outstanding: Money,
        requested: Money,
    },
    #[error("a payment cannot be received in the future: {received_on} is after today ({today})")]
    PaymentInFuture {
        received_on: NaiveDate,
        today: NaiveDate,
    },
    #[error("say why: the reason is kept with the document")]
    ReasonRequired,
    #[error(
        "the credit note of {requested} is more than the {creditable} still charged on the invoice"
    )]
    OverCredit { creditable: Money, requested: Money },
    #[error(
        "the refund note of {requested} is more than the {refundable} the customer paid beyond what is charged"
    )]
    OverRefund { refundable: Money, requested: Money },
    #[error("the amounts are too large")]
    AmountTooLarge,
    /// A draft is voided; an issued invoice went to the customer and to LHDN.
    #[error(
        "invoice {number} is issued and cannot be voided: correct it with a credit or debit note, or cancel it (LHDN allows that within 72 hours of validation)"
    )]
    VoidIssued { number: DocumentNumber },
    #[error("LHDN already validated this invoice as document {document_uuid}")]
    AlreadyValidated { document_uuid: String },
    /// LHDN refuses to cancel a document a valid note refers to (`ActiveReferencingDocuments`).
    #[error(
        "invoice {number} cannot be cancelled: {} refer{} to it; correct it with notes instead",
        list(.notes),
        if .notes.len() == 1 { "s" } else { "" }
    )]
    ReferencedByNotes {
        number: DocumentNumber,
        notes: Vec<DocumentNumber>,
    },
    #[error(
        "invoice {number} cannot be cancelled: payments of {paid} are recorded against it; correct it with a credit note and refund what was paid"
    )]
    PaymentsRecorded { number: DocumentNumber, paid: Money },
    #[error(
        "invoice {number} can no longer be cancelled: LHDN allows it within 72 hours of validation, which ended at {closed_at}; correct it with a credit or debit note"
    )]
    CancellationWindowClosed {
        number: DocumentNumber,
        closed_at: DateTime<Utc>,
    },
    #[error("this invoice has no note {note_id}")]
    NoSuchNote { note_id: NoteId },
    #[error("a document hash is the lower-case hex SHA-256 of the signed document (64 characters)")]
    BadDocumentHash,
    /// LHDN's referenced-document rule (LHDN.md §1.11).
    #[error("a note goes to LHDN once invoice {invoice} is validated")]
    InvoiceNotValidated { invoice: DocumentNumber },
    #[error("{number} is with LHDN (submission {attempt}): wait for LHDN's answer")]
    SubmissionUnderWay {
        number: DocumentNumber,
        attempt: u32,
    },
    #[error(
        "{number} can no longer go to LHDN: a document must be submitted within 72 hours of its issue, which ended at {closed_at}; cancel it and issue a new one"
    )]
    SubmissionWindowClosed {
        number: DocumentNumber,
        closed_at: DateTime<Utc>,
    },
    #[error("{number} has no LHDN submission {attempt} waiting for an answer")]
    NoSuchSubmission {
        number: DocumentNumber,
        attempt: u32,
    },
    #[error("LHDN already accepted this document as {document_uuid}")]
    AcceptedAsAnother { document_uuid: String },
    #[error(
        "{number} was neither rejected by LHDN nor held back: only such a document is submitted again"
    )]
    NotRejectedByLhdn { number: DocumentNumber },
    /// LHDN: from 1 January 2026 a single transaction above RM10,000 needs its own e-invoice.
    #[error(
        "this sale of {payable} needs an e-invoice of its own: LHDN allows a sale in the consolidated e-invoice only up to {limit}"
    )]
    OverConsolidationLimit { payable: Money, limit: Money },
    /// LHDN converts a foreign-currency document's tax to ringgit at the rate it carries
    /// (`TaxExchangeRate`, mandatory since 1 September 2025).
    #[error(
        "the invoice is in {currency}: give the exchange rate to ringgit (ringgit per {currency}, e.g. 4.7215), which LHDN requires"
    )]
    ExchangeRateRequired { currency: Currency },
    #[error("the invoice is in ringgit: it takes no exchange rate")]
    ExchangeRateForRinggit,
    #[error(
        "a sale in {currency} needs an e-invoice of its own: the consolidated e-invoice is in ringgit"
    )]
    ConsolidationInForeignCurrency { currency: Currency },
    #[error(
        "the buyer of {number} can no longer ask for an e-invoice of their own: LHDN allows it within the month of the sale ({month}), which is over"
    )]
    IndividualEInvoiceTooLate {
        number: DocumentNumber,
        month: Month,
    },
    #[error("{number} is in the consolidated e-invoice of {month}")]
    AlreadyConsolidated {
        number: DocumentNumber,
        month: Month,
    },
    #[error(
        "{number} goes to LHDN in the month's consolidated e-invoice: the buyer asked for none (they may still ask within the month)"
    )]
    LeftToConsolidation { number: DocumentNumber },
    #[error("{number} has an e-invoice of its own and is not consolidated")]
    NotLeftToConsolidation { number: DocumentNumber },
    #[error("{number} was not issued in {month}")]
    SaleOutsideMonth {
        number: DocumentNumber,
        month: Month,
    },
    #[error("{month} is not over: its sales are consolidated once it is")]
    MonthNotOver { month: Month },
    /// Notes against consolidated sales are not supported yet (docs/decisions/0015).
    #[error(
        "{number} was issued for the consolidated e-invoice: notes against it are not supported; ask for an e-invoice of its own first (within the month of the sale)"
    )]
    NoteOnConsolidatedSale { number: DocumentNumber },
}

fn list(numbers: &[DocumentNumber]) -> String {
    numbers
        .iter()
        .map(DocumentNumber::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

impl InvoiceError {
    /// Where the problem is in the request body, as a JSON pointer (RFC 6901) relative to the
    /// command's object, or `None` when the refusal is about the invoice as a whole.
    pub fn pointer(&self) -> Option<String> {
        match self {
            Self::Lines(error) => Some(error.pointer()),
            Self::InvalidText { field, .. } => Some(format!("/{field}")),
            Self::ReasonRequired => Some("/reason".to_owned()),
            // A note's amount is the sum of its lines.
            Self::NoLines | Self::OverCredit { .. } | Self::OverRefund { .. } => {
                Some("/lines".to_owned())
            }
            Self::WrongDocumentKind { .. } | Self::NumberFromAnotherYear { .. } => {
                Some("/number".to_owned())
            }
            Self::PaymentCurrency { .. }
            | Self::NonPositivePayment
            | Self::PaymentFractionOfSen
            | Self::Overpayment { .. } => Some("/amount".to_owned()),
            Self::PaymentInFuture { .. } => Some("/received_on".to_owned()),
            Self::OverConsolidationLimit { .. } | Self::ConsolidationInForeignCurrency { .. } => {
                Some("/einvoice".to_owned())
            }
            Self::ExchangeRateRequired { .. } | Self::ExchangeRateForRinggit => {
                Some("/exchange_rate".to_owned())
            }
            Self::NotDrafted
            | Self::AlreadyDrafted
            | Self::AlreadyIssued { .. }
            | Self::Voided
            | Self::Cancelled { .. }
            | Self::NotIssued
            | Self::AmountTooLarge
            | Self::VoidIssued { .. }
            | Self::AlreadyValidated { .. }
            | Self::ReferencedByNotes { .. }
            | Self::PaymentsRecorded { .. }
            | Self::CancellationWindowClosed { .. }
            | Self::InvoiceNotValidated { .. }
            | Self::SubmissionUnderWay { .. }
            | Self::SubmissionWindowClosed { .. }
            | Self::NoSuchSubmission { .. }
            | Self::AcceptedAsAnother { .. }
            | Self::NotRejectedByLhdn { .. }
            | Self::IndividualEInvoiceTooLate { .. }
            | Self::AlreadyConsolidated { .. }
            | Self::LeftToConsolidation { .. }
            | Self::NotLeftToConsolidation { .. }
            | Self::SaleOutsideMonth { .. }
            | Self::MonthNotOver { .. }
            | Self::NoteOnConsolidatedSale { .. } => None,
            Self::NoSuchNote { .. } => Some("/note_id".to_owned()),
            Self::BadDocumentHash => Some("/document_hash".to_owned()),
        }
    }
}
