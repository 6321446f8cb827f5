//! The company that issues the documents: its registration, address and contacts, from the
//! JSON file `NIAGA_COMPANY_FILE` names. LHDN needs it as the supplier of every e-invoice;
//! printed documents take their letterhead from it. There is no company aggregate yet.
//!
//! ```json
//! {
//!   "name": "Timbang Jaya Sdn Bhd", "tin": "C25845632020", "brn": "202001234567",
//!   "sst": "W10-1808-32000001", "msic": "33120", "business_activity": "Repair of machinery",
//!   "address": {"lines": ["Lot 5, Jalan Utas 15/7"], "city": "Shah Alam",
//!               "postcode": "40200", "state": "10", "country": "MYS"},
//!   "phone": "+60355191234", "email": "akaun@timbangjaya.com.my",
//!   "classification": "022", "classification_by_item": {"CAL-SCALE": "010"}
//! }
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context as _, anyhow};
use niaga_domain::values::{
    Address, Brn, CountryCode, Email, ItemCode, MsicCode, Name, Phone, Postcode, SstRegistration,
    StateCode, Tin,
};
use niaga_lhdn::map::{ClassificationCode, Classifications, Supplier};
use serde::Deserialize;

/// The company, its values checked by their domain types.
#[derive(Debug, Clone)]
pub struct CompanySettings {
    pub supplier: Supplier,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CompanyFile {
    name: String,
    tin: String,
    brn: String,
    sst: Option<String>,
    tourism_tax: Option<String>,
    msic: String,
    business_activity: String,
    address: AddressFile,
    phone: String,
    email: Option<String>,
    /// LHDN's classification of what the company sells (`022`: others).
    #[serde(default = "others")]
    classification: String,
    /// Items classified otherwise, by item code.
    #[serde(default)]
    classification_by_item: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AddressFile {
    lines: Vec<String>,
    city: String,
    postcode: String,
    state: String,
    /// ISO 3166-1 alpha-3; Malaysia when absent.
    country: Option<String>,
}

fn others() -> String {
    "022".to_owned()
}

/// `value` parsed, or an error naming the file's field.
fn field<T, E: std::fmt::Display>(name: &str, parsed: Result<T, E>) -> anyhow::Result<T> {
    parsed.map_err(|error| anyhow!("{name}: {error}"))
}

impl CompanySettings {
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the company file {}", path.display()))?;
        Self::parse(&text).with_context(|| format!("the company file {}", path.display()))
    }

    pub fn parse(json: &str) -> anyhow::Result<Self> {
        let file: CompanyFile = serde_json::from_str(json)?;
        let country = match &file.address.country {
            Some(code) => field("address.country", CountryCode::parse(code))?,
            None => CountryCode::malaysia(),
        };
        let address = field(
            "address",
            Address::new(
                file.address.lines,
                file.address.city,
                field("address.postcode", Postcode::parse(&file.address.postcode))?,
                field("address.state", StateCode::parse(&file.address.state))?,
                country,
            ),
        )?;
        let mut classifications = Classifications::all(field(
            "classification",
            ClassificationCode::parse(&file.classification),
        )?);
        for (item, code) in &file.classification_by_item {
            classifications.by_item.insert(
                field("classification_by_item", ItemCode::parse(item))?,
                field("classification_by_item", ClassificationCode::parse(code))?,
            );
        }
        let business_activity = file.business_activity.trim().to_owned();
        if business_activity.is_empty() || business_activity.chars().count() > 300 {
            return Err(anyhow!("business_activity: LHDN takes 1 to 300 characters"));
        }
        Ok(Self {
            supplier: Supplier {
                name: field("name", Name::parse(&file.name))?,
                tin: field("tin", Tin::parse(&file.tin))?,
                brn: field("brn", Brn::parse(&file.brn))?,
                sst: file
                    .sst
                    .as_deref()
                    .map(|sst| field("sst", SstRegistration::parse(sst)))
                    .transpose()?,
                tourism_tax: file.tourism_tax,
                msic: field("msic", MsicCode::parse(&file.msic))?,
                business_activity,
                address,
                phone: field("phone", Phone::parse(&file.phone))?,
                email: file
                    .email
                    .as_deref()
                    .map(|email| field("email", Email::parse(email)))
                    .transpose()?,
                classifications,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    const SAMPLE: &str = r#"{
        "name": "Timbang Jaya Sdn Bhd", "tin": "C25845632020", "brn": "202001234567",
        "sst": "W10-1808-32000001", "msic": "33120", "business_activity": "Repair of machinery",
        "address": {"lines": ["Lot 5, Jalan Utas 15/7"], "city": "Shah Alam",
                    "postcode": "40200", "state": "10"},
        "phone": "+60355191234", "email": "akaun@timbangjaya.com.my",
        "classification_by_item": {"CAL-SCALE": "010"}
    }"#;

    #[test]
    fn reads_the_documented_sample() {
        let company = CompanySettings::parse(SAMPLE).unwrap();
        assert_eq!(company.supplier.tin.as_str(), "C25845632020");
        assert_eq!(company.supplier.classifications.by_item.len(), 1);
    }

    #[test]
    fn a_wrong_value_is_named_by_its_field() {
        let wrong = SAMPLE.replace("\"40200\"", "\"4020\"");
        let error = CompanySettings::parse(&wrong).unwrap_err().to_string();
        assert!(error.starts_with("address.postcode:"), "{error}");
    }

    #[test]
    fn an_unknown_field_is_refused() {
        let wrong = SAMPLE.replace("\"sst\"", "\"sst_number\"");
        assert!(CompanySettings::parse(&wrong).is_err());
    }
}
