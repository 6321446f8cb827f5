//! Document lines on the wire, shared by every priced document (quotations, invoices, credit,
//! debit and refund notes): the line a client writes ([`LineBody`] → `billing::LineInput`),
//! the priced line and totals the API shows ([`LineView`], [`TotalsView`]), and how a refusal
//! of the lines reads ([`BillingError`] → 422 with a pointer into `lines`).
//!
//! Nothing here knows which document the lines belong to: a route passes the pointer prefix of
//! its `lines` member and maps the document's own errors itself.

use chrono::NaiveDate;
use niaga_domain::{
    billing::{BillingError, Line, LineInput, TaxSubtotal, Totals},
    tax::{TaxRule, TaxTreatment},
    values::{ExemptionReason, ItemCode, Quantity, UnitCode},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{error::ApiError, http::money::MoneyBody, validate::Validator};

/// How a line is taxed: what kind of supply it is. The rate is not chosen by the client but
/// looked up for the document's tax point, so staff pick what they sell, not a percentage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum TaxTreatmentBody {
    /// A taxable service such as calibration, repair or installation (service tax, type `02`).
    Service,
    /// Rental or leasing of equipment: a taxable service from 1 July 2025.
    EquipmentRental,
    /// Goods bought and sold on: no sales tax for a reseller (type `06`).
    GoodsResale,
    /// Exempt (type `E`), with the reason printed on the document, such as the exemption order
    /// and the customer's certificate number (letters, digits, spaces and `. - , ( )`).
    Exempt {
        #[schema(example = "Exemption under Item 9 Schedule A SSTR 2018 (cert. A123)")]
        reason: String,
    },
}

impl From<&TaxTreatment> for TaxTreatmentBody {
    fn from(treatment: &TaxTreatment) -> Self {
        match treatment {
            TaxTreatment::Service => Self::Service,
            TaxTreatment::EquipmentRental => Self::EquipmentRental,
            TaxTreatment::GoodsResale => Self::GoodsResale,
            TaxTreatment::Exempt { reason } => Self::Exempt {
                reason: reason.as_str().to_owned(),
            },
        }
    }
}

/// One line of a document as the client writes it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "item_code": "CAL-M1-20KG",
    "description": "Calibration of 20 kg test weight, class M1",
    "quantity": "2",
    "unit": "C62",
    "unit_price": { "amount": "350.00", "currency": "MYR" },
    "discount": { "amount": "0.00", "currency": "MYR" },
    "tax": { "kind": "service" }
}))]
pub struct LineBody {
    /// The catalogue code (1 to 50 letters, digits and `- _ . /`); absent for a free-text line.
    #[serde(default)]
    #[schema(example = "CAL-M1-20KG")]
    pub item_code: Option<String>,
    /// One line of at most 300 characters.
    #[schema(example = "Calibration of 20 kg test weight, class M1")]
    pub description: String,
    /// A decimal string more than zero (`"2"`, `"0.5"`), never a JSON number.
    #[schema(example = "2")]
    pub quantity: String,
    /// LHDN unit-of-measure code: `C62` one, `H87` piece, `HUR` hour, `DAY`, `KGM`…
    #[schema(example = "C62")]
    pub unit: String,
    /// Zero or more, in the document's currency; may have more than two decimals.
    pub unit_price: MoneyBody,
    /// Money off this line, in whole sen; none when absent.
    #[serde(default)]
    pub discount: Option<MoneyBody>,
    pub tax: TaxTreatmentBody,
}

/// Checks `lines` (found at `pointer_prefix`, e.g. `/lines`) into line inputs, recording every
/// invalid field in `v` at its pointer (`/lines/2/quantity`). `None` if any was invalid; the
/// rules across a line (currency, discount within the amount) are the pricing's, reported by
/// [`BillingError`].
pub fn line_inputs(
    v: &mut Validator,
    pointer_prefix: &str,
    lines: &[LineBody],
) -> Option<Vec<LineInput>> {
    let inputs: Vec<Option<LineInput>> = lines
        .iter()
        .enumerate()
        .map(|(index, line)| line_input(v, &format!("{pointer_prefix}/{index}"), line))
        .collect();
    // Every line is checked before giving up, so that all invalid fields are reported.
    inputs.into_iter().collect()
}

