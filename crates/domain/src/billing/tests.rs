//! The line arithmetic: worked examples named as rules, then property tests of the
//! invariants (LHDN.md §2.7 and Pitfall 15).

#![allow(clippy::unwrap_used)]

use chrono::{Days, NaiveDate};
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::json;

use super::*;
use crate::money::{Currency, Money};
use crate::tax::{TaxError, TaxTreatment};
use crate::values::{ExemptionReason, ItemCode, Quantity, TextProblem, UnitCode};

// ---- fixtures ------------------------------------------------------------------------------

const MYR: Currency = Currency::MYR;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A day when service tax is 8 % and rental 8 % less 2 %.
fn in_2026() -> NaiveDate {
    date(2026, 6, 1)
}

fn rm(amount: &str) -> Money {
    Money::parse(amount, "MYR").unwrap()
}

fn qty(q: &str) -> Quantity {
    Quantity::parse(q).unwrap()
}

fn exempt() -> TaxTreatment {
    TaxTreatment::Exempt {
        reason: ExemptionReason::parse("Exemption certificate SST-EX 2026-0117").unwrap(),
    }
}

/// A calibration service line: `quantity` × `price`, no discount.
fn service(quantity: &str, price: &str) -> LineInput {
    LineInput {
        item_code: Some(ItemCode::parse("CAL-M1-20KG").unwrap()),
        description: "Calibration of 20 kg test weight, class M1".into(),
        quantity: qty(quantity),
        unit: UnitCode::parse("C62").unwrap(),
        unit_price: rm(price),
        discount: rm("0"),
        tax: TaxTreatment::Service,
    }
}

fn with(input: LineInput, change: impl FnOnce(&mut LineInput)) -> LineInput {
    let mut input = input;
    change(&mut input);
    input
}

fn priced(input: &LineInput) -> Line {
    Line::price(input, MYR, in_2026()).unwrap()
}

fn refusal(input: LineInput) -> LineError {
    Line::price(&input, MYR, in_2026()).unwrap_err()
}

fn totals(inputs: &[LineInput], adjustments: Adjustments) -> Result<Totals, BillingError> {
    price(MYR, inputs, in_2026(), &adjustments).map(|(_, totals)| totals)
}

// ---- a line --------------------------------------------------------------------------------

#[test]
fn a_line_is_quantity_times_price_rounded_to_the_sen_less_its_discount() {
    let line = priced(&with(service("3", "33.333"), |l| l.discount = rm("10.00")));
    // 3 × 33.333 = 99.999 → 100.00; less 10.00 = 90.00; 8 % = 7.20.
    assert_eq!(line.subtotal(), rm("100.00"));
    assert_eq!(line.net(), rm("90.00"));
    assert_eq!(line.tax().amount(), rm("7.20"));
    assert_eq!(line.total(), rm("97.20"));
    assert_eq!(line.tax().rule().id(), "service-tax-8");
}

#[test]
fn a_unit_price_keeps_its_decimals_and_only_the_line_is_rounded() {
    let line = priced(&with(service("1234", "0.0125"), |l| {
        l.tax = TaxTreatment::GoodsResale;
    }));
    // 1234 × 0.0125 = 15.425, half a sen → 15.43.
    assert_eq!(line.unit_price(), rm("0.0125"));
    assert_eq!(line.subtotal(), rm("15.43"));
    assert_eq!(line.tax().amount(), rm("0"));
    assert_eq!(line.tax().rule().tax_type().as_str(), "06");
}

#[test]
fn a_line_records_the_rule_in_force_on_the_tax_point() {
    let rental = with(service("1", "100"), |l| {
        l.tax = TaxTreatment::EquipmentRental
    });
    let before = Line::price(&rental, MYR, date(2025, 12, 31)).unwrap();
    let after = Line::price(&rental, MYR, date(2026, 1, 1)).unwrap();
    assert_eq!(before.tax().rule().id(), "rental-service-tax-8");
    assert_eq!(
        (before.tax().amount(), before.tax().exempted()),
        (rm("8.00"), rm("0"))
    );
    assert_eq!(after.tax().rule().id(), "rental-service-tax-8-less-2");
    assert_eq!(
        (after.tax().amount(), after.tax().exempted()),
        (rm("6.00"), rm("2.00"))
    );
}

