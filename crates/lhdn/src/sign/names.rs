//! Distinguished names and serials as LHDN compares them (LHDN.md §3.2): the RDNs in the
//! reverse of their encoding order (what .NET's `X509Certificate2.Issuer` prints), joined by
//! `", "`, `KEY=value` with no spaces around `=`; the serial in decimal. Writing the RDNs
//! "CN first" only works for some CAs and is the classic DS326 (Pitfall 1).

use der::{Tag, Tagged};
use num_bigint::BigUint;
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::name::Name;

/// The name as `X509IssuerName` (and `X509SubjectName`) spell it.
pub fn distinguished_name(name: &Name) -> String {
    let rdns: Vec<String> = name
        .iter_rdn()
        .map(|rdn| rdn.iter().map(attribute).collect::<Vec<_>>().join("+"))
        .collect();
    rdns.into_iter().rev().collect::<Vec<_>>().join(", ")
}

/// A certificate serial number (big-endian bytes) in decimal.
pub fn decimal_serial(bytes: &[u8]) -> String {
    BigUint::from_bytes_be(bytes).to_string()
}

/// The text of the first attribute of `oid` in `name` (the subject's TIN or BRN).
pub fn attribute_text(name: &Name, oid: &str) -> Option<String> {
    name.iter().find(|atv| atv.oid.to_string() == oid).map(text)
}

pub const ORGANIZATION_IDENTIFIER: &str = "2.5.4.97";
pub const SERIAL_NUMBER: &str = "2.5.4.5";

fn attribute(atv: &AttributeTypeAndValue) -> String {
    let oid = atv.oid.to_string();
    // .NET's short names; any other attribute is written OID.x.y.z (the official samples
    // only show CN, OU, O and C, so the rest is .NET's convention, not LHDN's word).
    let key = match oid.as_str() {
        "2.5.4.3" => "CN".to_owned(),
        "2.5.4.6" => "C".to_owned(),
        "2.5.4.7" => "L".to_owned(),
        "2.5.4.8" => "S".to_owned(),
        "2.5.4.9" => "STREET".to_owned(),
        "2.5.4.10" => "O".to_owned(),
        "2.5.4.11" => "OU".to_owned(),
        "2.5.4.4" => "SN".to_owned(),
        "2.5.4.42" => "G".to_owned(),
        "2.5.4.12" => "T".to_owned(),
        SERIAL_NUMBER => "SERIALNUMBER".to_owned(),
        "1.2.840.113549.1.9.1" => "E".to_owned(),
        "0.9.2342.19200300.100.1.25" => "DC".to_owned(),
        other => format!("OID.{other}"),
    };
    format!("{key}={}", quoted(&text(atv)))
}

/// The attribute's string, whatever ASN.1 string type the CA chose.
fn text(atv: &AttributeTypeAndValue) -> String {
    let value = atv.value.value();
    match atv.value.tag() {
        Tag::BmpString => {
            let units: Vec<u16> = value
                .chunks(2)
                .map(|pair| u16::from_be_bytes([pair[0], *pair.get(1).unwrap_or(&0)]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        _ => String::from_utf8_lossy(value).into_owned(),
    }
}

/// .NET quotes a value holding a separator, doubling inner quotes.
fn quoted(value: &str) -> String {
    let special = value.starts_with(' ')
        || value.ends_with(' ')
        || value
            .chars()
            .any(|c| matches!(c, ',' | '+' | '=' | '"' | '\n' | '<' | '>' | '#' | ';'));
    if special {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}
