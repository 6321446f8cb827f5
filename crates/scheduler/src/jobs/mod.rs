//! The jobs, one module each.

mod expire_quotations;
mod overdue;

pub use expire_quotations::ExpireQuotations;
pub use overdue::Overdue;
