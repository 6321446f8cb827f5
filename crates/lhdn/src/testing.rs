//! A test CA and company signing certificate, made on the fly (no key is checked in), with
//! the profile LHDN requires (LHDN.md §3.1): subject C, O, organizationIdentifier = TIN,
//! serialNumber = BRN, CN; RSA 2048; non-repudiation; document-signing EKU.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use p12_keystore::{
    Certificate, EncryptionAlgorithm, KeyStore, KeyStoreEntry, MacAlgorithm, PrivateKey,
    PrivateKeyChain,
};
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, PKCS_RSA_SHA256, date_time_ymd,
};

use crate::sign::{Password, SigningIdentity};
use crate::verify::TrustAnchors;

pub const TEST_TIN: &str = "C25845632020";
pub const TEST_BRN: &str = "202001234567";
pub const TEST_PASSWORD: &str = "test-password";

/// A CA and a company certificate it issued, valid 2026-01-01 to 2036-01-01 (the CLI signs with the real clock).
#[derive(Debug)]
pub struct TestPki {
    pub ca_der: Vec<u8>,
    pub ca_pem: String,
    pub company_der: Vec<u8>,
    /// Key, company certificate and CA certificate, encrypted with [`TEST_PASSWORD`].
    pub p12: Vec<u8>,
    /// The same, in the legacy form (3DES, SHA-1 MAC) of many Windows-exported .pfx files.
    pub legacy_p12: Vec<u8>,
}

/// The files an operator would have: `company.p12`, `password`, `ca.pem`.
#[derive(Debug)]
pub struct TestFiles {
    pub p12: PathBuf,
    pub password: PathBuf,
    pub ca: PathBuf,
}

impl TestPki {
    pub fn new() -> Self {
        Self::named("Niaga Test Root CA", TEST_TIN)
    }

    /// Another CA's PKI, with the company TIN `tin`.
    pub fn named(ca_name: &str, tin: &str) -> Self {
        let ca_key = KeyPair::generate_for(&PKCS_RSA_SHA256).expect("RSA key");
        let mut ca = CertificateParams::default();
        ca.distinguished_name = DistinguishedName::new();
        // Encoded C, O, OU, CN like PosDigicert's, so the issuer name must be reversed.
        ca.distinguished_name.push(DnType::CountryName, "MY");
        ca.distinguished_name
            .push(DnType::OrganizationName, "Niaga Test CA");
        ca.distinguished_name
            .push(DnType::OrganizationalUnitName, "For testing only");
        ca.distinguished_name.push(DnType::CommonName, ca_name);
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        ca.not_before = date_time_ymd(2025, 1, 1);
        ca.not_after = date_time_ymd(2035, 1, 1);
        let ca_cert = ca.self_signed(&ca_key).expect("CA certificate");
        let issuer = Issuer::new(ca, ca_key);

        let key = KeyPair::generate_for(&PKCS_RSA_SHA256).expect("RSA key");
        let mut company = CertificateParams::default();
        company.distinguished_name = DistinguishedName::new();
        company.distinguished_name.push(DnType::CountryName, "MY");
        company
            .distinguished_name
            .push(DnType::OrganizationName, "Niaga Test Sdn Bhd");
        company
            .distinguished_name
            .push(DnType::CustomDnType(vec![2, 5, 4, 97]), tin);
        company
            .distinguished_name
            .push(DnType::CustomDnType(vec![2, 5, 4, 5]), TEST_BRN);
        company
            .distinguished_name
            .push(DnType::CommonName, "Niaga Test Sdn Bhd");
        company.key_usages = vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::ContentCommitment,
        ];
        company.extended_key_usages = vec![ExtendedKeyUsagePurpose::Other(vec![
            1, 3, 6, 1, 4, 1, 311, 10, 3, 12,
        ])];
        company.not_before = date_time_ymd(2026, 1, 1);
        company.not_after = date_time_ymd(2036, 1, 1);
        let company_cert = company
            .signed_by(&key, &issuer)
            .expect("company certificate");

        let chain = PrivateKeyChain::new(
            b"company".to_vec(),
            PrivateKey::from_der(&key.serialize_der()).expect("PKCS#8 key"),
            [
                Certificate::from_der(company_cert.der()).expect("company certificate"),
                Certificate::from_der(ca_cert.der()).expect("CA certificate"),
            ],
        );
        let mut store = KeyStore::new();
        store.add_entry("company", KeyStoreEntry::PrivateKeyChain(chain));
        let p12 = store.writer(TEST_PASSWORD).write().expect("PKCS#12");
        let legacy_p12 = store
            .writer(TEST_PASSWORD)
            .encryption_algorithm(EncryptionAlgorithm::PbeWithShaAnd3KeyTripleDesCbc)
            .mac_algorithm(MacAlgorithm::HmacSha1)
            .write()
            .expect("legacy PKCS#12");
        Self {
            ca_der: ca_cert.der().to_vec(),
            ca_pem: ca_cert.pem(),
            company_der: company_cert.der().to_vec(),
            p12,
            legacy_p12,
        }
    }

    pub fn identity(&self) -> SigningIdentity {
        SigningIdentity::from_p12(&self.p12, &Password::new(TEST_PASSWORD.to_owned()))
            .expect("the test .p12 opens")
    }

    pub fn trust(&self) -> TrustAnchors {
        TrustAnchors::from_der(&self.ca_der).expect("the test CA parses")
    }

    /// Writes the operator's files into `dir`.
    pub fn write_to(&self, dir: &Path) -> TestFiles {
        let files = TestFiles {
            p12: dir.join("company.p12"),
            password: dir.join("password"),
            ca: dir.join("ca.pem"),
        };
        std::fs::write(&files.p12, &self.p12).unwrap();
        std::fs::write(&files.password, format!("{TEST_PASSWORD}\n")).unwrap();
        std::fs::write(&files.ca, &self.ca_pem).unwrap();
        files
    }
}

impl Default for TestPki {
    fn default() -> Self {
        Self::new()
    }
}
