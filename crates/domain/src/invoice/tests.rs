//! One test per rule, named as the rule.

#![allow(clippy::unwrap_used)]

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::json;
use uuid::Uuid;

use super::*;
use crate::billing::{BillingError, LineError};
use crate::ids::{CustomerId, InvoiceId, NoteId, PaymentId, QuotationId};
use crate::quotation::{QuotationNumber, RevisionNumber};
use crate::tax::TaxTreatment;
use crate::testing::{self, Given, test_ctx};
use crate::values::{Quantity, TextProblem, UnitCode};
use crate::{Ctx, DomainEvent};

mod consolidation;
mod foreign_currency;

// ---- fixtures ------------------------------------------------------------------------------

/// `testing::given`, for invoices: an event type alone cannot name its aggregate.
fn given(history: impl IntoIterator<Item = InvoiceEvent>) -> Given<Invoice> {
    testing::given(history)
}

fn invoice_id() -> InvoiceId {
    InvoiceId::from_uuid(Uuid::from_u128(0x0197_0000_0000_7000_8000_0000_0000_0123))
}

fn customer_id() -> CustomerId {
    CustomerId::from_uuid(Uuid::from_u128(1))
}

fn payment_id(n: u128) -> PaymentId {
    PaymentId::from_uuid(Uuid::from_u128(0x1000 + n))
}

fn note_id(n: u128) -> NoteId {
    NoteId::from_uuid(Uuid::from_u128(0x2000 + n))
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The business day of [`test_ctx`]: 1 June 2026 in Kuala Lumpur.
fn today() -> NaiveDate {
    date(2026, 6, 1)
}

/// A command run at `at`.
fn at(at: DateTime<Utc>) -> Ctx {
    let ctx = test_ctx();
    Ctx::new(at, ctx.actor, ctx.correlation_id)
}

/// A command run at 10:00 in Kuala Lumpur on `day`.
fn on(day: NaiveDate) -> Ctx {
    at(Utc.from_utc_datetime(&day.and_hms_opt(2, 0, 0).unwrap()))
}

fn rm(amount: &str) -> Money {
    Money::parse(amount, "MYR").unwrap()
}

fn terms(days: u16) -> PaymentTerms {
    PaymentTerms::new(days).unwrap()
}

fn number(kind: DocumentKind, serial: u64) -> DocumentNumber {
    DocumentNumber::new(kind, 2026, serial).unwrap()
}

fn inv() -> DocumentNumber {
    number(DocumentKind::Invoice, 123)
}

fn calibration() -> LineInput {
    testing::sample_calibration_line().unwrap()
}

fn rental() -> LineInput {
    testing::sample_rental_line().unwrap()
}

/// Goods resold, no SST: a line whose payable amount is its price.
fn goods(price: &str) -> LineInput {
    LineInput {
        item_code: None,
        description: "Stainless steel test weight 1 kg, class F1".into(),
        quantity: Quantity::parse("1").unwrap(),
        unit: UnitCode::parse("H87").unwrap(),
        unit_price: rm(price),
        discount: rm("0"),
        tax: TaxTreatment::GoodsResale,
    }
}

/// 756.00 + 286.20 + 120.00 = 1162.20 payable, priced on 1 June 2026.
fn lines() -> Vec<LineInput> {
    vec![calibration(), rental(), goods("120.00")]
}

/// `lines` priced in ringgit under the SST rules of `day`.
fn priced(lines: &[LineInput], day: NaiveDate) -> (Vec<Line>, Totals) {
    billing::price(Currency::MYR, lines, day, &Adjustments::default()).unwrap()
}

fn source() -> QuotationSource {
    QuotationSource {
        quotation_id: QuotationId::from_uuid(Uuid::from_u128(42)),
        number: QuotationNumber::parse("QUO-2026-0042").unwrap(),
        revision: RevisionNumber::new(2).unwrap(),
    }
}

fn draft_with(lines: Vec<LineInput>, reference: Option<&str>) -> InvoiceCommand {
    InvoiceCommand::Draft(DraftInvoice {
        id: invoice_id(),
        customer_id: customer_id(),
        currency: Currency::MYR,
        lines,
        payment_terms: terms(30),
        customer_reference: reference.map(str::to_owned),
        source: None,
    })
}

fn draft() -> InvoiceCommand {
    draft_with(lines(), None)
}

fn drafted_with(lines: &[LineInput], day: NaiveDate) -> InvoiceEvent {
    let (lines, totals) = priced(lines, day);
    InvoiceEvent::InvoiceDrafted(InvoiceDrafted {
        invoice_id: invoice_id(),
        customer_id: customer_id(),
        currency: Currency::MYR,
        payment_terms: terms(30),
        customer_reference: None,
        source: None,
        lines,
        totals,
        priced_on: day,
    })
}

/// The standard invoice, drafted today.
fn drafted() -> InvoiceEvent {
    drafted_with(&lines(), today())
}

fn amend(lines: Vec<LineInput>, days: u16, reference: Option<&str>) -> InvoiceCommand {
    InvoiceCommand::AmendDraft(AmendDraft {
        lines,
        payment_terms: terms(days),
        customer_reference: reference.map(str::to_owned),
    })
}

fn issue(number: DocumentNumber) -> InvoiceCommand {
    InvoiceCommand::Issue(IssueInvoice {
        number,
        einvoice: EInvoiceChoice::Individual,
        exchange_rate: None,
    })
}

/// INV-2026-000123 with `lines`, issued in `ctx`, due 30 days later.
fn issued_with(lines: &[LineInput], ctx: &Ctx) -> InvoiceEvent {
    let issued_on = ctx.business_day();
    let (lines, totals) = priced(lines, issued_on);
    InvoiceEvent::InvoiceIssued(InvoiceIssued {
        invoice_id: invoice_id(),
        number: inv(),
        customer_id: customer_id(),
        issued_at: ctx.now,
        issued_on,
        due_on: terms(30).due_on(issued_on),
        lines,
        totals,
        einvoice: EInvoiceChoice::Individual,
        exchange_rate: None,
    })
}

/// The standard invoice issued today: RM 1162.20, due 1 July 2026.
fn issued() -> InvoiceEvent {
    issued_with(&lines(), &test_ctx())
}

fn pay(n: u128, amount: &str) -> InvoiceCommand {
    InvoiceCommand::RecordPayment(RecordPayment {
        payment_id: payment_id(n),
        amount: rm(amount),
        method: PaymentMethod::BankTransfer,
        reference: Some(" MBB-778812 ".into()),
        received_on: today(),
    })
}

fn paid(n: u128, amount: &str) -> InvoiceEvent {
    InvoiceEvent::PaymentRecorded(PaymentRecorded {
        invoice_id: invoice_id(),
        invoice_number: inv(),
        customer_id: customer_id(),
        payment_id: payment_id(n),
        amount: rm(amount),
        method: PaymentMethod::BankTransfer,
        reference: Some("MBB-778812".into()),
        received_on: today(),
        recorded_at: test_ctx().now,
    })
}

fn note_command(kind: NoteKind, note: IssueNote) -> InvoiceCommand {
    match kind {
        NoteKind::Credit => InvoiceCommand::IssueCreditNote(note),
        NoteKind::Debit => InvoiceCommand::IssueDebitNote(note),
        NoteKind::Refund => InvoiceCommand::IssueRefundNote(note),
    }
}

/// Note `n` of `kind`, numbered `n` in its 2026 series.
fn note(kind: NoteKind, n: u128, lines: Vec<LineInput>) -> InvoiceCommand {
    note_command(
        kind,
        IssueNote {
            note_id: note_id(n),
            number: number(kind.document_kind(), n as u64),
            lines,
            reason: " Returned one test weight ".into(),
        },
    )
}

/// Note `n` of `kind` as issued today, priced under the rules of `invoice_day`.
fn noted_against(
    kind: NoteKind,
    n: u128,
    lines: &[LineInput],
    invoice_day: NaiveDate,
) -> InvoiceEvent {
    noted_as_priced(kind, n, priced(lines, invoice_day), invoice_day, None)
}

/// Note `n` of `kind` as issued today with `priced` lines, against an invoice issued on
/// `invoice_day` at `exchange_rate`.
fn noted_as_priced(
    kind: NoteKind,
    n: u128,
    (lines, totals): (Vec<Line>, Totals),
    invoice_day: NaiveDate,
    exchange_rate: Option<ExchangeRate>,
) -> InvoiceEvent {
    let note = NoteIssued {
        note_id: note_id(n),
        number: number(kind.document_kind(), n as u64),
        invoice_id: invoice_id(),
        invoice_number: inv(),
        customer_id: customer_id(),
        reason: "Returned one test weight".into(),
        issued_at: test_ctx().now,
        issued_on: today(),
        priced_on: invoice_day,
        lines,
        totals,
        exchange_rate,
    };
    match kind {
        NoteKind::Credit => InvoiceEvent::CreditNoteIssued(note),
        NoteKind::Debit => InvoiceEvent::DebitNoteIssued(note),
        NoteKind::Refund => InvoiceEvent::RefundNoteIssued(note),
    }
}

/// Note `n` of `kind` for `amount` of goods (no SST), against the invoice issued today.
fn noted(kind: NoteKind, n: u128, amount: &str) -> InvoiceEvent {
    noted_against(kind, n, &[goods(amount)], today())
}

fn void(reason: &str) -> InvoiceCommand {
    InvoiceCommand::Void(VoidInvoice {
        reason: reason.into(),
    })
}

fn voided() -> InvoiceEvent {
    InvoiceEvent::InvoiceVoided(InvoiceVoided {
        reason: "Customer ordered through a distributor".into(),
        voided_at: test_ctx().now,
    })
}

/// 11:00 in Kuala Lumpur on the issue day.
fn validated_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 1, 3, 0, 0).unwrap()
}

