//! LHDN MyInvois: the UBL 2.1 JSON mapping of issued invoices and notes ([`map`]), signing
//! with the company's .p12 certificate ([`sign`]) and checking a signed document the way
//! LHDN's signature validator does ([`verify`]), and the MyInvois API client ([`client`]).

pub mod client;
pub mod codes;
pub mod map;
pub mod sign;
pub mod ubl;
pub mod verify;

#[cfg(feature = "test-pki")]
pub mod testing;

mod json;

pub use json::minify;
