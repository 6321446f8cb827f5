//! One test per rule, named as the rule.

#![allow(clippy::unwrap_used)]

use chrono::{NaiveDate, TimeDelta, TimeZone, Utc};
use serde_json::json;
use uuid::Uuid;

use super::*;
use crate::ids::{ContactId, CustomerId, InteractionId, OpportunityId};
use crate::money::Money;
use crate::testing::{self, Given, test_ctx};
use crate::values::{
    Address, CountryCode, Email, Identification, MsicCode, Name, Phone, Postcode, SstRegistration,
    StateCode, TextProblem, Tin,
};
use crate::{Actor, Ctx, DomainEvent};

// ---- fixtures ------------------------------------------------------------------------------

/// `testing::given`, for customers: an event type alone cannot name its aggregate.
fn given(history: impl IntoIterator<Item = CustomerEvent>) -> Given<Customer> {
    testing::given(history)
}

fn customer_id() -> CustomerId {
    CustomerId::from_uuid(Uuid::from_u128(0x0197_0000_0000_7000_8000_0000_0000_0001))
}

fn contact_id() -> ContactId {
    ContactId::from_uuid(Uuid::from_u128(2))
}

fn interaction_id() -> InteractionId {
    InteractionId::from_uuid(Uuid::from_u128(3))
}

fn deal() -> OpportunityId {
    OpportunityId::from_uuid(Uuid::from_u128(4))
}

/// The business day of [`test_ctx`]: 1 June 2026 in Kuala Lumpur.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn rm(amount: &str) -> Money {
    Money::parse(amount, "MYR").unwrap()
}

fn shah_alam() -> Address {
    Address::new(
        vec!["Lot 5, Jalan Utas 15/7".into(), "Seksyen 15".into()],
        "Shah Alam".into(),
        Postcode::parse("40200").unwrap(),
        StateCode::parse("10").unwrap(),
        CountryCode::malaysia(),
    )
    .unwrap()
}

fn brn() -> Identification {
    Identification::parse("BRN", "201901234567").unwrap()
}

fn nric() -> Identification {
    Identification::parse("NRIC", "900101-14-5678").unwrap()
}

fn tin(s: &str) -> Tin {
    Tin::parse(s).unwrap()
}

/// A company's details, as the sales team registers them.
fn acme() -> CustomerDetails {
    CustomerDetails {
        name: Name::parse("Acme Timbang Sdn. Bhd.").unwrap(),
        tin: tin("C25845632020"),
        identification: brn(),
        sst: Some(SstRegistration::parse("W10-1808-32000001").unwrap()),
        msic: Some(MsicCode::parse("46599").unwrap()),
        address: shah_alam(),
        email: Email::parse("purchasing@acme.com.my").unwrap(),
        phone: Phone::parse("+60 3-5510 1234").unwrap(),
    }
}

/// The details of a person buying for themselves.
fn ali() -> CustomerDetails {
    CustomerDetails {
        name: Name::parse("Ali bin Abu").unwrap(),
        tin: tin("IG12345678912"),
        identification: nric(),
        sst: None,
        msic: None,
        email: Email::parse("ali@gmail.com").unwrap(),
        phone: Phone::parse("012-345 6789").unwrap(),
        ..acme()
    }
}

const COMPANY: CustomerKind = CustomerKind::Company;
const INDIVIDUAL: CustomerKind = CustomerKind::Individual;

fn register(kind: CustomerKind, details: CustomerDetails) -> CustomerCommand {
    CustomerCommand::Register(RegisterCustomer {
        id: customer_id(),
        kind,
        details,
    })
}

/// What registering these details records.
fn registration(kind: CustomerKind, details: CustomerDetails) -> CustomerEvent {
    CustomerEvent::CustomerRegistered(CustomerRegistered {
        customer_id: customer_id(),
        kind,
        details,
    })
}

/// Acme, registered.
fn registered() -> CustomerEvent {
    registration(COMPANY, acme())
}

/// Saving the details form.
fn amend(kind: CustomerKind, details: CustomerDetails) -> CustomerCommand {
    CustomerCommand::AmendDetails(AmendCustomerDetails { kind, details })
}

/// What amending to these details records.
fn amendment(kind: CustomerKind, details: CustomerDetails) -> CustomerEvent {
    CustomerEvent::CustomerDetailsAmended(CustomerDetailsAmended { kind, details })
}

