//! Whether a unit may go out on a rental, and the facts about a unit a rental decides with.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{AccuracyClass, NominalMass, RateCard, SerialNumber};
use crate::ids::EquipmentUnitId;

/// What to do with a unit whose calibration will have lapsed before it is due back.
///
/// Company policy, from configuration, passed in each command or query that needs it (never
/// a global): a weight out of calibration may still be fine for a customer who only needs a
/// rough check, and the company may rent it with a warning, or refuse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CalibrationPolicy {
    /// Rent it, and record the warning with the rental.
    Warn,
    /// Refuse to rent it until it is recalibrated.
    Refuse,
}

/// A unit whose calibration does not cover the days it would be out: its certificate is due
/// before `needed_until`, or it has none on record (`due_on` is `None`).
///
/// A certificate is good through its due day: a unit due on 30 June may be out until
/// 30 June, not 1 July. Stored in rental events as a warning accepted under
/// [`CalibrationPolicy::Warn`]: never rename a field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalibrationIssue {
    pub serial: SerialNumber,
    pub due_on: Option<NaiveDate>,
    /// The last day the unit would be out (the rental's expected return day).
    pub needed_until: NaiveDate,
}

impl fmt::Display for CalibrationIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.due_on {
            Some(due_on) => write!(
                f,
                "unit {}'s calibration is due on {due_on}, before {}, the last day it would be out",
                self.serial, self.needed_until
            ),
            None => write!(f, "unit {} has no calibration on record", self.serial),
        }
    }
}

/// Why a unit cannot go out on a rental.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unrentable {
    #[error("unit {serial} was retired on {retired_on} and can no longer be rented")]
    Retired {
        serial: SerialNumber,
        retired_on: NaiveDate,
    },
    /// Refused under [`CalibrationPolicy::Refuse`].
    #[error("{0}: recalibrate it before renting it out")]
    Calibration(CalibrationIssue),
}

/// What a rental needs to know about a unit, looked up by the application layer from the
/// unit's stream ([`super::EquipmentUnitRecord::facts_for_rental`]) and put into the rental's
/// command: the rental decides with them and copies them into its events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitFacts {
    pub unit_id: EquipmentUnitId,
    pub serial: SerialNumber,
    pub class: AccuracyClass,
    pub nominal_mass: NominalMass,
    /// The rate card in force on the rental's start day.
    pub rate_card: RateCard,
    /// The due day of the unit's current calibration, `None` if it has none.
    pub calibration_due_on: Option<NaiveDate>,
    /// Set if the unit was retired.
    pub retired_on: Option<NaiveDate>,
}

impl UnitFacts {
    /// Whether the unit may be out until `until` (inclusive) under `policy`: `Ok(None)` if
    /// so, `Ok(Some(issue))` if only with a calibration warning (the warn policy), or why
    /// not.
    pub fn rentable_until(
        &self,
        until: NaiveDate,
        policy: CalibrationPolicy,
    ) -> Result<Option<CalibrationIssue>, Unrentable> {
        if let Some(retired_on) = self.retired_on {
            return Err(Unrentable::Retired {
                serial: self.serial.clone(),
                retired_on,
            });
        }
        calibration_check(&self.serial, self.calibration_due_on, until, policy)
    }
}

/// The calibration rule alone: a unit due for calibration before `until`, or never
/// calibrated, is refused or rented with a warning as `policy` says.
fn calibration_check(
    serial: &SerialNumber,
    due_on: Option<NaiveDate>,
    until: NaiveDate,
    policy: CalibrationPolicy,
) -> Result<Option<CalibrationIssue>, Unrentable> {
    let covered = due_on.is_some_and(|due_on| due_on >= until);
    if covered {
        return Ok(None);
    }
    let issue = CalibrationIssue {
        serial: serial.clone(),
        due_on,
        needed_until: until,
    };
    match policy {
        CalibrationPolicy::Warn => Ok(Some(issue)),
        CalibrationPolicy::Refuse => Err(Unrentable::Calibration(issue)),
    }
}
