//! Request bodies of the customer routes, and how each becomes a command. Every field is
//! checked and every invalid one reported at once, with a JSON pointer to it.

use chrono::{DateTime, NaiveDate, Utc};
use niaga_domain::{
    customer::{
        AddContact, AmendCustomerDetails, CustomerDetails, CustomerKind, InteractionKind,
        LoseOpportunity, MoveOpportunity, OpenOpportunity, OpenStage, OpportunitySource,
        RecordInteraction, RegisterCustomer,
    },
    ids::{ContactId, CustomerId, InteractionId, OpportunityId},
    values::{
        Address, CountryCode, Email, Identification, MsicCode, Name, Phone, Postcode,
        SstRegistration, StateCode, Tin,
    },
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

pub use crate::http::money::MoneyBody;
use crate::{error::Result, validate::Validator};

/// Company or individual: decides which TIN and identification are acceptable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Company,
    Individual,
}

impl From<Kind> for CustomerKind {
    fn from(kind: Kind) -> Self {
        match kind {
            Kind::Company => Self::Company,
            Kind::Individual => Self::Individual,
        }
    }
}

/// How the customer is identified besides the TIN.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentificationBody {
    /// `BRN` (companies: the 12-digit SSM number), `NRIC`, `PASSPORT` or `ARMY`.
    #[schema(example = "BRN")]
    pub scheme: String,
    #[schema(example = "201901234567")]
    pub value: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressBody {
    /// One to three lines, the first required.
    #[schema(example = json!(["Lot 5, Jalan Utas 15/7", "Seksyen 15"]))]
    pub lines: Vec<String>,
    #[schema(example = "Shah Alam")]
    pub city: String,
    /// Five digits in Malaysia.
    #[schema(example = "40200")]
    pub postcode: String,
    /// LHDN state code (`10` Selangor, `14` Kuala Lumpur…); `17` for addresses abroad.
    #[schema(example = "10")]
    pub state: String,
    /// ISO 3166-1 alpha-3; Malaysia (`MYS`) when omitted.
    #[schema(example = "MYS")]
    pub country: Option<String>,
}

/// A customer's details: registering takes them all, amending replaces them all.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "kind": "company",
    "name": "Acme Timbang Sdn. Bhd.",
    "tin": "C25845632020",
    "identification": { "scheme": "BRN", "value": "201901234567" },
    "sst": "W10-1808-32000001",
    "msic": "46599",
    "address": { "lines": ["Lot 5, Jalan Utas 15/7"], "city": "Shah Alam", "postcode": "40200", "state": "10" },
    "email": "purchasing@acme.com.my",
    "phone": "+60355101234"
}))]
pub struct CustomerDetailsBody {
    pub kind: Kind,
    /// The registered name, as on the SSM certificate or identity card.
    pub name: String,
    /// LHDN taxpayer identification number (`C…0` companies, `IG…` individuals).
    pub tin: String,
    pub identification: IdentificationBody,
    /// SST registration number, if registered (up to two, separated by `;`).
    pub sst: Option<String>,
    /// Five-digit MSIC business activity code.
    pub msic: Option<String>,
    pub address: AddressBody,
    pub email: String,
    pub phone: String,
}

fn address(v: &mut Validator, body: &AddressBody) -> Option<Address> {
    address_at(v, "/address", body)
}

/// The address in `body`, its problems reported under `at` (`/address`, `/delivery_address`).
pub(crate) fn address_at(v: &mut Validator, at: &str, body: &AddressBody) -> Option<Address> {
    let country = match body.country.as_deref() {
        None => Some(CountryCode::malaysia()),
        Some(code) => v.check(format!("{at}/country"), CountryCode::parse(code)),
    };
    let postcode = match &country {
        Some(country) => v.check(
            format!("{at}/postcode"),
            Postcode::parse_for(country, &body.postcode),
        ),
        None => v.check(format!("{at}/postcode"), Postcode::parse(&body.postcode)),
    };
    let state = v.check(format!("{at}/state"), StateCode::parse(&body.state));
    let (country, postcode, state) = (country?, postcode?, state?);
    v.check(
        at,
        Address::new(
            body.lines.clone(),
            body.city.clone(),
            postcode,
            state,
            country,
        ),
    )
}

impl CustomerDetailsBody {
    /// The checked details, ready for either command.
    pub fn details(&self) -> Result<(CustomerKind, CustomerDetails)> {
        let mut v = Validator::new();
        let name = v.check("/name", Name::parse(&self.name));
        let tin = v.check("/tin", Tin::parse(&self.tin));
        let identification = v.check(
            "/identification",
            Identification::parse(&self.identification.scheme, &self.identification.value),
        );
        let sst = v.check_optional("/sst", self.sst.as_deref().map(SstRegistration::parse));
        let msic = v.check_optional("/msic", self.msic.as_deref().map(MsicCode::parse));
        let address = address(&mut v, &self.address);
        let email = v.check("/email", Email::parse(&self.email));
        let phone = v.check("/phone", Phone::parse(&self.phone));
        v.build(|| {
            let details = CustomerDetails {
                name: name?,
                tin: tin?,
                identification: identification?,
                sst: sst?,
                msic: msic?,
                address: address?,
                email: email?,
                phone: phone?,
            };
            Some((self.kind.into(), details))
        })
    }

