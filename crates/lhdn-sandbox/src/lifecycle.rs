//! Cancelling and rejecting a Valid document (LHDN.md §1.7): within 72 hours of its
//! validation, with a reason, by the issuer (cancel) or the receiver (reject, once). A pure
//! decision; the handler applies it.

use chrono::{DateTime, TimeDelta, Utc};

use crate::config::Action;
use crate::errors::ApiError;
use crate::state::{Caller, Status, StoredDocument};

/// `workflowParameters`: cancellation and rejection durations, 72 hours.
pub(crate) const WINDOW: TimeDelta = TimeDelta::hours(72);
const MAX_REASON: usize = 300;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Request {
    Cancel,
    Reject,
}

impl Request {
    pub(crate) fn parse(status: &str) -> Option<Self> {
        match status.to_ascii_lowercase().as_str() {
            "cancelled" => Some(Self::Cancel),
            "rejected" => Some(Self::Reject),
            _ => None,
        }
    }
}

fn bad_request(code: &'static str, message: &str) -> ApiError {
    ApiError::request(axum::http::StatusCode::BAD_REQUEST, code, message)
}

/// Checks the request; `Ok` means apply it.
pub(crate) fn decide(
    document: &StoredDocument,
    caller: &Caller,
    request: Request,
    reason: &str,
    referenced_by_valid_note: bool,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > MAX_REASON {
        return Err(ApiError::bad_argument(
            "A reason of at most 300 characters is required",
        ));
    }
    let (party, action) = match request {
        Request::Cancel => (document.issuer_tin(), Action::Cancel),
        Request::Reject => (document.receiver_tin(), Action::Reject),
    };
    if party != caller.tin || !caller.may(action) {
        return Err(ApiError::forbidden(
            "The document cannot be changed by this taxpayer",
        ));
    }
    if document.status != Status::Valid {
        return Err(bad_request("IncorrectState", "The document is not Valid"));
    }
    if request == Request::Reject && document.reject_requested_at.is_some() {
        return Err(bad_request(
            "IncorrectState",
            "A rejection was already requested",
        ));
    }
    let validated = document.validated_at.unwrap_or(document.received_at);
    if now - validated > WINDOW {
        return Err(bad_request(
            "OperationPeriodOver",
            "The time to change the document's state has passed",
        ));
    }
    if request == Request::Cancel && referenced_by_valid_note {
        return Err(bad_request(
            "ActiveReferencingDocuments",
            "A valid note references the document: cancel the note first",
        ));
    }
    Ok(())
}

/// Applies a decided request.
pub(crate) fn apply(
    document: &mut StoredDocument,
    request: Request,
    reason: &str,
    now: DateTime<Utc>,
) {
    document.status_reason = Some(reason.trim().to_owned());
    match request {
        Request::Cancel => {
            document.status = Status::Cancelled;
            document.cancelled_at = Some(now);
        }
        // The document stays Valid until its issuer cancels it.
        Request::Reject => document.reject_requested_at = Some(now),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::submit::Accepted;
    use crate::ubl::{Facts, PartyFacts};

    fn document(validated_at: DateTime<Utc>) -> StoredDocument {
        let party = |tin: &str| PartyFacts {
            tin: tin.to_owned(),
            ..PartyFacts::default()
        };
        let mut document = StoredDocument::submitted(
            "U".into(),
            "S".into(),
            Accepted {
                code_number: "INV-1".into(),
                raw: String::new(),
                facts: Facts {
                    type_code: "01".into(),
                    supplier: party("C1"),
                    buyer: party("C2"),
                    ..Facts::default()
                },
            },
            caller("C1"),
            validated_at,
        );
        document.status = Status::Valid;
        document.validated_at = Some(validated_at);
        document
    }

    fn caller(tin: &str) -> Caller {
        Caller {
            client_id: "c".into(),
            tin: tin.into(),
            intermediary_tin: None,
            actions: Action::ALL.to_vec(),
        }
    }

    fn code(result: Result<(), ApiError>) -> &'static str {
        match result {
            Ok(()) => "ok",
            Err(ApiError::Request { code, .. }) => code,
            Err(_) => "other",
        }
    }

    #[test]
    fn the_issuer_cancels_within_72_hours() {
        let at = Utc::now();
        let doc = document(at);
        let cancel = |who: &str, now, reason: &str, referenced| {
            code(decide(
                &doc,
                &caller(who),
                Request::Cancel,
                reason,
                referenced,
                now,
            ))
        };
        assert_eq!(
            cancel("C1", at + TimeDelta::hours(71), "wrong price", false),
            "ok"
        );
        assert_eq!(
            cancel("C1", at + TimeDelta::hours(73), "wrong price", false),
            "OperationPeriodOver"
        );
        assert_eq!(cancel("C2", at, "wrong price", false), "Forbidden");
        assert_eq!(cancel("C1", at, " ", false), "BadArgument");
        assert_eq!(cancel("C1", at, &"x".repeat(301), false), "BadArgument");
        assert_eq!(
            cancel("C1", at, "wrong price", true),
            "ActiveReferencingDocuments"
        );
    }

    #[test]
    fn the_receiver_rejects_once_and_the_document_stays_valid() {
        let at = Utc::now();
        let mut doc = document(at);
        assert_eq!(
            code(decide(
                &doc,
                &caller("C2"),
                Request::Reject,
                "not ours",
                false,
                at
            )),
            "ok"
        );
        apply(&mut doc, Request::Reject, "not ours", at);
        assert_eq!(doc.status, Status::Valid);
        assert_eq!(
            code(decide(
                &doc,
                &caller("C2"),
                Request::Reject,
                "again",
                false,
                at
            )),
            "IncorrectState"
        );
        apply(&mut doc, Request::Cancel, "rejected by buyer", at);
        assert_eq!(
            code(decide(
                &doc,
                &caller("C1"),
                Request::Cancel,
                "again",
                false,
                at
            )),
            "IncorrectState"
        );
    }
}
