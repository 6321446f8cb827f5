//! One test per rule, named as the rule.

#![allow(clippy::unwrap_used)]

use std::net::{IpAddr, Ipv4Addr};

use chrono::{DateTime, TimeDelta, Utc};
use uuid::Uuid;

use super::*;
use crate::equipment::SerialNumber;
use crate::ids::{CustomerId, DeliveryOrderId, InvoiceId, RentalId, SignatureLinkId};
use crate::testing::{self, Given, date, on, sample_company, test_ctx};
use crate::values::{Address, Name, Quantity, Sha256Hex, TextProblem, UnitCode};
use crate::{Aggregate, DomainEvent};

// ---- fixtures ------------------------------------------------------------------------------
//
// A rental's delivery order of two test weights, created and dispatched on 1 June 2026
// (today, 10:00 in Kuala Lumpur). Link 1 expires 24 hours after it is issued.

fn given(history: impl IntoIterator<Item = DeliveryOrderEvent>) -> Given<DeliveryOrder> {
    testing::given(history)
}

fn do_id() -> DeliveryOrderId {
    DeliveryOrderId::from_uuid(Uuid::from_u128(0xd0))
}

fn customer_id() -> CustomerId {
    CustomerId::from_uuid(Uuid::from_u128(1))
}

fn rental() -> DeliveryOrderSource {
    DeliveryOrderSource::RentalCheckOut(RentalId::from_uuid(Uuid::from_u128(0x0a01)))
}

fn link_id(n: u128) -> SignatureLinkId {
    SignatureLinkId::from_uuid(Uuid::from_u128(0x1100 + n))
}

/// A made-up digest, distinct per `n`.
fn sha(n: u8) -> Sha256Hex {
    Sha256Hex::parse(&format!("{n:02x}").repeat(32)).unwrap()
}

fn now() -> DateTime<Utc> {
    test_ctx().now
}

fn address() -> Address {
    sample_company(customer_id(), "Timbang Jaya Sdn. Bhd.", "C25845632020")
        .unwrap()
        .details
        .address
}

fn lines(serials: &[&str]) -> Vec<DeliveryLine> {
    vec![DeliveryLine {
        description: "Test weight 20 kg, class M1".into(),
        quantity: Quantity::parse("2").unwrap(),
        unit: UnitCode::parse("C62").unwrap(),
        serials: serials
            .iter()
            .map(|s| SerialNumber::parse(s).unwrap())
            .collect(),
    }]
}

fn create(source: DeliveryOrderSource, lines: Vec<DeliveryLine>) -> DeliveryOrderCommand {
    DeliveryOrderCommand::Create(CreateDeliveryOrder {
        id: do_id(),
        source,
        customer_id: customer_id(),
        delivery_address: address(),
        lines,
    })
}

fn created() -> DeliveryOrderEvent {
    DeliveryOrderEvent::DeliveryOrderCreated(DeliveryOrderCreated {
        delivery_order_id: do_id(),
        source: rental(),
        customer_id: customer_id(),
        delivery_address: address(),
        lines: lines(&["TW-0001", "TW-0002"]),
        created_on: date(2026, 6, 1),
        created_at: now(),
    })
}

fn driver() -> Name {
    Name::parse("Muthu a/l Rajan").unwrap()
}

fn dispatched() -> DeliveryOrderEvent {
    DeliveryOrderEvent::DeliveryOrderDispatched(DeliveryOrderDispatched {
        dispatched_on: date(2026, 6, 1),
        driver: Some(driver()),
        vehicle: Some("WXY 1234".into()),
        recorded_at: now(),
    })
}

fn issue(n: u128) -> DeliveryOrderCommand {
    DeliveryOrderCommand::IssueSignatureLink(IssueSignatureLink {
        link_id: link_id(n),
        token_sha256: sha(n as u8),
        expires_at: now() + TimeDelta::hours(24),
    })
}

fn issued(n: u128, revoked: Option<u128>) -> DeliveryOrderEvent {
    DeliveryOrderEvent::SignatureLinkIssued(SignatureLinkIssued {
        link_id: link_id(n),
        token_sha256: sha(n as u8),
        expires_at: now() + TimeDelta::hours(24),
        revoked_link: revoked.map(link_id),
        issued_at: now(),
    })
}

