//! An invoice as its events leave it: the draft or the issued document, its payments, the
//! notes issued against it, and where it stands with LHDN.

use std::fmt;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::einvoice::EInvoice;
use super::{DocumentKind, DocumentNumber, EInvoiceChoice, PaymentMethod, PaymentTerms};
use crate::billing::{Line, Totals};
use crate::ids::{CustomerId, InvoiceId, NoteId, PaymentId, QuotationId};
use crate::money::{Currency, Money, MoneyError};
use crate::quotation::{QuotationNumber, RevisionNumber};
use crate::values::{ExchangeRate, Month};

/// How long after LHDN validated a document its issuer may cancel it (LHDN.md §1.7,
/// `cancellationDuration`).
pub const CANCELLATION_WINDOW: TimeDelta = TimeDelta::hours(72);

/// An invoice, as the API returns it and a snapshot stores it.
///
/// `NotDrafted` is the state of a stream with no events (the `Default`), so that every command
/// but `Draft` has a state to be refused in.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Invoice {
    #[default]
    NotDrafted,
    Drafted(Box<InvoiceRecord>),
}

impl Invoice {
    /// The invoice, if it has been drafted.
    pub fn drafted(&self) -> Option<&InvoiceRecord> {
        match self {
            Self::NotDrafted => None,
            Self::Drafted(invoice) => Some(invoice),
        }
    }
}

/// A drafted invoice, issued or not, with everything recorded against it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvoiceRecord {
    pub id: InvoiceId,
    pub customer_id: CustomerId,
    pub currency: Currency,
    pub payment_terms: PaymentTerms,
    pub customer_reference: Option<String>,
    /// The accepted quotation it was made from.
    pub source: Option<QuotationSource>,
    /// Priced lines: as drafted, then as issued.
    pub lines: Vec<Line>,
    pub totals: Totals,
    /// The business day whose SST rules priced the lines; the issue day, once issued.
    pub priced_on: NaiveDate,
    /// Set once, when issued.
    pub issue: Option<Issuance>,
    /// Oldest first.
    pub payments: Vec<Payment>,
    /// Credit, debit and refund notes, oldest first.
    pub notes: Vec<Note>,
    pub lhdn: Option<LhdnValidation>,
    /// Each document of the stream sent to LHDN, and where it stands.
    #[serde(default)]
    pub einvoices: Vec<EInvoice>,
    /// Set if the draft was voided (never issued).
    pub voiding: Option<Voiding>,
    /// Set if the issued invoice was cancelled.
    pub cancellation: Option<Cancellation>,
    /// The month whose consolidated e-invoice took this sale in, once it did.
    #[serde(default)]
    pub consolidated_in: Option<Month>,
    /// Every PDF issued of this document, in order. Defaulted so that snapshots taken
    /// before PDFs were issued still load (they had none).
    #[serde(default)]
    pub pdfs: Vec<crate::PdfIssued>,
    /// The running account kept from the amounts of the events.
    pub(super) account: Account,
}

impl InvoiceRecord {
    /// The invoice's number, once issued.
    pub fn number(&self) -> Option<&DocumentNumber> {
        self.issue.as_ref().map(|issue| &issue.number)
    }

    pub fn payment(&self, id: PaymentId) -> Option<&Payment> {
        self.payments.iter().find(|p| p.id == id)
    }

    pub fn note(&self, id: NoteId) -> Option<&Note> {
        self.notes.iter().find(|n| n.id == id)
    }

    /// What the customer is charged: the invoice's payable amount, plus debit notes, less
    /// credit notes. Zero while a draft. Never negative.
    pub fn charged(&self) -> Money {
        self.account.charged
    }

    /// What the customer has settled: payments received less refund notes. Never negative.
    pub fn settled(&self) -> Money {
        self.account.settled
    }

    /// Charged − settled: what the customer still owes; negative when the company owes the
    /// customer (a credit note after payment), which a refund note settles.
    pub fn outstanding(&self) -> Money {
        self.account.outstanding()
    }

    /// The most a credit note may take off: what is charged (it cannot go below zero).
    pub fn creditable(&self) -> Money {
        self.charged()
    }

