//! The EquipmentUnit aggregate: one serial-numbered unit the company rents out, such as a
//! calibrated test weight: its class and nominal mass, its rate card in dated versions, its
//! calibration certificates, and its retirement.
//!
//! Whether a unit may go out on a rental is answered by
//! [`EquipmentUnitRecord::rentable_on`]; the Rental aggregate receives the unit's
//! [`UnitFacts`] in its commands, since a decision reads one stream.

mod class;
mod command;
mod error;
mod event;
mod mass;
mod rate_card;
mod rentability;
mod serial;
mod state;
#[cfg(test)]
mod tests;
mod value_error;

pub use class::AccuracyClass;
pub use command::{
    ChangeRateCard, EquipmentUnitCommand, RecordCalibration, RegisterUnit, RetireUnit,
};
pub use error::EquipmentUnitError;
pub use event::{
    EquipmentCalibrationRecorded, EquipmentRateCardChanged, EquipmentUnitEvent,
    EquipmentUnitRegistered, EquipmentUnitRetired,
};
pub use mass::{MassUnit, NominalMass};
pub use rate_card::{RateCard, RateCardVersion};
pub use rentability::{CalibrationIssue, CalibrationPolicy, UnitFacts, Unrentable};
pub use serial::{CertificateNumber, SerialNumber};
pub use state::{Calibration, EquipmentUnit, EquipmentUnitRecord, Retirement};
pub use value_error::EquipmentValueError;

use crate::values::{Lines, TextProblem, check_text};
use crate::{Aggregate, Ctx};

/// A retirement reason: one line, as on the asset register.
const REASON_MAX: usize = 300;

impl Aggregate for EquipmentUnit {
    /// Stored beside every event of an equipment unit stream: never rename.
    const STREAM_TYPE: &'static str = "equipment_unit";
    type Command = EquipmentUnitCommand;
    type Event = EquipmentUnitEvent;
    type Error = EquipmentUnitError;

    fn decide(
        &self,
        command: &EquipmentUnitCommand,
        ctx: &Ctx,
    ) -> Result<Vec<EquipmentUnitEvent>, EquipmentUnitError> {
        use EquipmentUnitCommand as C;
        match (self, command) {
            (Self::NotRegistered, C::Register(c)) => Ok(register(c, ctx)),
            (Self::Registered(u), C::Register(_)) => Err(EquipmentUnitError::AlreadyRegistered {
                serial: u.serial.clone(),
            }),
            (
                Self::NotRegistered,
                C::ChangeRateCard(_) | C::RecordCalibration(_) | C::Retire(_),
            ) => Err(EquipmentUnitError::NotRegistered),
            (Self::Registered(u), C::ChangeRateCard(c)) => change_rate_card(u, c, ctx),
            (Self::Registered(u), C::RecordCalibration(c)) => record_calibration(u, c, ctx),
            (Self::Registered(u), C::Retire(c)) => retire(u, c, ctx),
        }
    }

    fn evolve(self, event: &EquipmentUnitEvent) -> Self {
        use EquipmentUnitEvent as E;
        match self {
            Self::NotRegistered => match event {
                E::EquipmentUnitRegistered(e) => Self::Registered(Box::new(EquipmentUnitRecord {
                    id: e.unit_id,
                    serial: e.serial.clone(),
                    class: e.class,
                    nominal_mass: e.nominal_mass,
                    registered_on: e.registered_on,
                    first_rate_card: RateCardVersion {
                        effective_from: e.registered_on,
                        rate_card: e.rate_card,
                    },
                    rate_changes: Vec::new(),
                    calibrations: Vec::new(),
                    retirement: None,
                })),
                // `decide` starts every stream with EquipmentUnitRegistered; nothing before
                // it has a unit to change.
                E::EquipmentRateCardChanged(_)
                | E::EquipmentCalibrationRecorded(_)
                | E::EquipmentUnitRetired(_) => Self::NotRegistered,
            },
            Self::Registered(mut unit) => {
                apply(&mut unit, event);
                Self::Registered(unit)
            }
        }
    }
}

fn apply(u: &mut EquipmentUnitRecord, event: &EquipmentUnitEvent) {
    use EquipmentUnitEvent as E;
    match event {
        // A stream is registered once; a second registration cannot have been decided.
        E::EquipmentUnitRegistered(_) => {}
        E::EquipmentRateCardChanged(e) => u.rate_changes.push(RateCardVersion {
            effective_from: e.effective_from,
            rate_card: e.rate_card,
        }),
        E::EquipmentCalibrationRecorded(e) => u.calibrations.push(Calibration {
            certificate: e.certificate.clone(),
            calibrated_on: e.calibrated_on,
            due_on: e.due_on,
            recorded_at: e.recorded_at,
        }),
        E::EquipmentUnitRetired(e) => {
            u.retirement = Some(Retirement {
                reason: e.reason.clone(),
                retired_on: e.retired_on,
                retired_at: e.retired_at,
            });
        }
    }
}

