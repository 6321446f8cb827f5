//! What the invoice routes answer: the API's own shapes, mapped from domain state, so the
//! domain can change without changing the contract.

use chrono::{DateTime, NaiveDate, Utc};
use niaga_domain::invoice::{InvoiceRecord, Note, Payment};
use serde::Serialize;
use utoipa::ToSchema;

use crate::http::{
    documents::{DocumentLink, document_links},
    lines::{LineView, TotalsView, line_views},
    money::MoneyBody,
};

/// An invoice as it is now: the draft or the issued document, its account, payments and notes.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvoiceView {
    pub id: String,
    /// The stream version: send it back in `If-Match` to change exactly this version.
    pub version: u64,
    /// `INV-2026-000123` once issued; absent on a draft.
    pub number: Option<String>,
    /// `draft`, `issued`, `partly_paid`, `paid`, `credited`, `refund_due`, `voided` or
    /// `cancelled`.
    #[schema(example = "partly_paid")]
    pub status: String,
    pub customer_id: String,
    pub currency: String,
    pub payment_terms_days: u16,
    pub customer_reference: Option<String>,
    /// The accepted quotation it was made from.
    pub quotation: Option<QuotationSourceView>,
    pub lines: Vec<LineView>,
    pub totals: TotalsView,
    /// The day whose SST rules priced the lines: the issue day once issued.
    pub priced_on: NaiveDate,
    pub issued_at: Option<DateTime<Utc>>,
    pub issued_on: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    /// Ringgit per unit of `currency` the invoice was issued at (a decimal string), for an
    /// invoice not in ringgit; absent on a draft and on an invoice in ringgit.
    #[schema(example = "4.7215")]
    pub exchange_rate: Option<String>,
    pub account: AccountView,
    pub payments: Vec<PaymentView>,
    pub notes: Vec<NoteView>,
    pub lhdn: Option<LhdnView>,
    /// `individual`: the invoice goes to LHDN on its own; `consolidated`: the buyer wanted
    /// no e-invoice and the sale goes in the month's consolidated e-invoice.
    #[schema(example = "individual")]
    pub einvoice: String,
    /// The month (`2026-11`) whose consolidated e-invoice took the sale in, once it did.
    pub consolidated_in: Option<String>,
    pub voided: Option<ClosingView>,
    pub cancelled: Option<ClosingView>,
    /// The PDFs issued of it, oldest first (`GET` each `href`).
    pub documents: Vec<DocumentLink>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QuotationSourceView {
    pub quotation_id: String,
    /// As printed: `QUO-2026-0042 r2`.
    #[schema(example = "QUO-2026-0042 r2")]
    pub number: String,
    pub revision: u32,
}

/// The invoice's running account: `outstanding = charged − settled`.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountView {
    /// Payable + debit notes − credit notes.
    pub charged: MoneyBody,
    /// Payments − refund notes.
    pub settled: MoneyBody,
    /// What the customer still owes; negative when the company owes a refund.
    pub outstanding: MoneyBody,
    /// The most a credit note may take off.
    pub creditable: MoneyBody,
    /// The most a refund note may give back.
    pub refundable: MoneyBody,
    /// The most a payment may be.
    pub payable_now: MoneyBody,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentView {
    pub id: String,
    pub amount: MoneyBody,
    #[schema(example = "bank_transfer")]
    pub method: String,
    /// LHDN payment mode code, `01`–`08`.
    #[schema(example = "03")]
    pub method_code: String,
    pub reference: Option<String>,
    pub received_on: NaiveDate,
    pub recorded_at: DateTime<Utc>,
}

