//! Request bodies of the quotation routes, and how each becomes a command. Every field is
//! checked and every invalid one reported at once, with a JSON pointer to it.

use niaga_domain::{
    Currency,
    ids::{CustomerId, QuotationId},
    quotation::{
        AcceptQuotation, AmendDraftLines, ChangeValidity, Channel, DraftQuotation, QuotationNumber,
        Recipient, RejectQuotation, ReviseQuotation, RevisionNumber, SendQuotation, ValidityDays,
    },
    values::{Email, Name, Phone},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{
    error::Result,
    http::lines::{LineBody, line_inputs},
    validate::Validator,
};

/// How long a sent quotation stays open unless it says otherwise: the company's policy.
pub const DEFAULT_VALIDITY_DAYS: u16 = 30;

/// A new quotation, drafted as revision r1. Its number (`QUO-<year>-<serial>`) is taken from
/// the year's series when it is drafted.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "customer_id": "0197a000-0000-7000-8000-000000000001",
    "currency": "MYR",
    "lines": [{
        "item_code": "CAL-M1-20KG",
        "description": "Calibration of 20 kg test weight, class M1",
        "quantity": "2",
        "unit": "C62",
        "unit_price": { "amount": "350.00", "currency": "MYR" },
        "tax": { "kind": "service" }
    }],
    "validity_days": 14
}))]
pub struct DraftBody {
    /// A registered customer.
    pub customer_id: Uuid,
    /// ISO 4217; every price is in it. `MYR` when absent.
    #[serde(default)]
    #[schema(example = "MYR")]
    pub currency: Option<String>,
    /// May be empty while drafting; a quotation is sent with at least one line.
    #[serde(default)]
    pub lines: Vec<LineBody>,
    /// 1 to 365 days from sending; 30 when absent.
    #[serde(default)]
    #[schema(example = 30)]
    pub validity_days: Option<u16>,
}

impl DraftBody {
    /// The draft command for quotation `id`, once it has its number: the body is checked
    /// before a number is taken, and the number is taken as the events are appended. The
    /// customer's existence is checked by the route, which has the store.
    pub fn draft(
        &self,
        id: QuotationId,
    ) -> Result<impl Fn(QuotationNumber) -> DraftQuotation + Send + Sync + use<>> {
        let mut v = Validator::new();
        let currency = match self.currency.as_deref() {
            None => Some(Currency::MYR),
            Some(code) => v.check("/currency", Currency::parse(code)),
        };
        let lines = line_inputs(&mut v, "/lines", &self.lines);
        let validity =
            v.check_optional("/validity_days", self.validity_days.map(ValidityDays::new));
        let default_validity = ValidityDays::new(DEFAULT_VALIDITY_DAYS);
        let customer_id = CustomerId::from_uuid(self.customer_id);
        let (currency, lines, validity, default_validity) =
            v.build(|| Some((currency?, lines?, validity?, default_validity.ok()?)))?;
        Ok(move |number| DraftQuotation {
            id,
            number,
            customer_id,
            currency,
            lines: lines.clone(),
            default_validity,
            validity,
        })
    }
}

/// All the lines of the draft revision: the form saved whole.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "lines": [{
    "description": "Stainless steel test weight 1 kg, class F1",
    "quantity": "1",
    "unit": "H87",
    "unit_price": { "amount": "120.00", "currency": "MYR" },
    "tax": { "kind": "goods_resale" }
}] }))]
pub struct LinesBody {
    pub lines: Vec<LineBody>,
}

impl LinesBody {
    pub fn amend(&self) -> Result<AmendDraftLines> {
        let mut v = Validator::new();
        let lines = line_inputs(&mut v, "/lines", &self.lines);
        v.build(|| Some(AmendDraftLines { lines: lines? }))
    }
}

/// How long the quotation stays open once sent.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "validity_days": 14 }))]
pub struct ValidityBody {
    /// 1 to 365 days.
    pub validity_days: u16,
}

