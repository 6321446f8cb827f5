//! `/events` and `/events/stream`, the feed for integrators: paging with `next`, filtering by
//! type, cursor and limit errors, roles, and server-sent events resumed with `Last-Event-ID`.

use std::{collections::HashSet, net::SocketAddr, time::Duration};

use axum::{
    body::Body,
    extract::ConnectInfo,
    http::{HeaderMap, Method, Request, StatusCode, header},
};
use http_body_util::BodyExt as _;
use jsonwebtoken::{EncodingKey, Header};
use niaga_api::auth::Role;
use serde_json::{Value, json};
use tower::ServiceExt as _;

use crate::helpers::{JWT_KEY, TestApp, bearer, json_request};

crate::on_both_backends!(
    paging_with_next_yields_every_event_once_in_order,
    a_type_filter_yields_only_those_types,
    a_garbage_cursor_is_400,
    limit_is_1_to_1000,
    the_integrator_reads_the_feed_and_nothing_else,
    the_stream_sends_events_and_resumes_after_last_event_id,
    the_stream_wakes_when_a_command_commits,
    the_stream_ends_when_the_token_expires,
    feed_and_stream_deliver_every_event_once_in_order_under_concurrent_writers,
);

fn acme(name: &str) -> Value {
    json!({
        "kind": "company",
        "name": name,
        "tin": "C2584563202",
        "identification": { "scheme": "BRN", "value": "201901234567" },
        "address": {
            "lines": ["Lot 5, Jalan Utas 15/7"],
            "city": "Shah Alam",
            "postcode": "40200",
            "state": "10"
        },
        "email": "purchasing@acme.com.my",
        "phone": "+60 3-5510 1234"
    })
}

/// Registers a customer, with an idempotency key and a client address the feed must not show.
async fn register(app: &TestApp, name: &str) -> String {
    let mut request = json_request(
        Method::POST,
        "/customers",
        &acme(name),
        Some(&app.token(Role::Sales).await),
    );
    request.headers_mut().insert(
        "idempotency-key",
        format!("register-{name}").parse().unwrap(),
    );
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::from(([10, 1, 2, 3], 40000))));
    let created = app.send(request).await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    created.json()["id"].as_str().unwrap().to_owned()
}

async fn add_contact(app: &TestApp, customer: &str, name: &str) {
    let added = app
        .post(
            &format!("/customers/{customer}/contacts"),
            &json!({ "name": name }),
            Some(Role::Sales),
        )
        .await;
    assert_eq!(added.status, StatusCode::OK, "{:?}", added.body);
}

async fn record_note(app: &TestApp, customer: &str) {
    let note = json!({ "kind": "note", "occurred_at": "2026-01-05T03:00:00Z", "summary": "Asked for a quote." });
    let recorded = app
        .post(
            &format!("/customers/{customer}/interactions"),
            &note,
            Some(Role::Sales),
        )
        .await;
    assert_eq!(recorded.status, StatusCode::OK, "{:?}", recorded.body);
}

/// Two customers, two contacts, one note: 5 events of 3 types on 2 streams.
async fn some_history(app: &TestApp) -> (String, String) {
    let a = register(app, "Acme Timbang Sdn. Bhd.").await;
    let b = register(app, "Beta Ukur Sdn. Bhd.").await;
    add_contact(app, &a, "Siti Aminah").await;
    record_note(app, &b).await;
    add_contact(app, &a, "Tan Ah Kow").await;
    (a, b)
}

