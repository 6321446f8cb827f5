//! Request bodies of the invoice routes, and how each becomes a command. Every field is
//! checked and every invalid one reported at once, with a JSON pointer to it.

use chrono::NaiveDate;
use niaga_domain::{
    Currency,
    ids::{CustomerId, InvoiceId, NoteId, PaymentId},
    invoice::{
        AmendDraft, CancelInvoice, DocumentNumber, DraftInvoice, EInvoiceChoice, IssueInvoice,
        IssueNote, PaymentMethod, PaymentTerms, RecordPayment, VoidInvoice,
    },
    values::ExchangeRate,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{
    error::Result,
    http::{
        lines::{LineBody, line_inputs},
        money::MoneyBody,
    },
    validate::Validator,
};

/// Payment terms when a draft does not say: 30 days, the common term in Malaysian trade.
pub const DEFAULT_PAYMENT_TERMS_DAYS: u16 = 30;

fn payment_terms(v: &mut Validator, days: Option<u16>) -> Option<PaymentTerms> {
    v.check(
        "/payment_terms_days",
        PaymentTerms::new(days.unwrap_or(DEFAULT_PAYMENT_TERMS_DAYS)),
    )
}

/// A draft invoice. Lines may be added later, but an invoice is issued with at least one.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "customer_id": "0190f5c2-6a4e-7c31-9b8e-2f1d3c4b5a69",
    "currency": "MYR",
    "payment_terms_days": 30,
    "customer_reference": "PO-88123",
    "lines": [{
        "item_code": "CAL-M1-20KG",
        "description": "Calibration of 20 kg test weight, class M1",
        "quantity": "2",
        "unit": "C62",
        "unit_price": { "amount": "350.00", "currency": "MYR" },
        "tax": { "kind": "service" }
    }]
}))]
pub struct DraftInvoiceBody {
    /// A registered customer.
    pub customer_id: Uuid,
    /// ISO 4217; ringgit (`MYR`) when absent. Every line's prices are in it.
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub lines: Vec<LineBody>,
    /// Days from the issue date to the due date, 0 to 365 (30 when absent).
    #[serde(default)]
    pub payment_terms_days: Option<u16>,
    /// The customer's PO or reference: one line, at most 100 characters.
    #[serde(default)]
    pub customer_reference: Option<String>,
}

impl DraftInvoiceBody {
    pub fn draft(&self, id: InvoiceId) -> Result<DraftInvoice> {
        let mut v = Validator::new();
        let currency = v.check(
            "/currency",
            Currency::parse(self.currency.as_deref().unwrap_or("MYR")),
        );
        let lines = line_inputs(&mut v, "/lines", &self.lines);
        let payment_terms = payment_terms(&mut v, self.payment_terms_days);
        v.build(|| {
            Some(DraftInvoice {
                id,
                customer_id: CustomerId::from_uuid(self.customer_id),
                currency: currency?,
                lines: lines?,
                payment_terms: payment_terms?,
                customer_reference: self.customer_reference.clone(),
                source: None,
            })
        })
    }
}

/// The draft saved whole: lines, terms and reference replace what was there.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AmendInvoiceBody {
    #[serde(default)]
    pub lines: Vec<LineBody>,
    #[serde(default)]
    pub payment_terms_days: Option<u16>,
    #[serde(default)]
    pub customer_reference: Option<String>,
}

impl AmendInvoiceBody {
    pub fn amend(&self) -> Result<AmendDraft> {
        let mut v = Validator::new();
        let lines = line_inputs(&mut v, "/lines", &self.lines);
        let payment_terms = payment_terms(&mut v, self.payment_terms_days);
        v.build(|| {
            Some(AmendDraft {
                lines: lines?,
                payment_terms: payment_terms?,
                customer_reference: self.customer_reference.clone(),
            })
        })
    }
}

/// Money received against an invoice.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "amount": { "amount": "500.00", "currency": "MYR" },
    "method": "bank_transfer",
    "reference": "MBB 889123",
    "received_on": "2026-06-01"
}))]
pub struct PaymentBody {
    /// Chosen by the client (a UUID) to make a retry without an `Idempotency-Key` safe; a new
    /// id is made when absent.
    #[serde(default)]
    pub id: Option<Uuid>,
    /// More than zero, in whole sen, at most what is outstanding.
    pub amount: MoneyBody,
    /// `cash`, `cheque`, `bank_transfer`, `credit_card`, `debit_card`, `e_wallet`,
    /// `digital_bank` or `others` (LHDN payment modes 01–08), or the LHDN code itself.
    #[schema(example = "bank_transfer")]
    pub method: String,
    /// The bank's or cheque's reference: one line, at most 100 characters.
    #[serde(default)]
    pub reference: Option<String>,
    /// The day the money arrived; today (Malaysian time) when absent, never in the future.
    #[serde(default)]
    pub received_on: Option<NaiveDate>,
}

fn payment_method(text: &str) -> Result<PaymentMethod, String> {
    let wanted = text.trim();
    PaymentMethod::from_code(wanted)
        .ok()
        .or_else(|| {
            PaymentMethod::ALL.into_iter().find(|method| {
                serde_json::to_value(method)
                    .ok()
                    .as_ref()
                    .and_then(|v| v.as_str())
                    == Some(wanted)
            })
        })
        .ok_or_else(|| {
            "is not a payment method: cash, cheque, bank_transfer, credit_card, debit_card, \
             e_wallet, digital_bank or others"
                .to_owned()
        })
}