#[test]
fn a_line_can_be_priced_again_from_what_was_asked() {
    let line = priced(&with(service("2.5", "80"), |l| l.discount = rm("5.55")));
    assert_eq!(Line::price(&line.input(), MYR, in_2026()).unwrap(), line);
}

#[test]
fn a_negative_unit_price_is_refused() {
    assert_eq!(refusal(service("1", "-1")), LineError::NegativePrice);
}

#[test]
fn a_negative_discount_is_refused() {
    assert_eq!(
        refusal(with(service("1", "10"), |l| l.discount = rm("-1"))),
        LineError::NegativeDiscount
    );
}

#[test]
fn a_discount_in_fractions_of_a_sen_is_refused() {
    assert_eq!(
        refusal(with(service("1", "10"), |l| l.discount = rm("0.005"))),
        LineError::DiscountFractionOfSen
    );
}

#[test]
fn a_discount_may_take_the_whole_line_but_no_more() {
    let free = priced(&with(service("2", "10.005"), |l| l.discount = rm("20.01")));
    assert_eq!((free.net(), free.tax().amount()), (rm("0"), rm("0")));
    assert_eq!(
        refusal(with(service("2", "10.005"), |l| l.discount = rm("20.02"))),
        LineError::DiscountExceedsSubtotal {
            discount: rm("20.02"),
            subtotal: rm("20.01"),
        }
    );
}

#[test]
fn a_price_in_another_currency_than_the_document_is_refused() {
    let usd = Money::parse("10", "USD").unwrap();
    assert_eq!(
        refusal(with(service("1", "10"), |l| l.unit_price = usd)),
        LineError::Currency {
            field: "unit_price",
            expected: MYR,
            found: usd.currency(),
        }
    );
    assert_eq!(
        refusal(with(service("1", "10"), |l| l.discount =
            Money::zero(usd.currency())))
        .field(),
        "discount"
    );
}

#[test]
fn a_line_needs_a_description_of_at_most_300_characters_on_one_line() {
    for (description, problem) in [
        ("  ", TextProblem::Empty),
        (&*"x".repeat(301), TextProblem::TooLong { max: 300 }),
        ("two\nlines", TextProblem::ControlCharacters),
    ] {
        assert_eq!(
            refusal(with(service("1", "1"), |l| l.description = description.into())),
            LineError::Description(problem)
        );
    }
}

#[test]
fn a_line_before_sst_began_is_refused() {
    assert_eq!(
        Line::price(&service("1", "1"), MYR, date(2018, 8, 31)),
        Err(LineError::Tax(TaxError::NoRuleInForce {
            treatment: "a service",
            tax_point: date(2018, 8, 31),
        }))
    );
}

// ---- a document ----------------------------------------------------------------------------

#[test]
fn totals_are_sums_of_rounded_lines_not_a_rounded_sum() {
    // Each 0.35 × 8 % = 0.028 → 0.03; the sum is 0.09, where 1.05 × 8 % would round to 0.08.
    let three = [
        service("1", "0.35"),
        service("1", "0.35"),
        service("1", "0.35"),
    ];
    let totals = totals(&three, Adjustments::default()).unwrap();
    assert_eq!(totals.tax_exclusive(), rm("1.05"));
    assert_eq!(totals.tax(), rm("0.09"));
    assert_eq!(totals.tax_inclusive(), rm("1.14"));
    assert_eq!(totals.payable(), rm("1.14"));
}

