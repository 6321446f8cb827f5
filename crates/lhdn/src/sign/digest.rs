//! The digests of LHDN.md §3.2 and the identifiers the signature names them by.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rsa::sha2::{Digest, Sha256};

pub const SHA256: &str = "http://www.w3.org/2001/04/xmlenc#sha256";
pub const RSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
pub const XADES: &str = "urn:oasis:names:specification:ubl:dsig:enveloped:xades";
pub const SIGNATURE_ID: &str = "urn:oasis:names:specification:ubl:signature:1";
pub const SIGNATURE_INVOICE: &str = "urn:oasis:names:specification:ubl:signature:Invoice";
pub const SIGNED_PROPERTIES_TYPE: &str = "http://uri.etsi.org/01903/v1.3.2#SignedProperties";
pub const SIGNED_PROPERTIES_ID: &str = "id-xades-signed-props";

/// Base64 of the raw 32-byte SHA-256 (44 characters): not of its hex form (Pitfall 4).
pub fn sha256_base64(bytes: &[u8]) -> String {
    STANDARD.encode(Sha256::digest(bytes))
}

pub fn base64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

pub fn unbase64(text: &str) -> Option<Vec<u8>> {
    STANDARD.decode(text).ok()
}
