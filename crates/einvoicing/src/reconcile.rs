//! Reconciling a submission recorded as started but never answered: LHDN is asked whether it
//! has the document (by our number, from shortly before the submission started). Found, its
//! answer is recorded and polling takes over. Not found, the very same signed bytes go again:
//! should the first send have arrived after all, LHDN refuses the copy (the same body within
//! 10 minutes is `DuplicateSubmission`; the same document within 2 hours is invalid), so the
//! document is never accepted twice.

use chrono::{DateTime, TimeDelta, Utc};
use niaga_documents::DocumentKey;
use niaga_domain::einvoice::EInvoiceStage;
use niaga_lhdn::client::{DocumentSummary, SignedDocument, hex_sha256};
use niaga_projections::lhdn_documents::{self, LhdnDocument};

use crate::document::DocumentRef;
use crate::send::{Attempt, Outgoing};
use crate::{CycleReport, Submitter, SubmitterError, count};

/// How far before the recorded start LHDN's search looks: clocks differ.
const SEARCH_MARGIN: TimeDelta = TimeDelta::minutes(10);

impl Submitter {
    pub(crate) async fn reconcile(
        &self,
        now: DateTime<Utc>,
        report: &mut CycleReport,
    ) -> Result<(), SubmitterError> {
        let submitting = lhdn_documents::with_status(
            &self.db,
            lhdn_documents::SUBMITTING,
            self.settings.documents_per_cycle,
        )
        .await?;
        let mut resend = Vec::new();
        for row in submitting {
            let Some((outgoing, started_at)) = self.unanswered(&row, now).await? else {
                continue;
            };
            let found = self
                .client
                .search_sent(started_at - SEARCH_MARGIN, now + SEARCH_MARGIN, &row.number)
                .await;
            let found = match found {
                Ok(found) => found
                    .into_iter()
                    .filter(|summary| summary.internal_id.as_deref() == Some(row.number.as_str()))
                    .max_by_key(|summary| summary.date_time_received),
                Err(error) if error.is_transient() => {
                    count(report, "reconcile_later");
                    continue;
                }
                Err(error) => return Err(error.into()),
            };
            match found {
                Some(summary) => {
                    self.adopt(&outgoing.attempt, &summary, now, report).await?;
                    count(report, "reconciled");
                }
                None => {
                    resend.push(outgoing);
                    count(report, "resent");
                }
            }
        }
        self.send_all(resend, now, report).await
    }

    /// The document of `row` with its signed copy, if its latest submission is still
    /// unanswered and old enough to be reconciled.
    async fn unanswered(
        &self,
        row: &LhdnDocument,
        now: DateTime<Utc>,
    ) -> Result<Option<(Outgoing, DateTime<Utc>)>, SubmitterError> {
        let Some(document) = DocumentRef::of(row) else {
            return Ok(None);
        };
        let Some((attempts, stage)) = self.track(&document).await? else {
            return Ok(None);
        };
        let EInvoiceStage::Submitting {
            document_hash,
            signed_copy,
            started_at,
        } = &stage
        else {
            return Ok(None);
        };
        if now - *started_at < self.settings.reconcile_after {
            return Ok(None);
        }
        let (_, bytes) = self
            .documents
            .get(DocumentKey::from_uuid(*signed_copy))
            .await?;
        if hex_sha256(&bytes) != *document_hash {
            // The store checks objects against their hash; this guards the event's own.
            tracing::error!(document = %row.number, "signed copy differs from the submitted hash");
            return Ok(None);
        }
        Ok(Some((
            Outgoing {
                attempt: Attempt {
                    document,
                    attempt: attempts,
                },
                signed: SignedDocument {
                    code_number: row.number.clone(),
                    bytes,
                },
            },
            *started_at,
        )))
    }

    /// Records what LHDN has of a document whose answer was lost: accepted, and valid or
    /// invalid if LHDN got that far.
    async fn adopt(
        &self,
        document: &Attempt,
        summary: &DocumentSummary,
        now: DateTime<Utc>,
        report: &mut CycleReport,
    ) -> Result<(), SubmitterError> {
        let submission_uid = match &summary.submission_uid {
            Some(uid) => uid.clone(),
            None => self
                .client
                .document_details(&summary.uuid)
                .await?
                .summary
                .submission_uid
                .unwrap_or_else(|| summary.uuid.clone()),
        };
        self.record_acceptance(document, &submission_uid, &summary.uuid, now)
            .await?;
        // LHDN may have judged it already; if not, polling takes over.
        self.record_verdict(document, summary, now, report).await?;
        Ok(())
    }
}
