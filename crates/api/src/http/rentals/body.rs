//! Request bodies of the rental routes, and how each becomes a command (or its parts, for
//! the commands that need units' facts from their own streams). Every field is checked and
//! every invalid one reported at once, with a JSON pointer to it.

use chrono::NaiveDate;
use niaga_domain::{
    Currency, Money,
    ids::{DeliveryOrderId, EquipmentUnitId},
    rental::{
        CancelRental, CheckInUnit, CheckOutUnit, CollectDeposit, MAX_UNITS, RetainDeposit,
        UnitCondition,
    },
    values::Name,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{error::Result, http::money::MoneyBody, validate::Validator};

/// Units to reserve for a customer.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "customer_id": "0197a000-0000-7000-8000-000000000001",
    "unit_ids": ["0197a000-0000-7000-8000-0000000000a1"],
    "start_on": "2026-07-01", "expected_return_on": "2026-07-14",
    "deposit": { "amount": "500.00", "currency": "MYR" }
}))]
pub struct ReserveBody {
    /// A registered customer.
    pub customer_id: Uuid,
    /// Registered units, each once, free from `start_on` to `expected_return_on`.
    pub unit_ids: Vec<Uuid>,
    pub start_on: NaiveDate,
    /// On or after `start_on`.
    pub expected_return_on: NaiveDate,
    /// Zero or more, in whole sen; none when absent. Its currency is the rental's, and every
    /// unit's rate card must be in it (`MYR` when absent).
    #[serde(default)]
    pub deposit: Option<MoneyBody>,
}

/// What a reservation body gives, checked: the units still to be looked up.
pub struct Reservation {
    pub currency: Currency,
    pub deposit: Money,
    pub units: Vec<EquipmentUnitId>,
}

impl ReserveBody {
    pub fn check(&self) -> Result<Reservation> {
        let mut v = Validator::new();
        let deposit = match &self.deposit {
            None => Some(Money::zero(Currency::MYR)),
            Some(deposit) => v.check("/deposit", deposit.parse()),
        };
        if self.unit_ids.is_empty() {
            v.error("/unit_ids", "name at least one unit");
        }
        if self.unit_ids.len() > MAX_UNITS {
            v.error(
                "/unit_ids",
                format!("at most {MAX_UNITS} units a rental: split the job"),
            );
        }
        if self.expected_return_on < self.start_on {
            v.error("/expected_return_on", "is before `start_on`");
        }
        v.build(|| {
            let deposit = deposit?;
            Some(Reservation {
                currency: deposit.currency(),
                deposit,
                units: self
                    .unit_ids
                    .iter()
                    .copied()
                    .map(EquipmentUnitId::from_uuid)
                    .collect(),
            })
        })
    }
}

/// A reserved unit leaving with the customer.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "unit_id": "0197a000-0000-7000-8000-0000000000a1",
    "collected_by": "Ahmad bin Ali", "on": "2026-07-01"
}))]
pub struct CheckOutBody {
    pub unit_id: Uuid,
    /// Who took it: the customer's person or their driver.
    pub collected_by: String,
    /// Today when absent; may be earlier (recorded late), never later.
    #[serde(default)]
    pub on: Option<NaiveDate>,
    /// The delivery order it went out under.
    #[serde(default)]
    pub delivery_order_id: Option<Uuid>,
}

impl CheckOutBody {
    pub fn check_out(&self, today: NaiveDate) -> Result<CheckOutUnit> {
        let mut v = Validator::new();
        let collected_by = v.check("/collected_by", Name::parse(&self.collected_by));
        v.build(|| {
            Some(CheckOutUnit {
                unit_id: EquipmentUnitId::from_uuid(self.unit_id),
                on: self.on.unwrap_or(today),
                collected_by: collected_by?,
                delivery_order_id: self.delivery_order_id.map(DeliveryOrderId::from_uuid),
            })
        })
    }
}

/// A later expected return for every unit not back yet.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtendBody {
    pub expected_return_on: NaiveDate,
}

/// How a unit came back.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConditionBody {
    Good,
    Damaged,
    /// Reported lost: not coming back.
    Lost,
}

impl From<ConditionBody> for UnitCondition {
    fn from(condition: ConditionBody) -> Self {
        match condition {
            ConditionBody::Good => Self::Good,
            ConditionBody::Damaged => Self::Damaged,
            ConditionBody::Lost => Self::Lost,
        }
    }
}

/// A unit coming back (or reported lost).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "unit_id": "0197a000-0000-7000-8000-0000000000a1", "condition": "damaged",
    "damage_charge": { "amount": "150.00", "currency": "MYR" },
    "note": "Hook bent", "on": "2026-07-15"
}))]
pub struct CheckInBody {
    pub unit_id: Uuid,
    pub condition: ConditionBody,
    /// Today when absent; may be earlier (a back-dated return), never later.
    #[serde(default)]
    pub on: Option<NaiveDate>,
    /// For damage or loss, in the rental's currency; none for a unit in good condition.
    #[serde(default)]
    pub damage_charge: Option<MoneyBody>,
    /// What is damaged, or how it was lost: required then, at most 150 characters.
    #[serde(default)]
    pub note: Option<String>,
}

impl CheckInBody {
    pub fn check_in(&self, today: NaiveDate, currency: Currency) -> Result<CheckInUnit> {
        let mut v = Validator::new();
        let damage_charge = match &self.damage_charge {
            None => Some(Money::zero(currency)),
            Some(charge) => v.check("/damage_charge", charge.parse()),
        };
        v.build(|| {
            Some(CheckInUnit {
                unit_id: EquipmentUnitId::from_uuid(self.unit_id),
                on: self.on.unwrap_or(today),
                condition: self.condition.into(),
                damage_charge: damage_charge?,
                note: self.note.clone(),
            })
        })
    }
}

/// The agreed deposit, received.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CollectDepositBody {
    /// Exactly the agreed deposit.
    pub amount: MoneyBody,
}

impl CollectDepositBody {
    pub fn collect(&self) -> Result<CollectDeposit> {
        let mut v = Validator::new();
        let amount = v.check("/amount", self.amount.parse());
        v.build(|| Some(CollectDeposit { amount: amount? }))
    }
}

/// Part of the deposit kept, for a reason.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "amount": { "amount": "150.00", "currency": "MYR" }, "reason": "Hook bent on TW-0042" }))]
pub struct RetainDepositBody {
    /// More than zero, never more than is held.
    pub amount: MoneyBody,
    pub reason: String,
}

impl RetainDepositBody {
    pub fn retain(&self) -> Result<RetainDeposit> {
        let mut v = Validator::new();
        let amount = v.check("/amount", self.amount.parse());
        v.build(|| {
            Some(RetainDeposit {
                amount: amount?,
                reason: self.reason.clone(),
            })
        })
    }
}

/// Why a reservation is cancelled.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelBody {
    pub reason: String,
}

impl CancelBody {
    pub fn cancel(&self) -> CancelRental {
        CancelRental {
            reason: self.reason.clone(),
        }
    }
}
