//! The SST rules Niaga knows, as dated rows.
//!
//! To change a rate, add a row with a new id and the date it takes effect; never edit or
//! remove a row a document may have been priced under (its id is stored in that document's
//! lines, and the tests below pin every row).

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{RuleExemption, TaxRule};
use crate::values::{ExemptionReason, TaxType};

/// What a rule applies to: a [`super::TaxTreatment`] without its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Basis {
    Service,
    EquipmentRental,
    GoodsResale,
    Exempt,
}

/// One rule as written in the table.
#[derive(Debug)]
struct Row {
    id: &'static str,
    name: &'static str,
    basis: Basis,
    tax_type: fn() -> TaxType,
    /// Percent.
    rate: Decimal,
    /// Percentage points remitted, and why.
    exemption: Option<(Decimal, &'static str)>,
    effective_from: NaiveDate,
}

const fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => date,
        None => panic!("a valid date in the SST table"),
    }
}

const fn percent(whole: u32) -> Decimal {
    Decimal::from_parts(whole, 0, 0, false, 0)
}

/// The Sales Tax Act 2018 and Service Tax Act 2018 replaced GST on 1 September 2018: no rule
/// here applies before it.
const SST_START: NaiveDate = date(2018, 9, 1);

/// The rules, oldest first within each basis.
static RULES: [Row; 7] = [
    // Service Tax Act 2018: 6 % on taxable services.
    Row {
        id: "service-tax-6",
        name: "Service tax 6%",
        basis: Basis::Service,
        tax_type: TaxType::service_tax,
        rate: percent(6),
        exemption: None,
        effective_from: SST_START,
    },
    // Service Tax (Rate of Tax) (Amendment) Order 2024: 8 % from 1 March 2024 (food and
    // beverage, telecommunications, parking and logistics stayed at 6 %; the company sells
    // none of them).
    Row {
        id: "service-tax-8",
        name: "Service tax 8%",
        basis: Basis::Service,
        tax_type: TaxType::service_tax,
        rate: percent(8),
        exemption: None,
        effective_from: date(2024, 3, 1),
    },
    // Renting out equipment was not a taxable service until the SST expansion of July 2025.
    Row {
        id: "rental-not-taxable",
        name: "Rental of equipment: not a taxable service",
        basis: Basis::EquipmentRental,
        tax_type: TaxType::not_applicable,
        rate: percent(0),
        exemption: None,
        effective_from: SST_START,
    },
    // SST expansion: rental or leasing services (Group K) taxable at 8 % from 1 July 2025.
    Row {
        id: "rental-service-tax-8",
        name: "Service tax 8% on rental of equipment (Group K)",
        basis: Basis::EquipmentRental,
        tax_type: TaxType::service_tax,
        rate: percent(8),
        exemption: None,
        effective_from: date(2025, 7, 1),
    },
    // From 1 January 2026 rental is charged at an effective 6 %: 8 % with 2 % exempted,
    // both shown on the document (issue 4).
    Row {
        id: "rental-service-tax-8-less-2",
        name: "Service tax 8% less 2% exemption on rental of equipment (Group K)",
        basis: Basis::EquipmentRental,
        tax_type: TaxType::service_tax,
        rate: percent(8),
        exemption: Some((
            percent(2),
            "Rental of equipment (Group K) exempted from 2 percentage points of service tax from 1 January 2026",
        )),
        effective_from: date(2026, 1, 1),
    },
    // The company resells goods it buys and manufactures none: sales tax is charged by the
    // manufacturer or importer, not by it (LHDN tax type 06, Not Applicable).
    Row {
        id: "goods-resale-no-sst",
        name: "Sale of goods by a reseller: no SST",
        basis: Basis::GoodsResale,
        tax_type: TaxType::not_applicable,
        rate: percent(0),
        exemption: None,
        effective_from: SST_START,
    },
    // An exemption the customer has evidence of: LHDN tax type E with the line's reason.
    Row {
        id: "exempt",
        name: "Exempt from SST",
        basis: Basis::Exempt,
        tax_type: TaxType::exempt,
        rate: percent(0),
        exemption: None,
        effective_from: SST_START,
    },
];

/// The latest rule for `basis` in force on `tax_point`.
pub(super) fn rule_on(basis: Basis, tax_point: NaiveDate) -> Option<TaxRule> {
    RULES
        .iter()
        .filter(|row| row.basis == basis && row.effective_from <= tax_point)
        .max_by_key(|row| row.effective_from)
        .map(Row::rule)
}

impl Row {
    fn rule(&self) -> TaxRule {
        TaxRule {
            id: self.id.to_owned(),
            name: self.name.to_owned(),
            tax_type: (self.tax_type)(),
            rate: self.rate,
            exemption: self.exemption.map(|(rate, reason)| RuleExemption {
                rate,
                reason: ExemptionReason::from_table(reason),
            }),
            effective_from: self.effective_from,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn rule_ids_are_unique() {
        let ids: HashSet<&str> = RULES.iter().map(|r| r.id).collect();
        assert_eq!(ids.len(), RULES.len());
    }

    #[test]
    fn every_basis_is_covered_from_the_start_of_sst() {
        for basis in [
            Basis::Service,
            Basis::EquipmentRental,
            Basis::GoodsResale,
            Basis::Exempt,
        ] {
            assert!(rule_on(basis, SST_START).is_some(), "{basis:?}");
            assert!(rule_on(basis, date(2018, 8, 31)).is_none(), "{basis:?}");
        }
    }

    #[test]
    fn no_two_rules_of_a_basis_start_on_the_same_day() {
        let starts: HashSet<(u8, NaiveDate)> = RULES
            .iter()
            .map(|r| (r.basis as u8, r.effective_from))
            .collect();
        assert_eq!(starts.len(), RULES.len());
    }

    #[test]
    fn an_exemption_is_less_than_its_rate_and_its_reason_is_one_lhdn_takes() {
        for row in &RULES {
            if let Some((rate, reason)) = row.exemption {
                assert!(rate > Decimal::ZERO && rate < row.rate, "{}", row.id);
                assert!(ExemptionReason::parse(reason).is_ok(), "{}", row.id);
            }
            assert!((row.tax_type)().description().is_some(), "{}", row.id);
        }
    }

    #[test]
    fn the_table_is_pinned() {
        // Stored lines name these rules: a change here must be a new row, not an edit.
        let pinned: Vec<(&str, String, String, Option<String>, String)> = RULES
            .iter()
            .map(|r| {
                (
                    r.id,
                    String::from((r.tax_type)()),
                    r.rate.to_string(),
                    r.exemption.map(|(rate, _)| rate.to_string()),
                    r.effective_from.to_string(),
                )
            })
            .collect();
        let s = |x: &str| x.to_owned();
        assert_eq!(
            pinned,
            [
                ("service-tax-6", s("02"), s("6"), None, s("2018-09-01")),
                ("service-tax-8", s("02"), s("8"), None, s("2024-03-01")),
                ("rental-not-taxable", s("06"), s("0"), None, s("2018-09-01")),
                (
                    "rental-service-tax-8",
                    s("02"),
                    s("8"),
                    None,
                    s("2025-07-01")
                ),
                (
                    "rental-service-tax-8-less-2",
                    s("02"),
                    s("8"),
                    Some(s("2")),
                    s("2026-01-01")
                ),
                (
                    "goods-resale-no-sst",
                    s("06"),
                    s("0"),
                    None,
                    s("2018-09-01")
                ),
                ("exempt", s("E"), s("0"), None, s("2018-09-01")),
            ]
        );
    }
}
