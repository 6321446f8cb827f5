//! `GET /events/stream`: the feed as server-sent events, for integrators that would rather be
//! told than poll. Each event's SSE `id` is the cursor after it, so a client that reconnects
//! with `Last-Event-ID` (as `EventSource` does by itself) resumes exactly after the last event
//! it received.

use std::{collections::VecDeque, convert::Infallible, sync::Arc, time::Duration};

use axum::{
    extract::State,
    http::{HeaderMap, HeaderValue},
    response::{
        IntoResponse, Response,
        sse::{Event, KeepAlive, Sse},
    },
};
use chrono::Utc;
use futures::stream;
use niaga_store::{Cursor, FeedFilter, RecordedEvent};
use serde::Deserialize;
use tokio::time::Instant;
use tracing::{Instrument as _, Span};
use utoipa::IntoParams;

use super::{after, cursor, types, view::FeedEvent};
use crate::{
    app::AppState,
    auth::{CurrentUser, FEED_READERS},
    error::{Problem, Result},
    extract::Query,
};

/// Events read per statement while catching up.
const BATCH: u32 = 100;
/// How often an idle stream looks for events that another instance wrote: appends in this
/// process wake it at once, other instances' only show up in the database.
const POLL: Duration = Duration::from_secs(1);
/// A comment line this often keeps proxies and load balancers from closing an idle stream.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// The header a reconnecting `EventSource` sends with the last `id` it received.
const LAST_EVENT_ID: &str = "last-event-id";

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub(crate) struct StreamParams {
    /// Where to start when there is no `Last-Event-ID`: a `next` of `GET /events` or an SSE
    /// `id`; the feed's beginning when absent.
    after: Option<String>,
    /// Only events of these types, comma-separated: `CustomerRegistered,ContactAdded`.
    types: Option<String>,
}

/// The feed as server-sent events (`text/event-stream`), live.
///
/// Each event is sent as `id: <cursor after it>`, `event: <type>`, `data: <the event as in
/// GET /events>`. A message with only an `id` moves the cursor past events the type filter
/// left out. A comment every 15 s keeps the connection open. The stream ends when the access
/// token expires (or on a server error): reconnect with a fresh token and `Last-Event-ID`.
#[utoipa::path(
    get,
    path = "/events/stream",
    tag = "events",
    params(
        StreamParams,
        ("Last-Event-ID" = Option<String>, Header,
            description = "The last `id` received: resume after it (wins over `after`)"),
    ),
    responses(
        (status = OK, description = "Server-sent events, one per feed event", body = String,
            content_type = "text/event-stream"),
        (status = BAD_REQUEST, description = "A malformed cursor or type list",
            body = Problem, content_type = "application/problem+json"),
        (status = UNAUTHORIZED, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, description = "Not an integrator, admin or auditor",
            body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub(crate) async fn follow_events(
    user: CurrentUser,
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(params): Query<StreamParams>,
) -> Result<Response> {
    user.require(FEED_READERS)?;
    // A reconnecting client sends the URL it first used, `after` included: the header is the
    // newer position.
    let start = match headers.get(LAST_EVENT_ID) {
        // A value that is not even text is no cursor either: "" fails to decode alike.
        Some(id) => cursor::decode(id.to_str().unwrap_or_default(), "Last-Event-ID")?,
        None => after(params.after.as_deref(), "after")?,
    };
    let types = params.types.as_deref().map(types).transpose()?;
    let lifetime = (user.expires_at - Utc::now()).to_std().unwrap_or_default();
    tracing::debug!(cursor = ?start, "event stream opened");
    let follow = Follow {
        state,
        types,
        cursor: start,
        announced: start,
        ready: VecDeque::new(),
        done: false,
        ends_at: Instant::now() + lifetime,
        span: Span::current(),
    };
    let events = stream::unfold(follow, |follow| {
        let span = follow.span.clone();
        follow.next().instrument(span)
    });
    let mut response = Sse::new(events)
        .keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
        .into_response();
    // nginx buffers proxied responses by default, which would hold events back.
    response
        .headers_mut()
        .insert("x-accel-buffering", HeaderValue::from_static("no"));
    Ok(response)
}

/// One client's place in the feed. Dropped, and with it any read or wait in progress, when
/// the client disconnects: hyper drops the response body, which owns this.
struct Follow {
    state: AppState,
    types: Option<Vec<String>>,
    /// Where the next read starts.
    cursor: Cursor,
    /// The last cursor the client was given as an `id`.
    announced: Cursor,
    /// Messages read but not yet sent.
    ready: VecDeque<Event>,
    /// Send what is ready, then end.
    done: bool,
    /// When the access token expires.
    ends_at: Instant,
    /// The request's span, for what the stream logs after the handler returned.
    span: Span,
}

impl Follow {
    /// The next message, reading and waiting as needed; `None` ends the stream.
    async fn next(mut self) -> Option<(Result<Event, Infallible>, Self)> {
        loop {
            if let Some(message) = self.ready.pop_front() {
                return Some((Ok(message), self));
            }
            if self.done {
                return None;
            }
            if Instant::now() >= self.ends_at {
                tracing::debug!("event stream ends: the access token expired");
                return None;
            }
            let committed = Arc::clone(self.state.committed());
            let notified = committed.notified();
            tokio::pin!(notified);
            // Armed before the read: an append between the read and the wait still wakes us.
            notified.as_mut().enable();
            let caught_up = self.read().await;
            if caught_up && self.ready.is_empty() && !self.done {
                tokio::select! {
                    () = notified => {}
                    () = tokio::time::sleep(POLL) => {}
                    () = tokio::time::sleep_until(self.ends_at) => {}
                }
            }
        }
    }

    /// Reads a batch into `ready`. True if the feed had no more for now.
    async fn read(&mut self) -> bool {
        let page = match self
            .state
            .event_store()
            .read_feed(
                self.cursor,
                BATCH,
                FeedFilter::event_types(self.types.as_deref()),
            )
            .await
        {
            Ok(page) => page,
            Err(error) => {
                // The client reconnects with the last id it got and loses nothing.
                tracing::warn!(%error, "event stream ends: the feed cannot be read");
                self.done = true;
                return true;
            }
        };
        let caught_up = page.events.len() < BATCH as usize;
        for event in page.events {
            let at = event.cursor();
            match message(event) {
                Ok(message) => {
                    self.ready.push_back(message);
                    self.announced = at;
                }
                Err(error) => {
                    tracing::error!(error = format!("{error:#}"), "event stream ends");
                    self.done = true;
                    return true;
                }
            }
        }
        self.cursor = page.next;
        if page.next > self.announced {
            // No data: a client only records the id, so a reconnect skips what was filtered.
            self.ready
                .push_back(Event::default().id(cursor::encode(page.next)));
            self.announced = page.next;
        }
        caught_up
    }
}

impl Drop for Follow {
    fn drop(&mut self) {
        let _entered = self.span.enter();
        tracing::debug!(cursor = ?self.announced, "event stream closed");
    }
}

/// One event as an SSE message.
fn message(event: RecordedEvent) -> anyhow::Result<Event> {
    let id = cursor::encode(event.cursor());
    let event_type = event.event_type.clone();
    let view = FeedEvent::try_from(event).map_err(anyhow::Error::new)?;
    let message = Event::default().id(id).json_data(view)?;
    // `event:` may not hold a line break (axum panics); no type of ours has one, and a
    // client still gets such an event as a plain `message`.
    Ok(if event_type.contains(['\r', '\n']) {
        message
    } else {
        message.event(event_type)
    })
}
