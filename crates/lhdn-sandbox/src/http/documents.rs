//! Get Document (raw), Get Document Details, Get Recent Documents and Search Documents
//! (LHDN.md §1.6), with who may see what: the issuer every status, the receiver only Valid
//! and Cancelled documents; raw never returns Invalid ones.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use serde_json::{Value, json};

use super::submissions::paging;
use super::{CallerExt, Shared, query_map, summary};
use crate::config::Action;
use crate::errors::ApiError;
use crate::state::{Caller, Status, StoredDocument};
use crate::validate::report::validation_results;

const MAX_RESULTS: usize = 10_000;
const WINDOW: TimeDelta = TimeDelta::days(31);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Issuer,
    Receiver,
}

fn side(document: &StoredDocument, caller: &Caller) -> Option<Side> {
    if !caller.may(Action::View) {
        return None;
    }
    if document.issuer_tin() == caller.tin {
        Some(Side::Issuer)
    } else if document.receiver_tin() == caller.tin {
        Some(Side::Receiver)
    } else {
        None
    }
}

fn receiver_may_see(status: Status) -> bool {
    matches!(status, Status::Valid | Status::Cancelled)
}

/// One document as `caller` may see it, with the summary fields and `extra` (the raw text
/// or the validation results); 404 for what the caller may not see.
fn one_document(
    sandbox: &Shared,
    caller: &Caller,
    uuid: &str,
    issuer_sees_invalid: bool,
    extra: fn(&StoredDocument) -> (&'static str, Value),
) -> Result<Response, ApiError> {
    let now = sandbox.now();
    let state = sandbox.state();
    let document = state.documents.get(uuid).ok_or_else(ApiError::not_found)?;
    let visible = match side(document, caller) {
        Some(Side::Issuer) => issuer_sees_invalid || document.status != Status::Invalid,
        Some(Side::Receiver) => receiver_may_see(document.status),
        None => false,
    };
    if !visible {
        return Err(ApiError::not_found());
    }
    let mut body = summary::summary(document, now);
    let (key, value) = extra(document);
    body.insert(key.into(), value);
    Ok(axum::Json(Value::Object(body)).into_response())
}

/// The document as submitted; never an Invalid one.
pub(super) async fn raw(
    State(sandbox): State<Shared>,
    caller: CallerExt,
    Path(uuid): Path<String>,
) -> Result<Response, ApiError> {
    one_document(&sandbox, &caller, &uuid, false, |d| {
        ("document", Value::String(d.raw.clone()))
    })
}

/// The validation results; the issuer also sees them for Invalid documents.
pub(super) async fn details(
    State(sandbox): State<Shared>,
    caller: CallerExt,
    Path(uuid): Path<String>,
) -> Result<Response, ApiError> {
    one_document(&sandbox, &caller, &uuid, true, |d| {
        ("validationResults", validation_results(d.status, &d.steps))
    })
}

/// A date-time filter value: RFC 3339, or a date (its start).
fn instant(query: &HashMap<String, String>, name: &str) -> Result<Option<DateTime<Utc>>, ApiError> {
    let Some(text) = query.get(name) else {
        return Ok(None);
    };
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Ok(Some(at.with_timezone(&Utc)));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| Some(d.and_utc()))
        .ok_or_else(|| ApiError::bad_argument(format!("{name} is not a date-time")))
}

#[derive(Debug)]
struct Filter {
    submitted: (Option<DateTime<Utc>>, Option<DateTime<Utc>>),
    issued: (Option<DateTime<Utc>>, Option<DateTime<Utc>>),
    direction: Option<Side>,
    status: Option<Status>,
    document_type: Option<String>,
    uuid: Option<String>,
    /// (TIN, id type, id value) of the other party.
    counterparty_tin: Option<String>,
    counterparty_id: Option<String>,
    search: Option<String>,
}

impl Filter {
    fn read(query: &HashMap<String, String>) -> Result<Self, ApiError> {
        let direction = match query.get("invoicedirection").map(String::as_str) {
            None => None,
            Some(d) if d.eq_ignore_ascii_case("sent") => Some(Side::Issuer),
            Some(d) if d.eq_ignore_ascii_case("received") => Some(Side::Receiver),
            Some(_) => {
                return Err(ApiError::bad_argument(
                    "InvoiceDirection is Sent or Received",
                ));
            }
        };
        // Receiver filters only for sent documents, issuer filters only for received ones.
        let receiver = ["receiverid", "receiveridtype", "receivertin"];
        let issuer = ["issuerid", "issueridtype", "issuertin"];
        let given = |names: &[&str]| names.iter().any(|n| query.contains_key(*n));
        if given(&receiver) && direction != Some(Side::Issuer) {
            return Err(ApiError::bad_argument(
                "receiver filters need InvoiceDirection=Sent",
            ));
        }
        if given(&issuer) && direction != Some(Side::Receiver) {
            return Err(ApiError::bad_argument(
                "issuer filters need InvoiceDirection=Received",
            ));
        }
        let status = match query.get("status") {
            None => None,
            Some(text) => {
                Some(Status::parse(text).ok_or_else(|| ApiError::bad_argument("unknown status"))?)
            }
        };
        let search = query.get("searchquery").cloned();
        if search.as_deref().is_some_and(|s| {
            !s.chars()
                .all(|c| c.is_alphanumeric() || c == ' ' || c == '-' || c == '.')
        }) {
            return Err(ApiError::bad_argument(
                "searchQuery may not contain special characters",
            ));
        }
        Ok(Self {
            submitted: (
                instant(query, "submissiondatefrom")?,
                instant(query, "submissiondateto")?,
            ),
            issued: (
                instant(query, "issuedatefrom")?,
                instant(query, "issuedateto")?,
            ),
            direction,
            status,
            document_type: query.get("documenttype").cloned(),
            uuid: query.get("uuid").cloned(),
            counterparty_tin: query.get("receivertin").or(query.get("issuertin")).cloned(),
            counterparty_id: query.get("receiverid").or(query.get("issuerid")).cloned(),
            search: search.map(|s| s.to_lowercase()),
        })
    }