/// Pages through `/events?<query>` with `next` from `after` until at least `at_least` events
/// came and a page was empty. On PostgreSQL another test's open transaction can hold the feed
/// back for a while, so an empty page before then means "wait", not "done".
async fn read_feed(
    app: &TestApp,
    query: &str,
    after: Option<&str>,
    at_least: usize,
) -> (Vec<Value>, String, usize) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let mut next = after.map(str::to_owned);
    let mut events = Vec::new();
    let mut pages = 0;
    loop {
        let after = next
            .as_deref()
            .map(|n| format!("&after={n}"))
            .unwrap_or_default();
        let page = app
            .get(&format!("/events?{query}{after}"), Some(Role::Integrator))
            .await;
        assert_eq!(page.status, StatusCode::OK, "{:?}", page.body);
        assert_eq!(page.header("cache-control"), "no-store");
        let page = page.json();
        let batch = page["events"].as_array().unwrap().clone();
        next = Some(
            page["next"]
                .as_str()
                .expect("next is always there")
                .to_owned(),
        );
        pages += 1;
        if batch.is_empty() {
            if events.len() >= at_least || tokio::time::Instant::now() > deadline {
                return (events, next.unwrap(), pages);
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        events.extend(batch);
    }
}

fn types_of(events: &[Value]) -> Vec<&str> {
    events.iter().map(|e| e["type"].as_str().unwrap()).collect()
}

async fn paging_with_next_yields_every_event_once_in_order(app: TestApp) {
    let (a, b) = some_history(&app).await;
    let (events, last_next, pages) = read_feed(&app, "limit=2", None, 5).await;

    assert_eq!(events.len(), 5, "{events:#?}");
    assert!(pages >= 4, "pages of 2, 2, 1 and an empty one: {pages}");
    let ids: HashSet<_> = events.iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 5, "no event twice");
    assert_eq!(
        types_of(&events),
        [
            "CustomerRegistered",
            "CustomerRegistered",
            "ContactAdded",
            "InteractionRecorded",
            "ContactAdded"
        ]
    );
    let versions_of = |stream: &str| -> Vec<u64> {
        events
            .iter()
            .filter(|e| e["stream_id"] == stream)
            .map(|e| e["version"].as_u64().unwrap())
            .collect()
    };
    assert_eq!(versions_of(&a), [1, 2, 3]);
    assert_eq!(versions_of(&b), [1, 2]);

    let first = &events[0];
    assert_eq!(first["stream_type"], "customer");
    assert_eq!(first["schema_version"], 2);
    assert_eq!(first["payload"]["name"], "Acme Timbang Sdn. Bhd.");
    assert!(first["position"].is_i64());
    assert!(first["recorded_at"].is_string());
    assert_eq!(first["hash"].as_str().unwrap().len(), 64);
    for event in &events {
        let metadata = event["metadata"].as_object().unwrap();
        let keys: Vec<&str> = metadata.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            ["actor", "causation_id", "correlation_id"],
            "no client address, no idempotency key"
        );
        assert_eq!(
            metadata["actor"],
            format!("user:{}", app.users[&Role::Sales])
        );
    }

    // At the end, `next` stays: polling with it later picks up what comes next.
    let again = app
        .get(
            &format!("/events?after={last_next}"),
            Some(Role::Integrator),
        )
        .await
        .json();
    assert_eq!(again["events"], json!([]));
    assert_eq!(again["next"], last_next.as_str());
    record_note(&app, &a).await;
    let (later, _, _) = read_feed(&app, "", Some(&last_next), 1).await;
    assert_eq!(types_of(&later), ["InteractionRecorded"]);
}

async fn a_type_filter_yields_only_those_types(app: TestApp) {
    some_history(&app).await;
    let (all, end, _) = read_feed(&app, "", None, 5).await;
    let (contacts, contacts_end, _) = read_feed(&app, "types=ContactAdded&limit=1", None, 2).await;
    assert_eq!(types_of(&contacts), ["ContactAdded", "ContactAdded"]);
    assert_eq!(contacts_end, end, "the cursor moved to the end of the feed");

    let (two, _, _) = read_feed(&app, "types=InteractionRecorded,%20ContactAdded", None, 3).await;
    assert_eq!(
        types_of(&two),
        ["ContactAdded", "InteractionRecorded", "ContactAdded"]
    );
    let expected: Vec<&Value> = all
        .iter()
        .filter(|e| e["type"] != "CustomerRegistered")
        .collect();
    assert_eq!(two.iter().collect::<Vec<_>>(), expected, "the same events");

    let none = app
        .get("/events?types=NoSuchEvent", Some(Role::Integrator))
        .await
        .json();
    assert_eq!(none["events"], json!([]));
    assert_eq!(
        none["next"], end,
        "a reader of a rare type moves past the others"
    );

    for bad in ["types=", "types=A,,B"] {
        app.get(&format!("/events?{bad}"), Some(Role::Integrator))
            .await
            .assert_problem(StatusCode::BAD_REQUEST, "bad-request");
    }
}

