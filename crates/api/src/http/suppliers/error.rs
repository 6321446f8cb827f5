//! How the Supplier aggregate's refusals read over HTTP: a mismatch of the party details is a
//! field error under `/details`, as the bodies nest them.

use niaga_domain::supplier::SupplierError;

use crate::error::ApiError;

impl From<SupplierError> for ApiError {
    fn from(error: SupplierError) -> Self {
        match (&error, error.pointer()) {
            (SupplierError::Party(_), Some(pointer)) => {
                Self::field(format!("/details{pointer}"), error.to_string())
            }
            (SupplierError::NotRegistered, _) => Self::NotFound("supplier".into()),
            (SupplierError::AlreadyRegistered | SupplierError::Party(_), _) => {
                Self::Conflict(error.to_string())
            }
        }
    }
}
