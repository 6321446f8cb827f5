//! What can be asked of a customer. Fields are already-validated values; ids are made by the
//! caller (UUIDv7 at the edge), so a retried command carries the same id.

use chrono::{DateTime, NaiveDate, Utc};

use super::{CustomerDetails, CustomerKind, InteractionKind, OpenStage, OpportunitySource};
use crate::ids::{ContactId, CustomerId, InteractionId, OpportunityId};
use crate::money::Money;
use crate::values::{Email, Name, Phone};

/// A command to the Customer aggregate.
#[derive(Debug, Clone, PartialEq)]
pub enum CustomerCommand {
    Register(RegisterCustomer),
    AmendDetails(AmendCustomerDetails),
    AddContact(AddContact),
    RemoveContact(RemoveContact),
    RecordInteraction(RecordInteraction),
    OpenOpportunity(OpenOpportunity),
    MoveOpportunity(MoveOpportunity),
    WinOpportunity(WinOpportunity),
    LoseOpportunity(LoseOpportunity),
}

/// Registers a new customer with the party details an e-invoice needs.
#[derive(Debug, Clone, PartialEq)]
pub struct RegisterCustomer {
    pub id: CustomerId,
    pub kind: CustomerKind,
    pub details: CustomerDetails,
}

/// Replaces all of a customer's details (a form saved whole). Saving it unchanged records
/// nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct AmendCustomerDetails {
    pub kind: CustomerKind,
    pub details: CustomerDetails,
}

/// Adds a contact person. `role` is free text of at most 100 characters ("Purchasing",
/// "QA manager"); a blank role counts as none.
#[derive(Debug, Clone, PartialEq)]
pub struct AddContact {
    pub contact_id: ContactId,
    pub name: Name,
    pub role: Option<String>,
    pub email: Option<Email>,
    pub phone: Option<Phone>,
}

/// Removes a contact person who has left or should no longer be contacted.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoveContact {
    pub contact_id: ContactId,
}

/// Writes down a note or a contact with the customer. The author is the acting user, taken
/// from the context rather than the body, so nobody records in another's name.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordInteraction {
    pub interaction_id: InteractionId,
    pub kind: InteractionKind,
    /// When it happened; may be in the past (a call written up later), not in the future.
    pub occurred_at: DateTime<Utc>,
    /// At most 4000 characters, line breaks allowed.
    pub summary: String,
}

/// Opens a sales opportunity; it starts as a lead.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenOpportunity {
    pub opportunity_id: OpportunityId,
    /// One line, at most 200 characters.
    pub title: String,
    /// More than zero, in any currency.
    pub expected_value: Money,
    /// Not before today (Malaysian business day).
    pub expected_close: NaiveDate,
    pub source: OpportunitySource,
}

/// Moves an open opportunity to another open stage, forwards or back.
#[derive(Debug, Clone, PartialEq)]
pub struct MoveOpportunity {
    pub opportunity_id: OpportunityId,
    pub to: OpenStage,
}

/// Closes an open opportunity as won, today (Malaysian business day).
#[derive(Debug, Clone, PartialEq)]
pub struct WinOpportunity {
    pub opportunity_id: OpportunityId,
}

/// Closes an opportunity as lost. The reason is required (at most 1000 characters): lost
/// deals are reviewed by why they were lost.
#[derive(Debug, Clone, PartialEq)]
pub struct LoseOpportunity {
    pub opportunity_id: OpportunityId,
    pub reason: String,
}