impl PaymentBody {
    pub fn record(&self, today: NaiveDate) -> Result<RecordPayment> {
        let mut v = Validator::new();
        let amount = v.check("/amount", self.amount.parse());
        let method = v.check("/method", payment_method(&self.method));
        v.build(|| {
            Some(RecordPayment {
                payment_id: PaymentId::from_uuid(self.id.unwrap_or_else(Uuid::now_v7)),
                amount: amount?,
                method: method?,
                reference: self.reference.clone(),
                received_on: self.received_on.unwrap_or(today),
            })
        })
    }
}

/// A credit, debit or refund note against an issued invoice: its own lines and why.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "reason": "One weight returned uncalibrated",
    "lines": [{
        "description": "Calibration of 20 kg test weight, class M1 (not done)",
        "quantity": "1",
        "unit": "C62",
        "unit_price": { "amount": "350.00", "currency": "MYR" },
        "tax": { "kind": "service" }
    }]
}))]
pub struct NoteBody {
    /// Chosen by the client (a UUID) to make a retry safe; a new id is made when absent.
    #[serde(default)]
    pub id: Option<Uuid>,
    /// Required: one line, at most 300 characters, printed on the note and sent to LHDN.
    pub reason: String,
    pub lines: Vec<LineBody>,
}

/// A note's fields, checked; the number comes from the series when it is issued.
pub struct CheckedNote {
    pub note_id: NoteId,
    pub lines: Vec<niaga_domain::billing::LineInput>,
    pub reason: String,
}

impl CheckedNote {
    pub fn with_number(&self, number: DocumentNumber) -> IssueNote {
        IssueNote {
            note_id: self.note_id,
            number,
            lines: self.lines.clone(),
            reason: self.reason.clone(),
        }
    }
}

impl NoteBody {
    pub fn check(&self) -> Result<CheckedNote> {
        let mut v = Validator::new();
        let lines = line_inputs(&mut v, "/lines", &self.lines);
        v.build(|| {
            Some(CheckedNote {
                note_id: NoteId::from_uuid(self.id.unwrap_or_else(Uuid::now_v7)),
                lines: lines?,
                reason: self.reason.clone(),
            })
        })
    }
}

/// Why a draft is voided or an issued invoice cancelled: required, at most 300 characters.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "reason": "Issued to the wrong branch" }))]
pub struct ReasonBody {
    pub reason: String,
}

impl ReasonBody {
    pub fn void(&self) -> VoidInvoice {
        VoidInvoice {
            reason: self.reason.clone(),
        }
    }

    pub fn cancel(&self) -> CancelInvoice {
        CancelInvoice {
            reason: self.reason.clone(),
        }
    }
}

/// The payment terms of an invoice drafted from another document: an accepted quotation,
/// a rental's charges, its late fees.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "payment_terms_days": 30 }))]
pub struct TermsBody {
    /// Days from the issue date to the due date, 0 to 365 (30 when absent).
    #[serde(default)]
    pub payment_terms_days: Option<u16>,
}

impl TermsBody {
    pub fn payment_terms(&self) -> Result<PaymentTerms> {
        let mut v = Validator::new();
        let terms = payment_terms(&mut v, self.payment_terms_days);
        v.build(|| terms)
    }
}

/// Issuing a draft. The body may be left out for an invoice in ringgit: the buyer then gets
/// an e-invoice of their own. An invoice in another currency needs its exchange rate.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "einvoice": "individual", "exchange_rate": "4.7215" }))]
pub struct IssueInvoiceBody {
    /// Whether the buyer wants an e-invoice of their own (`individual`, the default), or
    /// wants none (`consolidated`): the sale then goes to LHDN in the month's consolidated
    /// e-invoice, and the buyer may still ask for one of their own within the month
    /// (`POST /invoices/{id}/individual-einvoice`). Only a sale in ringgit of at most
    /// RM10,000 payable may be consolidated (LHDN's single-transaction rule, from 2026).
    #[serde(default)]
    pub einvoice: EInvoiceChoiceBody,
    /// Ringgit per one unit of the invoice's currency on the issue day, as a decimal string
    /// (`"4.7215"` for US dollars): required for an invoice not in ringgit, refused for one in
    /// ringgit. At most 15 characters (LHDN's limit). LHDN gets it as `TaxExchangeRate` with
    /// the tax converted to ringgit, and every credit, debit or refund note against the
    /// invoice converts at the same rate.
    #[serde(default)]
    #[schema(example = "4.7215")]
    pub exchange_rate: Option<String>,
}

impl IssueInvoiceBody {
    /// The command, with the number the invoice series gives it.
    pub fn issue(&self) -> Result<impl Fn(DocumentNumber) -> IssueInvoice + use<>> {
        let mut v = Validator::new();
        let exchange_rate = v.check_optional(
            "/exchange_rate",
            self.exchange_rate.as_deref().map(ExchangeRate::parse),
        );
        let einvoice = self.einvoice.into();
        let exchange_rate = v.build(|| exchange_rate)?;
        Ok(move |number| IssueInvoice {
            number,
            einvoice,
            exchange_rate,
        })
    }
}

/// Whether the buyer wants an e-invoice of their own.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EInvoiceChoiceBody {
    #[default]
    Individual,
    Consolidated,
}

impl From<EInvoiceChoiceBody> for EInvoiceChoice {
    fn from(choice: EInvoiceChoiceBody) -> Self {
        match choice {
            EInvoiceChoiceBody::Individual => Self::Individual,
            EInvoiceChoiceBody::Consolidated => Self::Consolidated,
        }
    }
}