#[test]
fn tax_is_subtotalled_per_lhdn_tax_type() {
    let lines = [
        service("1", "100"),
        with(service("1", "200"), |l| {
            l.tax = TaxTreatment::EquipmentRental
        }),
        with(service("1", "50"), |l| l.tax = TaxTreatment::GoodsResale),
        with(service("1", "30"), |l| l.tax = exempt()),
    ];
    let totals = totals(&lines, Adjustments::default()).unwrap();
    let subtotals: Vec<_> = totals
        .tax_subtotals()
        .iter()
        .map(|s| (s.tax_type().as_str(), s.taxable(), s.tax(), s.exempted()))
        .collect();
    assert_eq!(
        subtotals,
        [
            ("02", rm("300"), rm("20.00"), rm("4.00")),
            ("06", rm("50"), rm("0"), rm("0")),
            ("E", rm("30"), rm("0"), rm("0")),
        ]
    );
    assert_eq!(totals.tax_exclusive(), rm("380.00"));
    assert_eq!(totals.tax(), rm("20.00"));
    assert_eq!(totals.tax_inclusive(), rm("400.00"));
}

#[test]
fn payable_is_the_total_less_prepaid_plus_rounding() {
    let adjustments = Adjustments {
        prepaid: Some(rm("50.00")),
        rounding: Some(rm("-0.02")),
    };
    let totals = totals(&[service("1", "100.02")], adjustments).unwrap();
    // 100.02 + 8.00 = 108.02; − 50.00 − 0.02 = 58.00.
    assert_eq!(totals.tax_inclusive(), rm("108.02"));
    assert_eq!(totals.prepaid(), rm("50.00"));
    assert_eq!(totals.rounding(), rm("-0.02"));
    assert_eq!(totals.payable(), rm("58.00"));
}

#[test]
fn a_document_without_lines_totals_zero() {
    let totals = totals(&[], Adjustments::default()).unwrap();
    assert_eq!(totals.payable(), rm("0"));
    assert!(totals.tax_subtotals().is_empty());
}

#[test]
fn a_prepayment_above_the_total_is_refused() {
    let adjustments = Adjustments {
        prepaid: Some(rm("108.01")),
        rounding: None,
    };
    assert_eq!(
        totals(&[service("1", "100")], adjustments),
        Err(BillingError::PrepaidExceedsTotal {
            prepaid: rm("108.01"),
            total: rm("108.00"),
        })
    );
    for prepaid in ["-1", "0.001"] {
        let adjustments = Adjustments {
            prepaid: Some(rm(prepaid)),
            rounding: None,
        };
        assert_eq!(
            totals(&[service("1", "100")], adjustments),
            Err(BillingError::InvalidPrepaid)
        );
    }
}

#[test]
fn a_payable_rounding_is_whole_sen_under_5_sen() {
    for rounding in ["0.05", "-0.05", "0.015", "1"] {
        let adjustments = Adjustments {
            prepaid: None,
            rounding: Some(rm(rounding)),
        };
        assert_eq!(
            totals(&[service("1", "100")], adjustments),
            Err(BillingError::InvalidRounding),
            "{rounding}"
        );
    }
}

#[test]
fn a_rounding_that_makes_the_payable_negative_is_refused() {
    let adjustments = Adjustments {
        prepaid: Some(rm("108.00")),
        rounding: Some(rm("-0.01")),
    };
    assert_eq!(
        totals(&[service("1", "100")], adjustments),
        Err(BillingError::NegativePayable)
    );
}

#[test]
fn adjustments_in_another_currency_are_refused() {
    let usd = Money::parse("1", "USD").unwrap();
    let adjustments = Adjustments {
        prepaid: Some(usd),
        rounding: None,
    };
    let refused = totals(&[service("1", "100")], adjustments).unwrap_err();
    assert_eq!(refused.pointer(), "/prepaid");
    assert_eq!(
        refused.to_string(),
        "the prepaid is in USD, but the document is in MYR"
    );
}

#[test]
fn lines_of_another_documents_currency_do_not_add_up() {
    let usd_line = Line::price(
        &with(service("1", "1"), |l| {
            l.unit_price = Money::parse("1", "USD").unwrap();
            l.discount = Money::parse("0", "USD").unwrap();
        }),
        Currency::parse("USD").unwrap(),
        in_2026(),
    )
    .unwrap();
    let refused = Totals::compute(
        MYR,
        &[priced(&service("1", "1")), usd_line],
        &Adjustments::default(),
    )
    .unwrap_err();
    assert!(matches!(
        refused,
        BillingError::Line {
            index: 1,
            problem: LineError::Currency { .. }
        }
    ));
}

