//! The command pipeline: load an aggregate, decide, append with the version read; on a
//! concurrent write, reload and decide again a bounded number of times.

use std::sync::{Arc, Mutex, PoisonError};

use niaga_domain::{Aggregate, Ctx, DomainEvent, UpcastError};
use serde::{Serialize, de::DeserializeOwned};
use tokio::sync::Notify;
use tracing::{instrument, warn};
use uuid::Uuid;

use crate::{
    Append, Committed, EventStore, Idempotency, Metadata, NewEvent, NumberSeries, RecordedEvent,
    Snapshot, StoreError, StreamRef, Tip,
    state_cache::{Loaded, StateCache},
};

/// How many times a command is decided again after losing a race before giving up with 409.
const MAX_ATTEMPTS: u32 = 5;
/// A snapshot is taken once a stream has this many events more than its last snapshot…
const SNAPSHOT_EVERY: u64 = 100;
/// …or, on long streams, this fraction of its length more: a snapshot costs as much as the
/// state is large, so taking one every 100 events would make each command slower as the
/// stream grows. A cold load then replays at most a tenth of the stream.
const SNAPSHOT_FRACTION: u64 = 10;

/// Whether a stream at `version` whose last snapshot is at `snapshot_version` is due another.
fn snapshot_due(version: u64, snapshot_version: u64) -> bool {
    version - snapshot_version.min(version) >= SNAPSHOT_EVERY.max(version / SNAPSHOT_FRACTION)
}

/// What the caller asks beside the command itself.
#[derive(Debug, Clone, Default)]
pub struct CommandOptions {
    /// `If-Match`: decide only if the stream is still at this version.
    pub expected_version: Option<u64>,
    /// `Idempotency-Key` with the fingerprint of the request.
    pub idempotency: Option<Idempotency>,
    pub client_address: Option<String>,
    pub causation_id: Option<Uuid>,
    /// The caller has just made the stream's id (a new UUIDv7), so the stream cannot exist
    /// yet: skip loading it. Should it exist after all, the append conflicts and the stream
    /// is loaded as usual.
    pub new_stream: bool,
}

/// What a command did.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome<E> {
    /// The events written (empty when nothing changed or the request was a replay).
    pub events: Vec<E>,
    /// The stream's version after the command.
    pub version: u64,
    /// The global position of the last event written, for read-your-writes.
    pub position: Option<i64>,
    /// True when an idempotency key matched an earlier request: its result is returned and
    /// nothing was written.
    pub replayed: bool,
    /// How many times the command was decided (more than 1 after losing races).
    pub attempts: u32,
}

