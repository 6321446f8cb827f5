//! Sales left to the month's consolidated e-invoice: the RM10,000 rule, the buyer's request
//! for an e-invoice of their own within the month, and the month taking the sale in.

use super::*;
use crate::einvoice::{StartSubmission, SubmissionStep};
use crate::values::Month;

fn issue_for_consolidation() -> InvoiceCommand {
    InvoiceCommand::Issue(IssueInvoice {
        number: inv(),
        einvoice: EInvoiceChoice::Consolidated,
        exchange_rate: None,
    })
}

/// The standard invoice (RM 1162.20) issued today for consolidation.
fn issued_for_consolidation() -> InvoiceEvent {
    match issued() {
        InvoiceEvent::InvoiceIssued(e) => InvoiceEvent::InvoiceIssued(InvoiceIssued {
            einvoice: EInvoiceChoice::Consolidated,
            ..e
        }),
        other => panic!("{other:?}"),
    }
}

fn june() -> Month {
    Month::parse("2026-06").unwrap()
}

fn consolidate(month: Month) -> InvoiceCommand {
    InvoiceCommand::Consolidate(ConsolidateInvoice { month })
}

fn consolidated(ctx: &Ctx) -> InvoiceEvent {
    InvoiceEvent::InvoiceConsolidated(InvoiceConsolidated {
        invoice_id: invoice_id(),
        number: inv(),
        month: june(),
        consolidated_at: ctx.now,
    })
}

fn requested_individual() -> InvoiceEvent {
    InvoiceEvent::IndividualEInvoiceRequested(IndividualEInvoiceRequested {
        invoice_id: invoice_id(),
        number: inv(),
        requested_at: test_ctx().now,
    })
}

fn start() -> InvoiceCommand {
    InvoiceCommand::submission(
        None,
        SubmissionStep::Start(StartSubmission {
            document_hash: "a".repeat(64),
            signed_copy: Uuid::from_u128(7),
        }),
    )
}

#[test]
fn a_sale_is_issued_for_consolidation_when_the_buyer_wants_no_einvoice() {
    let state = given([drafted()])
        .when(issue_for_consolidation())
        .then([issued_for_consolidation()]);
    let record = state.drafted().unwrap();
    assert_eq!(record.einvoice_choice(), EInvoiceChoice::Consolidated);
}

#[test]
fn a_sale_over_rm10000_is_refused_for_consolidation() {
    // Two lines of RM 5,000.01 of goods: RM 10,000.02 payable.
    let big = vec![goods("5000.01"), goods("5000.01")];
    given([drafted_with(&big, today())])
        .when(issue_for_consolidation())
        .then_err(InvoiceError::OverConsolidationLimit {
            payable: rm("10000.02"),
            limit: SINGLE_TRANSACTION_LIMIT,
        });
    assert_eq!(
        InvoiceError::OverConsolidationLimit {
            payable: rm("10000.02"),
            limit: SINGLE_TRANSACTION_LIMIT,
        }
        .pointer()
        .as_deref(),
        Some("/einvoice")
    );
}

#[test]
fn a_sale_of_exactly_rm10000_may_be_consolidated() {
    let exact = vec![goods("10000.00")];
    let state = given([drafted_with(&exact, today())]).when(issue_for_consolidation());
    let state = state.then([match issued_with(&exact, &test_ctx()) {
        InvoiceEvent::InvoiceIssued(e) => InvoiceEvent::InvoiceIssued(InvoiceIssued {
            einvoice: EInvoiceChoice::Consolidated,
            ..e
        }),
        other => panic!("{other:?}"),
    }]);
    assert!(state.drafted().unwrap().issue.is_some());
}

#[test]
fn the_rm10000_rule_applies_from_2026() {
    // Issued on 31 December 2025: the single-transaction rule was not in force yet.
    let day = date(2025, 12, 31);
    let big = vec![goods("12000.00")];
    let outcome = given([drafted_with(&big, day)])
        .at(on(day))
        .when(InvoiceCommand::Issue(IssueInvoice {
            number: DocumentNumber::new(DocumentKind::Invoice, 2025, 9).unwrap(),
            einvoice: EInvoiceChoice::Consolidated,
            exchange_rate: None,
        }));
    let state = outcome.then([InvoiceEvent::InvoiceIssued(InvoiceIssued {
        number: DocumentNumber::new(DocumentKind::Invoice, 2025, 9).unwrap(),
        einvoice: EInvoiceChoice::Consolidated,
        ..match issued_with(&big, &on(day)) {
            InvoiceEvent::InvoiceIssued(e) => e,
            other => panic!("{other:?}"),
        }
    })]);
    assert!(state.drafted().unwrap().issue.is_some());
}

#[test]
fn a_sale_in_foreign_currency_is_refused_for_consolidation() {
    let usd = Money::parse("100.00", "USD").unwrap();
    assert_eq!(
        crate::invoice::consolidation::may_consolidate(usd, today()),
        Err(InvoiceError::ConsolidationInForeignCurrency {
            currency: usd.currency()
        })
    );
}

#[test]
fn a_sale_for_consolidation_is_not_submitted_on_its_own() {
    given([drafted(), issued_for_consolidation()])
        .when(start())
        .then_err(InvoiceError::LeftToConsolidation { number: inv() });
}

#[test]
fn the_buyer_may_ask_for_an_einvoice_of_their_own_within_the_month() {
    let state = given([drafted(), issued_for_consolidation()])
        .at(on(date(2026, 6, 30)))
        .when(InvoiceCommand::RequestIndividualEInvoice)
        .then([InvoiceEvent::IndividualEInvoiceRequested(
            IndividualEInvoiceRequested {
                invoice_id: invoice_id(),
                number: inv(),
                requested_at: on(date(2026, 6, 30)).now,
            },
        )]);
    assert_eq!(
        state.drafted().unwrap().einvoice_choice(),
        EInvoiceChoice::Individual
    );
}

