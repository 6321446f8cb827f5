//! Submitting: documents ready to go are stored signed and recorded as started before a byte
//! leaves, then sent in batches; LHDN's answer for each is recorded.

use chrono::{DateTime, Utc};
use niaga_documents::NewDocument;
use niaga_domain::business_day;
use niaga_domain::einvoice::{
    HoldSubmission, LhdnProblem, RecordAcceptance, RecordRejection, StartSubmission, SubmissionStep,
};
use niaga_lhdn::client::{ClientError, LhdnError, SignedDocument, SubmissionAnswer};
use niaga_projections::lhdn_documents;

use crate::document::{DocumentRef, Stepped};
use crate::{CycleReport, Submitter, SubmitterError, count, envelope_bytes, pack};

/// The kind of a signed document kept in the document store: exactly what was sent.
pub const SUBMITTED_DOCUMENT: &str = "lhdn_submitted_document";

/// Which submission of which document: what LHDN's answers are recorded against.
#[derive(Debug, Clone)]
pub(crate) struct Attempt {
    pub document: DocumentRef,
    pub attempt: u32,
}

/// One document on its way, and the signed bytes.
#[derive(Debug, Clone)]
pub(crate) struct Outgoing {
    pub attempt: Attempt,
    pub signed: SignedDocument,
}

impl Submitter {
    pub(crate) async fn submit_ready(
        &self,
        now: DateTime<Utc>,
        report: &mut CycleReport,
    ) -> Result<(), SubmitterError> {
        let ready =
            lhdn_documents::ready_to_submit(&self.db, self.settings.documents_per_cycle).await?;
        let mut outgoing = Vec::new();
        for row in ready {
            let Some(document) = DocumentRef::of(&row) else {
                tracing::error!(document = %row.document_id, "an LHDN document row names no document");
                count(report, "unreadable");
                continue;
            };
            let prepared = match self.prepare(document.clone(), &row, now).await? {
                Ok(prepared) => prepared,
                Err(reason) => {
                    self.hold(&document, &row.number, reason.to_string(), now, report)
                        .await?;
                    continue;
                }
            };
            let issued_on = business_day(prepared.issued_at);
            let stored = self
                .documents
                .put(
                    NewDocument {
                        kind: SUBMITTED_DOCUMENT,
                        document_id: row.document_id.clone(),
                        version: u64::try_from(row.attempt).unwrap_or(0) + 1,
                        media_type: "application/json",
                        issued_on,
                        bytes: prepared.signed.bytes.clone(),
                    },
                    now,
                )
                .await?;
            let start = SubmissionStep::Start(StartSubmission {
                document_hash: prepared.signed.hash(),
                signed_copy: *stored.key.as_uuid(),
            });
            let attempt = match self.step(&prepared.document, start, now).await? {
                Stepped::Recorded {
                    started: Some(attempt),
                } => attempt,
                Stepped::Recorded { started: None } => continue,
                // The aggregate says no (under way, validated, too late): nothing to send.
                Stepped::Refused(reason) => {
                    tracing::warn!(document = %row.number, %reason, "not submitted to LHDN");
                    count(report, "refused_to_start");
                    continue;
                }
            };
            outgoing.push(Outgoing {
                attempt: Attempt {
                    document: prepared.document,
                    attempt,
                },
                signed: prepared.signed,
            });
        }
        self.send_all(outgoing, now, report).await
    }

    /// Holds back a document that cannot be sent, with why: it leaves the work list, so it
    /// never stands in the way of the documents behind it, and shows as `held`.
    async fn hold(
        &self,
        document: &DocumentRef,
        number: &str,
        why: String,
        now: DateTime<Utc>,
        report: &mut CycleReport,
    ) -> Result<(), SubmitterError> {
        tracing::warn!(document = %number, reason = %why, "held back: not submitted to LHDN");
        let step = SubmissionStep::Hold(HoldSubmission {
            problems: vec![LhdnProblem {
                code: None,
                message: why,
                property_path: None,
            }],
        });
        match self.step(document, step, now).await? {
            Stepped::Recorded { .. } => count(report, "held"),
            // Under way or validated after all: the work list was behind its stream.
            Stepped::Refused(reason) => {
                tracing::warn!(document = %number, %reason, "not held");
                count(report, "refused_to_hold");
            }
        }
        Ok(())
    }

    /// Sends `outgoing` in batches within LHDN's limits and records each answer.
    pub(crate) async fn send_all(
        &self,
        outgoing: Vec<Outgoing>,
        now: DateTime<Utc>,
        report: &mut CycleReport,
    ) -> Result<(), SubmitterError> {
        let (batches, too_large) = pack(
            outgoing,
            |o| o.signed.bytes.len(),
            |o| envelope_bytes(o.signed.bytes.len(), &o.signed.code_number),
            &self.settings.limits,
        );
        for document in too_large {
            tracing::warn!(document = %document.signed.code_number, "too large for a submission");
            count(report, "too_large");
        }
        for batch in batches {
            self.send(&batch, now, report).await?;
        }
        Ok(())
    }