fn add_siti() -> AddContact {
    AddContact {
        contact_id: contact_id(),
        name: Name::parse("Siti Aminah").unwrap(),
        role: Some("  QA manager ".into()),
        email: Some(Email::parse("siti@acme.com.my").unwrap()),
        phone: None,
    }
}

fn siti_added() -> CustomerEvent {
    CustomerEvent::ContactAdded(ContactAdded {
        contact_id: contact_id(),
        name: Name::parse("Siti Aminah").unwrap(),
        role: Some("QA manager".into()),
        email: Some(Email::parse("siti@acme.com.my").unwrap()),
        phone: None,
    })
}

fn call_at(occurred_at: chrono::DateTime<Utc>) -> CustomerCommand {
    CustomerCommand::RecordInteraction(RecordInteraction {
        interaction_id: interaction_id(),
        kind: InteractionKind::Call,
        occurred_at,
        summary: " Asked for a quote on 20 kg weights, class M1.\n".into(),
    })
}

fn call_recorded() -> CustomerEvent {
    let ctx = test_ctx();
    CustomerEvent::InteractionRecorded(InteractionRecorded {
        interaction_id: interaction_id(),
        kind: InteractionKind::Call,
        occurred_at: ctx.now - TimeDelta::hours(1),
        summary: "Asked for a quote on 20 kg weights, class M1.".into(),
        author: ctx.actor,
        recorded_at: ctx.now,
    })
}

fn open_deal() -> OpenOpportunity {
    OpenOpportunity {
        opportunity_id: deal(),
        title: "Calibration of 20 test weights".into(),
        expected_value: rm("12000.00"),
        expected_close: date(2026, 7, 31),
        source: OpportunitySource::Referral,
    }
}

fn deal_opened() -> CustomerEvent {
    CustomerEvent::OpportunityOpened(OpportunityOpened {
        opportunity_id: deal(),
        title: "Calibration of 20 test weights".into(),
        expected_value: rm("12000.00"),
        expected_close: date(2026, 7, 31),
        source: OpportunitySource::Referral,
        stage: OpenStage::Lead,
        opened_on: today(),
    })
}

fn move_deal(to: OpenStage) -> CustomerCommand {
    CustomerCommand::MoveOpportunity(MoveOpportunity {
        opportunity_id: deal(),
        to,
    })
}

fn deal_moved(from: OpenStage, to: OpenStage) -> CustomerEvent {
    CustomerEvent::OpportunityStageChanged(OpportunityStageChanged {
        opportunity_id: deal(),
        from,
        to,
    })
}

fn win_deal() -> CustomerCommand {
    CustomerCommand::WinOpportunity(WinOpportunity {
        opportunity_id: deal(),
    })
}

fn deal_won() -> CustomerEvent {
    CustomerEvent::OpportunityWon(OpportunityWon {
        opportunity_id: deal(),
        from_stage: OpenStage::Lead,
        closed_on: today(),
    })
}

fn lose_deal(reason: &str) -> CustomerCommand {
    CustomerCommand::LoseOpportunity(LoseOpportunity {
        opportunity_id: deal(),
        reason: reason.into(),
    })
}

fn deal_lost() -> CustomerEvent {
    CustomerEvent::OpportunityLost(OpportunityLost {
        opportunity_id: deal(),
        from_stage: OpenStage::Lead,
        reason: "Went with a cheaper lab".into(),
        closed_on: today(),
    })
}

fn registered_customer(state: &Customer) -> &RegisteredCustomer {
    state.registered().expect("a registered customer")
}

// ---- registration --------------------------------------------------------------------------

#[test]
fn registering_a_company_records_its_details() {
    let state = given([])
        .when(register(COMPANY, acme()))
        .then([registered()]);
    let customer = registered_customer(&state);
    assert_eq!(customer.id, customer_id());
    assert_eq!(customer.kind, CustomerKind::Company);
    assert_eq!(customer.details, acme());
    assert!(customer.contacts.is_empty() && customer.opportunities.is_empty());
}

#[test]
fn registering_an_individual_with_an_ig_tin_and_an_nric_is_accepted() {
    given([])
        .when(register(INDIVIDUAL, ali()))
        .then([registration(INDIVIDUAL, ali())]);
}

