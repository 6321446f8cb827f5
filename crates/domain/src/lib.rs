//! Niaga's domain: plain data and pure functions.
//!
//! Every aggregate is a *decider* ([`Aggregate`]): `decide` turns a command and the current
//! state into events or a refusal, `evolve` folds an event into the state. Nothing here reads
//! a clock, touches a database or awaits: what a decision needs from outside arrives in the
//! command or in the [`Ctx`].

pub mod aggregate;
pub mod billing;
pub mod consolidation;
pub mod ctx;
pub mod customer;
pub mod delivery_order;
pub mod einvoice;
pub mod equipment;
pub mod ids;
pub mod invoice;
pub mod issued_pdf;
pub mod money;
pub mod purchase_order;
pub mod quotation;
pub mod rental;
pub mod supplier;
pub mod tax;
pub mod testing;
pub mod values;

pub use aggregate::{Aggregate, DomainEvent, UpcastError};
pub use ctx::{Actor, Ctx, business_day, business_time, start_of_business_day};
pub use issued_pdf::{PdfIssued, PdfKind, record_pdf};
pub use money::{Currency, Money, MoneyError};
