//! The core fields validator (LHDN.md §2.4–2.6): mandatory fields, length limits and the
//! formats of phone numbers, e-mail addresses, postcodes and SST/TTX numbers. LHDN's
//! published codes are used where their meaning is known (CF349 buyer contact number,
//! CF358 buyer TIN, CF364/CF366 phone format/length); the rest are the sandbox's own
//! `SBX` codes, listed in docs/lhdn-sandbox.md.

use serde_json::Value;

use super::Finding;
use crate::registry::GENERAL_PUBLIC_TIN;
use crate::ubl::{
    self, Facts, all, classification_codes, first, is_note, leaf, party_id, tax_subtotals, text,
};

pub(crate) const REQUIRED: &str = "SBX001";
pub(crate) const TOO_LONG: &str = "SBX002";
pub(crate) const FORMAT: &str = "SBX003";
const ONE_REGISTRATION: &str = "SBX004";
const NO_REFERENCE: &str = "SBX005";

/// Collects the findings of one document, with the path prefix of the part being read.
struct Checker<'a> {
    findings: Vec<Finding>,
    value: &'a Value,
    prefix: String,
}

impl<'a> Checker<'a> {
    fn push(&mut self, code: &str, element: &str, message: impl Into<String>) {
        let full = if self.prefix.is_empty() {
            element.to_owned()
        } else {
            format!("{}/{element}", self.prefix)
        };
        self.findings.push(Finding::about(&full, code, message));
    }

    /// The leaf at `element` must exist (a non-empty string or a number).
    fn required(&mut self, element: &str) -> Option<&'a Value> {
        match leaf(self.value, element) {
            Some(Value::String(s)) if !s.trim().is_empty() => leaf(self.value, element),
            Some(Value::Number(_) | Value::Bool(_)) => leaf(self.value, element),
            _ => {
                self.push(REQUIRED, element, format!("{element} is mandatory"));
                None
            }
        }
    }

    fn max_len(&mut self, element: &str, max: usize) {
        if let Some(value) = text(self.value, element) {
            self.max_len_of(element, value, max);
        }
    }

    fn max_len_of(&mut self, element: &str, value: &str, max: usize) {
        if value.chars().count() > max {
            self.push(
                TOO_LONG,
                element,
                format!("{element} must not exceed {max} characters"),
            );
        }
    }

    fn required_text(&mut self, element: &str, max: usize) -> Option<&'a str> {
        let value = self.required(element)?.as_str();
        if let Some(value) = value {
            self.max_len_of(element, value, max);
        }
        value
    }

    fn within(&mut self, value: &'a Value, prefix: String) -> Checker<'a> {
        Checker {
            findings: Vec::new(),
            value,
            prefix,
        }
    }

    fn absorb(&mut self, other: Checker<'a>) {
        self.findings.extend(other.findings);
    }
}

