//! Why a supplier command is refused.

use crate::customer::PartyMismatch;

/// A refusal of the Supplier aggregate; the API answers it with a 4xx.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SupplierError {
    #[error("this supplier has not been registered")]
    NotRegistered,
    #[error("this supplier is already registered")]
    AlreadyRegistered,
    #[error(transparent)]
    Party(#[from] PartyMismatch),
}

impl SupplierError {
    /// Where the problem is in the request body, as a JSON pointer (RFC 6901) relative to the
    /// command's object, or `None` when the refusal is about the supplier as a whole.
    pub fn pointer(&self) -> Option<String> {
        match self {
            Self::Party(mismatch) => Some(mismatch.pointer().to_owned()),
            Self::NotRegistered | Self::AlreadyRegistered => None,
        }
    }
}
