//! The Customer aggregate (CRM): the party details an e-invoice needs of a buyer, contact
//! people, a log of interactions, and the sales pipeline of opportunities.

mod command;
mod error;
mod event;
mod state;
#[cfg(test)]
mod tests;

pub use command::{
    AddContact, AmendCustomerDetails, CustomerCommand, LoseOpportunity, MoveOpportunity,
    OpenOpportunity, RecordInteraction, RegisterCustomer, RemoveContact, WinOpportunity,
};
pub use error::{CustomerError, PartyMismatch};
pub use event::{
    ContactAdded, ContactRemoved, CustomerDetailsAmended, CustomerEvent, CustomerRegistered,
    InteractionRecorded, OpportunityLost, OpportunityOpened, OpportunityStageChanged,
    OpportunityWon,
};
pub use state::{
    Closing, Contact, Customer, CustomerDetails, CustomerKind, Interaction, InteractionKind,
    OpenStage, Opportunity, OpportunitySource, Outcome, RegisteredCustomer,
};

use chrono::TimeDelta;

use crate::ids::OpportunityId;
use crate::values::{Identification, Lines, TextProblem, check_text};
use crate::{Aggregate, Ctx};

/// How far past the server's clock an interaction may be dated: staff type the time from a
/// phone or a watch, which may run a little ahead, and refusing a note for that is rude.
const CLOCK_SKEW: TimeDelta = TimeDelta::minutes(5);
const ROLE_MAX: usize = 100;
const SUMMARY_MAX: usize = 4000;
const TITLE_MAX: usize = 200;
const LOST_REASON_MAX: usize = 1000;

impl Aggregate for Customer {
    /// Stored beside every event of a customer stream: never rename.
    const STREAM_TYPE: &'static str = "customer";
    type Command = CustomerCommand;
    type Event = CustomerEvent;
    type Error = CustomerError;

    fn decide(
        &self,
        command: &CustomerCommand,
        ctx: &Ctx,
    ) -> Result<Vec<CustomerEvent>, CustomerError> {
        use CustomerCommand as C;
        match (self, command) {
            (Self::NotRegistered, C::Register(c)) => register(c),
            (Self::Registered(_), C::Register(_)) => Err(CustomerError::AlreadyRegistered),
            (
                Self::NotRegistered,
                C::AmendDetails(_)
                | C::AddContact(_)
                | C::RemoveContact(_)
                | C::RecordInteraction(_)
                | C::OpenOpportunity(_)
                | C::MoveOpportunity(_)
                | C::WinOpportunity(_)
                | C::LoseOpportunity(_),
            ) => Err(CustomerError::NotRegistered),
            (Self::Registered(customer), C::AmendDetails(c)) => amend_details(customer, c),
            (Self::Registered(customer), C::AddContact(c)) => add_contact(customer, c),
            (Self::Registered(customer), C::RemoveContact(c)) => remove_contact(customer, c),
            (Self::Registered(customer), C::RecordInteraction(c)) => {
                record_interaction(customer, c, ctx)
            }
            (Self::Registered(customer), C::OpenOpportunity(c)) => {
                open_opportunity(customer, c, ctx)
            }
            (Self::Registered(customer), C::MoveOpportunity(c)) => move_opportunity(customer, c),
            (Self::Registered(customer), C::WinOpportunity(c)) => win_opportunity(customer, c, ctx),
            (Self::Registered(customer), C::LoseOpportunity(c)) => {
                lose_opportunity(customer, c, ctx)
            }
        }
    }

    fn evolve(self, event: &CustomerEvent) -> Self {
        use CustomerEvent as E;
        match self {
            Self::NotRegistered => match event {
                E::CustomerRegistered(e) => Self::Registered(Box::new(RegisteredCustomer {
                    id: e.customer_id,
                    kind: e.kind,
                    details: e.details.clone(),
                    contacts: Vec::new(),
                    interactions: Vec::new(),
                    opportunities: Vec::new(),
                })),
                // `decide` starts every stream with CustomerRegistered; nothing before it
                // has a customer to change.
                E::CustomerDetailsAmended(_)
                | E::ContactAdded(_)
                | E::ContactRemoved(_)
                | E::InteractionRecorded(_)
                | E::OpportunityOpened(_)
                | E::OpportunityStageChanged(_)
                | E::OpportunityWon(_)
                | E::OpportunityLost(_) => Self::NotRegistered,
            },
            Self::Registered(mut customer) => {
                apply(&mut customer, event);
                Self::Registered(customer)
            }
        }
    }
}