fn sign(token: u8, at: DateTime<Utc>) -> DeliveryOrderCommand {
    DeliveryOrderCommand::Sign(SignDeliveryOrder {
        token_sha256: sha(token),
        at,
        signer_name: Name::parse("Tan Mei Ling").unwrap(),
        client_ip: IpAddr::V4(Ipv4Addr::new(203, 0, 113, 7)),
        user_agent: " Mozilla/5.0 (Android 14) ".into(),
        signature_image_sha256: sha(0xaa),
        document_sha256: sha(0xdd),
    })
}

fn signed(link: u128, at: DateTime<Utc>) -> DeliveryOrderEvent {
    DeliveryOrderEvent::DeliveryOrderSigned(DeliveryOrderSigned {
        link_id: link_id(link),
        signed_at: at,
        signer_name: Name::parse("Tan Mei Ling").unwrap(),
        client_ip: IpAddr::V4(Ipv4Addr::new(203, 0, 113, 7)),
        user_agent: "Mozilla/5.0 (Android 14)".into(),
        signature_image_sha256: sha(0xaa),
        document_sha256: sha(0xdd),
    })
}

fn refuse(token: u8, at: DateTime<Utc>, reason: &str) -> DeliveryOrderCommand {
    DeliveryOrderCommand::RefuseSignature(RefuseSignature {
        token_sha256: sha(token),
        at,
        reason: reason.into(),
    })
}

fn refused(link: u128, at: DateTime<Utc>) -> DeliveryOrderEvent {
    DeliveryOrderEvent::DeliverySignatureRefused(DeliverySignatureRefused {
        link_id: link_id(link),
        refused_at: at,
        reason: "One weight is dented".into(),
    })
}

/// Created, dispatched, link 1 issued and signed through 5 minutes later.
fn signed_through_link_1() -> [DeliveryOrderEvent; 4] {
    [
        created(),
        dispatched(),
        issued(1, None),
        signed(1, later(5)),
    ]
}

fn not_usable(reason: LinkRefusal) -> DeliveryOrderError {
    DeliveryOrderError::LinkNotUsable { reason }
}

fn later(minutes: i64) -> DateTime<Utc> {
    now() + TimeDelta::minutes(minutes)
}

// ---- creating, dispatching, cancelling -----------------------------------------------------

#[test]
fn a_delivery_order_is_created_from_a_rental_check_out_with_its_serials() {
    let state = given([])
        .when(create(rental(), lines(&["TW-0001", "TW-0002"])))
        .then([created()]);
    assert_eq!(state.record().unwrap().status(), DeliveryStatus::Created);
}

#[test]
fn a_delivery_order_from_an_invoice_carries_no_serials() {
    let invoice = DeliveryOrderSource::Invoice(InvoiceId::from_uuid(Uuid::from_u128(9)));
    let error = DeliveryOrderError::SerialsOnlyForRentals { index: 0 };
    assert_eq!(error.pointer().as_deref(), Some("/lines/0/serials"));
    given([])
        .when(create(invoice, lines(&["TW-0001"])))
        .then_err(error);
    given([])
        .when(create(invoice, lines(&[])))
        .then([DeliveryOrderEvent::DeliveryOrderCreated(
            DeliveryOrderCreated {
                delivery_order_id: do_id(),
                source: invoice,
                customer_id: customer_id(),
                delivery_address: address(),
                lines: lines(&[]),
                created_on: date(2026, 6, 1),
                created_at: now(),
            },
        )]);
}

#[test]
fn a_delivery_order_needs_lines_described_and_serials_once() {
    given([])
        .when(create(rental(), vec![]))
        .then_err(DeliveryOrderError::NoLines);
    let mut blank = lines(&[]);
    blank[0].description = " ".into();
    given([])
        .when(create(rental(), blank))
        .then_err(DeliveryOrderError::LineDescription {
            index: 0,
            problem: TextProblem::Empty,
        });
    given([])
        .when(create(rental(), lines(&["TW-0001", "TW-0001"])))
        .then_err(DeliveryOrderError::SerialListedTwice {
            index: 0,
            serial: SerialNumber::parse("TW-0001").unwrap(),
        });
}

