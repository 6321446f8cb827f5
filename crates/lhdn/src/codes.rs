//! LHDN's signature validator codes (DS300–DS338, as published by PosDigicert; LHDN.md
//! §3.4). The verifier reports each check under the code LHDN would return for it.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SignatureCode {
    Ds300,
    Ds301,
    Ds302,
    Ds303,
    Ds304,
    Ds305,
    Ds306,
    Ds307,
    Ds311,
    Ds313,
    Ds314,
    Ds315,
    Ds316,
    Ds317,
    Ds318,
    Ds319,
    Ds320,
    Ds321,
    Ds322,
    Ds323,
    Ds324,
    Ds325,
    Ds326,
    Ds327,
    Ds328,
    Ds329,
    Ds331,
    Ds332,
    Ds333,
    Ds336,
}

impl SignatureCode {
    pub fn code(self) -> &'static str {
        self.entry().0
    }

    /// What the check is about, in LHDN's terms.
    pub fn meaning(self) -> &'static str {
        self.entry().1
    }

    fn entry(self) -> (&'static str, &'static str) {
        match self {
            Self::Ds300 => ("DS300", "document parses"),
            Self::Ds301 => ("DS301", "signature present"),
            Self::Ds302 => ("DS302", "exactly one signature"),
            Self::Ds303 => ("DS303", "SigningTime present"),
            Self::Ds304 => ("DS304", "SigningTime within the certificate's validity"),
            Self::Ds305 => ("DS305", "certificate readable"),
            Self::Ds306 => ("DS306", "certificate SERIALNUMBER (BRN) not empty"),
            Self::Ds307 => (
                "DS307",
                "certificate organizationIdentifier (TIN) not empty",
            ),
            Self::Ds311 => ("DS311", "certificate TIN is the submitter's"),
            Self::Ds313 => ("DS313", "CertDigest method is SHA-256"),
            Self::Ds314 => ("DS314", "DocDigest method is SHA-256"),
            Self::Ds315 => ("DS315", "PropsDigest method is SHA-256"),
            Self::Ds316 => ("DS316", "signature method is RSA-SHA256"),
            Self::Ds317 => ("DS317", "CertDigest present"),
            Self::Ds318 => ("DS318", "CertDigest matches the certificate"),
            Self::Ds319 => ("DS319", "PropsDigest present"),
            Self::Ds320 => ("DS320", "PropsDigest matches the signed properties"),
            Self::Ds321 => ("DS321", "DocDigest present"),
            Self::Ds322 => ("DS322", "DocDigest matches the document"),
            Self::Ds323 => ("DS323", "cac:Signature method is the XAdES URN"),
            Self::Ds324 => ("DS324", "X509IssuerName present"),
            Self::Ds325 => ("DS325", "X509SerialNumber present"),
            Self::Ds326 => ("DS326", "X509IssuerName matches the certificate"),
            Self::Ds327 => ("DS327", "X509SerialNumber is a decimal number"),
            Self::Ds328 => ("DS328", "X509SerialNumber matches the certificate"),
            Self::Ds329 => ("DS329", "certificate issued by a trusted CA"),
            Self::Ds331 => ("DS331", "signature structure readable"),
            Self::Ds332 => ("DS332", "SignatureValue not empty"),
            Self::Ds333 => ("DS333", "SignatureValue verifies"),
            Self::Ds336 => ("DS336", "SigningTime readable"),
        }
    }
}

impl fmt::Display for SignatureCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}
