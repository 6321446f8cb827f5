//! What can be asked of an equipment unit. Fields are already-parsed values; the unit id is
//! made by the caller, so a retried command carries the same one.

use chrono::NaiveDate;

use super::{AccuracyClass, CertificateNumber, NominalMass, RateCard, SerialNumber};
use crate::ids::{EquipmentUnitId, RentalId};

/// A command to the EquipmentUnit aggregate.
#[derive(Debug, Clone, PartialEq)]
pub enum EquipmentUnitCommand {
    Register(RegisterUnit),
    ChangeRateCard(ChangeRateCard),
    RecordCalibration(RecordCalibration),
    Retire(RetireUnit),
}

/// Registers a unit the company rents out. Its rate card applies from the day of
/// registration, and to any earlier day a rental may be back-dated to.
///
/// The serial is unique across units: the application layer checks it against the units
/// read model before sending this command (the domain sees one unit at a time).
#[derive(Debug, Clone, PartialEq)]
pub struct RegisterUnit {
    pub id: EquipmentUnitId,
    pub serial: SerialNumber,
    pub class: AccuracyClass,
    pub nominal_mass: NominalMass,
    /// Also fixes the unit's currency: every later rate card is in the same one.
    pub rate_card: RateCard,
}

/// Sets a new rate card from `effective_from` on. Earlier versions stay, so a rental
/// starting before that day is priced with the card it was reserved under. A change dated
/// the same day as the latest one supersedes it; one dated earlier is refused.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeRateCard {
    pub rate_card: RateCard,
    pub effective_from: NaiveDate,
}

/// Records a calibration certificate: the unit was calibrated on `calibrated_on` and is due
/// again on `due_on`, which must be later.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordCalibration {
    pub certificate: CertificateNumber,
    pub calibrated_on: NaiveDate,
    pub due_on: NaiveDate,
}

/// Takes a unit out of service for good (worn out, lost, sold). A reason is required.
#[derive(Debug, Clone, PartialEq)]
pub struct RetireUnit {
    pub reason: String,
    /// The rental the unit is reserved for or out on, if any, as the application layer finds
    /// it in the rentals read model: a unit promised to or held by a customer is not
    /// retired under them. A lost unit is first checked in as lost, then retired.
    pub on_rental: Option<RentalId>,
}
