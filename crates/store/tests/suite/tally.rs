//! A tiny aggregate for store tests: a running total that refuses negative additions.
//! `Added` is at schema version 2; version 1 stored the amount as `n`.

use niaga_domain::{Aggregate, Ctx, DomainEvent, UpcastError};
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    pub total: i64,
    pub additions: u64,
    /// The number from a series stamped on the tally, once.
    #[serde(default)]
    pub number: Option<u64>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TallyCommand {
    Add(i64),
    /// Adds nothing: decides no events.
    Nothing,
    /// Stamps a number taken from a series (as an invoice is issued); once only.
    Stamp(u64),
    /// Takes `n` off the total; refused when the total is less.
    Take(i64),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum TallyEvent {
    Added { amount: i64 },
    Stamped { number: u64 },
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TallyError {
    #[error("cannot add a negative amount")]
    Negative,
    #[error("already stamped with {0}")]
    AlreadyStamped(u64),
    #[error("the total is only {0}")]
    NotEnough(i64),
}

impl DomainEvent for TallyEvent {
    fn event_type(&self) -> &'static str {
        match self {
            Self::Added { .. } => "Added",
            Self::Stamped { .. } => "Stamped",
        }
    }

    fn schema_version(event_type: &str) -> u16 {
        match event_type {
            "Added" => 2,
            _ => 1,
        }
    }

    fn upcast(event_type: &str, version: u16, payload: Value) -> Result<Value, UpcastError> {
        match (event_type, version) {
            ("Added", 1) => Ok(serde_json::json!({ "amount": payload["n"] })),
            _ => Err(UpcastError::UnknownVersion {
                event_type: event_type.to_owned(),
                version,
            }),
        }
    }
}

impl Aggregate for Tally {
    const STREAM_TYPE: &'static str = "tally";
    type Command = TallyCommand;
    type Event = TallyEvent;
    type Error = TallyError;

    fn decide(&self, command: &TallyCommand, _ctx: &Ctx) -> Result<Vec<TallyEvent>, TallyError> {
        match command {
            TallyCommand::Add(amount) if *amount < 0 => Err(TallyError::Negative),
            TallyCommand::Add(amount) => Ok(vec![TallyEvent::Added { amount: *amount }]),
            TallyCommand::Nothing => Ok(vec![]),
            TallyCommand::Stamp(_) if let Some(number) = self.number => {
                Err(TallyError::AlreadyStamped(number))
            }
            TallyCommand::Stamp(number) => Ok(vec![TallyEvent::Stamped { number: *number }]),
            TallyCommand::Take(n) if self.total < *n => Err(TallyError::NotEnough(self.total)),
            TallyCommand::Take(n) => Ok(vec![TallyEvent::Added { amount: -n }]),
        }
    }

    fn evolve(mut self, event: &TallyEvent) -> Self {
        match event {
            TallyEvent::Added { amount } => {
                self.total += amount;
                self.additions += 1;
            }
            TallyEvent::Stamped { number } => self.number = Some(*number),
        }
        self
    }
}
