//! Typed identifiers. Each is a UUID (version 7, made at the edge where the clock is read)
//! wrapped so that a customer id can never be passed where an invoice id is expected.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            pub const fn from_uuid(id: Uuid) -> Self {
                Self(id)
            }

            pub const fn as_uuid(&self) -> &Uuid {
                &self.0
            }
        }

        impl From<Uuid> for $name {
            fn from(id: Uuid) -> Self {
                Self(id)
            }
        }

        impl std::str::FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

typed_id!(
    /// A customer (the stream id of the Customer aggregate).
    CustomerId
);
typed_id!(
    /// A contact person of a customer.
    ContactId
);
typed_id!(
    /// A sales opportunity in a customer's pipeline.
    OpportunityId
);
typed_id!(
    /// A recorded note or interaction with a customer.
    InteractionId
);
typed_id!(
    /// A staff user.
    UserId
);
typed_id!(
    /// A quotation (the stream id of the Quotation aggregate), with all its revisions.
    QuotationId
);
typed_id!(
    /// An invoice (the stream id of the Invoice aggregate).
    InvoiceId
);
typed_id!(
    /// A payment received against an invoice.
    PaymentId
);
typed_id!(
    /// A credit, debit or refund note, recorded on the stream of the invoice it corrects.
    NoteId
);
typed_id!(
    /// A rented-out equipment unit such as a calibrated test weight (the stream id of the
    /// EquipmentUnit aggregate).
    EquipmentUnitId
);
typed_id!(
    /// A rental of one or more equipment units to a customer (the stream id of the Rental
    /// aggregate).
    RentalId
);
typed_id!(
    /// A delivery order (the stream id of the DeliveryOrder aggregate), which a rental's
    /// check-out may refer to.
    DeliveryOrderId
);
typed_id!(
    /// A supplier the company buys from (the stream id of the Supplier aggregate).
    SupplierId
);
typed_id!(
    /// A purchase order to a supplier (the stream id of the PurchaseOrder aggregate).
    PurchaseOrderId
);
typed_id!(
    /// One delivery of goods received against a purchase order, made by the caller so that
    /// a retried receipt is recognised.
    GoodsReceiptId
);
typed_id!(
    /// A signature link sent to a customer for one delivery order.
    SignatureLinkId
);
