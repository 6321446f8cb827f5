//! Command throughput (load, decide, append; no HTTP) beside the database's raw insert rate,
//! measured in the same run.
//!
//! `cargo bench -p niaga-store --bench throughput` (env: BENCH_ROUNDS, BENCH_SLICE_MS,
//! BENCH_BACKENDS=postgres,sqlite, BENCH_PREFILL).
//!
//! The disk's sync rate swings within minutes on these machines, so the cases run in short
//! slices, rotating, and each case is compared with the raw rate of the same round: the
//! report gives the median rate and the median of the per-round ratios.
#![allow(
    clippy::unwrap_used,
    clippy::print_stdout,
    missing_debug_implementations
)]

use std::{
    collections::BTreeMap,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use chrono::{NaiveDate, TimeDelta, Utc};
use niaga_domain::{
    Actor, Aggregate, Ctx, DomainEvent, Money,
    customer::{
        Customer, CustomerCommand, InteractionKind, MoveOpportunity, OpenOpportunity, OpenStage,
        OpportunitySource, RecordInteraction,
    },
    ids::{CustomerId, InteractionId, OpportunityId},
    testing::sample_company,
};
use niaga_store::{
    Append, Backend, CommandError, CommandHandler, CommandOptions, Database, Metadata, NewEvent,
    Tip, on_writer, testing::fresh_durable_database_url,
};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Raw,
    /// The store's append alone, with events encoded once beforehand: the store's share.
    AppendOnly,
    NewStream,
    Growing,
    Contended,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Case {
    kind: Kind,
    writers: usize,
}

const CASES: [Case; 8] = [
    Case {
        kind: Kind::Raw,
        writers: 1,
    },
    Case {
        kind: Kind::AppendOnly,
        writers: 1,
    },
    Case {
        kind: Kind::NewStream,
        writers: 1,
    },
    Case {
        kind: Kind::Growing,
        writers: 1,
    },
    Case {
        kind: Kind::Raw,
        writers: 16,
    },
    Case {
        kind: Kind::NewStream,
        writers: 16,
    },
    Case {
        kind: Kind::Growing,
        writers: 16,
    },
    Case {
        kind: Kind::Contended,
        writers: 16,
    },
];
const CONTENDED_STREAMS: usize = 4;

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn ctx() -> Ctx {
    Ctx::new(Utc::now(), Actor::User(Uuid::nil()), Uuid::now_v7())
}

fn interaction() -> CustomerCommand {
    CustomerCommand::RecordInteraction(RecordInteraction {
        interaction_id: InteractionId::from_uuid(Uuid::now_v7()),
        kind: InteractionKind::Call,
        occurred_at: Utc::now() - TimeDelta::minutes(5),
        summary: "Called about the calibration of the 20 kg F1 weights; quote to follow.".into(),
    })
}

/// The `n`th move of a growing stream's opportunity: qualified, lead, qualified… The state
/// stays the same size however long the stream grows, so the case measures the stream.
fn stage_move(opportunity_id: OpportunityId, n: u64) -> CustomerCommand {
    CustomerCommand::MoveOpportunity(MoveOpportunity {
        opportunity_id,
        to: if n.is_multiple_of(2) {
            OpenStage::Qualified
        } else {
            OpenStage::Lead
        },
    })
}

fn deal(opportunity_id: OpportunityId) -> CustomerCommand {
    CustomerCommand::OpenOpportunity(OpenOpportunity {
        opportunity_id,
        title: "Calibration of 20 kg weights".into(),
        expected_value: Money::parse("12500.00", "MYR").unwrap(),
        expected_close: NaiveDate::from_ymd_opt(2099, 12, 31).unwrap(),
        source: OpportunitySource::Referral,
    })
}

fn new_customer() -> (String, CustomerCommand) {
    let id = CustomerId::from_uuid(Uuid::now_v7());
    let register = sample_company(id, "Acme Timbang Sdn. Bhd.", "C25845632020").unwrap();
    (id.to_string(), CustomerCommand::Register(register))
}

struct Bench {
    db: Database,
    customers: Arc<CommandHandler<Customer>>,
    /// One growing stream per writer, its opportunity, and how many moves it has had.
    growing: Vec<(String, OpportunityId, AtomicU64)>,
    contended: Vec<String>,
    raw_payload: String,
    raw_json: serde_json::Value,
    retries: AtomicU64,
    refused: AtomicU64,
}

impl Bench {
    async fn setup(backend: Backend, prefill: u64) -> Self {
        let url = fresh_durable_database_url(backend).await.unwrap();
        let db = Database::connect(&url).await.unwrap();
        db.migrate().await.unwrap();
        let create = match backend {
            Backend::Postgres => {
                "CREATE TABLE raw_bench (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, payload JSON NOT NULL)"
            }
            Backend::Sqlite => {
                "CREATE TABLE raw_bench (id INTEGER PRIMARY KEY AUTOINCREMENT, payload TEXT NOT NULL)"
            }
        };
        on_writer!(&db, pool => sqlx::query(create).execute(pool).await.map(drop)).unwrap();
        let customers = Arc::new(CommandHandler::new(db.event_store()));
        let mut growing = Vec::new();
        for _ in 0..16 {
            let stream = register(&customers).await;
            let opportunity = OpportunityId::from_uuid(Uuid::now_v7());
            customers
                .execute(
                    &stream,
                    &deal(opportunity),
                    &ctx(),
                    &CommandOptions::default(),
                )
                .await
                .unwrap();
            prefill_stream(&db, &stream, opportunity, prefill).await;
            growing.push((stream, opportunity, AtomicU64::new(prefill)));
        }
        let mut contended = Vec::new();
        for _ in 0..CONTENDED_STREAMS {
            contended.push(register(&customers).await);
        }
        // The raw insert carries a payload the size of a recorded interaction event's.
        let sample = Customer::default()
            .decide(&new_customer().1, &ctx())
            .unwrap();
        let raw_json = sample[0].encode().unwrap().2;
        let raw_payload = serde_json::to_string(&raw_json).unwrap();
        Self {
            db: db.clone(),
            // A fresh handler: its cache starts cold, as after a restart.
            customers: Arc::new(CommandHandler::new(db.event_store())),
            growing,
            contended,
            raw_payload,
            raw_json,
            retries: AtomicU64::new(0),
            refused: AtomicU64::new(0),
        }
    }

    async fn raw_insert(&self) {
        match &self.db {
            Database::Postgres(pool) => {
                let mut tx = pool.begin().await.unwrap();
                sqlx::query("INSERT INTO raw_bench (payload) VALUES ($1::json)")
                    .bind(&self.raw_payload)
                    .execute(&mut *tx)
                    .await
                    .unwrap();
                tx.commit().await.unwrap();
            }
            Database::Sqlite { writer, .. } => {
                let mut tx = writer.begin().await.unwrap();
                sqlx::query("INSERT INTO raw_bench (payload) VALUES ($1)")
                    .bind(&self.raw_payload)
                    .execute(&mut *tx)
                    .await
                    .unwrap();
                tx.commit().await.unwrap();
            }
        }
    }

    async fn append_only(&self) {
        let stream = niaga_store::StreamRef::new(Customer::STREAM_TYPE, Uuid::now_v7().to_string());
        let event = NewEvent {
            event_id: Uuid::now_v7(),
            event_type: "Bench".into(),
            schema_version: 1,
            payload: self.raw_json.clone(),
        };
        self.db
            .event_store()
            .append(Append {
                stream,
                expected: Tip::default(),
                events: vec![event],
                metadata: Metadata::default(),
                recorded_at: Utc::now(),
                idempotency: None,
            })
            .await
            .unwrap();
    }

    async fn one(&self, case: Case, writer: usize, i: usize) {
        let options = CommandOptions::default();
        let result = match case.kind {
            Kind::Raw => return self.raw_insert().await,
            Kind::AppendOnly => return self.append_only().await,
            Kind::NewStream => {
                // The id was just made, as the API's create routes do: nothing to load.
                let (id, register) = new_customer();
                let options = CommandOptions {
                    new_stream: true,
                    ..options
                };
                self.customers
                    .execute(&id, &register, &ctx(), &options)
                    .await
            }
            Kind::Growing => {
                let (stream, opportunity, moves) = &self.growing[writer];
                let command = stage_move(*opportunity, moves.fetch_add(1, Ordering::Relaxed));
                self.customers
                    .execute(stream, &command, &ctx(), &options)
                    .await
            }
            Kind::Contended => {
                let stream = &self.contended[(writer + i) % CONTENDED_STREAMS];
                self.customers
                    .execute(stream, &interaction(), &ctx(), &options)
                    .await
            }
        };
        match result {
            Ok(outcome) => {
                self.retries.fetch_add(
                    u64::from(outcome.attempts.saturating_sub(1)),
                    Ordering::Relaxed,
                );
            }
            Err(CommandError::Contention { .. }) => {
                self.refused.fetch_add(1, Ordering::Relaxed);
            }
            Err(other) => panic!("{other}"),
        }
    }
}

async fn register(customers: &CommandHandler<Customer>) -> String {
    let (id, register) = new_customer();
    customers
        .execute(&id, &register, &ctx(), &CommandOptions::default())
        .await
        .unwrap();
    id
}

/// Grows a stream by `events` stage moves, 100 per append (set-up, not measured).
async fn prefill_stream(db: &Database, stream_id: &str, opportunity: OpportunityId, events: u64) {
    let store = db.event_store();
    let stream = niaga_store::StreamRef::new(Customer::STREAM_TYPE, stream_id);
    let mut state = Customer::default();
    let mut tip = Tip::default();
    for recorded in store.read_stream(&stream, 0).await.unwrap() {
        state = state.evolve(&niaga_store::decode(&recorded).unwrap());
        tip = Tip {
            version: recorded.version,
            hash: Some(recorded.hash),
        };
    }
    let mut left = events;
    while left > 0 {
        let mut batch = Vec::new();
        for _ in 0..left.min(100) {
            let n = events - left + batch.len() as u64;
            let decided = state.decide(&stage_move(opportunity, n), &ctx()).unwrap();
            for event in decided {
                let (event_type, schema_version, payload) = event.encode().unwrap();
                batch.push(NewEvent {
                    event_id: Uuid::now_v7(),
                    event_type: event_type.into(),
                    schema_version,
                    payload,
                });
                state = state.evolve(&event);
            }
        }
        left -= batch.len() as u64;
        let committed = store
            .append(Append {
                stream: stream.clone(),
                expected: tip.clone(),
                events: batch,
                metadata: Metadata::default(),
                recorded_at: Utc::now(),
                idempotency: None,
            })
            .await
            .unwrap();
        tip = Tip {
            version: committed.version,
            hash: committed.hash,
        };
    }
}

/// Runs `case` for one slice and returns its rate in operations per second.
async fn slice(bench: &Arc<Bench>, case: Case, length: Duration) -> f64 {
    let done = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let deadline = start + length;
    let tasks: Vec<_> = (0..case.writers)
        .map(|writer| {
            let bench = bench.clone();
            let done = done.clone();
            tokio::spawn(async move {
                let mut i = 0;
                while Instant::now() < deadline {
                    bench.one(case, writer, i).await;
                    done.fetch_add(1, Ordering::Relaxed);
                    i += 1;
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    done.load(Ordering::Relaxed) as f64 / start.elapsed().as_secs_f64()
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

fn label(case: Case) -> &'static str {
    match case.kind {
        Kind::Raw => "raw BEGIN; INSERT; COMMIT",
        Kind::AppendOnly => "store append alone (no load, no decide)",
        Kind::NewStream => "new stream per command",
        Kind::Growing => "own stream, growing",
        Kind::Contended => "4 contended streams",
    }
}

async fn run_backend(backend: Backend, rounds: u64, length: Duration, prefill: u64) {
    let bench = Arc::new(Bench::setup(backend, prefill).await);
    let mut rates: BTreeMap<Case, Vec<f64>> = BTreeMap::new();
    for _ in 0..rounds {
        for case in CASES {
            let rate = slice(&bench, case, length).await;
            rates.entry(case).or_default().push(rate);
        }
    }
    // Fall-off shows as a falling ratio to the same round's raw rate, not as a falling rate
    // (the disk's rate drifts on its own).
    let growing = Case {
        kind: Kind::Growing,
        writers: 1,
    };
    let raw = Case {
        kind: Kind::Raw,
        writers: 1,
    };
    let first_growing = rates[&growing][0] / rates[&raw][0];
    let last_growing = rates[&growing].last().unwrap() / rates[&raw].last().unwrap();
    let stream = niaga_store::StreamRef::new(Customer::STREAM_TYPE, &bench.growing[0].0);
    let length_now = bench
        .db
        .event_store()
        .read_stream(&stream, 0)
        .await
        .unwrap()
        .len();

    println!(
        "\n### {backend:?} ({rounds} rounds of {} ms slices)\n",
        length.as_millis()
    );
    println!("| case | writers | median ops/s | median raw ops/s | median ratio to raw |");
    println!("|---|---:|---:|---:|---:|");
    for case in CASES {
        let raw_case = Case {
            kind: Kind::Raw,
            writers: case.writers,
        };
        let mut ratios: Vec<f64> = rates[&case]
            .iter()
            .zip(&rates[&raw_case])
            .map(|(ours, raw)| ours / raw)
            .collect();
        let mut ours = rates[&case].clone();
        let mut raw = rates[&raw_case].clone();
        println!(
            "| {} | {} | {:.0} | {:.0} | {:.2} |",
            label(case),
            case.writers,
            median(&mut ours),
            median(&mut raw),
            median(&mut ratios)
        );
    }
    println!(
        "\nGrowing stream, 1 writer: {first_growing:.2} of raw in the first round, {last_growing:.2} \
         in the last; writer 0's stream now holds {length_now} events (prefilled {prefill})."
    );
    println!(
        "Contended: {} retries after lost races, {} commands gave up after 5 attempts.",
        bench.retries.load(Ordering::Relaxed),
        bench.refused.load(Ordering::Relaxed)
    );

    // A cold load of a long stream, as another instance would do it: snapshot + tail, then
    // the full replay with the snapshots deleted.
    let cold = CommandHandler::<Customer>::new(bench.db.event_store());
    let start = Instant::now();
    cold.load(&bench.growing[0].0).await.unwrap();
    let with_snapshot = start.elapsed();
    on_writer!(&bench.db, pool => sqlx::query("DELETE FROM snapshots").execute(pool).await.map(drop))
        .unwrap();
    let start = Instant::now();
    cold.load(&bench.growing[0].0).await.unwrap();
    let full_replay = start.elapsed();
    println!(
        "Cold load of a {length_now}-event stream: {:.1} ms from its snapshot, {:.1} ms by full replay.",
        with_snapshot.as_secs_f64() * 1000.0,
        full_replay.as_secs_f64() * 1000.0
    );
    bench.db.close().await;
}

fn main() {
    let rounds = env("BENCH_ROUNDS", 5);
    let length = Duration::from_millis(env("BENCH_SLICE_MS", 1000));
    let prefill = env("BENCH_PREFILL", 9_000);
    let backends = std::env::var("BENCH_BACKENDS").unwrap_or_else(|_| "postgres,sqlite".into());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    println!(
        "Niaga command throughput vs raw insert rate, {}",
        Utc::now().format("%Y-%m-%d %H:%M UTC")
    );
    for name in backends.split(',') {
        let backend = match name.trim() {
            "postgres" => Backend::Postgres,
            "sqlite" => Backend::Sqlite,
            other => panic!("unknown backend {other}"),
        };
        runtime.block_on(run_backend(backend, rounds, length, prefill));
    }
}
