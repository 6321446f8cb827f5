//! The jobs, one module each.

mod expire_quotations;

pub use expire_quotations::ExpireQuotations;
