//! The taxpayer validator: the parties' TINs are registered taxpayers whose registration
//! number matches (cross-checked since 1 Aug 2026), or general TINs in the roles LHDN
//! allows them (LHDN.md §2.8); the general public buyer only on consolidated invoices.

use serde_json::Value;

use super::{Finding, path};
use crate::registry::{GENERAL_PUBLIC_TIN, GeneralTin, Registry};
use crate::ubl::{Facts, PartyFacts, all, classification_codes};

const TIN_NOT_FOUND: &str = "SBX050";
const ID_MISMATCH: &str = "SBX051";
const GENERAL_TIN_ROLE: &str = "SBX052";
/// LHDN's code for a general TIN used on an individual e-invoice (klsheng #39).
const CONSOLIDATED: &str = "ERR205";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Supplier,
    Buyer,
}

pub(crate) fn check(invoice: &Value, facts: &Facts, registry: &Registry) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (party, role) in [
        (&facts.supplier, Role::Supplier),
        (&facts.buyer, Role::Buyer),
    ] {
        party_check(party, role, facts, registry, &mut findings);
    }
    let classes: Vec<&str> = all(invoice, "InvoiceLine")
        .iter()
        .flat_map(|line| classification_codes(line, "CLASS"))
        .collect();
    let general_public_buyer = facts.buyer.tin == GENERAL_PUBLIC_TIN;
    let consolidated = !classes.is_empty() && classes.iter().all(|c| *c == "004");
    if general_public_buyer && !facts.self_billed() {
        // klsheng #39: the general public TIN is for consolidated e-invoices only.
        if !consolidated || facts.buyer.name != "General Public" {
            findings.push(
                Finding::new(
                    CONSOLIDATED,
                    "Buyer's details cannot be general TIN (010) for issuance of individual \
                     e-Invoice: use name General Public and classification 004",
                )
                .at(
                    "ID",
                    path("AccountingCustomerParty/Party/PartyIdentification/ID"),
                ),
            );
        }
    } else if classes.contains(&"004") && !facts.self_billed() {
        findings.push(
            Finding::new(
                CONSOLIDATED,
                "Classification 004 (Consolidated e-Invoice) requires the General Public buyer",
            )
            .at(
                "ItemClassificationCode",
                path("InvoiceLine/Item/CommodityClassification/ItemClassificationCode"),
            ),
        );
    }
    findings
}

fn party_check(
    party: &PartyFacts,
    role: Role,
    facts: &Facts,
    registry: &Registry,
    findings: &mut Vec<Finding>,
) {
    let element = match role {
        Role::Supplier => "AccountingSupplierParty/Party/PartyIdentification/ID",
        Role::Buyer => "AccountingCustomerParty/Party/PartyIdentification/ID",
    };
    let at = |f: Finding| f.at("ID", path(element));
    if party.tin.is_empty() {
        return; // The core fields validator reports it.
    }
    if let Some(general) = GeneralTin::parse(&party.tin) {
        let issuer = role == Role::Supplier && !facts.self_billed()
            || role == Role::Buyer && facts.self_billed();
        let allowed = match general {
            // The general public: consolidated buyer, or consolidated self-billed supplier.
            GeneralTin::GeneralPublic => !issuer,
            // Foreign buyer, government buyer: buyers only.
            GeneralTin::ForeignBuyer | GeneralTin::Government => {
                role == Role::Buyer && !facts.self_billed()
            }
            // Foreign supplier of a self-billed import.
            GeneralTin::ForeignSupplier => role == Role::Supplier && facts.self_billed(),
        };
        if !allowed {
            findings.push(at(Finding::new(
                GENERAL_TIN_ROLE,
                format!(
                    "The general TIN {} cannot be used for this party",
                    party.tin
                ),
            )));
        }
        return;
    }
    let Some(registered) = registry.get(&party.tin) else {
        let code = if role == Role::Buyer {
            "ERR406"
        } else {
            TIN_NOT_FOUND
        };
        findings.push(at(Finding::new(
            code,
            format!("TIN {} is not found", party.tin),
        )));
        return;
    };
    let matches = party.id_type.as_deref() == Some(registered.id_type.as_str())
        && party.id_value.as_deref() == Some(registered.id_value.as_str());
    if !matches {
        findings.push(at(Finding::new(
            ID_MISMATCH,
            format!(
                "The registration number does not match TIN {} (TIN and {} are cross-checked)",
                party.tin,
                registered.id_type.as_str()
            ),
        )));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{IdType, Taxpayer};
    use crate::validate::tests::{fixture, invoice_of};

    fn registry() -> Registry {
        let taxpayer = |tin: &str, id: &str| Taxpayer {
            tin: tin.to_owned(),
            id_type: IdType::Brn,
            id_value: id.to_owned(),
            name: "x".to_owned(),
            client: None,
            intermediary_for: Vec::new(),
        };
        Registry::new(&[
            taxpayer("C25845632020", "202001234567"),
            taxpayer("C20880498010", "201901034567"),
        ])
    }

    fn codes(document: &Value) -> Vec<String> {
        check(invoice_of(document), &Facts::read(document), &registry())
            .into_iter()
            .map(|f| f.code)
            .collect()
    }

    #[test]
    fn registered_parties_with_matching_numbers_pass() {
        assert!(codes(&fixture("invoice.json")).is_empty());
        assert!(codes(&fixture("consolidated.json")).is_empty());
    }

    #[test]
    fn an_unknown_buyer_is_err406_and_a_wrong_brn_a_mismatch() {
        let mut document = fixture("invoice.json");
        let ids = &mut document["Invoice"][0]["AccountingCustomerParty"][0]["Party"][0]["PartyIdentification"];
        ids[1]["ID"][0]["_"] = "201901099999".into();
        assert_eq!(codes(&document), [ID_MISMATCH]);
        let ids = &mut document["Invoice"][0]["AccountingCustomerParty"][0]["Party"][0]["PartyIdentification"];
        ids[0]["ID"][0]["_"] = "C99999999990".into();
        assert_eq!(codes(&document), ["ERR406"]);
    }

    #[test]
    fn the_general_public_buyer_only_on_consolidated_invoices() {
        let mut document = fixture("invoice.json");
        let ids = &mut document["Invoice"][0]["AccountingCustomerParty"][0]["Party"][0]["PartyIdentification"];
        ids[0]["ID"][0]["_"] = GENERAL_PUBLIC_TIN.into();
        assert_eq!(codes(&document), [CONSOLIDATED]);
    }
}
