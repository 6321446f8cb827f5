//! What the quotation routes answer: the API's own shapes, mapped from domain state, so the
//! domain can change without changing the contract.

use chrono::{DateTime, NaiveDate, Utc};
use niaga_domain::quotation::{
    Acceptance, Conversion, QuotationRecord, QuotationStatus, Rejection, Revision, RevisionStatus,
    Sending,
};
use serde::Serialize;
use utoipa::ToSchema;

use super::body::RecipientBody;
use crate::{
    command::CommandAccepted,
    http::documents::{DocumentLink, document_links},
    http::lines::{LineView, TotalsView, line_views},
};

/// Where a quotation stands as a whole: the state of its current revision, or `converted`
/// once it became an invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum QuotationStatusView {
    Draft,
    Sent,
    Accepted,
    Rejected,
    Expired,
    Converted,
}

impl From<QuotationStatus> for QuotationStatusView {
    fn from(status: QuotationStatus) -> Self {
        match status {
            QuotationStatus::Draft => Self::Draft,
            QuotationStatus::Sent => Self::Sent,
            QuotationStatus::Accepted => Self::Accepted,
            QuotationStatus::Rejected => Self::Rejected,
            QuotationStatus::Expired => Self::Expired,
            QuotationStatus::Converted => Self::Converted,
        }
    }
}

/// Where one revision stands.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RevisionStatusView {
    /// Being written; lines may change.
    Draft,
    /// With the customer, open for acceptance until `valid_until`.
    Sent,
    /// Replaced by a later revision: kept as sent, no longer open.
    Superseded,
    Accepted,
    Rejected,
    Expired,
}

impl From<RevisionStatus> for RevisionStatusView {
    fn from(status: RevisionStatus) -> Self {
        match status {
            RevisionStatus::Draft => Self::Draft,
            RevisionStatus::Sent => Self::Sent,
            RevisionStatus::Superseded => Self::Superseded,
            RevisionStatus::Accepted => Self::Accepted,
            RevisionStatus::Rejected => Self::Rejected,
            RevisionStatus::Expired => Self::Expired,
        }
    }
}

/// When and to whom a revision was sent, and until when it is open.
#[derive(Debug, Serialize, ToSchema)]
pub struct SendingView {
    pub to: RecipientBody,
    pub sent_at: DateTime<Utc>,
    /// The business day it was sent (Malaysian time): the quotation's date.
    pub sent_on: NaiveDate,
    /// The last business day it may be accepted.
    pub valid_until: NaiveDate,
}

impl From<&Sending> for SendingView {
    fn from(s: &Sending) -> Self {
        Self {
            to: (&s.to).into(),
            sent_at: s.sent_at,
            sent_on: s.sent_on,
            valid_until: s.valid_until,
        }
    }
}

/// Why and when the customer turned a revision down.
#[derive(Debug, Serialize, ToSchema)]
pub struct RejectionView {
    pub reason: String,
    pub rejected_at: DateTime<Utc>,
}

impl From<&Rejection> for RejectionView {
    fn from(r: &Rejection) -> Self {
        Self {
            reason: r.reason.clone(),
            rejected_at: r.rejected_at,
        }
    }
}

/// One revision, with its lines and totals as priced (as sent, once sent).
#[derive(Debug, Serialize, ToSchema)]
pub struct RevisionView {
    /// 1 for r1, 2 for r2…
    #[schema(example = 2)]
    pub revision: u32,
    /// As printed on the document.
    #[schema(example = "QUO-2026-0042 r2")]
    pub number: String,
    pub status: RevisionStatusView,
    pub lines: Vec<LineView>,
    pub totals: TotalsView,
    /// The business day whose SST rules priced the lines; the day it was sent, once sent.
    pub priced_on: NaiveDate,
    pub sent: Option<SendingView>,
    pub rejection: Option<RejectionView>,
    /// The business day it was marked expired.
    pub expired_on: Option<NaiveDate>,
}

/// The customer's acceptance of one revision.
#[derive(Debug, Serialize, ToSchema)]
pub struct AcceptanceView {
    pub revision: u32,
    #[schema(example = "QUO-2026-0042 r2")]
    pub number: String,
    pub accepted_by: String,
    /// Their reference, typically the PO number.
    pub customer_reference: Option<String>,
    pub accepted_at: DateTime<Utc>,
    pub accepted_on: NaiveDate,
}

/// The invoice an accepted quotation became.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConversionView {
    pub invoice_id: String,
    pub revision: u32,
    pub converted_at: DateTime<Utc>,
}

impl From<&Conversion> for ConversionView {
    fn from(c: &Conversion) -> Self {
        Self {
            invoice_id: c.invoice_id.to_string(),
            revision: c.revision.get(),
            converted_at: c.converted_at,
        }
    }
}

/// A quotation with every revision, r1 first.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuotationView {
    pub id: String,
    /// The stream version: send it back in `If-Match` to change exactly this version.
    pub version: u64,
    #[schema(example = "QUO-2026-0042")]
    pub number: String,
    pub customer_id: String,
    #[schema(example = "MYR")]
    pub currency: String,
    pub status: QuotationStatusView,
    /// How long the current revision stays open once sent.
    pub validity_days: u16,
    /// The revision being drafted or the last one made: the only one that can change.
    pub current_revision: u32,
    pub revisions: Vec<RevisionView>,
    pub acceptance: Option<AcceptanceView>,
    pub conversion: Option<ConversionView>,
    /// The PDFs issued of it, oldest first (`GET` each `href`).
    pub documents: Vec<DocumentLink>,
}

impl QuotationView {
    pub fn new(q: &QuotationRecord, version: u64) -> Self {
        let revision = |r: &Revision| RevisionView {
            revision: r.number.get(),
            number: q.number.with_revision(r.number),
            status: r.status.into(),
            lines: line_views(&r.lines),
            totals: (&r.totals).into(),
            priced_on: r.priced_on,
            sent: r.sent.as_ref().map(SendingView::from),
            rejection: r.rejection.as_ref().map(RejectionView::from),
            expired_on: r.expired_on,
        };
        let acceptance = |a: &Acceptance| AcceptanceView {
            revision: a.revision.get(),
            number: q.number.with_revision(a.revision),
            accepted_by: a.accepted_by.as_str().to_owned(),
            customer_reference: a.customer_reference.clone(),
            accepted_at: a.accepted_at,
            accepted_on: a.accepted_on,
        };
        Self {
            id: q.id.to_string(),
            version,
            number: q.number.as_str().to_owned(),
            customer_id: q.customer_id.to_string(),
            currency: q.currency.to_string(),
            status: q.status().into(),
            validity_days: q.validity.days(),
            current_revision: q.current.number.get(),
            revisions: q.revisions().map(revision).collect(),
            acceptance: q.acceptance.as_ref().map(acceptance),
            conversion: q.conversion.as_ref().map(ConversionView::from),
            documents: document_links(&q.pdfs),
        }
    }
}

/// What drafting or revising answers: the command's result and the revision it made.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0190f5c2-6a4e-7c31-9b8e-2f1d3c4b5a69", "version": 4, "position": 42,
    "number": "QUO-2026-0042", "revision": 2, "revision_number": "QUO-2026-0042 r2"
}))]
pub struct RevisionMade {
    #[serde(flatten)]
    pub accepted: CommandAccepted,
    /// The quotation's number, shared by every revision.
    pub number: String,
    pub revision: u32,
    /// The revision as printed.
    pub revision_number: String,
}