#[test]
fn registering_a_registered_customer_is_refused() {
    given([registered()])
        .when(register(COMPANY, acme()))
        .then_err(CustomerError::AlreadyRegistered);
}

#[test]
fn a_company_with_an_individuals_tin_is_refused() {
    let details = CustomerDetails {
        tin: tin("IG12345678912"),
        ..acme()
    };
    given([])
        .when(register(COMPANY, details))
        .then_err(CustomerError::TinDoesNotMatchKind { kind: COMPANY });
}

#[test]
fn an_individual_with_a_company_tin_is_refused() {
    let details = CustomerDetails {
        tin: tin("C25845632020"),
        ..ali()
    };
    given([])
        .when(register(INDIVIDUAL, details))
        .then_err(CustomerError::TinDoesNotMatchKind { kind: INDIVIDUAL });
}

#[test]
fn a_general_tin_fits_a_company_and_an_individual() {
    let government = CustomerDetails {
        tin: tin("EI00000000040"),
        ..acme()
    };
    given([])
        .when(register(COMPANY, government.clone()))
        .then([registration(COMPANY, government)]);
    let public = CustomerDetails {
        tin: tin("EI00000000010"),
        ..ali()
    };
    given([])
        .when(register(INDIVIDUAL, public.clone()))
        .then([registration(INDIVIDUAL, public)]);
}

#[test]
fn a_company_must_identify_with_its_brn() {
    for identification in [
        nric(),
        Identification::parse("PASSPORT", "A1234567").unwrap(),
        Identification::parse("ARMY", "T1234567").unwrap(),
    ] {
        let details = CustomerDetails {
            identification,
            ..acme()
        };
        given([])
            .when(register(COMPANY, details))
            .then_err(CustomerError::IdentificationDoesNotMatchKind { kind: COMPANY });
    }
}

#[test]
fn an_individual_must_identify_with_an_nric_passport_or_army_number() {
    let details = CustomerDetails {
        identification: brn(),
        ..ali()
    };
    given([])
        .when(register(INDIVIDUAL, details))
        .then_err(CustomerError::IdentificationDoesNotMatchKind { kind: INDIVIDUAL });
    for identification in [
        Identification::parse("PASSPORT", "A1234567").unwrap(),
        Identification::parse("ARMY", "T1234567").unwrap(),
    ] {
        let details = CustomerDetails {
            identification,
            ..ali()
        };
        given([])
            .when(register(INDIVIDUAL, details.clone()))
            .then([registration(INDIVIDUAL, details)]);
    }
}

#[test]
fn commands_to_an_unregistered_customer_are_refused() {
    let commands = [
        amend(COMPANY, acme()),
        CustomerCommand::AddContact(add_siti()),
        CustomerCommand::RemoveContact(RemoveContact {
            contact_id: contact_id(),
        }),
        call_at(test_ctx().now),
        CustomerCommand::OpenOpportunity(open_deal()),
        move_deal(OpenStage::Qualified),
        win_deal(),
        lose_deal("No budget"),
    ];
    for command in commands {
        given([])
            .when(command)
            .then_err(CustomerError::NotRegistered);
    }
}

// ---- details -------------------------------------------------------------------------------

#[test]
fn amending_details_records_all_the_new_details() {
    let moved = CustomerDetails {
        phone: Phone::parse("+60 3-5510 9999").unwrap(),
        sst: None,
        ..acme()
    };
    let state = given([registered()])
        .when(amend(COMPANY, moved.clone()))
        .then([amendment(COMPANY, moved.clone())]);
    assert_eq!(registered_customer(&state).details, moved);
}

#[test]
fn amending_with_no_change_records_nothing() {
    given([registered()])
        .when(amend(COMPANY, acme()))
        .then_nothing();
}

#[test]
fn an_amendment_must_keep_the_tin_matching_the_kind() {
    let details = CustomerDetails {
        identification: nric(),
        ..acme()
    };
    given([registered()])
        .when(amend(INDIVIDUAL, details))
        .then_err(CustomerError::TinDoesNotMatchKind { kind: INDIVIDUAL });
}

#[test]
fn an_amendment_must_keep_the_identification_matching_the_kind() {
    let details = CustomerDetails {
        identification: nric(),
        ..acme()
    };
    given([registered()])
        .when(amend(COMPANY, details))
        .then_err(CustomerError::IdentificationDoesNotMatchKind { kind: COMPANY });
}

