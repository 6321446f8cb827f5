//! Money on the wire, shared by every resource: a decimal string and a currency code, never a
//! JSON number, so that no float can creep in between the client and the ledger.

use niaga_domain::{Money, MoneyError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An amount of money: a decimal string and its ISO 4217 currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "amount": "12500.00", "currency": "MYR" }))]
pub struct MoneyBody {
    /// A decimal string, never a JSON number, so no float can creep in.
    #[schema(example = "12500.00")]
    pub amount: String,
    #[schema(example = "MYR")]
    pub currency: String,
}

impl MoneyBody {
    /// The amount, checked: for `Validator::check` at the field's pointer.
    pub fn parse(&self) -> Result<Money, MoneyError> {
        Money::parse(&self.amount, &self.currency)
    }
}

impl From<Money> for MoneyBody {
    /// Written with at least two decimals (`"1234.50"`).
    fn from(money: Money) -> Self {
        Self {
            amount: money.amount_string(),
            currency: money.currency().to_string(),
        }
    }
}
