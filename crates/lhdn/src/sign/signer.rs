//! Signing a document (LHDN.md §3.2): the returned bytes are the document to submit. They
//! are never parsed and written again, which would risk changing what was signed.

use chrono::{DateTime, Utc};
use rsa::pkcs1v15::Pkcs1v15Sign;
use rsa::sha2::{Digest as _, Sha256};

use super::digest::{
    RSA_SHA256, SIGNATURE_ID, SIGNATURE_INVOICE, SIGNED_PROPERTIES_ID, SIGNED_PROPERTIES_TYPE,
    XADES, base64, sha256_base64,
};
use super::properties::{
    digest, issuer_serial, properties_digest, qualifying_properties, sha256_method,
};
use super::transform::{TransformError, transform};
use super::{SignError, SigningIdentity};
use crate::json::{self, Step};
use crate::ubl::{
    Document, DocumentSignatures, ExtensionContent, KeyInfo, Method, Reference,
    SignatureInformation, SignatureObject, SignatureReference, SignedInfo, UblExtension,
    UblExtensions, X509Data, XadesSignature, text,
};

/// Where the signing time comes from: the system clock in production, a fixed instant in
/// tests (signatures are then reproducible to the byte).
pub trait Clock {
    fn now(&self) -> DateTime<Utc>;
}

#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

impl Clock for DateTime<Utc> {
    fn now(&self) -> DateTime<Utc> {
        *self
    }
}

/// Signs documents with the company's key.
#[derive(Debug)]
pub struct Signer<C: Clock = SystemClock> {
    identity: SigningIdentity,
    clock: C,
}

impl Signer<SystemClock> {
    pub fn new(identity: SigningIdentity) -> Self {
        Self::with_clock(identity, SystemClock)
    }
}

impl<C: Clock> Signer<C> {
    pub fn with_clock(identity: SigningIdentity, clock: C) -> Self {
        Self { identity, clock }
    }

    pub fn identity(&self) -> &SigningIdentity {
        &self.identity
    }

    /// Signs a mapped document.
    pub fn sign_document(&self, document: &Document) -> Result<Vec<u8>, SignError> {
        self.sign(&document.to_bytes())
    }

    /// Signs a UBL JSON document (pretty or minified; a signature already in it is
    /// replaced) and returns the minified, signed bytes to submit.
    pub fn sign(&self, document: &[u8]) -> Result<Vec<u8>, SignError> {
        let transformed = transform(document).map_err(|e| match e {
            TransformError::NotJson(why) => SignError::NotJson(why),
            TransformError::NotAnInvoice => SignError::NotAnInvoice,
        })?;
        let unsigned = &transformed.unsigned;
        check_version(unsigned)?;

        let certificate = self.identity.certificate();
        let document_digest = sha256_base64(unsigned);
        let signature_value = self
            .identity
            .key()
            .sign(Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(unsigned))
            .map_err(|e| SignError::Rsa(e.to_string()))?;
        let properties = qualifying_properties(certificate, self.clock.now());
        let properties_digest = properties_digest(&properties);

        let extensions = vec![UblExtensions {
            ubl_extension: vec![UblExtension {
                extension_uri: text(XADES),
                extension_content: vec![ExtensionContent {
                    ubl_document_signatures: vec![DocumentSignatures {
                        signature_information: vec![SignatureInformation {
                            id: text(SIGNATURE_ID),
                            referenced_signature_id: text(SIGNATURE_INVOICE),
                            signature: vec![XadesSignature {
                                id: "signature".to_owned(),
                                object: vec![SignatureObject {
                                    qualifying_properties: vec![properties],
                                }],
                                key_info: vec![KeyInfo {
                                    x509_data: vec![X509Data {
                                        certificate: text(base64(certificate.der())),
                                        subject_name: text(certificate.subject_name()),
                                        issuer_serial: vec![issuer_serial(certificate)],
                                    }],
                                }],
                                signature_value: text(base64(&signature_value)),
                                signed_info: vec![SignedInfo {
                                    signature_method: vec![Method {
                                        value: String::new(),
                                        algorithm: Some(RSA_SHA256.to_owned()),
                                    }],
                                    reference: vec![
                                        reference(
                                            SIGNED_PROPERTIES_TYPE,
                                            &format!("#{SIGNED_PROPERTIES_ID}"),
                                            &properties_digest,
                                        ),
                                        reference("", "", &document_digest),
                                    ],
                                }],
                            }],
                        }],
                    }],
                }],
            }],
        }];
        let signature = vec![SignatureReference {
            id: text(SIGNATURE_INVOICE),
            signature_method: vec![Method {
                value: XADES.to_owned(),
                algorithm: None,
            }],
        }];

        // The blocks go at the end of Invoice[0], as in the official samples; the bytes
        // before them are T, untouched.
        let close = transformed.invoice.end - 1;
        let mut signed = Vec::with_capacity(unsigned.len() + 8 * 1024);
        signed.extend_from_slice(&unsigned[..close]);
        signed.extend_from_slice(b",\"UBLExtensions\":");
        signed.extend_from_slice(&to_json(&extensions));
        signed.extend_from_slice(b",\"Signature\":");
        signed.extend_from_slice(&to_json(&signature));
        signed.extend_from_slice(&unsigned[close..]);
        Ok(signed)
    }
}

fn reference(reference_type: &str, uri: &str, value: &str) -> Reference {
    let digest = digest(value);
    Reference {
        reference_type: reference_type.to_owned(),
        uri: uri.to_owned(),
        digest_method: vec![sha256_method()],
        digest_value: digest.digest_value,
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> Vec<u8> {
    // Derived structs of strings: serialising them cannot fail.
    serde_json::to_vec(value).unwrap_or_default()
}

/// Only 1.1 (and 1.3) are signed: a signature on 1.0 is refused by LHDN
/// (`NoAdditionalPropertiesAllowed`), and a 1.1 without one too (Pitfall 14).
fn check_version(unsigned: &[u8]) -> Result<(), SignError> {
    let path = [
        Step::Key("Invoice"),
        Step::Index(0),
        Step::Key("InvoiceTypeCode"),
        Step::Index(0),
        Step::Key("listVersionID"),
    ];
    let version = json::find(unsigned, &path)
        .and_then(|span| serde_json::from_slice::<String>(&unsigned[span]).ok())
        .unwrap_or_default();
    match version.as_str() {
        "1.1" | "1.3" => Ok(()),
        _ => Err(SignError::UnsignedVersion(version)),
    }
}