    async fn send(
        &self,
        batch: &[Outgoing],
        now: DateTime<Utc>,
        report: &mut CycleReport,
    ) -> Result<(), SubmitterError> {
        let documents: Vec<SignedDocument> = batch.iter().map(|o| o.signed.clone()).collect();
        match self.client.submit(&documents).await {
            Ok(answer) => self.record_answer(batch, &answer, now, report).await,
            // The request reached LHDN and was refused as a whole: nothing was taken in.
            Err(ClientError::Refused { error, .. }) => {
                for document in batch {
                    self.record_rejection(&document.attempt, None, &[(*error).clone()], now)
                        .await?;
                    count(report, "rejected");
                }
                Ok(())
            }
            // LHDN may hold these documents (a lost answer, a duplicate of an earlier send)
            // or may not (a 429 before it looked): reconciled next, never resent blindly.
            Err(
                error @ (ClientError::DuplicateSubmission { .. }
                | ClientError::RateLimited { .. }
                | ClientError::Transport(_)
                | ClientError::Unavailable { .. }
                | ClientError::UnexpectedAnswer { .. }
                | ClientError::NotFound { .. }),
            ) => {
                tracing::warn!(%error, documents = batch.len(), "submission unanswered: to reconcile");
                for _ in batch {
                    count(report, "unanswered");
                }
                Ok(())
            }
            Err(error @ (ClientError::Login { .. } | ClientError::Config(_))) => Err(error.into()),
        }
    }

    async fn record_answer(
        &self,
        batch: &[Outgoing],
        answer: &SubmissionAnswer,
        now: DateTime<Utc>,
        report: &mut CycleReport,
    ) -> Result<(), SubmitterError> {
        for document in batch {
            let code = document.signed.code_number.as_str();
            if let Some(accepted) = answer
                .accepted_documents
                .iter()
                .find(|a| a.invoice_code_number == code)
                && let Some(submission_uid) = &answer.submission_uid
            {
                self.record_acceptance(&document.attempt, submission_uid, &accepted.uuid, now)
                    .await?;
                count(report, "submitted");
            } else if let Some(rejected) = answer
                .rejected_documents
                .iter()
                .find(|r| r.invoice_code_number == code)
            {
                let errors = std::slice::from_ref(&rejected.error);
                self.record_rejection(&document.attempt, None, errors, now)
                    .await?;
                count(report, "rejected");
            } else {
                // Neither: left to reconcile, which asks LHDN.
                count(report, "unanswered");
            }
        }
        Ok(())
    }

    pub(crate) async fn record_acceptance(
        &self,
        document: &Attempt,
        submission_uid: &str,
        document_uuid: &str,
        now: DateTime<Utc>,
    ) -> Result<(), SubmitterError> {
        let step = SubmissionStep::Accept(RecordAcceptance {
            attempt: document.attempt,
            submission_uid: submission_uid.to_owned(),
            document_uuid: document_uuid.to_owned(),
        });
        self.record(&document.document, step, now).await
    }

    pub(crate) async fn record_rejection(
        &self,
        document: &Attempt,
        document_uuid: Option<&str>,
        errors: &[LhdnError],
        now: DateTime<Utc>,
    ) -> Result<(), SubmitterError> {
        let step = SubmissionStep::Reject(RecordRejection {
            attempt: document.attempt,
            document_uuid: document_uuid.map(str::to_owned),
            problems: problems(errors),
        });
        self.record(&document.document, step, now).await
    }

    /// Records LHDN's answer. A refusal by the aggregate means the answer is already
    /// recorded, or contradicts what is: logged, never fatal to the cycle.
    pub(crate) async fn record(
        &self,
        document: &DocumentRef,
        step: SubmissionStep,
        now: DateTime<Utc>,
    ) -> Result<(), SubmitterError> {
        if let Stepped::Refused(reason) = self.step(document, step, now).await? {
            tracing::warn!(?document, %reason, "LHDN's answer not recorded");
        }
        Ok(())
    }
}

/// LHDN's errors, every nested detail included, as the problems recorded on the document.
pub(crate) fn problems(errors: &[LhdnError]) -> Vec<LhdnProblem> {
    errors
        .iter()
        .flat_map(LhdnError::flatten)
        .map(|error| LhdnProblem {
            code: error.code.clone(),
            message: error.message.clone(),
            property_path: error.property_path.clone(),
        })
        .collect()
}
