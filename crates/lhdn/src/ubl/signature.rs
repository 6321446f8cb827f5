//! The enveloped XAdES signature as UBL JSON carries it (LHDN.md §3.2 step 8).

use serde::{Deserialize, Serialize};

use super::{Method, Text};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UblExtensions {
    #[serde(rename = "UBLExtension")]
    pub ubl_extension: Vec<UblExtension>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UblExtension {
    #[serde(rename = "ExtensionURI")]
    pub extension_uri: Vec<Text>,
    #[serde(rename = "ExtensionContent")]
    pub extension_content: Vec<ExtensionContent>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtensionContent {
    #[serde(rename = "UBLDocumentSignatures")]
    pub ubl_document_signatures: Vec<DocumentSignatures>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct DocumentSignatures {
    pub signature_information: Vec<SignatureInformation>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SignatureInformation {
    #[serde(rename = "ID")]
    pub id: Vec<Text>,
    #[serde(rename = "ReferencedSignatureID")]
    pub referenced_signature_id: Vec<Text>,
    pub signature: Vec<XadesSignature>,
}

/// The `ds:Signature`: `Id`, `Target`, `URI` and `Type` are plain strings in UBL JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct XadesSignature {
    pub id: String,
    pub object: Vec<SignatureObject>,
    pub key_info: Vec<KeyInfo>,
    pub signature_value: Vec<Text>,
    pub signed_info: Vec<SignedInfo>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SignatureObject {
    pub qualifying_properties: Vec<QualifyingProperties>,
}

/// Hashed whole, `Target` included, for the SignedProperties reference (Pitfall 2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct QualifyingProperties {
    pub target: String,
    pub signed_properties: Vec<SignedProperties>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SignedProperties {
    pub id: String,
    pub signed_signature_properties: Vec<SignedSignatureProperties>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SignedSignatureProperties {
    pub signing_time: Vec<Text>,
    pub signing_certificate: Vec<SigningCertificate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SigningCertificate {
    pub cert: Vec<CertReference>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct CertReference {
    pub cert_digest: Vec<Digest>,
    pub issuer_serial: Vec<IssuerSerial>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Digest {
    pub digest_method: Vec<Method>,
    pub digest_value: Vec<Text>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssuerSerial {
    #[serde(rename = "X509IssuerName")]
    pub issuer_name: Vec<Text>,
    #[serde(rename = "X509SerialNumber")]
    pub serial_number: Vec<Text>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyInfo {
    #[serde(rename = "X509Data")]
    pub x509_data: Vec<X509Data>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct X509Data {
    #[serde(rename = "X509Certificate")]
    pub certificate: Vec<Text>,
    #[serde(rename = "X509SubjectName")]
    pub subject_name: Vec<Text>,
    #[serde(rename = "X509IssuerSerial")]
    pub issuer_serial: Vec<IssuerSerial>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SignedInfo {
    pub signature_method: Vec<Method>,
    pub reference: Vec<Reference>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    #[serde(rename = "Type")]
    pub reference_type: String,
    #[serde(rename = "URI")]
    pub uri: String,
    #[serde(rename = "DigestMethod")]
    pub digest_method: Vec<Method>,
    #[serde(rename = "DigestValue")]
    pub digest_value: Vec<Text>,
}

/// `cac:Signature`, pointing at the signature in the extensions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SignatureReference {
    #[serde(rename = "ID")]
    pub id: Vec<Text>,
    pub signature_method: Vec<Method>,
}
