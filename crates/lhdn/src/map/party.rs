//! Parties on the document: the supplier, a registered customer, the general public.

use niaga_domain::customer::CustomerDetails;
use niaga_domain::values::{Address, SstRegistration};

use super::Supplier;
use crate::ubl::{
    AccountingCustomer, AccountingSupplier, AddressLine, BuyerParty, Code, Contact, Country,
    PartyIdentification, PartyLegalEntity, PostalAddress, SupplierParty, scheme_id, text,
};

/// LHDN's word for "none" in an identifier, address or contact field.
const NA: &str = "NA";

/// The general TIN of the general public (LHDN.md §2.8).
pub const GENERAL_PUBLIC_TIN: &str = "EI00000000010";

/// State code `17`, Not Applicable: LHDN's state for the consolidated buyer.
const STATE_NOT_APPLICABLE: &str = "17";

pub(super) fn supplier(supplier: &Supplier) -> Vec<AccountingSupplier> {
    vec![AccountingSupplier {
        additional_account_id: Vec::new(),
        party: vec![SupplierParty {
            industry_classification_code: vec![Code {
                value: supplier.msic.as_str().to_owned(),
                name: Some(supplier.business_activity.clone()),
                ..Code::default()
            }],
            party_identification: identifications([
                (supplier.tin.as_str(), "TIN"),
                (supplier.brn.as_str(), "BRN"),
                (&sst(supplier.sst.as_ref()), "SST"),
                (supplier.tourism_tax.as_deref().unwrap_or(NA), "TTX"),
            ]),
            postal_address: postal_address(&supplier.address),
            party_legal_entity: legal_entity(supplier.name.as_str()),
            contact: contact(
                supplier.phone.as_str(),
                supplier.email.as_ref().map(|e| e.as_str()),
            ),
        }],
    }]
}

pub(super) fn buyer(details: &CustomerDetails) -> Vec<AccountingCustomer> {
    vec![AccountingCustomer {
        party: vec![BuyerParty {
            postal_address: postal_address(&details.address),
            party_legal_entity: legal_entity(details.name.as_str()),
            party_identification: identifications([
                (details.tin.as_str(), "TIN"),
                (
                    details.identification.value(),
                    details.identification.scheme(),
                ),
                (&sst(details.sst.as_ref()), "SST"),
            ]),
            contact: contact(details.phone.as_str(), Some(details.email.as_str())),
        }],
    }]
}

/// The buyer of a consolidated e-invoice: exactly what LHDN asks (LHDN.md §2.8; a different
/// name is refused with the general TIN).
pub(super) fn general_public() -> Vec<AccountingCustomer> {
    vec![AccountingCustomer {
        party: vec![BuyerParty {
            postal_address: vec![PostalAddress {
                city_name: text(NA),
                postal_zone: Vec::new(),
                country_subentity_code: text(STATE_NOT_APPLICABLE),
                address_line: vec![AddressLine { line: text(NA) }],
                country: country("MYS"),
            }],
            party_legal_entity: legal_entity("General Public"),
            party_identification: identifications([
                (GENERAL_PUBLIC_TIN, "TIN"),
                (NA, "BRN"),
                (NA, "SST"),
                (NA, "TTX"),
            ]),
            contact: contact(NA, None),
        }],
    }]
}

fn sst(sst: Option<&SstRegistration>) -> String {
    sst.map_or_else(|| NA.to_owned(), |s| s.as_str().to_owned())
}

fn identifications<'a>(
    ids: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Vec<PartyIdentification> {
    ids.into_iter()
        .map(|(value, scheme)| PartyIdentification {
            id: scheme_id(value, scheme),
        })
        .collect()
}

fn legal_entity(name: &str) -> Vec<PartyLegalEntity> {
    vec![PartyLegalEntity {
        registration_name: text(name),
    }]
}

fn contact(phone: &str, email: Option<&str>) -> Vec<Contact> {
    vec![Contact {
        telephone: text(phone),
        electronic_mail: email.map(text).unwrap_or_default(),
    }]
}

fn postal_address(address: &Address) -> Vec<PostalAddress> {
    vec![PostalAddress {
        city_name: text(address.city()),
        postal_zone: text(address.postcode().as_str()),
        country_subentity_code: text(address.state().as_str()),
        address_line: address
            .lines()
            .iter()
            .map(|line| AddressLine { line: text(line) })
            .collect(),
        country: country(address.country().as_str()),
    }]
}

fn country(code: &str) -> Vec<Country> {
    vec![Country {
        identification_code: vec![Code {
            value: code.to_owned(),
            list_id: Some("ISO3166-1".to_owned()),
            list_agency_id: Some("6".to_owned()),
            ..Code::default()
        }],
    }]
}
