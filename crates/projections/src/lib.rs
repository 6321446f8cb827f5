//! Niaga's read side: projectors that follow the global event feed from a checkpoint and keep
//! read models (tables) for the screens, and the queries that read them.
//!
//! A [`Projection`] applies one event inside a transaction; the [`runner`] commits the read
//! model change and the checkpoint advance together, so a crash never applies an event twice
//! or skips one.

mod batch;
pub mod checkpoint;
pub mod customer_ledger;
pub mod customer_list;
pub mod delivery_orders;
pub mod delivery_variance;
pub mod equipment_units;
mod error;
pub mod invoice_list;
pub mod lhdn_documents;
mod newest_first;
pub mod pipeline;
pub mod purchase_orders;
pub mod quotation_list;
mod read_tx;
pub mod rebuild;
pub mod receivables;
pub mod rentals;
pub mod runner;
pub mod supplier_list;
pub mod supplier_performance;

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
    /// and switches over. [`Projection::apply`] reads no other table: a rebuild on
    /// PostgreSQL applies history in a scratch database that holds only these.
    fn tables(&self) -> &'static [&'static str] {
        &[]
    }

    /// The aggregates (stream types) whose events the read model is made of. The runner and
    /// a rebuild read only these from the feed: the rest never leaves the database.
    fn stream_types(&self) -> &'static [&'static str];

    /// The event types it applies, when it applies only some of its aggregates' events: the
    /// others never leave the database (a ledger that starts at an invoice's issue does not
    /// read its 15 KB drafts). `None`: every event of its aggregates. A type left out here is
    /// never seen by [`Projection::apply`], so the list and `apply` are kept side by side.
    fn event_types(&self) -> Option<&'static [&'static str]> {
        None
    }

    /// Applies one event of its aggregates to the read model. Events of other types are
    /// ignored.
    async fn apply(&self, tx: &mut ReadTx, event: &RecordedEvent) -> Result<(), ProjectionError>;

    /// Applies a batch of the feed, in order: by default one [`Projection::apply`] each. A
    /// read model that would read and write a row per event folds the batch in memory
    /// instead ([`batch`]), and its `apply` is this with one event.
    async fn apply_batch(
        &self,
        tx: &mut ReadTx,
        events: &[RecordedEvent],
    ) -> Result<(), ProjectionError> {
        for event in events {
            self.apply(tx, event).await?;
        }
        Ok(())
    }
}

/// The part of the feed a projection reads: its aggregates' streams, and of those the event
/// types it applies.
pub(crate) struct FeedInterest {
    stream_types: &'static [&'static str],
    event_types: Option<Vec<String>>,
}

impl FeedInterest {
    pub(crate) fn of(projection: &dyn Projection) -> Self {
        Self {
            stream_types: projection.stream_types(),
            event_types: projection
                .event_types()
                .map(|types| types.iter().map(|&t| t.to_owned()).collect()),
        }
    }

    pub(crate) fn filter(&self) -> niaga_store::FeedFilter<'_> {
        niaga_store::FeedFilter {
            event_types: self.event_types.as_deref(),
            stream_types: Some(self.stream_types),
        }
    }
}

/// The invoice events that move what a customer owes, the only ones the customer ledger and
/// the receivables apply ([`Projection::event_types`]).
pub(crate) const BALANCE_EVENTS: &[&str] = &[
    "InvoiceIssued",
    "PaymentRecorded",
    "CreditNoteIssued",
    "DebitNoteIssued",
    "RefundNoteIssued",
    "InvoiceCancelled",
];

/// A read model's amount in whole sen. Documents' figures are rounded to the sen, so this
/// only fails on a corrupt event.
pub(crate) fn sen(amount: niaga_domain::Money) -> Result<i64, ProjectionError> {
    amount
        .to_sen()
        .ok_or_else(|| ProjectionError::Corrupt(format!("amount {amount} is not whole sen")))
}

/// A read model's time: RFC 3339 in UTC to the microsecond, which sorts as text.
pub(crate) fn time_text(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// A read model's day: ISO `YYYY-MM-DD`, which sorts and compares as text on both databases.
pub(crate) fn day_text(day: chrono::NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
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
        std::sync::Arc::new(equipment_units::EquipmentUnits),
        std::sync::Arc::new(rentals::Rentals),
        std::sync::Arc::new(supplier_list::SupplierList),
        std::sync::Arc::new(purchase_orders::PurchaseOrders),
        std::sync::Arc::new(delivery_orders::DeliveryOrders),
        std::sync::Arc::new(lhdn_documents::LhdnDocuments),
    ]
}

#[cfg(test)]
mod tests {
    use niaga_domain::{
        Aggregate, consolidation::Consolidation, customer::Customer, delivery_order::DeliveryOrder,
        equipment::EquipmentUnit, invoice::Invoice, purchase_order::PurchaseOrder,
        quotation::Quotation, rental::Rental, supplier::Supplier,
    };

    /// Whether `A` has an event stored under `name`: its events are tagged with the variant
    /// name, so serde tells an unknown one apart from a payload that does not fit.
    fn has_event<A: Aggregate>(name: &str) -> bool {
        let tagged = serde_json::json!({ "type": name, "data": {} });
        match serde_json::from_value::<A::Event>(tagged) {
            Ok(_) => true,
            Err(error) => !error.to_string().contains("unknown variant"),
        }
    }

    fn stream_has_event(stream_type: &str, name: &str) -> bool {
        match stream_type {
            Customer::STREAM_TYPE => has_event::<Customer>(name),
            Quotation::STREAM_TYPE => has_event::<Quotation>(name),
            Invoice::STREAM_TYPE => has_event::<Invoice>(name),
            Rental::STREAM_TYPE => has_event::<Rental>(name),
            EquipmentUnit::STREAM_TYPE => has_event::<EquipmentUnit>(name),
            Supplier::STREAM_TYPE => has_event::<Supplier>(name),
            PurchaseOrder::STREAM_TYPE => has_event::<PurchaseOrder>(name),
            DeliveryOrder::STREAM_TYPE => has_event::<DeliveryOrder>(name),
            Consolidation::STREAM_TYPE => has_event::<Consolidation>(name),
            other => panic!("no aggregate for stream type {other}"),
        }
    }

    /// A misspelt name in a projection's list would leave its events in the database
    /// unseen, and the read model silently short.
    #[test]
    fn every_event_type_a_projection_reads_is_an_event_of_its_aggregates() {
        assert!(!stream_has_event(Invoice::STREAM_TYPE, "InvoiceIsued"));
        for projection in super::all() {
            for name in projection.event_types().unwrap_or_default() {
                assert!(
                    projection
                        .stream_types()
                        .iter()
                        .any(|stream_type| stream_has_event(stream_type, name)),
                    "{}: {name} is not an event of {:?}",
                    projection.name(),
                    projection.stream_types()
                );
            }
        }
    }
}
