//! One test per rule, named as the rule.

#![allow(clippy::unwrap_used)]

use rust_decimal::Decimal;
use uuid::Uuid;

use super::*;
use crate::customer::{CustomerDetails, CustomerKind, PartyMismatch};
use crate::ids::{CustomerId, SupplierId};
use crate::purchase_order::{DeliveryTolerance, TolerancePercent};
use crate::testing::{self, Given, sample_company};
use crate::values::{Identification, Tin};
use crate::{Aggregate, DomainEvent};

fn given(history: impl IntoIterator<Item = SupplierEvent>) -> Given<Supplier> {
    testing::given(history)
}

fn supplier_id() -> SupplierId {
    SupplierId::from_uuid(Uuid::from_u128(0x5001))
}

/// A Shah Alam company, with the details the sales team would register a customer with.
fn details() -> CustomerDetails {
    sample_company(
        CustomerId::from_uuid(Uuid::nil()),
        "Timbang Jaya Sdn. Bhd.",
        "C25845632020",
    )
    .unwrap()
    .details
}

fn percent(p: i64) -> TolerancePercent {
    TolerancePercent::new(Decimal::from(p)).unwrap()
}

fn registered(tolerance_override: Option<TolerancePercent>) -> SupplierEvent {
    SupplierEvent::SupplierRegistered(SupplierRegistered {
        supplier_id: supplier_id(),
        kind: CustomerKind::Company,
        details: details(),
        tolerance_override,
    })
}

fn register(kind: CustomerKind, details: CustomerDetails) -> SupplierCommand {
    SupplierCommand::Register(RegisterSupplier {
        id: supplier_id(),
        kind,
        details,
        tolerance_override: None,
    })
}

#[test]
fn a_supplier_is_registered_with_a_customers_party_details() {
    let state = given([])
        .when(register(CustomerKind::Company, details()))
        .then([registered(None)]);
    assert_eq!(state.registered().unwrap().details, details());
}

#[test]
fn a_supplier_is_registered_once() {
    given([registered(None)])
        .when(register(CustomerKind::Company, details()))
        .then_err(SupplierError::AlreadyRegistered);
}

#[test]
fn a_suppliers_tin_and_identification_must_fit_its_kind() {
    let mismatch = SupplierError::Party(PartyMismatch::Tin {
        kind: CustomerKind::Individual,
    });
    assert_eq!(mismatch.pointer().as_deref(), Some("/tin"));
    given([])
        .when(register(CustomerKind::Individual, details()))
        .then_err(mismatch);
    let mut general = details();
    general.tin = Tin::parse("EI00000000030").unwrap();
    general.identification = Identification::parse("NRIC", "900101-14-5678").unwrap();
    given([])
        .when(register(CustomerKind::Company, general))
        .then_err(SupplierError::Party(PartyMismatch::Identification {
            kind: CustomerKind::Company,
        }));
}

#[test]
fn changing_a_suppliers_details_records_them_all() {
    let mut moved = details();
    moved.email = crate::values::Email::parse("sales@timbang.com.my").unwrap();
    given([registered(None)])
        .when(SupplierCommand::ChangeDetails(ChangeSupplierDetails {
            kind: CustomerKind::Company,
            details: moved.clone(),
        }))
        .then([SupplierEvent::SupplierDetailsChanged(
            SupplierDetailsChanged {
                kind: CustomerKind::Company,
                details: moved,
            },
        )]);
}

#[test]
fn saving_a_suppliers_details_unchanged_records_nothing() {
    given([registered(None)])
        .when(SupplierCommand::ChangeDetails(ChangeSupplierDetails {
            kind: CustomerKind::Company,
            details: details(),
        }))
        .then_nothing();
}

#[test]
fn an_unregistered_supplier_cannot_change() {
    given([])
        .when(SupplierCommand::ClearToleranceOverride(
            ClearToleranceOverride,
        ))
        .then_err(SupplierError::NotRegistered);
}

#[test]
fn a_tolerance_override_is_set_and_cleared_once_each() {
    let set = SupplierCommand::SetToleranceOverride(SetToleranceOverride {
        percent: percent(10),
    });
    given([registered(None)]).when(set.clone()).then([
        SupplierEvent::SupplierToleranceOverrideSet(SupplierToleranceOverrideSet {
            percent: percent(10),
        }),
    ]);
    given([registered(Some(percent(10)))])
        .when(set)
        .then_nothing();
    let clear = SupplierCommand::ClearToleranceOverride(ClearToleranceOverride);
    given([registered(Some(percent(10)))])
        .when(clear.clone())
        .then([SupplierEvent::SupplierToleranceOverrideCleared(
            SupplierToleranceOverrideCleared {},
        )]);
    given([registered(None)]).when(clear).then_nothing();
}

#[test]
fn deliveries_are_judged_against_the_override_or_else_the_company_default() {
    let company = DeliveryTolerance {
        version: 7,
        percent: percent(5),
    };
    let plain = Supplier::replay(&[registered(None)]);
    assert_eq!(
        plain.registered().unwrap().delivery_tolerance(company),
        company
    );
    let overridden = plain.evolve(&SupplierEvent::SupplierToleranceOverrideSet(
        SupplierToleranceOverrideSet {
            percent: percent(2),
        },
    ));
    assert_eq!(
        overridden.registered().unwrap().delivery_tolerance(company),
        DeliveryTolerance {
            version: 1,
            percent: percent(2),
        }
    );
}

#[test]
fn supplier_events_are_stored_under_their_variant_names() {
    let event = registered(Some(percent(3)));
    let (event_type, version, payload) = event.encode().unwrap();
    assert_eq!((event_type, version), ("SupplierRegistered", 1));
    assert_eq!(payload["tin"], "C25845632020");
    assert_eq!(
        SupplierEvent::decode(event_type, version, payload).unwrap(),
        event
    );
}
