//! A rental as its events leave it: each unit with its check-out and check-in, the deposit's
//! movements, and how the rental ended.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{LateFeeReversalReason, RentalCharge};
use crate::equipment::{AccuracyClass, CalibrationIssue, NominalMass, RateCard, SerialNumber};
use crate::ids::{CustomerId, DeliveryOrderId, EquipmentUnitId, InvoiceId, RentalId};
use crate::money::{Currency, Money};
use crate::values::Name;

/// A rental, as the API returns it and a snapshot stores it.
///
/// `NotReserved` is the state of a stream with no events (the `Default`), so that every
/// command but `Reserve` has a state to be refused in. A rental is open from its
/// reservation until it is closed (every unit back, the deposit settled) or cancelled
/// (before anything went out); an ended rental no longer changes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Rental {
    #[default]
    NotReserved,
    Open(Box<RentalRecord>),
    Closed(Box<RentalRecord>),
    Cancelled(Box<RentalRecord>),
}

impl Rental {
    /// The rental, if it has been reserved, whether open or ended.
    pub fn reserved(&self) -> Option<&RentalRecord> {
        match self {
            Self::NotReserved => None,
            Self::Open(rental) | Self::Closed(rental) | Self::Cancelled(rental) => Some(rental),
        }
    }
}

/// A reserved rental with everything recorded against it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RentalRecord {
    pub id: RentalId,
    pub customer_id: CustomerId,
    /// Of the deposit, every unit's rate card and every damage charge.
    pub currency: Currency,
    /// The day the customer is to take the units.
    pub start_on: NaiveDate,
    /// The day every unit is due back, as agreed or last extended.
    pub expected_return_on: NaiveDate,
    /// In the order reserved.
    pub units: Vec<RentalUnit>,
    /// Calibration warnings accepted under the warn policy, at reservation and on each
    /// extension.
    pub calibration_warnings: Vec<CalibrationIssue>,
    /// Oldest first.
    pub extensions: Vec<Extension>,
    pub deposit: Deposit,
    pub reserved_at: DateTime<Utc>,
    /// Set when closed.
    pub closing: Option<Closing>,
    /// Set when cancelled.
    pub cancellation: Option<Cancellation>,
    /// Every late fee charged, standing or reversed, in the order charged. Defaulted so that
    /// snapshots taken before late fees existed still load (they had none).
    #[serde(default)]
    pub late_fees: Vec<LateFee>,
    /// The latest day an overdue record was made for: each day is recorded once.
    #[serde(default)]
    pub last_overdue_as_of: Option<NaiveDate>,
    /// Every PDF issued of this document, in order. Defaulted so that snapshots taken
    /// before PDFs were issued still load (they had none).
    #[serde(default)]
    pub pdfs: Vec<crate::PdfIssued>,
}

impl RentalRecord {
    pub fn unit(&self, id: EquipmentUnitId) -> Option<&RentalUnit> {
        self.units.iter().find(|u| u.unit.unit_id == id)
    }

    pub(super) fn unit_mut(&mut self, id: EquipmentUnitId) -> Option<&mut RentalUnit> {
        self.units.iter_mut().find(|u| u.unit.unit_id == id)
    }

    /// The standing fee of a unit's day, if any (there is at most one).
    pub(super) fn standing_late_fee_mut(
        &mut self,
        unit_id: EquipmentUnitId,
        day: NaiveDate,
    ) -> Option<&mut LateFee> {
        self.late_fees
            .iter_mut()
            .find(|fee| fee.is_standing() && fee.unit_id == unit_id && fee.day == day)
    }

    /// Units with the customer: checked out and not yet checked in.
    pub fn units_out(&self) -> impl Iterator<Item = &RentalUnit> {
        self.units.iter().filter(|u| u.status() == UnitStatus::Out)
    }

    /// Units not back yet: still reserved, or out.
    pub fn units_not_back(&self) -> impl Iterator<Item = &RentalUnit> {
        self.units
            .iter()
            .filter(|u| u.status() != UnitStatus::Returned)
    }

    /// The late fees still owed (charged and not reversed), billed or not.
    pub fn standing_late_fees(&self) -> impl Iterator<Item = &LateFee> {
        self.late_fees.iter().filter(|fee| fee.is_standing())
    }

    /// The standing late fees not yet on an invoice: what
    /// [`BillLateFees`](super::BillLateFees) bills.
    pub fn unbilled_late_fees(&self) -> impl Iterator<Item = &LateFee> {
        self.standing_late_fees().filter(|fee| fee.billed.is_none())
    }