// ---- contacts ------------------------------------------------------------------------------

#[test]
fn adding_a_contact_records_it_with_a_trimmed_role() {
    let state = given([registered()])
        .when(CustomerCommand::AddContact(add_siti()))
        .then([siti_added()]);
    let customer = registered_customer(&state);
    assert_eq!(customer.contacts.len(), 1);
    assert_eq!(
        customer.contact(contact_id()).unwrap().role.as_deref(),
        Some("QA manager")
    );
}

#[test]
fn a_blank_role_counts_as_none() {
    let c = AddContact {
        role: Some("   ".into()),
        ..add_siti()
    };
    let state = given([registered()])
        .when(CustomerCommand::AddContact(c))
        .then([CustomerEvent::ContactAdded(ContactAdded {
            role: None,
            ..match siti_added() {
                CustomerEvent::ContactAdded(e) => e,
                other => panic!("{other:?}"),
            }
        })]);
    assert_eq!(registered_customer(&state).contacts[0].role, None);
}

#[test]
fn a_role_longer_than_100_characters_is_refused() {
    let c = AddContact {
        role: Some("x".repeat(101)),
        ..add_siti()
    };
    given([registered()])
        .when(CustomerCommand::AddContact(c))
        .then_err(CustomerError::InvalidText {
            field: "role",
            problem: TextProblem::TooLong { max: 100 },
        });
}

#[test]
fn adding_a_contact_whose_id_exists_is_refused() {
    given([registered(), siti_added()])
        .when(CustomerCommand::AddContact(add_siti()))
        .then_err(CustomerError::ContactAlreadyExists {
            contact_id: contact_id(),
        });
}

#[test]
fn contacts_keep_the_order_they_were_added_in() {
    let second = ContactId::from_uuid(Uuid::from_u128(1));
    let state = given([registered(), siti_added()])
        .when(CustomerCommand::AddContact(AddContact {
            contact_id: second,
            role: None,
            ..add_siti()
        }))
        .then([CustomerEvent::ContactAdded(ContactAdded {
            contact_id: second,
            name: Name::parse("Siti Aminah").unwrap(),
            role: None,
            email: Some(Email::parse("siti@acme.com.my").unwrap()),
            phone: None,
        })]);
    let ids: Vec<_> = registered_customer(&state)
        .contacts
        .iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(ids, [contact_id(), second]);
}

#[test]
fn removing_a_contact_forgets_it() {
    let state = given([registered(), siti_added()])
        .when(CustomerCommand::RemoveContact(RemoveContact {
            contact_id: contact_id(),
        }))
        .then([CustomerEvent::ContactRemoved(ContactRemoved {
            contact_id: contact_id(),
        })]);
    assert!(registered_customer(&state).contacts.is_empty());
}

#[test]
fn removing_an_unknown_contact_is_refused() {
    let removed = CustomerEvent::ContactRemoved(ContactRemoved {
        contact_id: contact_id(),
    });
    for history in [
        vec![registered()],
        vec![registered(), siti_added(), removed],
    ] {
        given(history)
            .when(CustomerCommand::RemoveContact(RemoveContact {
                contact_id: contact_id(),
            }))
            .then_err(CustomerError::ContactNotFound {
                contact_id: contact_id(),
            });
    }
}

// ---- interactions --------------------------------------------------------------------------

#[test]
fn recording_an_interaction_names_its_author_and_when_it_was_recorded() {
    let state = given([registered()])
        .when(call_at(test_ctx().now - TimeDelta::hours(1)))
        .then([call_recorded()]);
    assert_eq!(registered_customer(&state).interactions.len(), 1);

    let someone_else = Ctx {
        actor: Actor::User(Uuid::from_u128(42)),
        ..test_ctx()
    };
    let CustomerEvent::InteractionRecorded(expected) = call_recorded() else {
        unreachable!()
    };
    given([registered()])
        .at(someone_else)
        .when(call_at(test_ctx().now - TimeDelta::hours(1)))
        .then([CustomerEvent::InteractionRecorded(InteractionRecorded {
            author: Actor::User(Uuid::from_u128(42)),
            ..expected
        })]);
}

