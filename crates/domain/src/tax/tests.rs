//! The SST rules, one test per rule, named as the rule.

#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::json;

use super::*;
use crate::money::Money;
use crate::values::{ExemptionReason, TaxType};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn rm(amount: &str) -> Money {
    Money::parse(amount, "MYR").unwrap()
}

fn pct(n: i64) -> Decimal {
    Decimal::from(n)
}

fn exempt() -> TaxTreatment {
    TaxTreatment::Exempt {
        reason: ExemptionReason::parse("Exemption certificate SST-EX 2026-0117").unwrap(),
    }
}

/// The rule's id, tax type, full rate and effective rate on `day`.
fn resolved(treatment: &TaxTreatment, day: NaiveDate) -> (String, String, Decimal, Decimal) {
    let rule = treatment.rule_on(day).unwrap();
    (
        rule.id().to_owned(),
        rule.tax_type().to_string(),
        rule.rate(),
        rule.effective_rate(),
    )
}

fn expect(
    id: &str,
    tax_type: &str,
    rate: i64,
    effective: i64,
) -> (String, String, Decimal, Decimal) {
    (
        id.to_owned(),
        tax_type.to_owned(),
        pct(rate),
        pct(effective),
    )
}

#[test]
fn service_tax_is_6_percent_until_29_february_2024() {
    assert_eq!(
        resolved(&TaxTreatment::Service, date(2024, 2, 29)),
        expect("service-tax-6", "02", 6, 6)
    );
    assert_eq!(
        resolved(&TaxTreatment::Service, date(2018, 9, 1)),
        expect("service-tax-6", "02", 6, 6)
    );
}

#[test]
fn service_tax_is_8_percent_from_1_march_2024() {
    for day in [date(2024, 3, 1), date(2026, 6, 1)] {
        assert_eq!(
            resolved(&TaxTreatment::Service, day),
            expect("service-tax-8", "02", 8, 8)
        );
    }
}

#[test]
fn rental_of_equipment_carries_no_sst_before_1_july_2025() {
    assert_eq!(
        resolved(&TaxTreatment::EquipmentRental, date(2025, 6, 30)),
        expect("rental-not-taxable", "06", 0, 0)
    );
}

#[test]
fn rental_of_equipment_is_taxed_at_8_percent_from_1_july_2025() {
    for day in [date(2025, 7, 1), date(2025, 12, 31)] {
        assert_eq!(
            resolved(&TaxTreatment::EquipmentRental, day),
            expect("rental-service-tax-8", "02", 8, 8)
        );
    }
}

#[test]
fn rental_of_equipment_is_charged_6_percent_from_2026_as_8_percent_less_a_2_percent_exemption() {
    let rule = TaxTreatment::EquipmentRental
        .rule_on(date(2026, 1, 1))
        .unwrap();
    assert_eq!(rule.id(), "rental-service-tax-8-less-2");
    assert_eq!(rule.tax_type(), &TaxType::service_tax());
    assert_eq!(rule.rate(), pct(8));
    let exemption = rule.exemption().unwrap();
    assert_eq!(exemption.rate(), pct(2));
    assert!(exemption.reason().as_str().contains("Group K"));
    assert_eq!(rule.effective_rate(), pct(6));
    assert_eq!(rule.effective_from(), date(2026, 1, 1));
}

#[test]
fn a_reseller_charges_no_sst_on_goods_under_tax_type_06() {
    for day in [date(2018, 9, 1), date(2026, 6, 1)] {
        assert_eq!(
            resolved(&TaxTreatment::GoodsResale, day),
            expect("goods-resale-no-sst", "06", 0, 0)
        );
    }
}

#[test]
fn an_exemption_is_tax_type_e_and_carries_its_reason() {
    assert_eq!(
        resolved(&exempt(), date(2026, 6, 1)),
        expect("exempt", "E", 0, 0)
    );
    assert_eq!(
        exempt().exemption_reason().map(ExemptionReason::as_str),
        Some("Exemption certificate SST-EX 2026-0117")
    );
    assert_eq!(TaxTreatment::Service.exemption_reason(), None);
}

