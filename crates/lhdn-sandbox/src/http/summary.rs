//! A document as LHDN's queries show it: the summary of Get Submission and Get Document
//! (LHDN.md §1.5) and the differently named one of Recent and Search (§1.6).

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value, json};

use crate::registry::Registry;
use crate::state::StoredDocument;

pub(crate) fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn optional(at: Option<DateTime<Utc>>) -> Value {
    at.map_or(Value::Null, |at| Value::String(timestamp(at)))
}

fn issued(document: &StoredDocument) -> String {
    format!(
        "{}T{}",
        document.facts.issue_date, document.facts.issue_time
    )
}

/// The fields both shapes share.
fn common(document: &StoredDocument, now: DateTime<Utc>) -> Map<String, Value> {
    let facts = &document.facts;
    let issuer = facts.issuer();
    let receiver = facts.receiver();
    let value = json!({
        "uuid": document.uuid,
        "submissionUid": document.submission_uid,
        "longId": document.visible_long_id(now),
        "internalId": facts.internal_id,
        "typeName": facts.type_name(),
        "typeVersionName": facts.version,
        "issuerTin": issuer.tin,
        "issuerName": issuer.name,
        "receiverId": receiver.id_value,
        "receiverName": receiver.name,
        "dateTimeIssued": issued(document),
        "dateTimeReceived": timestamp(document.received_at),
        "dateTimeValidated": optional(document.validated_at),
        "status": document.status.as_str(),
        "cancelDateTime": optional(document.cancelled_at),
        "rejectRequestDateTime": optional(document.reject_requested_at),
        "documentStatusReason": document.status_reason,
        "createdByUserId": document.submitter.client_id,
    });
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// Get Submission's `documentSummary[]` item and the base of Get Document.
pub(crate) fn summary(document: &StoredDocument, now: DateTime<Utc>) -> Map<String, Value> {
    let mut map = common(document, now);
    let facts = &document.facts;
    map.insert(
        "totalExcludingTax".into(),
        facts.total_excluding_tax.clone(),
    );
    map.insert("totalDiscount".into(), facts.total_discount.clone());
    map.insert("totalNetAmount".into(), facts.total_net_amount.clone());
    map.insert(
        "totalPayableAmount".into(),
        facts.total_payable_amount.clone(),
    );
    map
}

/// An item of Get Recent Documents and Search Documents.
pub(crate) fn listed(
    document: &StoredDocument,
    registry: &Registry,
    now: DateTime<Utc>,
) -> Map<String, Value> {
    let mut map = common(document, now);
    let facts = &document.facts;
    // LHDN names the submission UID in capitals here.
    if let Some(uid) = map.remove("submissionUid") {
        map.insert("submissionUID".into(), uid);
    }
    let intermediary = document
        .submitter
        .intermediary_tin
        .as_deref()
        .and_then(|tin| registry.get(tin));
    for (key, value) in [
        ("totalSales", facts.total_excluding_tax.clone()),
        ("totalDiscount", facts.total_discount.clone()),
        ("netAmount", facts.total_net_amount.clone()),
        ("total", facts.total_payable_amount.clone()),
        ("supplierTin", facts.supplier.tin.clone().into()),
        ("supplierName", facts.supplier.name.clone().into()),
        ("buyerTin", facts.buyer.tin.clone().into()),
        ("buyerName", facts.buyer.name.clone().into()),
        ("submissionChannel", "ERP".into()),
        (
            "intermediaryName",
            intermediary.map(|i| i.name.clone()).into(),
        ),
        (
            "intermediaryTin",
            intermediary.map(|i| i.tin.clone()).into(),
        ),
        (
            "intermediaryROB",
            intermediary.map(|i| i.id_value.clone()).into(),
        ),
    ] {
        map.insert(key.into(), value);
    }
    map
}
