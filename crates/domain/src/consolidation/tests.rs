//! One test per rule, named as the rule.

#![allow(clippy::unwrap_used)]

use chrono::{DateTime, TimeZone, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;

use super::*;
use crate::einvoice::{
    Accepted, RecordAcceptance, RecordRejection, RecordValidation, StartSubmission, Started,
    SubmissionError, SubmissionStep, Validated,
};
use crate::ids::InvoiceId;
use crate::invoice::{DocumentKind, DocumentNumber};
use crate::money::Money;
use crate::testing::{self, Given, date, on};
use crate::values::{Month, TaxType};
use crate::{Ctx, DomainEvent};

fn given(history: impl IntoIterator<Item = ConsolidationEvent>) -> Given<Consolidation> {
    testing::given(history)
}

fn november() -> Month {
    Month::parse("2026-11").unwrap()
}

/// 2 December 2026, 10:00 in Kuala Lumpur: the job's run in the week after November.
fn december_2nd() -> Ctx {
    on(date(2026, 12, 2))
}

fn rm(amount: &str) -> Money {
    Money::parse(amount, "MYR").unwrap()
}

fn inv(serial: u64) -> DocumentNumber {
    DocumentNumber::new(DocumentKind::Invoice, 2026, serial).unwrap()
}

fn service_tax() -> TaxKey {
    TaxKey {
        tax_type: TaxType::parse("02").unwrap(),
        percent: Decimal::from(8),
        exemption_reason: None,
    }
}

fn not_taxable() -> TaxKey {
    TaxKey {
        tax_type: TaxType::parse("06").unwrap(),
        percent: Decimal::ZERO,
        exemption_reason: None,
    }
}

/// Invoice `serial`, issued on 10 November, with these (tax, net, tax amount).
fn sale(serial: u64, amounts: &[(TaxKey, &str, &str)]) -> Sale {
    Sale {
        invoice_id: InvoiceId::from_uuid(Uuid::from_u128(u128::from(serial))),
        number: inv(serial),
        issued_on: date(2026, 11, 10),
        amounts: amounts
            .iter()
            .map(|(tax, net, tax_amount)| TaxedAmount {
                tax: tax.clone(),
                net: rm(net),
                tax_amount: rm(tax_amount),
            })
            .collect(),
    }
}

fn prepare(sales: Vec<Sale>) -> ConsolidationCommand {
    ConsolidationCommand::Prepare(PrepareConsolidation {
        month: november(),
        sales,
    })
}

fn line(receipts: &str, invoices: &[u64], tax: &TaxKey, net: &str, amount: &str) -> SalesLine {
    SalesLine {
        receipts: receipts.to_owned(),
        invoices: invoices.iter().map(|s| inv(*s)).collect(),
        net: rm(net),
        tax: rm(amount),
        tax_type: tax.tax_type.clone(),
        percent: tax.percent,
        exemption_reason: None,
    }
}

fn number(serial: u32) -> ConsolidatedNumber {
    ConsolidatedNumber::new(november(), serial)
}

fn prepared(invoices: &[u64], lines: Vec<SalesLine>) -> ConsolidationEvent {
    ConsolidationEvent::ConsolidatedEInvoicePrepared(ConsolidatedEInvoicePrepared {
        month: november(),
        number: number(1),
        issued_at: december_2nd().now,
        currency: Currency::MYR,
        invoices: invoices.iter().map(|s| inv(*s)).collect(),
        lines,
    })
}

fn one_sale_prepared() -> ConsolidationEvent {
    prepared(
        &[1],
        vec![line(
            "Receipt INV-2026-000001",
            &[1],
            &service_tax(),
            "100.00",
            "8.00",
        )],
    )
}

fn submission(step: SubmissionStep) -> ConsolidationCommand {
    ConsolidationCommand::Submission {
        number: number(1),
        step,
    }
}

fn start() -> ConsolidationCommand {
    submission(SubmissionStep::Start(StartSubmission {
        document_hash: "b".repeat(64),
        signed_copy: Uuid::from_u128(9),
    }))
}

fn started(at: DateTime<Utc>) -> ConsolidationEvent {
    ConsolidationEvent::ConsolidatedSubmissionStarted(DocumentStep {
        number: number(1),
        step: Started {
            attempt: 1,
            document_hash: "b".repeat(64),
            signed_copy: Uuid::from_u128(9),
            started_at: at,
        },
    })
}

fn accepted(at: DateTime<Utc>) -> ConsolidationEvent {
    ConsolidationEvent::ConsolidatedEInvoiceAccepted(DocumentStep {
        number: number(1),
        step: Accepted {
            attempt: 1,
            submission_uid: "SUB1".into(),
            document_uuid: "DOC1".into(),
            accepted_at: at,
        },
    })
}

#[test]
fn a_month_is_summarised_one_line_per_continuous_range_and_tax() {
    // 1–3 left to consolidation; 4 e-invoiced on its own; 5 consolidated again. Invoice 2
    // also sold something not taxable.
    let sales = vec![
        sale(1, &[(service_tax(), "100.00", "8.00")]),
        sale(
            2,
            &[
                (service_tax(), "50.00", "4.00"),
                (not_taxable(), "20.00", "0.00"),
            ],
        ),
        sale(3, &[(service_tax(), "10.00", "0.80")]),
        sale(5, &[(service_tax(), "30.00", "2.40")]),
    ];
    given([])
        .at(december_2nd())
        .when(prepare(sales))
        .then([prepared(
            &[1, 2, 3, 5],
            vec![
                line(
                    "Receipts INV-2026-000001 - INV-2026-000003",
                    &[1, 2, 3],
                    &service_tax(),
                    "160.00",
                    "12.80",
                ),
                line(
                    "Receipt INV-2026-000002",
                    &[2],
                    &not_taxable(),
                    "20.00",
                    "0.00",
                ),
                line(
                    "Receipt INV-2026-000005",
                    &[5],
                    &service_tax(),
                    "30.00",
                    "2.40",
                ),
            ],
        )]);
}

#[test]
fn a_month_of_more_than_100_lines_is_split_into_several_documents() {
    // Every other number: 150 sales, no two continuous, 150 lines.
    let sales: Vec<Sale> = (0..150)
        .map(|n| sale(2 * n + 1, &[(service_tax(), "1.00", "0.08")]))
        .collect();
    let events = Consolidation::default()
        .decide(&prepare(sales), &december_2nd())
        .unwrap();
    let documents: Vec<(String, usize, usize)> = events
        .iter()
        .map(|e| match e {
            ConsolidationEvent::ConsolidatedEInvoicePrepared(p) => {
                (p.number.to_string(), p.lines.len(), p.invoices.len())
            }
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        documents,
        [
            ("CON-2026-11-001".to_owned(), 100, 100),
            ("CON-2026-11-002".to_owned(), 50, 50)
        ]
    );
}

#[test]
fn a_month_is_prepared_once() {
    given([one_sale_prepared()])
        .at(december_2nd())
        .when(prepare(vec![sale(1, &[(service_tax(), "100.00", "8.00")])]))
        .then_nothing();
}

#[test]
fn a_month_is_not_prepared_before_it_is_over() {
    given([])
        .at(on(date(2026, 11, 30)))
        .when(prepare(vec![sale(1, &[(service_tax(), "100.00", "8.00")])]))
        .then_err(ConsolidationError::MonthNotOver { month: november() });
}

#[test]
fn a_month_without_sales_is_not_prepared() {
    given([])
        .at(december_2nd())
        .when(prepare(vec![]))
        .then_err(ConsolidationError::NothingToConsolidate { month: november() });
}

#[test]
fn a_sale_of_another_month_is_refused() {
    let mut october = sale(1, &[(service_tax(), "100.00", "8.00")]);
    october.issued_on = date(2026, 10, 31);
    given([])
        .at(december_2nd())
        .when(prepare(vec![october]))
        .then_err(ConsolidationError::SaleOutsideMonth {
            number: inv(1),
            month: november(),
        });
}

#[test]
fn a_sale_given_twice_is_refused() {
    let one = sale(1, &[(service_tax(), "100.00", "8.00")]);
    given([])
        .at(december_2nd())
        .when(prepare(vec![one.clone(), one]))
        .then_err(ConsolidationError::SaleTwice { number: inv(1) });
}

#[test]
fn a_sale_in_foreign_currency_is_refused() {
    let mut dollars = sale(1, &[(service_tax(), "100.00", "8.00")]);
    dollars.amounts[0].net = Money::parse("100.00", "USD").unwrap();
    given([])
        .at(december_2nd())
        .when(prepare(vec![dollars]))
        .then_err(ConsolidationError::ForeignCurrency { number: inv(1) });
}

#[test]
fn a_document_is_submitted_validated_and_then_not_again() {
    let now = december_2nd().now;
    let state = given([one_sale_prepared()])
        .at(december_2nd())
        .when(start())
        .then([started(now)]);
    let document = state.prepared().unwrap().document(&number(1)).unwrap();
    assert_eq!(document.attempts, 1);
    given([one_sale_prepared(), started(now)])
        .at(december_2nd())
        .when(submission(SubmissionStep::Accept(RecordAcceptance {
            attempt: 1,
            submission_uid: "SUB1".into(),
            document_uuid: "DOC1".into(),
        })))
        .then([accepted(now)]);
    let validated_at = Utc.with_ymd_and_hms(2026, 12, 2, 3, 0, 0).unwrap();
    given([one_sale_prepared(), started(now), accepted(now)])
        .at(december_2nd())
        .when(submission(SubmissionStep::Validate(RecordValidation {
            document_uuid: "DOC1".into(),
            long_id: "LONG1".into(),
            validated_at,
        })))
        .then([ConsolidationEvent::ConsolidatedEInvoiceValidated(
            DocumentStep {
                number: number(1),
                step: Validated {
                    document_uuid: "DOC1".into(),
                    long_id: "LONG1".into(),
                    validated_at,
                },
            },
        )]);
}

#[test]
fn a_document_under_way_is_not_submitted_again() {
    let now = december_2nd().now;
    given([one_sale_prepared(), started(now)])
        .at(december_2nd())
        .when(start())
        .then_err(ConsolidationError::Submission {
            number: number(1),
            refusal: SubmissionError::UnderWay { attempt: 1 },
        });
}

#[test]
fn a_document_is_not_submitted_72_hours_after_it_was_made() {
    let late = on(date(2026, 12, 6));
    given([one_sale_prepared()])
        .at(late)
        .when(start())
        .then_err(ConsolidationError::Submission {
            number: number(1),
            refusal: SubmissionError::WindowClosed {
                closed_at: december_2nd().now + einvoice::SUBMISSION_WINDOW,
            },
        });
}

#[test]
fn a_rejected_document_records_lhdns_problems() {
    let now = december_2nd().now;
    let state = given([one_sale_prepared(), started(now)])
        .at(december_2nd())
        .when(submission(SubmissionStep::Reject(RecordRejection {
            attempt: 1,
            document_uuid: None,
            problems: vec![],
        })));
    let state = state.then([rejected_at(now)]);
    let document = state.prepared().unwrap().document(&number(1)).unwrap();
    assert!(!document.track().unwrap().stage.under_way());
}

fn rejected_at(now: DateTime<Utc>) -> ConsolidationEvent {
    ConsolidationEvent::ConsolidatedEInvoiceRejected(DocumentStep {
        number: number(1),
        step: einvoice::Rejected {
            attempt: 1,
            document_uuid: None,
            problems: vec![],
            rejected_at: now,
        },
    })
}

fn resubmission_requested(now: DateTime<Utc>) -> ConsolidationEvent {
    ConsolidationEvent::ConsolidatedResubmissionRequested(DocumentStep {
        number: number(1),
        step: ResubmissionRequested { requested_at: now },
    })
}

#[test]
fn a_rejected_document_is_submitted_again_on_request() {
    let now = december_2nd().now;
    let request = ConsolidationCommand::RequestResubmission { number: number(1) };
    given([one_sale_prepared(), started(now), rejected_at(now)])
        .at(december_2nd())
        .when(request.clone())
        .then([resubmission_requested(now)]);
    // Asked once is enough.
    given([
        one_sale_prepared(),
        started(now),
        rejected_at(now),
        resubmission_requested(now),
    ])
    .at(december_2nd())
    .when(request.clone())
    .then_nothing();
    // Not one LHDN has not refused.
    given([one_sale_prepared(), started(now)])
        .at(december_2nd())
        .when(request.clone())
        .then_err(ConsolidationError::Submission {
            number: number(1),
            refusal: SubmissionError::NotRejected,
        });
    given([one_sale_prepared()])
        .at(december_2nd())
        .when(ConsolidationCommand::RequestResubmission { number: number(2) })
        .then_err(ConsolidationError::NoSuchDocument { number: number(2) });
}

#[test]
fn a_document_the_submitter_cannot_send_is_held_then_asked_for_again() {
    let now = december_2nd().now;
    let problems = vec![einvoice::LhdnProblem {
        code: None,
        message: "it cannot be signed".into(),
        property_path: None,
    }];
    let held = ConsolidationEvent::ConsolidatedEInvoiceHeld(DocumentStep {
        number: number(1),
        step: einvoice::Held {
            problems: problems.clone(),
            held_at: now,
        },
    });
    let state = given([one_sale_prepared()])
        .at(december_2nd())
        .when(submission(SubmissionStep::Hold(einvoice::HoldSubmission {
            problems,
        })))
        .then([held.clone()]);
    let document = state.prepared().unwrap().document(&number(1)).unwrap();
    assert_eq!(document.attempts, 0);
    given([one_sale_prepared(), held])
        .at(december_2nd())
        .when(ConsolidationCommand::RequestResubmission { number: number(1) })
        .then([resubmission_requested(now)]);
}

#[test]
fn a_step_for_an_unknown_document_is_refused() {
    given([one_sale_prepared()])
        .at(december_2nd())
        .when(ConsolidationCommand::Submission {
            number: number(2),
            step: SubmissionStep::Start(StartSubmission {
                document_hash: "b".repeat(64),
                signed_copy: Uuid::from_u128(9),
            }),
        })
        .then_err(ConsolidationError::NoSuchDocument { number: number(2) });
    given([])
        .when(start())
        .then_err(ConsolidationError::NotPrepared);
}

#[test]
fn a_consolidated_number_is_written_con_month_serial() {
    assert_eq!(number(1).as_str(), "CON-2026-11-001");
    assert_eq!(ConsolidatedNumber::parse("con-2026-11-001"), Ok(number(1)));
    assert_eq!(number(1).month(), Some(november()));
    assert!(ConsolidatedNumber::parse("CON-2026-11-0001").is_err());
    assert!(ConsolidatedNumber::parse("INV-2026-000001").is_err());
}

#[test]
fn the_steps_are_stored_flat_with_the_documents_number() {
    let (event_type, _, payload) = started(december_2nd().now).encode().unwrap();
    assert_eq!(event_type, "ConsolidatedSubmissionStarted");
    assert_eq!(payload["number"], "CON-2026-11-001");
    assert_eq!(payload["attempt"], 1);
    let read = ConsolidationEvent::decode_text(event_type, 1, &payload.to_string()).unwrap();
    assert_eq!(read, started(december_2nd().now));
}