fn validate(uuid: &str) -> InvoiceCommand {
    InvoiceCommand::RecordLhdnValidation(RecordLhdnValidation {
        note_id: None,
        document_uuid: uuid.into(),
        long_id: "LIJAF97HJJKH8298KHADH09908570FDKK9S2LSIUHB377373".into(),
        validated_at: validated_at(),
    })
}

fn validated() -> InvoiceEvent {
    InvoiceEvent::InvoiceValidatedByLhdn(InvoiceValidatedByLhdn {
        validated: crate::einvoice::Validated {
            document_uuid: "F9D425P6DS7D8IU".into(),
            long_id: "LIJAF97HJJKH8298KHADH09908570FDKK9S2LSIUHB377373".into(),
            validated_at: validated_at(),
        },
    })
}

fn cancel(reason: &str) -> InvoiceCommand {
    InvoiceCommand::Cancel(CancelInvoice {
        reason: reason.into(),
    })
}

fn cancelled_at(ctx: &Ctx) -> InvoiceEvent {
    InvoiceEvent::InvoiceCancelled(InvoiceCancelled {
        invoice_id: invoice_id(),
        number: inv(),
        customer_id: customer_id(),
        reason: "Wrong customer billed".into(),
        cancelled_at: ctx.now,
    })
}

fn cancelled() -> InvoiceEvent {
    cancelled_at(&test_ctx())
}

fn record(state: &Invoice) -> &InvoiceRecord {
    state.drafted().expect("a drafted invoice")
}

/// (charged, settled, outstanding) of an invoice.
fn balance(state: &Invoice) -> (Money, Money, Money) {
    let r = record(state);
    (r.charged(), r.settled(), r.outstanding())
}

// ---- draft ---------------------------------------------------------------------------------

#[test]
fn drafting_an_invoice_prices_its_lines_under_todays_sst_rules() {
    let state = given([]).when(draft()).then([drafted()]);
    let r = record(&state);
    assert_eq!((r.id, r.customer_id), (invoice_id(), customer_id()));
    assert_eq!(r.status(), InvoiceStatus::Draft);
    assert_eq!(r.number(), None);
    assert_eq!(r.priced_on, today());
    assert_eq!(r.totals.tax(), rm("72.20"));
    assert_eq!(r.totals.payable(), rm("1162.20"));
    // Nothing is charged until the invoice is issued.
    assert_eq!(balance(&state), (rm("0"), rm("0"), rm("0")));
}

#[test]
fn a_draft_may_start_without_lines() {
    let state = given([])
        .when(draft_with(vec![], None))
        .then([drafted_with(&[], today())]);
    assert_eq!(record(&state).totals.payable(), rm("0"));
}

#[test]
fn an_invoice_made_from_a_quotation_records_the_quotation_and_the_customers_reference() {
    let command = InvoiceCommand::Draft(DraftInvoice {
        id: invoice_id(),
        customer_id: customer_id(),
        currency: Currency::MYR,
        lines: lines(),
        payment_terms: terms(14),
        customer_reference: Some(" PO-88123 ".into()),
        source: Some(source()),
    });
    let (lines, totals) = priced(&lines(), today());
    let state = given([])
        .when(command)
        .then([InvoiceEvent::InvoiceDrafted(InvoiceDrafted {
            invoice_id: invoice_id(),
            customer_id: customer_id(),
            currency: Currency::MYR,
            payment_terms: terms(14),
            customer_reference: Some("PO-88123".into()),
            source: Some(source()),
            lines,
            totals,
            priced_on: today(),
        })]);
    let r = record(&state);
    assert_eq!(r.source, Some(source()));
    assert_eq!(r.customer_reference.as_deref(), Some("PO-88123"));
}

#[test]
fn a_blank_customer_reference_counts_as_none() {
    given([])
        .when(draft_with(lines(), Some("   ")))
        .then([drafted()]);
}

#[test]
fn a_customer_reference_longer_than_100_characters_is_refused() {
    let refusal = InvoiceError::InvalidText {
        field: "customer_reference",
        problem: TextProblem::TooLong { max: 100 },
    };
    assert_eq!(refusal.pointer().as_deref(), Some("/customer_reference"));
    given([])
        .when(draft_with(lines(), Some(&"P".repeat(101))))
        .then_err(refusal);
}

#[test]
fn drafting_an_existing_invoice_is_refused() {
    given([drafted()])
        .when(draft())
        .then_err(InvoiceError::AlreadyDrafted);
}

#[test]
fn a_line_in_another_currency_than_the_invoice_is_refused_and_points_at_the_line() {
    let mut usd = calibration();
    usd.unit_price = Money::parse("350", "USD").unwrap();
    let refusal = InvoiceError::Lines(BillingError::Line {
        index: 1,
        problem: LineError::Currency {
            field: "unit_price",
            expected: Currency::MYR,
            found: Currency::parse("USD").unwrap(),
        },
    });
    assert_eq!(refusal.pointer().as_deref(), Some("/lines/1/unit_price"));
    given([])
        .when(draft_with(vec![goods("1.00"), usd], None))
        .then_err(refusal);
}

#[test]
fn commands_to_an_invoice_never_drafted_are_refused() {
    let commands = [
        amend(lines(), 30, None),
        issue(inv()),
        pay(1, "100.00"),
        note(NoteKind::Credit, 1, vec![goods("1.00")]),
        note(NoteKind::Debit, 1, vec![goods("1.00")]),
        note(NoteKind::Refund, 1, vec![goods("1.00")]),
        void("Duplicate"),
        validate("F9D425P6DS7D8IU"),
        cancel("Duplicate"),
    ];
    for command in commands {
        given([]).when(command).then_err(InvoiceError::NotDrafted);
    }
}

// ---- amending a draft ----------------------------------------------------------------------

#[test]
fn amending_a_draft_replaces_its_lines_terms_and_reference() {
    let (priced_lines, totals) = priced(&[calibration()], today());
    let state = given([drafted()])
        .when(amend(vec![calibration()], 7, Some("PO-9")))
        .then([InvoiceEvent::InvoiceDraftAmended(InvoiceDraftAmended {
            payment_terms: terms(7),
            customer_reference: Some("PO-9".into()),
            lines: priced_lines,
            totals,
            priced_on: today(),
        })]);
    let r = record(&state);
    assert_eq!(r.lines.len(), 1);
    assert_eq!(r.totals.payable(), rm("756.00"));
    assert_eq!(r.payment_terms, terms(7));
}

#[test]
fn saving_the_draft_unchanged_records_nothing() {
    given([drafted()])
        .when(amend(lines(), 30, Some(" ")))
        .then_nothing();
}

#[test]
fn amending_an_issued_invoice_is_refused() {
    let refusal = InvoiceError::AlreadyIssued { number: inv() };
    assert_eq!(
        refusal.to_string(),
        "invoice INV-2026-000123 is already issued and can no longer change: correct it with a credit or debit note"
    );
    given([drafted(), issued()])
        .when(amend(vec![calibration()], 30, None))
        .then_err(refusal);
}

// ---- issuing -------------------------------------------------------------------------------

