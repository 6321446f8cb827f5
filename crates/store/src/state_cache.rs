//! Folded states of recently written streams, so that a command on a long stream does not
//! replay it. A cached state is only a guess at the tip: the append's version check decides,
//! and on a conflict the stream is reloaded from the store.

use std::{collections::HashMap, sync::Mutex};

use crate::Tip;

/// At most this many streams are kept; past it the cache starts over. Simple, and a cold
/// stream costs one snapshot read plus a short tail.
const CAPACITY: usize = 10_000;

#[derive(Debug, Clone)]
pub(crate) struct Loaded<A> {
    pub state: A,
    pub tip: Tip,
}

#[derive(Debug)]
pub(crate) struct StateCache<A> {
    streams: Mutex<HashMap<String, Loaded<A>>>,
}

impl<A> Default for StateCache<A> {
    fn default() -> Self {
        Self {
            streams: Mutex::new(HashMap::new()),
        }
    }
}

impl<A> StateCache<A> {
    /// Takes a stream's state out: while a command works on it, a concurrent command on the
    /// same stream loads its own copy, and the version check picks the winner.
    pub fn take(&self, stream_id: &str) -> Option<Loaded<A>> {
        self.streams.lock().ok()?.remove(stream_id)
    }

    pub fn put(&self, stream_id: &str, loaded: Loaded<A>) {
        if let Ok(mut streams) = self.streams.lock() {
            if streams.len() >= CAPACITY {
                streams.clear();
            }
            streams.insert(stream_id.to_owned(), loaded);
        }
    }
}