#[test]
fn no_rule_applies_before_sst_began() {
    assert_eq!(
        TaxTreatment::Service.rule_on(date(2018, 8, 31)),
        Err(TaxError::NoRuleInForce {
            treatment: "a service",
            tax_point: date(2018, 8, 31),
        })
    );
    assert_eq!(
        TaxError::NoRuleInForce {
            treatment: "rental of equipment",
            tax_point: date(2018, 8, 31),
        }
        .to_string(),
        "no SST rule for rental of equipment is in force on 2018-08-31"
    );
}

#[test]
fn tax_is_the_amount_times_the_rate_rounded_half_away_from_zero() {
    let service = TaxTreatment::Service.rule_on(date(2026, 6, 1)).unwrap();
    // 10.06 × 8 % = 0.8048 → 0.80; 0.5625 × 8 % = 0.045, a half sen → 0.05.
    assert_eq!(service.charge(rm("10.06")).unwrap().tax, rm("0.80"));
    assert_eq!(service.charge(rm("0.5625")).unwrap().tax, rm("0.05"));
    assert_eq!(service.charge(rm("10.06")).unwrap().exempted, rm("0"));
}

#[test]
fn the_exemption_shown_is_the_full_rate_tax_less_the_tax_charged() {
    let rental = TaxTreatment::EquipmentRental
        .rule_on(date(2026, 6, 1))
        .unwrap();
    let charge = rental.charge(rm("100.00")).unwrap();
    assert_eq!((charge.tax, charge.exempted), (rm("6.00"), rm("2.00")));
    // 0.25: 8 % is 0.02, 6 % is 0.015 → 0.02 charged, so nothing is shown as exempted.
    let charge = rental.charge(rm("0.25")).unwrap();
    assert_eq!((charge.tax, charge.exempted), (rm("0.02"), rm("0.00")));
    // 12.34: 8 % is 0.9872 → 0.99, 6 % is 0.7404 → 0.74, exempted 0.25.
    let charge = rental.charge(rm("12.34")).unwrap();
    assert_eq!((charge.tax, charge.exempted), (rm("0.74"), rm("0.25")));
}

#[test]
fn a_resolved_rule_is_stored_whole() {
    let rule = TaxTreatment::EquipmentRental
        .rule_on(date(2026, 6, 1))
        .unwrap();
    let stored = serde_json::to_value(&rule).unwrap();
    assert_eq!(
        stored,
        json!({
            "id": "rental-service-tax-8-less-2",
            "name": "Service tax 8% less 2% exemption on rental of equipment (Group K)",
            "tax_type": "02",
            "rate": "8",
            "exemption": {
                "rate": "2",
                "reason": "Rental of equipment (Group K) exempted from 2 percentage points of service tax from 1 January 2026"
            },
            "effective_from": "2026-01-01"
        })
    );
    assert_eq!(serde_json::from_value::<TaxRule>(stored).unwrap(), rule);
}

#[test]
fn a_rule_stored_before_a_rate_change_reads_back_unchanged() {
    // Written in 2023 under the 6 % rule: today's table says 8 %, the stored line does not.
    let stored = json!({
        "id": "service-tax-6",
        "name": "Service tax 6%",
        "tax_type": "02",
        "rate": "6",
        "exemption": null,
        "effective_from": "2018-09-01"
    });
    let rule: TaxRule = serde_json::from_value(stored).unwrap();
    assert_eq!(
        rule,
        TaxTreatment::Service.rule_on(date(2023, 5, 2)).unwrap()
    );
    assert_eq!(rule.effective_rate(), pct(6));
    assert_eq!(rule.charge(rm("100")).unwrap().tax, rm("6.00"));
}

#[test]
fn the_wire_names_of_treatments_are_stable() {
    assert_eq!(
        serde_json::to_value(TaxTreatment::EquipmentRental).unwrap(),
        json!({ "kind": "equipment_rental" })
    );
    assert_eq!(
        serde_json::to_value(TaxTreatment::GoodsResale).unwrap(),
        json!({ "kind": "goods_resale" })
    );
    assert_eq!(
        serde_json::to_value(exempt()).unwrap(),
        json!({ "kind": "exempt", "reason": "Exemption certificate SST-EX 2026-0117" })
    );
    let back: TaxTreatment = serde_json::from_value(json!({ "kind": "service" })).unwrap();
    assert_eq!(back, TaxTreatment::Service);
}