impl ValidityBody {
    pub fn change(&self) -> Result<ChangeValidity> {
        let mut v = Validator::new();
        let validity = v.check("/validity_days", ValidityDays::new(self.validity_days));
        v.build(|| {
            Some(ChangeValidity {
                validity: validity?,
            })
        })
    }
}

/// Who a revision goes to: a name and exactly one of an e-mail address or a phone number
/// (WhatsApp).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "name": "Siti Aminah", "email": "siti@acme.com.my" }))]
pub struct RecipientBody {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

impl From<&Recipient> for RecipientBody {
    fn from(recipient: &Recipient) -> Self {
        let (email, phone) = match &recipient.channel {
            Channel::Email(email) => (Some(email.as_str().to_owned()), None),
            Channel::Phone(phone) => (None, Some(phone.as_str().to_owned())),
        };
        Self {
            name: recipient.name.as_str().to_owned(),
            email,
            phone,
        }
    }
}

/// Sends the current draft revision.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "to": { "name": "Siti Aminah", "email": "siti@acme.com.my" } }))]
pub struct SendBody {
    pub to: RecipientBody,
}

impl SendBody {
    pub fn send(&self) -> Result<SendQuotation> {
        let mut v = Validator::new();
        let name = v.check("/to/name", Name::parse(&self.to.name));
        let channel = match (&self.to.email, &self.to.phone) {
            (Some(email), None) => v
                .check("/to/email", Email::parse(email))
                .map(Channel::Email),
            (None, Some(phone)) => v
                .check("/to/phone", Phone::parse(phone))
                .map(Channel::Phone),
            (Some(_), Some(_)) | (None, None) => {
                v.error("/to", "give either an e-mail address or a phone number");
                None
            }
        };
        v.build(|| {
            Some(SendQuotation {
                to: Recipient {
                    name: name?,
                    channel: channel?,
                },
            })
        })
    }
}

/// A new revision, with new lines or (when absent) the current ones priced again.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({}))]
pub struct ReviseBody {
    #[serde(default)]
    pub lines: Option<Vec<LineBody>>,
}

impl ReviseBody {
    pub fn revise(&self) -> Result<ReviseQuotation> {
        let mut v = Validator::new();
        let lines = match &self.lines {
            None => Some(None),
            Some(lines) => line_inputs(&mut v, "/lines", lines).map(Some),
        };
        v.build(|| Some(ReviseQuotation { lines: lines? }))
    }
}

/// The customer's acceptance of one revision, as on the copy they signed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "revision": 2, "accepted_by": "Tan Mei Ling", "customer_reference": "PO-88123" }))]
pub struct AcceptBody {
    /// The revision accepted (2 for `r2`): it must be the current one, sent and still valid.
    pub revision: u32,
    /// The customer's person who accepted.
    pub accepted_by: String,
    /// Their reference or PO number (one line, at most 100 characters).
    #[serde(default)]
    pub customer_reference: Option<String>,
}

impl AcceptBody {
    pub fn accept(&self) -> Result<AcceptQuotation> {
        let mut v = Validator::new();
        let revision = RevisionNumber::new(self.revision);
        if revision.is_none() {
            v.error("/revision", "revisions are numbered from 1");
        }
        let accepted_by = v.check("/accepted_by", Name::parse(&self.accepted_by));
        v.build(|| {
            Some(AcceptQuotation {
                revision: revision?,
                accepted_by: accepted_by?,
                customer_reference: self.customer_reference.clone(),
            })
        })
    }
}

/// Why the customer turned the quotation down.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "reason": "Went with a cheaper lab" }))]
pub struct RejectBody {
    /// Required, at most 1000 characters: lost quotations are reviewed by why.
    pub reason: String,
}

impl RejectBody {
    pub fn reject(&self) -> RejectQuotation {
        RejectQuotation {
            reason: self.reason.clone(),
        }
    }
}