fn apply(customer: &mut RegisteredCustomer, event: &CustomerEvent) {
    use CustomerEvent as E;
    match event {
        // A stream is registered once; a second registration cannot have been decided.
        E::CustomerRegistered(_) => {}
        E::CustomerDetailsAmended(e) => {
            customer.kind = e.kind;
            customer.details = e.details.clone();
        }
        E::ContactAdded(e) => customer.contacts.push(Contact {
            id: e.contact_id,
            name: e.name.clone(),
            role: e.role.clone(),
            email: e.email.clone(),
            phone: e.phone.clone(),
        }),
        E::ContactRemoved(e) => customer.contacts.retain(|c| c.id != e.contact_id),
        E::InteractionRecorded(e) => customer.interactions.push(Interaction {
            id: e.interaction_id,
            kind: e.kind,
            occurred_at: e.occurred_at,
            summary: e.summary.clone(),
            author: e.author.clone(),
            recorded_at: e.recorded_at,
        }),
        E::OpportunityOpened(e) => customer.opportunities.push(Opportunity {
            id: e.opportunity_id,
            title: e.title.clone(),
            expected_value: e.expected_value,
            expected_close: e.expected_close,
            source: e.source,
            opened_on: e.opened_on,
            stage: e.stage,
            closed: None,
        }),
        E::OpportunityStageChanged(e) => {
            if let Some(o) = opportunity_mut(customer, e.opportunity_id) {
                o.stage = e.to;
            }
        }
        E::OpportunityWon(e) => {
            if let Some(o) = opportunity_mut(customer, e.opportunity_id) {
                o.stage = e.from_stage;
                o.closed = Some(Closing {
                    outcome: Outcome::Won,
                    closed_on: e.closed_on,
                });
            }
        }
        E::OpportunityLost(e) => {
            if let Some(o) = opportunity_mut(customer, e.opportunity_id) {
                o.stage = e.from_stage;
                o.closed = Some(Closing {
                    outcome: Outcome::Lost {
                        reason: e.reason.clone(),
                    },
                    closed_on: e.closed_on,
                });
            }
        }
    }
}

fn opportunity_mut(
    customer: &mut RegisteredCustomer,
    id: OpportunityId,
) -> Option<&mut Opportunity> {
    customer.opportunities.iter_mut().find(|o| o.id == id)
}

fn register(c: &RegisterCustomer) -> Result<Vec<CustomerEvent>, CustomerError> {
    check_party(c.kind, &c.details)?;
    Ok(vec![CustomerEvent::CustomerRegistered(
        CustomerRegistered {
            customer_id: c.id,
            kind: c.kind,
            details: c.details.clone(),
        },
    )])
}

fn amend_details(
    customer: &RegisteredCustomer,
    c: &AmendCustomerDetails,
) -> Result<Vec<CustomerEvent>, CustomerError> {
    check_party(c.kind, &c.details)?;
    // The form is saved whole; saving it unchanged (or a retry) is not an amendment.
    if c.kind == customer.kind && c.details == customer.details {
        return Ok(vec![]);
    }
    Ok(vec![CustomerEvent::CustomerDetailsAmended(
        CustomerDetailsAmended {
            kind: c.kind,
            details: c.details.clone(),
        },
    )])
}

/// LHDN matches the TIN and the identification of a party (buyer or supplier) with the kind
/// of taxpayer it is: an individual files under an `IG` TIN and a MyKad, passport or army
/// number; a company under a non-individual TIN and its SSM number. A general TIN stands
/// for either.
pub(crate) fn check_party(
    kind: CustomerKind,
    details: &CustomerDetails,
) -> Result<(), PartyMismatch> {
    let tin = &details.tin;
    let tin_fits = tin.is_general()
        || match kind {
            CustomerKind::Company => !tin.is_individual(),
            CustomerKind::Individual => tin.is_individual(),
        };
    if !tin_fits {
        return Err(PartyMismatch::Tin { kind });
    }
    let identification_fits = match (kind, &details.identification) {
        (CustomerKind::Company, Identification::Brn(_))
        | (
            CustomerKind::Individual,
            Identification::Nric(_) | Identification::Passport(_) | Identification::Army(_),
        ) => true,
        (
            CustomerKind::Company,
            Identification::Nric(_) | Identification::Passport(_) | Identification::Army(_),
        )
        | (CustomerKind::Individual, Identification::Brn(_)) => false,
    };
    if !identification_fits {
        return Err(PartyMismatch::Identification { kind });
    }
    Ok(())
}

fn add_contact(
    customer: &RegisteredCustomer,
    c: &AddContact,
) -> Result<Vec<CustomerEvent>, CustomerError> {
    if customer.contact(c.contact_id).is_some() {
        return Err(CustomerError::ContactAlreadyExists {
            contact_id: c.contact_id,
        });
    }
    let role = match c
        .role
        .as_deref()
        .map(|r| check_text(r, ROLE_MAX, Lines::Single))
    {
        None | Some(Err(TextProblem::Empty)) => None,
        Some(Ok(role)) => Some(role),
        Some(Err(problem)) => {
            return Err(CustomerError::InvalidText {
                field: "role",
                problem,
            });
        }
    };
    Ok(vec![CustomerEvent::ContactAdded(ContactAdded {
        contact_id: c.contact_id,
        name: c.name.clone(),
        role,
        email: c.email.clone(),
        phone: c.phone.clone(),
    })])
}