    fn within(
        (from, to): (Option<DateTime<Utc>>, Option<DateTime<Utc>>),
        at: DateTime<Utc>,
    ) -> bool {
        from.is_none_or(|from| at >= from) && to.is_none_or(|to| at <= to)
    }

    fn matches(&self, document: &StoredDocument, caller: &Caller) -> bool {
        let Some(side) = side(document, caller) else {
            return false;
        };
        let facts = &document.facts;
        let issued = crate::validate::issued_at(facts);
        let counterparty = match side {
            Side::Issuer => facts.receiver(),
            Side::Receiver => facts.issuer(),
        };
        (side == Side::Issuer || receiver_may_see(document.status))
            && self.direction.is_none_or(|d| d == side)
            && self.status.is_none_or(|s| s == document.status)
            && self
                .document_type
                .as_deref()
                .is_none_or(|t| t == facts.type_code)
            && self.uuid.as_deref().is_none_or(|u| u == document.uuid)
            && self
                .counterparty_tin
                .as_deref()
                .is_none_or(|t| t == counterparty.tin)
            && self
                .counterparty_id
                .as_deref()
                .is_none_or(|i| counterparty.id_value.as_deref() == Some(i))
            && Self::within(self.submitted, document.received_at)
            && (self.issued == (None, None)
                || issued.is_some_and(|at| Self::within(self.issued, at)))
            && self.search.as_deref().is_none_or(|q| {
                [
                    document.uuid.as_str(),
                    facts.internal_id.as_str(),
                    facts.supplier.tin.as_str(),
                    facts.supplier.name.as_str(),
                    facts.buyer.tin.as_str(),
                    facts.buyer.name.as_str(),
                    &facts.total_payable_amount.to_string(),
                ]
                .iter()
                .any(|field| field.to_lowercase().contains(q))
            })
    }
}

fn listing(
    sandbox: &Shared,
    caller: &Caller,
    filter: &Filter,
    since: Option<DateTime<Utc>>,
    (page, size): (usize, usize),
) -> Value {
    let now = sandbox.now();
    let state = sandbox.state();
    let mut found: Vec<&StoredDocument> = state
        .documents
        .values()
        .filter(|d| since.is_none_or(|since| d.received_at >= since))
        .filter(|d| filter.matches(d, caller))
        .collect();
    // Newest first, at most 10,000.
    found.sort_by_key(|d| std::cmp::Reverse(d.received_at));
    found.truncate(MAX_RESULTS);
    let result: Vec<Value> = found
        .iter()
        .skip((page - 1).saturating_mul(size))
        .take(size)
        .map(|d| Value::Object(summary::listed(d, &sandbox.registry, now)))
        .collect();
    json!({
        "result": result,
        "metadata": {"totalPages": found.len().div_ceil(size), "totalCount": found.len()},
    })
}

/// Recent and Search: the same filters and result, each with its own date rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Listing {
    Recent,
    Search,
}

fn list(
    sandbox: &Shared,
    caller: &Caller,
    uri: &Uri,
    listing_kind: Listing,
) -> Result<Response, ApiError> {
    let query = query_map(uri.query());
    let paging = paging(&query, 100)?;
    let filter = Filter::read(&query)?;
    let since = match listing_kind {
        // The last 31 days only.
        Listing::Recent => Some(sandbox.now() - WINDOW),
        Listing::Search => {
            // One complete date pair is required, spanning at most 31 days.
            let window = match (filter.submitted, filter.issued) {
                ((Some(from), Some(to)), _) | (_, (Some(from), Some(to))) => to - from,
                _ => {
                    return Err(ApiError::bad_argument(
                        "submissionDateFrom and submissionDateTo, or issueDateFrom and \
                         issueDateTo, are required",
                    ));
                }
            };
            if window > WINDOW || window < TimeDelta::zero() {
                return Err(ApiError::bad_argument(
                    "The date range may span at most 31 days",
                ));
            }
            None
        }
    };
    Ok(axum::Json(listing(sandbox, caller, &filter, since, paging)).into_response())
}

pub(super) async fn recent(
    State(sandbox): State<Shared>,
    caller: CallerExt,
    uri: Uri,
) -> Result<Response, ApiError> {
    list(&sandbox, &caller, &uri, Listing::Recent)
}

pub(super) async fn search(
    State(sandbox): State<Shared>,
    caller: CallerExt,
    uri: Uri,
) -> Result<Response, ApiError> {
    list(&sandbox, &caller, &uri, Listing::Search)
}