#[test]
fn an_interaction_up_to_five_minutes_ahead_of_the_clock_is_accepted() {
    let at = test_ctx().now + TimeDelta::minutes(5);
    let CustomerEvent::InteractionRecorded(expected) = call_recorded() else {
        unreachable!()
    };
    given([registered()])
        .when(call_at(at))
        .then([CustomerEvent::InteractionRecorded(InteractionRecorded {
            occurred_at: at,
            ..expected
        })]);
}

#[test]
fn an_interaction_more_than_five_minutes_in_the_future_is_refused() {
    let at = test_ctx().now + TimeDelta::minutes(5) + TimeDelta::seconds(1);
    given([registered()])
        .when(call_at(at))
        .then_err(CustomerError::InteractionInFuture { occurred_at: at });
}

#[test]
fn an_interaction_without_a_summary_is_refused() {
    given([registered()])
        .when(CustomerCommand::RecordInteraction(RecordInteraction {
            interaction_id: interaction_id(),
            kind: InteractionKind::Note,
            occurred_at: test_ctx().now,
            summary: " \n ".into(),
        }))
        .then_err(CustomerError::InvalidText {
            field: "summary",
            problem: TextProblem::Empty,
        });
}

#[test]
fn a_summary_longer_than_4000_characters_is_refused() {
    given([registered()])
        .when(CustomerCommand::RecordInteraction(RecordInteraction {
            interaction_id: interaction_id(),
            kind: InteractionKind::Visit,
            occurred_at: test_ctx().now,
            summary: "ä".repeat(4001),
        }))
        .then_err(CustomerError::InvalidText {
            field: "summary",
            problem: TextProblem::TooLong { max: 4000 },
        });
}

#[test]
fn recording_an_interaction_whose_id_exists_is_refused() {
    given([registered(), call_recorded()])
        .when(call_at(test_ctx().now))
        .then_err(CustomerError::InteractionAlreadyExists {
            interaction_id: interaction_id(),
        });
}

// ---- opportunities -------------------------------------------------------------------------

#[test]
fn opening_an_opportunity_starts_it_as_a_lead() {
    let state = given([registered()])
        .when(CustomerCommand::OpenOpportunity(open_deal()))
        .then([deal_opened()]);
    let opportunity = registered_customer(&state).opportunity(deal()).unwrap();
    assert_eq!(opportunity.stage, OpenStage::Lead);
    assert!(opportunity.is_open());
}

#[test]
fn opening_an_opportunity_whose_id_exists_is_refused() {
    given([registered(), deal_opened()])
        .when(CustomerCommand::OpenOpportunity(open_deal()))
        .then_err(CustomerError::OpportunityAlreadyExists {
            opportunity_id: deal(),
        });
}

#[test]
fn an_opportunity_without_a_title_is_refused() {
    let c = OpenOpportunity {
        title: "  ".into(),
        ..open_deal()
    };
    given([registered()])
        .when(CustomerCommand::OpenOpportunity(c))
        .then_err(CustomerError::InvalidText {
            field: "title",
            problem: TextProblem::Empty,
        });
}

#[test]
fn a_title_longer_than_200_characters_is_refused() {
    let c = OpenOpportunity {
        title: "t".repeat(201),
        ..open_deal()
    };
    given([registered()])
        .when(CustomerCommand::OpenOpportunity(c))
        .then_err(CustomerError::InvalidText {
            field: "title",
            problem: TextProblem::TooLong { max: 200 },
        });
}

#[test]
fn an_opportunity_must_be_worth_more_than_zero() {
    for value in ["0.00", "-1.00"] {
        let c = OpenOpportunity {
            expected_value: rm(value),
            ..open_deal()
        };
        given([registered()])
            .when(CustomerCommand::OpenOpportunity(c))
            .then_err(CustomerError::NonPositiveValue);
    }
}

#[test]
fn an_opportunity_expected_to_close_before_today_is_refused() {
    let c = OpenOpportunity {
        expected_close: date(2026, 5, 31),
        ..open_deal()
    };
    given([registered()])
        .when(CustomerCommand::OpenOpportunity(c))
        .then_err(CustomerError::CloseDateInPast {
            expected_close: date(2026, 5, 31),
            today: today(),
        });
}

