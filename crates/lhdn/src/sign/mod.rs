//! Signing with the company's certificate, exactly as LHDN.md §3.2 (verified against every
//! official signed sample), and the pieces the verifier shares.

mod certificate;
pub(crate) mod digest;
mod error;
mod keystore;
pub(crate) mod names;
mod password;
pub(crate) mod properties;
mod signer;
pub(crate) mod transform;

pub use certificate::SigningCertificate;
pub use error::SignError;
pub use keystore::SigningIdentity;
pub use names::{
    ORGANIZATION_IDENTIFIER, SERIAL_NUMBER, attribute_text, decimal_serial, distinguished_name,
};
pub use password::Password;
pub use properties::{properties_digest, qualifying_properties, signing_time};
pub use signer::{Clock, Signer, SystemClock};

/// The DocDigest of a document: SHA-256 over its transform, base64.
pub fn document_digest(document: &[u8]) -> Result<String, SignError> {
    transform::transform(document)
        .map(|t| digest::sha256_base64(&t.unsigned))
        .map_err(|e| match e {
            transform::TransformError::NotJson(why) => SignError::NotJson(why),
            transform::TransformError::NotAnInvoice => SignError::NotAnInvoice,
        })
}
