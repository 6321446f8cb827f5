//! What happened to a rental. Stored forever: never rename a variant or a field; change a
//! payload's shape only with a new schema version and an upcaster below.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{RentalCharge, ReservedUnit, UnitCondition};
use crate::DomainEvent;
use crate::equipment::{CalibrationIssue, SerialNumber};
use crate::ids::{CustomerId, DeliveryOrderId, EquipmentUnitId, RentalId};
use crate::money::{Currency, Money};
use crate::values::Name;

/// An event of the Rental stream. The variant name is the stored event type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum RentalEvent {
    RentalReserved(RentalReserved),
    RentalUnitCheckedOut(RentalUnitCheckedOut),
    RentalReturnExtended(RentalReturnExtended),
    RentalUnitCheckedIn(RentalUnitCheckedIn),
    RentalDepositCollected(RentalDepositCollected),
    RentalDepositRetained(RentalDepositRetained),
    RentalDepositRefunded(RentalDepositRefunded),
    RentalClosed(RentalClosed),
    RentalCancelled(RentalCancelled),
}

/// Units were reserved for a customer, each with the rate card its days will be charged at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RentalReserved {
    pub rental_id: RentalId,
    pub customer_id: CustomerId,
    pub currency: Currency,
    pub units: Vec<ReservedUnit>,
    pub start_on: NaiveDate,
    pub expected_return_on: NaiveDate,
    /// Zero when no deposit is taken.
    pub deposit: Money,
    /// Units whose calibration does not cover the rental, rented under the warn policy.
    pub calibration_warnings: Vec<CalibrationIssue>,
    pub reserved_on: NaiveDate,
    pub reserved_at: DateTime<Utc>,
}

/// A unit went out with the customer. The serial is repeated for readers of the feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RentalUnitCheckedOut {
    pub unit_id: EquipmentUnitId,
    pub serial: SerialNumber,
    pub on: NaiveDate,
    pub collected_by: Name,
    pub delivery_order_id: Option<DeliveryOrderId>,
    pub recorded_at: DateTime<Utc>,
}

/// The expected return moved from `previous_return_on` to `expected_return_on`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RentalReturnExtended {
    pub previous_return_on: NaiveDate,
    pub expected_return_on: NaiveDate,
    /// Units whose calibration does not cover the new day, kept out under the warn policy.
    pub calibration_warnings: Vec<CalibrationIssue>,
    pub extended_at: DateTime<Utc>,
}

/// A unit came back (or was reported lost), and its days were charged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RentalUnitCheckedIn {
    pub unit_id: EquipmentUnitId,
    pub serial: SerialNumber,
    pub on: NaiveDate,
    pub condition: UnitCondition,
    pub damage_charge: Money,
    /// Trimmed; `None` for a unit in good condition left without one.
    pub note: Option<String>,
    /// The days from check-out to `on` under the unit's reserved rate card.
    pub charge: RentalCharge,
    pub recorded_at: DateTime<Utc>,
}

/// The agreed deposit was received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RentalDepositCollected {
    pub amount: Money,
    pub collected_on: NaiveDate,
    pub collected_at: DateTime<Utc>,
}

/// Part of the deposit was kept, for `reason` (trimmed, never empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RentalDepositRetained {
    pub amount: Money,
    pub reason: String,
    pub retained_on: NaiveDate,
    pub retained_at: DateTime<Utc>,
}

/// What was left of the deposit went back to the customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RentalDepositRefunded {
    pub amount: Money,
    pub refunded_on: NaiveDate,
    pub refunded_at: DateTime<Utc>,
}

/// The rental was closed; units reserved and never taken were released.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RentalClosed {
    pub not_collected: Vec<EquipmentUnitId>,
    pub closed_on: NaiveDate,
    pub closed_at: DateTime<Utc>,
}

/// The reservation was cancelled before anything went out; its units are free again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RentalCancelled {
    pub reason: String,
    pub cancelled_on: NaiveDate,
    pub cancelled_at: DateTime<Utc>,
}

impl DomainEvent for RentalEvent {
    fn event_type(&self) -> &'static str {
        match self {
            Self::RentalReserved(_) => "RentalReserved",
            Self::RentalUnitCheckedOut(_) => "RentalUnitCheckedOut",
            Self::RentalReturnExtended(_) => "RentalReturnExtended",
            Self::RentalUnitCheckedIn(_) => "RentalUnitCheckedIn",
            Self::RentalDepositCollected(_) => "RentalDepositCollected",
            Self::RentalDepositRetained(_) => "RentalDepositRetained",
            Self::RentalDepositRefunded(_) => "RentalDepositRefunded",
            Self::RentalClosed(_) => "RentalClosed",
            Self::RentalCancelled(_) => "RentalCancelled",
        }
    }
}
