//! A rental's charges as invoice lines, for the application layer to draft an invoice from.
//!
//! Each returned unit gives one line per period of its charge (months, weeks, days, as
//! [`super::pricing`] decided them at check-in), taxed as equipment rental, and a damage or
//! loss charge gives a line of its own. The lines are [`LineInput`]s: the invoice prices them
//! under the SST rules of its own tax point (rental became a taxable service, Group K, on
//! 1 July 2025), and nothing here recomputes what the check-in decided.
//!
//! Late fees go on an invoice of their own ([`late_fee_lines`]), never added to one already
//! sent.

use rust_decimal::Decimal;

use super::{LateFee, RentalRecord, RentalUnit, UnitCondition};
use crate::billing::LineInput;
use crate::money::Money;
use crate::tax::TaxTreatment;
use crate::values::{Quantity, UnitCode, ValueError};

/// The lines of one unit's rental: nothing until it is checked in.
///
/// `damage_tax` is how a damage or loss charge is taxed: whether compensation for damage
/// counts as part of the rental service for SST is finance's call, so the caller passes it
/// (from configuration), and the rental lines themselves are always
/// [`TaxTreatment::EquipmentRental`].
pub fn unit_lines(
    unit: &RentalUnit,
    damage_tax: &TaxTreatment,
) -> Result<Vec<LineInput>, ValueError> {
    let (Some(check_out), Some(check_in)) = (&unit.check_out, &unit.check_in) else {
        return Ok(Vec::new());
    };
    let reserved = &unit.unit;
    let card = &reserved.rate_card;
    let charge = &check_in.charge;
    let period = format!(
        "{}, out {} back {} ({} day{})",
        reserved.label(),
        check_out.on,
        check_in.on,
        charge.days,
        if charge.days == 1 { "" } else { "s" }
    );
    let mut lines = Vec::new();
    for (count, code, price, by) in [
        (charge.billed_months, "MON", card.per_month(), "month"),
        (charge.billed_weeks, "WEE", card.per_week(), "week"),
        (charge.billed_days, "DAY", card.per_day(), "day"),
    ] {
        if count > 0 {
            lines.push(LineInput {
                item_code: None,
                description: format!("Rental of {period}, by the {by}"),
                quantity: Quantity::new(Decimal::from(count))?,
                unit: UnitCode::parse(code)?,
                unit_price: price,
                discount: Money::zero(price.currency()),
                tax: TaxTreatment::EquipmentRental,
            });
        }
    }
    if check_in.damage_charge.is_positive() {
        let what = match check_in.condition {
            UnitCondition::Lost => "Loss of",
            UnitCondition::Damaged | UnitCondition::Good => "Damage to",
        };
        let note = check_in
            .note
            .as_deref()
            .map(|note| format!(": {note}"))
            .unwrap_or_default();
        lines.push(LineInput {
            item_code: None,
            description: format!("{what} {}{note}", reserved.label()),
            quantity: Quantity::new(Decimal::ONE)?,
            unit: UnitCode::parse("C62")?,
            unit_price: check_in.damage_charge,
            discount: Money::zero(check_in.damage_charge.currency()),
            tax: damage_tax.clone(),
        });
    }
    Ok(lines)
}

/// The lines of every unit of the rental checked in so far, unit by unit in the order
/// reserved: the whole rental's charges once every unit is back.
pub fn rental_lines(
    rental: &RentalRecord,
    damage_tax: &TaxTreatment,
) -> Result<Vec<LineInput>, ValueError> {
    let mut lines = Vec::new();
    for unit in &rental.units {
        lines.extend(unit_lines(unit, damage_tax)?);
    }
    Ok(lines)
}

/// The lines of an invoice of late fees: one per unit and policy version, units in the order
/// reserved, each reading `Late return of <unit>, N days (first day–last day), policy vX`
/// (the days charged, first to last). When every fee on it is the same amount, the line is
/// `N × DAY` at that amount; when they differ (a fee cut by the cap), it is `1 × C62` at
/// their total, so the line still adds up to exactly what was charged.
///
/// `fees` are those billed on the invoice
/// ([`RentalRecord::late_fees_billed_on`]); `late_fee_tax` is how late fees are taxed, as
/// finance decides (from configuration), like the damage tax of [`unit_lines`].
pub fn late_fee_lines(
    rental: &RentalRecord,
    fees: &[&LateFee],
    late_fee_tax: &TaxTreatment,
) -> Result<Vec<LineInput>, ValueError> {
    let mut lines = Vec::new();
    for unit in &rental.units {
        let mut of_unit: Vec<&LateFee> = fees
            .iter()
            .copied()
            .filter(|fee| fee.unit_id == unit.unit.unit_id)
            .collect();
        of_unit.sort_by_key(|fee| (fee.policy_version, fee.day));
        for group in of_unit.chunk_by(|a, b| a.policy_version == b.policy_version) {
            let (Some(first), Some(last)) = (group.first(), group.last()) else {
                continue;
            };
            let days = group.len();
            let description = format!(
                "Late return of {}, {days} day{} ({}\u{2013}{}), policy v{}",
                unit.unit.label(),
                if days == 1 { "" } else { "s" },
                first.day,
                last.day,
                first.policy_version
            );
            let uniform = group.iter().all(|fee| fee.amount == first.amount);
            let (quantity, code, unit_price) = if uniform {
                (Decimal::from(days), "DAY", first.amount)
            } else {
                let total = group
                    .iter()
                    .map(|fee| fee.amount.amount())
                    .fold(Decimal::ZERO, |sum, amount| sum + amount);
                (
                    Decimal::ONE,
                    "C62",
                    Money::new(total, first.amount.currency()),
                )
            };
            lines.push(LineInput {
                item_code: None,
                description,
                quantity: Quantity::new(quantity)?,
                unit: UnitCode::parse(code)?,
                unit_price,
                discount: Money::zero(unit_price.currency()),
                tax: late_fee_tax.clone(),
            });
        }
    }
    Ok(lines)
}