/// Why a command was not carried out.
#[derive(Debug, thiserror::Error)]
pub enum CommandError<E: std::error::Error + 'static> {
    /// The aggregate refused the command.
    #[error(transparent)]
    Domain(E),
    /// `If-Match` named another version than the stream's.
    #[error("the stream is at version {actual}, not {expected}")]
    VersionMismatch { expected: u64, actual: u64 },
    /// Concurrent writers kept winning; the client may retry.
    #[error("the stream kept changing while the command was decided")]
    Contention { stream: StreamRef },
    #[error("the idempotency key was already used for a different request")]
    IdempotencyKeyReused,
    /// A stored event cannot be read as a current event: a missing upcaster.
    #[error(transparent)]
    Unreadable(#[from] UpcastError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// How a command is decided: on its own, or with the next number of a series.
enum Decision<'a, A: Aggregate> {
    Plain(&'a A::Command),
    Numbered {
        series: &'a NumberSeries,
        command: &'a (dyn Fn(u64) -> Option<A::Command> + Send + Sync),
    },
}

impl<A: Aggregate> Clone for Decision<'_, A> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<A: Aggregate> Copy for Decision<'_, A> {}

/// What one attempt at a command came to.
enum Written<A: Aggregate> {
    Committed(Committed, Vec<A::Event>),
    Nothing,
    Refused(A::Error),
}

/// Runs commands of one aggregate type against the event store.
#[derive(Debug)]
pub struct CommandHandler<A> {
    store: Arc<dyn EventStore>,
    cache: StateCache<A>,
    committed: Option<Arc<Notify>>,
}

impl<A> CommandHandler<A>
where
    A: Aggregate + Serialize + DeserializeOwned,
{
    pub fn new(store: Arc<dyn EventStore>) -> Self {
        Self {
            store,
            cache: StateCache::default(),
            committed: None,
        }
    }

    /// Wakes `notify` after every successful append (in-process projectors listen on it).
    pub fn notify_on_commit(mut self, notify: Arc<Notify>) -> Self {
        self.committed = Some(notify);
        self
    }

    fn stream(stream_id: &str) -> StreamRef {
        StreamRef::new(A::STREAM_TYPE, stream_id)
    }

    /// Decides `command` on the stream `stream_id` and appends what was decided.
    #[instrument(skip_all, fields(stream_type = A::STREAM_TYPE, stream_id = %stream_id, actor = %ctx.actor, correlation_id = %ctx.correlation_id))]
    pub async fn execute(
        &self,
        stream_id: &str,
        command: &A::Command,
        ctx: &Ctx,
        options: &CommandOptions,
    ) -> Result<Outcome<A::Event>, CommandError<A::Error>> {
        self.run(stream_id, Decision::Plain(command), ctx, options)
            .await
    }

    /// Like [`CommandHandler::execute`], for a command that takes the next number of
    /// `series` (issuing an invoice): `command` makes the command from the number (`None`:
    /// no command can carry it, a bug reported as a corrupt store), and the
    /// number is taken in the append's transaction, so a refused or lost command leaves no
    /// gap in the series (docs/decisions/0010-gapless-document-numbers.md).
    #[instrument(skip_all, fields(stream_type = A::STREAM_TYPE, stream_id = %stream_id, series = %series.name, actor = %ctx.actor, correlation_id = %ctx.correlation_id))]
    pub async fn execute_numbered(
        &self,
        stream_id: &str,
        series: &NumberSeries,
        command: &(dyn Fn(u64) -> Option<A::Command> + Send + Sync),
        ctx: &Ctx,
        options: &CommandOptions,
    ) -> Result<Outcome<A::Event>, CommandError<A::Error>> {
        self.run(
            stream_id,
            Decision::Numbered { series, command },
            ctx,
            options,
        )
        .await
    }

    async fn run(
        &self,
        stream_id: &str,
        decision: Decision<'_, A>,
        ctx: &Ctx,
        options: &CommandOptions,
    ) -> Result<Outcome<A::Event>, CommandError<A::Error>> {
        let stream = Self::stream(stream_id);
        if let Some(replay) = self.replay(&stream, options).await? {
            return Ok(replay);
        }
        let slot = self.cache.slot(stream_id);
        let mut cached = slot.lock().await;
        for attempt in 1..=MAX_ATTEMPTS {
            // A state from the cache may be behind the store (another instance, or another
            // handler, wrote since): an append from it conflicts and is decided again, but a
            // refusal or a no-op has no append to catch that, so it is decided again from
            // the store before it is believed.
            let mut from_cache = false;
            let loaded = match cached.take() {
                Some(loaded) => {
                    from_cache = true;
                    loaded
                }
                None if options.new_stream && attempt == 1 => Loaded {
                    state: A::default(),
                    tip: Tip::default(),
                    snapshot_version: 0,
                },
                None => self.load_fresh(&stream).await?,
            };
            let version = loaded.tip.version;
            if let Some(expected) = options.expected_version
                && expected != version
            {
                if from_cache {
                    continue;
                }
                *cached = Some(loaded);
                return Err(CommandError::VersionMismatch {
                    expected,
                    actual: version,
                });
            }
            let unchanged = Outcome {
                events: Vec::new(),
                version,
                position: None,
                replayed: false,
                attempts: attempt,
            };
            // On a store error or a lost race the slot stays empty: the next attempt (or
            // command) reloads from the store.
            let written = match self
                .decide_and_append(&stream, &loaded, decision, ctx, options)
                .await
            {
                Ok(Written::Committed(committed, events)) => (committed, events),
                Ok(Written::Nothing | Written::Refused(_)) if from_cache => continue,
                Ok(Written::Nothing) => {
                    *cached = Some(loaded);
                    return Ok(unchanged);
                }
                Ok(Written::Refused(refusal)) => {
                    *cached = Some(loaded);
                    return Err(CommandError::Domain(refusal));
                }
                Err(CommandError::Store(StoreError::Conflict { actual, .. })) => {
                    if let Some(expected) = options.expected_version {
                        return Err(CommandError::VersionMismatch { expected, actual });
                    }
                    if let Some(replay) = self.replay(&stream, options).await? {
                        return Ok(replay);
                    }
                    continue;
                }
                Err(error) => return Err(error),
            };
            let (committed, events) = written;
            let state = events.iter().fold(loaded.state, A::evolve);
            let tip = Tip {
                version: committed.version,
                hash: committed.hash,
            };
            let mut snapshot_version = loaded.snapshot_version;
            if snapshot_due(tip.version, snapshot_version) {
                self.snapshot(&stream, &state, &tip);
                snapshot_version = tip.version;
            }
            *cached = Some(Loaded {
                state,
                tip,
                snapshot_version,
            });
            if let Some(notify) = &self.committed {
                notify.notify_waiters();
            }
            return Ok(Outcome {
                events,
                version: committed.version,
                position: committed.position,
                replayed: false,
                attempts: attempt,
            });
        }
        Err(CommandError::Contention { stream })
    }

    /// One attempt: decides on `loaded` and appends the events, if any.
    async fn decide_and_append(
        &self,
        stream: &StreamRef,
        loaded: &Loaded<A>,
        decision: Decision<'_, A>,
        ctx: &Ctx,
        options: &CommandOptions,
    ) -> Result<Written<A>, CommandError<A::Error>> {
        let append = |events: &[A::Event]| -> Result<Append, StoreError> {
            Ok(Append {
                stream: stream.clone(),
                expected: loaded.tip.clone(),
                events: events.iter().map(encode).collect::<Result<_, _>>()?,
                metadata: Metadata {
                    actor: ctx.actor.to_string(),
                    correlation_id: ctx.correlation_id,
                    causation_id: options.causation_id,
                    idempotency_key: options.idempotency.as_ref().map(|i| i.key.clone()),
                    client_address: options.client_address.clone(),
                },
                recorded_at: ctx.now,
                idempotency: options.idempotency.clone(),
            })
        };
        match decision {
            Decision::Plain(command) => {
                let events = match loaded.state.decide(command, ctx) {
                    Ok(events) => events,
                    Err(refusal) => return Ok(Written::Refused(refusal)),
                };
                // With an idempotency key even "nothing to do" is recorded, so that a reuse
                // of the key for another request is caught.
                if events.is_empty() && options.idempotency.is_none() {
                    return Ok(Written::Nothing);
                }
                let committed = self.store.append(append(&events)?).await?;
                Ok(Written::Committed(committed, events))
            }
            Decision::Numbered { series, command } => {
                // The store calls `build` inside its transaction; what was decided comes back
                // through `decided`. Nothing to write takes no number.
                let decided = Mutex::new(None);
                let build = |number: u64| {
                    let result = match command(number) {
                        Some(command) => loaded.state.decide(&command, ctx),
                        // Nothing is decided; `result` below reports it.
                        None => return None,
                    };
                    let append = match &result {
                        Ok(events) if !events.is_empty() => append(events).ok(),
                        _ => None,
                    };
                    *decided.lock().unwrap_or_else(PoisonError::into_inner) = Some(result);
                    append
                };
                let committed = self.store.append_numbered(series, &build).await?;
                let Some(result) = decided.into_inner().unwrap_or_else(PoisonError::into_inner)
                else {
                    return Err(StoreError::Corrupt(format!(
                        "the {} series of {} gave a number no command can carry",
                        series.name, series.year
                    ))
                    .into());
                };
                match (committed, result) {
                    (_, Err(refusal)) => Ok(Written::Refused(refusal)),
                    (Some(committed), Ok(events)) => Ok(Written::Committed(committed, events)),
                    (None, Ok(events)) if events.is_empty() => Ok(Written::Nothing),
                    // Decided, but the events could not be encoded: say why.
                    (None, Ok(events)) => {
                        append(&events)?;
                        Ok(Written::Nothing)
                    }
                }
            }
        }
    }

    /// The first result of an idempotent request seen before, if this is a repeat.
    async fn replay(
        &self,
        stream: &StreamRef,
        options: &CommandOptions,
    ) -> Result<Option<Outcome<A::Event>>, CommandError<A::Error>> {
        let Some(idempotency) = &options.idempotency else {
            return Ok(None);
        };
        let record = self
            .store
            .find_idempotency(&stream.stream_type, &idempotency.key)
            .await?;
        match record {
            None => Ok(None),
            // The same request on the same stream: answer as the first time did.
            Some(record)
                if record.stream_id == stream.stream_id
                    && record.request_hash == idempotency.request_hash =>
            {
                Ok(Some(Outcome {
                    events: Vec::new(),
                    version: record.version,
                    position: record.position,
                    replayed: true,
                    attempts: 0,
                }))
            }
            Some(_) => Err(CommandError::IdempotencyKeyReused),
        }
    }

    /// The stream an earlier request with this idempotency key created or changed, so that a
    /// retried *create* (whose client cannot know the new id) lands on the same stream.
    pub async fn stream_for_key(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .store
            .find_idempotency(A::STREAM_TYPE, key)
            .await?
            .map(|record| record.stream_id))
    }

    /// The current state and version of a stream, read from the store (not the cache); `None`
    /// if the stream has no events.
    pub async fn load(&self, stream_id: &str) -> Result<Option<(A, u64)>, CommandError<A::Error>> {
        let loaded = self.load_fresh(&Self::stream(stream_id)).await?;
        Ok((loaded.tip.version > 0).then_some((loaded.state, loaded.tip.version)))
    }

    async fn load_fresh(&self, stream: &StreamRef) -> Result<Loaded<A>, CommandError<A::Error>> {
        let mut loaded = Loaded {
            state: A::default(),
            tip: Tip::default(),
            snapshot_version: 0,
        };
        // A snapshot of an older state shape, or one that no longer parses, is passed over.
        if let Some(snapshot) = self.store.load_snapshot(stream).await?
            && snapshot.state_version == A::STATE_VERSION
            && let Ok(state) = serde_json::from_value(snapshot.state)
        {
            loaded = Loaded {
                state,
                tip: Tip {
                    version: snapshot.version,
                    hash: Some(snapshot.hash),
                },
                snapshot_version: snapshot.version,
            };
        }
        let tail = self.store.read_stream(stream, loaded.tip.version).await?;
        fold(loaded, &tail)
    }

    /// Saves a snapshot in the background: the command does not wait for the write.
    fn snapshot(&self, stream: &StreamRef, state: &A, tip: &Tip) {
        let (Ok(state), Some(hash)) = (serde_json::to_value(state), tip.hash.clone()) else {
            return;
        };
        let snapshot = Snapshot {
            stream: stream.clone(),
            version: tip.version,
            hash,
            state_version: A::STATE_VERSION,
            state,
        };
        let store = Arc::clone(&self.store);
        tokio::spawn(async move {
            // A lost snapshot only costs a longer replay later.
            if let Err(error) = store.save_snapshot(snapshot).await {
                warn!(%error, "could not save a snapshot");
            }
        });
    }
}