#[test]
fn issuing_numbers_and_dates_the_invoice_and_sets_its_due_date_from_the_terms() {
    let state = given([drafted()]).when(issue(inv())).then([issued()]);
    let r = record(&state);
    let issue = r.issue.as_ref().unwrap();
    assert_eq!(issue.number.as_str(), "INV-2026-000123");
    assert_eq!(issue.issued_at, test_ctx().now);
    assert_eq!(issue.issued_on, today());
    assert_eq!(issue.due_on, date(2026, 7, 1));
    assert_eq!(r.status(), InvoiceStatus::Issued);
    assert_eq!(balance(&state), (rm("1162.20"), rm("0"), rm("1162.20")));
}

#[test]
fn an_invoice_is_taxed_under_the_sst_rules_of_the_day_it_is_issued() {
    // Drafted on 30 December 2025, when rental was taxed at 8 %; issued on 2 January 2026,
    // when it is 8 % less a 2 % exemption: the invoice shows the 2026 rate.
    let issue_day = on(date(2026, 1, 2));
    let state = given([drafted_with(&[rental()], date(2025, 12, 30))])
        .at(issue_day.clone())
        .when(issue(inv()))
        .then([issued_with(&[rental()], &issue_day)]);
    let r = record(&state);
    assert_eq!(r.lines[0].tax().rule().id(), "rental-service-tax-8-less-2");
    assert_eq!(r.lines[0].tax().amount(), rm("16.20"));
    assert_eq!(r.priced_on, date(2026, 1, 2));
    assert_eq!(r.charged(), rm("286.20"));
}

#[test]
fn issuing_a_draft_without_lines_is_refused() {
    given([drafted_with(&[], today())])
        .when(issue(inv()))
        .then_err(InvoiceError::NoLines);
}

#[test]
fn issuing_under_a_credit_note_number_is_refused() {
    let refusal = InvoiceError::WrongDocumentKind {
        number: number(DocumentKind::CreditNote, 1),
        expected: DocumentKind::Invoice,
        found: DocumentKind::CreditNote,
    };
    assert_eq!(
        refusal.to_string(),
        "CN-2026-000001 is from the credit note series: this needs a number from the invoice series"
    );
    assert_eq!(refusal.pointer().as_deref(), Some("/number"));
    given([drafted()])
        .when(issue(number(DocumentKind::CreditNote, 1)))
        .then_err(refusal);
}

#[test]
fn issuing_under_another_years_number_is_refused() {
    let last_year = DocumentNumber::new(DocumentKind::Invoice, 2025, 9).unwrap();
    let refusal = InvoiceError::NumberFromAnotherYear {
        number: last_year.clone(),
        year: 2026,
    };
    assert_eq!(
        refusal.to_string(),
        "INV-2025-000009 is from the 2025 series, but documents issued today are numbered in the 2026 series"
    );
    given([drafted()]).when(issue(last_year)).then_err(refusal);
}

#[test]
fn the_year_of_the_number_is_the_malaysian_year_of_the_issue() {
    // 00:30 on 1 January 2026 in Kuala Lumpur is still 2025 in UTC.
    let new_year = at(Utc.with_ymd_and_hms(2025, 12, 31, 16, 30, 0).unwrap());
    given([drafted()])
        .at(new_year.clone())
        .when(issue(
            DocumentNumber::new(DocumentKind::Invoice, 2025, 9).unwrap(),
        ))
        .then_err(InvoiceError::NumberFromAnotherYear {
            number: DocumentNumber::new(DocumentKind::Invoice, 2025, 9).unwrap(),
            year: 2026,
        });
    given([drafted()])
        .at(new_year.clone())
        .when(issue(inv()))
        .then([issued_with(&lines(), &new_year)]);
}

#[test]
fn issuing_an_issued_invoice_is_refused_naming_its_number() {
    given([drafted(), issued()])
        .when(issue(number(DocumentKind::Invoice, 124)))
        .then_err(InvoiceError::AlreadyIssued { number: inv() });
}

#[test]
fn issuing_a_voided_invoice_is_refused() {
    given([drafted(), voided()])
        .when(issue(inv()))
        .then_err(InvoiceError::Voided);
}

#[test]
fn an_invoice_of_nothing_is_paid_as_soon_as_it_is_issued() {
    let free = [goods("0.00")];
    let state = given([drafted_with(&free, today())])
        .when(issue(inv()))
        .then([issued_with(&free, &test_ctx())]);
    assert_eq!(record(&state).status(), InvoiceStatus::Paid);
    assert_eq!(record(&state).payable_now(), rm("0"));
}

// ---- payments ------------------------------------------------------------------------------

#[test]
fn partial_payments_leave_the_rest_outstanding_until_the_invoice_is_paid() {
    let state = given([drafted(), issued()])
        .when(pay(1, "1000.00"))
        .then([paid(1, "1000.00")]);
    let r = record(&state);
    assert_eq!(r.status(), InvoiceStatus::PartlyPaid);
    assert_eq!(
        balance(&state),
        (rm("1162.20"), rm("1000.00"), rm("162.20"))
    );
    let payment = r.payment(payment_id(1)).unwrap();
    assert_eq!(payment.method.code(), "03");
    assert_eq!(payment.reference.as_deref(), Some("MBB-778812"));

    let state = given([drafted(), issued(), paid(1, "1000.00")])
        .when(pay(2, "162.20"))
        .then([paid(2, "162.20")]);
    let r = record(&state);
    assert_eq!(r.status(), InvoiceStatus::Paid);
    assert_eq!(balance(&state), (rm("1162.20"), rm("1162.20"), rm("0")));
    assert_eq!(r.paid(), rm("1162.20"));
    assert_eq!(r.payable_now(), rm("0"));
}

#[test]
fn a_payment_above_the_outstanding_amount_is_refused() {
    let refusal = InvoiceError::Overpayment {
        outstanding: rm("162.20"),
        requested: rm("200.00"),
    };
    assert_eq!(
        refusal.to_string(),
        "the payment of MYR 200.00 is more than the MYR 162.20 outstanding: over-payments are not accepted, record only what is due"
    );
    assert_eq!(refusal.pointer().as_deref(), Some("/amount"));
    given([drafted(), issued(), paid(1, "1000.00")])
        .when(pay(2, "200.00"))
        .then_err(refusal);
}

#[test]
fn a_payment_before_the_invoice_is_issued_is_refused() {
    given([drafted()])
        .when(pay(1, "100.00"))
        .then_err(InvoiceError::NotIssued);
}

#[test]
fn a_payment_received_after_today_is_refused() {
    let mut command = RecordPayment {
        payment_id: payment_id(1),
        amount: rm("100.00"),
        method: PaymentMethod::Cheque,
        reference: None,
        received_on: date(2026, 6, 2),
    };
    given([drafted(), issued()])
        .when(InvoiceCommand::RecordPayment(command.clone()))
        .then_err(InvoiceError::PaymentInFuture {
            received_on: date(2026, 6, 2),
            today: today(),
        });
    // Received before the invoice: a cheque handed over on delivery.
    command.received_on = date(2026, 5, 28);
    given([drafted(), issued()])
        .when(InvoiceCommand::RecordPayment(command))
        .then([InvoiceEvent::PaymentRecorded(PaymentRecorded {
            invoice_id: invoice_id(),
            invoice_number: inv(),
            customer_id: customer_id(),
            payment_id: payment_id(1),
            amount: rm("100.00"),
            method: PaymentMethod::Cheque,
            reference: None,
            received_on: date(2026, 5, 28),
            recorded_at: test_ctx().now,
        })]);
}

#[test]
fn a_payment_in_another_currency_is_refused() {
    let command = InvoiceCommand::RecordPayment(RecordPayment {
        payment_id: payment_id(1),
        amount: Money::parse("100.00", "USD").unwrap(),
        method: PaymentMethod::BankTransfer,
        reference: None,
        received_on: today(),
    });
    given([drafted(), issued()])
        .when(command)
        .then_err(InvoiceError::PaymentCurrency {
            expected: Currency::MYR,
            found: Currency::parse("USD").unwrap(),
        });
}

#[test]
fn a_payment_is_more_than_zero_in_whole_sen() {
    for amount in ["0", "-5.00"] {
        given([drafted(), issued()])
            .when(pay(1, amount))
            .then_err(InvoiceError::NonPositivePayment);
    }
    given([drafted(), issued()])
        .when(pay(1, "10.005"))
        .then_err(InvoiceError::PaymentFractionOfSen);
}