#[test]
fn more_than_100_lines_are_refused() {
    let lines = vec![service("1", "1"); MAX_LINES + 1];
    assert_eq!(
        totals(&lines, Adjustments::default()),
        Err(BillingError::TooManyLines { max: 100 })
    );
    assert!(totals(&lines[..MAX_LINES], Adjustments::default()).is_ok());
}

#[test]
fn a_refused_line_is_named_by_its_place_on_the_document() {
    let lines = [
        service("1", "10"),
        with(service("1", "10"), |l| l.discount = rm("11")),
    ];
    let refused = totals(&lines, Adjustments::default()).unwrap_err();
    assert_eq!(refused.pointer(), "/lines/1/discount");
    assert_eq!(
        refused.to_string(),
        "line 2: the discount (MYR 11.00) is more than the line's amount (MYR 10.00)"
    );
}

#[test]
fn a_priced_line_and_its_totals_are_stored_with_every_figure() {
    let (lines, totals) = price(
        MYR,
        &[with(service("2", "150"), |l| {
            l.tax = TaxTreatment::EquipmentRental;
            l.unit = UnitCode::parse("DAY").unwrap();
            l.discount = rm("20");
        })],
        in_2026(),
        &Adjustments::default(),
    )
    .unwrap();
    let m = |amount: &str| json!({ "amount": amount, "currency": "MYR" });
    let stored_line = serde_json::to_value(&lines[0]).unwrap();
    assert_eq!(
        stored_line,
        json!({
            "item_code": "CAL-M1-20KG",
            "description": "Calibration of 20 kg test weight, class M1",
            "quantity": "2",
            "unit": "DAY",
            "unit_price": m("150.00"),
            "subtotal": m("300.00"),
            "discount": m("20.00"),
            "net": m("280.00"),
            "tax": {
                "treatment": { "kind": "equipment_rental" },
                "rule": {
                    "id": "rental-service-tax-8-less-2",
                    "name": "Service tax 8% less 2% exemption on rental of equipment (Group K)",
                    "tax_type": "02",
                    "rate": "8",
                    "exemption": {
                        "rate": "2",
                        "reason": "Rental of equipment (Group K) exempted from 2 percentage points of service tax from 1 January 2026"
                    },
                    "effective_from": "2026-01-01"
                },
                "amount": m("16.80"),
                "exempted": m("5.60")
            },
            "total": m("296.80")
        })
    );
    let stored_totals = serde_json::to_value(&totals).unwrap();
    assert_eq!(
        stored_totals,
        json!({
            "line_extension": m("280.00"),
            "tax_exclusive": m("280.00"),
            "tax": m("16.80"),
            "tax_inclusive": m("296.80"),
            "prepaid": m("0.00"),
            "rounding": m("0.00"),
            "payable": m("296.80"),
            "tax_subtotals": [
                { "tax_type": "02", "taxable": m("280.00"), "tax": m("16.80"), "exempted": m("5.60") }
            ]
        })
    );
    assert_eq!(
        serde_json::from_value::<Line>(stored_line).unwrap(),
        lines[0]
    );
    assert_eq!(
        serde_json::from_value::<Totals>(stored_totals).unwrap(),
        totals
    );
}

// ---- properties ----------------------------------------------------------------------------

