//! Why a document could not be signed. Never holds the password or key material.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the password file is empty")]
    EmptyPassword,
    #[error("cannot open the .p12 file (wrong password, or not PKCS#12): {0}")]
    Pkcs12(String),
    #[error("the .p12 file holds no private key")]
    NoPrivateKey,
    #[error("the .p12 file holds no certificate for its private key")]
    NoCertificateForKey,
    #[error("the signing key is not an RSA key: LHDN accepts RSA only")]
    NotRsa,
    #[error("the certificate cannot be read: {0}")]
    Certificate(String),
    #[error("the document is not JSON: {0}")]
    NotJson(String),
    #[error("the document has no Invoice[0] object")]
    NotAnInvoice,
    #[error(
        "the document is version {0}: only versions 1.1 and 1.3 are signed (LHDN refuses a signature on the others)"
    )]
    UnsignedVersion(String),
    #[error("RSA signing failed: {0}")]
    Rsa(String),
}
