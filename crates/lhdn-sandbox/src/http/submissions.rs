//! `POST /api/v1.0/documentsubmissions/` and `GET /api/v1.0/documentsubmissions/{uid}`.

use axum::body::to_bytes;
use axum::extract::{Path, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::{CallerExt, CorrelationId, Shared, query_map, summary};
use crate::config::{Action, StructureErrors};
use crate::errors::ApiError;
use crate::ids;
use crate::state::{SeenBody, Status, StoredDocument, Submission};
use crate::store::Write;
use crate::submit::{self, MAX_BODY_BYTES};

pub(super) async fn submit(
    State(sandbox): State<Shared>,
    caller: CallerExt,
    request: Request,
) -> Result<Response, ApiError> {
    let caller = caller.0;
    let correlation_id = request
        .extensions()
        .get::<CorrelationId>()
        .map(|c| c.0.clone())
        .unwrap_or_default();
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = to_bytes(request.into_body(), MAX_BODY_BYTES)
        .await
        .map_err(|_| submit::maximum_size("The submission exceeds 5 MB"))?;
    if !caller.may(Action::Submit) {
        return Err(incorrect_submitter(
            "The intermediary may not submit for this taxpayer",
        ));
    }
    let sha256: [u8; 32] = Sha256::digest(&body).into();
    let now = sandbox.now();
    if let Some(wait) = sandbox.state().duplicate_wait(&sha256, &caller.tin, now) {
        return Err(ApiError::DuplicateSubmission {
            retry_after_seconds: u64::try_from(wait.num_seconds()).unwrap_or(1),
        });
    }
    let items = submit::envelope(content_type.as_deref(), &body, &correlation_id)?;
    let reject_structure = sandbox.structure_errors == StructureErrors::Reject;
    let checked: Vec<_> = items
        .iter()
        .map(|item| submit::document(item, reject_structure))
        .collect();
    // The token's taxpayer must issue every document (LHDN.md §1.2).
    if checked
        .iter()
        .flatten()
        .any(|accepted| accepted.facts.issuer().tin != caller.tin)
    {
        return Err(incorrect_submitter(
            "The authenticated TIN and documents TIN is not matching",
        ));
    }
    let submission_uid = ids::uid();
    let mut accepted = Vec::new();
    let mut rejected = Vec::new();
    let mut documents = Vec::new();
    for result in checked {
        match result {
            Ok(document) => {
                let uuid = ids::uid();
                accepted.push(json!({"uuid": uuid, "invoiceCodeNumber": document.code_number}));
                documents.push(StoredDocument::submitted(
                    uuid,
                    submission_uid.clone(),
                    document,
                    caller.clone(),
                    now,
                ));
            }
            Err(error) => rejected.push(json!({
                "invoiceCodeNumber": error.target,
                "error": error,
            })),
        }
    }
    if documents.is_empty() {
        // A wholly rejected batch is still a 202, without a submission (klsheng #15).
        return Ok((
            StatusCode::ACCEPTED,
            axum::Json(json!({
                "submissionUid": null,
                "acceptedDocuments": [],
                "rejectedDocuments": rejected,
            })),
        )
            .into_response());
    }
    let submission = Submission {
        uid: submission_uid.clone(),
        received_at: now,
        documents: documents.iter().map(|d| d.uuid.clone()).collect(),
        submitter: caller.clone(),
    };
    let mut writes = vec![Write::submission(&submission)];
    writes.extend(documents.iter().map(Write::document));
    {
        let mut state = sandbox.state();
        state.bodies.push(SeenBody {
            sha256,
            tin: caller.tin.clone(),
            at: now,
        });
        for document in documents {
            state.documents.insert(document.uuid.clone(), document);
        }
        state.submissions.insert(submission_uid.clone(), submission);
    }
    sandbox.persist(writes);
    tracing::info!(
        submission_uid,
        accepted = accepted.len(),
        rejected = rejected.len(),
        "submission received"
    );
    sandbox.schedule_validation(submission_uid.clone(), sandbox.faults.fire_validation());
    Ok((
        StatusCode::ACCEPTED,
        axum::Json(json!({
            "submissionUid": submission_uid,
            "acceptedDocuments": accepted,
            "rejectedDocuments": rejected,
        })),
    )
        .into_response())
}

fn incorrect_submitter(message: &str) -> ApiError {
    ApiError::Request {
        status: StatusCode::FORBIDDEN,
        code: "IncorrectSubmitter",
        message: message.to_owned(),
        target: Some("submission".to_owned()),
        details: None,
    }
}

/// Parses `pageNo` (from 1) and `pageSize` (1..=`max`, default `max`).
pub(super) fn paging(
    query: &std::collections::HashMap<String, String>,
    max: usize,
) -> Result<(usize, usize), ApiError> {
    let number = |name: &str, default: usize| match query.get(name) {
        None => Ok(default),
        Some(text) => text
            .parse::<usize>()
            .map_err(|_| ApiError::bad_argument(format!("{name} must be a number"))),
    };
    let page = number("pageno", 1)?;
    let size = number("pagesize", max)?;
    if page == 0 || size == 0 || size > max {
        return Err(ApiError::bad_argument(format!(
            "pageNo starts at 1 and pageSize is 1 to {max}"
        )));
    }
    Ok((page, size))
}

pub(super) async fn get_submission(
    State(sandbox): State<Shared>,
    caller: CallerExt,
    Path(uid): Path<String>,
    request: Request,
) -> Result<Response, ApiError> {
    let query = query_map(request.uri().query());
    let (page, size) = paging(&query, 100)?;
    let now = sandbox.now();
    let state = sandbox.state();
    let submission = state
        .submissions
        .get(&uid)
        .ok_or_else(ApiError::not_found)?;
    // Only the submitter (or the intermediary who submitted for it) may look.
    if submission.submitter.tin != caller.tin {
        return Err(ApiError::forbidden(
            "Only the submitter can read a submission",
        ));
    }
    let documents = state.documents_of(submission);
    let count = |status: Status| documents.iter().filter(|d| d.status == status).count();
    let invalid = count(Status::Invalid);
    let overall = if count(Status::Submitted) > 0 {
        "InProgress"
    } else if invalid == 0 {
        "Valid"
    } else if invalid == documents.len() {
        "Invalid"
    } else {
        "PartiallyValid"
    };
    let page_items: Vec<Value> = documents
        .iter()
        .skip((page - 1).saturating_mul(size))
        .take(size)
        .map(|d| Value::Object(summary::summary(d, now)))
        .collect();
    Ok(axum::Json(json!({
        "submissionUid": submission.uid,
        "documentCount": documents.len(),
        "dateTimeReceived": summary::timestamp(submission.received_at),
        "overallStatus": overall,
        "documentSummary": page_items,
    }))
    .into_response())
}