#[test]
fn dispatching_records_the_day_driver_and_vehicle_once() {
    let dispatch = DeliveryOrderCommand::Dispatch(DispatchDeliveryOrder {
        dispatched_on: date(2026, 6, 1),
        driver: Some(driver()),
        vehicle: Some(" WXY 1234 ".into()),
    });
    let state = given([created()])
        .when(dispatch.clone())
        .then([dispatched()]);
    assert_eq!(state.record().unwrap().status(), DeliveryStatus::Dispatched);
    given([created(), dispatched()])
        .when(dispatch)
        .then_nothing();
}

#[test]
fn goods_cannot_be_dispatched_after_today() {
    given([created()])
        .when(DeliveryOrderCommand::Dispatch(DispatchDeliveryOrder {
            dispatched_on: date(2026, 6, 2),
            driver: None,
            vehicle: None,
        }))
        .then_err(DeliveryOrderError::DispatchInFuture {
            dispatched_on: date(2026, 6, 2),
            today: date(2026, 6, 1),
        });
}

#[test]
fn a_delivery_order_is_cancelled_only_before_dispatch() {
    given([created()])
        .at(on(date(2026, 6, 1)))
        .when(DeliveryOrderCommand::Cancel(CancelDeliveryOrder {
            reason: "Customer collects".into(),
        }))
        .then([DeliveryOrderEvent::DeliveryOrderCancelled(
            DeliveryOrderCancelled {
                reason: "Customer collects".into(),
                cancelled_on: date(2026, 6, 1),
                cancelled_at: now(),
            },
        )]);
    given([created(), dispatched()])
        .when(DeliveryOrderCommand::Cancel(CancelDeliveryOrder {
            reason: "Too late".into(),
        }))
        .then_err(DeliveryOrderError::AlreadyDispatched {
            dispatched_on: date(2026, 6, 1),
        });
}

// ---- signature links -----------------------------------------------------------------------

#[test]
fn a_signature_link_is_issued_only_after_dispatch() {
    given([created()])
        .when(issue(1))
        .then_err(DeliveryOrderError::NotDispatched);
    given([created(), dispatched()])
        .when(issue(1))
        .then([issued(1, None)]);
}

#[test]
fn issuing_the_same_link_again_records_nothing() {
    given([created(), dispatched(), issued(1, None)])
        .when(issue(1))
        .then_nothing();
}

#[test]
fn a_link_expires_after_now_and_within_30_days() {
    for expires_at in [now(), now() + TimeDelta::days(30) + TimeDelta::seconds(1)] {
        given([created(), dispatched()])
            .when(DeliveryOrderCommand::IssueSignatureLink(
                IssueSignatureLink {
                    link_id: link_id(1),
                    token_sha256: sha(1),
                    expires_at,
                },
            ))
            .then_err(DeliveryOrderError::LinkExpiry {
                expires_at,
                max_days: MAX_LINK_DAYS,
            });
    }
}

#[test]
fn reissuing_a_link_revokes_the_one_before() {
    let state = given([created(), dispatched(), issued(1, None)])
        .when(issue(2))
        .then([issued(2, Some(1))]);
    let links = &state.record().unwrap().links;
    assert!(links[0].revoked && !links[1].revoked);
    given([created(), dispatched(), issued(1, None), issued(2, Some(1))])
        .when(sign(1, later(5)))
        .then_err(not_usable(LinkRefusal::Revoked));
}

#[test]
fn signing_through_the_link_records_the_signature() {
    let state = given([created(), dispatched(), issued(1, None)])
        .when(sign(1, later(5)))
        .then([signed(1, later(5))]);
    assert_eq!(state.record().unwrap().status(), DeliveryStatus::Signed);
}

#[test]
fn a_link_is_used_once() {
    let history = signed_through_link_1();
    given(history.clone())
        .when(sign(1, later(6)))
        .then_err(not_usable(LinkRefusal::AlreadyUsed));
    // The same submission again is a double click, answered as done.
    given(history).when(sign(1, later(5))).then_nothing();
}

#[test]
fn a_link_is_expired_at_its_expiry_instant() {
    let expires_at = now() + TimeDelta::hours(24);
    given([created(), dispatched(), issued(1, None)])
        .when(sign(1, expires_at - TimeDelta::microseconds(1)))
        .then([signed(1, expires_at - TimeDelta::microseconds(1))]);
    given([created(), dispatched(), issued(1, None)])
        .when(sign(1, expires_at))
        .then_err(not_usable(LinkRefusal::Expired));
}

