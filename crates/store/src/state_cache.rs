//! Folded states of recently written streams, so that a command on a long stream does not
//! replay it, and one queue per stream, so that commands on the same stream in this process
//! wait for each other instead of racing and retrying.
//!
//! A cached state is still only a guess at the tip when other instances write too: the
//! append's version check decides, and on a conflict the stream is reloaded from the store.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use crate::Tip;

/// At most this many streams are kept; past it the cache starts over. Simple, and a cold
/// stream costs one snapshot read plus a short tail.
const CAPACITY: usize = 10_000;

#[derive(Debug, Clone)]
pub(crate) struct Loaded<A> {
    pub state: A,
    pub tip: Tip,
    /// The version of the stream's latest snapshot (0 if none).
    pub snapshot_version: u64,
}

/// A stream's place in the cache: hold its lock while deciding and appending. Empty when the
/// stream must be loaded from the store.
pub(crate) type Slot<A> = Arc<tokio::sync::Mutex<Option<Loaded<A>>>>;

#[derive(Debug)]
pub(crate) struct StateCache<A> {
    streams: Mutex<HashMap<String, Slot<A>>>,
}

impl<A> Default for StateCache<A> {
    fn default() -> Self {
        Self {
            streams: Mutex::new(HashMap::new()),
        }
    }
}

impl<A> StateCache<A> {
    /// The slot of a stream, made empty if the stream is not cached.
    pub fn slot(&self, stream_id: &str) -> Slot<A> {
        let Ok(mut streams) = self.streams.lock() else {
            // A poisoned map only loses caching, never correctness.
            return Arc::default();
        };
        if let Some(slot) = streams.get(stream_id) {
            return slot.clone();
        }
        if streams.len() >= CAPACITY {
            // Commands holding a slot keep it; they just stop sharing it with newcomers.
            streams.clear();
        }
        let slot: Slot<A> = Arc::default();
        streams.insert(stream_id.to_owned(), slot.clone());
        slot
    }
}
