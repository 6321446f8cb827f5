//! One test per rule, named as the rule.

#![allow(clippy::unwrap_used)]

use chrono::{NaiveDate, TimeZone, Utc};
use serde_json::json;
use uuid::Uuid;

use super::*;
use crate::billing::{Adjustments, BillingError, Line, LineError, LineInput, Totals};
use crate::ids::{CustomerId, InvoiceId, QuotationId};
use crate::money::{Currency, Money};
use crate::tax::TaxTreatment;
use crate::testing::{self, Given, test_ctx};
use crate::values::{Email, ItemCode, Name, Phone, Quantity, TextProblem, UnitCode};
use crate::{Actor, Ctx, DomainEvent};

// ---- fixtures ------------------------------------------------------------------------------

/// `testing::given`, for quotations: an event type alone cannot name its aggregate.
fn given(history: impl IntoIterator<Item = QuotationEvent>) -> Given<Quotation> {
    testing::given(history)
}

fn quotation_id() -> QuotationId {
    QuotationId::from_uuid(Uuid::from_u128(0x0197_0000_0000_7000_8000_0000_0000_0042))
}

fn number() -> QuotationNumber {
    QuotationNumber::parse("QUO-2026-0042").unwrap()
}

fn customer_id() -> CustomerId {
    CustomerId::from_uuid(Uuid::from_u128(1))
}

