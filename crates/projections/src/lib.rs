//! Niaga's read side: projectors that follow the global event feed from a checkpoint and keep
//! read models (tables) for the screens, and the queries that read them.
//!
//! A [`Projection`] applies one event inside a transaction; the [`runner`] commits the read
//! model change and the checkpoint advance together, so a crash never applies an event twice
//! or skips one.

pub mod checkpoint;
pub mod customer_ledger;
pub mod customer_list;
mod error;
pub mod invoice_list;
mod newest_first;
pub mod pipeline;
pub mod quotation_list;
mod read_tx;
pub mod rebuild;
pub mod receivables;
pub mod runner;

use async_trait::async_trait;
use niaga_store::RecordedEvent;

pub use error::ProjectionError;
pub use newest_first::{MAX_PAGE, Page};
pub use read_tx::ReadTx;

/// A read model fed by the event feed.
#[async_trait]
pub trait Projection: Send + Sync + std::fmt::Debug {
    /// The checkpoint's name. Renaming it rebuilds the read model from the first event.
    fn name(&self) -> &'static str;

    /// The tables this projection writes and nothing else does: what a rebuild makes afresh
    /// and switches over.
    fn tables(&self) -> &'static [&'static str] {
        &[]
    }

    /// Applies one event to the read model. Events of other types are ignored.
    async fn apply(&self, tx: &mut ReadTx, event: &RecordedEvent) -> Result<(), ProjectionError>;
}

/// A read model's amount in whole sen. Documents' figures are rounded to the sen, so this
/// only fails on a corrupt event.
pub(crate) fn sen(amount: niaga_domain::Money) -> Result<i64, ProjectionError> {
    amount
        .to_sen()
        .ok_or_else(|| ProjectionError::Corrupt(format!("amount {amount} is not whole sen")))
}

/// Every projection Niaga runs.
pub fn all() -> Vec<std::sync::Arc<dyn Projection>> {
    vec![
        std::sync::Arc::new(customer_list::CustomerList),
        std::sync::Arc::new(invoice_list::InvoiceList),
        std::sync::Arc::new(customer_ledger::CustomerLedger),
        std::sync::Arc::new(quotation_list::QuotationList),
        std::sync::Arc::new(receivables::Receivables),
        std::sync::Arc::new(pipeline::Pipeline),
    ]
}
