//! The command plumbing resource modules use (`CommandMeta`, `CommandAccepted`, the
//! `CommandError` mapping, `Path`/`Query`), exercised through a tiny aggregate and two test
//! routes merged into the real router.

use std::net::SocketAddr;

use axum::{
    Router,
    extract::{ConnectInfo, State},
    http::{Method, StatusCode},
    routing::post,
};
use niaga_api::{
    ApiError, AppState, Result,
    auth::{ANY_STAFF, CurrentUser, Role, STAFF_WRITE},
    command::{CommandAccepted, CommandMeta},
    extract::{Json, Path, Query},
};
use niaga_domain::{Aggregate, Ctx, DomainEvent};
use niaga_store::StreamRef;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{TestApp, json_request};

crate::on_both_backends!(
    a_command_answers_201_with_an_etag_and_a_replay_answers_the_same,
    a_reused_idempotency_key_is_422,
    a_stale_if_match_is_412_with_the_current_version,
    a_refusal_is_422_with_the_rule_as_type,
    events_carry_the_request_id_user_and_client_address,
);

async fn a_command_answers_201_with_an_etag_and_a_replay_answers_the_same(app: TestApp) {
    let app = with_tallies(app);
    let id = Uuid::now_v7();
    let first = add(&app, id, 5, &[("idempotency-key", "k-1")]).await;
    assert_eq!(first.status, StatusCode::CREATED, "{:?}", first.body);
    assert_eq!(first.header("etag"), "\"1\"");
    let body = first.json();
    assert_eq!(
        (body["id"].as_str(), body["version"].as_u64()),
        (Some(id.to_string().as_str()), Some(1))
    );
    assert!(body["position"].is_i64());

    let replay = add(&app, id, 5, &[("idempotency-key", "k-1")]).await;
    assert_eq!(replay.status, StatusCode::CREATED);
    assert_eq!(replay.body, first.body);
    assert_eq!(replay.header("idempotent-replayed"), "true");

    let total = app
        .get(&format!("/tallies/{id}"), Some(Role::Auditor))
        .await;
    assert_eq!(total.json(), json!({"total": 5}));
}

async fn a_reused_idempotency_key_is_422(app: TestApp) {
    let app = with_tallies(app);
    let id = Uuid::now_v7();
    add(&app, id, 5, &[("idempotency-key", "k-1")]).await;
    let response = add(&app, id, 6, &[("idempotency-key", "k-1")]).await;
    response.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "idempotency-key-reused");
}

async fn a_stale_if_match_is_412_with_the_current_version(app: TestApp) {
    let app = with_tallies(app);
    let id = Uuid::now_v7();
    add(&app, id, 1, &[]).await;
    let ok = add(&app, id, 1, &[("if-match", "W/\"1\"")]).await;
    assert_eq!(ok.header("etag"), "\"2\"");
    let stale = add(&app, id, 1, &[("if-match", "\"1\"")]).await;
    let problem = stale.assert_problem(StatusCode::PRECONDITION_FAILED, "version-conflict");
    assert_eq!(problem["current_version"], 2);

    let malformed = add(&app, id, 1, &[("if-match", "\"two\"")]).await;
    malformed.assert_problem(StatusCode::BAD_REQUEST, "bad-request");
}

async fn a_refusal_is_422_with_the_rule_as_type(app: TestApp) {
    let app = with_tallies(app);
    let response = add(&app, Uuid::now_v7(), -1, &[]).await;
    let problem = response.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "tally-negative");
    assert_eq!(problem["detail"], "cannot add a negative amount");
}

async fn events_carry_the_request_id_user_and_client_address(app: TestApp) {
    let app = with_tallies(app);
    let request_id = Uuid::now_v7();
    let tally = Uuid::now_v7();
    let mut request = json_request(
        Method::POST,
        &format!("/tallies/{tally}"),
        &json!({"amount": 1}),
        Some(&app.token(Role::Sales).await),
    );
    request
        .headers_mut()
        .insert("x-request-id", request_id.to_string().parse().unwrap());
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::from(([10, 1, 2, 3], 40000))));
    assert_eq!(app.send(request).await.status, StatusCode::CREATED);

    // The stream, not the global feed: on PostgreSQL another test's open transaction can
    // hold the feed back for a moment.
    let stream = StreamRef::new(Tally::STREAM_TYPE, tally.to_string());
    let events = app
        .state
        .event_store()
        .read_stream(&stream, 0)
        .await
        .unwrap();
    let metadata = events.last().unwrap().metadata.to_value();
    assert_eq!(metadata["correlation_id"], request_id.to_string());
    assert_eq!(
        metadata["actor"],
        format!("user:{}", app.users[&Role::Sales])
    );
    assert_eq!(metadata["client_address"], "10.1.2.3");
}