pub(crate) fn check(invoice: &Value, facts: &Facts) -> Vec<Finding> {
    let mut c = Checker {
        findings: Vec::new(),
        value: invoice,
        prefix: String::new(),
    };
    c.required_text("ID", 50);
    c.required("IssueDate");
    c.required("IssueTime");
    c.required("InvoiceTypeCode");
    if first(invoice, "InvoiceTypeCode")
        .and_then(|t| t.get("listVersionID")?.as_str())
        .is_none_or(|v| v.is_empty() || v.len() > 5)
    {
        c.push(
            REQUIRED,
            "InvoiceTypeCode",
            "InvoiceTypeCode listVersionID is mandatory",
        );
    }
    c.required("DocumentCurrencyCode");
    c.max_len("InvoicePeriod/Description", 50);
    c.max_len("PaymentMeans/PayeeFinancialAccount/ID", 150);
    c.max_len("PaymentTerms/Note", 300);
    c.max_len("PrepaidPayment/ID", 150);
    for reference in all(invoice, "BillingReference") {
        let mut r = c.within(reference, "BillingReference".to_owned());
        r.max_len("AdditionalDocumentReference/ID", 150);
        c.absorb(r);
    }
    for reference in all(invoice, "AdditionalDocumentReference") {
        let mut r = c.within(reference, "AdditionalDocumentReference".to_owned());
        r.max_len("ID", 1000);
        r.max_len("DocumentDescription", 300);
        c.absorb(r);
    }
    if is_note(&facts.type_code) {
        let referenced = all(invoice, "BillingReference")
            .iter()
            .flat_map(|r| all(r, "InvoiceDocumentReference"))
            .any(|r| text(r, "UUID").is_some() && text(r, "ID").is_some());
        if !referenced {
            c.push(
                NO_REFERENCE,
                "BillingReference/InvoiceDocumentReference",
                "A note must reference the original document's UUID and internal ID",
            );
        }
    }
    let consolidated = facts.buyer.tin == GENERAL_PUBLIC_TIN;
    match ubl::supplier(invoice) {
        Some(party) => {
            let mut p = c.within(party, "AccountingSupplierParty/Party".to_owned());
            party_fields(&mut p, Role::Supplier, consolidated);
            if let Some(msic) = first(party, "IndustryClassificationCode") {
                let name = msic.get("name").and_then(Value::as_str).unwrap_or_default();
                if name.trim().is_empty() {
                    p.push(
                        REQUIRED,
                        "IndustryClassificationCode",
                        "The business activity description (name) is mandatory",
                    );
                }
                p.max_len_of("IndustryClassificationCode", name, 300);
            }
            p.required("IndustryClassificationCode");
            c.absorb(p);
        }
        None => c.push(
            REQUIRED,
            "AccountingSupplierParty",
            "The supplier is mandatory",
        ),
    }
    match ubl::buyer(invoice) {
        Some(party) => {
            let mut p = c.within(party, "AccountingCustomerParty/Party".to_owned());
            party_fields(&mut p, Role::Buyer, consolidated);
            c.absorb(p);
        }
        None => c.push(
            REQUIRED,
            "AccountingCustomerParty",
            "The buyer is mandatory",
        ),
    }
    c.required("TaxTotal/TaxAmount");
    c.required("LegalMonetaryTotal/TaxExclusiveAmount");
    c.required("LegalMonetaryTotal/TaxInclusiveAmount");
    c.required("LegalMonetaryTotal/PayableAmount");
    for subtotal in tax_subtotals(invoice) {
        let mut s = c.within(subtotal, "TaxTotal/TaxSubtotal".to_owned());
        tax_subtotal(&mut s);
        c.absorb(s);
    }
    let lines = all(invoice, "InvoiceLine");
    if lines.is_empty() {
        c.push(REQUIRED, "InvoiceLine", "At least one line is mandatory");
    }
    for line in lines {
        let mut l = c.within(line, "InvoiceLine".to_owned());
        line_fields(&mut l);
        c.absorb(l);
    }
    c.findings
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Supplier,
    Buyer,
}