fn line_input(v: &mut Validator, at: &str, line: &LineBody) -> Option<LineInput> {
    let item_code = v.check_optional(
        format!("{at}/item_code"),
        line.item_code.as_deref().map(ItemCode::parse),
    );
    let quantity = v.check(format!("{at}/quantity"), Quantity::parse(&line.quantity));
    let unit = v.check(format!("{at}/unit"), UnitCode::parse(&line.unit));
    let unit_price = v.check(format!("{at}/unit_price"), line.unit_price.parse());
    let discount = match &line.discount {
        Some(discount) => v.check(format!("{at}/discount"), discount.parse()),
        // No discount is zero in the line's currency.
        None => unit_price.map(|price| niaga_domain::Money::zero(price.currency())),
    };
    let tax = match &line.tax {
        TaxTreatmentBody::Service => Some(TaxTreatment::Service),
        TaxTreatmentBody::EquipmentRental => Some(TaxTreatment::EquipmentRental),
        TaxTreatmentBody::GoodsResale => Some(TaxTreatment::GoodsResale),
        TaxTreatmentBody::Exempt { reason } => v
            .check(format!("{at}/tax/reason"), ExemptionReason::parse(reason))
            .map(|reason| TaxTreatment::Exempt { reason }),
    };
    Some(LineInput {
        item_code: item_code?,
        description: line.description.clone(),
        quantity: quantity?,
        unit: unit?,
        unit_price: unit_price?,
        discount: discount?,
        tax: tax?,
    })
}

/// The SST rule a line was priced under, as it read on the tax point.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "service-tax-8", "name": "Service tax 8%", "tax_type": "02",
    "tax_type_description": "Service Tax", "rate": "8", "effective_rate": "8",
    "exemption": null, "effective_from": "2024-03-01"
}))]
pub struct TaxRuleView {
    /// A stable identifier of the rule; a new rate is a new rule.
    pub id: String,
    pub name: String,
    /// LHDN tax type code (`01`…`06`, `E`).
    pub tax_type: String,
    /// LHDN's name of the tax type, if it is still in today's table.
    pub tax_type_description: Option<String>,
    /// The full rate in percent (`"8"` for 8 %).
    pub rate: String,
    /// The rate charged: the full rate less any exemption.
    pub effective_rate: String,
    pub exemption: Option<RuleExemptionView>,
    /// The first business day the rule applies to.
    pub effective_from: NaiveDate,
}

/// Part of a rate remitted by an exemption order.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RuleExemptionView {
    /// The exempted percentage points.
    pub rate: String,
    pub reason: String,
}

impl From<&TaxRule> for TaxRuleView {
    fn from(rule: &TaxRule) -> Self {
        Self {
            id: rule.id().to_owned(),
            name: rule.name().to_owned(),
            tax_type: rule.tax_type().as_str().to_owned(),
            tax_type_description: rule.tax_type().description().map(str::to_owned),
            rate: rule.rate().normalize().to_string(),
            effective_rate: rule.effective_rate().normalize().to_string(),
            exemption: rule.exemption().map(|e| RuleExemptionView {
                rate: e.rate().normalize().to_string(),
                reason: e.reason().as_str().to_owned(),
            }),
            effective_from: rule.effective_from(),
        }
    }
}

/// The tax on one line: the treatment asked for, the rule it resolved to, and the amounts.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LineTaxView {
    pub treatment: TaxTreatmentBody,
    pub rule: TaxRuleView,
    /// Net × the effective rate, rounded to the sen.
    pub amount: MoneyBody,
    /// Remitted by the rule's exemption (zero without one).
    pub exempted: MoneyBody,
}

/// A priced line: what was asked and every figure worked out from it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LineView {
    pub item_code: Option<String>,
    pub description: String,
    #[schema(example = "2")]
    pub quantity: String,
    #[schema(example = "C62")]
    pub unit: String,
    /// LHDN's name of the unit, if it is still in today's table.
    #[schema(example = "one")]
    pub unit_name: Option<String>,
    /// As written, not rounded.
    pub unit_price: MoneyBody,
    /// Quantity × unit price, rounded to the sen.
    pub subtotal: MoneyBody,
    pub discount: MoneyBody,
    /// Subtotal − discount: the amount excluding tax.
    pub net: MoneyBody,
    pub tax: LineTaxView,
    /// Net + tax.
    pub total: MoneyBody,
}

impl From<&Line> for LineView {
    fn from(line: &Line) -> Self {
        let tax = line.tax();
        Self {
            item_code: line.item_code().map(|code| code.as_str().to_owned()),
            description: line.description().to_owned(),
            quantity: line.quantity().to_string(),
            unit: line.unit().as_str().to_owned(),
            unit_name: line.unit().name().map(str::to_owned),
            unit_price: line.unit_price().into(),
            subtotal: line.subtotal().into(),
            discount: line.discount().into(),
            net: line.net().into(),
            tax: LineTaxView {
                treatment: tax.treatment().into(),
                rule: tax.rule().into(),
                amount: tax.amount().into(),
                exempted: tax.exempted().into(),
            },
            total: line.total().into(),
        }
    }
}

/// The priced lines of a document, in order.
pub fn line_views(lines: &[Line]) -> Vec<LineView> {
    lines.iter().map(LineView::from).collect()
}

