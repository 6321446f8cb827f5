//! Drafting and issuing a 20-line invoice end to end through the real HTTP API (a TCP
//! socket, the whole router, the projectors running as under `niaga serve`), at 16
//! concurrent clients, beside the database's raw transaction rate measured in the same run.
//!
//! `cargo bench -p niaga-api --bench issue_invoice` (env: BENCH_ROUNDS, BENCH_SLICE_MS,
//! BENCH_BACKENDS=postgres,sqlite; to look into a result: BENCH_CLIENTS (16), and
//! BENCH_PROJECTORS=0 to leave the read models stopped, unlike production).
//!
//! The disk's sync rate swings within minutes on these machines, so the cases run in short
//! slices, rotating, and each case is compared with the raw rate of the same round: the
//! report gives the median rate and the median of the per-round ratios. Latencies are the
//! percentiles of every request of the case over all rounds. Beside them, the CPU time per
//! request of this process (HTTP client, server and projectors; SQLite runs in it) and of
//! the PostgreSQL backends serving the benchmark's database, read from `/proc`: what the
//! two cores are spent on, when the rates are not what the disk allows.
#![allow(clippy::print_stdout, reason = "a benchmark prints its report")]

use std::{
    collections::{BTreeMap, BTreeSet, VecDeque},
    net::SocketAddr,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use axum::{
    body::Bytes,
    http::{Method, Request, StatusCode, header},
};
use chrono::Utc;
use http_body_util::{BodyExt as _, Full};
use hyper_util::{
    client::legacy::{Client, connect::HttpConnector},
    rt::TokioExecutor,
};
use niaga_api::{
    AppState, app,
    auth::{Auth, Role, hash_password},
    secret::Secret,
    users::{self, User},
};
use niaga_domain::ids::UserId;
use niaga_projections::runner;
use niaga_store::{Backend, Database, on_writer, testing::fresh_durable_database_url};
use serde_json::{Value, json};
use tokio::{net::TcpListener, task::JoinHandle};
use uuid::Uuid;

/// Lines per invoice.
const LINES: usize = 20;
const PASSWORD: &str = "a long enough benchmark password";
/// How long the projectors may take to catch up between slices.
const SETTLE: Duration = Duration::from_secs(120);

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Case {
    /// `BEGIN; INSERT one row; COMMIT` through sqlx, on the same database.
    Raw,
    /// `POST /invoices` with 20 lines.
    Draft,
    /// `POST /invoices/{id}/issue` on a draft made before the request.
    Issue,
}

const CASES: [Case; 3] = [Case::Raw, Case::Draft, Case::Issue];

impl Case {
    fn label(self) -> &'static str {
        match self {
            Self::Raw => "raw BEGIN; INSERT one event-sized row; COMMIT",
            Self::Draft => "draft a 20-line invoice (POST /invoices)",
            Self::Issue => "issue it (POST /invoices/{id}/issue)",
        }
    }
}

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn myr(amount: &str) -> Value {
    json!({ "amount": amount, "currency": "MYR" })
}

/// Twenty lines, a third each of calibration (service tax), resold goods (no SST) and
/// equipment rental (service tax), some with a discount.
fn lines() -> Value {
    let lines: Vec<Value> = (0..LINES)
        .map(|i| {
            let mut line = match i % 3 {
                0 => json!({
                    "item_code": "CAL-M1-20KG",
                    "description": format!("Calibration of 20 kg test weight, class M1, set {}", i + 1),
                    "quantity": "2",
                    "unit": "C62",
                    "unit_price": myr("350.00"),
                    "tax": { "kind": "service" }
                }),
                1 => json!({
                    "description": "Carrying case for 20 kg weights",
                    "quantity": "1",
                    "unit": "H87",
                    "unit_price": myr("120.00"),
                    "tax": { "kind": "goods_resale" }
                }),
                _ => json!({
                    "item_code": "RENT-PLT-3T",
                    "description": "Rental of a 3 t platform scale during recalibration",
                    "quantity": "7",
                    "unit": "DAY",
                    "unit_price": myr("85.50"),
                    "tax": { "kind": "equipment_rental" }
                }),
            };
            if i % 5 == 4 {
                line["discount"] = myr("10.00");
            }
            line
        })
        .collect();
    Value::Array(lines)
}