/// A valid line in `currency`: quantity and price with a few decimals, a discount in whole
/// sen of up to the whole line, any treatment.
fn any_line(currency: Currency) -> impl Strategy<Value = LineInput> {
    (
        (1i64..=100_000, 0u32..=3),
        (0i64..=10_000_000, 0u32..=4),
        0i64..=100,
        0usize..4,
    )
        .prop_map(
            move |((q, q_scale), (p, p_scale), discount_percent, treatment)| {
                let quantity = Quantity::new(Decimal::new(q, q_scale)).unwrap();
                let unit_price = Money::new(Decimal::new(p, p_scale), currency);
                // Whole sen, at most the rounded subtotal.
                let subtotal = unit_price
                    .checked_mul(quantity.value())
                    .unwrap()
                    .round_to_sen();
                let discount_sen =
                    (subtotal.amount() * Decimal::ONE_HUNDRED * Decimal::from(discount_percent)
                        / Decimal::ONE_HUNDRED)
                        .floor();
                let tax = match treatment {
                    0 => TaxTreatment::Service,
                    1 => TaxTreatment::EquipmentRental,
                    2 => TaxTreatment::GoodsResale,
                    _ => exempt(),
                };
                LineInput {
                    item_code: None,
                    description: "Free-text line".into(),
                    quantity,
                    unit: UnitCode::parse("H87").unwrap(),
                    unit_price,
                    discount: Money::new(discount_sen / Decimal::ONE_HUNDRED, currency),
                    tax,
                }
            },
        )
}

fn any_currency() -> impl Strategy<Value = Currency> {
    prop_oneof![
        Just(Currency::MYR),
        Just(Currency::parse("USD").unwrap()),
        Just(Currency::parse("SGD").unwrap()),
    ]
}

/// A business day from the start of SST to the end of 2027.
fn any_tax_point() -> impl Strategy<Value = NaiveDate> {
    (0u64..3400).prop_map(|days| date(2018, 9, 1).checked_add_days(Days::new(days)).unwrap())
}

fn any_document() -> impl Strategy<Value = (Currency, Vec<LineInput>, NaiveDate)> {
    any_currency().prop_flat_map(|currency| {
        (
            Just(currency),
            prop::collection::vec(any_line(currency), 0..12),
            any_tax_point(),
        )
    })
}

fn in_whole_sen(money: Money) -> bool {
    money.amount().round_dp(2) == money.amount()
}

fn sum(currency: Currency, amounts: impl IntoIterator<Item = Money>) -> Money {
    amounts
        .into_iter()
        .fold(Money::zero(currency), |a, b| a.checked_add(b).unwrap())
}

