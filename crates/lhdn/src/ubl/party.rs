//! Supplier, buyer and delivery parties. Each has its own key order in the official samples,
//! so each is its own type.

use serde::{Deserialize, Serialize};

use super::{Code, Identifier, Text};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct AccountingSupplier {
    /// The certified exporter's authorisation (`schemeAgencyName` `CertEX`).
    #[serde(
        rename = "AdditionalAccountID",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub additional_account_id: Vec<Identifier>,
    pub party: Vec<SupplierParty>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SupplierParty {
    /// The MSIC code, its `name` the business activity.
    pub industry_classification_code: Vec<Code>,
    pub party_identification: Vec<PartyIdentification>,
    pub postal_address: Vec<PostalAddress>,
    pub party_legal_entity: Vec<PartyLegalEntity>,
    pub contact: Vec<Contact>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct AccountingCustomer {
    pub party: Vec<BuyerParty>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct BuyerParty {
    pub postal_address: Vec<PostalAddress>,
    pub party_legal_entity: Vec<PartyLegalEntity>,
    pub party_identification: Vec<PartyIdentification>,
    pub contact: Vec<Contact>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct DeliveryParty {
    pub party_legal_entity: Vec<PartyLegalEntity>,
    pub postal_address: Vec<PostalAddress>,
    pub party_identification: Vec<PartyIdentification>,
}

/// One identifier of a party: TIN, BRN/NRIC/PASSPORT/ARMY, SST or TTX.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartyIdentification {
    #[serde(rename = "ID")]
    pub id: Vec<Identifier>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct PartyLegalEntity {
    pub registration_name: Vec<Text>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct PostalAddress {
    pub city_name: Vec<Text>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub postal_zone: Vec<Text>,
    /// The state code (`17` abroad and for the consolidated buyer).
    pub country_subentity_code: Vec<Text>,
    pub address_line: Vec<AddressLine>,
    pub country: Vec<Country>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct AddressLine {
    pub line: Vec<Text>,
}

/// A country, `listID` `ISO3166-1` and `listAgencyID` `6` on a postal address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Country {
    pub identification_code: Vec<Code>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Contact {
    pub telephone: Vec<Text>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub electronic_mail: Vec<Text>,
}
