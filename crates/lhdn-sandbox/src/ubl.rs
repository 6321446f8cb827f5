//! Reading LHDN's UBL JSON (LHDN.md §2.1) without our mapper's types: the sandbox judges
//! documents independently of how Niaga writes them. Every element is an array of objects,
//! a leaf's text is in `_`, so a path of names reads the first element at each step.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The first element at the end of `path` (names separated by `/`), each step taking `[0]`.
pub(crate) fn first<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('/')
        .try_fold(value, |node, name| node.get(name)?.get(0))
}

/// Every element named `name` directly under `value`.
pub(crate) fn all<'a>(value: &'a Value, name: &str) -> &'a [Value] {
    value
        .get(name)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// The leaf value (`_`) at `path`.
pub(crate) fn leaf<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    first(value, path)?.get("_")
}

/// The leaf number at `path`, exactly as a decimal; `None` if it is not a number. JSON
/// numbers reach the sandbox as floats, so one written `1e-14` reads as `0.00000000000001`.
pub(crate) fn number(value: &Value, path: &str) -> Option<Decimal> {
    let written = leaf(value, path)?.as_number()?.to_string();
    Decimal::from_str(&written)
        .ok()
        .or_else(|| Decimal::from_scientific(&written).ok())
}

/// The leaf text at `path`; numbers are not text.
pub(crate) fn text<'a>(value: &'a Value, path: &str) -> Option<&'a str> {
    leaf(value, path)?.as_str()
}

/// The value of identifier `scheme` (TIN, BRN, NRIC, SST…) in a party's `PartyIdentification`.
pub(crate) fn party_id<'a>(party: &'a Value, scheme: &str) -> Option<&'a str> {
    all(party, "PartyIdentification").iter().find_map(|id| {
        let id = first(id, "ID")?;
        (id.get("schemeID")?.as_str()? == scheme).then(|| id.get("_")?.as_str())?
    })
}

/// The identification types a party names itself by besides its TIN.
pub(crate) const REGISTRATION_SCHEMES: [&str; 4] = ["BRN", "NRIC", "PASSPORT", "ARMY"];

/// The `TaxSubtotal`s of the `TaxTotal` of a document or a line.
pub(crate) fn tax_subtotals(parent: &Value) -> &[Value] {
    first(parent, "TaxTotal").map_or(&[], |total| all(total, "TaxSubtotal"))
}

/// The `ItemClassificationCode` elements of a line's item.
pub(crate) fn classifications(line: &Value) -> impl Iterator<Item = &Value> {
    first(line, "Item")
        .map_or(&[][..], |item| all(item, "CommodityClassification"))
        .iter()
        .filter_map(|c| first(c, "ItemClassificationCode"))
}

/// A line's classification code of `list` (`CLASS` or `PTC`).
pub(crate) fn classification_codes<'a>(
    line: &'a Value,
    list: &'a str,
) -> impl Iterator<Item = &'a str> + 'a {
    classifications(line).filter_map(move |code| {
        (code.get("listID")?.as_str()? == list).then(|| code.get("_")?.as_str())?
    })
}

/// The invoice object, `Invoice[0]`.
pub(crate) fn invoice(document: &Value) -> Option<&Value> {
    document.get("Invoice")?.get(0)
}

pub(crate) fn supplier(invoice: &Value) -> Option<&Value> {
    first(invoice, "AccountingSupplierParty/Party")
}

pub(crate) fn buyer(invoice: &Value) -> Option<&Value> {
    first(invoice, "AccountingCustomerParty/Party")
}

/// Self-billed types (11–14): the buyer issues the document.
pub(crate) fn is_self_billed(type_code: &str) -> bool {
    matches!(type_code, "11" | "12" | "13" | "14")
}

/// Credit, debit and refund notes, normal or self-billed: they reference an original.
pub(crate) fn is_note(type_code: &str) -> bool {
    matches!(type_code, "02" | "03" | "04" | "12" | "13" | "14")
}

/// What the sandbox remembers of a document to answer queries and judge others: LHDN's
/// summary fields (LHDN.md §1.5) and the keys of the duplicate and reference rules.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Facts {
    pub(crate) internal_id: String,
    pub(crate) type_code: String,
    pub(crate) version: String,
    pub(crate) issue_date: String,
    pub(crate) issue_time: String,
    pub(crate) currency: String,
    pub(crate) supplier: PartyFacts,
    pub(crate) buyer: PartyFacts,
    pub(crate) total_excluding_tax: Value,
    pub(crate) total_discount: Value,
    pub(crate) total_net_amount: Value,
    pub(crate) total_payable_amount: Value,
    /// LHDN UUIDs of the originals a note references.
    pub(crate) references: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct PartyFacts {
    pub(crate) tin: String,
    pub(crate) name: String,
    pub(crate) id_type: Option<String>,
    pub(crate) id_value: Option<String>,
}