/// A credit, debit or refund note: a document of its own against this invoice.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoteView {
    pub id: String,
    /// `credit`, `debit` or `refund`.
    #[schema(example = "credit")]
    pub kind: String,
    #[schema(example = "CN-2026-000001")]
    pub number: String,
    /// LHDN document type: `02` credit, `03` debit, `04` refund note.
    #[schema(example = "02")]
    pub lhdn_type: String,
    pub reason: String,
    pub issued_at: DateTime<Utc>,
    pub issued_on: NaiveDate,
    /// The invoice's issue day, whose SST rules priced the note's lines.
    pub priced_on: NaiveDate,
    pub lines: Vec<LineView>,
    pub totals: TotalsView,
    /// The invoice's exchange rate, at which the note converts to ringgit too; absent for an
    /// invoice in ringgit.
    #[schema(example = "4.7215")]
    pub exchange_rate: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LhdnView {
    pub document_uuid: String,
    pub long_id: String,
    pub validated_at: DateTime<Utc>,
    /// The last moment the invoice may still be cancelled (72 hours after validation).
    pub cancellable_until: Option<DateTime<Utc>>,
}

/// Why and when a draft was voided or an issued invoice cancelled.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClosingView {
    pub reason: String,
    pub at: DateTime<Utc>,
}

fn text_of(value: impl Serialize) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

impl From<&Payment> for PaymentView {
    fn from(p: &Payment) -> Self {
        Self {
            id: p.id.to_string(),
            amount: p.amount.into(),
            method: text_of(p.method),
            method_code: p.method.code().to_owned(),
            reference: p.reference.clone(),
            received_on: p.received_on,
            recorded_at: p.recorded_at,
        }
    }
}

impl From<&Note> for NoteView {
    fn from(n: &Note) -> Self {
        Self {
            id: n.id.to_string(),
            kind: text_of(n.kind),
            number: n.number.to_string(),
            lhdn_type: n.kind.document_kind().lhdn_type_code().to_owned(),
            reason: n.reason.clone(),
            issued_at: n.issued_at,
            issued_on: n.issued_on,
            priced_on: n.priced_on,
            lines: line_views(&n.lines),
            totals: (&n.totals).into(),
            exchange_rate: n.exchange_rate.map(|rate| rate.to_string()),
        }
    }
}

impl InvoiceView {
    pub fn new(invoice: &InvoiceRecord, version: u64) -> Self {
        let issue = invoice.issue.as_ref();
        Self {
            id: invoice.id.to_string(),
            version,
            number: invoice.number().map(ToString::to_string),
            status: text_of(invoice.status()),
            customer_id: invoice.customer_id.to_string(),
            currency: invoice.currency.to_string(),
            payment_terms_days: invoice.payment_terms.days(),
            customer_reference: invoice.customer_reference.clone(),
            quotation: invoice.source.as_ref().map(|s| QuotationSourceView {
                quotation_id: s.quotation_id.to_string(),
                number: s.number.with_revision(s.revision),
                revision: s.revision.get(),
            }),
            lines: line_views(&invoice.lines),
            totals: (&invoice.totals).into(),
            priced_on: invoice.priced_on,
            issued_at: issue.map(|i| i.issued_at),
            issued_on: issue.map(|i| i.issued_on),
            due_on: issue.map(|i| i.due_on),
            exchange_rate: issue
                .and_then(|i| i.exchange_rate)
                .map(|rate| rate.to_string()),
            account: AccountView {
                charged: invoice.charged().into(),
                settled: invoice.settled().into(),
                outstanding: invoice.outstanding().into(),
                creditable: invoice.creditable().into(),
                refundable: invoice.refundable().into(),
                payable_now: invoice.payable_now().into(),
            },
            payments: invoice.payments.iter().map(PaymentView::from).collect(),
            notes: invoice.notes.iter().map(NoteView::from).collect(),
            lhdn: invoice.lhdn.as_ref().map(|l| LhdnView {
                document_uuid: l.document_uuid.clone(),
                long_id: l.long_id.clone(),
                validated_at: l.validated_at,
                cancellable_until: invoice.cancellable_until(),
            }),
            einvoice: text_of(invoice.einvoice_choice()),
            consolidated_in: invoice.consolidated_in.map(|m| m.to_string()),
            voided: invoice.voiding.as_ref().map(|v| ClosingView {
                reason: v.reason.clone(),
                at: v.voided_at,
            }),
            cancelled: invoice.cancellation.as_ref().map(|c| ClosingView {
                reason: c.reason.clone(),
                at: c.cancelled_at,
            }),
            documents: document_links(&invoice.pdfs),
        }
    }
}