fn customer(n: usize) -> Value {
    json!({
        "kind": "company",
        "name": format!("Acme Timbang {n} Sdn. Bhd."),
        "tin": "C2584563202",
        "identification": { "scheme": "BRN", "value": "201901234567" },
        "sst": "W10-1808-32000001",
        "msic": "46599",
        "address": {
            "lines": ["Lot 5, Jalan Utas 15/7", "Seksyen 15"],
            "city": "Shah Alam",
            "postcode": "40200",
            "state": "10"
        },
        "email": "purchasing@acme.com.my",
        "phone": "+60 3-5510 1234"
    })
}

/// An HTTP/1.1 client of the API on a local port, keeping its connections open.
#[derive(Debug)]
struct Api {
    client: Client<HttpConnector, Full<Bytes>>,
    base: String,
}

impl Api {
    fn new(address: SocketAddr, clients: usize) -> Self {
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        let client = Client::builder(TokioExecutor::new())
            .pool_max_idle_per_host(clients * 2)
            .build(connector);
        Self {
            client,
            base: format!("http://{address}"),
        }
    }

    /// `POST path` with a JSON body; panics unless the answer has status `expected`.
    async fn post(
        &self,
        path: &str,
        body: Bytes,
        token: Option<&str>,
        expected: StatusCode,
    ) -> Value {
        let mut request = Request::builder()
            .method(Method::POST)
            .uri(format!("{}{path}", self.base))
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let request = request
            .body(Full::new(body))
            .expect("a well-formed request");
        let response = self
            .client
            .request(request)
            .await
            .unwrap_or_else(|error| panic!("POST {path}: {error}"));
        let status = response.status();
        let body = response
            .into_body()
            .collect()
            .await
            .unwrap_or_else(|error| panic!("POST {path}: reading the body: {error}"))
            .to_bytes();
        assert_eq!(
            status,
            expected,
            "POST {path}: {}",
            String::from_utf8_lossy(&body)
        );
        serde_json::from_slice(&body).unwrap_or_else(|error| {
            panic!(
                "POST {path}: not JSON ({error}): {}",
                String::from_utf8_lossy(&body)
            )
        })
    }
}

#[derive(Debug)]
struct Bench {
    clients: usize,
    url: String,
    db: Database,
    state: AppState,
    api: Api,
    finance_token: String,
    /// One customer per client, and its draft body, serialised once.
    draft_bodies: Vec<Bytes>,
    raw_payload: String,
    /// Drafts waiting to be issued.
    drafts: Mutex<VecDeque<String>>,
    /// Every number issued.
    numbers: Mutex<Vec<String>>,
    /// The highest global position a response named: the projectors must reach it.
    last_position: AtomicI64,
    drafted: AtomicU64,
    server: JoinHandle<()>,
}