/// The lines of one LHDN tax type, added up.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TaxSubtotalView {
    #[schema(example = "02")]
    pub tax_type: String,
    #[schema(example = "Service Tax")]
    pub tax_type_description: Option<String>,
    /// The net amounts of the lines of this type.
    pub taxable: MoneyBody,
    pub tax: MoneyBody,
    /// Remitted by exemptions within this type.
    pub exempted: MoneyBody,
}

impl From<&TaxSubtotal> for TaxSubtotalView {
    fn from(subtotal: &TaxSubtotal) -> Self {
        Self {
            tax_type: subtotal.tax_type().as_str().to_owned(),
            tax_type_description: subtotal.tax_type().description().map(str::to_owned),
            taxable: subtotal.taxable().into(),
            tax: subtotal.tax().into(),
            exempted: subtotal.exempted().into(),
        }
    }
}

/// A document's totals, named as LHDN's: `tax_exclusive + tax = tax_inclusive` and
/// `tax_inclusive − prepaid + rounding = payable`, exactly.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TotalsView {
    /// The sum of the lines' net amounts.
    pub line_extension: MoneyBody,
    pub tax_exclusive: MoneyBody,
    pub tax: MoneyBody,
    pub tax_inclusive: MoneyBody,
    /// Already received before the document.
    pub prepaid: MoneyBody,
    /// Payable rounding (a few sen at most).
    pub rounding: MoneyBody,
    pub payable: MoneyBody,
    /// One per LHDN tax type present, in code order.
    pub tax_subtotals: Vec<TaxSubtotalView>,
}

impl From<&Totals> for TotalsView {
    fn from(totals: &Totals) -> Self {
        Self {
            line_extension: totals.line_extension().into(),
            tax_exclusive: totals.tax_exclusive().into(),
            tax: totals.tax().into(),
            tax_inclusive: totals.tax_inclusive().into(),
            prepaid: totals.prepaid().into(),
            rounding: totals.rounding().into(),
            payable: totals.payable().into(),
            tax_subtotals: totals
                .tax_subtotals()
                .iter()
                .map(TaxSubtotalView::from)
                .collect(),
        }
    }
}

impl From<BillingError> for ApiError {
    /// A refusal of the lines is a field error at its pointer (`/lines/1/discount`), relative
    /// to the body holding `lines`, `prepaid` and `rounding`, as every document's body does.
    fn from(error: BillingError) -> Self {
        Self::field(error.pointer(), error.to_string())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use niaga_domain::{Currency, billing};
    use serde_json::json;

    use super::*;

    fn body(value: serde_json::Value) -> LineBody {
        serde_json::from_value(value).unwrap()
    }

    fn calibration() -> serde_json::Value {
        json!({
            "item_code": "CAL-M1-20KG",
            "description": "Calibration of 20 kg test weight",
            "quantity": "2",
            "unit": "C62",
            "unit_price": { "amount": "350.00", "currency": "MYR" },
            "tax": { "kind": "service" }
        })
    }

    #[test]
    fn every_invalid_field_of_every_line_has_its_pointer() {
        let mut bad = calibration();
        bad["quantity"] = json!("0");
        bad["unit"] = json!("XXX");
        bad["tax"] = json!({ "kind": "exempt", "reason": "  " });
        let mut v = Validator::new();
        let lines = [body(calibration()), body(bad)];
        assert!(line_inputs(&mut v, "/lines", &lines).is_none());
        let Err(ApiError::Validation(errors)) = v.finish() else {
            panic!("expected field errors");
        };
        let pointers: Vec<_> = errors.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            ["/lines/1/quantity", "/lines/1/unit", "/lines/1/tax/reason"]
        );
    }

    #[test]
    fn a_line_without_a_discount_has_none_and_prices_with_every_figure() {
        let mut v = Validator::new();
        let inputs = line_inputs(&mut v, "/lines", &[body(calibration())]).unwrap();
        assert!(v.is_valid());
        let day = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let (lines, totals) =
            billing::price(Currency::MYR, &inputs, day, &Default::default()).unwrap();
        let view = serde_json::to_value(LineView::from(&lines[0])).unwrap();
        assert_eq!(
            view["discount"],
            json!({ "amount": "0.00", "currency": "MYR" })
        );
        assert_eq!(view["subtotal"]["amount"], "700.00");
        assert_eq!(view["tax"]["rule"]["tax_type"], "02");
        assert_eq!(view["tax"]["treatment"], json!({ "kind": "service" }));
        let totals = serde_json::to_value(TotalsView::from(&totals)).unwrap();
        assert_eq!(totals["tax_subtotals"][0]["tax_type"], "02");
        assert_eq!(totals["payable"], view["total"]);
    }

    #[test]
    fn a_refused_line_points_at_its_field() {
        let error = BillingError::Line {
            index: 2,
            problem: billing::LineError::NegativePrice,
        };
        let ApiError::Validation(errors) = ApiError::from(error) else {
            panic!("expected a field error");
        };
        assert_eq!(errors[0].pointer, "/lines/2/unit_price");
    }
}