#[tokio::test]
async fn the_auditor_may_read_but_not_write() {
    let app = with_tallies(TestApp::spawn(niaga_store::Backend::Sqlite).await);
    let id = Uuid::now_v7();
    let response = app
        .post(
            &format!("/tallies/{id}"),
            &json!({"amount": 1}),
            Some(Role::Auditor),
        )
        .await;
    response.assert_problem(StatusCode::FORBIDDEN, "forbidden");
    let response = app
        .get(&format!("/tallies/{id}"), Some(Role::Auditor))
        .await;
    response.assert_problem(StatusCode::NOT_FOUND, "not-found");
}

#[tokio::test]
async fn bad_path_and_query_parameters_are_400_problems() {
    let app = with_tallies(TestApp::spawn(niaga_store::Backend::Sqlite).await);
    let response = app.get("/tallies/not-a-uuid", Some(Role::Admin)).await;
    response.assert_problem(StatusCode::BAD_REQUEST, "bad-request");
    let id = Uuid::now_v7();
    let response = app
        .get(&format!("/tallies/{id}?scale=big"), Some(Role::Admin))
        .await;
    response.assert_problem(StatusCode::BAD_REQUEST, "bad-request");
}

async fn add(
    app: &TestApp,
    id: Uuid,
    amount: i64,
    headers: &[(&'static str, &str)],
) -> crate::helpers::TestResponse {
    let mut request = json_request(
        Method::POST,
        &format!("/tallies/{id}"),
        &json!({ "amount": amount }),
        Some(&app.token(Role::Sales).await),
    );
    for (name, value) in headers {
        request.headers_mut().insert(*name, value.parse().unwrap());
    }
    app.send(request).await
}

fn with_tallies(mut app: TestApp) -> TestApp {
    let routes = Router::new()
        .route("/tallies/{id}", post(add_to_tally).get(show_tally))
        .with_state(app.state.clone());
    app.router = app.router.merge(routes);
    app
}

/// A resource handler as resource modules write them.
async fn add_to_tally(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(body): Json<AddBody>,
) -> Result<CommandAccepted> {
    let user = user.require(STAFF_WRITE)?;
    let outcome = state
        .commands::<Tally>()
        .execute(
            &id.to_string(),
            &TallyCommand::Add(body.amount),
            &meta.ctx(&user),
            &meta.options_for(&body)?,
        )
        .await?;
    Ok(CommandAccepted::created(id, &outcome))
}

async fn show_tally(
    user: CurrentUser,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Query(query): Query<ShowQuery>,
) -> Result<Json<Value>> {
    user.require(ANY_STAFF)?;
    let (tally, _version) = state
        .commands::<Tally>()
        .load(&id.to_string())
        .await?
        .ok_or_else(|| ApiError::NotFound("tally".into()))?;
    Ok(Json(
        json!({ "total": tally.total * query.scale.unwrap_or(1) }),
    ))
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AddBody {
    amount: i64,
}

#[derive(Debug, Deserialize)]
struct ShowQuery {
    scale: Option<i64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Tally {
    total: i64,
}

#[derive(Debug)]
enum TallyCommand {
    Add(i64),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
enum TallyEvent {
    Added { amount: i64 },
}

#[derive(Debug, thiserror::Error)]
enum TallyError {
    #[error("cannot add a negative amount")]
    Negative,
}

/// How a domain error becomes an API error: one arm per refusal.
impl From<TallyError> for ApiError {
    fn from(error: TallyError) -> Self {
        match error {
            TallyError::Negative => ApiError::refused("tally-negative", error),
        }
    }
}

impl DomainEvent for TallyEvent {
    fn event_type(&self) -> &'static str {
        match self {
            Self::Added { .. } => "Added",
        }
    }
}

impl Aggregate for Tally {
    const STREAM_TYPE: &'static str = "test_tally";
    type Command = TallyCommand;
    type Event = TallyEvent;
    type Error = TallyError;

    fn decide(&self, command: &TallyCommand, _ctx: &Ctx) -> Result<Vec<TallyEvent>, TallyError> {
        match command {
            TallyCommand::Add(amount) if *amount < 0 => Err(TallyError::Negative),
            TallyCommand::Add(amount) => Ok(vec![TallyEvent::Added { amount: *amount }]),
        }
    }

    fn evolve(mut self, event: &TallyEvent) -> Self {
        match event {
            TallyEvent::Added { amount } => self.total += amount,
        }
        self
    }
}