#[test]
fn an_invoice_asked_for_individually_is_submitted_on_its_own() {
    let state = given([
        drafted(),
        issued_for_consolidation(),
        requested_individual(),
    ]);
    let outcome = state.when(start());
    let state = outcome.then([InvoiceEvent::EInvoiceSubmissionStarted(
        EInvoiceSubmissionStarted {
            note_id: None,
            started: crate::einvoice::Started {
                attempt: 1,
                document_hash: "a".repeat(64),
                signed_copy: Uuid::from_u128(7),
                started_at: test_ctx().now,
            },
        },
    )]);
    assert!(state.drafted().unwrap().einvoice(None).is_some());
}

#[test]
fn asking_twice_for_an_einvoice_of_ones_own_changes_nothing() {
    given([
        drafted(),
        issued_for_consolidation(),
        requested_individual(),
    ])
    .when(InvoiceCommand::RequestIndividualEInvoice)
    .then_nothing();
    given([drafted(), issued()])
        .when(InvoiceCommand::RequestIndividualEInvoice)
        .then_nothing();
}

#[test]
fn asking_for_an_einvoice_of_ones_own_after_the_month_is_refused() {
    // 1 July 00:30 in Kuala Lumpur is still 30 June in UTC: Malaysian time decides.
    let first_of_july = at(Utc.with_ymd_and_hms(2026, 6, 30, 16, 30, 0).unwrap());
    given([drafted(), issued_for_consolidation()])
        .at(first_of_july)
        .when(InvoiceCommand::RequestIndividualEInvoice)
        .then_err(InvoiceError::IndividualEInvoiceTooLate {
            number: inv(),
            month: june(),
        });
}

#[test]
fn asking_for_an_einvoice_of_ones_own_once_consolidated_is_refused() {
    let july = on(date(2026, 7, 2));
    given([drafted(), issued_for_consolidation(), consolidated(&july)])
        .when(InvoiceCommand::RequestIndividualEInvoice)
        .then_err(InvoiceError::AlreadyConsolidated {
            number: inv(),
            month: june(),
        });
}

#[test]
fn asking_for_an_einvoice_of_ones_own_for_a_cancelled_sale_is_refused() {
    let cancelled = InvoiceEvent::InvoiceCancelled(InvoiceCancelled {
        invoice_id: invoice_id(),
        number: inv(),
        customer_id: customer_id(),
        reason: "Wrong price".into(),
        cancelled_at: test_ctx().now,
    });
    given([drafted(), issued_for_consolidation(), cancelled])
        .when(InvoiceCommand::RequestIndividualEInvoice)
        .then_err(InvoiceError::Cancelled { number: inv() });
}

#[test]
fn the_month_takes_a_sale_in_once_it_is_over() {
    let july = on(date(2026, 7, 2));
    let state = given([drafted(), issued_for_consolidation()])
        .at(july.clone())
        .when(consolidate(june()))
        .then([consolidated(&july)]);
    assert_eq!(state.drafted().unwrap().consolidated_in, Some(june()));
}

#[test]
fn taking_a_sale_in_again_changes_nothing() {
    let july = on(date(2026, 7, 2));
    given([drafted(), issued_for_consolidation(), consolidated(&july)])
        .at(july)
        .when(consolidate(june()))
        .then_nothing();
}

#[test]
fn a_sale_is_not_taken_in_before_its_month_is_over() {
    given([drafted(), issued_for_consolidation()])
        .at(on(date(2026, 6, 30)))
        .when(consolidate(june()))
        .then_err(InvoiceError::MonthNotOver { month: june() });
}

#[test]
fn a_sale_is_taken_in_only_by_its_own_month() {
    given([drafted(), issued_for_consolidation()])
        .at(on(date(2026, 8, 2)))
        .when(consolidate(june().next()))
        .then_err(InvoiceError::SaleOutsideMonth {
            number: inv(),
            month: june().next(),
        });
}

#[test]
fn a_sale_with_an_einvoice_of_its_own_is_not_taken_in() {
    given([
        drafted(),
        issued_for_consolidation(),
        requested_individual(),
    ])
    .at(on(date(2026, 7, 2)))
    .when(consolidate(june()))
    .then_err(InvoiceError::NotLeftToConsolidation { number: inv() });
}

#[test]
fn a_consolidated_sale_is_not_cancelled() {
    let july = on(date(2026, 7, 2));
    given([drafted(), issued_for_consolidation(), consolidated(&july)])
        .at(july)
        .when(InvoiceCommand::Cancel(CancelInvoice {
            reason: "Wrong price".into(),
        }))
        .then_err(InvoiceError::AlreadyConsolidated {
            number: inv(),
            month: june(),
        });
}

#[test]
fn a_note_against_a_sale_left_to_consolidation_is_refused() {
    given([drafted(), issued_for_consolidation()])
        .when(note(NoteKind::Credit, 1, vec![goods("10.00")]))
        .then_err(InvoiceError::NoteOnConsolidatedSale { number: inv() });
}

#[test]
fn an_invoice_issued_before_consolidation_existed_reads_as_individual() {
    let issued = issued();
    let (event_type, _, mut payload) = issued.encode().unwrap();
    payload.as_object_mut().unwrap().remove("einvoice");
    let read = InvoiceEvent::decode(event_type, 1, payload).unwrap();
    assert_eq!(read, issued);
    assert_eq!(InvoiceEvent::schema_version("InvoiceIssued"), 2);
}