#[test]
fn an_opportunity_may_be_expected_to_close_today() {
    let c = OpenOpportunity {
        expected_close: today(),
        ..open_deal()
    };
    let CustomerEvent::OpportunityOpened(expected) = deal_opened() else {
        unreachable!()
    };
    given([registered()])
        .when(CustomerCommand::OpenOpportunity(c))
        .then([CustomerEvent::OpportunityOpened(OpportunityOpened {
            expected_close: today(),
            ..expected
        })]);
}

#[test]
fn today_is_the_malaysian_business_day() {
    // 31 May, 17:00 UTC is already 1 June, 01:00 in Kuala Lumpur.
    let late_evening_utc = Ctx {
        now: Utc.with_ymd_and_hms(2026, 5, 31, 17, 0, 0).unwrap(),
        ..test_ctx()
    };
    let c = OpenOpportunity {
        expected_close: date(2026, 5, 31),
        ..open_deal()
    };
    given([registered()])
        .at(late_evening_utc)
        .when(CustomerCommand::OpenOpportunity(c))
        .then_err(CustomerError::CloseDateInPast {
            expected_close: date(2026, 5, 31),
            today: today(),
        });
}

#[test]
fn an_opportunity_moves_from_lead_to_qualified_to_proposal_and_is_won() {
    use OpenStage::{Lead, Proposal, Qualified};
    let mut history = vec![registered(), deal_opened()];
    for (from, to) in [(Lead, Qualified), (Qualified, Proposal)] {
        given(history.clone())
            .when(move_deal(to))
            .then([deal_moved(from, to)]);
        history.push(deal_moved(from, to));
    }
    let state = given(history)
        .when(win_deal())
        .then([CustomerEvent::OpportunityWon(OpportunityWon {
            opportunity_id: deal(),
            from_stage: Proposal,
            closed_on: today(),
        })]);
    let opportunity = registered_customer(&state).opportunity(deal()).unwrap();
    assert_eq!(opportunity.stage, Proposal);
    assert_eq!(
        opportunity.closed,
        Some(Closing {
            outcome: Outcome::Won,
            closed_on: today()
        })
    );
}

#[test]
fn an_opportunity_may_move_back_a_stage() {
    given([
        registered(),
        deal_opened(),
        deal_moved(OpenStage::Lead, OpenStage::Proposal),
    ])
    .when(move_deal(OpenStage::Qualified))
    .then([deal_moved(OpenStage::Proposal, OpenStage::Qualified)]);
}

#[test]
fn moving_an_opportunity_to_its_current_stage_is_refused() {
    given([registered(), deal_opened()])
        .when(move_deal(OpenStage::Lead))
        .then_err(CustomerError::AlreadyInStage {
            opportunity_id: deal(),
            stage: OpenStage::Lead,
        });
}

#[test]
fn changing_an_unknown_opportunity_is_refused() {
    for command in [
        move_deal(OpenStage::Qualified),
        win_deal(),
        lose_deal("No budget"),
    ] {
        given([registered()])
            .when(command)
            .then_err(CustomerError::OpportunityNotFound {
                opportunity_id: deal(),
            });
    }
}

#[test]
fn moving_a_won_opportunity_is_refused() {
    given([registered(), deal_opened(), deal_won()])
        .when(move_deal(OpenStage::Qualified))
        .then_err(CustomerError::OpportunityClosed {
            opportunity_id: deal(),
        });
}

#[test]
fn moving_a_lost_opportunity_is_refused() {
    given([registered(), deal_opened(), deal_lost()])
        .when(move_deal(OpenStage::Qualified))
        .then_err(CustomerError::OpportunityClosed {
            opportunity_id: deal(),
        });
}

#[test]
fn winning_a_closed_opportunity_is_refused() {
    for closed in [deal_won(), deal_lost()] {
        given([registered(), deal_opened(), closed])
            .when(win_deal())
            .then_err(CustomerError::OpportunityClosed {
                opportunity_id: deal(),
            });
    }
}

#[test]
fn losing_a_closed_opportunity_is_refused() {
    for closed in [deal_won(), deal_lost()] {
        given([registered(), deal_opened(), closed])
            .when(lose_deal("Changed their mind"))
            .then_err(CustomerError::OpportunityClosed {
                opportunity_id: deal(),
            });
    }
}

#[test]
fn losing_an_opportunity_records_why() {
    let state = given([registered(), deal_opened()])
        .when(lose_deal("  Went with a cheaper lab "))
        .then([deal_lost()]);
    let opportunity = registered_customer(&state).opportunity(deal()).unwrap();
    assert_eq!(
        opportunity.closed,
        Some(Closing {
            outcome: Outcome::Lost {
                reason: "Went with a cheaper lab".into()
            },
            closed_on: today(),
        })
    );
}

