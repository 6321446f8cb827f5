//! One test per rule, named as the rule.

#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use rust_decimal::Decimal;
use uuid::Uuid;

use super::*;
use crate::DomainEvent;
use crate::ids::{GoodsReceiptId, PurchaseOrderId, SupplierId};
use crate::money::{Currency, Money};
use crate::testing::{self, Given, date, on, test_ctx};
use crate::values::{ItemCode, Name, Quantity, TextProblem, UnitCode};

// ---- fixtures ------------------------------------------------------------------------------
//
// The standard order: line 1, 100 test-weight cases at RM 12.50; line 2, 40 kg of
// cleaning compound at RM 8.00 a kg; promised for 25 May 2026, sent on 20 May as
// PO-2026-000042. Today is 1 June 2026. The company tolerance is 5 % (version 3).

fn given(history: impl IntoIterator<Item = PurchaseOrderEvent>) -> Given<PurchaseOrder> {
    testing::given(history)
}

fn po_id() -> PurchaseOrderId {
    PurchaseOrderId::from_uuid(Uuid::from_u128(0x0a01))
}

fn supplier_id() -> SupplierId {
    SupplierId::from_uuid(Uuid::from_u128(0x5001))
}

fn receipt_id(n: u128) -> GoodsReceiptId {
    GoodsReceiptId::from_uuid(Uuid::from_u128(0x6000 + n))
}

fn today() -> NaiveDate {
    date(2026, 6, 1)
}