#[test]
fn a_token_of_no_link_is_refused_like_any_other_unusable_link() {
    given([created(), dispatched(), issued(1, None)])
        .when(sign(9, later(5)))
        .then_err(not_usable(LinkRefusal::Unknown));
    given([])
        .when(sign(9, later(5)))
        .then_err(not_usable(LinkRefusal::Unknown));
}

#[test]
fn every_unusable_link_reads_the_same_to_the_public_page() {
    let messages: Vec<String> = [
        LinkRefusal::Unknown,
        LinkRefusal::Revoked,
        LinkRefusal::Expired,
        LinkRefusal::AlreadyUsed,
    ]
    .into_iter()
    .map(|reason| {
        let error = not_usable(reason);
        assert_eq!(error.pointer(), None);
        error.to_string()
    })
    .collect();
    assert!(
        messages
            .iter()
            .all(|m| m == "this signature link cannot be used")
    );
}

#[test]
fn the_customer_may_refuse_to_sign_saying_why() {
    let state = given([created(), dispatched(), issued(1, None)])
        .when(refuse(1, later(5), " One weight is dented "))
        .then([refused(1, later(5))]);
    assert_eq!(state.record().unwrap().status(), DeliveryStatus::Dispatched);
    given([created(), dispatched(), issued(1, None)])
        .when(refuse(1, later(5), ""))
        .then_err(DeliveryOrderError::ReasonRequired);
}

#[test]
fn signing_after_a_refusal_through_the_same_link_is_refused() {
    given([
        created(),
        dispatched(),
        issued(1, None),
        refused(1, later(5)),
    ])
    .when(sign(1, later(6)))
    .then_err(not_usable(LinkRefusal::AlreadyUsed));
}

#[test]
fn after_a_refusal_a_new_link_may_be_signed() {
    given([
        created(),
        dispatched(),
        issued(1, None),
        refused(1, later(5)),
        issued(2, None),
    ])
    .when(sign(2, later(60)))
    .then([signed(2, later(60))]);
}

#[test]
fn a_signed_delivery_order_no_longer_changes() {
    let history = signed_through_link_1();
    given(history.clone())
        .when(issue(2))
        .then_err(DeliveryOrderError::AlreadySigned);
    given(history)
        .when(refuse(1, later(6), "Changed my mind"))
        .then_err(not_usable(LinkRefusal::AlreadyUsed));
}

#[test]
fn delivery_order_events_are_stored_under_their_variant_names() {
    let events = signed_through_link_1();
    let types: Vec<_> = events.iter().map(DomainEvent::event_type).collect();
    assert_eq!(
        types,
        [
            "DeliveryOrderCreated",
            "DeliveryOrderDispatched",
            "SignatureLinkIssued",
            "DeliveryOrderSigned"
        ]
    );
    let (_, _, payload) = created().encode().unwrap();
    assert_eq!(payload["source"]["kind"], "rental_check_out");
    for event in events {
        let (event_type, version, payload) = event.encode().unwrap();
        assert_eq!(
            DeliveryOrderEvent::decode(event_type, version, payload).unwrap(),
            event
        );
    }
    let state = DeliveryOrder::replay(&[created(), dispatched()]);
    assert!(state.record().unwrap().live_link().is_none());
}

fn signed_pdf(version: u64) -> crate::PdfIssued {
    crate::PdfIssued {
        kind: crate::PdfKind::SignedDeliveryOrder,
        document_id: *do_id().as_uuid(),
        version,
        document_key: Uuid::from_u128(u128::from(version)),
        sha256: sha(9),
        size_bytes: 2000,
    }
}

#[test]
fn a_signed_delivery_order_records_its_pdf_once() {
    let mut history = signed_through_link_1().to_vec();
    let state = given(history.clone())
        .when(DeliveryOrderCommand::RecordPdf(signed_pdf(4)))
        .then([DeliveryOrderEvent::DeliveryOrderPdfIssued(signed_pdf(4))]);
    assert_eq!(state.record().unwrap().pdfs, [signed_pdf(4)]);
    history.push(DeliveryOrderEvent::DeliveryOrderPdfIssued(signed_pdf(4)));
    given(history)
        .when(DeliveryOrderCommand::RecordPdf(signed_pdf(4)))
        .then_nothing();
}