proptest! {
    #[test]
    fn totals_add_up_exactly(
        (currency, inputs, day) in any_document(),
        prepaid_percent in 0i64..=100,
        rounding_sen in -4i64..=4,
    ) {
        let (lines, plain) = price(currency, &inputs, day, &Adjustments::default()).unwrap();
        let inclusive = plain.tax_inclusive().amount();
        let prepaid = Money::new(
            (inclusive * Decimal::from(prepaid_percent)).floor() / Decimal::ONE_HUNDRED,
            currency,
        );
        let rounding = Money::new(Decimal::new(rounding_sen, 2), currency);
        let adjustments = Adjustments { prepaid: Some(prepaid), rounding: Some(rounding) };
        let outcome = Totals::compute(currency, &lines, &adjustments);
        if inclusive - prepaid.amount() + rounding.amount() < Decimal::ZERO {
            prop_assert_eq!(outcome, Err(BillingError::NegativePayable));
            return Ok(());
        }
        let totals = outcome.unwrap();

        prop_assert_eq!(totals.line_extension(), sum(currency, lines.iter().map(Line::net)));
        prop_assert_eq!(totals.tax(), sum(currency, lines.iter().map(|l| l.tax().amount())));
        prop_assert_eq!(totals.tax_exclusive().checked_add(totals.tax()).unwrap(), totals.tax_inclusive());
        prop_assert_eq!(
            totals.tax_inclusive().checked_sub(totals.prepaid()).unwrap().checked_add(totals.rounding()).unwrap(),
            totals.payable()
        );
        prop_assert_eq!(sum(currency, totals.tax_subtotals().iter().map(TaxSubtotal::taxable)), totals.tax_exclusive());
        prop_assert_eq!(sum(currency, totals.tax_subtotals().iter().map(TaxSubtotal::tax)), totals.tax());
        // The same lines give the same figures whatever the adjustments.
        prop_assert_eq!(totals.tax_inclusive(), plain.tax_inclusive());
    }

    #[test]
    fn every_line_is_rounded_to_the_sen_on_its_own(
        (currency, inputs, day) in any_document(),
    ) {
        let (lines, _) = price(currency, &inputs, day, &Adjustments::default()).unwrap();
        let half_sen = Decimal::new(5, 3);
        for (line, input) in lines.iter().zip(&inputs) {
            let exact = input.unit_price.amount() * input.quantity.value();
            prop_assert!((line.subtotal().amount() - exact).abs() <= half_sen);
            prop_assert_eq!(line.net(), line.subtotal().checked_sub(line.discount()).unwrap());
            let rule = line.tax().rule();
            let exact_tax = line.net().amount() * rule.effective_rate() / Decimal::ONE_HUNDRED;
            prop_assert!((line.tax().amount().amount() - exact_tax).abs() <= half_sen);
            prop_assert_eq!(line.total(), line.net().checked_add(line.tax().amount()).unwrap());
            for money in [line.subtotal(), line.discount(), line.net(), line.tax().amount(), line.tax().exempted(), line.total()] {
                prop_assert!(in_whole_sen(money), "{money}");
            }
        }
    }

    #[test]
    fn valid_lines_never_total_below_zero(
        (currency, inputs, day) in any_document(),
    ) {
        let (lines, totals) = price(currency, &inputs, day, &Adjustments::default()).unwrap();
        for line in &lines {
            for money in [line.subtotal(), line.net(), line.tax().amount(), line.tax().exempted(), line.total()] {
                prop_assert!(!money.is_negative(), "{money}");
            }
        }
        for money in [totals.tax_exclusive(), totals.tax(), totals.tax_inclusive(), totals.payable()] {
            prop_assert!(!money.is_negative(), "{money}");
        }
    }

    #[test]
    fn every_figure_is_in_the_documents_currency(
        (currency, inputs, day) in any_document(),
    ) {
        let (lines, totals) = price(currency, &inputs, day, &Adjustments::default()).unwrap();
        let mut figures = vec![
            totals.line_extension(), totals.tax_exclusive(), totals.tax(), totals.tax_inclusive(),
            totals.prepaid(), totals.rounding(), totals.payable(),
        ];
        for line in &lines {
            figures.extend([line.unit_price(), line.subtotal(), line.discount(), line.net(),
                line.tax().amount(), line.tax().exempted(), line.total()]);
        }
        for subtotal in totals.tax_subtotals() {
            figures.extend([subtotal.taxable(), subtotal.tax(), subtotal.exempted()]);
        }
        prop_assert!(figures.iter().all(|m| m.currency() == currency));
    }

    #[test]
    fn a_line_in_another_currency_is_refused(
        (currency, mut inputs, day) in any_document(),
        at in any::<prop::sample::Index>(),
    ) {
        prop_assume!(!inputs.is_empty());
        let index = at.index(inputs.len());
        let other = if currency == Currency::MYR { Currency::parse("USD").unwrap() } else { Currency::MYR };
        inputs[index].unit_price = Money::new(inputs[index].unit_price.amount(), other);
        let refused = price(currency, &inputs, day, &Adjustments::default()).unwrap_err();
        prop_assert!(
            matches!(refused, BillingError::Line { problem: LineError::Currency { .. }, .. }),
            "{refused:?}"
        );
    }

    #[test]
    fn an_exemption_never_shows_more_than_the_full_rate_tax(
        (currency, inputs, day) in any_document(),
    ) {
        let (lines, _) = price(currency, &inputs, day, &Adjustments::default()).unwrap();
        for line in &lines {
            let rule = line.tax().rule();
            let full = line.net().checked_mul(rule.rate() / Decimal::ONE_HUNDRED).unwrap().round_to_sen();
            prop_assert!(!line.tax().exempted().is_negative());
            prop_assert_eq!(line.tax().amount().checked_add(line.tax().exempted()).unwrap(), full);
        }
    }
}