impl Bench {
    async fn setup(backend: Backend, clients: usize) -> Self {
        let url = fresh_durable_database_url(backend)
            .await
            .expect("a fresh database (for PostgreSQL: is the server running?)");
        let db = Database::connect(&url).await.expect("a connection");
        db.migrate().await.expect("migrated");
        let create = match backend {
            Backend::Postgres => {
                "CREATE TABLE raw_bench (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, payload JSON NOT NULL)"
            }
            Backend::Sqlite => {
                "CREATE TABLE raw_bench (id INTEGER PRIMARY KEY AUTOINCREMENT, payload TEXT NOT NULL)"
            }
        };
        on_writer!(&db, pool => sqlx::query(create).execute(pool).await.map(drop))
            .expect("the raw table");
        let password_hash = hash_password(Secret::new(PASSWORD.to_owned()))
            .await
            .expect("a hash");
        for role in [Role::Sales, Role::Finance] {
            let user = User {
                id: UserId::from_uuid(Uuid::now_v7()),
                email: format!("{role}@niaga.bench"),
                password_hash: Secret::new(password_hash.clone()),
                role,
                created_at: Utc::now(),
            };
            users::insert(&db, &user).await.expect("a user");
        }

        let auth = Auth::new(&Secret::new(vec![42; 32]), Duration::from_secs(24 * 3600))
            .expect("a valid key");
        let state = AppState::new(db.clone(), auth);
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let address = listener.local_addr().expect("an address");
        let router = app(state.clone());
        let server = tokio::spawn(async move {
            axum::serve(
                listener,
                router.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await
            .expect("the server runs");
        });
        let api = Api::new(address, clients);

        let sales_token = login(&api, Role::Sales).await;
        let finance_token = login(&api, Role::Finance).await;
        let mut draft_bodies = Vec::new();
        let mut last_position = 0;
        for n in 0..clients {
            let body = Bytes::from(customer(n).to_string());
            let created = api
                .post("/customers", body, Some(&sales_token), StatusCode::CREATED)
                .await;
            last_position = created["position"].as_i64().expect("a position");
            let id = created["id"].as_str().expect("a customer id");
            let draft = json!({ "customer_id": id, "lines": lines(), "payment_terms_days": 30 });
            draft_bodies.push(Bytes::from(draft.to_string()));
        }
        // The raw row carries a drafted invoice's event payload, as stored.
        let drafted = api
            .post(
                "/invoices",
                draft_bodies[0].clone(),
                Some(&finance_token),
                StatusCode::CREATED,
            )
            .await;
        let drafted_id = drafted["id"].as_str().expect("an invoice id").to_owned();
        let raw_payload: String = niaga_store::on_reader!(&db, pool => sqlx::query_scalar(
            "SELECT CAST(payload AS TEXT) FROM events WHERE stream_type = 'invoice' AND stream_id = $1",
        )
        .bind(&drafted_id)
        .fetch_one(pool)
        .await)
        .expect("the drafted event");
        last_position = last_position.max(drafted["position"].as_i64().expect("a position"));
        Self {
            clients,
            url,
            db,
            state,
            api,
            finance_token,
            draft_bodies,
            raw_payload,
            drafts: Mutex::new(VecDeque::from([drafted_id])),
            numbers: Mutex::new(Vec::new()),
            last_position: AtomicI64::new(last_position),
            drafted: AtomicU64::new(1),
            server,
        }
    }

    async fn raw_insert(&self) {
        match &self.db {
            Database::Postgres(pool) => {
                let mut tx = pool.begin().await.expect("begin");
                sqlx::query("INSERT INTO raw_bench (payload) VALUES ($1::json)")
                    .bind(&self.raw_payload)
                    .execute(&mut *tx)
                    .await
                    .expect("insert");
                tx.commit().await.expect("commit");
            }
            Database::Sqlite { writer, .. } => {
                let mut tx = writer.begin().await.expect("begin");
                sqlx::query("INSERT INTO raw_bench (payload) VALUES ($1)")
                    .bind(&self.raw_payload)
                    .execute(&mut *tx)
                    .await
                    .expect("insert");
                tx.commit().await.expect("commit");
            }
        }
    }

    fn saw_position(&self, answer: &Value) {
        let position = answer["position"].as_i64().expect("a position");
        self.last_position.fetch_max(position, Ordering::Relaxed);
    }

    /// Drafts an invoice for `client`'s customer and queues it for issuing.
    async fn draft(&self, client: usize) {
        let body = self.draft_bodies[client].clone();
        let drafted = self
            .api
            .post(
                "/invoices",
                body,
                Some(&self.finance_token),
                StatusCode::CREATED,
            )
            .await;
        self.saw_position(&drafted);
        let id = drafted["id"].as_str().expect("an invoice id").to_owned();
        self.drafts.lock().expect("not poisoned").push_back(id);
        self.drafted.fetch_add(1, Ordering::Relaxed);
    }

    async fn issue(&self, id: &str) {
        let issued = self
            .api
            .post(
                &format!("/invoices/{id}/issue"),
                Bytes::from_static(b"{}"),
                Some(&self.finance_token),
                StatusCode::OK,
            )
            .await;
        self.saw_position(&issued);
        let number = issued["number"].as_str().expect("a number").to_owned();
        self.numbers.lock().expect("not poisoned").push(number);
    }

    fn next_draft(&self) -> Option<String> {
        self.drafts.lock().expect("not poisoned").pop_front()
    }

    fn queued(&self) -> usize {
        self.drafts.lock().expect("not poisoned").len()
    }

    /// Drafts `count` invoices, one client per customer (set-up, not measured).
    async fn prepare(self: &Arc<Self>, count: usize) {
        let clients = self.clients;
        let tasks: Vec<JoinHandle<()>> = (0..clients)
            .map(|client| {
                let bench = self.clone();
                let mine = count / clients + usize::from(client < count % clients);
                tokio::spawn(async move {
                    for _ in 0..mine {
                        bench.draft(client).await;
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.expect("a drafting client");
        }
    }

    /// Waits until every projector has applied every event written so far, so that a slice
    /// does not pay for the previous one's backlog.
    async fn settle(&self, projectors: bool) {
        let position = self.last_position.load(Ordering::Relaxed);
        if !projectors || position == 0 {
            return;
        }
        for projection in niaga_projections::all() {
            runner::wait_for(self.state.db(), projection.name(), position, SETTLE)
                .await
                .unwrap_or_else(|error| panic!("{} is behind: {error}", projection.name()));
        }
    }
}

async fn login(api: &Api, role: Role) -> String {
    let body = json!({ "email": format!("{role}@niaga.bench"), "password": PASSWORD });
    let answer = api
        .post(
            "/auth/login",
            Bytes::from(body.to_string()),
            None,
            StatusCode::OK,
        )
        .await;
    answer["access_token"]
        .as_str()
        .expect("an access token")
        .to_owned()
}

/// CPU seconds used so far by this process and by the PostgreSQL backends connected to
/// `database` (none for SQLite), from `/proc` (Linux; zero elsewhere).
fn cpu_seconds(database: Option<&str>) -> (f64, f64) {
    /// `utime + stime` of a `/proc/<pid>/stat` line, in seconds (clock ticks of 1/100 s).
    /// They are fields 14 and 15; the command name (field 2) may hold spaces, so fields are
    /// counted from its closing parenthesis, where field 3 starts.
    fn used(stat: &str) -> Option<f64> {
        let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
        let ticks: u64 =
            fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
        Some(ticks as f64 / 100.0)
    }
    let own = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|stat| used(&stat))
        .unwrap_or(0.0);
    let Some(database) = database else {
        return (own, 0.0);
    };
    let mut server = 0.0;
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let dir = entry.path();
        // A backend's title: `postgres: <user> <database> <client> <activity>`.
        let ours = std::fs::read(dir.join("cmdline")).is_ok_and(|cmdline| {
            String::from_utf8_lossy(&cmdline).starts_with("postgres: ")
                && String::from_utf8_lossy(&cmdline).contains(database)
        });
        if ours {
            server += std::fs::read_to_string(dir.join("stat"))
                .ok()
                .and_then(|stat| used(&stat))
                .unwrap_or(0.0);
        }
    }
    (own, server)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|load| {
            load.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|_| "unknown".into())
}

#[derive(Debug)]
struct Slice {
    rate: f64,
    latencies: Vec<Duration>,
    /// The issue case ran out of drafts before the slice's end (its rate is still right:
    /// requests over the time they took).
    cut_short: bool,
}

/// Runs `case` at every client for one slice.
async fn slice(bench: &Arc<Bench>, case: Case, length: Duration) -> Slice {
    let dry = Arc::new(AtomicBool::new(false));
    let start = Instant::now();
    let deadline = start + length;
    let tasks: Vec<JoinHandle<Vec<Duration>>> = (0..bench.clients)
        .map(|client| {
            let bench = bench.clone();
            let dry = dry.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                while Instant::now() < deadline && !dry.load(Ordering::Relaxed) {
                    let began = match case {
                        Case::Raw => {
                            let began = Instant::now();
                            bench.raw_insert().await;
                            began
                        }
                        Case::Draft => {
                            let began = Instant::now();
                            bench.draft(client).await;
                            began
                        }
                        Case::Issue => {
                            let Some(id) = bench.next_draft() else {
                                dry.store(true, Ordering::Relaxed);
                                break;
                            };
                            let began = Instant::now();
                            bench.issue(&id).await;
                            began
                        }
                    };
                    latencies.push(began.elapsed());
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.expect("a client"));
    }
    Slice {
        rate: latencies.len() as f64 / start.elapsed().as_secs_f64(),
        latencies,
        cut_short: dry.load(Ordering::Relaxed),
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n == 0 {
        return 0.0;
    }
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// The nearest-rank percentile `p` (0 to 100) of sorted `values`, in milliseconds.
fn percentile_ms(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1].as_secs_f64() * 1000.0
}

/// Every issued number is `INV-<year>-<serial>`, and each year's serials are 1..=n: no
/// repeats, no gaps (a run over New Year in Malaysia starts a second series).
fn check_numbers(numbers: &[String]) {
    let mut series: BTreeMap<&str, Vec<u64>> = BTreeMap::new();
    for number in numbers {
        let (name, serial) = number.rsplit_once('-').expect("INV-<year>-<serial>");
        assert!(name.starts_with("INV-"), "{number}");
        series
            .entry(name)
            .or_default()
            .push(serial.parse().expect("a serial"));
    }
    for (name, serials) in series {
        let unique: BTreeSet<u64> = serials.iter().copied().collect();
        assert_eq!(
            unique.len(),
            serials.len(),
            "{name}: a number was issued twice"
        );
        let expected: BTreeSet<u64> = (1..=serials.len() as u64).collect();
        assert_eq!(unique, expected, "{name}: the issued numbers have gaps");
    }
}

#[derive(Debug, Clone, Copy)]
struct Knobs {
    rounds: u64,
    length: Duration,
    clients: usize,
    projectors: bool,
}

async fn run_backend(backend: Backend, knobs: Knobs) {
    let Knobs {
        rounds,
        length,
        clients,
        projectors: run_projectors,
    } = knobs;
    let load_before = load_average();
    let bench = Arc::new(Bench::setup(backend, clients).await);
    let projectors = if run_projectors {
        runner::spawn_all(bench.state.db(), bench.state.committed())
    } else {
        Vec::new()
    };
    let database = match backend {
        Backend::Postgres => bench.url.rsplit('/').next(),
        Backend::Sqlite => None,
    };
    let mut rates: BTreeMap<Case, Vec<f64>> = BTreeMap::new();
    let mut cpu: BTreeMap<Case, Vec<(f64, f64)>> = BTreeMap::new();
    let mut latencies: BTreeMap<Case, Vec<Duration>> = BTreeMap::new();
    let mut cut_short = 0;
    let mut prepared = 0;
    let started = Instant::now();
    for _ in 0..rounds {
        for case in CASES {
            if case == Case::Issue {
                // Enough drafts for half as many issues again as the fastest rate seen of
                // either case: the slice must not run dry.
                let fastest = rates
                    .get(&Case::Issue)
                    .into_iter()
                    .chain(rates.get(&Case::Draft))
                    .flatten()
                    .copied()
                    .fold(0.0, f64::max);
                let want = (fastest * length.as_secs_f64() * 1.5).ceil() as usize + 4 * clients;
                let have = bench.queued();
                if have < want {
                    bench.prepare(want - have).await;
                    prepared += want - have;
                }
            }
            bench.settle(run_projectors).await;
            // The CPU of a slice includes the projectors catching up after it.
            let (own_before, server_before) = cpu_seconds(database);
            let result = slice(&bench, case, length).await;
            bench.settle(run_projectors).await;
            let (own_after, server_after) = cpu_seconds(database);
            let requests = result.latencies.len().max(1) as f64;
            cpu.entry(case).or_default().push((
                (own_after - own_before) * 1000.0 / requests,
                (server_after - server_before) * 1000.0 / requests,
            ));
            cut_short += usize::from(result.cut_short);
            rates.entry(case).or_default().push(result.rate);
            latencies.entry(case).or_default().extend(result.latencies);
        }
    }
    let elapsed = started.elapsed();
    let numbers = bench.numbers.lock().expect("not poisoned").clone();
    check_numbers(&numbers);

    println!(
        "\n### {backend:?} ({rounds} rounds of {} ms slices, {clients} clients{})\n",
        length.as_millis(),
        if run_projectors {
            ""
        } else {
            ", projectors stopped"
        }
    );
    println!(
        "| case | median req/s | median raw tx/s | median ratio to raw | p50 ms | p99 ms | requests \
         | CPU ms/req (process) | CPU ms/req (PostgreSQL) |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for case in CASES {
        let mut ratios: Vec<f64> = rates[&case]
            .iter()
            .zip(&rates[&Case::Raw])
            .map(|(ours, raw)| ours / raw)
            .collect();
        let mut ours = rates[&case].clone();
        let mut raw = rates[&Case::Raw].clone();
        let mut own: Vec<f64> = cpu[&case].iter().map(|(own, _)| *own).collect();
        let mut server: Vec<f64> = cpu[&case].iter().map(|(_, server)| *server).collect();
        let sorted = latencies.get_mut(&case).expect("measured");
        sorted.sort();
        println!(
            "| {} | {:.0} | {:.0} | {:.2} | {:.1} | {:.1} | {} | {:.2} | {} |",
            case.label(),
            median(&mut ours),
            median(&mut raw),
            median(&mut ratios),
            percentile_ms(sorted, 50.0),
            percentile_ms(sorted, 99.0),
            sorted.len(),
            median(&mut own),
            match backend {
                Backend::Postgres => format!("{:.2}", median(&mut server)),
                Backend::Sqlite => "(in process)".into(),
            },
        );
    }
    println!(
        "\nPer-round req/s: raw {:?}, draft {:?}, issue {:?}.",
        rates[&Case::Raw]
            .iter()
            .map(|r| r.round())
            .collect::<Vec<_>>(),
        rates[&Case::Draft]
            .iter()
            .map(|r| r.round())
            .collect::<Vec<_>>(),
        rates[&Case::Issue]
            .iter()
            .map(|r| r.round())
            .collect::<Vec<_>>(),
    );
    println!(
        "{} invoices drafted ({prepared} of them outside the slices), {} issued with numbers 1 to {} \
         (unique, gapless); {cut_short} issue slices ran out of drafts; {:.0} s in all; \
         a stored event is {} bytes of JSON; load average {load_before} before, {} after.",
        bench.drafted.load(Ordering::Relaxed),
        numbers.len(),
        numbers.len(),
        elapsed.as_secs_f64(),
        bench.raw_payload.len(),
        load_average()
    );

    for projector in projectors {
        projector.abort();
    }
    bench.server.abort();
    bench.db.close().await;
    if let Some(path) = bench.url.strip_prefix("sqlite://") {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{path}{suffix}"));
        }
    }
}

fn main() {
    let knobs = Knobs {
        rounds: env("BENCH_ROUNDS", 5),
        length: Duration::from_millis(env("BENCH_SLICE_MS", 2000)),
        clients: usize::try_from(env("BENCH_CLIENTS", 16)).expect("a client count"),
        projectors: env("BENCH_PROJECTORS", 1) != 0,
    };
    let backends = std::env::var("BENCH_BACKENDS").unwrap_or_else(|_| "postgres,sqlite".into());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    println!(
        "Niaga: a 20-line invoice drafted and issued through the HTTP API vs raw transaction rate, {}",
        Utc::now().format("%Y-%m-%d %H:%M UTC")
    );
    for name in backends.split(',') {
        let backend = match name.trim() {
            "postgres" => Backend::Postgres,
            "sqlite" => Backend::Sqlite,
            other => panic!("unknown backend {other}"),
        };
        runtime.block_on(run_backend(backend, knobs));
    }
}
