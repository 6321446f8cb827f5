//! The checks, in the order LHDN's validator reports them.

use chrono::{DateTime, NaiveDateTime, Utc};
use rsa::pkcs1v15::Pkcs1v15Sign;
use rsa::sha2::{Digest as _, Sha256};
use serde::de::DeserializeOwned;

use super::{Outcome, Report, VerifyOptions};
use crate::codes::SignatureCode::{self, *};
use crate::json::{self, Step};
use crate::sign::SigningCertificate;
use crate::sign::digest::{
    RSA_SHA256, SHA256, SIGNED_PROPERTIES_TYPE, XADES, sha256_base64, unbase64,
};
use crate::sign::names::{ORGANIZATION_IDENTIFIER, SERIAL_NUMBER, attribute_text};
use crate::sign::transform::{TransformError, transform};
use crate::ubl::{
    Digest, IssuerSerial, Method, QualifyingProperties, SignatureReference, Text, UblExtensions,
    XadesSignature,
};

const EXTENSIONS: [Step<'static>; 3] = [
    Step::Key("Invoice"),
    Step::Index(0),
    Step::Key("UBLExtensions"),
];
const SIGNATURE: [Step<'static>; 3] =
    [Step::Key("Invoice"), Step::Index(0), Step::Key("Signature")];
const QUALIFYING_PROPERTIES: [Step<'static>; 18] = [
    Step::Key("Invoice"),
    Step::Index(0),
    Step::Key("UBLExtensions"),
    Step::Index(0),
    Step::Key("UBLExtension"),
    Step::Index(0),
    Step::Key("ExtensionContent"),
    Step::Index(0),
    Step::Key("UBLDocumentSignatures"),
    Step::Index(0),
    Step::Key("SignatureInformation"),
    Step::Index(0),
    Step::Key("Signature"),
    Step::Index(0),
    Step::Key("Object"),
    Step::Index(0),
    Step::Key("QualifyingProperties"),
    Step::Index(0),
];

pub(super) fn run(bytes: &[u8], options: &VerifyOptions, report: &mut Report) {
    let transformed = match transform(bytes) {
        Ok(t) => t,
        Err(TransformError::NotJson(why)) => return report.record(Ds300, Outcome::Failed(why)),
        Err(TransformError::NotAnInvoice) => {
            return report.record(Ds300, Outcome::Failed("no Invoice[0] object".to_owned()));
        }
    };
    report.record(Ds300, Outcome::Passed);
    let doc = &transformed.minified;

    let Some(extensions) = json::find(doc, &EXTENSIONS) else {
        return report.record(Ds301, Outcome::Failed("no UBLExtensions".to_owned()));
    };
    report.record(Ds301, Outcome::Passed);
    let extensions: Vec<UblExtensions> = match parse(&doc[extensions]) {
        Ok(e) => e,
        Err(why) => return report.record(Ds331, Outcome::Failed(why)),
    };
    let signatures: Vec<&XadesSignature> = extensions
        .iter()
        .flat_map(|e| &e.ubl_extension)
        .flat_map(|e| &e.extension_content)
        .flat_map(|c| &c.ubl_document_signatures)
        .flat_map(|s| &s.signature_information)
        .flat_map(|i| &i.signature)
        .collect();
    let [signature] = signatures[..] else {
        return report.record(
            Ds302,
            Outcome::Failed(format!("{} signatures", signatures.len())),
        );
    };
    report.record(Ds302, Outcome::Passed);
    report.record(Ds331, Outcome::Passed);

    let reference: Option<Vec<SignatureReference>> =
        json::find(doc, &SIGNATURE).and_then(|span| parse(&doc[span]).ok());
    let method = reference
        .as_ref()
        .and_then(|r| r.first())
        .and_then(|r| r.signature_method.first())
        .map(|m| m.value.as_str());
    report.pass_if(Ds323, method == Some(XADES), || {
        format!("cac:Signature method is {method:?}")
    });

    let signed_info = signature.signed_info.first();
    let method = signed_info
        .and_then(|s| s.signature_method.first())
        .and_then(|m| m.algorithm.as_deref());
    report.pass_if(Ds316, method == Some(RSA_SHA256), || {
        format!("signature method is {method:?}")
    });
    let references = signed_info
        .map(|s| s.reference.as_slice())
        .unwrap_or_default();
    let document_reference = references.iter().find(|r| r.uri.is_empty());
    let properties_reference = references
        .iter()
        .find(|r| r.reference_type == SIGNED_PROPERTIES_TYPE);

    digest_checks(
        report,
        [Ds321, Ds314, Ds322],
        document_reference.map(|r| (&r.digest_method[..], &r.digest_value[..])),
        &sha256_base64(&transformed.unsigned),
        "the document was changed after signing",
    );
    let properties_bytes = json::find(doc, &QUALIFYING_PROPERTIES).map(|span| &doc[span]);
    digest_checks(
        report,
        [Ds319, Ds315, Ds320],
        properties_reference.map(|r| (&r.digest_method[..], &r.digest_value[..])),
        &properties_bytes.map(sha256_base64).unwrap_or_default(),
        "the signed properties were changed after signing",
    );
    let properties: Option<QualifyingProperties> = properties_bytes.and_then(|b| parse(b).ok());

    let certificate = signature
        .key_info
        .first()
        .and_then(|k| k.x509_data.first())
        .and_then(|x| first_text(&x.certificate))
        .and_then(unbase64)
        .map(|der| SigningCertificate::from_der(&der));
    let certificate = match certificate {
        Some(Ok(certificate)) => {
            report.record(Ds305, Outcome::Passed);
            certificate
        }
        Some(Err(why)) => return report.record(Ds305, Outcome::Failed(why.to_string())),
        None => {
            return report.record(Ds305, Outcome::Failed("no X509Certificate".to_owned()));
        }
    };

    let cert_element = properties
        .as_ref()
        .and_then(|p| p.signed_properties.first())
        .and_then(|p| p.signed_signature_properties.first());
    let cert_reference = cert_element
        .and_then(|p| p.signing_certificate.first())
        .and_then(|c| c.cert.first());
    let cert_digest: Option<&Digest> = cert_reference.and_then(|c| c.cert_digest.first());
    digest_checks(
        report,
        [Ds317, Ds313, Ds318],
        cert_digest.map(|d| (&d.digest_method[..], &d.digest_value[..])),
        &sha256_base64(certificate.der()),
        "CertDigest is not the digest of the certificate in KeyInfo",
    );

    let key_info_serial = signature
        .key_info
        .first()
        .and_then(|k| k.x509_data.first())
        .and_then(|x| x.issuer_serial.first());
    let serials: Vec<&IssuerSerial> = cert_reference
        .and_then(|c| c.issuer_serial.first())
        .into_iter()
        .chain(key_info_serial)
        .collect();
    issuer_serial_checks(report, &serials, &certificate);

    let signing_time = cert_element.and_then(|p| first_text(&p.signing_time));
    time_checks(report, signing_time, &certificate);

    let subject = certificate.parsed().tbs_certificate().subject();
    let brn = attribute_text(subject, SERIAL_NUMBER).unwrap_or_default();
    report.pass_if(Ds306, !brn.trim().is_empty(), || {
        "the certificate subject has no SERIALNUMBER".to_owned()
    });
    let tin = attribute_text(subject, ORGANIZATION_IDENTIFIER).unwrap_or_default();
    report.pass_if(Ds307, !tin.trim().is_empty(), || {
        "the certificate subject has no organizationIdentifier".to_owned()
    });
    match &options.submitter_tin {
        Some(expected) => report.pass_if(Ds311, &tin == expected, || {
            format!("certificate TIN {tin}, submitter {expected}")
        }),
        None => report.record(Ds311, Outcome::Skipped("no submitter TIN given".to_owned())),
    }

    let value = first_text(&signature.signature_value).unwrap_or_default();
    report.pass_if(Ds332, !value.is_empty(), || {
        "SignatureValue is empty".to_owned()
    });
    let verified = unbase64(value)
        .zip(certificate.public_key().ok())
        .is_some_and(|(signature, key)| {
            key.verify(
                Pkcs1v15Sign::new::<Sha256>(),
                &Sha256::digest(&transformed.unsigned),
                &signature,
            )
            .is_ok()
        });
    report.pass_if(Ds333, verified, || {
        "the RSA signature does not verify over the document with the certificate's key".to_owned()
    });

    if options.trust.is_empty() {
        report.record(Ds329, Outcome::Skipped("no trusted CA given".to_owned()));
    } else {
        let outcome = match options.trust.issued(&certificate) {
            Ok(()) => Outcome::Passed,
            Err(why) => Outcome::Failed(why),
        };
        report.record(Ds329, outcome);
    }
}

/// Present, SHA-256, and equal to `expected`: the three checks of each digest.
fn digest_checks(
    report: &mut Report,
    [missing, method, mismatch]: [SignatureCode; 3],
    digest: Option<(&[Method], &[Text])>,
    expected: &str,
    why: &str,
) {
    let value = digest.and_then(|(_, value)| first_text(value));
    report.pass_if(missing, value.is_some_and(|v| !v.is_empty()), || {
        "no digest value".to_owned()
    });
    let algorithm = digest
        .and_then(|(methods, _)| methods.first())
        .and_then(|m| m.algorithm.as_deref());
    report.pass_if(method, algorithm == Some(SHA256), || {
        format!("digest method is {algorithm:?}")
    });
    report.pass_if(mismatch, value == Some(expected), || why.to_owned());
}

fn issuer_serial_checks(
    report: &mut Report,
    serials: &[&IssuerSerial],
    certificate: &SigningCertificate,
) {
    let names: Vec<&str> = serials
        .iter()
        .filter_map(|s| first_text(&s.issuer_name))
        .collect();
    let numbers: Vec<&str> = serials
        .iter()
        .filter_map(|s| first_text(&s.serial_number))
        .collect();
    let expected_name = certificate.issuer_name();
    report.pass_if(Ds324, !names.is_empty(), || "no X509IssuerName".to_owned());
    report.pass_if(
        Ds326,
        !names.is_empty() && names.iter().all(|n| *n == expected_name),
        || format!("X509IssuerName {names:?}, certificate issuer {expected_name:?}"),
    );
    let expected_serial = certificate.serial();
    report.pass_if(Ds325, !numbers.is_empty(), || {
        "no X509SerialNumber".to_owned()
    });
    let decimal = numbers
        .iter()
        .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    report.pass_if(Ds327, decimal, || format!("X509SerialNumber {numbers:?}"));
    report.pass_if(
        Ds328,
        !numbers.is_empty() && numbers.iter().all(|n| *n == expected_serial),
        || format!("X509SerialNumber {numbers:?}, certificate serial {expected_serial}"),
    );
}

fn time_checks(report: &mut Report, signing_time: Option<&str>, certificate: &SigningCertificate) {
    let Some(signing_time) = signing_time else {
        return report.record(Ds303, Outcome::Failed("no SigningTime".to_owned()));
    };
    report.record(Ds303, Outcome::Passed);
    let Ok(at) = NaiveDateTime::parse_from_str(signing_time, "%Y-%m-%dT%H:%M:%SZ") else {
        return report.record(
            Ds336,
            Outcome::Failed(format!(
                "SigningTime {signing_time} is not YYYY-MM-DDTHH:MM:SSZ"
            )),
        );
    };
    report.record(Ds336, Outcome::Passed);
    let at = at.and_utc();
    // Against the SigningTime, not today: a document signed while the certificate was valid
    // stays valid (the official samples' certificates have long expired).
    let validity = certificate.parsed().tbs_certificate().validity();
    let instant = |t: x509_cert::time::Time| {
        DateTime::<Utc>::from_timestamp(t.to_unix_duration().as_secs() as i64, 0)
    };
    let (from, until) = (instant(validity.not_before), instant(validity.not_after));
    let inside = from
        .zip(until)
        .is_some_and(|(from, until)| from <= at && at <= until);
    report.pass_if(Ds304, inside, || {
        format!("signed {signing_time}, certificate valid {from:?} to {until:?}")
    });
}

fn first_text(texts: &[Text]) -> Option<&str> {
    texts.first().map(|t| t.value.as_str())
}

fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    serde_json::from_slice(bytes).map_err(|e| e.to_string())
}
