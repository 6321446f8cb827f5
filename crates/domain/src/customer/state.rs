//! What we know about a customer: the fold of its events.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::Actor;
use crate::ids::{ContactId, CustomerId, InteractionId, OpportunityId};
use crate::money::Money;
use crate::values::{Address, Email, Identification, MsicCode, Name, Phone, SstRegistration, Tin};

/// A customer's record, as the API returns it and a snapshot stores it.
///
/// `NotRegistered` is the state of a stream with no events (the `Default`), so that every
/// command but `Register` has a state to be refused in.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Customer {
    #[default]
    NotRegistered,
    Registered(Box<RegisteredCustomer>),
}

impl Customer {
    /// The customer's record, if it has been registered.
    pub fn registered(&self) -> Option<&RegisteredCustomer> {
        match self {
            Self::NotRegistered => None,
            Self::Registered(customer) => Some(customer),
        }
    }
}

/// A registered customer with its contacts, interactions and pipeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegisteredCustomer {
    pub id: CustomerId,
    pub kind: CustomerKind,
    pub details: CustomerDetails,
    /// In the order they were added.
    pub contacts: Vec<Contact>,
    /// Every interaction ever recorded, in the order recorded (not by `occurred_at`).
    pub interactions: Vec<Interaction>,
    /// Every opportunity, open or closed, in the order opened.
    pub opportunities: Vec<Opportunity>,
}

impl RegisteredCustomer {
    pub fn contact(&self, id: ContactId) -> Option<&Contact> {
        self.contacts.iter().find(|c| c.id == id)
    }

    pub fn interaction(&self, id: InteractionId) -> Option<&Interaction> {
        self.interactions.iter().find(|i| i.id == id)
    }

    pub fn opportunity(&self, id: OpportunityId) -> Option<&Opportunity> {
        self.opportunities.iter().find(|o| o.id == id)
    }
}

/// Whether the customer (or a supplier: any party) is a company (or other body) or a
/// person. It decides which TIN and which identification LHDN expects of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomerKind {
    Company,
    Individual,
}

impl std::fmt::Display for CustomerKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Company => "company",
            Self::Individual => "individual",
        })
    }
}

/// The customer's party details: what goes on an e-invoice as the buyer. A supplier has
/// the same details (the seller of a self-billed e-invoice), so the Supplier aggregate
/// uses this type too.
///
/// Its fields are flattened into the payloads of `CustomerRegistered` and
/// `CustomerDetailsAmended`, so they are stored forever: never rename one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerDetails {
    pub name: Name,
    pub tin: Tin,
    pub identification: Identification,
    pub sst: Option<SstRegistration>,
    pub msic: Option<MsicCode>,
    pub address: Address,
    pub email: Email,
    pub phone: Phone,
}

/// A person to talk to at the customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub id: ContactId,
    pub name: Name,
    pub role: Option<String>,
    pub email: Option<Email>,
    pub phone: Option<Phone>,
}

/// How we were in touch with the customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InteractionKind {
    Note,
    Call,
    Visit,
    #[serde(rename = "whatsapp")]
    WhatsApp,
    Email,
}

/// A note or a contact with the customer, and who wrote it down.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interaction {
    pub id: InteractionId,
    pub kind: InteractionKind,
    pub occurred_at: DateTime<Utc>,
    pub summary: String,
    pub author: Actor,
    pub recorded_at: DateTime<Utc>,
}

/// Where a lead came from, for the pipeline report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OpportunitySource {
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

/// The stages of an open opportunity. Winning and losing are not stages but closings, so a
/// closed opportunity still tells at which stage it was won or lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OpenStage {
    Lead,
    Qualified,
    Proposal,
}

impl std::fmt::Display for OpenStage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Lead => "lead",
            Self::Qualified => "qualified",
            Self::Proposal => "proposal",
        })
    }
}

/// A possible sale in the customer's pipeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Opportunity {
    pub id: OpportunityId,
    pub title: String,
    pub expected_value: Money,
    pub expected_close: NaiveDate,
    pub source: OpportunitySource,
    pub opened_on: NaiveDate,
    /// The current stage while open; the last stage once closed.
    pub stage: OpenStage,
    /// Set once, when the opportunity is won or lost; it never reopens.
    pub closed: Option<Closing>,
}

impl Opportunity {
    pub fn is_open(&self) -> bool {
        self.closed.is_none()
    }
}

/// How and when an opportunity was closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closing {
    pub outcome: Outcome,
    /// The business day (Malaysian time) it was closed on.
    pub closed_on: NaiveDate,
}

/// Won, or lost and why (the reason feeds the lost-deal review).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    Won,
    Lost { reason: String },
}
