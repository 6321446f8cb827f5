//! The signing certificate: its DER bytes and what the signature says about it.

use der::{Decode, Encode};
use rsa::PublicKey;
use rsa::pkcs8::DecodePublicKey;
use x509_cert::Certificate;

use super::SignError;
use super::names::{decimal_serial, distinguished_name};

/// A parsed X.509 certificate with the figures the signature repeats.
#[derive(Debug, Clone)]
pub struct SigningCertificate {
    der: Vec<u8>,
    parsed: Certificate,
}

impl SigningCertificate {
    pub fn from_der(der: &[u8]) -> Result<Self, SignError> {
        let parsed =
            Certificate::from_der(der).map_err(|e| SignError::Certificate(e.to_string()))?;
        Ok(Self {
            der: der.to_vec(),
            parsed,
        })
    }

    pub fn der(&self) -> &[u8] {
        &self.der
    }

    pub fn parsed(&self) -> &Certificate {
        &self.parsed
    }

    /// `X509IssuerName`.
    pub fn issuer_name(&self) -> String {
        distinguished_name(self.parsed.tbs_certificate().issuer())
    }

    /// `X509SubjectName`. (The official samples put the issuer here; nothing suggests LHDN
    /// checks it, and the subject is what the name says.)
    pub fn subject_name(&self) -> String {
        distinguished_name(self.parsed.tbs_certificate().subject())
    }

    /// `X509SerialNumber`, in decimal.
    pub fn serial(&self) -> String {
        decimal_serial(self.parsed.tbs_certificate().serial_number().as_bytes())
    }

    /// The certificate's RSA public key.
    pub fn public_key(&self) -> Result<PublicKey, SignError> {
        let spki = self
            .parsed
            .tbs_certificate()
            .subject_public_key_info()
            .to_der()
            .map_err(|e| SignError::Certificate(e.to_string()))?;
        PublicKey::from_public_key_der(&spki).map_err(|_| SignError::NotRsa)
    }
}
