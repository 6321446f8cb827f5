//! The trust anchors a signing certificate must chain to (DS329): LHDN accepts certificates
//! of Malaysian licensed CAs; tests and the sandbox configure their own test CA.

use der::{Decode, Encode};
use rsa::pkcs1v15::Pkcs1v15Sign;
use rsa::sha2::{Digest, Sha256};
use x509_cert::Certificate;

use crate::sign::SigningCertificate;

/// sha256WithRSAEncryption: the only certificate signature we can check (LHDN requires RSA
/// and SHA-256).
const SHA256_WITH_RSA: &str = "1.2.840.113549.1.1.11";

#[derive(Debug, Clone, Default)]
pub struct TrustAnchors {
    certificates: Vec<Certificate>,
}

impl TrustAnchors {
    /// The CA certificates in a PEM file (one or more).
    pub fn from_pem(pem: &[u8]) -> Result<Self, String> {
        let certificates = Certificate::load_pem_chain(pem).map_err(|e| e.to_string())?;
        if certificates.is_empty() {
            return Err("no certificate in the PEM file".to_owned());
        }
        Ok(Self { certificates })
    }

    pub fn from_der(der: &[u8]) -> Result<Self, String> {
        Certificate::from_der(der)
            .map(|c| Self {
                certificates: vec![c],
            })
            .map_err(|e| e.to_string())
    }

    pub fn add(&mut self, other: Self) {
        self.certificates.extend(other.certificates);
    }

    pub fn is_empty(&self) -> bool {
        self.certificates.is_empty()
    }

    /// Whether one of the anchors issued `leaf` (its name is the leaf's issuer and its key
    /// signed the leaf). A self-signed leaf passes only if it is itself an anchor.
    pub(super) fn issued(&self, leaf: &SigningCertificate) -> Result<(), String> {
        let leaf = leaf.parsed();
        let tbs = leaf.tbs_certificate();
        if leaf.signature_algorithm().oid.to_string() != SHA256_WITH_RSA {
            return Err("the certificate is not signed with sha256WithRSAEncryption".to_owned());
        }
        let signed = tbs.to_der().map_err(|e| e.to_string())?;
        let signature = leaf.signature().raw_bytes();
        let hash = Sha256::digest(&signed);
        let issued = self.certificates.iter().any(|ca| {
            ca.tbs_certificate().subject() == tbs.issuer()
                && ca
                    .to_der()
                    .ok()
                    .and_then(|der| SigningCertificate::from_der(&der).ok())
                    .and_then(|ca| ca.public_key().ok())
                    .is_some_and(|key| {
                        key.verify(Pkcs1v15Sign::new::<Sha256>(), &hash, signature)
                            .is_ok()
                    })
        });
        if issued {
            Ok(())
        } else if tbs.issuer() == tbs.subject() {
            Err("the certificate is self-signed".to_owned())
        } else {
            Err("no trusted CA issued the certificate".to_owned())
        }
    }
}