#[test]
fn a_payment_reference_is_one_line_of_at_most_100_characters() {
    let command = InvoiceCommand::RecordPayment(RecordPayment {
        payment_id: payment_id(1),
        amount: rm("100.00"),
        method: PaymentMethod::BankTransfer,
        reference: Some("R".repeat(101)),
        received_on: today(),
    });
    given([drafted(), issued()])
        .when(command)
        .then_err(InvoiceError::InvalidText {
            field: "reference",
            problem: TextProblem::TooLong { max: 100 },
        });
}

#[test]
fn recording_the_same_payment_again_changes_nothing() {
    given([drafted(), issued(), paid(1, "100.00")])
        .when(pay(1, "100.00"))
        .then_nothing();
    // Even once it left nothing outstanding: a retry is not an over-payment.
    given([drafted(), issued(), paid(1, "1162.20")])
        .when(pay(1, "1162.20"))
        .then_nothing();
}

// ---- notes ---------------------------------------------------------------------------------

#[test]
fn a_credit_note_within_the_amount_charged_lowers_what_is_outstanding() {
    let state = given([drafted(), issued(), paid(1, "500.00")])
        .when(note(NoteKind::Credit, 1, vec![goods("120.00")]))
        .then([noted(NoteKind::Credit, 1, "120.00")]);
    let r = record(&state);
    assert_eq!(balance(&state), (rm("1042.20"), rm("500.00"), rm("542.20")));
    assert_eq!(r.creditable(), rm("1042.20"));
    let note = r.note(note_id(1)).unwrap();
    assert_eq!(
        (note.kind, note.number.as_str(), note.reason.as_str()),
        (
            NoteKind::Credit,
            "CN-2026-000001",
            "Returned one test weight"
        )
    );
    assert_eq!(note.totals.payable(), rm("120.00"));
}

#[test]
fn a_credit_note_may_take_the_whole_amount_charged_but_no_more() {
    let refusal = InvoiceError::OverCredit {
        creditable: rm("1162.20"),
        requested: rm("1162.21"),
    };
    assert_eq!(
        refusal.to_string(),
        "the credit note of MYR 1162.21 is more than the MYR 1162.20 still charged on the invoice"
    );
    given([drafted(), issued()])
        .when(note(NoteKind::Credit, 1, vec![goods("1162.21")]))
        .then_err(refusal);
    let state = given([drafted(), issued()])
        .when(note(NoteKind::Credit, 1, vec![goods("1162.20")]))
        .then([noted(NoteKind::Credit, 1, "1162.20")]);
    assert_eq!(record(&state).status(), InvoiceStatus::Credited);
    assert_eq!(balance(&state), (rm("0"), rm("0"), rm("0")));
}

#[test]
fn a_credit_note_after_full_payment_leaves_a_refund_due_which_a_refund_note_settles() {
    let history = vec![
        drafted(),
        issued(),
        paid(1, "1162.20"),
        noted(NoteKind::Credit, 1, "120.00"),
    ];
    let state = Invoice::replay(&history);
    let r = record(&state);
    assert_eq!(r.status(), InvoiceStatus::RefundDue);
    assert_eq!(
        balance(&state),
        (rm("1042.20"), rm("1162.20"), rm("-120.00"))
    );
    assert_eq!(r.refundable(), rm("120.00"));
    assert_eq!(r.payable_now(), rm("0"));

    let state = given(history)
        .when(note(NoteKind::Refund, 2, vec![goods("120.00")]))
        .then([noted(NoteKind::Refund, 2, "120.00")]);
    let r = record(&state);
    assert_eq!(r.status(), InvoiceStatus::Paid);
    assert_eq!(balance(&state), (rm("1042.20"), rm("1042.20"), rm("0")));
    assert_eq!(r.refundable(), rm("0"));
}

#[test]
fn a_refund_note_above_what_was_paid_beyond_the_charge_is_refused() {
    let refusal = InvoiceError::OverRefund {
        refundable: rm("120.00"),
        requested: rm("120.01"),
    };
    assert_eq!(refusal.pointer().as_deref(), Some("/lines"));
    given([
        drafted(),
        issued(),
        paid(1, "1162.20"),
        noted(NoteKind::Credit, 1, "120.00"),
    ])
    .when(note(NoteKind::Refund, 2, vec![goods("120.01")]))
    .then_err(refusal);
    // Nothing was paid beyond the charge: nothing to refund.
    given([drafted(), issued(), paid(1, "500.00")])
        .when(note(NoteKind::Refund, 1, vec![goods("1.00")]))
        .then_err(InvoiceError::OverRefund {
            refundable: rm("0"),
            requested: rm("1.00"),
        });
}

#[test]
fn a_debit_note_raises_what_is_charged_and_outstanding() {
    let state = given([drafted(), issued(), paid(1, "1162.20")])
        .when(note(NoteKind::Debit, 1, vec![goods("80.00")]))
        .then([noted(NoteKind::Debit, 1, "80.00")]);
    let r = record(&state);
    assert_eq!(r.status(), InvoiceStatus::PartlyPaid);
    assert_eq!(balance(&state), (rm("1242.20"), rm("1162.20"), rm("80.00")));
    assert_eq!(r.payable_now(), rm("80.00"));
}

#[test]
fn a_note_is_taxed_under_the_sst_rules_of_the_invoices_issue_day() {
    // The rental was invoiced on 31 December 2025 at 8 %; credited in June 2026, when new
    // rentals are taxed at 8 % less 2 %, the credit still carries the 8 % it corrects.
    let invoice_day = on(date(2025, 12, 31));
    let history = [
        drafted_with(&[rental()], date(2025, 12, 31)),
        InvoiceEvent::InvoiceIssued(InvoiceIssued {
            number: DocumentNumber::new(DocumentKind::Invoice, 2025, 77).unwrap(),
            ..match issued_with(&[rental()], &invoice_day) {
                InvoiceEvent::InvoiceIssued(e) => e,
                other => panic!("{other:?}"),
            }
        }),
    ];
    let state = given(history)
        .when(note(NoteKind::Credit, 1, vec![rental()]))
        .then([InvoiceEvent::CreditNoteIssued(NoteIssued {
            invoice_number: DocumentNumber::new(DocumentKind::Invoice, 2025, 77).unwrap(),
            ..match noted_against(NoteKind::Credit, 1, &[rental()], date(2025, 12, 31)) {
                InvoiceEvent::CreditNoteIssued(e) => e,
                other => panic!("{other:?}"),
            }
        })]);
    let note = &record(&state).notes[0];
    assert_eq!(note.priced_on, date(2025, 12, 31));
    assert_eq!(note.issued_on, today());
    assert_eq!(note.lines[0].tax().rule().id(), "rental-service-tax-8");
    assert_eq!(note.totals.payable(), rm("291.60"));
    assert_eq!(record(&state).charged(), rm("0"));
}

#[test]
fn a_note_takes_a_number_of_its_own_kind_from_this_years_series() {
    given([drafted(), issued()])
        .when(note_command(
            NoteKind::Debit,
            IssueNote {
                note_id: note_id(1),
                number: number(DocumentKind::CreditNote, 1),
                lines: vec![goods("1.00")],
                reason: "Freight".into(),
            },
        ))
        .then_err(InvoiceError::WrongDocumentKind {
            number: number(DocumentKind::CreditNote, 1),
            expected: DocumentKind::DebitNote,
            found: DocumentKind::CreditNote,
        });
    let last_year = DocumentNumber::new(DocumentKind::RefundNote, 2025, 1).unwrap();
    given([drafted(), issued(), paid(1, "1162.20")])
        .when(note_command(
            NoteKind::Refund,
            IssueNote {
                note_id: note_id(1),
                number: last_year.clone(),
                lines: vec![goods("1.00")],
                reason: "Refund".into(),
            },
        ))
        .then_err(InvoiceError::NumberFromAnotherYear {
            number: last_year,
            year: 2026,
        });
}

#[test]
fn a_note_needs_lines_and_a_reason() {
    given([drafted(), issued()])
        .when(note(NoteKind::Credit, 1, vec![]))
        .then_err(InvoiceError::NoLines);
    let without_reason = IssueNote {
        note_id: note_id(1),
        number: number(DocumentKind::CreditNote, 1),
        lines: vec![goods("1.00")],
        reason: "  ".into(),
    };
    assert_eq!(
        InvoiceError::ReasonRequired.pointer().as_deref(),
        Some("/reason")
    );
    given([drafted(), issued()])
        .when(note_command(NoteKind::Credit, without_reason.clone()))
        .then_err(InvoiceError::ReasonRequired);
    given([drafted(), issued()])
        .when(note_command(
            NoteKind::Credit,
            IssueNote {
                reason: "x".repeat(301),
                ..without_reason
            },
        ))
        .then_err(InvoiceError::InvalidText {
            field: "reason",
            problem: TextProblem::TooLong { max: 300 },
        });
}