    /// The most a refund note may give back: what was settled beyond what is charged.
    pub fn refundable(&self) -> Money {
        self.account
            .at_least_zero(-self.account.outstanding().amount())
    }

    /// The most a payment may be: what is outstanding, if anything. Over-payments are
    /// refused, as the company keeps no customer credit ledger.
    pub fn payable_now(&self) -> Money {
        self.account
            .at_least_zero(self.account.outstanding().amount())
    }

    /// The sum of the payments received (before refunds).
    pub fn paid(&self) -> Money {
        self.payments
            .iter()
            .fold(Money::zero(self.currency), |sum, p| {
                sum.checked_add(p.amount).unwrap_or(sum)
            })
    }

    /// The last instant the invoice may be cancelled, once LHDN validated it.
    pub fn cancellable_until(&self) -> Option<DateTime<Utc>> {
        self.lhdn
            .as_ref()
            .and_then(|v| v.validated_at.checked_add_signed(CANCELLATION_WINDOW))
    }

    /// What the invoice's status is worked out from.
    pub fn standing(&self) -> InvoiceStanding {
        InvoiceStanding {
            issued: self.issue.is_some(),
            voided: self.voiding.is_some(),
            cancelled: self.cancellation.is_some(),
            charged: self.charged(),
            settled: self.settled(),
            credited: self.notes.iter().any(|n| n.kind == NoteKind::Credit),
        }
    }

    /// Where the invoice stands, for lists and filters.
    pub fn status(&self) -> InvoiceStatus {
        InvoiceStatus::of(&self.standing())
    }
}

/// The figures every limit derives from, kept as the events record amounts. Only
/// [`Account::after`] changes them, in `decide` (to check a movement fits) and in `evolve`
/// (to apply it), so the two cannot disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Account {
    charged: Money,
    settled: Money,
}

/// What changes an invoice's account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Movement {
    Issue,
    Payment,
    Note(NoteKind),
}

impl Account {
    pub(super) fn empty(currency: Currency) -> Self {
        let zero = Money::zero(currency);
        Self {
            charged: zero,
            settled: zero,
        }
    }

    /// The account after `amount` moves it.
    pub(super) fn after(self, movement: Movement, amount: Money) -> Result<Self, MoneyError> {
        let Self { charged, settled } = self;
        Ok(match movement {
            Movement::Issue => Self {
                charged: amount,
                settled,
            },
            Movement::Payment => Self {
                charged,
                settled: settled.checked_add(amount)?,
            },
            Movement::Note(NoteKind::Debit) => Self {
                charged: charged.checked_add(amount)?,
                settled,
            },
            Movement::Note(NoteKind::Credit) => Self {
                charged: charged.checked_sub(amount)?,
                settled,
            },
            Movement::Note(NoteKind::Refund) => Self {
                charged,
                settled: settled.checked_sub(amount)?,
            },
        })
    }

    fn outstanding(self) -> Money {
        // Both figures are zero or more and fit, so their difference fits.
        self.charged
            .checked_sub(self.settled)
            .unwrap_or(Money::zero(self.charged.currency()))
    }

    fn at_least_zero(self, amount: Decimal) -> Money {
        Money::new(amount.max(Decimal::ZERO), self.charged.currency())
    }
}

/// Where an invoice stands as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceStatus {
    /// Being written; lines may change.
    Draft,
    /// Issued, nothing settled yet, an amount outstanding.
    Issued,
    /// Something settled, an amount still outstanding.
    PartlyPaid,
    /// Nothing outstanding, and something charged.
    Paid,
    /// Credited in full: nothing charged, nothing settled.
    Credited,
    /// The customer settled more than is charged (credited after paying): a refund note is
    /// due.
    RefundDue,
    /// A draft thrown away, never issued.
    Voided,
    Cancelled,
}

/// The facts an invoice's status follows from. A read model that keeps these figures gets
/// the status by the same rule as the aggregate, through [`InvoiceStatus::of`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvoiceStanding {
    pub issued: bool,
    pub voided: bool,
    pub cancelled: bool,
    /// See [`InvoiceRecord::charged`].
    pub charged: Money,
    /// See [`InvoiceRecord::settled`].
    pub settled: Money,
    /// Whether any credit note was issued against it.
    pub credited: bool,
}