#[test]
fn losing_an_opportunity_without_a_reason_is_refused() {
    for reason in ["", "   \n"] {
        given([registered(), deal_opened()])
            .when(lose_deal(reason))
            .then_err(CustomerError::LostReasonRequired);
    }
}

// ---- storage -------------------------------------------------------------------------------

#[test]
fn a_version_1_registration_is_read_as_a_company() {
    // Written before individuals could be customers: no `kind`.
    let v1 = json!({
        "customer_id": "01970000-0000-7000-8000-000000000001",
        "name": "Acme Timbang Sdn. Bhd.",
        "tin": "C25845632020",
        "identification": { "scheme": "BRN", "value": "201901234567" },
        "sst": "W10-1808-32000001",
        "msic": "46599",
        "address": {
            "lines": ["Lot 5, Jalan Utas 15/7", "Seksyen 15"],
            "city": "Shah Alam",
            "postcode": "40200",
            "state": "10",
            "country": "MYS"
        },
        "email": "purchasing@acme.com.my",
        "phone": "+60355101234"
    });
    assert_eq!(
        CustomerEvent::decode_text("CustomerRegistered", 1, &v1.to_string()).unwrap(),
        registered(),
        "the stored text goes through the upcaster too"
    );
    let event = CustomerEvent::decode("CustomerRegistered", 1, v1).unwrap();
    assert_eq!(event, registered());
    let state = Customer::replay([&event]);
    assert_eq!(registered_customer(&state).kind, CustomerKind::Company);
}

#[test]
fn a_registration_stored_under_old_lhdn_tables_still_loads() {
    // Written when LHDN still took state `00`, with an MSIC code since dropped from its
    // table: both are refused as new input today, but 7-year-old events must replay.
    assert!(StateCode::parse("00").is_err());
    assert!(MsicCode::parse("99999").is_err());
    let (_, _, mut payload) = registered().encode().unwrap();
    payload["address"]["state"] = json!("00");
    payload["msic"] = json!("99999");

    let event = CustomerEvent::decode("CustomerRegistered", 2, payload).unwrap();
    let CustomerEvent::CustomerRegistered(registered) = &event else {
        panic!("{event:?}");
    };
    assert_eq!(registered.details.address.state().as_str(), "00");
    assert_eq!(registered.details.address.state().name(), None);
    assert_eq!(
        registered.details.msic.as_ref().unwrap().description(),
        None
    );

    // The customer replays, and can be brought up to date with today's codes.
    given([event.clone()])
        .when(amend(COMPANY, acme()))
        .then([amendment(COMPANY, acme())]);
}

#[test]
fn a_registration_is_written_at_schema_version_2() {
    let (event_type, version, payload) = registered().encode().unwrap();
    assert_eq!((event_type, version), ("CustomerRegistered", 2));
    assert_eq!(payload["kind"], "company");
    assert_eq!(
        CustomerEvent::decode(event_type, version, payload).unwrap(),
        registered()
    );
}

#[test]
fn the_details_are_stored_flat_beside_the_kind() {
    // The payloads as written before the details were one struct (captured from that code):
    // both must still decode, and encoding must still write exactly these keys.
    let registered_v2 = json!({
        "customer_id": "01970000-0000-7000-8000-000000000001",
        "kind": "company",
        "name": "Acme Timbang Sdn. Bhd.",
        "tin": "C25845632020",
        "identification": { "scheme": "BRN", "value": "201901234567" },
        "sst": "W10-1808-32000001",
        "msic": "46599",
        "address": {
            "lines": ["Lot 5, Jalan Utas 15/7", "Seksyen 15"],
            "city": "Shah Alam",
            "postcode": "40200",
            "state": "10",
            "country": "MYS"
        },
        "email": "purchasing@acme.com.my",
        "phone": "+60355101234"
    });
    let amended = json!({
        "kind": "individual",
        "name": "Ali bin Abu",
        "tin": "IG12345678912",
        "identification": { "scheme": "NRIC", "value": "900101145678" },
        "sst": null,
        "msic": null,
        "address": {
            "lines": ["Lot 5, Jalan Utas 15/7", "Seksyen 15"],
            "city": "Shah Alam",
            "postcode": "40200",
            "state": "10",
            "country": "MYS"
        },
        "email": "ali@gmail.com",
        "phone": "0123456789"
    });
    for (event, event_type, version, stored) in [
        (registered(), "CustomerRegistered", 2, registered_v2),
        (
            amendment(INDIVIDUAL, ali()),
            "CustomerDetailsAmended",
            1,
            amended,
        ),
    ] {
        assert_eq!(
            event.encode().unwrap(),
            (event_type, version, stored.clone())
        );
        assert_eq!(
            CustomerEvent::decode(event_type, version, stored).unwrap(),
            event
        );
    }
}