#[test]
fn a_note_line_in_another_currency_is_refused() {
    let mut usd = goods("1.00");
    usd.unit_price = Money::parse("1.00", "USD").unwrap();
    given([drafted(), issued()])
        .when(note(NoteKind::Debit, 1, vec![usd]))
        .then_err(InvoiceError::Lines(BillingError::Line {
            index: 0,
            problem: LineError::Currency {
                field: "unit_price",
                expected: Currency::MYR,
                found: Currency::parse("USD").unwrap(),
            },
        }));
}

#[test]
fn notes_against_a_draft_are_refused() {
    for kind in [NoteKind::Credit, NoteKind::Debit, NoteKind::Refund] {
        given([drafted()])
            .when(note(kind, 1, vec![goods("1.00")]))
            .then_err(InvoiceError::NotIssued);
    }
}

#[test]
fn issuing_the_same_note_again_changes_nothing() {
    given([drafted(), issued(), noted(NoteKind::Credit, 1, "1162.20")])
        .when(note(NoteKind::Credit, 1, vec![goods("1162.20")]))
        .then_nothing();
}

// ---- void ----------------------------------------------------------------------------------

#[test]
fn voiding_a_draft_records_why() {
    let state = given([drafted()])
        .when(void(" Customer ordered through a distributor "))
        .then([voided()]);
    let r = record(&state);
    assert_eq!(r.status(), InvoiceStatus::Voided);
    assert_eq!(
        r.voiding.as_ref().unwrap().reason,
        "Customer ordered through a distributor"
    );
    given([drafted()])
        .when(void(""))
        .then_err(InvoiceError::ReasonRequired);
}

#[test]
fn voiding_an_issued_invoice_is_refused_pointing_to_notes_and_cancellation() {
    let refusal = InvoiceError::VoidIssued { number: inv() };
    assert_eq!(
        refusal.to_string(),
        "invoice INV-2026-000123 is issued and cannot be voided: correct it with a credit or debit note, or cancel it (LHDN allows that within 72 hours of validation)"
    );
    given([drafted(), issued()])
        .when(void("Wrong price"))
        .then_err(refusal);
}

#[test]
fn a_voided_invoice_can_no_longer_change() {
    let commands = [
        amend(vec![calibration()], 30, None),
        issue(inv()),
        pay(1, "1.00"),
        note(NoteKind::Credit, 1, vec![goods("1.00")]),
        void("Again"),
        validate("F9D425P6DS7D8IU"),
        cancel("Again"),
    ];
    for command in commands {
        given([drafted(), voided()])
            .when(command)
            .then_err(InvoiceError::Voided);
    }
}

// ---- LHDN validation -----------------------------------------------------------------------

#[test]
fn recording_lhdn_validation_keeps_the_document_uuid_long_id_and_time() {
    let state = given([drafted(), issued()])
        .when(validate(" F9D425P6DS7D8IU "))
        .then([validated()]);
    let r = record(&state);
    let lhdn = r.lhdn.as_ref().unwrap();
    assert_eq!(lhdn.document_uuid, "F9D425P6DS7D8IU");
    assert_eq!(lhdn.validated_at, validated_at());
    assert_eq!(
        r.cancellable_until(),
        Some(Utc.with_ymd_and_hms(2026, 6, 4, 3, 0, 0).unwrap())
    );
}

#[test]
fn recording_the_same_validation_again_changes_nothing_and_another_is_refused() {
    given([drafted(), issued(), validated()])
        .when(validate("F9D425P6DS7D8IU"))
        .then_nothing();
    given([drafted(), issued(), validated()])
        .when(validate("ANOTHER0000UUID"))
        .then_err(InvoiceError::AlreadyValidated {
            document_uuid: "F9D425P6DS7D8IU".into(),
        });
}

#[test]
fn a_draft_cannot_be_validated() {
    given([drafted()])
        .when(validate("F9D425P6DS7D8IU"))
        .then_err(InvoiceError::NotIssued);
    given([drafted(), issued()])
        .when(validate(""))
        .then_err(InvoiceError::InvalidText {
            field: "document_uuid",
            problem: TextProblem::Empty,
        });
}

#[test]
fn lhdns_validation_arriving_after_a_cancellation_is_still_recorded() {
    given([drafted(), issued(), cancelled()])
        .when(validate("F9D425P6DS7D8IU"))
        .then([validated()]);
}

// ---- cancellation --------------------------------------------------------------------------

#[test]
fn an_invoice_not_yet_validated_by_lhdn_may_be_cancelled() {
    let state = given([drafted(), issued()])
        .when(cancel("Wrong customer billed"))
        .then([cancelled()]);
    let r = record(&state);
    assert_eq!(r.status(), InvoiceStatus::Cancelled);
    assert_eq!(
        r.cancellation.as_ref().unwrap().reason,
        "Wrong customer billed"
    );
}

#[test]
fn a_validated_invoice_may_be_cancelled_within_72_hours_of_validation() {
    let last_minute = at(validated_at() + TimeDelta::hours(72) - TimeDelta::seconds(1));
    given([drafted(), issued(), validated()])
        .at(last_minute.clone())
        .when(cancel("Wrong customer billed"))
        .then([cancelled_at(&last_minute)]);
}

#[test]
fn cancelling_72_hours_after_validation_is_refused_naming_when_the_window_closed() {
    let closed_at = Utc.with_ymd_and_hms(2026, 6, 4, 3, 0, 0).unwrap();
    let refusal = InvoiceError::CancellationWindowClosed {
        number: inv(),
        closed_at,
    };
    assert_eq!(
        refusal.to_string(),
        "invoice INV-2026-000123 can no longer be cancelled: LHDN allows it within 72 hours of validation, which ended at 2026-06-04 03:00:00 UTC; correct it with a credit or debit note"
    );
    given([drafted(), issued(), validated()])
        .at(at(closed_at))
        .when(cancel("Wrong customer billed"))
        .then_err(refusal);
}

#[test]
fn cancelling_an_invoice_a_note_refers_to_is_refused() {
    let refusal = InvoiceError::ReferencedByNotes {
        number: inv(),
        notes: vec![
            number(DocumentKind::CreditNote, 1),
            number(DocumentKind::DebitNote, 2),
        ],
    };
    assert_eq!(
        refusal.to_string(),
        "invoice INV-2026-000123 cannot be cancelled: CN-2026-000001, DN-2026-000002 refer to it; correct it with notes instead"
    );
    given([
        drafted(),
        issued(),
        noted(NoteKind::Credit, 1, "10.00"),
        noted(NoteKind::Debit, 2, "5.00"),
    ])
    .when(cancel("Wrong customer billed"))
    .then_err(refusal);
}

#[test]
fn cancelling_an_invoice_with_payments_is_refused() {
    let refusal = InvoiceError::PaymentsRecorded {
        number: inv(),
        paid: rm("300.00"),
    };
    assert_eq!(
        refusal.to_string(),
        "invoice INV-2026-000123 cannot be cancelled: payments of MYR 300.00 are recorded against it; correct it with a credit note and refund what was paid"
    );
    given([drafted(), issued(), paid(1, "100.00"), paid(2, "200.00")])
        .when(cancel("Wrong customer billed"))
        .then_err(refusal);
}

#[test]
fn cancelling_needs_a_reason_of_at_most_300_characters() {
    given([drafted(), issued()])
        .when(cancel(" "))
        .then_err(InvoiceError::ReasonRequired);
    given([drafted(), issued()])
        .when(cancel(&"x".repeat(301)))
        .then_err(InvoiceError::InvalidText {
            field: "reason",
            problem: TextProblem::TooLong { max: 300 },
        });
}

#[test]
fn cancelling_a_draft_is_refused() {
    given([drafted()])
        .when(cancel("Wrong customer billed"))
        .then_err(InvoiceError::NotIssued);
}

#[test]
fn nothing_is_recorded_against_a_cancelled_invoice() {
    let commands = [
        pay(1, "1.00"),
        note(NoteKind::Credit, 1, vec![goods("1.00")]),
        note(NoteKind::Debit, 1, vec![goods("1.00")]),
        note(NoteKind::Refund, 1, vec![goods("1.00")]),
        cancel("Again"),
    ];
    for command in commands {
        given([drafted(), issued(), cancelled()])
            .when(command)
            .then_err(InvoiceError::Cancelled { number: inv() });
    }
    given([drafted(), issued(), cancelled()])
        .when(issue(inv()))
        .then_err(InvoiceError::AlreadyIssued { number: inv() });
    given([drafted(), issued(), cancelled()])
        .when(void("Again"))
        .then_err(InvoiceError::VoidIssued { number: inv() });
}

