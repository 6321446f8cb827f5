//! A quotation as its events leave it: every revision kept as it was sent.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{QuotationNumber, RevisionNumber, ValidityDays};
use crate::billing::{Line, Totals};
use crate::ids::{CustomerId, InvoiceId, QuotationId};
use crate::money::Currency;
use crate::values::{Email, Name, Phone};

/// A quotation, as the API returns it and a snapshot stores it.
///
/// `NotDrafted` is the state of a stream with no events (the `Default`), so that every command
/// but `Draft` has a state to be refused in.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Quotation {
    #[default]
    NotDrafted,
    Drafted(Box<QuotationRecord>),
}

impl Quotation {
    /// The quotation, if it has been drafted.
    pub fn drafted(&self) -> Option<&QuotationRecord> {
        match self {
            Self::NotDrafted => None,
            Self::Drafted(quotation) => Some(quotation),
        }
    }
}

/// A drafted quotation with all its revisions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuotationRecord {
    pub id: QuotationId,
    /// Shared by every revision.
    pub number: QuotationNumber,
    pub customer_id: CustomerId,
    pub currency: Currency,
    /// Applied when the current revision is sent.
    pub validity: ValidityDays,
    /// Revisions before the current one, oldest first, each as it was left (superseded,
    /// rejected or expired), lines and totals as the customer saw them.
    pub earlier: Vec<Revision>,
    /// The revision being drafted or the last one made; the only one that can change.
    pub current: Revision,
    /// Set once: a quotation is accepted at most once, in one revision.
    pub acceptance: Option<Acceptance>,
    /// Set once: an accepted quotation becomes at most one invoice.
    pub conversion: Option<Conversion>,
    /// Every PDF issued of this document, in order. Defaulted so that snapshots taken
    /// before PDFs were issued still load (they had none).
    #[serde(default)]
    pub pdfs: Vec<crate::PdfIssued>,
}

impl QuotationRecord {
    /// Every revision, r1 first.
    pub fn revisions(&self) -> impl Iterator<Item = &Revision> {
        self.earlier.iter().chain(std::iter::once(&self.current))
    }

    pub fn revision(&self, number: RevisionNumber) -> Option<&Revision> {
        self.revisions().find(|r| r.number == number)
    }

    pub(super) fn revision_mut(&mut self, number: RevisionNumber) -> Option<&mut Revision> {
        self.earlier
            .iter_mut()
            .chain(std::iter::once(&mut self.current))
            .find(|r| r.number == number)
    }

    /// Where the quotation stands as a whole, for lists and filters.
    pub fn status(&self) -> QuotationStatus {
        if self.conversion.is_some() {
            return QuotationStatus::Converted;
        }
        match self.current.status {
            RevisionStatus::Draft => QuotationStatus::Draft,
            // The current revision is never superseded: only an earlier one is.
            RevisionStatus::Sent | RevisionStatus::Superseded => QuotationStatus::Sent,
            RevisionStatus::Accepted => QuotationStatus::Accepted,
            RevisionStatus::Rejected => QuotationStatus::Rejected,
            RevisionStatus::Expired => QuotationStatus::Expired,
        }
    }
}

/// One revision: its lines and totals, and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    pub number: RevisionNumber,
    pub status: RevisionStatus,
    /// Priced lines: each records the SST rule it was priced under.
    pub lines: Vec<Line>,
    pub totals: Totals,
    /// The business day whose SST rules priced the lines; the day it was sent, once sent.
    pub priced_on: NaiveDate,
    pub sent: Option<Sending>,
    pub rejection: Option<Rejection>,
    /// The business day it was marked expired.
    pub expired_on: Option<NaiveDate>,
}

/// Where one revision stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RevisionStatus {
    /// Being written; lines may change.
    Draft,
    /// With the customer, open for acceptance until its last valid day.
    Sent,
    /// A sent revision replaced by a later one: kept as sent, no longer open.
    Superseded,
    Accepted,
    Rejected,
    Expired,
}

impl fmt::Display for RevisionStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Draft => "a draft",
            Self::Sent => "sent",
            Self::Superseded => "superseded",
            Self::Accepted => "accepted",
            Self::Rejected => "rejected",
            Self::Expired => "expired",
        })
    }
}

/// Where a quotation stands as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuotationStatus {
    Draft,
    Sent,
    Accepted,
    Rejected,
    Expired,
    Converted,
}

impl fmt::Display for QuotationStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Draft => "a draft",
            Self::Sent => "sent",
            Self::Accepted => "accepted",
            Self::Rejected => "rejected",
            Self::Expired => "expired",
            Self::Converted => "converted",
        })
    }
}

/// Who a revision was sent to, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipient {
    pub name: Name,
    pub channel: Channel,
}

/// Where a revision was sent: an e-mail address, or a phone number (WhatsApp).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Email(Email),
    Phone(Phone),
}

/// When and to whom a revision was sent, and until when it is open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sending {
    pub to: Recipient,
    pub sent_at: DateTime<Utc>,
    /// The business day it was sent (Malaysian time): the quotation's date.
    pub sent_on: NaiveDate,
    /// The last business day it may be accepted.
    pub valid_until: NaiveDate,
}

/// Why and when the customer turned a revision down.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    pub reason: String,
    pub rejected_at: DateTime<Utc>,
}

/// The customer's acceptance of one revision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acceptance {
    pub revision: RevisionNumber,
    /// The customer's person who accepted.
    pub accepted_by: Name,
    /// The customer's reference for the order, typically their PO number.
    pub customer_reference: Option<String>,
    pub accepted_at: DateTime<Utc>,
    pub accepted_on: NaiveDate,
}

/// The invoice an accepted quotation became.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conversion {
    pub invoice_id: InvoiceId,
    pub revision: RevisionNumber,
    pub converted_at: DateTime<Utc>,
}