async fn a_garbage_cursor_is_400(app: TestApp) {
    for garbage in ["garbage!", "MTIz", "LTEuMg"] {
        let problem = app
            .get(&format!("/events?after={garbage}"), Some(Role::Integrator))
            .await
            .assert_problem(StatusCode::BAD_REQUEST, "bad-request");
        assert_eq!(problem["instance"], "/events");
        assert!(
            problem["detail"].as_str().unwrap().contains("`after`"),
            "{problem}"
        );
    }
    let token = app.token(Role::Integrator).await;
    let response = app
        .send(
            Request::get("/events/stream")
                .header(header::AUTHORIZATION, bearer(&token))
                .header("last-event-id", "garbage")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    let problem = response.assert_problem(StatusCode::BAD_REQUEST, "bad-request");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("Last-Event-ID"),
        "{problem}"
    );
    app.get("/events?unknown=1", Some(Role::Integrator))
        .await
        .assert_problem(StatusCode::BAD_REQUEST, "bad-request");
}

async fn limit_is_1_to_1000(app: TestApp) {
    for bad in ["0", "1001", "-1", "many"] {
        app.get(&format!("/events?limit={bad}"), Some(Role::Integrator))
            .await
            .assert_problem(StatusCode::BAD_REQUEST, "bad-request");
    }
    for good in ["1", "1000"] {
        let page = app
            .get(&format!("/events?limit={good}"), Some(Role::Integrator))
            .await;
        assert_eq!(page.status, StatusCode::OK, "limit={good}");
    }
    // The default is 100.
    let customer = register(&app, "Acme").await;
    for i in 0..110 {
        add_contact(&app, &customer, &format!("Contact {i}")).await;
    }
    let (events, _, _) = read_feed(&app, "", None, 111).await;
    assert_eq!(events.len(), 111);
    let first_page = app.get("/events", Some(Role::Integrator)).await.json();
    assert_eq!(first_page["events"].as_array().unwrap().len(), 100);
}

async fn the_integrator_reads_the_feed_and_nothing_else(app: TestApp) {
    app.get("/customers", Some(Role::Integrator))
        .await
        .assert_problem(StatusCode::FORBIDDEN, "forbidden");
    app.post("/customers", &acme("Acme"), Some(Role::Integrator))
        .await
        .assert_problem(StatusCode::FORBIDDEN, "forbidden");
    app.get("/auth/me", Some(Role::Integrator))
        .await
        .assert_problem(StatusCode::FORBIDDEN, "forbidden");
    for role in [Role::Integrator, Role::Admin, Role::Auditor] {
        assert_eq!(
            app.get("/events", Some(role)).await.status,
            StatusCode::OK,
            "{role}"
        );
    }
    for role in [Role::Sales, Role::Finance, Role::Warehouse] {
        app.get("/events", Some(role))
            .await
            .assert_problem(StatusCode::FORBIDDEN, "forbidden");
        app.get("/events/stream", Some(role))
            .await
            .assert_problem(StatusCode::FORBIDDEN, "forbidden");
    }
    for path in ["/events", "/events/stream"] {
        app.get(path, None)
            .await
            .assert_problem(StatusCode::UNAUTHORIZED, "unauthorized");
    }
}

/// One server-sent message. A message with no data only moves the client's last event id.
#[derive(Debug, Default)]
struct Message {
    id: Option<String>,
    event: Option<String>,
    data: Option<Value>,
}

/// Opens `/events/stream` with `token` and reads messages until `count` events (messages
/// with data) arrived, or `within` passed; then drops the body, as a client that goes away.
/// Also says whether the server ended the stream.
async fn stream(
    app: &TestApp,
    uri: &str,
    token: &str,
    last_event_id: Option<&str>,
    count: usize,
    within: Duration,
) -> (HeaderMap, Vec<Message>, bool) {
    let mut request = Request::get(uri).header(header::AUTHORIZATION, bearer(token));
    if let Some(id) = last_event_id {
        request = request.header("last-event-id", id);
    }
    let response = app
        .router
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    let mut body = response.into_body();
    let deadline = tokio::time::Instant::now() + within;
    let mut text = String::new();
    let mut messages = Vec::new();
    let mut ended = false;
    while messages
        .iter()
        .filter(|m: &&Message| m.data.is_some())
        .count()
        < count
    {
        let frame = match tokio::time::timeout_at(deadline, body.frame()).await {
            Ok(Some(frame)) => frame.unwrap(),
            Ok(None) => {
                ended = true;
                break;
            }
            Err(_) => break,
        };
        let Ok(bytes) = frame.into_data() else {
            continue;
        };
        text.push_str(std::str::from_utf8(&bytes).unwrap());
        while let Some((block, rest)) = text.split_once("\n\n") {
            if let Some(message) = parse(block) {
                messages.push(message);
            }
            text = rest.to_owned();
        }
    }
    (headers, messages, ended)
}

