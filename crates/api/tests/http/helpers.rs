//! A test instance of the API: the real router on a fresh database, with one user per role.

use std::{collections::HashMap, sync::Once, time::Duration};

use axum::{
    Router,
    body::{Body, Bytes},
    http::{HeaderMap, Method, Request, StatusCode, header},
};
use chrono::Utc;
use http_body_util::BodyExt as _;
use niaga_api::{
    AppOptions, AppState, app,
    auth::{Auth, Role, hash_password},
    secret::Secret,
    users::{self, User},
};
use niaga_domain::ids::UserId;
use niaga_store::{Backend, testing::fresh_database};
use serde_json::Value;
use tokio::sync::{Mutex, OnceCell};
use tower::ServiceExt as _;
use uuid::Uuid;

/// Every test user's password.
pub const PASSWORD: &str = "a long enough test password";

/// The signing key of test tokens (tests may forge tokens with it).
pub const JWT_KEY: [u8; 32] = [42; 32];

/// The email of the test user with `role`.
pub fn email(role: Role) -> String {
    format!("{role}@niaga.test")
}

pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    pub users: HashMap<Role, UserId>,
    tokens: Mutex<HashMap<Role, String>>,
}

impl TestApp {
    /// The API on a fresh, migrated database with one user of each role.
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, AppOptions::default()).await
    }

    /// Like [`TestApp::spawn`], with other options (a rate limit, a public base URL…).
    pub async fn spawn_with(backend: Backend, options: AppOptions) -> Self {
        Self::spawn_made(backend, |_| options).await
    }

    /// Like [`TestApp::spawn_with`], the options made on the test's database (for what
    /// needs it, like the LHDN submitter).
    pub async fn spawn_made(
        backend: Backend,
        options: impl FnOnce(&niaga_store::Database) -> AppOptions,
    ) -> Self {
        init_logs();
        let db = fresh_database(backend)
            .await
            .expect("a fresh database (for PostgreSQL: is the server running?)");
        let options = options(&db);
        let auth = Auth::new(&Secret::new(JWT_KEY.to_vec()), Duration::from_secs(900))
            .expect("a valid key");
        let mut users = HashMap::new();
        for role in Role::ALL {
            let user = User {
                id: UserId::from_uuid(Uuid::now_v7()),
                email: email(role),
                password_hash: Secret::new(password_hash().await),
                role,
                created_at: Utc::now(),
            };
            users::insert(&db, &user).await.expect("a test user");
            users.insert(role, user.id);
        }
        let state = AppState::with_options(db, auth, options);
        Self {
            router: app(state.clone()),
            state,
            users,
            tokens: Mutex::new(HashMap::new()),
        }
    }

    /// Sends one request through the router.
    pub async fn send(&self, request: Request<Body>) -> TestResponse {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("the router is infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("a readable body")
            .to_bytes();
        TestResponse {
            status,
            headers,
            body,
        }
    }

    pub async fn login(&self, email: &str, password: &str) -> TestResponse {
        let body = serde_json::json!({ "email": email, "password": password });
        self.send(json_request(Method::POST, "/auth/login", &body, None))
            .await
    }

    /// An access token of the test user with `role`, logged in through the router once.
    pub async fn token(&self, role: Role) -> String {
        let mut tokens = self.tokens.lock().await;
        if let Some(token) = tokens.get(&role) {
            return token.clone();
        }
        let response = self.login(&email(role), PASSWORD).await;
        assert_eq!(response.status, StatusCode::OK, "login as {role}");
        let token = response.json()["access_token"]
            .as_str()
            .expect("a token")
            .to_owned();
        tokens.insert(role, token.clone());
        token
    }

    /// `GET path`, as `role` if given.
    pub async fn get(&self, path: &str, role: Option<Role>) -> TestResponse {
        let mut request = Request::get(path);
        if let Some(role) = role {
            request = request.header(header::AUTHORIZATION, bearer(&self.token(role).await));
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    /// `POST path` with a JSON body, as `role` if given.
    pub async fn post(&self, path: &str, body: &Value, role: Option<Role>) -> TestResponse {
        let token = match role {
            Some(role) => Some(self.token(role).await),
            None => None,
        };
        self.send(json_request(Method::POST, path, body, token.as_deref()))
            .await
    }

    /// Runs the scheduled job `name` once as of `as_of`, as `niaga jobs run` does.
    pub async fn run_job(&self, name: &str, as_of: chrono::NaiveDate) -> niaga_scheduler::Outcome {
        let ctx = niaga_scheduler::JobContext {
            db: self.state.db().clone(),
            committed: self.state.committed().clone(),
            late_fees: self.state.rental_policy().late_fees,
        };
        let job = niaga_scheduler::find(name).unwrap();
        niaga_scheduler::run_once(
            job.as_ref(),
            &ctx,
            as_of,
            "test",
            niaga_scheduler::Trigger::Command,
        )
        .await
        .unwrap()
    }
}

/// `method path` with a JSON body as `role`, with extra headers (`If-Match`,
/// `Idempotency-Key`…).
pub async fn send_as(
    app: &TestApp,
    method: Method,
    path: &str,
    body: &Value,
    role: Role,
    headers: &[(&str, &str)],
) -> TestResponse {
    let token = app.token(role).await;
    let mut request = json_request(method, path, body, Some(&token));
    for (name, value) in headers {
        request.headers_mut().insert(
            axum::http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
            value.parse().unwrap(),
        );
    }
    app.send(request).await
}

pub fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

pub fn json_request(
    method: Method,
    path: &str,
    body: &Value,
    token: Option<&str>,
) -> Request<Body> {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, bearer(token));
    }
    request.body(Body::from(body.to_string())).unwrap()
}

/// One Argon2 hash of [`PASSWORD`] shared by every test user: hashing is slow on purpose.
async fn password_hash() -> String {
    static HASH: OnceCell<String> = OnceCell::const_new();
    HASH.get_or_init(|| async {
        hash_password(Secret::new(PASSWORD.to_owned()))
            .await
            .expect("hashed")
    })
    .await
    .clone()
}

/// Logs only with `TEST_LOG=1` (then at `RUST_LOG`, default debug), pretty.
fn init_logs() {
    static INIT: Once = Once::new();
    INIT.call_once(|| {
        if std::env::var_os("TEST_LOG").is_some() {
            let filter = std::env::var("RUST_LOG").unwrap_or_else(|_| "debug".into());
            let _ = niaga_api::telemetry::init(niaga_api::telemetry::LogFormat::Pretty, &filter);
        }
    });
}

#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl TestResponse {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|error| {
            panic!(
                "not JSON ({error}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .unwrap_or_else(|| panic!("no {name} header in {:?}", self.headers))
            .to_str()
            .unwrap()
    }

    /// Asserts an RFC 9457 problem with this status and type slug; returns the body.
    #[track_caller]
    pub fn assert_problem(&self, status: StatusCode, slug: &str) -> Value {
        assert_eq!(
            self.status,
            status,
            "body: {}",
            String::from_utf8_lossy(&self.body)
        );
        assert_eq!(self.header("content-type"), "application/problem+json");
        let problem = self.json();
        assert_eq!(
            problem["type"],
            format!("https://niaga.my/problems/{slug}"),
            "{problem}"
        );
        assert_eq!(problem["status"], status.as_u16(), "{problem}");
        assert!(problem["title"].is_string(), "{problem}");
        problem
    }
}
