//! What renting a unit costs.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::EquipmentValueError;
use crate::money::{Currency, Money};

/// A unit's rental rates: per day, per week (7 days) and per month (30 days), each more than
/// zero, in whole sen and in one currency. How a rental's days are charged from them is
/// [`crate::rental::pricing`]'s rule; the card itself does not require a week to be cheaper
/// than seven days, since the pricing never charges more than the cheapest cover.
///
/// Stored in events (the unit's versions, and copied into every rental): never rename a
/// field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RateCardWire", into = "RateCardWire")]
pub struct RateCard {
    per_day: Money,
    per_week: Money,
    per_month: Money,
}

impl RateCard {
    pub fn new(
        per_day: Money,
        per_week: Money,
        per_month: Money,
    ) -> Result<Self, EquipmentValueError> {
        let currency = per_day.currency();
        for (field, rate) in [
            ("per_day", per_day),
            ("per_week", per_week),
            ("per_month", per_month),
        ] {
            if rate.currency() != currency {
                return Err(EquipmentValueError::RateCardCurrency {
                    field,
                    expected: currency,
                    found: rate.currency(),
                });
            }
            if !rate.is_positive() {
                return Err(EquipmentValueError::RateNotPositive { field });
            }
            // A rental charge is a sum of whole rates, so whole-sen rates give whole-sen
            // charges and pricing never rounds.
            if rate.round_to_sen() != rate {
                return Err(EquipmentValueError::RateFractionOfSen { field });
            }
        }
        Ok(Self {
            per_day,
            per_week,
            per_month,
        })
    }

    pub fn per_day(&self) -> Money {
        self.per_day
    }

    pub fn per_week(&self) -> Money {
        self.per_week
    }

    pub fn per_month(&self) -> Money {
        self.per_month
    }

    pub fn currency(&self) -> Currency {
        self.per_day.currency()
    }
}

/// One version of a unit's rate card and the first day it applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateCardVersion {
    pub effective_from: NaiveDate,
    pub rate_card: RateCard,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RateCardWire {
    per_day: Money,
    per_week: Money,
    per_month: Money,
}

impl TryFrom<RateCardWire> for RateCard {
    type Error = EquipmentValueError;
    fn try_from(wire: RateCardWire) -> Result<Self, Self::Error> {
        Self::new(wire.per_day, wire.per_week, wire.per_month)
    }
}

impl From<RateCard> for RateCardWire {
    fn from(card: RateCard) -> Self {
        Self {
            per_day: card.per_day,
            per_week: card.per_week,
            per_month: card.per_month,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rm(amount: &str) -> Money {
        Money::parse(amount, "MYR").unwrap()
    }

    #[test]
    fn a_rate_card_has_three_positive_whole_sen_rates_in_one_currency() {
        let card = RateCard::new(rm("40"), rm("200"), rm("600")).unwrap();
        assert_eq!(card.currency(), Currency::MYR);
        assert_eq!(
            RateCard::new(rm("40"), rm("0"), rm("600")),
            Err(EquipmentValueError::RateNotPositive { field: "per_week" })
        );
        assert_eq!(
            RateCard::new(rm("40"), rm("200"), rm("600.005")),
            Err(EquipmentValueError::RateFractionOfSen { field: "per_month" })
        );
        let usd = Money::parse("200", "USD").unwrap();
        let refusal = RateCard::new(rm("40"), usd, rm("600")).unwrap_err();
        assert_eq!(
            refusal,
            EquipmentValueError::RateCardCurrency {
                field: "per_week",
                expected: Currency::MYR,
                found: usd.currency(),
            }
        );
        assert_eq!(refusal.pointer(), "/rate_card/per_week");
    }

    #[test]
    fn a_rate_card_is_stored_as_three_amounts_and_read_back_through_its_rule() {
        let card = RateCard::new(rm("40"), rm("200"), rm("600")).unwrap();
        let stored = serde_json::to_value(card).unwrap();
        assert_eq!(
            stored,
            json!({
                "per_day": { "amount": "40.00", "currency": "MYR" },
                "per_week": { "amount": "200.00", "currency": "MYR" },
                "per_month": { "amount": "600.00", "currency": "MYR" },
            })
        );
        assert_eq!(serde_json::from_value::<RateCard>(stored).unwrap(), card);
        let negative = json!({
            "per_day": { "amount": "-1", "currency": "MYR" },
            "per_week": { "amount": "200", "currency": "MYR" },
            "per_month": { "amount": "600", "currency": "MYR" },
        });
        assert!(serde_json::from_value::<RateCard>(negative).is_err());
    }
}
