//! What happened to a customer. Stored forever: never rename a variant or a field; change a
//! payload's shape only with a new schema version and an upcaster below.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{CustomerDetails, CustomerKind, InteractionKind, OpenStage, OpportunitySource};
use crate::ids::{ContactId, CustomerId, InteractionId, OpportunityId};
use crate::money::Money;
use crate::values::{Email, Name, Phone};
use crate::{Actor, DomainEvent, UpcastError};

/// An event of the Customer stream. The variant name is the stored event type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum CustomerEvent {
    CustomerRegistered(CustomerRegistered),
    CustomerDetailsAmended(CustomerDetailsAmended),
    ContactAdded(ContactAdded),
    ContactRemoved(ContactRemoved),
    InteractionRecorded(InteractionRecorded),
    OpportunityOpened(OpportunityOpened),
    OpportunityStageChanged(OpportunityStageChanged),
    OpportunityWon(OpportunityWon),
    OpportunityLost(OpportunityLost),
}

/// Schema version 2. Version 1 had no `kind`: every customer then was a company.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerRegistered {
    pub customer_id: CustomerId,
    pub kind: CustomerKind,
    /// Stored flat, beside `kind`: the payload keeps the shape it had when each detail was
    /// a field of its own.
    #[serde(flatten)]
    pub details: CustomerDetails,
}

/// The customer's details as they are now (all of them, not a difference).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerDetailsAmended {
    pub kind: CustomerKind,
    /// Stored flat, as in [`CustomerRegistered`].
    #[serde(flatten)]
    pub details: CustomerDetails,
}

/// A contact person was added; `role` is trimmed, `None` when left blank.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactAdded {
    pub contact_id: ContactId,
    pub name: Name,
    pub role: Option<String>,
    pub email: Option<Email>,
    pub phone: Option<Phone>,
}

/// A contact person was removed; past documents that named them are not affected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactRemoved {
    pub contact_id: ContactId,
}

/// An interaction was written down. `author` and `recorded_at` come from the command's
/// context, so the log shows who wrote what when, apart from when it happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InteractionRecorded {
    pub interaction_id: InteractionId,
    pub kind: InteractionKind,
    pub occurred_at: DateTime<Utc>,
    pub summary: String,
    pub author: Actor,
    pub recorded_at: DateTime<Utc>,
}

/// An opportunity was opened on `opened_on` (Malaysian business day).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpportunityOpened {
    pub opportunity_id: OpportunityId,
    pub title: String,
    pub expected_value: Money,
    pub expected_close: NaiveDate,
    pub source: OpportunitySource,
    /// The stage it starts at (today always `lead`), recorded so that a change of policy does
    /// not rewrite history.
    pub stage: OpenStage,
    pub opened_on: NaiveDate,
}

/// An open opportunity moved between stages; `from` lets a projection count stage
/// durations without reading back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpportunityStageChanged {
    pub opportunity_id: OpportunityId,
    pub from: OpenStage,
    pub to: OpenStage,
}

/// The opportunity was won at `from_stage`, on the business day `closed_on`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpportunityWon {
    pub opportunity_id: OpportunityId,
    pub from_stage: OpenStage,
    pub closed_on: NaiveDate,
}

/// The opportunity was lost at `from_stage`, for `reason` (trimmed, never empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpportunityLost {
    pub opportunity_id: OpportunityId,
    pub from_stage: OpenStage,
    pub reason: String,
    pub closed_on: NaiveDate,
}

impl DomainEvent for CustomerEvent {
    fn event_type(&self) -> &'static str {
        match self {
            Self::CustomerRegistered(_) => "CustomerRegistered",
            Self::CustomerDetailsAmended(_) => "CustomerDetailsAmended",
            Self::ContactAdded(_) => "ContactAdded",
            Self::ContactRemoved(_) => "ContactRemoved",
            Self::InteractionRecorded(_) => "InteractionRecorded",
            Self::OpportunityOpened(_) => "OpportunityOpened",
            Self::OpportunityStageChanged(_) => "OpportunityStageChanged",
            Self::OpportunityWon(_) => "OpportunityWon",
            Self::OpportunityLost(_) => "OpportunityLost",
        }
    }

    fn schema_version(event_type: &str) -> u16 {
        match event_type {
            "CustomerRegistered" => 2,
            _ => 1,
        }
    }

    fn upcast(event_type: &str, version: u16, payload: Value) -> Result<Value, UpcastError> {
        match (event_type, version, payload) {
            // v1 → v2: `kind` was added when individuals became customers; before, every
            // customer was a company.
            ("CustomerRegistered", 1, Value::Object(mut fields)) => {
                fields
                    .entry("kind")
                    .or_insert_with(|| Value::from("company"));
                Ok(Value::Object(fields))
            }
            ("CustomerRegistered", 1, _) => Err(UpcastError::Shape {
                event_type: event_type.to_owned(),
                message: "a version 1 payload is a JSON object".to_owned(),
            }),
            (_, version, _) => Err(UpcastError::UnknownVersion {
                event_type: event_type.to_owned(),
                version,
            }),
        }
    }
}
