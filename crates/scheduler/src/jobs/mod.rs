//! The jobs, one module each.

mod consolidate;
mod expire_quotations;
mod overdue;

pub use consolidate::ConsolidateEInvoices;
pub use expire_quotations::ExpireQuotations;
pub use overdue::Overdue;