/// A message block; `None` for a comment (keep-alive).
fn parse(block: &str) -> Option<Message> {
    let mut message = Message::default();
    let mut any = false;
    for line in block.lines() {
        let (field, value) = line.split_once(':').unwrap_or((line, ""));
        let value = value.strip_prefix(' ').unwrap_or(value);
        match field {
            "" => continue,
            "id" => message.id = Some(value.to_owned()),
            "event" => message.event = Some(value.to_owned()),
            "data" => message.data = Some(serde_json::from_str(value).unwrap()),
            other => panic!("unexpected field {other:?} in {block:?}"),
        }
        any = true;
    }
    any.then_some(message)
}

fn with_data(messages: Vec<Message>) -> Vec<Message> {
    messages.into_iter().filter(|m| m.data.is_some()).collect()
}

async fn the_stream_sends_events_and_resumes_after_last_event_id(app: TestApp) {
    some_history(&app).await;
    let (page_events, _, _) = read_feed(&app, "", None, 5).await;
    let token = app.token(Role::Integrator).await;

    let (headers, messages, _) = stream(
        &app,
        "/events/stream",
        &token,
        None,
        3,
        Duration::from_secs(30),
    )
    .await;
    assert_eq!(headers["content-type"], "text/event-stream");
    let messages = with_data(messages);
    assert_eq!(messages.len(), 3, "{messages:?}");
    for (message, event) in messages.iter().zip(&page_events) {
        assert_eq!(
            message.data.as_ref(),
            Some(event),
            "the same JSON as a page"
        );
        assert_eq!(message.event.as_deref(), event["type"].as_str());
    }
    // The id is the cursor after the event: a page read after it starts with the next one.
    let second_id = messages[1].id.clone().unwrap();
    let after_second = app
        .get(
            &format!("/events?after={second_id}&limit=1"),
            Some(Role::Integrator),
        )
        .await
        .json();
    assert_eq!(after_second["events"][0], page_events[2]);

    // A reconnect sends the URL it first used and the last id it got: the header wins.
    let first_id = messages[0].id.clone().unwrap();
    let (_, resumed, _) = stream(
        &app,
        &format!("/events/stream?after={first_id}"),
        &token,
        Some(&second_id),
        3,
        Duration::from_secs(30),
    )
    .await;
    let resumed = with_data(resumed);
    assert_eq!(
        resumed
            .iter()
            .map(|m| m.data.clone().unwrap())
            .collect::<Vec<_>>(),
        page_events[2..],
        "only the events after the last one received"
    );

    let (_, contacts, _) = stream(
        &app,
        "/events/stream?types=ContactAdded",
        &token,
        None,
        2,
        Duration::from_secs(30),
    )
    .await;
    let contacts = with_data(contacts);
    assert_eq!(
        contacts
            .iter()
            .map(|m| m.event.as_deref().unwrap())
            .collect::<Vec<_>>(),
        ["ContactAdded", "ContactAdded"]
    );
}

async fn the_stream_wakes_when_a_command_commits(app: TestApp) {
    let customer = register(&app, "Acme").await;
    let (events, end, _) = read_feed(&app, "", None, 1).await;
    assert_eq!(events.len(), 1);
    let token = app.token(Role::Integrator).await;
    let writer = async {
        // Let the stream read the (empty) feed and wait first.
        tokio::time::sleep(Duration::from_millis(200)).await;
        add_contact(&app, &customer, "Siti Aminah").await;
    };
    let reader = stream(
        &app,
        "/events/stream",
        &token,
        Some(&end),
        1,
        Duration::from_secs(30),
    );
    let ((_, messages, ended), ()) = tokio::join!(reader, writer);
    assert!(!ended, "the stream stays open while the token is valid");
    let messages = with_data(messages);
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].event.as_deref(), Some("ContactAdded"));
}

