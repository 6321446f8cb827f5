//! How the EquipmentUnit aggregate's refusals read over HTTP: a refusal about a field of the
//! request is a field error at its pointer, one about the unit names the rule.

use niaga_domain::equipment::{EquipmentUnitError, Unrentable};

use crate::error::ApiError;

impl From<EquipmentUnitError> for ApiError {
    fn from(error: EquipmentUnitError) -> Self {
        if let Some(pointer) = error.pointer() {
            return Self::field(pointer, error.to_string());
        }
        let code = match &error {
            EquipmentUnitError::NotRegistered => return Self::NotFound("equipment unit".into()),
            EquipmentUnitError::AlreadyRegistered { .. } => {
                return Self::Conflict(error.to_string());
            }
            EquipmentUnitError::Retired { .. } => "unit-retired",
            EquipmentUnitError::OnRental { .. } => "unit-on-rental",
            // Those with a pointer were answered above.
            _ => "equipment-refused",
        };
        Self::refused(code, error)
    }
}

impl From<Unrentable> for ApiError {
    fn from(error: Unrentable) -> Self {
        let code = match &error {
            Unrentable::Retired { .. } => "unit-retired",
            Unrentable::Calibration(_) => "calibration-lapsed",
        };
        Self::refused(code, error)
    }
}