fn party_fields(p: &mut Checker<'_>, role: Role, consolidated: bool) {
    p.required_text("PartyLegalEntity/RegistrationName", 300);
    match party_id(p.value, "TIN") {
        Some(tin) if !tin.is_empty() && tin.len() <= 14 => {}
        _ if role == Role::Buyer => p.push(
            "CF358",
            "PartyIdentification/ID",
            "The buyer's TIN is invalid",
        ),
        _ => p.push(
            REQUIRED,
            "PartyIdentification/ID",
            "The supplier's TIN is mandatory (at most 14 characters)",
        ),
    }
    let registrations: Vec<(&str, &str)> = ubl::REGISTRATION_SCHEMES
        .iter()
        .filter_map(|scheme| party_id(p.value, scheme).map(|v| (*scheme, v)))
        .collect();
    match registrations.as_slice() {
        [(scheme, value)] => {
            let max = if *scheme == "BRN" { 20 } else { 12 };
            p.max_len_of("PartyIdentification/ID", value, max);
        }
        _ => p.push(
            ONE_REGISTRATION,
            "PartyIdentification/ID",
            "Exactly one of BRN, NRIC, PASSPORT or ARMY is mandatory",
        ),
    }
    if let Some(sst) = party_id(p.value, "SST") {
        let numbers = sst.split(';').count();
        let ok = sst == "NA"
            || (sst.len() <= 35
                && numbers <= 2
                && sst
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ';'));
        if !ok {
            p.push(
                FORMAT,
                "PartyIdentification/ID",
                "The SST number is invalid",
            );
        }
    }
    if let Some(ttx) = party_id(p.value, "TTX") {
        let ok = ttx == "NA"
            || (ttx.len() <= 17 && ttx.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
        if !ok {
            p.push(
                FORMAT,
                "PartyIdentification/ID",
                "The tourism tax number is invalid",
            );
        }
    }
    address(p, "PostalAddress");
    match text(p.value, "Contact/Telephone") {
        // "NA" is the consolidated buyer's phone (LHDN.md §2.8).
        Some("NA") if role == Role::Buyer && consolidated => {}
        Some(phone) => {
            let length = phone.chars().count();
            if !(8..=20).contains(&length) {
                p.push(
                    "CF366",
                    "Contact/Telephone",
                    "The contact number must have 8 to 20 characters",
                );
            }
            let digits = phone.strip_prefix('+').unwrap_or(phone);
            if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
                p.push(
                    "CF364",
                    "Contact/Telephone",
                    "The contact number is not in a valid format",
                );
            }
        }
        None if role == Role::Buyer => p.push(
            "CF349",
            "Contact/Telephone",
            "The buyer's contact number is mandatory",
        ),
        None => p.push(
            REQUIRED,
            "Contact/Telephone",
            "The supplier's contact number is mandatory",
        ),
    }
    if let Some(email) = text(p.value, "Contact/ElectronicMail")
        && email != "NA"
        && !is_email(email)
    {
        p.push(
            FORMAT,
            "Contact/ElectronicMail",
            "The e-mail address is not valid",
        );
    }
}

fn address(p: &mut Checker<'_>, element: &str) {
    let Some(address) = first(p.value, element) else {
        p.push(REQUIRED, element, "The address is mandatory");
        return;
    };
    let mut a = p.within(address, format!("{}/{element}", p.prefix));
    let lines = all(address, "AddressLine");
    if lines
        .first()
        .and_then(|l| text(l, "Line"))
        .is_none_or(|l| l.trim().is_empty())
    {
        a.push(
            REQUIRED,
            "AddressLine/Line",
            "The first address line is mandatory",
        );
    }
    for line in lines {
        if let Some(line) = text(line, "Line") {
            a.max_len_of("AddressLine/Line", line, 150);
        }
    }
    a.required_text("CityName", 50);
    a.required("CountrySubentityCode");
    a.required("Country/IdentificationCode");
    let malaysian = text(address, "Country/IdentificationCode") == Some("MYS");
    if let Some(postcode) = text(address, "PostalZone") {
        let ok = if malaysian {
            postcode.len() <= 5 && postcode.chars().all(|c| c.is_ascii_digit())
        } else {
            postcode.chars().count() <= 50
        };
        if !ok {
            a.push(FORMAT, "PostalZone", "The postal code is not valid");
        }
    }
    p.absorb(a);
}

fn tax_subtotal(s: &mut Checker<'_>) {
    s.required("TaxAmount");
    s.required("TaxCategory/ID");
    if let Some(reason) = text(s.value, "TaxCategory/TaxExemptionReason") {
        s.max_len_of("TaxCategory/TaxExemptionReason", reason, 300);
        // Only these special characters are allowed (LHDN.md §2.6).
        let ok = reason
            .chars()
            .all(|c| c.is_alphanumeric() || c.is_whitespace() || ".-,()".contains(c));
        if !ok {
            s.push(
                FORMAT,
                "TaxCategory/TaxExemptionReason",
                "The exemption reason may only contain . - , ( ) as special characters",
            );
        }
    }
}

