//! LHDN MyInvois: the UBL 2.1 JSON mapping of issued invoices and notes ([`map`]), signing
//! with the company's .p12 certificate ([`sign`]) and checking a signed document the way
//! LHDN's signature validator does ([`verify`]). The MyInvois client, the submitter and
//! `lhdn-sandbox` will follow.

pub mod codes;
pub mod map;
pub mod sign;
pub mod ubl;
pub mod verify;

#[cfg(feature = "test-pki")]
pub mod testing;

mod json;

pub use json::minify;
