//! What can be asked of a rental. Fields are already-parsed values; the rental id is made by
//! the caller, so a retried command carries the same one.
//!
//! A rental decides from its own stream only. What it needs to know about the units (their
//! rate cards, calibration, retirement) the application layer reads from each unit's stream
//! first and passes in as [`UnitFacts`]; whether a unit is free on the rental's days (not
//! reserved for or out on another rental) it checks against the rentals read model before
//! sending [`ReserveRental`].

use chrono::NaiveDate;

use super::{LateFeePolicy, UnitCondition};
use crate::equipment::{CalibrationPolicy, UnitFacts};
use crate::ids::{CustomerId, DeliveryOrderId, EquipmentUnitId, InvoiceId, RentalId};
use crate::money::{Currency, Money};
use crate::values::Name;

/// A command to the Rental aggregate.
#[derive(Debug, Clone, PartialEq)]
pub enum RentalCommand {
    Reserve(ReserveRental),
    CheckOut(CheckOutUnit),
    Extend(ExtendRental),
    CheckIn(CheckInUnit),
    CollectDeposit(CollectDeposit),
    RetainDeposit(RetainDeposit),
    RefundDeposit(RefundDeposit),
    Close(CloseRental),
    Cancel(CancelRental),
    AssessOverdue(AssessOverdue),
    BillLateFees(BillLateFees),
    /// Records the PDF issued for a version of the document (the PDF issuer's command):
    /// nothing new when it is recorded already.
    RecordPdf(crate::PdfIssued),
}

/// Reserves units for a customer from `start_on` to `expected_return_on` (on or after it),
/// with a deposit of zero or more. Each unit's facts are copied into the rental, its rate
/// card included: what its days will cost is fixed now.
#[derive(Debug, Clone, PartialEq)]
pub struct ReserveRental {
    pub id: RentalId,
    /// A registered customer (the caller checks it exists).
    pub customer_id: CustomerId,
    /// Of the deposit and of every unit's rate card.
    pub currency: Currency,
    /// At least one unit, each once, each free on these days (checked by the caller), with
    /// the rate card in force on `start_on`
    /// ([`EquipmentUnitRecord::facts_for_rental`](crate::equipment::EquipmentUnitRecord::facts_for_rental)).
    pub units: Vec<UnitFacts>,
    pub start_on: NaiveDate,
    pub expected_return_on: NaiveDate,
    /// Zero or more, in whole sen.
    pub deposit: Money,
    /// What to do with a unit whose calibration lapses before `expected_return_on`:
    /// company policy, from configuration.
    pub calibration_policy: CalibrationPolicy,
}

/// Records that a reserved unit went out with the customer on `on` (today or earlier). A
/// unit may go out before the rental's start day: its days are counted from when it went.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckOutUnit {
    pub unit_id: EquipmentUnitId,
    pub on: NaiveDate,
    /// Who took it: the customer's person or their driver.
    pub collected_by: Name,
    pub delivery_order_id: Option<DeliveryOrderId>,
}

/// Moves the expected return later, while some unit is reserved or out.
#[derive(Debug, Clone, PartialEq)]
pub struct ExtendRental {
    pub expected_return_on: NaiveDate,
    /// The current facts of every unit not back yet (a unit reserved and not taken may have
    /// been recalibrated since): their calibration must cover the new day, as `policy` says.
    /// Their rate cards are not used: the rental keeps the ones it was reserved with.
    pub units: Vec<UnitFacts>,
    pub calibration_policy: CalibrationPolicy,
}

/// Records that a unit out with the customer came back on `on` (today or earlier, and not
/// before it went out), or was reported lost. Units come back one at a time.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckInUnit {
    pub unit_id: EquipmentUnitId,
    pub on: NaiveDate,
    pub condition: UnitCondition,
    /// What the customer is charged for damage or loss, zero or more in whole sen; zero for
    /// a unit in good condition.
    pub damage_charge: Money,
    /// What is damaged, or how it was lost: required then, at most 150 characters (it goes
    /// on the invoice line).
    pub note: Option<String>,
}

/// Records that the agreed deposit was received, in full and once.
#[derive(Debug, Clone, PartialEq)]
pub struct CollectDeposit {
    /// The agreed deposit: a different amount is refused.
    pub amount: Money,
}

/// Keeps part of the collected deposit, for a reason (damage, loss, unpaid days); several
/// retentions may follow each other, never more than is held.
#[derive(Debug, Clone, PartialEq)]
pub struct RetainDeposit {
    pub amount: Money,
    pub reason: String,
}

/// Refunds what is left of the collected deposit, once every unit that went out is back.
#[derive(Debug, Clone, PartialEq)]
pub struct RefundDeposit;

/// Closes the rental: every unit that went out is back and the company holds none of the
/// deposit. Units reserved and never taken are released.
#[derive(Debug, Clone, PartialEq)]
pub struct CloseRental;

/// Cancels a reservation before any unit went out, for a reason. A collected deposit must
/// be refunded (or retained, as a cancellation fee) first.
#[derive(Debug, Clone, PartialEq)]
pub struct CancelRental {
    pub reason: String,
}

/// The daily job's command: records the units late on `as_of` (once per day) and charges
/// every late fee due on or before it not charged yet, under `policy` (see
/// [`late_fee`](super::late_fee) for the rules). Sent to every rental: one not open answers
/// with no events. `as_of` is today or earlier; a day missed is caught up by the next run.
#[derive(Debug, Clone, PartialEq)]
pub struct AssessOverdue {
    pub as_of: NaiveDate,
    /// Company policy, from configuration, in the rental's currency.
    pub policy: LateFeePolicy,
}

/// Bills every standing late fee not billed yet, as invoice `invoice_id` (made by the
/// caller, a document of its own: a sent invoice is never edited). The caller drafts that
/// invoice from [`late_fee_lines`](super::invoicing::late_fee_lines) with the fees
/// [`RentalRecord::late_fees_billed_on`](super::RentalRecord::late_fees_billed_on) it. The
/// same invoice id again is answered as done.
#[derive(Debug, Clone, PartialEq)]
pub struct BillLateFees {
    pub invoice_id: InvoiceId,
}