// ---- the account, by property --------------------------------------------------------------

/// One step of a random history: a payment, or a note of some kind, for `cents`.
#[derive(Debug, Clone, Copy)]
enum Step {
    Pay(i64),
    Note(NoteKind, i64),
}

fn step() -> impl Strategy<Value = Step> {
    let cents = 1_i64..150_000;
    prop_oneof![
        cents.clone().prop_map(Step::Pay),
        cents.clone().prop_map(|c| Step::Note(NoteKind::Credit, c)),
        cents.clone().prop_map(|c| Step::Note(NoteKind::Debit, c)),
        cents.prop_map(|c| Step::Note(NoteKind::Refund, c)),
    ]
}

fn sum_of<'a>(amounts: impl Iterator<Item = &'a Money>) -> Decimal {
    amounts.map(Money::amount).sum()
}

fn notes_of(r: &InvoiceRecord, kind: NoteKind) -> Decimal {
    r.notes
        .iter()
        .filter(|n| n.kind == kind)
        .map(|n| n.totals.payable().amount())
        .sum()
}

proptest! {
    #[test]
    fn the_account_adds_up_and_no_limit_is_ever_passed(steps in prop::collection::vec(step(), 1..30)) {
        let mut state = Invoice::replay(&[drafted(), issued()]);
        let payable = record(&state).totals.payable().amount();
        for (i, step) in steps.into_iter().enumerate() {
            let n = i as u128 + 1;
            let before = record(&state).clone();
            let (command, requested, limit) = match step {
                Step::Pay(cents) => {
                    let amount = Money::myr(Decimal::new(cents, 2));
                    let command = InvoiceCommand::RecordPayment(RecordPayment {
                        payment_id: payment_id(n),
                        amount,
                        method: PaymentMethod::Cash,
                        reference: None,
                        received_on: today(),
                    });
                    (command, amount, Some(before.payable_now()))
                }
                Step::Note(kind, cents) => {
                    let amount = Money::myr(Decimal::new(cents, 2));
                    let command = note(kind, n, vec![goods(&amount.amount_string())]);
                    let limit = match kind {
                        NoteKind::Credit => Some(before.creditable()),
                        NoteKind::Refund => Some(before.refundable()),
                        NoteKind::Debit => None,
                    };
                    (command, amount, limit)
                }
            };
            let within = limit.is_none_or(|l| requested.amount() <= l.amount());
            match state.decide(&command, &test_ctx()) {
                Ok(events) => {
                    prop_assert!(within, "{step:?} passed its limit {limit:?}");
                    prop_assert_eq!(events.len(), 1);
                    state = events.iter().fold(state, Invoice::evolve);
                }
                Err(error) => {
                    prop_assert!(!within, "{step:?} within {limit:?} refused: {error}");
                    let is_limit = matches!(error, InvoiceError::Overpayment { .. }
                        | InvoiceError::OverCredit { .. }
                        | InvoiceError::OverRefund { .. });
                    prop_assert!(is_limit, "{:?}", error);
                }
            }
            let r = record(&state);
            let charged = payable + notes_of(r, NoteKind::Debit) - notes_of(r, NoteKind::Credit);
            let settled = sum_of(r.payments.iter().map(|p| &p.amount)) - notes_of(r, NoteKind::Refund);
            prop_assert_eq!(r.charged().amount(), charged);
            prop_assert_eq!(r.settled().amount(), settled);
            prop_assert_eq!(r.outstanding().amount(), charged - settled);
            prop_assert!(!r.creditable().is_negative());
            prop_assert!(!r.settled().is_negative());
            prop_assert!(!r.refundable().is_negative());
            prop_assert!(!r.payable_now().is_negative());
        }
    }
}

// ---- storage -------------------------------------------------------------------------------

fn every_event() -> Vec<InvoiceEvent> {
    vec![
        drafted(),
        InvoiceEvent::InvoiceDraftAmended(InvoiceDraftAmended {
            payment_terms: terms(7),
            customer_reference: Some("PO-9".into()),
            lines: priced(&[calibration()], today()).0,
            totals: priced(&[calibration()], today()).1,
            priced_on: today(),
        }),
        issued(),
        paid(1, "100.00"),
        noted(NoteKind::Credit, 1, "10.00"),
        noted(NoteKind::Debit, 2, "10.00"),
        noted(NoteKind::Refund, 3, "10.00"),
        voided(),
        validated(),
        cancelled(),
        submission_started(None, 1, &test_ctx()),
        accepted(1, "F9D425P6DS7D8IU"),
        rejected(1, Some("F9D425P6DS7D8IU")),
        InvoiceEvent::IndividualEInvoiceRequested(IndividualEInvoiceRequested {
            invoice_id: invoice_id(),
            number: inv(),
            requested_at: test_ctx().now,
        }),
        InvoiceEvent::InvoiceConsolidated(InvoiceConsolidated {
            invoice_id: invoice_id(),
            number: inv(),
            month: crate::values::Month::of(today()),
            consolidated_at: test_ctx().now,
        }),
    ]
}

#[test]
fn every_event_survives_being_stored_and_read() {
    for event in every_event() {
        let (event_type, version, payload) = event.encode().unwrap();
        assert_eq!(event_type, format!("{event:?}").split('(').next().unwrap());
        assert_eq!(version, InvoiceEvent::schema_version(event_type));
        assert_eq!(
            InvoiceEvent::decode_text(event_type, version, &payload.to_string()).unwrap(),
            event
        );
        assert_eq!(
            InvoiceEvent::decode(event_type, version, payload).unwrap(),
            event
        );
    }
}

#[test]
fn the_einvoice_events_are_stored_flat_as_before_the_lifecycle_was_shared() {
    // The shape written before `crate::einvoice` existed: one object, no nesting.
    let stored = json!({
        "note_id": null, "attempt": 1, "document_hash": HASH,
        "signed_copy": signed_copy(), "started_at": test_ctx().now,
    });
    let read = InvoiceEvent::decode("EInvoiceSubmissionStarted", 1, stored.clone()).unwrap();
    assert_eq!(read, submission_started(None, 1, &test_ctx()));
    assert_eq!(read.encode().unwrap().2, stored);
    let (_, _, validated) = validated().encode().unwrap();
    assert_eq!(
        validated["long_id"],
        "LIJAF97HJJKH8298KHADH09908570FDKK9S2LSIUHB377373"
    );
}

#[test]
fn payments_and_notes_are_stored_with_the_invoice_and_customer_they_belong_to() {
    let (_, _, payload) = paid(1, "100.00").encode().unwrap();
    assert_eq!(payload["invoice_number"], "INV-2026-000123");
    assert_eq!(payload["customer_id"], json!(customer_id()));
    assert_eq!(payload["method"], "bank_transfer");
    assert_eq!(
        payload["amount"],
        json!({ "amount": "100.00", "currency": "MYR" })
    );
    let (event_type, _, payload) = noted(NoteKind::Refund, 3, "10.00").encode().unwrap();
    assert_eq!(event_type, "RefundNoteIssued");
    assert_eq!(payload["number"], "RN-2026-000003");
    assert_eq!(payload["invoice_id"], json!(invoice_id()));
    assert_eq!(payload["invoice_number"], "INV-2026-000123");
    assert_eq!(payload["priced_on"], "2026-06-01");
    let (_, _, payload) = issued().encode().unwrap();
    assert_eq!(payload["number"], "INV-2026-000123");
    assert_eq!(payload["due_on"], "2026-07-01");
    assert_eq!(
        payload["totals"]["payable"],
        json!({ "amount": "1162.20", "currency": "MYR" })
    );
}

#[test]
fn an_invoice_survives_a_snapshot() {
    let history = [
        drafted(),
        issued(),
        validated(),
        paid(1, "1162.20"),
        noted(NoteKind::Credit, 1, "120.00"),
        noted(NoteKind::Refund, 2, "100.00"),
    ];
    let state = Invoice::replay(&history);
    let snapshot = serde_json::to_value(&state).unwrap();
    assert_eq!(snapshot["state"], "drafted");
    assert_eq!(snapshot["notes"][1]["kind"], "refund");
    let back = serde_json::from_value::<Invoice>(snapshot).unwrap();
    assert_eq!(back, state);
    assert_eq!(balance(&back), (rm("1042.20"), rm("1062.20"), rm("-20.00")));
    assert_eq!(
        serde_json::to_value(Invoice::default()).unwrap(),
        json!({ "state": "not_drafted" })
    );
}

