//! The signed properties (`QualifyingProperties`) and their digest.

use chrono::{DateTime, Utc};

use super::SigningCertificate;
use super::digest::{SHA256, SIGNED_PROPERTIES_ID, sha256_base64};
use crate::ubl::{
    CertReference, Digest, IssuerSerial, Method, QualifyingProperties, SignedProperties,
    SignedSignatureProperties, SigningCertificate as CertElement, text,
};

/// `SigningTime`'s form: UTC, to the second, with `Z` (Pitfall 5).
pub fn signing_time(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// What the signer certifies about the signature: when, and with which certificate.
pub fn qualifying_properties(
    certificate: &SigningCertificate,
    signed_at: DateTime<Utc>,
) -> QualifyingProperties {
    QualifyingProperties {
        target: "signature".to_owned(),
        signed_properties: vec![SignedProperties {
            id: SIGNED_PROPERTIES_ID.to_owned(),
            signed_signature_properties: vec![SignedSignatureProperties {
                signing_time: text(signing_time(signed_at)),
                signing_certificate: vec![CertElement {
                    cert: vec![CertReference {
                        cert_digest: vec![digest(&sha256_base64(certificate.der()))],
                        issuer_serial: vec![issuer_serial(certificate)],
                    }],
                }],
            }],
        }],
    }
}

/// The PropsDigest: over the whole minified `QualifyingProperties`, `Target` included
/// (hashing `SignedProperties` alone is the classic DS320, Pitfall 2).
pub fn properties_digest(properties: &QualifyingProperties) -> String {
    sha256_base64(&serde_json::to_vec(properties).unwrap_or_default())
}

pub(super) fn digest(value: &str) -> Digest {
    Digest {
        digest_method: vec![sha256_method()],
        digest_value: text(value),
    }
}

pub(super) fn sha256_method() -> Method {
    Method {
        value: String::new(),
        algorithm: Some(SHA256.to_owned()),
    }
}

pub(super) fn issuer_serial(certificate: &SigningCertificate) -> IssuerSerial {
    IssuerSerial {
        issuer_name: text(certificate.issuer_name()),
        serial_number: text(certificate.serial()),
    }
}