fn invoice_id() -> InvoiceId {
    InvoiceId::from_uuid(Uuid::from_u128(0x0197_0000_0000_7000_8000_0000_0000_0123))
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The business day of [`test_ctx`]: 1 June 2026 in Kuala Lumpur.
fn today() -> NaiveDate {
    date(2026, 6, 1)
}

/// A command run at 10:00 in Kuala Lumpur on `day`.
fn on(day: NaiveDate) -> Ctx {
    let ctx = test_ctx();
    let at = Utc.from_utc_datetime(&day.and_hms_opt(2, 0, 0).unwrap());
    Ctx::new(at, ctx.actor, ctx.correlation_id)
}

fn r(n: u32) -> RevisionNumber {
    RevisionNumber::new(n).unwrap()
}

fn days(n: u16) -> ValidityDays {
    ValidityDays::new(n).unwrap()
}

fn rm(amount: &str) -> Money {
    Money::parse(amount, "MYR").unwrap()
}

fn calibration() -> LineInput {
    LineInput {
        item_code: Some(ItemCode::parse("CAL-M1-20KG").unwrap()),
        description: "Calibration of 20 kg test weight, class M1".into(),
        quantity: Quantity::parse("2").unwrap(),
        unit: UnitCode::parse("C62").unwrap(),
        unit_price: rm("350.00"),
        discount: rm("0"),
        tax: TaxTreatment::Service,
    }
}

fn rental() -> LineInput {
    LineInput {
        item_code: Some(ItemCode::parse("RENT-WB-500").unwrap()),
        description: "Rental of 500 kg weighbridge test set".into(),
        quantity: Quantity::parse("7").unwrap(),
        unit: UnitCode::parse("DAY").unwrap(),
        unit_price: rm("40.00"),
        discount: rm("10.00"),
        tax: TaxTreatment::EquipmentRental,
    }
}

fn weights() -> LineInput {
    LineInput {
        item_code: None,
        description: "Stainless steel test weight 1 kg, class F1".into(),
        quantity: Quantity::parse("1").unwrap(),
        unit: UnitCode::parse("H87").unwrap(),
        unit_price: rm("120.00"),
        discount: rm("0"),
        tax: TaxTreatment::GoodsResale,
    }
}

fn lines() -> Vec<LineInput> {
    vec![calibration(), rental(), weights()]
}

/// `lines` priced in ringgit under the SST rules of `day`.
fn priced(lines: &[LineInput], day: NaiveDate) -> (Vec<Line>, Totals) {
    billing::price(Currency::MYR, lines, day, &Adjustments::default()).unwrap()
}

fn draft_with(lines: Vec<LineInput>, validity: Option<ValidityDays>) -> QuotationCommand {
    QuotationCommand::Draft(DraftQuotation {
        id: quotation_id(),
        number: number(),
        customer_id: customer_id(),
        currency: Currency::MYR,
        lines,
        default_validity: days(30),
        validity,
    })
}

fn draft() -> QuotationCommand {
    draft_with(lines(), None)
}

fn drafted_with(lines: &[LineInput], validity: u16, day: NaiveDate) -> QuotationEvent {
    let (lines, totals) = priced(lines, day);
    QuotationEvent::QuotationDrafted(QuotationDrafted {
        quotation_id: quotation_id(),
        number: number(),
        customer_id: customer_id(),
        currency: Currency::MYR,
        validity: days(validity),
        revision: RevisionNumber::FIRST,
        lines,
        totals,
        priced_on: day,
    })
}

/// The standard quotation, drafted today.
fn drafted() -> QuotationEvent {
    drafted_with(&lines(), 30, today())
}

fn amend(lines: Vec<LineInput>) -> QuotationCommand {
    QuotationCommand::AmendLines(AmendDraftLines { lines })
}

fn amended(revision: u32, lines: &[LineInput], day: NaiveDate) -> QuotationEvent {
    let (lines, totals) = priced(lines, day);
    QuotationEvent::QuotationLinesAmended(QuotationLinesAmended {
        revision: r(revision),
        lines,
        totals,
        priced_on: day,
    })
}

fn siti() -> Recipient {
    Recipient {
        name: Name::parse("Siti Aminah").unwrap(),
        channel: Channel::Email(Email::parse("siti@acme.com.my").unwrap()),
    }
}

fn send() -> QuotationCommand {
    QuotationCommand::Send(SendQuotation { to: siti() })
}

/// `revision` with `lines`, sent to Siti in `ctx`, valid 30 days.
fn sent_with(revision: u32, lines: &[LineInput], ctx: &Ctx) -> QuotationEvent {
    let sent_on = ctx.business_day();
    let (lines, totals) = priced(lines, sent_on);
    QuotationEvent::QuotationSent(QuotationSent {
        revision: r(revision),
        to: siti(),
        sent_at: ctx.now,
        sent_on,
        valid_until: days(30).last_valid_day(sent_on),
        lines,
        totals,
    })
}

/// r1, sent today: valid until 1 July 2026.
fn sent() -> QuotationEvent {
    sent_with(1, &lines(), &test_ctx())
}

fn revise(lines: Option<Vec<LineInput>>) -> QuotationCommand {
    QuotationCommand::Revise(ReviseQuotation { lines })
}

fn revised(revision: u32, lines: &[LineInput], day: NaiveDate) -> QuotationEvent {
    let (lines, totals) = priced(lines, day);
    QuotationEvent::QuotationRevised(QuotationRevised {
        revision: r(revision),
        supersedes: r(revision - 1),
        lines,
        totals,
        priced_on: day,
    })
}

fn tan() -> Name {
    Name::parse("Tan Mei Ling").unwrap()
}

fn accept(revision: u32) -> QuotationCommand {
    accept_with_reference(revision, Some(" PO-88123 "))
}

fn accept_with_reference(revision: u32, reference: Option<&str>) -> QuotationCommand {
    QuotationCommand::Accept(AcceptQuotation {
        revision: r(revision),
        accepted_by: tan(),
        customer_reference: reference.map(str::to_owned),
    })
}

fn accepted_on(revision: u32, ctx: &Ctx) -> QuotationEvent {
    QuotationEvent::QuotationAccepted(QuotationAccepted {
        revision: r(revision),
        accepted_by: tan(),
        customer_reference: Some("PO-88123".into()),
        accepted_at: ctx.now,
        accepted_on: ctx.business_day(),
    })
}

fn accepted(revision: u32) -> QuotationEvent {
    accepted_on(revision, &test_ctx())
}

fn reject(reason: &str) -> QuotationCommand {
    QuotationCommand::Reject(RejectQuotation {
        reason: reason.into(),
    })
}

fn rejected(revision: u32) -> QuotationEvent {
    QuotationEvent::QuotationRejected(QuotationRejected {
        revision: r(revision),
        reason: "Went with a cheaper lab".into(),
        rejected_at: test_ctx().now,
    })
}

fn expire() -> QuotationCommand {
    QuotationCommand::Expire(ExpireQuotation)
}

/// r`revision`, sent today, expired on 2 July 2026.
fn expired(revision: u32) -> QuotationEvent {
    QuotationEvent::QuotationExpired(QuotationExpired {
        revision: r(revision),
        valid_until: date(2026, 7, 1),
        expired_on: date(2026, 7, 2),
    })
}

fn convert(invoice_id: InvoiceId) -> QuotationCommand {
    QuotationCommand::ConvertToInvoice(ConvertToInvoice { invoice_id })
}

fn converted(revision: u32) -> QuotationEvent {
    QuotationEvent::QuotationConverted(QuotationConverted {
        quotation_id: quotation_id(),
        number: number(),
        revision: r(revision),
        invoice_id: invoice_id(),
        converted_at: test_ctx().now,
    })
}

fn record(state: &Quotation) -> &QuotationRecord {
    state.drafted().expect("a drafted quotation")
}

// ---- draft ---------------------------------------------------------------------------------

#[test]
fn drafting_a_quotation_prices_its_lines_under_todays_sst_rules() {
    let state = given([]).when(draft()).then([drafted()]);
    let q = record(&state);
    assert_eq!((q.number.clone(), q.customer_id), (number(), customer_id()));
    assert_eq!(q.current.number, RevisionNumber::FIRST);
    assert_eq!(q.current.status, RevisionStatus::Draft);
    assert_eq!(q.status(), QuotationStatus::Draft);
    // 2 × 350.00 at 8 % = 56.00; 7 × 40.00 − 10.00 = 270.00 at 8 % less 2 % = 16.20
    // (5.40 exempted); 120.00 resold, no SST.
    let rental = q.current.lines[1].tax();
    assert_eq!(rental.rule().id(), "rental-service-tax-8-less-2");
    assert_eq!(
        (rental.amount(), rental.exempted()),
        (rm("16.20"), rm("5.40"))
    );
    let totals = &q.current.totals;
    assert_eq!(totals.tax_exclusive(), rm("1090.00"));
    assert_eq!(totals.tax(), rm("72.20"));
    assert_eq!(totals.tax_inclusive(), rm("1162.20"));
    assert_eq!(totals.payable(), rm("1162.20"));
    let subtotals: Vec<_> = totals
        .tax_subtotals()
        .iter()
        .map(|s| (s.tax_type().as_str(), s.taxable(), s.tax()))
        .collect();
    assert_eq!(
        subtotals,
        [
            ("02", rm("970.00"), rm("72.20")),
            ("06", rm("120.00"), rm("0"))
        ]
    );
}

#[test]
fn a_quotation_is_valid_for_the_company_default_unless_it_says_otherwise() {
    let state = given([]).when(draft()).then([drafted()]);
    assert_eq!(record(&state).validity, days(30));
    given([])
        .when(draft_with(lines(), Some(days(14))))
        .then([drafted_with(&lines(), 14, today())]);
}

#[test]
fn a_draft_may_start_without_lines() {
    let state = given([])
        .when(draft_with(vec![], None))
        .then([drafted_with(&[], 30, today())]);
    assert_eq!(record(&state).current.totals.payable(), rm("0"));
}

#[test]
fn drafting_an_existing_quotation_is_refused() {
    given([drafted()])
        .when(draft())
        .then_err(QuotationError::AlreadyDrafted);
}

#[test]
fn a_line_in_another_currency_than_the_quotation_is_refused() {
    let mut usd = calibration();
    usd.unit_price = Money::parse("350", "USD").unwrap();
    given([])
        .when(draft_with(vec![weights(), usd], None))
        .then_err(QuotationError::Lines(BillingError::Line {
            index: 1,
            problem: LineError::Currency {
                field: "unit_price",
                expected: Currency::MYR,
                found: Currency::parse("USD").unwrap(),
            },
        }));
}

#[test]
fn a_discount_larger_than_its_line_is_refused() {
    let mut generous = weights();
    generous.discount = rm("120.01");
    given([])
        .when(draft_with(vec![generous], None))
        .then_err(QuotationError::Lines(BillingError::Line {
            index: 0,
            problem: LineError::DiscountExceedsSubtotal {
                discount: rm("120.01"),
                subtotal: rm("120.00"),
            },
        }));
}

#[test]
fn commands_to_a_quotation_never_drafted_are_refused() {
    let commands = [
        amend(lines()),
        QuotationCommand::ChangeValidity(ChangeValidity { validity: days(14) }),
        send(),
        revise(None),
        accept(1),
        reject("No budget"),
        expire(),
        convert(invoice_id()),
    ];
    for command in commands {
        given([]).when(command).then_err(QuotationError::NotDrafted);
    }
}

// ---- amending a draft ----------------------------------------------------------------------

#[test]
fn amending_a_draft_replaces_its_lines_and_totals() {
    let state = given([drafted()])
        .when(amend(vec![calibration()]))
        .then([amended(1, &[calibration()], today())]);
    let q = record(&state);
    assert_eq!(q.current.lines.len(), 1);
    assert_eq!(q.current.totals.tax_inclusive(), rm("756.00"));
}

#[test]
fn amending_with_the_same_lines_records_nothing() {
    given([drafted()]).when(amend(lines())).then_nothing();
}

#[test]
fn lines_saved_again_after_a_rate_change_are_priced_at_the_new_rate() {
    let new_year = date(2026, 1, 2);
    let state = given([drafted_with(&[rental()], 30, date(2025, 12, 31))])
        .at(on(new_year))
        .when(amend(vec![rental()]))
        .then([amended(1, &[rental()], new_year)]);
    let line = &record(&state).current.lines[0];
    assert_eq!(line.tax().rule().id(), "rental-service-tax-8-less-2");
}

#[test]
fn amending_a_sent_revision_is_refused() {
    let refusal = QuotationError::RevisionNotDraft {
        revision: r(1),
        status: RevisionStatus::Sent,
    };
    assert_eq!(
        refusal.to_string(),
        "r1 is sent and can no longer change: revise the quotation to make a new revision"
    );
    given([drafted(), sent()])
        .when(amend(vec![calibration()]))
        .then_err(refusal);
}

#[test]
fn changing_the_validity_of_a_draft_applies_when_it_is_sent() {
    let state = given([drafted()])
        .when(QuotationCommand::ChangeValidity(ChangeValidity {
            validity: days(14),
        }))
        .then([QuotationEvent::QuotationValidityChanged(
            QuotationValidityChanged { validity: days(14) },
        )]);
    let valid_until = record(&state).validity.last_valid_day(today());
    assert_eq!(valid_until, date(2026, 6, 15));
    given([drafted()])
        .when(QuotationCommand::ChangeValidity(ChangeValidity {
            validity: days(30),
        }))
        .then_nothing();
}

#[test]
fn changing_the_validity_after_sending_is_refused() {
    given([drafted(), sent()])
        .when(QuotationCommand::ChangeValidity(ChangeValidity {
            validity: days(60),
        }))
        .then_err(QuotationError::RevisionNotDraft {
            revision: r(1),
            status: RevisionStatus::Sent,
        });
}

// ---- sending -------------------------------------------------------------------------------

#[test]
fn sending_records_to_whom_when_and_the_last_valid_day() {
    let state = given([drafted()]).when(send()).then([sent()]);
    let q = record(&state);
    assert_eq!(q.status(), QuotationStatus::Sent);
    let sending = q.current.sent.as_ref().unwrap();
    assert_eq!(sending.to, siti());
    assert_eq!(sending.sent_at, test_ctx().now);
    assert_eq!(sending.sent_on, today());
    assert_eq!(sending.valid_until, date(2026, 7, 1));
}

#[test]
fn a_quotation_may_be_sent_to_a_phone_number() {
    let to = Recipient {
        name: Name::parse("Encik Rahman").unwrap(),
        channel: Channel::Phone(Phone::parse("012-345 6789").unwrap()),
    };
    let (lines, totals) = priced(&lines(), today());
    given([drafted()])
        .when(QuotationCommand::Send(SendQuotation { to: to.clone() }))
        .then([QuotationEvent::QuotationSent(QuotationSent {
            revision: r(1),
            to,
            sent_at: test_ctx().now,
            sent_on: today(),
            valid_until: date(2026, 7, 1),
            lines,
            totals,
        })]);
}

#[test]
fn sending_a_quotation_without_lines_is_refused() {
    given([drafted_with(&[], 30, today())])
        .when(send())
        .then_err(QuotationError::NoLines { revision: r(1) });
}

#[test]
fn sending_a_sent_revision_again_is_refused() {
    given([drafted(), sent()])
        .when(send())
        .then_err(QuotationError::RevisionNotDraft {
            revision: r(1),
            status: RevisionStatus::Sent,
        });
}

#[test]
fn a_quotation_is_dated_and_taxed_on_the_malaysian_day_it_is_sent() {
    // Drafted on 31 December 2025 (rental at 8 %), sent at 00:30 on 1 January 2026 in Kuala
    // Lumpur, which is still 31 December in UTC: it goes out at 8 % less 2 %.
    let ctx = Ctx::new(
        Utc.with_ymd_and_hms(2025, 12, 31, 16, 30, 0).unwrap(),
        Actor::User(Uuid::nil()),
        Uuid::nil(),
    );
    let state = given([drafted_with(&[rental()], 30, date(2025, 12, 31))])
        .at(ctx.clone())
        .when(send())
        .then([sent_with(1, &[rental()], &ctx)]);
    let revision = &record(&state).current;
    let sending = revision.sent.as_ref().unwrap();
    assert_eq!(sending.sent_on, date(2026, 1, 1));
    assert_eq!(sending.valid_until, date(2026, 1, 31));
    assert_eq!(
        revision.lines[0].tax().rule().id(),
        "rental-service-tax-8-less-2"
    );
    assert_eq!(revision.priced_on, date(2026, 1, 1));
}

// ---- revisions -----------------------------------------------------------------------------

#[test]
fn revising_a_sent_quotation_makes_r2_and_supersedes_r1() {
    let state = given([drafted(), sent()])
        .when(revise(None))
        .then([revised(2, &lines(), today())]);
    let q = record(&state);
    assert_eq!(q.number, number());
    assert_eq!(q.current.number, r(2));
    assert_eq!(q.current.status, RevisionStatus::Draft);
    assert_eq!(q.earlier.len(), 1);
    assert_eq!(q.earlier[0].status, RevisionStatus::Superseded);
    assert_eq!(q.number.with_revision(q.current.number), "QUO-2026-0042 r2");
}

#[test]
fn a_revision_may_start_from_new_lines() {
    given([drafted(), sent()])
        .when(revise(Some(vec![calibration()])))
        .then([revised(2, &[calibration()], today())]);
}

#[test]
fn every_revision_is_kept_as_it_was_sent() {
    let mut cheaper = calibration();
    cheaper.discount = rm("50.00");
    let later = on(date(2026, 6, 10));
    let history = [
        drafted(),
        sent(),
        revised(2, &lines(), today()),
        amended(2, &[cheaper.clone()], today()),
        sent_with(2, &[cheaper.clone()], &later),
    ];
    let state = given(history)
        .at(later.clone())
        .when(revise(None))
        .then([revised(3, &[cheaper.clone()], later.business_day())]);
    let q = record(&state);
    let revisions: Vec<_> = q.revisions().map(|r| (r.number, r.status)).collect();
    assert_eq!(
        revisions,
        [
            (r(1), RevisionStatus::Superseded),
            (r(2), RevisionStatus::Superseded),
            (r(3), RevisionStatus::Draft),
        ]
    );
    let r1 = q.revision(r(1)).unwrap();
    assert_eq!(r1.totals.tax_inclusive(), rm("1162.20"));
    assert_eq!(r1.lines, priced(&lines(), today()).0);
    assert_eq!(r1.sent.as_ref().unwrap().valid_until, date(2026, 7, 1));
    let r2 = q.revision(r(2)).unwrap();
    // 700.00 − 50.00 = 650.00 at 8 % = 52.00.
    assert_eq!(r2.totals.tax_inclusive(), rm("702.00"));
    assert_eq!(r2.sent.as_ref().unwrap().valid_until, date(2026, 7, 10));
}

#[test]
fn revising_a_draft_is_refused() {
    given([drafted()])
        .when(revise(None))
        .then_err(QuotationError::ReviseDraft { revision: r(1) });
    given([drafted(), sent(), revised(2, &lines(), today())])
        .when(revise(None))
        .then_err(QuotationError::ReviseDraft { revision: r(2) });
}

#[test]
fn revising_an_accepted_quotation_is_refused() {
    given([drafted(), sent(), accepted(1)])
        .when(revise(None))
        .then_err(QuotationError::AlreadyAccepted { revision: r(1) });
}

#[test]
fn a_rejected_or_expired_revision_keeps_its_status_when_revised() {
    for (ended, status) in [
        (rejected(1), RevisionStatus::Rejected),
        (expired(1), RevisionStatus::Expired),
    ] {
        let state = given([drafted(), sent(), ended])
            .at(on(date(2026, 7, 2)))
            .when(revise(None))
            .then([revised(2, &lines(), date(2026, 7, 2))]);
        let q = record(&state);
        assert_eq!(q.earlier[0].status, status);
        assert_eq!(q.status(), QuotationStatus::Draft);
    }
}

// ---- acceptance ----------------------------------------------------------------------------

#[test]
fn accepting_the_current_revision_records_who_accepted_and_their_po_number() {
    let state = given([drafted(), sent()])
        .when(accept(1))
        .then([accepted(1)]);
    let q = record(&state);
    assert_eq!(q.status(), QuotationStatus::Accepted);
    assert_eq!(q.current.status, RevisionStatus::Accepted);
    let acceptance = q.acceptance.as_ref().unwrap();
    assert_eq!(acceptance.revision, r(1));
    assert_eq!(acceptance.accepted_by, tan());
    assert_eq!(acceptance.customer_reference.as_deref(), Some("PO-88123"));
    assert_eq!(acceptance.accepted_on, today());
}

#[test]
fn accepting_a_superseded_revision_is_refused() {
    let refusal = QuotationError::RevisionSuperseded {
        revision: r(1),
        current: r(2),
    };
    assert_eq!(
        refusal.to_string(),
        "r1 was superseded by r2: only the current revision can be accepted"
    );
    // Whether r2 is still being drafted or already sent.
    given([drafted(), sent(), revised(2, &lines(), today())])
        .when(accept(1))
        .then_err(refusal.clone());
    given([
        drafted(),
        sent(),
        revised(2, &lines(), today()),
        sent_with(2, &lines(), &test_ctx()),
    ])
    .when(accept(1))
    .then_err(refusal);
}

#[test]
fn accepting_an_expired_revision_is_refused() {
    let refusal = QuotationError::RevisionExpired {
        revision: r(1),
        valid_until: date(2026, 7, 1),
    };
    assert_eq!(
        refusal.to_string(),
        "r1 has expired: it was valid until 2026-07-01"
    );
    given([drafted(), sent(), expired(1)])
        .at(on(date(2026, 7, 2)))
        .when(accept(1))
        .then_err(refusal);
}

#[test]
fn accepting_after_the_last_valid_day_is_refused_before_the_expiry_job_runs() {
    given([drafted(), sent()])
        .at(on(date(2026, 7, 2)))
        .when(accept(1))
        .then_err(QuotationError::RevisionExpired {
            revision: r(1),
            valid_until: date(2026, 7, 1),
        });
}

#[test]
fn a_revision_may_be_accepted_on_its_last_valid_day() {
    let last_day = on(date(2026, 7, 1));
    given([drafted(), sent()])
        .at(last_day.clone())
        .when(accept(1))
        .then([accepted_on(1, &last_day)]);
}

#[test]
fn accepting_an_unknown_revision_is_refused() {
    given([drafted(), sent()])
        .when(accept(2))
        .then_err(QuotationError::UnknownRevision {
            revision: r(2),
            latest: r(1),
        });
}

#[test]
fn accepting_a_revision_not_yet_sent_is_refused() {
    given([drafted()])
        .when(accept(1))
        .then_err(QuotationError::RevisionNotSent { revision: r(1) });
}

#[test]
fn accepting_a_rejected_revision_is_refused() {
    given([drafted(), sent(), rejected(1)])
        .when(accept(1))
        .then_err(QuotationError::RevisionRejected { revision: r(1) });
}

#[test]
fn accepting_twice_is_refused() {
    given([drafted(), sent(), accepted(1)])
        .when(accept(1))
        .then_err(QuotationError::AlreadyAccepted { revision: r(1) });
}

#[test]
fn a_blank_customer_reference_counts_as_none() {
    for reference in [None, Some("   ")] {
        given([drafted(), sent()])
            .when(accept_with_reference(1, reference))
            .then([QuotationEvent::QuotationAccepted(QuotationAccepted {
                revision: r(1),
                accepted_by: tan(),
                customer_reference: None,
                accepted_at: test_ctx().now,
                accepted_on: today(),
            })]);
    }
}

#[test]
fn a_customer_reference_longer_than_100_characters_is_refused() {
    given([drafted(), sent()])
        .when(accept_with_reference(1, Some(&"P".repeat(101))))
        .then_err(QuotationError::InvalidText {
            field: "customer_reference",
            problem: TextProblem::TooLong { max: 100 },
        });
}

// ---- rejection -----------------------------------------------------------------------------

#[test]
fn rejecting_records_the_reason() {
    let state = given([drafted(), sent()])
        .when(reject("  Went with a cheaper lab \n"))
        .then([rejected(1)]);
    let q = record(&state);
    assert_eq!(q.status(), QuotationStatus::Rejected);
    assert_eq!(
        q.current.rejection.as_ref().unwrap().reason,
        "Went with a cheaper lab"
    );
}

#[test]
fn rejecting_without_a_reason_is_refused() {
    for reason in ["", "  \n "] {
        given([drafted(), sent()])
            .when(reject(reason))
            .then_err(QuotationError::RejectionReasonRequired);
    }
}

#[test]
fn rejecting_a_revision_not_yet_sent_is_refused() {
    given([drafted()])
        .when(reject("No budget"))
        .then_err(QuotationError::RevisionNotSent { revision: r(1) });
}

#[test]
fn rejecting_an_accepted_or_rejected_quotation_is_refused() {
    given([drafted(), sent(), accepted(1)])
        .when(reject("Changed their mind"))
        .then_err(QuotationError::AlreadyAccepted { revision: r(1) });
    given([drafted(), sent(), rejected(1)])
        .when(reject("Still no"))
        .then_err(QuotationError::RevisionRejected { revision: r(1) });
}

// ---- expiry --------------------------------------------------------------------------------

#[test]
fn a_sent_quotation_expires_the_day_after_its_last_valid_day() {
    let state = given([drafted(), sent()])
        .at(on(date(2026, 7, 2)))
        .when(expire())
        .then([expired(1)]);
    let q = record(&state);
    assert_eq!(q.status(), QuotationStatus::Expired);
    assert_eq!(q.current.expired_on, Some(date(2026, 7, 2)));
}

#[test]
fn expiring_before_the_validity_passed_is_refused() {
    let refusal = QuotationError::NotYetExpired {
        revision: r(1),
        valid_until: date(2026, 7, 1),
    };
    assert_eq!(
        refusal.to_string(),
        "r1 is valid until 2026-07-01 and has not expired yet"
    );
    given([drafted(), sent()])
        .at(on(date(2026, 7, 1)))
        .when(expire())
        .then_err(refusal);
}

#[test]
fn expiring_an_expired_quotation_changes_nothing() {
    given([drafted(), sent(), expired(1)])
        .at(on(date(2026, 7, 3)))
        .when(expire())
        .then_nothing();
}

#[test]
fn expiring_a_draft_or_a_closed_quotation_is_refused() {
    given([drafted()])
        .at(on(date(2026, 7, 2)))
        .when(expire())
        .then_err(QuotationError::RevisionNotSent { revision: r(1) });
    given([drafted(), sent(), accepted(1)])
        .at(on(date(2026, 7, 2)))
        .when(expire())
        .then_err(QuotationError::AlreadyAccepted { revision: r(1) });
    given([drafted(), sent(), rejected(1)])
        .at(on(date(2026, 7, 2)))
        .when(expire())
        .then_err(QuotationError::RevisionRejected { revision: r(1) });
}

// ---- conversion ----------------------------------------------------------------------------

#[test]
fn converting_an_accepted_quotation_records_the_invoice_the_quotation_and_the_revision() {
    let history = [
        drafted(),
        sent(),
        revised(2, &lines(), today()),
        sent_with(2, &lines(), &test_ctx()),
        accepted(2),
    ];
    let state = given(history)
        .when(convert(invoice_id()))
        .then([converted(2)]);
    let q = record(&state);
    assert_eq!(q.status(), QuotationStatus::Converted);
    let conversion = q.conversion.as_ref().unwrap();
    assert_eq!(
        (conversion.invoice_id, conversion.revision),
        (invoice_id(), r(2))
    );
}

#[test]
fn converting_twice_is_refused() {
    let refusal = QuotationError::AlreadyConverted {
        invoice_id: invoice_id(),
    };
    assert_eq!(
        refusal.to_string(),
        format!("this quotation already became invoice {}", invoice_id())
    );
    given([drafted(), sent(), accepted(1), converted(1)])
        .when(convert(InvoiceId::from_uuid(Uuid::from_u128(999))))
        .then_err(refusal);
}

#[test]
fn converting_again_into_the_same_invoice_changes_nothing() {
    given([drafted(), sent(), accepted(1), converted(1)])
        .when(convert(invoice_id()))
        .then_nothing();
}

#[test]
fn converting_a_quotation_not_accepted_is_refused() {
    given([drafted(), sent()])
        .when(convert(invoice_id()))
        .then_err(QuotationError::NotAccepted {
            status: QuotationStatus::Sent,
        });
    given([drafted()])
        .when(convert(invoice_id()))
        .then_err(QuotationError::NotAccepted {
            status: QuotationStatus::Draft,
        });
}

#[test]
fn a_converted_quotation_can_no_longer_change() {
    let history = || [drafted(), sent(), accepted(1), converted(1)];
    for command in [amend(lines()), send(), revise(None), reject("Too late")] {
        given(history())
            .when(command)
            .then_err(QuotationError::AlreadyAccepted { revision: r(1) });
    }
}

// ---- storage -------------------------------------------------------------------------------

fn every_event() -> Vec<QuotationEvent> {
    vec![
        drafted(),
        amended(1, &[calibration()], today()),
        QuotationEvent::QuotationValidityChanged(QuotationValidityChanged { validity: days(14) }),
        sent(),
        revised(2, &lines(), today()),
        accepted(2),
        rejected(1),
        expired(1),
        converted(2),
    ]
}

#[test]
fn every_event_survives_being_stored_and_read() {
    for event in every_event() {
        let (event_type, version, payload) = event.encode().unwrap();
        assert_eq!(event_type, format!("{event:?}").split('(').next().unwrap());
        assert_eq!(version, 1);
        assert_eq!(
            QuotationEvent::decode(event_type, version, payload).unwrap(),
            event
        );
    }
}

#[test]
fn a_sent_revision_is_stored_with_its_recipient_each_lines_rule_and_the_totals() {
    let (_, _, payload) = sent().encode().unwrap();
    assert_eq!(payload["revision"], 1);
    assert_eq!(
        payload["to"],
        json!({ "name": "Siti Aminah", "channel": { "email": "siti@acme.com.my" } })
    );
    assert_eq!(payload["sent_on"], "2026-06-01");
    assert_eq!(payload["valid_until"], "2026-07-01");
    let rental = &payload["lines"][1]["tax"];
    assert_eq!(rental["treatment"], json!({ "kind": "equipment_rental" }));
    assert_eq!(rental["rule"]["id"], "rental-service-tax-8-less-2");
    assert_eq!(rental["rule"]["tax_type"], "02");
    assert_eq!(rental["rule"]["rate"], "8");
    assert_eq!(rental["rule"]["exemption"]["rate"], "2");
    assert_eq!(
        rental["amount"],
        json!({ "amount": "16.20", "currency": "MYR" })
    );
    assert_eq!(
        payload["totals"]["tax_inclusive"],
        json!({ "amount": "1162.20", "currency": "MYR" })
    );
    let (_, _, payload) = drafted().encode().unwrap();
    assert_eq!(payload["number"], "QUO-2026-0042");
    assert_eq!(payload["validity"], 30);
}

#[test]
fn a_line_stored_under_codes_lhdn_later_dropped_still_loads() {
    // A unit and a tax type no longer in LHDN's tables must not stop a stream replaying.
    let (event_type, version, mut payload) = sent().encode().unwrap();
    payload["lines"][0]["unit"] = json!("ZZ9");
    payload["lines"][0]["tax"]["rule"]["tax_type"] = json!("07");
    let event = QuotationEvent::decode(event_type, version, payload).unwrap();
    let state = Quotation::replay(&[drafted(), event]);
    let line = &record(&state).current.lines[0];
    assert_eq!(line.unit().as_str(), "ZZ9");
    assert_eq!(line.unit().name(), None);
    assert_eq!(line.tax().rule().tax_type().description(), None);
}

#[test]
fn a_quotation_survives_a_snapshot() {
    let history = [
        drafted(),
        sent(),
        revised(2, &lines(), today()),
        sent_with(2, &lines(), &test_ctx()),
        accepted(2),
        converted(2),
    ];
    let state = Quotation::replay(&history);
    let snapshot = serde_json::to_value(&state).unwrap();
    assert_eq!(snapshot["state"], "drafted");
    assert_eq!(snapshot["earlier"][0]["status"], "superseded");
    assert_eq!(snapshot["current"]["status"], "accepted");
    assert_eq!(
        serde_json::from_value::<Quotation>(snapshot).unwrap(),
        state
    );
    assert_eq!(
        serde_json::to_value(Quotation::default()).unwrap(),
        json!({ "state": "not_drafted" })
    );
}

#[test]
fn the_stream_type_is_quotation() {
    assert_eq!(<Quotation as Aggregate>::STREAM_TYPE, "quotation");
}