fn line_fields(l: &mut Checker<'_>) {
    l.required("ID");
    l.required("LineExtensionAmount");
    l.required_text("Item/Description", 300);
    l.required("Price/PriceAmount");
    l.required("ItemPriceExtension/Amount");
    l.required("TaxTotal/TaxAmount");
    if classification_codes(l.value, "CLASS").next().is_none() {
        l.push(
            REQUIRED,
            "Item/CommodityClassification/ItemClassificationCode",
            "A classification code (listID CLASS) is mandatory",
        );
    }
    for value in classification_codes(l.value, "PTC") {
        if value.len() > 12 || !value.chars().all(|c| c.is_ascii_digit() || c == '.') {
            l.push(
                FORMAT,
                "Item/CommodityClassification/ItemClassificationCode",
                "The product tariff code is not valid",
            );
        }
    }
    let subtotals = tax_subtotals(l.value);
    if subtotals.is_empty() {
        l.push(
            REQUIRED,
            "TaxTotal/TaxSubtotal",
            "A tax subtotal is mandatory",
        );
    }
    for subtotal in subtotals {
        let mut s = l.within(subtotal, format!("{}/TaxTotal/TaxSubtotal", l.prefix));
        tax_subtotal(&mut s);
        l.absorb(s);
    }
}

/// RFC 5321-ish: one `@`, a local part, a domain with a dot, no spaces, ≤ 320 characters.
pub(crate) fn is_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    email.len() <= 320
        && !local.is_empty()
        && local.len() <= 64
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !email.chars().any(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::tests::{fixtures, invoice_of};

    #[test]
    fn our_mapped_documents_and_the_official_samples_have_their_core_fields() {
        for (name, document) in fixtures() {
            let facts = Facts::read(&document);
            let findings = check(invoice_of(&document), &facts);
            assert!(findings.is_empty(), "{name}: {findings:?}");
        }
    }

    fn codes(findings: &[Finding]) -> Vec<&str> {
        findings.iter().map(|f| f.code.as_str()).collect()
    }

    #[test]
    fn a_buyer_without_a_phone_is_cf349_and_a_bad_phone_cf364_cf366() {
        let (_, mut document) = fixtures().remove(0);
        let contact =
            &mut document["Invoice"][0]["AccountingCustomerParty"][0]["Party"][0]["Contact"][0];
        contact["Telephone"][0]["_"] = "12 34".into();
        let findings = check(invoice_of(&document), &Facts::read(&document));
        assert_eq!(codes(&findings), ["CF366", "CF364"]);
        contact_remove(&mut document);
        let findings = check(invoice_of(&document), &Facts::read(&document));
        assert_eq!(codes(&findings), ["CF349"]);
    }

    fn contact_remove(document: &mut Value) {
        let contact =
            &mut document["Invoice"][0]["AccountingCustomerParty"][0]["Party"][0]["Contact"][0];
        contact.as_object_mut().unwrap().remove("Telephone");
    }

    #[test]
    fn lengths_postcodes_and_emails_are_checked() {
        let (_, mut document) = fixtures().remove(0);
        document["Invoice"][0]["ID"][0]["_"] = "X".repeat(51).into();
        let supplier = &mut document["Invoice"][0]["AccountingSupplierParty"][0]["Party"][0];
        supplier["PostalAddress"][0]["PostalZone"][0]["_"] = "402000".into();
        supplier["Contact"][0]["ElectronicMail"][0]["_"] = "not an email".into();
        let findings = check(invoice_of(&document), &Facts::read(&document));
        assert_eq!(codes(&findings), [TOO_LONG, FORMAT, FORMAT]);
        assert_eq!(
            findings[1].property_path.as_deref(),
            Some("Invoice.AccountingSupplierParty.Party.PostalAddress.PostalZone")
        );
    }

    #[test]
    fn emails() {
        assert!(is_email("akaun@timbangjaya.com.my"));
        assert!(!is_email("akaun@localhost"));
        assert!(!is_email("a b@x.my"));
    }
}
