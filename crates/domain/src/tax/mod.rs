//! Sales and Service Tax (SST) as effective-dated data.
//!
//! A document line says how it is taxed with a [`TaxTreatment`] (a service, a rental of
//! equipment, a resale of goods, an exemption with its reason). Together with the document's
//! tax point date it resolves to a [`TaxRule`]: LHDN's tax type, the rate, any exemption and
//! the date the rule took effect. The line records that rule, so a later change of rate adds a
//! row to the table in `sst.rs` and never rewrites a document already written.
//!
//! Nothing here reads a clock: the tax point is a business day passed in.

mod error;
mod rule;
mod sst;
mod treatment;

pub use error::TaxError;
pub use rule::{RuleExemption, TaxCharge, TaxRule};
pub use treatment::TaxTreatment;

#[cfg(test)]
mod tests;