#[test]
fn the_stream_type_is_invoice() {
    assert_eq!(<Invoice as Aggregate>::STREAM_TYPE, "invoice");
}

// ---- e-invoice submission ------------------------------------------------------------------

const HASH: &str = "6f1c1f1e9a8f4b3d2c1b0a99887766554433221100ffeeddccbbaa9988776655";

fn signed_copy() -> Uuid {
    Uuid::from_u128(0x5160)
}

fn submit(note: Option<u128>) -> InvoiceCommand {
    InvoiceCommand::StartEInvoiceSubmission(StartEInvoiceSubmission {
        note_id: note.map(note_id),
        document_hash: HASH.into(),
        signed_copy: signed_copy(),
    })
}

fn submission_started(note: Option<u128>, attempt: u32, ctx: &Ctx) -> InvoiceEvent {
    InvoiceEvent::EInvoiceSubmissionStarted(EInvoiceSubmissionStarted {
        note_id: note.map(note_id),
        started: crate::einvoice::Started {
            attempt,
            document_hash: HASH.into(),
            signed_copy: signed_copy(),
            started_at: ctx.now,
        },
    })
}

fn accept(attempt: u32, uuid: &str) -> InvoiceCommand {
    InvoiceCommand::RecordEInvoiceAcceptance(RecordEInvoiceAcceptance {
        note_id: None,
        attempt,
        submission_uid: "E3BNZRC5GBKWJ19H91XBJZYJ10".into(),
        document_uuid: uuid.into(),
    })
}

fn accepted(attempt: u32, uuid: &str) -> InvoiceEvent {
    InvoiceEvent::EInvoiceAccepted(EInvoiceAccepted {
        note_id: None,
        accepted: crate::einvoice::Accepted {
            attempt,
            submission_uid: "E3BNZRC5GBKWJ19H91XBJZYJ10".into(),
            document_uuid: uuid.into(),
            accepted_at: test_ctx().now,
        },
    })
}

fn buyer_tin_problem() -> Vec<LhdnProblem> {
    vec![LhdnProblem {
        code: Some("CF358".into()),
        message: "Buyer TIN is invalid".into(),
        property_path: Some("Invoice.AccountingCustomerParty".into()),
    }]
}

fn reject(attempt: u32, uuid: Option<&str>) -> InvoiceCommand {
    InvoiceCommand::RecordEInvoiceRejection(RecordEInvoiceRejection {
        note_id: None,
        attempt,
        document_uuid: uuid.map(Into::into),
        problems: buyer_tin_problem(),
    })
}

fn rejected(attempt: u32, uuid: Option<&str>) -> InvoiceEvent {
    InvoiceEvent::EInvoiceRejected(EInvoiceRejected {
        note_id: None,
        rejected: crate::einvoice::Rejected {
            attempt,
            document_uuid: uuid.map(Into::into),
            problems: buyer_tin_problem(),
            rejected_at: test_ctx().now,
        },
    })
}

#[test]
fn an_issued_invoice_starts_its_first_submission_to_lhdn() {
    let state = given([drafted(), issued()])
        .when(submit(None))
        .then([submission_started(None, 1, &test_ctx())]);
    let einvoice = record(&state).einvoice(None).unwrap();
    assert_eq!(einvoice.attempts, 1);
    assert!(einvoice.stage.under_way());
}

#[test]
fn a_draft_is_not_submitted_to_lhdn() {
    given([drafted()])
        .when(submit(None))
        .then_err(InvoiceError::NotIssued);
}

#[test]
fn no_second_submission_starts_while_one_waits_for_lhdns_answer() {
    let started = submission_started(None, 1, &test_ctx());
    let refusal = InvoiceError::SubmissionUnderWay {
        number: inv(),
        attempt: 1,
    };
    given([drafted(), issued(), started.clone()])
        .when(submit(None))
        .then_err(refusal.clone());
    given([
        drafted(),
        issued(),
        started,
        accepted(1, "NYEA8PYC59ED2WJB91XBJZYJ10"),
    ])
    .when(submit(None))
    .then_err(refusal);
}

#[test]
fn a_validated_invoice_is_never_submitted_again() {
    given([drafted(), issued(), validated()])
        .when(submit(None))
        .then_err(InvoiceError::AlreadyValidated {
            document_uuid: "F9D425P6DS7D8IU".into(),
        });
}

#[test]
fn after_a_rejection_a_new_attempt_may_start() {
    let state = given([
        drafted(),
        issued(),
        submission_started(None, 1, &test_ctx()),
        rejected(1, None),
    ])
    .when(submit(None))
    .then([submission_started(None, 2, &test_ctx())]);
    assert_eq!(record(&state).einvoice(None).unwrap().attempts, 2);
}

#[test]
fn a_document_issued_72_hours_ago_can_no_longer_go_to_lhdn() {
    let closed_at = test_ctx().now + SUBMISSION_WINDOW;
    let refusal = InvoiceError::SubmissionWindowClosed {
        number: inv(),
        closed_at,
    };
    assert_eq!(
        refusal.to_string(),
        "INV-2026-000123 can no longer go to LHDN: a document must be submitted within 72 hours of its issue, which ended at 2026-06-04 02:00:00 UTC; cancel it and issue a new one"
    );
    given([drafted(), issued()])
        .at(at(closed_at))
        .when(submit(None))
        .then_err(refusal);
    let last_second = at(closed_at - TimeDelta::seconds(1));
    given([drafted(), issued()])
        .at(last_second.clone())
        .when(submit(None))
        .then([submission_started(None, 1, &last_second)]);
}

#[test]
fn a_note_goes_to_lhdn_only_once_its_invoice_is_validated() {
    let note = noted(NoteKind::Credit, 1, "100.00");
    given([drafted(), issued(), note.clone()])
        .when(submit(Some(1)))
        .then_err(InvoiceError::InvoiceNotValidated { invoice: inv() });
    given([drafted(), issued(), validated(), note])
        .when(submit(Some(1)))
        .then([submission_started(Some(1), 1, &test_ctx())]);
}

#[test]
fn submitting_an_unknown_note_is_refused() {
    given([drafted(), issued(), validated()])
        .when(submit(Some(9)))
        .then_err(InvoiceError::NoSuchNote {
            note_id: note_id(9),
        });
}

#[test]
fn a_submission_names_the_signed_document_by_its_hex_sha256() {
    let command = InvoiceCommand::StartEInvoiceSubmission(StartEInvoiceSubmission {
        note_id: None,
        document_hash: HASH.to_uppercase(),
        signed_copy: signed_copy(),
    });
    given([drafted(), issued()])
        .when(command)
        .then_err(InvoiceError::BadDocumentHash);
}

#[test]
fn a_cancelled_invoice_is_not_submitted() {
    given([drafted(), issued(), cancelled()])
        .when(submit(None))
        .then_err(InvoiceError::Cancelled { number: inv() });
}

#[test]
fn lhdns_acceptance_is_recorded_once_for_the_attempt_it_answers() {
    let started = submission_started(None, 1, &test_ctx());
    let uuid = "NYEA8PYC59ED2WJB91XBJZYJ10";
    given([drafted(), issued(), started.clone()])
        .when(accept(1, uuid))
        .then([accepted(1, uuid)]);
    // A retried record of the same answer changes nothing.
    given([drafted(), issued(), started.clone(), accepted(1, uuid)])
        .when(accept(1, uuid))
        .then_nothing();
    given([drafted(), issued(), started.clone(), accepted(1, uuid)])
        .when(accept(1, "ANOTHER0UUID0000000000000X"))
        .then_err(InvoiceError::AcceptedAsAnother {
            document_uuid: uuid.into(),
        });
    given([drafted(), issued(), started])
        .when(accept(2, uuid))
        .then_err(InvoiceError::NoSuchSubmission {
            number: inv(),
            attempt: 2,
        });
}

#[test]
fn an_invalid_document_is_recorded_as_rejected_with_lhdns_problems() {
    let uuid = "NYEA8PYC59ED2WJB91XBJZYJ10";
    let history = [
        drafted(),
        issued(),
        submission_started(None, 1, &test_ctx()),
        accepted(1, uuid),
    ];
    let state = given(history.clone())
        .when(reject(1, Some(uuid)))
        .then([rejected(1, Some(uuid))]);
    assert!(matches!(
        &record(&state).einvoice(None).unwrap().stage,
        EInvoiceStage::Rejected { problems, .. } if problems[0].code.as_deref() == Some("CF358")
    ));
    let mut rejected_history = history.to_vec();
    rejected_history.push(rejected(1, Some(uuid)));
    given(rejected_history)
        .when(reject(1, Some(uuid)))
        .then_nothing();
}