    /// The late fees billed on `invoice_id`, reversed since or not: what
    /// [`late_fee_lines`](super::invoicing::late_fee_lines) turns into that invoice's lines.
    pub fn late_fees_billed_on(&self, invoice_id: InvoiceId) -> impl Iterator<Item = &LateFee> {
        self.late_fees
            .iter()
            .filter(move |fee| fee.billed == Some(invoice_id))
    }

    /// Late fees billed and reversed since: owed back to the customer by a credit note.
    pub fn late_fees_credit_due(&self) -> impl Iterator<Item = &LateFee> {
        self.late_fees.iter().filter(|fee| fee.credit_due())
    }

    /// The total of the standing late fees.
    pub fn late_fees_total(&self) -> Money {
        // Every fee is charged only if the running total stays representable, so this does
        // not saturate.
        super::late_fee::sum(self.currency, self.standing_late_fees())
            .unwrap_or(Money::new(Decimal::MAX, self.currency))
    }

    /// Where the rental stands as a whole, for lists and filters.
    pub fn status(&self) -> RentalStatus {
        if self.cancellation.is_some() {
            return RentalStatus::Cancelled;
        }
        if self.closing.is_some() {
            return RentalStatus::Closed;
        }
        let statuses = || self.units.iter().map(RentalUnit::status);
        if statuses().any(|s| s == UnitStatus::Out) {
            RentalStatus::Out
        } else if statuses().all(|s| s == UnitStatus::Reserved) {
            RentalStatus::Reserved
        } else {
            // Some units back, none out: the rest were never taken.
            RentalStatus::Returned
        }
    }
}

/// Where a rental stands as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RentalStatus {
    /// Nothing has gone out yet.
    Reserved,
    /// At least one unit is with the customer.
    Out,
    /// Units went out and all of them are back; the rental is not closed yet.
    Returned,
    Closed,
    Cancelled,
}

impl fmt::Display for RentalStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Reserved => "reserved",
            Self::Out => "out",
            Self::Returned => "returned",
            Self::Closed => "closed",
            Self::Cancelled => "cancelled",
        })
    }
}

/// A unit as it was reserved: the unit's facts at the time, its rate card included, copied
/// from the equipment unit's stream so that later changes there do not change this rental.
/// Stored in events: never rename a field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReservedUnit {
    pub unit_id: EquipmentUnitId,
    pub serial: SerialNumber,
    pub class: AccuracyClass,
    pub nominal_mass: NominalMass,
    /// The rate card in force on the rental's start day: what the unit's days are charged
    /// at.
    pub rate_card: RateCard,
    /// The due day of the unit's calibration when it was reserved.
    pub calibration_due_on: Option<NaiveDate>,
}

impl ReservedUnit {
    /// How the unit is named on documents: `20 kg test weight, class M1, serial TW-0042`.
    pub fn label(&self) -> String {
        format!(
            "{} test weight, class {}, serial {}",
            self.nominal_mass, self.class, self.serial
        )
    }
}

/// One unit of a rental and what happened to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RentalUnit {
    pub unit: ReservedUnit,
    pub check_out: Option<CheckOut>,
    pub check_in: Option<CheckIn>,
}

impl RentalUnit {
    pub fn status(&self) -> UnitStatus {
        match (&self.check_out, &self.check_in) {
            (None, _) => UnitStatus::Reserved,
            (Some(_), None) => UnitStatus::Out,
            (Some(_), Some(_)) => UnitStatus::Returned,
        }
    }
}

/// Where one unit of a rental stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitStatus {
    /// Not taken yet.
    Reserved,
    /// With the customer.
    Out,
    /// Back (or reported lost).
    Returned,
}

impl fmt::Display for UnitStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Reserved => "reserved",
            Self::Out => "out",
            Self::Returned => "returned",
        })
    }
}

/// A unit leaving with the customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckOut {
    pub on: NaiveDate,
    /// Who took the unit: the customer's person or their driver.
    pub collected_by: Name,
    /// The delivery order it went out under, if any.
    pub delivery_order_id: Option<DeliveryOrderId>,
    pub recorded_at: DateTime<Utc>,
}

