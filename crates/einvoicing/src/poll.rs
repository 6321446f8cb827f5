//! Polling accepted submissions (Get Submission, the only endorsed way: LHDN.md §1.5) until
//! each document is valid or invalid: first after a few seconds, then at a growing interval.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use niaga_domain::einvoice::{RecordValidation, SubmissionStep};
use niaga_lhdn::client::{DocumentStatus, DocumentSummary};
use niaga_projections::lhdn_documents::{self, LhdnDocument};

use crate::document::DocumentRef;
use crate::send::Attempt;
use crate::{CycleReport, PollTimer, Submitter, SubmitterError, count};

/// LHDN's largest page of a submission's documents.
const PAGE_SIZE: u32 = 100;

impl Submitter {
    pub(crate) async fn poll(
        &self,
        now: DateTime<Utc>,
        report: &mut CycleReport,
    ) -> Result<(), SubmitterError> {
        let accepted = lhdn_documents::with_status(
            &self.db,
            lhdn_documents::ACCEPTED,
            self.settings.documents_per_cycle,
        )
        .await?;
        let mut by_submission: BTreeMap<String, Vec<LhdnDocument>> = BTreeMap::new();
        for row in accepted {
            if let Some(uid) = row.submission_uid.clone() {
                by_submission.entry(uid).or_default().push(row);
            }
        }
        // The submissions due now, picked under the lock and polled without it.
        let due: Vec<(String, PollTimer)> = {
            let mut timers = self.polls.lock().await;
            timers.retain(|uid, _| by_submission.contains_key(uid));
            by_submission
                .keys()
                .filter_map(|uid| {
                    let timer = *timers.entry(uid.clone()).or_insert(PollTimer {
                        next_at: now + self.settings.first_poll,
                        interval: self.settings.first_poll,
                    });
                    (now >= timer.next_at).then(|| (uid.clone(), timer))
                })
                .collect()
        };
        for (uid, timer) in due {
            let summaries = match self.submission_documents(&uid).await {
                Ok(summaries) => summaries,
                Err(error) if error.is_transient() => {
                    count(report, "poll_later");
                    Vec::new()
                }
                Err(error) => return Err(error.into()),
            };
            let mut open = 0;
            for row in by_submission.get(&uid).into_iter().flatten() {
                let summary = summaries
                    .iter()
                    .find(|s| Some(&s.uuid) == row.document_uuid.as_ref());
                let settled = match (summary, attempt_of(row)) {
                    (Some(summary), Some(attempt)) => {
                        self.record_verdict(&attempt, summary, now, report).await?
                    }
                    _ => false,
                };
                if !settled {
                    open += 1;
                }
            }
            let mut timers = self.polls.lock().await;
            if open == 0 {
                timers.remove(&uid);
            } else {
                let interval = grow(timer.interval, self.settings.slowest_poll);
                timers.insert(
                    uid,
                    PollTimer {
                        next_at: now + interval,
                        interval,
                    },
                );
            }
        }
        Ok(())
    }

    /// Every document of a submission, page by page.
    async fn submission_documents(
        &self,
        uid: &str,
    ) -> Result<Vec<DocumentSummary>, niaga_lhdn::client::ClientError> {
        let mut all = Vec::new();
        for page in 1.. {
            let submission = self.client.submission(uid, page, PAGE_SIZE).await?;
            let fetched = submission.document_summary.len();
            all.extend(submission.document_summary);
            if fetched < PAGE_SIZE as usize || all.len() >= submission.document_count as usize {
                break;
            }
        }
        Ok(all)
    }

    /// Records LHDN's verdict on the document of `attempt` as `summary` gives it, if there
    /// is one yet: what polling and reconciling both do with a document LHDN holds. `false`
    /// while LHDN is still at it.
    pub(crate) async fn record_verdict(
        &self,
        attempt: &Attempt,
        summary: &DocumentSummary,
        now: DateTime<Utc>,
        report: &mut CycleReport,
    ) -> Result<bool, SubmitterError> {
        match (summary.status, &summary.long_id) {
            (DocumentStatus::Valid, Some(long_id)) => {
                let step = SubmissionStep::Validate(RecordValidation {
                    document_uuid: summary.uuid.clone(),
                    long_id: long_id.clone(),
                    validated_at: summary.date_time_validated.unwrap_or(now),
                });
                self.record(&attempt.document, step, now).await?;
                count(report, "valid");
                Ok(true)
            }
            // Valid, its long id not given yet (it can come late): poll again.
            (DocumentStatus::Valid, None) | (DocumentStatus::Submitted, _) => Ok(false),
            (DocumentStatus::Invalid, _) => {
                let details = self.client.document_details(&summary.uuid).await?;
                self.record_rejection(attempt, Some(&summary.uuid), &details.errors(), now)
                    .await?;
                count(report, "invalid");
                Ok(true)
            }
            // Cancelled on LHDN's portal, not through us: shown as LHDN has it.
            (DocumentStatus::Cancelled, _) => {
                tracing::warn!(document_uuid = %summary.uuid, "cancelled at LHDN outside Niaga");
                Ok(true)
            }
        }
    }
}

/// The latest submission of the document of `row`.
fn attempt_of(row: &LhdnDocument) -> Option<Attempt> {
    Some(Attempt {
        document: DocumentRef::of(row)?,
        attempt: u32::try_from(row.attempt).unwrap_or(0),
    })
}

/// The next interval: half as long again, at most `slowest`.
fn grow(interval: Duration, slowest: Duration) -> Duration {
    (interval + interval / 2)
        .min(slowest)
        .max(Duration::from_millis(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polling_slows_down_to_the_slowest_interval() {
        let slowest = Duration::from_secs(60);
        let mut interval = Duration::from_secs(3);
        let mut seen = vec![interval.as_secs_f64()];
        for _ in 0..10 {
            interval = grow(interval, slowest);
            seen.push(interval.as_secs_f64());
        }
        assert_eq!(seen[..4], [3.0, 4.5, 6.75, 10.125]);
        assert_eq!(*seen.last().unwrap_or(&0.0), 60.0);
    }
}