fn encode<E: DomainEvent>(event: &E) -> Result<NewEvent, StoreError> {
    let (event_type, schema_version, payload) = event.encode()?;
    Ok(NewEvent {
        event_id: Uuid::now_v7(),
        event_type: event_type.to_owned(),
        schema_version,
        payload,
    })
}

/// Decodes a stored event into the aggregate's current event type.
pub fn decode<E: DomainEvent>(event: &RecordedEvent) -> Result<E, UpcastError> {
    E::decode_text(
        &event.event_type,
        event.schema_version,
        event.payload.text(),
    )
}

fn fold<A: Aggregate, X: std::error::Error>(
    mut loaded: Loaded<A>,
    tail: &[RecordedEvent],
) -> Result<Loaded<A>, CommandError<X>> {
    for recorded in tail {
        let event: A::Event = decode(recorded)?;
        loaded.state = loaded.state.evolve(&event);
        loaded.tip = Tip {
            version: recorded.version,
            hash: Some(recorded.hash.clone()),
        };
    }
    Ok(loaded)
}

#[cfg(test)]
mod tests {
    use super::snapshot_due;

    #[test]
    fn short_streams_are_snapshotted_every_hundred_events() {
        assert!(!snapshot_due(99, 0));
        assert!(snapshot_due(100, 0));
        assert!(!snapshot_due(199, 100));
        assert!(snapshot_due(200, 100));
    }

    #[test]
    fn long_streams_are_snapshotted_every_tenth_of_their_length() {
        assert!(!snapshot_due(5_400, 5_000));
        assert!(snapshot_due(5_600, 5_000));
        assert!(!snapshot_due(11_000, 10_000));
        assert!(snapshot_due(11_200, 10_000));
    }
}