#[test]
fn an_unknown_schema_version_is_refused() {
    let (_, _, payload) = registered().encode().unwrap();
    assert!(matches!(
        CustomerEvent::decode("CustomerRegistered", 3, payload.clone()),
        Err(crate::UpcastError::UnknownVersion { version: 3, .. })
    ));
    assert!(matches!(
        CustomerEvent::decode("CustomerRegistered", 1, json!("not an object")),
        Err(crate::UpcastError::Shape { .. })
    ));
    assert!(matches!(
        CustomerEvent::decode_text("CustomerRegistered", 3, &payload.to_string()),
        Err(crate::UpcastError::UnknownVersion { version: 3, .. })
    ));
    assert!(matches!(
        CustomerEvent::decode_text("CustomerRegistered", 2, r#"{"name": 1}"#),
        Err(crate::UpcastError::Shape { .. })
    ));
    assert!(matches!(
        CustomerEvent::decode_text("CustomerRegistered", 2, "{"),
        Err(crate::UpcastError::Shape { .. })
    ));
}

#[test]
fn every_event_survives_being_stored_and_read() {
    let events = [
        registered(),
        amendment(INDIVIDUAL, ali()),
        siti_added(),
        CustomerEvent::ContactRemoved(ContactRemoved {
            contact_id: contact_id(),
        }),
        call_recorded(),
        deal_opened(),
        deal_moved(OpenStage::Lead, OpenStage::Qualified),
        deal_won(),
        deal_lost(),
    ];
    for event in events {
        let (event_type, version, payload) = event.encode().unwrap();
        assert_eq!(event_type, format!("{event:?}").split('(').next().unwrap());
        assert_eq!(
            CustomerEvent::decode_text(event_type, version, &payload.to_string()).unwrap(),
            event,
            "read from the stored text"
        );
        assert_eq!(
            CustomerEvent::decode(event_type, version, payload).unwrap(),
            event
        );
    }
}

#[test]
fn the_wire_names_of_kinds_are_stable() {
    let (_, _, payload) = call_recorded().encode().unwrap();
    assert_eq!(payload["kind"], "call");
    assert_eq!(
        payload["author"],
        json!({ "kind": "user", "id": Uuid::nil() })
    );
    assert_eq!(
        serde_json::to_value(InteractionKind::WhatsApp).unwrap(),
        "whatsapp"
    );
    assert_eq!(
        serde_json::to_value(OpportunitySource::WalkIn).unwrap(),
        "walk_in"
    );
    let (_, _, payload) = deal_opened().encode().unwrap();
    assert_eq!(payload["stage"], "lead");
    assert_eq!(
        payload["expected_value"],
        json!({ "amount": "12000.00", "currency": "MYR" })
    );
}

#[test]
fn a_customer_survives_a_snapshot() {
    let history = [
        registered(),
        siti_added(),
        call_recorded(),
        deal_opened(),
        deal_lost(),
    ];
    let state = Customer::replay(&history);
    let snapshot = serde_json::to_value(&state).unwrap();
    assert_eq!(snapshot["status"], "registered");
    assert_eq!(
        snapshot["opportunities"][0]["closed"]["outcome"],
        json!({ "outcome": "lost", "reason": "Went with a cheaper lab" })
    );
    assert_eq!(serde_json::from_value::<Customer>(snapshot).unwrap(), state);
    assert_eq!(
        serde_json::to_value(Customer::default()).unwrap(),
        json!({ "status": "not_registered" })
    );
}

#[test]
fn the_stream_type_is_customer() {
    assert_eq!(<Customer as Aggregate>::STREAM_TYPE, "customer");
}