async fn the_stream_ends_when_the_token_expires(app: TestApp) {
    let now = chrono::Utc::now().timestamp();
    let claims = json!({
        "sub": app.users[&Role::Integrator], "role": "integrator", "iat": now, "exp": now + 2,
    });
    let token = jsonwebtoken::encode(
        &Header::default(),
        &claims,
        &EncodingKey::from_secret(&JWT_KEY),
    )
    .unwrap();
    let started = tokio::time::Instant::now();
    let (_, _, ended) = stream(
        &app,
        "/events/stream",
        &token,
        None,
        usize::MAX,
        Duration::from_secs(20),
    )
    .await;
    assert!(ended, "the server closed the stream");
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[tokio::test]
async fn the_feed_is_in_the_openapi_document() {
    let app = TestApp::spawn(niaga_store::Backend::Sqlite).await;
    let api = app.get("/openapi.json", None).await.json();
    let parameters = |path: &str| -> Vec<(String, String)> {
        api["paths"][path]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["name"].as_str().unwrap().to_owned(),
                    p["in"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let query = |name: &str| (name.to_owned(), "query".to_owned());
    assert_eq!(
        parameters("/events"),
        [query("after"), query("types"), query("limit")]
    );
    assert_eq!(
        parameters("/events/stream"),
        [
            query("after"),
            query("types"),
            ("Last-Event-ID".to_owned(), "header".to_owned())
        ]
    );
    let stream = &api["paths"]["/events/stream"]["get"]["responses"]["200"]["content"];
    assert!(stream.get("text/event-stream").is_some(), "{stream}");
    for schema in ["EventPage", "FeedEvent", "FeedEventMetadata"] {
        assert!(
            api["components"]["schemas"].get(schema).is_some(),
            "no {schema} schema"
        );
    }
    assert!(api["components"]["schemas"]["FeedEvent"]["example"].is_object());
}

/// Four writers register customers and add contacts through the API while an integrator
/// pages the feed and another follows the stream: both get every event exactly once, each
/// stream's events in version order, and the two see the same order.
async fn feed_and_stream_deliver_every_event_once_in_order_under_concurrent_writers(app: TestApp) {
    const WRITERS: usize = 4;
    const CUSTOMERS: usize = 6;
    // Each customer: registered, then two contacts.
    const EXPECTED: usize = WRITERS * CUSTOMERS * 3;
    let app = std::sync::Arc::new(app);
    let token = app.token(Role::Integrator).await;
    let follower = {
        let (app, token) = (app.clone(), token.clone());
        tokio::spawn(async move {
            let (_, messages, _) = stream(
                &app,
                "/events/stream",
                &token,
                None,
                EXPECTED,
                Duration::from_secs(60),
            )
            .await;
            with_data(messages)
        })
    };
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let app = app.clone();
            tokio::spawn(async move {
                for c in 0..CUSTOMERS {
                    let customer = register(&app, &format!("Writer {w} Customer {c}")).await;
                    add_contact(&app, &customer, "Encik Ali").await;
                    add_contact(&app, &customer, "Puan Siti").await;
                }
            })
        })
        .collect();
    // Paging while the writes go on: short pages, so many cursors cross open transactions.
    let (paged, _, _) = read_feed(&app, "limit=7", None, EXPECTED).await;
    for writer in writers {
        writer.await.unwrap();
    }
    let streamed = follower.await.unwrap();

    assert_eq!(paged.len(), EXPECTED);
    let ids: HashSet<_> = paged.iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), EXPECTED, "no event twice");
    let mut versions: std::collections::HashMap<&str, u64> = std::collections::HashMap::new();
    for event in &paged {
        let stream_id = event["stream_id"].as_str().unwrap();
        let version = event["version"].as_u64().unwrap();
        let last = versions.insert(stream_id, version).unwrap_or(0);
        assert_eq!(
            version,
            last + 1,
            "a stream's events in order, none missing"
        );
    }
    assert_eq!(versions.len(), WRITERS * CUSTOMERS);
    let streamed: Vec<Value> = streamed.into_iter().map(|m| m.data.unwrap()).collect();
    assert!(
        streamed == paged,
        "the stream and the pages agree on every event and its order"
    );
}
