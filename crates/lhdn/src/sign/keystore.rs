//! The company's signing key and certificate, from its .p12 (.pfx) file.

use std::fmt;
use std::path::Path;

use p12_keystore::{KeyStore, KeyStoreEntry, Pkcs12ImportPolicy};
use rsa::PrivateKey;
use rsa::pkcs8::DecodePrivateKey;

use super::{Password, SignError, SigningCertificate};

/// The private key and the certificate that goes with it.
pub struct SigningIdentity {
    key: PrivateKey,
    certificate: SigningCertificate,
}

impl SigningIdentity {
    /// Opens the .p12 at `path` (both the modern AES/PBKDF2 form and the legacy 3DES/RC2
    /// form Windows exports).
    pub fn from_p12_file(path: &Path, password: &Password) -> Result<Self, SignError> {
        let bytes = std::fs::read(path).map_err(|source| SignError::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::from_p12(&bytes, password)
    }

    pub fn from_p12(bytes: &[u8], password: &Password) -> Result<Self, SignError> {
        let store = KeyStore::from_pkcs12(bytes, password.expose(), Pkcs12ImportPolicy::Relaxed)
            .map_err(|e| SignError::Pkcs12(e.to_string()))?;
        let (_, chain) = store.private_key_chain().ok_or(SignError::NoPrivateKey)?;
        let key =
            PrivateKey::from_pkcs8_der(chain.key().as_der()).map_err(|_| SignError::NotRsa)?;
        let public = key.to_public_key();
        // A CA's .p12 also carries the CA certificate (and may list it first): the signing
        // certificate is the one whose public key is ours.
        let standalone = store.entries().filter_map(|(_, entry)| match entry {
            KeyStoreEntry::Certificate(cert) => Some(cert),
            KeyStoreEntry::PrivateKeyChain(_) | KeyStoreEntry::Secret(_) => None,
        });
        let certificate = chain
            .certs()
            .iter()
            .chain(standalone)
            .filter_map(|cert| SigningCertificate::from_der(cert.as_der()).ok())
            .find(|cert| cert.public_key().is_ok_and(|key| key == public))
            .ok_or(SignError::NoCertificateForKey)?;
        Ok(Self { key, certificate })
    }

    pub fn certificate(&self) -> &SigningCertificate {
        &self.certificate
    }

    pub(super) fn key(&self) -> &PrivateKey {
        &self.key
    }
}

impl fmt::Debug for SigningIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningIdentity")
            .field("key", &"[redacted]")
            .field("subject", &self.certificate.subject_name())
            .finish()
    }
}
