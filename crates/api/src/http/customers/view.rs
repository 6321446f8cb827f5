//! What the customer routes answer: the API's own shapes, mapped from domain state, so the
//! domain can change without changing the contract.

use chrono::{DateTime, NaiveDate, Utc};
use niaga_domain::{
    customer::{
        Contact, CustomerDetails, CustomerKind, Interaction, InteractionKind, OpenStage,
        Opportunity, OpportunitySource, Outcome, RegisteredCustomer,
    },
    values::Address,
};
use serde::Serialize;
use utoipa::ToSchema;

use super::body::{
    AddressBody, CustomerDetailsBody, IdentificationBody, InteractionKindBody, Kind, MoneyBody,
    SourceBody, StageBody,
};

/// A customer as it is now, with contacts, interactions and opportunities.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerView {
    pub id: String,
    /// The stream version: send it back in `If-Match` to change exactly this version.
    pub version: u64,
    pub kind: Kind,
    pub name: String,
    pub tin: String,
    pub identification: IdentificationBody,
    pub sst: Option<String>,
    pub msic: Option<String>,
    pub address: AddressBody,
    pub email: String,
    pub phone: String,
    pub contacts: Vec<ContactView>,
    pub interactions: Vec<InteractionView>,
    pub opportunities: Vec<OpportunityView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContactView {
    pub id: String,
    pub name: String,
    pub role: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InteractionView {
    pub id: String,
    pub kind: InteractionKindBody,
    pub occurred_at: DateTime<Utc>,
    pub summary: String,
    /// Who recorded it (`user:<id>`).
    pub author: String,
    pub recorded_at: DateTime<Utc>,
}

/// Where an opportunity stands.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OpportunityStatus {
    Open,
    Won,
    Lost,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OpportunityView {
    pub id: String,
    pub title: String,
    pub expected_value: MoneyBody,
    pub expected_close: NaiveDate,
    pub source: SourceBody,
    pub opened_on: NaiveDate,
    /// The last open stage it reached.
    pub stage: StageBody,
    pub status: OpportunityStatus,
    pub closed_on: Option<NaiveDate>,
    pub lost_reason: Option<String>,
}

pub(crate) fn address(a: &Address) -> AddressBody {
    AddressBody {
        lines: a.lines().to_vec(),
        city: a.city().to_owned(),
        postcode: a.postcode().as_str().to_owned(),
        state: a.state().as_str().to_owned(),
        country: Some(a.country().as_str().to_owned()),
    }
}

fn kind(k: CustomerKind) -> Kind {
    match k {
        CustomerKind::Company => Kind::Company,
        CustomerKind::Individual => Kind::Individual,
    }
}

fn stage(s: OpenStage) -> StageBody {
    match s {
        OpenStage::Lead => StageBody::Lead,
        OpenStage::Qualified => StageBody::Qualified,
        OpenStage::Proposal => StageBody::Proposal,
    }
}

fn interaction_kind(k: InteractionKind) -> InteractionKindBody {
    match k {
        InteractionKind::Note => InteractionKindBody::Note,
        InteractionKind::Call => InteractionKindBody::Call,
        InteractionKind::Visit => InteractionKindBody::Visit,
        InteractionKind::WhatsApp => InteractionKindBody::WhatsApp,
        InteractionKind::Email => InteractionKindBody::Email,
    }
}

fn source(s: OpportunitySource) -> SourceBody {
    match s {
        OpportunitySource::Referral => SourceBody::Referral,
        OpportunitySource::Website => SourceBody::Website,
        OpportunitySource::WalkIn => SourceBody::WalkIn,
        OpportunitySource::Phone => SourceBody::Phone,
        OpportunitySource::WhatsApp => SourceBody::WhatsApp,
        OpportunitySource::Tender => SourceBody::Tender,
        OpportunitySource::Existing => SourceBody::Existing,
        OpportunitySource::Other => SourceBody::Other,
    }
}

impl From<&Contact> for ContactView {
    fn from(c: &Contact) -> Self {
        Self {
            id: c.id.to_string(),
            name: c.name.as_str().to_owned(),
            role: c.role.clone(),
            email: c.email.as_ref().map(|e| e.as_str().to_owned()),
            phone: c.phone.as_ref().map(|p| p.as_str().to_owned()),
        }
    }
}

impl From<&Interaction> for InteractionView {
    fn from(i: &Interaction) -> Self {
        Self {
            id: i.id.to_string(),
            kind: interaction_kind(i.kind),
            occurred_at: i.occurred_at,
            summary: i.summary.clone(),
            author: i.author.to_string(),
            recorded_at: i.recorded_at,
        }
    }
}

impl From<&Opportunity> for OpportunityView {
    fn from(o: &Opportunity) -> Self {
        let (status, lost_reason) = match o.closed.as_ref().map(|c| &c.outcome) {
            None => (OpportunityStatus::Open, None),
            Some(Outcome::Won) => (OpportunityStatus::Won, None),
            Some(Outcome::Lost { reason }) => (OpportunityStatus::Lost, Some(reason.clone())),
        };
        Self {
            id: o.id.to_string(),
            title: o.title.clone(),
            expected_value: o.expected_value.into(),
            expected_close: o.expected_close,
            source: source(o.source),
            opened_on: o.opened_on,
            stage: stage(o.stage),
            status,
            closed_on: o.closed.as_ref().map(|c| c.closed_on),
            lost_reason,
        }
    }
}

impl CustomerDetailsBody {
    /// A party's details in the shape they are written in (suppliers' details too).
    pub fn of(k: CustomerKind, d: &CustomerDetails) -> Self {
        Self {
            kind: kind(k),
            name: d.name.as_str().to_owned(),
            tin: d.tin.as_str().to_owned(),
            identification: IdentificationBody {
                scheme: d.identification.scheme().to_owned(),
                value: d.identification.value().to_owned(),
            },
            sst: d.sst.as_ref().map(|s| s.as_str().to_owned()),
            msic: d.msic.as_ref().map(|m| m.as_str().to_owned()),
            address: address(&d.address),
            email: d.email.as_str().to_owned(),
            phone: d.phone.as_str().to_owned(),
        }
    }
}

impl CustomerView {
    pub fn new(customer: &RegisteredCustomer, version: u64) -> Self {
        let d = CustomerDetailsBody::of(customer.kind, &customer.details);
        Self {
            id: customer.id.to_string(),
            version,
            kind: d.kind,
            name: d.name,
            tin: d.tin,
            identification: d.identification,
            sst: d.sst,
            msic: d.msic,
            address: d.address,
            email: d.email,
            phone: d.phone,
            contacts: customer.contacts.iter().map(ContactView::from).collect(),
            interactions: customer
                .interactions
                .iter()
                .map(InteractionView::from)
                .collect(),
            opportunities: customer
                .opportunities
                .iter()
                .map(OpportunityView::from)
                .collect(),
        }
    }
}
