//! The company issuing the documents: its settings, as the caller loads them (there is no
//! company aggregate yet).

use niaga_domain::values::{Address, Brn, Email, MsicCode, Name, Phone, SstRegistration, Tin};

use super::Classifications;

/// What LHDN needs to know of the supplier (LHDN.md §2.5). Values are already checked by
/// their domain types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Supplier {
    pub name: Name,
    pub tin: Tin,
    pub brn: Brn,
    /// `None`: not registered (`"NA"` on the document).
    pub sst: Option<SstRegistration>,
    /// The tourism tax registration, `None` if not registered.
    pub tourism_tax: Option<String>,
    pub msic: MsicCode,
    /// The business activity, as registered with LHDN (at most 300 characters).
    pub business_activity: String,
    pub address: Address,
    pub phone: Phone,
    pub email: Option<Email>,
    pub classifications: Classifications,
}
