//! The referenced documents validator (LHDN.md §2.4, §1.11): a credit, debit or refund note
//! references Valid originals of its own family (self-billed notes self-billed documents)
//! issued by the same taxpayer.

use super::{Finding, Known};
use crate::state::Status;
use crate::ubl::{Facts, is_note};

const UNKNOWN: &str = "SBX040";
const NOT_VALID: &str = "SBX041";
const WRONG_FAMILY: &str = "SBX042";
const OTHER_ISSUER: &str = "SBX043";

pub(crate) fn check(facts: &Facts, others: &[Known<'_>]) -> Vec<Finding> {
    if !is_note(&facts.type_code) {
        return Vec::new();
    }
    let path = "Invoice.BillingReference.InvoiceDocumentReference.UUID";
    let finding = |code: &str, message: String| Finding::new(code, message).at("UUID", path);
    facts
        .references
        .iter()
        .filter_map(|uuid| {
            let Some(original) = others.iter().find(|o| o.uuid == uuid) else {
                return Some(finding(
                    UNKNOWN,
                    format!("The referenced document {uuid} does not exist"),
                ));
            };
            if original.status != Status::Valid {
                return Some(finding(
                    NOT_VALID,
                    format!("The referenced document {uuid} is not valid"),
                ));
            }
            if original.facts.self_billed() != facts.self_billed() {
                return Some(finding(
                    WRONG_FAMILY,
                    format!(
                        "The referenced document {uuid} is a {}: self-billed notes reference \
                         self-billed documents only, and other notes other documents only",
                        original.facts.type_name()
                    ),
                ));
            }
            if original.facts.issuer().tin != facts.issuer().tin {
                return Some(finding(
                    OTHER_ISSUER,
                    format!("The referenced document {uuid} was issued by another taxpayer"),
                ));
            }
            None
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn facts(type_code: &str, references: &[&str]) -> Facts {
        Facts {
            type_code: type_code.into(),
            references: references.iter().map(|r| (*r).to_owned()).collect(),
            ..Facts::default()
        }
    }

    #[test]
    fn notes_reference_valid_originals_of_their_family() {
        let invoice = facts("01", &[]);
        let self_billed = facts("11", &[]);
        let known = [
            Known {
                uuid: "VALID",
                status: Status::Valid,
                facts: &invoice,
                received_at: Utc::now(),
            },
            Known {
                uuid: "INVALID",
                status: Status::Invalid,
                facts: &invoice,
                received_at: Utc::now(),
            },
            Known {
                uuid: "SELF",
                status: Status::Valid,
                facts: &self_billed,
                received_at: Utc::now(),
            },
        ];
        let codes = |note: Facts| -> Vec<String> {
            check(&note, &known).into_iter().map(|f| f.code).collect()
        };
        assert!(codes(facts("02", &["VALID"])).is_empty());
        assert_eq!(codes(facts("02", &["NOPE"])), [UNKNOWN]);
        assert_eq!(codes(facts("03", &["INVALID"])), [NOT_VALID]);
        assert_eq!(codes(facts("04", &["SELF"])), [WRONG_FAMILY]);
        assert_eq!(codes(facts("12", &["VALID"])), [WRONG_FAMILY]);
        assert!(codes(facts("01", &["NOPE"])).is_empty());
    }
}