impl InvoiceStatus {
    /// The status these facts give.
    pub fn of(standing: &InvoiceStanding) -> Self {
        if standing.voided {
            return Self::Voided;
        }
        if standing.cancelled {
            return Self::Cancelled;
        }
        if !standing.issued {
            return Self::Draft;
        }
        let (charged, settled) = (standing.charged.amount(), standing.settled.amount());
        if settled > charged {
            Self::RefundDue
        } else if settled < charged {
            if settled > Decimal::ZERO {
                Self::PartlyPaid
            } else {
                Self::Issued
            }
        } else if charged > Decimal::ZERO || !standing.credited {
            // An invoice of nothing (every line free of charge) is paid as soon as issued.
            Self::Paid
        } else {
            Self::Credited
        }
    }
}

impl fmt::Display for InvoiceStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Draft => "a draft",
            Self::Issued => "issued",
            Self::PartlyPaid => "partly paid",
            Self::Paid => "paid",
            Self::Credited => "credited in full",
            Self::RefundDue => "owed a refund",
            Self::Voided => "voided",
            Self::Cancelled => "cancelled",
        })
    }
}

/// The accepted quotation an invoice was made from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotationSource {
    pub quotation_id: QuotationId,
    pub number: QuotationNumber,
    /// The revision the customer accepted.
    pub revision: RevisionNumber,
}

/// When and under which number the invoice was issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issuance {
    pub number: DocumentNumber,
    pub issued_at: DateTime<Utc>,
    /// The business day of issue: the invoice's date and tax point.
    pub issued_on: NaiveDate,
    pub due_on: NaiveDate,
    /// Whether the buyer wants an e-invoice of their own; a request within the month may
    /// change it to individual. Defaulted so that snapshots taken before it load.
    #[serde(default)]
    pub einvoice: EInvoiceChoice,
    /// Ringgit per unit of the invoice's currency, for an invoice not in ringgit. Defaulted
    /// so that snapshots taken before it load (no invoice had one then).
    #[serde(default)]
    pub exchange_rate: Option<ExchangeRate>,
}

/// Money received against the invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    pub id: PaymentId,
    pub amount: Money,
    pub method: PaymentMethod,
    pub reference: Option<String>,
    pub received_on: NaiveDate,
    pub recorded_at: DateTime<Utc>,
}

/// Which note: each moves the invoice's account its own way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    /// Lowers what is charged.
    Credit,
    /// Raises what is charged.
    Debit,
    /// Gives back money settled beyond what is charged.
    Refund,
}

impl NoteKind {
    /// The kind of document the note is, and so its number series.
    pub fn document_kind(self) -> DocumentKind {
        match self {
            Self::Credit => DocumentKind::CreditNote,
            Self::Debit => DocumentKind::DebitNote,
            Self::Refund => DocumentKind::RefundNote,
        }
    }
}

/// A credit, debit or refund note issued against the invoice: a document of its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub id: NoteId,
    pub kind: NoteKind,
    pub number: DocumentNumber,
    pub reason: String,
    pub issued_at: DateTime<Utc>,
    pub issued_on: NaiveDate,
    /// The invoice's issue day, whose SST rules priced the lines.
    pub priced_on: NaiveDate,
    pub lines: Vec<Line>,
    pub totals: Totals,
    /// The invoice's exchange rate, for a note against an invoice not in ringgit.
    #[serde(default)]
    pub exchange_rate: Option<ExchangeRate>,
}

/// LHDN's validation of the issued invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LhdnValidation {
    pub document_uuid: String,
    pub long_id: String,
    pub validated_at: DateTime<Utc>,
}

/// Why and when a draft was voided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Voiding {
    pub reason: String,
    pub voided_at: DateTime<Utc>,
}

/// Why and when the issued invoice was cancelled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cancellation {
    pub reason: String,
    pub cancelled_at: DateTime<Utc>,
}