fn register(c: &RegisterUnit, ctx: &Ctx) -> Vec<EquipmentUnitEvent> {
    vec![EquipmentUnitEvent::EquipmentUnitRegistered(
        EquipmentUnitRegistered {
            unit_id: c.id,
            serial: c.serial.clone(),
            class: c.class,
            nominal_mass: c.nominal_mass,
            rate_card: c.rate_card,
            registered_on: ctx.business_day(),
            registered_at: ctx.now,
        },
    )]
}

/// The unit, if it is still in service: a retired unit's record does not change.
fn in_service(u: &EquipmentUnitRecord) -> Result<(), EquipmentUnitError> {
    match &u.retirement {
        None => Ok(()),
        Some(retirement) => Err(EquipmentUnitError::Retired {
            serial: u.serial.clone(),
            retired_on: retirement.retired_on,
        }),
    }
}

fn change_rate_card(
    u: &EquipmentUnitRecord,
    c: &ChangeRateCard,
    ctx: &Ctx,
) -> Result<Vec<EquipmentUnitEvent>, EquipmentUnitError> {
    in_service(u)?;
    // Rentals copy the card they were priced with, so all of a unit's cards are in one
    // currency: an invoice adds them up.
    if c.rate_card.currency() != u.currency() {
        return Err(EquipmentUnitError::RateCardCurrency {
            serial: u.serial.clone(),
            expected: u.currency(),
            found: c.rate_card.currency(),
        });
    }
    let latest = u.latest_rate_card().effective_from;
    if c.effective_from < latest {
        return Err(EquipmentUnitError::RateChangeBeforeLatest {
            serial: u.serial.clone(),
            effective_from: c.effective_from,
            latest,
        });
    }
    // The same card already in force from that day (a retry, or a form saved unchanged).
    if u.rate_card_on(c.effective_from) == c.rate_card {
        return Ok(vec![]);
    }
    Ok(vec![EquipmentUnitEvent::EquipmentRateCardChanged(
        EquipmentRateCardChanged {
            rate_card: c.rate_card,
            effective_from: c.effective_from,
            changed_at: ctx.now,
        },
    )])
}

fn record_calibration(
    u: &EquipmentUnitRecord,
    c: &RecordCalibration,
    ctx: &Ctx,
) -> Result<Vec<EquipmentUnitEvent>, EquipmentUnitError> {
    in_service(u)?;
    if let Some(recorded) = u.calibration(&c.certificate) {
        return if (recorded.calibrated_on, recorded.due_on) == (c.calibrated_on, c.due_on) {
            Ok(vec![])
        } else {
            Err(EquipmentUnitError::CertificateAlreadyRecorded {
                serial: u.serial.clone(),
                certificate: c.certificate.clone(),
            })
        };
    }
    if c.due_on <= c.calibrated_on {
        return Err(EquipmentUnitError::CalibrationDueNotAfter {
            serial: u.serial.clone(),
            certificate: c.certificate.clone(),
            calibrated_on: c.calibrated_on,
            due_on: c.due_on,
        });
    }
    let today = ctx.business_day();
    if c.calibrated_on > today {
        return Err(EquipmentUnitError::CalibratedInFuture {
            serial: u.serial.clone(),
            certificate: c.certificate.clone(),
            calibrated_on: c.calibrated_on,
            today,
        });
    }
    Ok(vec![EquipmentUnitEvent::EquipmentCalibrationRecorded(
        EquipmentCalibrationRecorded {
            certificate: c.certificate.clone(),
            calibrated_on: c.calibrated_on,
            due_on: c.due_on,
            recorded_at: ctx.now,
        },
    )])
}

fn retire(
    u: &EquipmentUnitRecord,
    c: &RetireUnit,
    ctx: &Ctx,
) -> Result<Vec<EquipmentUnitEvent>, EquipmentUnitError> {
    in_service(u)?;
    if let Some(rental_id) = c.on_rental {
        return Err(EquipmentUnitError::OnRental {
            serial: u.serial.clone(),
            rental_id,
        });
    }
    let reason = match check_text(&c.reason, REASON_MAX, Lines::Single) {
        Ok(reason) => reason,
        Err(TextProblem::Empty) => {
            return Err(EquipmentUnitError::ReasonRequired {
                serial: u.serial.clone(),
            });
        }
        Err(problem) => {
            return Err(EquipmentUnitError::InvalidText {
                field: "reason",
                problem,
            });
        }
    };
    Ok(vec![EquipmentUnitEvent::EquipmentUnitRetired(
        EquipmentUnitRetired {
            serial: u.serial.clone(),
            reason,
            retired_on: ctx.business_day(),
            retired_at: ctx.now,
        },
    )])
}