fn promised() -> NaiveDate {
    date(2026, 5, 25)
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn qty(s: &str) -> Quantity {
    Quantity::parse(s).unwrap()
}

fn line_no(n: u16) -> LineNo {
    LineNo::new(n).unwrap()
}

fn order_line(
    code: Option<&str>,
    description: &str,
    quantity: &str,
    unit: &str,
    price: &str,
) -> OrderLine {
    OrderLine {
        item_code: code.map(|c| ItemCode::parse(c).unwrap()),
        description: description.into(),
        quantity: qty(quantity),
        unit: UnitCode::parse(unit).unwrap(),
        unit_price: Money::myr(dec(price)),
    }
}

fn lines() -> Vec<OrderLine> {
    vec![
        order_line(
            Some("CASE-20KG"),
            "Carrying case for 20 kg test weight",
            "100",
            "C62",
            "12.50",
        ),
        order_line(None, "Cleaning compound", "40", "KGM", "8.00"),
    ]
}

fn tolerance(percent: &str) -> DeliveryTolerance {
    DeliveryTolerance {
        version: 3,
        percent: TolerancePercent::new(dec(percent)).unwrap(),
    }
}

fn number() -> PurchaseOrderNumber {
    PurchaseOrderNumber::new(2026, 42).unwrap()
}

fn drafted() -> PurchaseOrderEvent {
    PurchaseOrderEvent::PurchaseOrderDrafted(PurchaseOrderDrafted {
        purchase_order_id: po_id(),
        supplier_id: supplier_id(),
        currency: Currency::MYR,
        lines: lines(),
        promised_on: promised(),
        drafted_on: date(2026, 5, 19),
        drafted_at: on(date(2026, 5, 19)).now,
    })
}

fn sent() -> PurchaseOrderEvent {
    PurchaseOrderEvent::PurchaseOrderSent(PurchaseOrderSent {
        number: number(),
        revision: RevisionNumber::FIRST,
        sent_on: date(2026, 5, 20),
        sent_at: on(date(2026, 5, 20)).now,
    })
}

fn receiver() -> Name {
    Name::parse("Siti Aminah").unwrap()
}

/// A receipt of `quantities` (line, quantity) on `day`, under the 5 % tolerance.
fn receive(n: u128, day: NaiveDate, quantities: &[(u16, &str)]) -> ReceiveGoods {
    ReceiveGoods {
        receipt_id: receipt_id(n),
        received_on: day,
        receiver: receiver(),
        note: None,
        lines: quantities
            .iter()
            .map(|(l, q)| ReceivedLine {
                line: line_no(*l),
                quantity: qty(q),
            })
            .collect(),
        tolerance: tolerance("5"),
    }
}

fn receive_cmd(n: u128, day: NaiveDate, quantities: &[(u16, &str)]) -> PurchaseOrderCommand {
    PurchaseOrderCommand::ReceiveGoods(receive(n, day, quantities))
}

fn variance(
    line: u16,
    ordered: &str,
    received: &str,
    assessment: VarianceAssessment,
) -> LineVariance {
    let (ordered, received) = (dec(ordered), dec(received));
    let difference = received - ordered;
    LineVariance {
        line: line_no(line),
        ordered,
        received,
        difference,
        percent: (difference * Decimal::ONE_HUNDRED / ordered)
            .round_dp(2)
            .normalize(),
        assessment,
    }
}

/// The GoodsReceived event `receive(n, day, quantities)` records, with its `variance`.
fn received(
    n: u128,
    day: NaiveDate,
    quantities: &[(u16, &str)],
    variance: Vec<LineVariance>,
) -> PurchaseOrderEvent {
    let c = receive(n, day, quantities);
    PurchaseOrderEvent::GoodsReceived(GoodsReceived {
        receipt_id: c.receipt_id,
        received_on: day,
        receiver: receiver(),
        note: None,
        lines: c
            .lines
            .iter()
            .map(|l| ReceiptLine {
                line: l.line,
                quantity: l.quantity,
            })
            .collect(),
        variance,
        promised_on: promised(),
        days_late: days_late(promised(), day),
        tolerance_version: 3,
        tolerance_percent: tolerance("5").percent,
        recorded_at: on(day).now,
    })
}

fn flagged(
    trigger: VarianceTrigger,
    lines: Vec<LineVariance>,
    days_late: u32,
    day: NaiveDate,
) -> PurchaseOrderEvent {
    PurchaseOrderEvent::DeliveryVarianceFlagged(DeliveryVarianceFlagged {
        trigger,
        lines,
        days_late,
        tolerance_version: 3,
        flagged_at: on(day).now,
    })
}

/// Line 1 received in full on 22 May, line 2 not at all.
fn line_1_in_full() -> PurchaseOrderEvent {
    received(
        1,
        date(2026, 5, 22),
        &[(1, "100")],
        vec![variance(1, "100", "100", VarianceAssessment::AsOrdered)],
    )
}

/// Line 2 closed short today with nothing received (flag omitted: it does not change
/// what the order decides).
fn line_2_short_closed() -> PurchaseOrderEvent {
    PurchaseOrderEvent::PurchaseOrderLineShortClosed(PurchaseOrderLineShortClosed {
        line: line_no(2),
        reason: "Discontinued by the supplier".into(),
        variance: variance(2, "40", "0", VarianceAssessment::UnderTolerance),
        tolerance_version: 3,
        tolerance_percent: tolerance("5").percent,
        closed_on: today(),
        closed_at: test_ctx().now,
    })
}

fn cancelled() -> PurchaseOrderEvent {
    PurchaseOrderEvent::PurchaseOrderCancelled(PurchaseOrderCancelled {
        reason: "Supplier cannot deliver".into(),
        cancelled_on: today(),
        cancelled_at: test_ctx().now,
    })
}

fn closed() -> PurchaseOrderEvent {
    PurchaseOrderEvent::PurchaseOrderClosed(PurchaseOrderClosed {
        force_reason: None,
        closed_short: vec![],
        tolerance_version: 3,
        closed_on: today(),
        closed_at: test_ctx().now,
    })
}

fn short_close(line: u16, reason: &str) -> PurchaseOrderCommand {
    PurchaseOrderCommand::ShortCloseLine(ShortCloseLine {
        line: line_no(line),
        reason: reason.into(),
        tolerance: tolerance("5"),
    })
}

fn close(force_reason: Option<&str>) -> PurchaseOrderCommand {
    PurchaseOrderCommand::Close(ClosePurchaseOrder {
        force_reason: force_reason.map(str::to_owned),
        tolerance: tolerance("5"),
    })
}

fn cancel(reason: &str) -> PurchaseOrderCommand {
    PurchaseOrderCommand::Cancel(CancelPurchaseOrder {
        reason: reason.into(),
    })
}

fn amend(lines: Vec<OrderLine>, promised_on: NaiveDate) -> PurchaseOrderCommand {
    PurchaseOrderCommand::Amend(AmendPurchaseOrder { lines, promised_on })
}

fn record(state: &PurchaseOrder) -> &PurchaseOrderRecord {
    state.record().unwrap()
}

// ---- drafting and amending -----------------------------------------------------------------

#[test]
fn drafting_an_order_records_its_lines_trimmed() {
    let mut untidy = lines();
    untidy[1].description = "  Cleaning compound ".into();
    given([])
        .at(on(date(2026, 5, 19)))
        .when(PurchaseOrderCommand::Draft(DraftPurchaseOrder {
            id: po_id(),
            supplier_id: supplier_id(),
            currency: Currency::MYR,
            lines: untidy,
            promised_on: promised(),
        }))
        .then([drafted()]);
}

#[test]
fn an_order_without_lines_is_refused() {
    given([])
        .when(PurchaseOrderCommand::Draft(DraftPurchaseOrder {
            id: po_id(),
            supplier_id: supplier_id(),
            currency: Currency::MYR,
            lines: vec![],
            promised_on: promised(),
        }))
        .then_err(PurchaseOrderError::NoLines);
}

#[test]
fn a_line_priced_in_another_currency_is_refused() {
    let mut foreign = lines();
    foreign[1].unit_price = Money::new(dec("2"), Currency::parse("USD").unwrap());
    let error = PurchaseOrderError::LineCurrency {
        index: 1,
        expected: Currency::MYR,
        found: Currency::parse("USD").unwrap(),
    };
    assert_eq!(error.pointer().as_deref(), Some("/lines/1/unit_price"));
    given([drafted()])
        .when(amend(foreign, promised()))
        .then_err(error);
}

#[test]
fn a_line_with_a_negative_price_or_no_description_is_refused() {
    let mut negative = lines();
    negative[0].unit_price = Money::myr(dec("-1"));
    given([drafted()])
        .when(amend(negative, promised()))
        .then_err(PurchaseOrderError::NegativeUnitPrice { index: 0 });
    let mut blank = lines();
    blank[1].description = "  ".into();
    given([drafted()]).when(amend(blank, promised())).then_err(
        PurchaseOrderError::LineDescription {
            index: 1,
            problem: TextProblem::Empty,
        },
    );
}

#[test]
fn drafting_twice_is_refused() {
    given([drafted()])
        .when(PurchaseOrderCommand::Draft(DraftPurchaseOrder {
            id: po_id(),
            supplier_id: supplier_id(),
            currency: Currency::MYR,
            lines: lines(),
            promised_on: promised(),
        }))
        .then_err(PurchaseOrderError::AlreadyDrafted);
}

#[test]
fn amending_a_draft_replaces_its_lines_and_promised_date() {
    let fewer = vec![lines().remove(0)];
    let state = given([drafted()])
        .when(amend(fewer.clone(), date(2026, 5, 28)))
        .then([PurchaseOrderEvent::PurchaseOrderDraftAmended(
            PurchaseOrderDraftAmended {
                lines: fewer.clone(),
                promised_on: date(2026, 5, 28),
                amended_at: test_ctx().now,
            },
        )]);
    assert_eq!(record(&state).lines, fewer);
    assert_eq!(record(&state).revision(), None);
}

#[test]
fn saving_a_draft_unchanged_records_nothing() {
    given([drafted()])
        .when(amend(lines(), promised()))
        .then_nothing();
}

// ---- sending and revising ------------------------------------------------------------------

#[test]
fn sending_a_draft_numbers_it_as_revision_1() {
    let state = given([drafted()])
        .at(on(date(2026, 5, 20)))
        .when(PurchaseOrderCommand::Send(SendPurchaseOrder {
            number: number(),
        }))
        .then([sent()]);
    assert!(matches!(state, PurchaseOrder::Sent(_)));
    assert_eq!(record(&state).revision(), Some(RevisionNumber::FIRST));
}

#[test]
fn a_number_from_another_years_series_is_refused() {
    let old = PurchaseOrderNumber::new(2025, 7).unwrap();
    given([drafted()])
        .when(PurchaseOrderCommand::Send(SendPurchaseOrder {
            number: old.clone(),
        }))
        .then_err(PurchaseOrderError::NumberFromAnotherYear {
            number: old,
            year: 2026,
        });
}

#[test]
fn sending_twice_is_refused() {
    given([drafted(), sent()])
        .when(PurchaseOrderCommand::Send(SendPurchaseOrder {
            number: PurchaseOrderNumber::new(2026, 43).unwrap(),
        }))
        .then_err(PurchaseOrderError::AlreadySent { number: number() });
}

#[test]
fn amending_a_sent_order_records_a_revision_with_the_lines_before_and_after() {
    let mut more = lines();
    more[0].quantity = qty("120");
    let state = given([drafted(), sent()])
        .when(amend(more.clone(), date(2026, 5, 27)))
        .then([PurchaseOrderEvent::PurchaseOrderRevised(
            PurchaseOrderRevised {
                revision: RevisionNumber::new(2).unwrap(),
                lines_before: lines(),
                lines_after: more.clone(),
                promised_before: promised(),
                promised_after: date(2026, 5, 27),
                revised_on: today(),
                revised_at: test_ctx().now,
            },
        )]);
    let r = record(&state);
    assert_eq!(r.revision(), RevisionNumber::new(2));
    assert_eq!((r.lines.clone(), r.promised_on), (more, date(2026, 5, 27)));
    assert_eq!(r.revisions[0].lines_before, lines());
}

#[test]
fn amending_after_a_receipt_is_refused() {
    given([drafted(), sent(), line_1_in_full()])
        .when(amend(lines(), date(2026, 6, 5)))
        .then_err(PurchaseOrderError::AmendAfterReceipt {
            received_on: date(2026, 5, 22),
        });
}

#[test]
fn amending_after_a_short_close_is_refused() {
    given([drafted(), sent(), line_2_short_closed()])
        .when(amend(lines(), date(2026, 6, 5)))
        .then_err(PurchaseOrderError::AmendAfterShortClose { line: line_no(2) });
}

// ---- goods receipts and variance -----------------------------------------------------------

#[test]
fn goods_cannot_be_received_on_a_draft() {
    given([drafted()])
        .when(receive_cmd(1, today(), &[(1, "10")]))
        .then_err(PurchaseOrderError::NotSent);
}

#[test]
fn a_partial_receipt_on_time_records_the_outstanding_line_without_a_flag() {
    given([drafted(), sent()])
        .at(on(date(2026, 5, 22)))
        .when(receive_cmd(1, date(2026, 5, 22), &[(1, "40")]))
        .then([received(
            1,
            date(2026, 5, 22),
            &[(1, "40")],
            vec![variance(1, "100", "40", VarianceAssessment::Outstanding)],
        )]);
}

#[test]
fn three_partial_receipts_sum_to_the_quantity_ordered() {
    let day = date(2026, 5, 22);
    let first = received(
        1,
        day,
        &[(1, "30"), (2, "10")],
        vec![
            variance(1, "100", "30", VarianceAssessment::Outstanding),
            variance(2, "40", "10", VarianceAssessment::Outstanding),
        ],
    );
    let second = received(
        2,
        day,
        &[(1, "30")],
        vec![variance(1, "100", "60", VarianceAssessment::Outstanding)],
    );
    let state = given([drafted(), sent(), first, second])
        .at(on(day))
        .when(receive_cmd(3, day, &[(1, "40"), (2, "30")]))
        .then([received(
            3,
            day,
            &[(1, "40"), (2, "30")],
            vec![
                variance(1, "100", "100", VarianceAssessment::AsOrdered),
                variance(2, "40", "40", VarianceAssessment::AsOrdered),
            ],
        )]);
    let r = record(&state);
    assert_eq!(r.received(line_no(1)), dec("100"));
    assert_eq!(r.received(line_no(2)), dec("40"));
    assert!(r.is_complete());
    assert_eq!(r.receipts.len(), 3);
}

#[test]
fn over_delivery_within_tolerance_is_recorded_and_not_flagged() {
    given([drafted(), sent()])
        .at(on(date(2026, 5, 22)))
        .when(receive_cmd(1, date(2026, 5, 22), &[(1, "105")]))
        .then([received(
            1,
            date(2026, 5, 22),
            &[(1, "105")],
            vec![variance(
                1,
                "100",
                "105",
                VarianceAssessment::OverWithinTolerance,
            )],
        )]);
}

#[test]
fn over_delivery_beyond_tolerance_is_flagged() {
    let day = date(2026, 5, 22);
    let over = variance(1, "100", "106", VarianceAssessment::OverTolerance);
    given([drafted(), sent()])
        .at(on(day))
        .when(receive_cmd(1, day, &[(1, "106")]))
        .then([
            received(1, day, &[(1, "106")], vec![over.clone()]),
            flagged(
                VarianceTrigger::Receipt {
                    receipt_id: receipt_id(1),
                },
                vec![over],
                0,
                day,
            ),
        ]);
}

#[test]
fn over_delivery_is_judged_on_the_cumulative_quantity() {
    let day = date(2026, 5, 22);
    let over = variance(1, "100", "110", VarianceAssessment::OverTolerance);
    given([drafted(), sent(), line_1_in_full()])
        .at(on(day))
        .when(receive_cmd(2, day, &[(1, "10")]))
        .then([
            received(2, day, &[(1, "10")], vec![over.clone()]),
            flagged(
                VarianceTrigger::Receipt {
                    receipt_id: receipt_id(2),
                },
                vec![over],
                0,
                day,
            ),
        ]);
}

#[test]
fn a_late_delivery_is_flagged_with_its_days_late() {
    let partial = variance(2, "40", "20", VarianceAssessment::Outstanding);
    given([drafted(), sent()])
        .when(receive_cmd(1, today(), &[(2, "20")]))
        .then([
            received(1, today(), &[(2, "20")], vec![partial]),
            flagged(
                VarianceTrigger::Receipt {
                    receipt_id: receipt_id(1),
                },
                vec![],
                7,
                today(),
            ),
        ]);
}

#[test]
fn a_delivery_on_the_promised_day_is_not_late() {
    given([drafted(), sent()])
        .at(on(promised()))
        .when(receive_cmd(1, promised(), &[(2, "40")]))
        .then([received(
            1,
            promised(),
            &[(2, "40")],
            vec![variance(2, "40", "40", VarianceAssessment::AsOrdered)],
        )]);
}

#[test]
fn the_same_receipt_again_records_nothing() {
    given([drafted(), sent(), line_1_in_full()])
        .when(receive_cmd(1, date(2026, 5, 22), &[(1, "100")]))
        .then_nothing();
}

#[test]
fn a_used_receipt_id_with_other_details_is_refused() {
    given([drafted(), sent(), line_1_in_full()])
        .when(receive_cmd(1, date(2026, 5, 22), &[(1, "90")]))
        .then_err(PurchaseOrderError::ReceiptIdReused {
            receipt_id: receipt_id(1),
        });
}

#[test]
fn a_receipt_dated_after_today_is_refused() {
    let tomorrow = date(2026, 6, 2);
    let error = PurchaseOrderError::ReceiptInFuture {
        received_on: tomorrow,
        today: today(),
    };
    assert_eq!(error.pointer().as_deref(), Some("/received_on"));
    given([drafted(), sent()])
        .when(receive_cmd(1, tomorrow, &[(1, "1")]))
        .then_err(error);
}

#[test]
fn a_receipt_dated_before_the_order_was_drafted_is_refused() {
    given([drafted(), sent()])
        .when(receive_cmd(1, date(2026, 5, 18), &[(1, "1")]))
        .then_err(PurchaseOrderError::ReceiptBeforeOrder {
            received_on: date(2026, 5, 18),
            drafted_on: date(2026, 5, 19),
        });
}

#[test]
fn a_receipt_names_only_lines_of_the_order_each_once() {
    given([drafted(), sent()])
        .when(receive_cmd(1, today(), &[]))
        .then_err(PurchaseOrderError::NothingReceived);
    let unknown = PurchaseOrderError::UnknownLine {
        line: line_no(3),
        index: Some(1),
    };
    assert_eq!(unknown.pointer().as_deref(), Some("/lines/1/line"));
    given([drafted(), sent()])
        .when(receive_cmd(1, today(), &[(1, "1"), (3, "1")]))
        .then_err(unknown);
    given([drafted(), sent()])
        .when(receive_cmd(1, today(), &[(1, "1"), (1, "2")]))
        .then_err(PurchaseOrderError::LineListedTwice {
            line: line_no(1),
            index: 1,
        });
}

#[test]
fn a_short_closed_line_receives_nothing_more() {
    given([drafted(), sent(), line_2_short_closed()])
        .when(receive_cmd(1, today(), &[(2, "5")]))
        .then_err(PurchaseOrderError::LineShortClosed {
            line: line_no(2),
            index: 0,
            closed_on: today(),
        });
}

#[test]
fn goods_cannot_be_received_on_a_cancelled_order() {
    given([drafted(), sent(), cancelled()])
        .when(receive_cmd(1, today(), &[(1, "1")]))
        .then_err(PurchaseOrderError::Cancelled {
            cancelled_on: today(),
        });
}

#[test]
fn goods_cannot_be_received_on_a_closed_order_but_a_retry_is_answered_as_done() {
    let history = [
        drafted(),
        sent(),
        line_1_in_full(),
        line_2_short_closed(),
        closed(),
    ];
    given(history.clone())
        .when(receive_cmd(2, today(), &[(2, "1")]))
        .then_err(PurchaseOrderError::Closed { closed_on: today() });
    given(history)
        .when(receive_cmd(1, date(2026, 5, 22), &[(1, "100")]))
        .then_nothing();
}

// ---- short-closing -------------------------------------------------------------------------

#[test]
fn short_closing_a_line_beyond_tolerance_flags_the_shortfall() {
    let partial = received(
        1,
        date(2026, 5, 22),
        &[(2, "30")],
        vec![variance(2, "40", "30", VarianceAssessment::Outstanding)],
    );
    let short = variance(2, "40", "30", VarianceAssessment::UnderTolerance);
    let state = given([drafted(), sent(), partial])
        .when(short_close(2, " Supplier out of stock "))
        .then([
            PurchaseOrderEvent::PurchaseOrderLineShortClosed(PurchaseOrderLineShortClosed {
                line: line_no(2),
                reason: "Supplier out of stock".into(),
                variance: short.clone(),
                tolerance_version: 3,
                tolerance_percent: tolerance("5").percent,
                closed_on: today(),
                closed_at: test_ctx().now,
            }),
            flagged(
                VarianceTrigger::ShortClose { line: line_no(2) },
                vec![short],
                0,
                today(),
            ),
        ]);
    let progress = record(&state).progress();
    assert_eq!(progress[1].status, LineReceiptStatus::ShortClosed);
    assert_eq!(progress[1].outstanding, Decimal::ZERO);
}

#[test]
fn short_closing_a_shortfall_within_tolerance_is_not_flagged() {
    let partial = received(
        1,
        date(2026, 5, 22),
        &[(1, "96")],
        vec![variance(1, "100", "96", VarianceAssessment::Outstanding)],
    );
    given([drafted(), sent(), partial])
        .when(short_close(1, "Close enough"))
        .then([PurchaseOrderEvent::PurchaseOrderLineShortClosed(
            PurchaseOrderLineShortClosed {
                line: line_no(1),
                reason: "Close enough".into(),
                variance: variance(1, "100", "96", VarianceAssessment::UnderWithinTolerance),
                tolerance_version: 3,
                tolerance_percent: tolerance("5").percent,
                closed_on: today(),
                closed_at: test_ctx().now,
            },
        )]);
}

#[test]
fn short_closing_needs_a_reason() {
    given([drafted(), sent()])
        .when(short_close(2, "  "))
        .then_err(PurchaseOrderError::ReasonRequired);
}

#[test]
fn a_line_received_in_full_cannot_be_closed_short() {
    let error = PurchaseOrderError::LineComplete { line: line_no(1) };
    assert_eq!(error.pointer().as_deref(), Some("/line"));
    given([drafted(), sent(), line_1_in_full()])
        .when(short_close(1, "Typo"))
        .then_err(error);
}

#[test]
fn short_closing_a_line_twice_records_nothing() {
    given([drafted(), sent(), line_2_short_closed()])
        .when(short_close(2, "Discontinued"))
        .then_nothing();
}

// ---- cancelling and closing ----------------------------------------------------------------

#[test]
fn an_order_is_cancelled_before_anything_arrives_for_a_reason() {
    let state = given([drafted(), sent()])
        .when(cancel("Bought elsewhere"))
        .then([PurchaseOrderEvent::PurchaseOrderCancelled(
            PurchaseOrderCancelled {
                reason: "Bought elsewhere".into(),
                cancelled_on: today(),
                cancelled_at: test_ctx().now,
            },
        )]);
    assert!(matches!(state, PurchaseOrder::Cancelled(_)));
    given([drafted()])
        .when(cancel(""))
        .then_err(PurchaseOrderError::ReasonRequired);
}

#[test]
fn cancelling_after_a_receipt_is_refused() {
    given([drafted(), sent(), line_1_in_full()])
        .when(cancel("Changed our mind"))
        .then_err(PurchaseOrderError::CancelAfterReceipt {
            received_on: date(2026, 5, 22),
        });
}

#[test]
fn cancelling_twice_records_nothing() {
    given([drafted(), cancelled()])
        .when(cancel("Duplicate"))
        .then_nothing();
}

#[test]
fn an_order_received_in_full_or_closed_short_closes() {
    let day = date(2026, 5, 22);
    let rest = received(
        2,
        day,
        &[(2, "41")],
        vec![variance(
            2,
            "40",
            "41",
            VarianceAssessment::OverWithinTolerance,
        )],
    );
    let state = given([drafted(), sent(), line_1_in_full(), rest])
        .when(close(None))
        .then([PurchaseOrderEvent::PurchaseOrderClosed(
            PurchaseOrderClosed {
                force_reason: None,
                closed_short: vec![],
                tolerance_version: 3,
                closed_on: today(),
                closed_at: test_ctx().now,
            },
        )]);
    assert!(matches!(state, PurchaseOrder::Closed(_)));
}

#[test]
fn an_order_with_lines_outstanding_is_closed_only_by_force() {
    given([drafted(), sent(), line_1_in_full()])
        .when(close(None))
        .then_err(PurchaseOrderError::NotComplete {
            lines: vec![line_no(2)],
        });
}

#[test]
fn a_forced_close_judges_the_lines_left_short_and_flags_them() {
    let short = variance(2, "40", "0", VarianceAssessment::UnderTolerance);
    let state = given([drafted(), sent(), line_1_in_full()])
        .when(close(Some("Compound no longer needed")))
        .then([
            PurchaseOrderEvent::PurchaseOrderClosed(PurchaseOrderClosed {
                force_reason: Some("Compound no longer needed".into()),
                closed_short: vec![short.clone()],
                tolerance_version: 3,
                closed_on: today(),
                closed_at: test_ctx().now,
            }),
            flagged(VarianceTrigger::ForcedClose, vec![short], 0, today()),
        ]);
    assert_eq!(record(&state).flags.len(), 1);
}

#[test]
fn an_order_with_nothing_received_is_cancelled_not_closed() {
    given([drafted(), sent()])
        .when(close(Some("Not needed")))
        .then_err(PurchaseOrderError::NoReceipts);
    given([drafted()])
        .when(close(None))
        .then_err(PurchaseOrderError::NotSent);
}

#[test]
fn closing_twice_records_nothing() {
    given([drafted(), sent(), line_1_in_full(), line_2_short_closed()])
        .when(close(None))
        .then([closed()]);
    given([
        drafted(),
        sent(),
        line_1_in_full(),
        line_2_short_closed(),
        closed(),
    ])
    .when(close(None))
    .then_nothing();
}

// ---- read-model helpers and storage --------------------------------------------------------

#[test]
fn each_line_reports_ordered_received_outstanding_and_status() {
    let day = date(2026, 5, 27);
    let receipt = received(
        1,
        day,
        &[(1, "60")],
        vec![variance(1, "100", "60", VarianceAssessment::Outstanding)],
    );
    let state = PurchaseOrder::replay(&[drafted(), sent(), receipt]);
    let r = record(&state);
    assert_eq!(
        r.progress(),
        vec![
            LineProgress {
                line: line_no(1),
                ordered: dec("100"),
                received: dec("60"),
                outstanding: dec("40"),
                status: LineReceiptStatus::PartlyReceived,
            },
            LineProgress {
                line: line_no(2),
                ordered: dec("40"),
                received: dec("0"),
                outstanding: dec("40"),
                status: LineReceiptStatus::NotReceived,
            },
        ]
    );
    assert_eq!(r.days_late(), vec![(receipt_id(1), day, 2)]);
    assert_eq!(r.total().unwrap(), Money::myr(dec("1570.00")));
    let over = received(2, day, &[(1, "50")], vec![]);
    let state = state.evolve(&over);
    assert_eq!(
        record(&state).progress()[0].status,
        LineReceiptStatus::OverReceived
    );
}

#[test]
fn event_types_are_the_variant_names_and_payloads_round_trip() {
    let day = date(2026, 5, 22);
    let events = [
        drafted(),
        sent(),
        line_1_in_full(),
        flagged(VarianceTrigger::ForcedClose, vec![], 1, day),
    ];
    let types: Vec<_> = events.iter().map(DomainEvent::event_type).collect();
    assert_eq!(
        types,
        [
            "PurchaseOrderDrafted",
            "PurchaseOrderSent",
            "GoodsReceived",
            "DeliveryVarianceFlagged"
        ]
    );
    for event in events {
        let (event_type, version, payload) = event.encode().unwrap();
        assert_eq!(
            PurchaseOrderEvent::decode(event_type, version, payload).unwrap(),
            event
        );
    }
}
