//! The decider contract every aggregate implements, and how its events are stored.

use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;

use crate::Ctx;

/// An aggregate as a decider: plain state plus two pure functions.
///
/// A command handler (outside the domain) loads the stream, folds it with [`Aggregate::evolve`]
/// from `Default`, calls [`Aggregate::decide`] and appends the events with the version it
/// read. On a concurrent write it reloads and decides again, which is why `decide` takes the
/// command by reference.
pub trait Aggregate: Default + Clone + Send + Sync + 'static {
    /// The stream type stored beside every event. Stored events point at it: never rename.
    const STREAM_TYPE: &'static str;
    /// The shape of the state as snapshots store it. Bump it when the state's fields or their
    /// meaning change: snapshots of another version are ignored and the stream is replayed.
    const STATE_VERSION: u32 = 1;
    type Command: Send + Sync;
    type Event: DomainEvent;
    type Error: std::error::Error + Send + Sync + 'static;

    /// Decides what happens; an empty vector means the command changes nothing (idempotent).
    fn decide(&self, command: &Self::Command, ctx: &Ctx) -> Result<Vec<Self::Event>, Self::Error>;

    /// Folds one past event into the state. Never refuses and never recomputes a rule:
    /// the event carries what was decided.
    fn evolve(self, event: &Self::Event) -> Self;

    /// Folds a whole history from the empty state.
    fn replay<'a>(events: impl IntoIterator<Item = &'a Self::Event>) -> Self {
        events.into_iter().fold(Self::default(), Self::evolve)
    }
}

/// An event as it is stored: a type name, a schema version and a JSON payload.
///
/// Events are enums with one struct per variant, serialised adjacently tagged
/// (`#[serde(tag = "type", content = "data")]`), so the variant name is the stored event type
/// and the struct is the payload. Old payload shapes are turned into the current one by
/// [`DomainEvent::upcast`], one version step at a time; stored rows are never rewritten.
pub trait DomainEvent:
    Serialize + DeserializeOwned + Clone + std::fmt::Debug + Send + Sync
{
    /// The stored type name of this event (the variant name).
    fn event_type(&self) -> &'static str;

    /// The schema version written today for `event_type`.
    fn schema_version(event_type: &str) -> u16 {
        let _ = event_type;
        1
    }

    /// Turns a payload stored at `version` into the payload of `version + 1`.
    fn upcast(event_type: &str, version: u16, payload: Value) -> Result<Value, UpcastError> {
        let _ = payload;
        Err(UpcastError::UnknownVersion {
            event_type: event_type.to_owned(),
            version,
        })
    }

    /// Encodes the event as `(event type, schema version, payload)`.
    fn encode(&self) -> Result<(&'static str, u16, Value), serde_json::Error> {
        let event_type = self.event_type();
        let mut tagged = serde_json::to_value(self)?;
        let payload = tagged
            .get_mut("data")
            .map(Value::take)
            .unwrap_or(Value::Null);
        Ok((event_type, Self::schema_version(event_type), payload))
    }

    /// Decodes a stored event, upcasting an old payload to the current shape first.
    fn decode(event_type: &str, version: u16, mut payload: Value) -> Result<Self, UpcastError> {
        let current = Self::schema_version(event_type);
        if version > current {
            return Err(UpcastError::UnknownVersion {
                event_type: event_type.to_owned(),
                version,
            });
        }
        for from in version..current {
            payload = Self::upcast(event_type, from, payload)?;
        }
        let tagged = serde_json::json!({ "type": event_type, "data": payload });
        serde_json::from_value(tagged).map_err(|source| UpcastError::shape(event_type, &source))
    }

    /// Decodes a stored event from its JSON text: straight into the event, with no tree of
    /// values in between, when it was stored at today's schema version (nearly always);
    /// through [`DomainEvent::decode`] and its upcasters otherwise.
    fn decode_text(event_type: &str, version: u16, payload: &str) -> Result<Self, UpcastError> {
        if version != Self::schema_version(event_type) {
            let payload = serde_json::from_str(payload)
                .map_err(|source| UpcastError::shape(event_type, &source))?;
            return Self::decode(event_type, version, payload);
        }
        let tagged = format!(
            r#"{{"type":{},"data":{payload}}}"#,
            Value::String(event_type.to_owned())
        );
        serde_json::from_str(&tagged).map_err(|source| UpcastError::shape(event_type, &source))
    }
}

/// A stored event that cannot be read as a current domain event.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UpcastError {
    #[error("no upcaster for {event_type} schema version {version}")]
    UnknownVersion { event_type: String, version: u16 },
    #[error("stored {event_type} does not match its schema: {message}")]
    Shape { event_type: String, message: String },
}

impl UpcastError {
    fn shape(event_type: &str, source: &serde_json::Error) -> Self {
        Self::Shape {
            event_type: event_type.to_owned(),
            message: source.to_string(),
        }
    }
}
