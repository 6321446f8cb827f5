//! What happened to a rental. Stored forever: never rename a variant or a field; change a
//! payload's shape only with a new schema version and an upcaster below.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{LateFeeReversalReason, RentalCharge, ReservedUnit, UnitCondition};
use crate::DomainEvent;
use crate::equipment::{CalibrationIssue, SerialNumber};
use crate::ids::{CustomerId, DeliveryOrderId, EquipmentUnitId, InvoiceId, RentalId};
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
    RentalOverdue(RentalOverdue),
    RentalLateFeeCharged(RentalLateFeeCharged),
    RentalLateFeeReversed(RentalLateFeeReversed),
    RentalLateFeesBilled(RentalLateFeesBilled),
    /// The PDF of a document of this stream was issued (stored, its digest recorded).
    RentalReturnReceiptIssued(crate::PdfIssued),
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

/// Units were late on `as_of`: recorded once per day, by the first assessment of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RentalOverdue {
    pub as_of: NaiveDate,
    /// In the order reserved.
    pub units: Vec<OverdueUnit>,
    pub recorded_at: DateTime<Utc>,
}

/// A unit late on the day of an overdue record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverdueUnit {
    pub unit_id: EquipmentUnitId,
    pub serial: SerialNumber,
    /// The rental's expected return that day.
    pub expected_return_on: NaiveDate,
    /// Its check-out day.
    pub out_since: NaiveDate,
    /// `as_of − expected_return_on`.
    pub days_late: u32,
}

/// A late fee was charged for one unit's one late day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RentalLateFeeCharged {
    pub unit_id: EquipmentUnitId,
    pub serial: SerialNumber,
    pub day: NaiveDate,
    /// `day − expected return`, as it stood.
    pub days_late: u32,
    /// The grace days of the policy charged under.
    pub grace_days: u32,
    /// The daily fee, or what was left under the policy's cap.
    pub amount: Money,
    pub policy_version: u32,
    pub charged_at: DateTime<Utc>,
}

/// A standing late fee is no longer due; the fee is kept, marked reversed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RentalLateFeeReversed {
    pub unit_id: EquipmentUnitId,
    pub serial: SerialNumber,
    pub day: NaiveDate,
    /// The amount charged, now reversed.
    pub amount: Money,
    pub reason: LateFeeReversalReason,
    pub reversed_at: DateTime<Utc>,
}

/// Which fee: a unit's late day (a unit has one standing fee a day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LateFeeDay {
    pub unit_id: EquipmentUnitId,
    pub day: NaiveDate,
}

/// Standing late fees were billed on an invoice of their own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RentalLateFeesBilled {
    pub invoice_id: InvoiceId,
    /// In the order charged.
    pub fees: Vec<LateFeeDay>,
    /// The sum of their amounts.
    pub total: Money,
    pub billed_at: DateTime<Utc>,
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
            Self::RentalOverdue(_) => "RentalOverdue",
            Self::RentalLateFeeCharged(_) => "RentalLateFeeCharged",
            Self::RentalLateFeeReversed(_) => "RentalLateFeeReversed",
            Self::RentalLateFeesBilled(_) => "RentalLateFeesBilled",
            Self::RentalReturnReceiptIssued(_) => "RentalReturnReceiptIssued",
        }
    }
}