fn remove_contact(
    customer: &RegisteredCustomer,
    c: &RemoveContact,
) -> Result<Vec<CustomerEvent>, CustomerError> {
    if customer.contact(c.contact_id).is_none() {
        return Err(CustomerError::ContactNotFound {
            contact_id: c.contact_id,
        });
    }
    Ok(vec![CustomerEvent::ContactRemoved(ContactRemoved {
        contact_id: c.contact_id,
    })])
}

fn record_interaction(
    customer: &RegisteredCustomer,
    c: &RecordInteraction,
    ctx: &Ctx,
) -> Result<Vec<CustomerEvent>, CustomerError> {
    if customer.interaction(c.interaction_id).is_some() {
        return Err(CustomerError::InteractionAlreadyExists {
            interaction_id: c.interaction_id,
        });
    }
    if c.occurred_at > ctx.now + CLOCK_SKEW {
        return Err(CustomerError::InteractionInFuture {
            occurred_at: c.occurred_at,
        });
    }
    let summary = text("summary", &c.summary, SUMMARY_MAX, Lines::Multi)?;
    Ok(vec![CustomerEvent::InteractionRecorded(
        InteractionRecorded {
            interaction_id: c.interaction_id,
            kind: c.kind,
            occurred_at: c.occurred_at,
            summary,
            author: ctx.actor.clone(),
            recorded_at: ctx.now,
        },
    )])
}

fn open_opportunity(
    customer: &RegisteredCustomer,
    c: &OpenOpportunity,
    ctx: &Ctx,
) -> Result<Vec<CustomerEvent>, CustomerError> {
    if customer.opportunity(c.opportunity_id).is_some() {
        return Err(CustomerError::OpportunityAlreadyExists {
            opportunity_id: c.opportunity_id,
        });
    }
    let title = text("title", &c.title, TITLE_MAX, Lines::Single)?;
    if !c.expected_value.is_positive() {
        return Err(CustomerError::NonPositiveValue);
    }
    let today = ctx.business_day();
    if c.expected_close < today {
        return Err(CustomerError::CloseDateInPast {
            expected_close: c.expected_close,
            today,
        });
    }
    Ok(vec![CustomerEvent::OpportunityOpened(OpportunityOpened {
        opportunity_id: c.opportunity_id,
        title,
        expected_value: c.expected_value,
        expected_close: c.expected_close,
        source: c.source,
        stage: OpenStage::Lead,
        opened_on: today,
    })])
}

fn move_opportunity(
    customer: &RegisteredCustomer,
    c: &MoveOpportunity,
) -> Result<Vec<CustomerEvent>, CustomerError> {
    let opportunity = open(customer, c.opportunity_id)?;
    if opportunity.stage == c.to {
        return Err(CustomerError::AlreadyInStage {
            opportunity_id: c.opportunity_id,
            stage: c.to,
        });
    }
    Ok(vec![CustomerEvent::OpportunityStageChanged(
        OpportunityStageChanged {
            opportunity_id: c.opportunity_id,
            from: opportunity.stage,
            to: c.to,
        },
    )])
}

fn win_opportunity(
    customer: &RegisteredCustomer,
    c: &WinOpportunity,
    ctx: &Ctx,
) -> Result<Vec<CustomerEvent>, CustomerError> {
    let opportunity = open(customer, c.opportunity_id)?;
    Ok(vec![CustomerEvent::OpportunityWon(OpportunityWon {
        opportunity_id: c.opportunity_id,
        from_stage: opportunity.stage,
        closed_on: ctx.business_day(),
    })])
}

fn lose_opportunity(
    customer: &RegisteredCustomer,
    c: &LoseOpportunity,
    ctx: &Ctx,
) -> Result<Vec<CustomerEvent>, CustomerError> {
    let opportunity = open(customer, c.opportunity_id)?;
    let reason = match check_text(&c.reason, LOST_REASON_MAX, Lines::Multi) {
        Ok(reason) => reason,
        Err(TextProblem::Empty) => return Err(CustomerError::LostReasonRequired),
        Err(problem) => {
            return Err(CustomerError::InvalidText {
                field: "reason",
                problem,
            });
        }
    };
    Ok(vec![CustomerEvent::OpportunityLost(OpportunityLost {
        opportunity_id: c.opportunity_id,
        from_stage: opportunity.stage,
        reason,
        closed_on: ctx.business_day(),
    })])
}

/// The opportunity, if it exists and is still open: a won or lost deal is history.
fn open(customer: &RegisteredCustomer, id: OpportunityId) -> Result<&Opportunity, CustomerError> {
    match customer.opportunity(id) {
        None => Err(CustomerError::OpportunityNotFound { opportunity_id: id }),
        Some(o) if !o.is_open() => Err(CustomerError::OpportunityClosed { opportunity_id: id }),
        Some(o) => Ok(o),
    }
}

fn text(
    field: &'static str,
    value: &str,
    max: usize,
    lines: Lines,
) -> Result<String, CustomerError> {
    check_text(value, max, lines).map_err(|problem| CustomerError::InvalidText { field, problem })
}