    pub fn register(&self, id: CustomerId) -> Result<RegisterCustomer> {
        let (kind, details) = self.details()?;
        Ok(RegisterCustomer { id, kind, details })
    }

    pub fn amend(&self) -> Result<AmendCustomerDetails> {
        let (kind, details) = self.details()?;
        Ok(AmendCustomerDetails { kind, details })
    }
}

/// A contact person at the customer.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "name": "Siti Aminah", "role": "QA manager", "email": "siti@acme.com.my", "phone": "+60123456789" }))]
pub struct ContactBody {
    /// Chosen by the client (a UUID) to make retries without an `Idempotency-Key` safe; a
    /// new id is made when absent.
    #[serde(default)]
    pub id: Option<Uuid>,
    pub name: String,
    pub role: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

impl ContactBody {
    pub fn add(&self, contact_id: ContactId) -> Result<AddContact> {
        let mut v = Validator::new();
        let name = v.check("/name", Name::parse(&self.name));
        let email = v.check_optional("/email", self.email.as_deref().map(Email::parse));
        let phone = v.check_optional("/phone", self.phone.as_deref().map(Phone::parse));
        v.build(|| {
            Some(AddContact {
                contact_id,
                name: name?,
                role: self.role.clone(),
                email: email?,
                phone: phone?,
            })
        })
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InteractionKindBody {
    Note,
    Call,
    Visit,
    #[serde(rename = "whatsapp")]
    WhatsApp,
    Email,
}

impl From<InteractionKindBody> for InteractionKind {
    fn from(kind: InteractionKindBody) -> Self {
        match kind {
            InteractionKindBody::Note => Self::Note,
            InteractionKindBody::Call => Self::Call,
            InteractionKindBody::Visit => Self::Visit,
            InteractionKindBody::WhatsApp => Self::WhatsApp,
            InteractionKindBody::Email => Self::Email,
        }
    }
}

/// A note, call, visit, WhatsApp or e-mail with the customer. The author is the caller.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "kind": "call", "occurred_at": "2026-06-01T02:30:00Z", "summary": "Asked for a quote for 20 kg F1 weights." }))]
pub struct InteractionBody {
    /// Chosen by the client (a UUID) to make retries without an `Idempotency-Key` safe; a
    /// new id is made when absent.
    #[serde(default)]
    pub id: Option<Uuid>,
    pub kind: InteractionKindBody,
    /// When it happened (RFC 3339); may be in the past, not in the future.
    pub occurred_at: DateTime<Utc>,
    pub summary: String,
}

impl InteractionBody {
    pub fn record(&self, interaction_id: InteractionId) -> RecordInteraction {
        RecordInteraction {
            interaction_id,
            kind: self.kind.into(),
            occurred_at: self.occurred_at,
            summary: self.summary.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SourceBody {
    Referral,
    Website,
    WalkIn,
    Phone,
    #[serde(rename = "whatsapp")]
    WhatsApp,
    Tender,
    Existing,
    Other,
}

impl From<SourceBody> for OpportunitySource {
    fn from(source: SourceBody) -> Self {
        match source {
            SourceBody::Referral => Self::Referral,
            SourceBody::Website => Self::Website,
            SourceBody::WalkIn => Self::WalkIn,
            SourceBody::Phone => Self::Phone,
            SourceBody::WhatsApp => Self::WhatsApp,
            SourceBody::Tender => Self::Tender,
            SourceBody::Existing => Self::Existing,
            SourceBody::Other => Self::Other,
        }
    }
}

/// A sales opportunity; it starts as a lead.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "title": "Calibration of 20 kg weights", "expected_value": { "amount": "12500.00", "currency": "MYR" }, "expected_close": "2026-07-31", "source": "referral" }))]
pub struct OpportunityBody {
    /// Chosen by the client (a UUID) to make retries without an `Idempotency-Key` safe; a
    /// new id is made when absent.
    #[serde(default)]
    pub id: Option<Uuid>,
    pub title: String,
    pub expected_value: MoneyBody,
    pub expected_close: NaiveDate,
    pub source: SourceBody,
}

impl OpportunityBody {
    pub fn open(&self, opportunity_id: OpportunityId) -> Result<OpenOpportunity> {
        let mut v = Validator::new();
        let value = v.check("/expected_value", self.expected_value.parse());
        v.build(|| {
            Some(OpenOpportunity {
                opportunity_id,
                title: self.title.clone(),
                expected_value: value?,
                expected_close: self.expected_close,
                source: self.source.into(),
            })
        })
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StageBody {
    Lead,
    Qualified,
    Proposal,
}

/// Moves an open opportunity to another open stage.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "stage": "qualified" }))]
pub struct MoveBody {
    pub stage: StageBody,
}

impl MoveBody {
    pub fn command(&self, opportunity_id: OpportunityId) -> MoveOpportunity {
        MoveOpportunity {
            opportunity_id,
            to: match self.stage {
                StageBody::Lead => OpenStage::Lead,
                StageBody::Qualified => OpenStage::Qualified,
                StageBody::Proposal => OpenStage::Proposal,
            },
        }
    }
}

/// Why the opportunity was lost.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "reason": "Chose a cheaper lab" }))]
pub struct LoseBody {
    pub reason: String,
}

impl LoseBody {
    pub fn command(&self, opportunity_id: OpportunityId) -> LoseOpportunity {
        LoseOpportunity {
            opportunity_id,
            reason: self.reason.clone(),
        }
    }
}