#[test]
fn a_rejection_refused_at_submission_has_no_lhdn_uuid() {
    given([
        drafted(),
        issued(),
        submission_started(None, 1, &test_ctx()),
    ])
    .when(reject(1, None))
    .then([rejected(1, None)]);
}

#[test]
fn lhdns_validation_of_a_note_is_recorded_against_the_note() {
    let note = noted(NoteKind::Credit, 1, "100.00");
    let validate_note = InvoiceCommand::RecordLhdnValidation(RecordLhdnValidation {
        note_id: Some(note_id(1)),
        document_uuid: "NOTE0UUID000000000000000010".into(),
        long_id: "LONGID".into(),
        validated_at: validated_at(),
    });
    let note_validated = InvoiceEvent::NoteValidatedByLhdn(NoteValidatedByLhdn {
        note_id: note_id(1),
        validated: crate::einvoice::Validated {
            document_uuid: "NOTE0UUID000000000000000010".into(),
            long_id: "LONGID".into(),
            validated_at: validated_at(),
        },
    });
    let state = given([drafted(), issued(), validated(), note.clone()])
        .when(validate_note.clone())
        .then([note_validated.clone()]);
    let r = record(&state);
    assert!(matches!(
        r.einvoice(Some(note_id(1))).unwrap().stage,
        EInvoiceStage::Validated { .. }
    ));
    // The invoice's own validation is untouched.
    assert_eq!(r.lhdn.as_ref().unwrap().document_uuid, "F9D425P6DS7D8IU");
    given([drafted(), issued(), validated(), note, note_validated])
        .when(validate_note)
        .then_nothing();
}

#[test]
fn an_invoice_with_lhdn_is_not_cancelled_until_lhdn_answers() {
    given([
        drafted(),
        issued(),
        submission_started(None, 1, &test_ctx()),
    ])
    .when(cancel("Wrong customer billed"))
    .then_err(InvoiceError::SubmissionUnderWay {
        number: inv(),
        attempt: 1,
    });
}

#[test]
fn e_invoice_events_round_trip_through_their_stored_form() {
    for event in [
        submission_started(Some(1), 3, &test_ctx()),
        accepted(1, "NYEA8PYC59ED2WJB91XBJZYJ10"),
        rejected(2, None),
    ] {
        let json = serde_json::to_value(&event).unwrap();
        let back: InvoiceEvent = serde_json::from_value(json).unwrap();
        assert_eq!(back, event);
    }
}

#[test]
fn a_rejected_document_is_submitted_again_on_request_as_a_new_attempt() {
    let rejected_history = [
        drafted(),
        issued(),
        submission_started(None, 1, &test_ctx()),
        rejected(1, None),
    ];
    let request =
        InvoiceCommand::RequestEInvoiceResubmission(RequestEInvoiceResubmission { note_id: None });
    let requested = InvoiceEvent::EInvoiceResubmissionRequested(EInvoiceResubmissionRequested {
        note_id: None,
        requested_at: test_ctx().now,
    });
    given(rejected_history.clone())
        .when(request.clone())
        .then([requested.clone()]);
    let mut history = rejected_history.to_vec();
    history.push(requested);
    given(history.clone()).when(request.clone()).then_nothing();
    given(history)
        .when(submit(None))
        .then([submission_started(None, 2, &test_ctx())]);
    // Nothing to resubmit while LHDN has not rejected it.
    given([drafted(), issued(), validated()])
        .when(request)
        .then_err(InvoiceError::NotRejectedByLhdn { number: inv() });
}

fn hold(note: Option<u128>) -> InvoiceCommand {
    InvoiceCommand::HoldEInvoiceSubmission(HoldEInvoiceSubmission {
        note_id: note.map(note_id),
        problems: vec![unsendable()],
    })
}

fn unsendable() -> LhdnProblem {
    LhdnProblem {
        code: None,
        message: "over LHDN's 300 KB a document".into(),
        property_path: None,
    }
}

fn held(note: Option<u128>) -> InvoiceEvent {
    InvoiceEvent::EInvoiceHeld(EInvoiceHeld {
        note_id: note.map(note_id),
        held: crate::einvoice::Held {
            problems: vec![unsendable()],
            held_at: test_ctx().now,
        },
    })
}

#[test]
fn a_document_the_submitter_cannot_send_is_held_until_asked_for_again() {
    let state = given([drafted(), issued()])
        .when(hold(None))
        .then([held(None)]);
    let einvoice = state.drafted().unwrap().einvoice(None).unwrap();
    assert_eq!(einvoice.attempts, 0);
    assert!(matches!(einvoice.stage, EInvoiceStage::Held { .. }));
    // Held once: a second cycle that fails the same way records nothing new.
    given([drafted(), issued(), held(None)])
        .when(hold(None))
        .then_nothing();
    let request =
        InvoiceCommand::RequestEInvoiceResubmission(RequestEInvoiceResubmission { note_id: None });
    given([drafted(), issued(), held(None)])
        .when(request)
        .then([InvoiceEvent::EInvoiceResubmissionRequested(
            EInvoiceResubmissionRequested {
                note_id: None,
                requested_at: test_ctx().now,
            },
        )]);
    // A held document was never sent: its first submission is attempt 1.
    given([drafted(), issued(), held(None)])
        .when(submit(None))
        .then([submission_started(None, 1, &test_ctx())]);
}

#[test]
fn a_document_with_lhdn_or_validated_is_not_held() {
    given([
        drafted(),
        issued(),
        submission_started(None, 1, &test_ctx()),
    ])
    .when(hold(None))
    .then_err(InvoiceError::SubmissionUnderWay {
        number: inv(),
        attempt: 1,
    });
    given([drafted(), issued(), validated()])
        .when(hold(None))
        .then_err(InvoiceError::AlreadyValidated {
            document_uuid: "F9D425P6DS7D8IU".into(),
        });
    given([drafted()])
        .when(hold(None))
        .then_err(InvoiceError::NotIssued);
}

#[test]
fn a_held_event_keeps_its_stored_form() {
    let event = held(Some(1));
    let json = serde_json::to_value(&event).unwrap();
    assert_eq!(json["type"], "EInvoiceHeld");
    assert_eq!(
        json["data"]["problems"][0]["message"],
        "over LHDN's 300 KB a document"
    );
    let back: InvoiceEvent = serde_json::from_value(json).unwrap();
    assert_eq!(back, event);
}

fn pdf(version: u64, digest: char) -> crate::PdfIssued {
    crate::PdfIssued {
        kind: crate::PdfKind::Invoice,
        document_id: *invoice_id().as_uuid(),
        version,
        document_key: Uuid::from_u128(u128::from(version)),
        sha256: crate::values::Sha256Hex::parse(&digest.to_string().repeat(64)).unwrap(),
        size_bytes: 1000,
    }
}

#[test]
fn the_pdf_of_an_issued_invoice_is_recorded_in_its_history() {
    let state = given([drafted(), issued()])
        .when(InvoiceCommand::RecordPdf(pdf(2, 'a')))
        .then([InvoiceEvent::InvoicePdfIssued(pdf(2, 'a'))]);
    assert_eq!(state.drafted().unwrap().pdfs, [pdf(2, 'a')]);
}

#[test]
fn a_pdf_of_a_version_already_recorded_is_not_recorded_again() {
    given([
        drafted(),
        issued(),
        InvoiceEvent::InvoicePdfIssued(pdf(2, 'a')),
    ])
    .when(InvoiceCommand::RecordPdf(pdf(2, 'b')))
    .then_nothing();
}

#[test]
fn the_pdf_of_a_later_version_is_recorded_beside_the_first() {
    given([
        drafted(),
        issued(),
        InvoiceEvent::InvoicePdfIssued(pdf(2, 'a')),
        validated(),
    ])
    .when(InvoiceCommand::RecordPdf(pdf(4, 'b')))
    .then([InvoiceEvent::InvoicePdfIssued(pdf(4, 'b'))]);
}

#[test]
fn no_pdf_is_recorded_on_an_invoice_never_drafted() {
    given([])
        .when(InvoiceCommand::RecordPdf(pdf(1, 'a')))
        .then_err(InvoiceError::NotDrafted);
}