/// A unit coming back, or reported lost, and what its days cost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckIn {
    pub on: NaiveDate,
    pub condition: UnitCondition,
    /// Zero for a unit in good condition; for a damaged one the repair, for a lost one its
    /// replacement.
    pub damage_charge: Money,
    /// What is damaged, or how it was lost.
    pub note: Option<String>,
    /// The rental charge of the unit's days, as decided at check-in.
    pub charge: RentalCharge,
    pub recorded_at: DateTime<Utc>,
}

/// The state a unit came back in.
///
/// Stored in events: never rename a variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitCondition {
    Good,
    Damaged,
    /// Not coming back: the customer reported it lost. The unit is then retired on its own
    /// stream.
    Lost,
}

impl fmt::Display for UnitCondition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Good => "good",
            Self::Damaged => "damaged",
            Self::Lost => "lost",
        })
    }
}

/// The expected return moved later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub extended_at: DateTime<Utc>,
}

/// The security deposit: agreed at reservation, collected once, then partly retained and
/// the rest refunded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deposit {
    /// Zero when the rental takes no deposit.
    pub agreed: Money,
    pub collection: Option<DepositCollection>,
    /// Oldest first.
    pub retentions: Vec<DepositRetention>,
    pub refund: Option<DepositRefund>,
}

impl Deposit {
    /// What was collected: the agreed amount once collected, zero before.
    pub fn collected(&self) -> Money {
        self.collection
            .as_ref()
            .map_or(Money::zero(self.agreed.currency()), |c| c.amount)
    }

    /// What the company kept, over all retentions.
    pub fn retained(&self) -> Money {
        self.sum(self.retentions.iter().map(|r| r.amount.amount()))
    }

    pub fn refunded(&self) -> Money {
        self.sum(self.refund.iter().map(|r| r.amount.amount()))
    }

    /// What the company still holds of the customer's money: collected − retained −
    /// refunded. The deposit is settled when this is zero.
    pub fn held(&self) -> Money {
        // `decide` never retains or refunds more than is held, so this stays between zero
        // and the amount collected and cannot overflow.
        Money::new(
            self.collected().amount() - self.retained().amount() - self.refunded().amount(),
            self.agreed.currency(),
        )
    }

    fn sum(&self, amounts: impl Iterator<Item = Decimal>) -> Money {
        // Bounded by the amount collected, as above.
        Money::new(amounts.sum(), self.agreed.currency())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepositCollection {
    pub amount: Money,
    pub collected_on: NaiveDate,
    pub collected_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepositRetention {
    pub amount: Money,
    pub reason: String,
    pub retained_on: NaiveDate,
    pub retained_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepositRefund {
    pub amount: Money,
    pub refunded_on: NaiveDate,
    pub refunded_at: DateTime<Utc>,
}

/// One unit's late fee for one day, as charged, and what happened to it since.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LateFee {
    pub unit_id: EquipmentUnitId,
    pub serial: SerialNumber,
    /// The late day charged for.
    pub day: NaiveDate,
    /// Days after the expected return in force when charged.
    pub days_late: u32,
    /// The grace days of the policy it was charged under: whether it is still due after an
    /// extension is judged by them.
    pub grace_days: u32,
    /// The daily fee, or what was left under the cap.
    pub amount: Money,
    pub policy_version: u32,
    pub charged_at: DateTime<Utc>,
    /// The invoice it was billed on. A fee billed stays billed, even once reversed.
    pub billed: Option<InvoiceId>,
    pub reversed: Option<LateFeeReversal>,
}

impl LateFee {
    /// Charged and not reversed: owed by the customer.
    pub fn is_standing(&self) -> bool {
        self.reversed.is_none()
    }

    /// Billed, then reversed: the customer was invoiced for a fee no longer due, and is owed
    /// a credit note for it (issued by the caller; the rental only shows it).
    pub fn credit_due(&self) -> bool {
        self.billed.is_some() && self.reversed.is_some()
    }
}

/// Why and when a late fee was reversed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LateFeeReversal {
    pub reason: LateFeeReversalReason,
    pub reversed_at: DateTime<Utc>,
}

/// How a rental was closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closing {
    /// Units reserved but never taken, released by the closing.
    pub not_collected: Vec<EquipmentUnitId>,
    pub closed_on: NaiveDate,
    pub closed_at: DateTime<Utc>,
}

/// Why and when a reservation was cancelled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cancellation {
    pub reason: String,
    pub cancelled_on: NaiveDate,
    pub cancelled_at: DateTime<Utc>,
}
