//! Why a line's tax cannot be decided.

use chrono::NaiveDate;

/// A tax rule could not be resolved; the API answers it with a 4xx.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TaxError {
    /// SST began on 1 September 2018; no document here is taxed under the GST before it.
    #[error("no SST rule for {treatment} is in force on {tax_point}")]
    NoRuleInForce {
        treatment: &'static str,
        tax_point: NaiveDate,
    },
}
