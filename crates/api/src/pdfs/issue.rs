//! Issuing one PDF: store it once under a key made from what it is, then record it on its
//! document's stream once. Both steps find what an earlier attempt did, so a retry, a
//! replay of the feed or a second instance issues nothing twice.

use chrono::{DateTime, NaiveDate, Utc};
use niaga_documents::{DocumentError, DocumentKey, NewDocument};
use niaga_domain::{Actor, Aggregate, Ctx, DomainEvent, PdfIssued, PdfKind, values::Sha256Hex};
use niaga_pdf::{Letterhead, PdfError};
use niaga_store::{CommandOptions, RecordedEvent, StreamRef, audit::history_at, decode};
use serde::{Serialize, de::DeserializeOwned};
use uuid::Uuid;

use super::{PdfIssueError, settings};
use crate::app::AppState;

/// The namespace of PDF document keys (UUIDv5). Never change: stored keys were made in it.
const KEY_NAMESPACE: Uuid = Uuid::from_u128(0x6e69_6167_612d_7064_662d_6b65_7973_0001);

/// What a PDF is: a document, as of a version of its stream.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PdfSubject {
    pub kind: PdfKind,
    pub document_id: Uuid,
    pub version: u64,
    /// The business day the document was issued: its retention runs from the end of that
    /// year.
    pub issued_on: NaiveDate,
}

impl PdfSubject {
    /// The stored document's key: the same subject always gets the same key.
    pub(crate) fn key(&self) -> DocumentKey {
        let name = format!(
            "{}/{}/{}",
            self.kind.store_kind(),
            self.document_id,
            self.version
        );
        DocumentKey::from_uuid(Uuid::new_v5(&KEY_NAMESPACE, name.as_bytes()))
    }
}

/// Issues the PDF `event` calls for: stores it (rendered by `render` with the company's
/// letterhead, unless stored already) and records it on the event's stream with `command`
/// (the aggregate's `RecordPdf`). Whether a PDF event was appended.
pub(crate) async fn issue<A>(
    state: &AppState,
    event: &RecordedEvent,
    subject: PdfSubject,
    render: impl FnOnce(&Letterhead) -> Result<Vec<u8>, PdfError> + Send + 'static,
    command: fn(PdfIssued) -> A::Command,
) -> Result<bool, PdfIssueError>
where
    A: Aggregate + Serialize + DeserializeOwned,
{
    let letterhead = settings::letterhead(state.company());
    let pdf = store_once(state, subject, move || render(&letterhead)).await?;
    record::<A>(state, &event.stream.stream_id, command(pdf), event.event_id).await
}

/// The event as its aggregate's type.
pub(crate) fn decoded<E: DomainEvent>(event: &RecordedEvent) -> Result<E, PdfIssueError> {
    decode(event).map_err(|e| PdfIssueError::Corrupt(e.to_string()))
}

/// Stores the PDF of `subject` unless it is stored already (then `render` is not called),
/// and returns what its event records.
pub(crate) async fn store_once(
    state: &AppState,
    subject: PdfSubject,
    render: impl FnOnce() -> Result<Vec<u8>, PdfError> + Send + 'static,
) -> Result<PdfIssued, PdfIssueError> {
    let key = subject.key();
    let stored = match state.documents().find(key).await {
        Ok(found) => found,
        Err(DocumentError::NotFound(_)) => {
            // Layout is CPU work of a few hundred milliseconds: off the async workers.
            let bytes = tokio::task::spawn_blocking(render).await??;
            let document = NewDocument {
                kind: subject.kind.store_kind(),
                document_id: subject.document_id.to_string(),
                version: subject.version,
                media_type: niaga_pdf::MEDIA_TYPE,
                issued_on: subject.issued_on,
                bytes,
            };
            state
                .documents()
                .put_once(key, document, state.clock().now())
                .await?
        }
        Err(other) => return Err(other.into()),
    };
    Ok(PdfIssued {
        kind: subject.kind,
        document_id: subject.document_id,
        version: subject.version,
        document_key: *stored.key.as_uuid(),
        sha256: Sha256Hex::parse(&stored.sha256)
            .map_err(|e| PdfIssueError::Corrupt(format!("document {key}: {e}")))?,
        size_bytes: stored.size_bytes,
    })
}

/// Records the PDF on the stream `stream_id` of `A` with `command` (its `RecordPdf`); the
/// aggregate answers nothing new when it is recorded already. Whether an event was appended.
async fn record<A>(
    state: &AppState,
    stream_id: &str,
    command: A::Command,
    caused_by: Uuid,
) -> Result<bool, PdfIssueError>
where
    A: Aggregate + Serialize + DeserializeOwned,
{
    let ctx = Ctx::new(
        state.clock().now(),
        Actor::System("pdf-issuer".into()),
        Uuid::now_v7(),
    );
    let options = CommandOptions {
        causation_id: Some(caused_by),
        ..CommandOptions::default()
    };
    let outcome = state
        .commands::<A>()
        .execute(stream_id, &command, &ctx, &options)
        .await
        .map_err(|e| PdfIssueError::Record(e.to_string()))?;
    Ok(!outcome.events.is_empty())
}

/// The state of a stream as of `version`: what a document issued at that version showed,
/// whatever happened to it since.
pub(crate) async fn state_at<A: Aggregate>(
    state: &AppState,
    stream_id: &str,
    version: u64,
) -> Result<A, PdfIssueError> {
    let (_, events) = read::<A>(state, stream_id).await?;
    let cut = events.partition_point(|e| e.version <= version);
    fold(&events[..cut])
}

/// The state of a stream as it stood at the instant `at`, as the auditor's as-of view shows
/// it (`GET /audit/streams/…?as_of=`): its longest history recorded by then. At least its
/// first event, though: a document names a record that existed when it was issued, and
/// instances' clocks may differ by a little, so a record created a moment "after" (by
/// another instance's clock) is taken as it was created rather than as missing.
pub(crate) async fn state_as_of<A: Aggregate>(
    state: &AppState,
    stream_id: &str,
    at: DateTime<Utc>,
) -> Result<A, PdfIssueError> {
    let (stream, events) = read::<A>(state, stream_id).await?;
    let cut = history_at(&stream, &events, at).events.len().max(1);
    fold(&events[..cut.min(events.len())])
}

/// Every event of `A`'s stream `stream_id`, in version order.
async fn read<A: Aggregate>(
    state: &AppState,
    stream_id: &str,
) -> Result<(StreamRef, Vec<RecordedEvent>), PdfIssueError> {
    let stream = StreamRef::new(A::STREAM_TYPE, stream_id);
    let events = state.event_store().read_stream(&stream, 0).await?;
    Ok((stream, events))
}

fn fold<A: Aggregate>(history: &[RecordedEvent]) -> Result<A, PdfIssueError> {
    history.iter().try_fold(A::default(), |folded, recorded| {
        Ok(folded.evolve(&decoded::<A::Event>(recorded)?))
    })
}