impl PartyFacts {
    fn read(party: Option<&Value>) -> Self {
        let Some(party) = party else {
            return Self::default();
        };
        let registration = REGISTRATION_SCHEMES
            .iter()
            .find_map(|scheme| party_id(party, scheme).map(|v| (*scheme, v)));
        Self {
            tin: party_id(party, "TIN").unwrap_or_default().to_owned(),
            name: text(party, "PartyLegalEntity/RegistrationName")
                .unwrap_or_default()
                .to_owned(),
            id_type: registration.map(|(scheme, _)| scheme.to_owned()),
            id_value: registration.map(|(_, value)| value.to_owned()),
        }
    }
}

impl Facts {
    /// Reads what it can; a missing field stays empty (the validators report it).
    pub(crate) fn read(document: &Value) -> Self {
        let Some(invoice) = invoice(document) else {
            return Self::default();
        };
        let amount = |path: &str| leaf(invoice, path).cloned().unwrap_or(Value::from(0));
        let type_code = first(invoice, "InvoiceTypeCode");
        Self {
            internal_id: text(invoice, "ID").unwrap_or_default().to_owned(),
            type_code: type_code
                .and_then(|t| t.get("_")?.as_str())
                .unwrap_or_default()
                .to_owned(),
            version: type_code
                .and_then(|t| t.get("listVersionID")?.as_str())
                .unwrap_or_default()
                .to_owned(),
            issue_date: text(invoice, "IssueDate").unwrap_or_default().to_owned(),
            issue_time: text(invoice, "IssueTime").unwrap_or_default().to_owned(),
            currency: text(invoice, "DocumentCurrencyCode")
                .unwrap_or_default()
                .to_owned(),
            supplier: PartyFacts::read(supplier(invoice)),
            buyer: PartyFacts::read(buyer(invoice)),
            total_excluding_tax: amount("LegalMonetaryTotal/TaxExclusiveAmount"),
            total_discount: amount("LegalMonetaryTotal/AllowanceTotalAmount"),
            total_net_amount: amount("LegalMonetaryTotal/LineExtensionAmount"),
            total_payable_amount: amount("LegalMonetaryTotal/PayableAmount"),
            references: all(invoice, "BillingReference")
                .iter()
                .flat_map(|r| all(r, "InvoiceDocumentReference"))
                .filter_map(|r| text(r, "UUID"))
                .map(str::to_owned)
                .collect(),
        }
    }

    pub(crate) fn self_billed(&self) -> bool {
        is_self_billed(&self.type_code)
    }

    /// Who issues the document: the supplier, or the buyer for self-billed types.
    pub(crate) fn issuer(&self) -> &PartyFacts {
        if self.self_billed() {
            &self.buyer
        } else {
            &self.supplier
        }
    }

    /// Who receives it: the other party.
    pub(crate) fn receiver(&self) -> &PartyFacts {
        if self.self_billed() {
            &self.supplier
        } else {
            &self.buyer
        }
    }

    pub(crate) fn type_name(&self) -> &'static str {
        match self.type_code.as_str() {
            "01" => "Invoice",
            "02" => "Credit Note",
            "03" => "Debit Note",
            "04" => "Refund Note",
            "11" => "Self-billed Invoice",
            "12" => "Self-billed Credit Note",
            "13" => "Self-billed Debit Note",
            "14" => "Self-billed Refund Note",
            _ => "",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn facts_of_a_self_billed_document_name_the_buyer_as_issuer() {
        let document = json!({"Invoice": [{
            "ID": [{"_": "SB-1"}],
            "InvoiceTypeCode": [{"_": "11", "listVersionID": "1.0"}],
            "AccountingSupplierParty": [{"Party": [{"PartyIdentification": [
                {"ID": [{"_": "EI00000000030", "schemeID": "TIN"}]}]}]}],
            "AccountingCustomerParty": [{"Party": [{"PartyIdentification": [
                {"ID": [{"_": "C1000000000", "schemeID": "TIN"}]},
                {"ID": [{"_": "202001000001", "schemeID": "BRN"}]}]}]}],
        }]});
        let facts = Facts::read(&document);
        assert_eq!(facts.issuer().tin, "C1000000000");
        assert_eq!(facts.issuer().id_type.as_deref(), Some("BRN"));
        assert_eq!(facts.receiver().tin, "EI00000000030");
        assert_eq!(facts.version, "1.0");
    }
}
