//! `/events`: the global event feed for integrators (accounting, BI, a data warehouse), as
//! pages (`GET /events`) and as server-sent events (`GET /events/stream`). Both follow the
//! store's gap-safe feed with an opaque cursor, so a reader that keeps the last cursor it got
//! misses nothing and may see an event again only if it lost that cursor (at-least-once).
//! The contract is in docs/api.md, "Event feed for integrators".
// utoipa's path macro expands the `Query<…>` arguments into code with a qualified path that
// this lint flags, outside the handler where an item-level allow would reach.
#![allow(unused_qualifications)]

mod cursor;
mod stream;
mod view;

use axum::{
    extract::State,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use niaga_store::{Cursor, FeedFilter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::AppState,
    auth::{CurrentUser, FEED_READERS},
    error::{ApiError, Problem, Result},
    extract::Query,
};
use view::FeedEvent;

/// Events per page when `limit` is not given.
const DEFAULT_LIMIT: u32 = 100;
/// The largest page: about a megabyte of JSON for typical payloads, one statement's worth.
const MAX_LIMIT: u32 = 1000;
/// The most types one filter may name: the filter is bound as one parameter, but a list this
/// long is a mistake rather than a need (Niaga has a few dozen event types).
const MAX_TYPES: usize = 50;
/// The longest event type name accepted in a filter; ours are well under it.
const MAX_TYPE_CHARS: usize = 100;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(read_events))
        .routes(routes!(stream::follow_events))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub(crate) struct PageParams {
    /// The `next` of the previous page (or the `id` of the last server-sent event); the feed's
    /// beginning when absent.
    after: Option<String>,
    /// Only events of these types, comma-separated: `CustomerRegistered,ContactAdded`.
    types: Option<String>,
    /// Events per page, 1 to 1000 (default 100).
    limit: Option<u32>,
}

/// A page of the feed.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct EventPage {
    /// In feed order; empty when there is nothing new yet.
    events: Vec<FeedEvent>,
    /// Always present: pass it as `after` to read on, now or later. It may lie past the last
    /// event of the page (after events the filter left out), never before the `after` sent.
    next: String,
}

/// The events of the global feed after a cursor, optionally of some types only.
///
/// Poll with `next` to follow the feed; a page shorter than `limit` means you are at the end
/// for now. Delivery is at least once: de-duplicate by `id`.
#[utoipa::path(
    get,
    path = "/events",
    tag = "events",
    params(PageParams),
    responses(
        (status = OK, description = "A page of events and the cursor to read on from", body = EventPage),
        (status = BAD_REQUEST, description = "A malformed cursor, limit or type list",
            body = Problem, content_type = "application/problem+json"),
        (status = UNAUTHORIZED, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, description = "Not an integrator, admin or auditor",
            body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn read_events(
    user: CurrentUser,
    State(state): State<AppState>,
    Query(params): Query<PageParams>,
) -> Result<Response> {
    user.require(FEED_READERS)?;
    let after = after(params.after.as_deref(), "after")?;
    let limit = limit(params.limit)?;
    let types = params.types.as_deref().map(types).transpose()?;
    let page = state
        .event_store()
        .read_feed(after, limit, FeedFilter::event_types(types.as_deref()))
        .await?;
    let body = EventPage {
        events: page
            .events
            .into_iter()
            .map(FeedEvent::try_from)
            .collect::<Result<_>>()?,
        next: cursor::encode(page.next),
    };
    let mut response = axum::Json(body).into_response();
    // The same URL answers differently as the feed grows: no cache may keep an answer.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// The cursor sent as `name`, or the feed's beginning.
fn after(text: Option<&str>, name: &str) -> Result<Cursor> {
    text.map_or(Ok(Cursor::START), |text| cursor::decode(text, name))
}

fn limit(limit: Option<u32>) -> Result<u32> {
    match limit {
        None => Ok(DEFAULT_LIMIT),
        Some(limit @ 1..=MAX_LIMIT) => Ok(limit),
        Some(other) => Err(ApiError::BadRequest(format!(
            "`limit` must be between 1 and {MAX_LIMIT}, not {other}."
        ))),
    }
}

/// `A,B,C` as a list of types, each once. Strict: an empty name is a typo (`A,,B`, or
/// `types=` with nothing), and would silently match nothing.
fn types(list: &str) -> Result<Vec<String>> {
    let mut types: Vec<String> = Vec::new();
    for name in list.split(',').map(str::trim) {
        if name.is_empty() || name.chars().count() > MAX_TYPE_CHARS {
            return Err(ApiError::BadRequest(format!(
                "`types` is a comma-separated list of event types, each 1 to \
                 {MAX_TYPE_CHARS} characters."
            )));
        }
        if !types.iter().any(|known| known == name) {
            types.push(name.to_owned());
        }
    }
    if types.len() > MAX_TYPES {
        return Err(ApiError::BadRequest(format!(
            "`types` names at most {MAX_TYPES} event types."
        )));
    }
    Ok(types)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits() {
        assert_eq!(limit(None).ok(), Some(100));
        assert_eq!(limit(Some(1)).ok(), Some(1));
        assert_eq!(limit(Some(1000)).ok(), Some(1000));
        assert!(limit(Some(0)).is_err());
        assert!(limit(Some(1001)).is_err());
    }

    #[test]
    fn type_lists() {
        assert_eq!(
            types(" A,B ,A").ok(),
            Some(vec!["A".to_owned(), "B".to_owned()])
        );
        for bad in ["", "A,,B", "A,", &"x".repeat(101)] {
            assert!(types(bad).is_err(), "{bad:?}");
        }
        let many = (0..51)
            .map(|i| format!("T{i}"))
            .collect::<Vec<_>>()
            .join(",");
        assert!(types(&many).is_err());
    }
}
