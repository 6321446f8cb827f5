//! The event store test suite. Every test runs against SQLite and against PostgreSQL.
#![allow(clippy::unwrap_used)]

mod suite {
    pub mod concurrency;
    pub mod feed;
    pub mod handler;
    pub mod immutability;
    pub mod numbering;
    pub mod store;
    pub mod tally;
}
