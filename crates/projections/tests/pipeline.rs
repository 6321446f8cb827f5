//! The sales pipeline read model on both back ends, fed by real Customer commands: open value
//! by stage and expected close month, won and lost per month, a customer's open
//! opportunities, and a rebuild giving the same figures. On PostgreSQL, every report query
//! walks its index on a table of 100,000 opportunities.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use chrono::{NaiveDate, TimeZone, Utc};
use niaga_domain::{
    Actor, Ctx, Money,
    customer::{
        Customer, CustomerCommand, CustomerEvent, LoseOpportunity, MoveOpportunity,
        OpenOpportunity, OpenStage, OpportunitySource, WinOpportunity,
    },
    ids::{CustomerId, OpportunityId},
    testing::sample_company,
};
use niaga_projections::{
    checkpoint, customer_ledger,
    pipeline::{self, CloseMonthTotal, ClosedTotal, Pipeline, StageTotal},
    rebuild, runner,
};
use niaga_store::{Backend, CommandHandler, CommandOptions, Database, Outcome};
use uuid::Uuid;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A command context at 10:00 in Kuala Lumpur on `on`.
fn ctx_on(on: NaiveDate) -> Ctx {
    let now = Utc.from_utc_datetime(&on.and_hms_opt(2, 0, 0).unwrap());
    Ctx::new(now, Actor::User(Uuid::nil()), Uuid::nil())
}

struct Sales {
    customers: CommandHandler<Customer>,
    last: i64,
}

impl Sales {
    async fn run(
        &mut self,
        customer: CustomerId,
        on: NaiveDate,
        command: CustomerCommand,
    ) -> Outcome<CustomerEvent> {
        let outcome = self
            .customers
            .execute(
                &customer.to_string(),
                &command,
                &ctx_on(on),
                &CommandOptions::default(),
            )
            .await
            .unwrap();
        self.last = outcome.position.unwrap_or(self.last);
        outcome
    }

    async fn register(&mut self, name: &str, tin: &str) -> CustomerId {
        let id = CustomerId::from_uuid(Uuid::now_v7());
        let command = CustomerCommand::Register(sample_company(id, name, tin).unwrap());
        self.run(id, day(2026, 4, 1), command).await;
        id
    }

    /// Opens an opportunity with this id on `on`, expected to close on `close`.
    async fn open_as(
        &mut self,
        customer: CustomerId,
        opportunity_id: OpportunityId,
        on: NaiveDate,
        value: (&str, &str),
        close: NaiveDate,
    ) -> OpportunityId {
        let command = CustomerCommand::OpenOpportunity(OpenOpportunity {
            opportunity_id,
            title: "Calibration of 20 kg weights".into(),
            expected_value: Money::parse(value.0, value.1).unwrap(),
            expected_close: close,
            source: OpportunitySource::Referral,
        });
        self.run(customer, on, command).await;
        opportunity_id
    }

    async fn open(
        &mut self,
        customer: CustomerId,
        on: NaiveDate,
        value: (&str, &str),
        close: NaiveDate,
    ) -> OpportunityId {
        let id = OpportunityId::from_uuid(Uuid::now_v7());
        self.open_as(customer, id, on, value, close).await
    }

    async fn move_to(
        &mut self,
        customer: CustomerId,
        opportunity_id: OpportunityId,
        to: OpenStage,
    ) {
        let command = CustomerCommand::MoveOpportunity(MoveOpportunity { opportunity_id, to });
        self.run(customer, day(2026, 4, 15), command).await;
    }

    async fn win(&mut self, customer: CustomerId, opportunity_id: OpportunityId, on: NaiveDate) {
        let command = CustomerCommand::WinOpportunity(WinOpportunity { opportunity_id });
        self.run(customer, on, command).await;
    }

    async fn lose(&mut self, customer: CustomerId, opportunity_id: OpportunityId, on: NaiveDate) {
        let command = CustomerCommand::LoseOpportunity(LoseOpportunity {
            opportunity_id,
            reason: "Chose a cheaper lab".into(),
        });
        self.run(customer, on, command).await;
    }
}

/// Runs the projection until it has applied the event at `position`. One pass may stop short
/// on PostgreSQL: an open transaction anywhere on the server holds the feed back.
async fn catch_up_to(db: &Database, position: i64) -> u64 {
    let store = db.event_store();
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let mut applied = 0;
    loop {
        applied += runner::catch_up(&Pipeline, db, store.as_ref())
            .await
            .unwrap();
        if checkpoint::has_applied(db, pipeline::NAME, position)
            .await
            .unwrap()
        {
            return applied;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "never reached {position}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

struct Book {
    acme: CustomerId,
    beta: CustomerId,
    /// Acme's open deals, soonest expected close first.
    acme_open: Vec<OpportunityId>,
    /// Beta's.
    beta_open: Vec<OpportunityId>,
    last: i64,
}

/// Two customers, nine opportunities: four won or lost in April and May 2026, five open.
/// Beta's first deal carries the same id as one of Acme's (ids are the client's choice).
async fn seed(db: &Database) -> Book {
    let mut sales = Sales {
        customers: CommandHandler::new(db.event_store()),
        last: 0,
    };
    let acme = sales
        .register("Acme Timbang Sdn. Bhd.", "C25845632020")
        .await;
    let beta = sales
        .register("Beta Makmal Sdn. Bhd.", "C20000000020")
        .await;
    let april = day(2026, 4, 10);

    let won_in_april = sales
        .open(acme, april, ("10000.00", "MYR"), day(2026, 5, 31))
        .await;
    let lost_in_may = sales
        .open(acme, april, ("3000.00", "MYR"), day(2026, 5, 20))
        .await;
    let qualified = sales
        .open(acme, april, ("5000.50", "MYR"), day(2026, 6, 30))
        .await;
    let in_dollars = sales
        .open(acme, april, ("1200.00", "USD"), day(2026, 7, 15))
        .await;
    // Estimates come in any precision; the report counts them to the sen.
    let won_in_may_usd = sales
        .open(acme, april, ("99.995", "USD"), day(2026, 5, 1))
        .await;
    let same_id = sales
        .open_as(
            beta,
            won_in_april,
            april,
            ("2000.00", "MYR"),
            day(2026, 6, 15),
        )
        .await;
    let proposal = sales
        .open(beta, april, ("7000.00", "MYR"), day(2026, 8, 1))
        .await;
    let lead = sales
        .open(beta, april, ("1500.00", "MYR"), day(2026, 6, 10))
        .await;
    let won_in_may = sales
        .open(beta, april, ("2500.00", "MYR"), day(2026, 6, 1))
        .await;

    sales.move_to(acme, qualified, OpenStage::Qualified).await;
    sales.move_to(acme, in_dollars, OpenStage::Proposal).await;
    sales.move_to(beta, proposal, OpenStage::Qualified).await;
    sales.move_to(beta, proposal, OpenStage::Proposal).await;
    sales.move_to(beta, won_in_may, OpenStage::Qualified).await;
    sales.win(acme, won_in_april, day(2026, 4, 20)).await;
    sales.lose(acme, lost_in_may, day(2026, 5, 5)).await;
    sales.win(beta, won_in_may, day(2026, 5, 31)).await;
    sales.win(acme, won_in_may_usd, day(2026, 5, 1)).await;

    Book {
        acme,
        beta,
        acme_open: vec![qualified, in_dollars],
        beta_open: vec![lead, same_id, proposal],
        last: sales.last,
    }
}

fn stage(stage: &str, currency: &str, count: i64, value_sen: i64) -> StageTotal {
    StageTotal {
        stage: stage.into(),
        currency: currency.into(),
        count,
        value_sen,
    }
}

fn closing(month: &str, currency: &str, count: i64, value_sen: i64) -> CloseMonthTotal {
    CloseMonthTotal {
        month: month.into(),
        currency: currency.into(),
        count,
        value_sen,
    }
}

fn closed(month: &str, status: &str, currency: &str, count: i64, value_sen: i64) -> ClosedTotal {
    ClosedTotal {
        month: month.into(),
        status: status.into(),
        currency: currency.into(),
        count,
        value_sen,
    }
}

fn strings(ids: &[OpportunityId]) -> Vec<String> {
    ids.iter().map(ToString::to_string).collect()
}

async fn figures(db: &Database) -> (Vec<StageTotal>, Vec<CloseMonthTotal>, Vec<ClosedTotal>) {
    (
        pipeline::open_by_stage(db).await.unwrap(),
        pipeline::expected_close_by_month(db).await.unwrap(),
        pipeline::closed_by_month(db, day(2026, 1, 1), day(2026, 12, 1))
            .await
            .unwrap(),
    )
}

async fn the_report_counts_open_deals_by_stage_and_close_month_and_closings_by_month(db: Database) {
    let book = seed(&db).await;
    catch_up_to(&db, book.last).await;
    let (by_stage, by_close, by_month) = figures(&db).await;

    // The deal of Beta's with Acme's won deal's id is still open, at its own stage.
    assert_eq!(
        by_stage,
        [
            stage("lead", "MYR", 2, 350_000),
            stage("proposal", "MYR", 1, 700_000),
            stage("proposal", "USD", 1, 120_000),
            stage("qualified", "MYR", 1, 500_050),
        ]
    );
    assert_eq!(
        by_close,
        [
            closing("2026-06", "MYR", 3, 850_050),
            closing("2026-07", "USD", 1, 120_000),
            closing("2026-08", "MYR", 1, 700_000),
        ]
    );
    assert_eq!(
        by_month,
        [
            closed("2026-04", "won", "MYR", 1, 1_000_000),
            closed("2026-05", "lost", "MYR", 1, 300_000),
            closed("2026-05", "won", "MYR", 1, 250_000),
            closed("2026-05", "won", "USD", 1, 10_000),
        ]
    );
    let backwards = pipeline::closed_by_month(&db, day(2026, 6, 1), day(2026, 5, 1))
        .await
        .unwrap();
    assert!(backwards.is_empty(), "{backwards:?}");
    let may = pipeline::closed_by_month(&db, day(2026, 5, 31), day(2026, 5, 31))
        .await
        .unwrap();
    assert_eq!(
        may.len(),
        3,
        "a range of one month, whatever the days: {may:?}"
    );
}

async fn a_customer_sees_only_their_open_deals_soonest_close_first(db: Database) {
    let book = seed(&db).await;
    catch_up_to(&db, book.last).await;

    let ids = |deals: &[pipeline::OpenOpportunity]| {
        deals
            .iter()
            .map(|o| o.opportunity_id.clone())
            .collect::<Vec<_>>()
    };
    let acme = pipeline::open_for_customer(&db, &book.acme.to_string(), 20)
        .await
        .unwrap();
    assert_eq!(ids(&acme), strings(&book.acme_open));
    assert_eq!(acme[0].stage, "qualified");
    assert_eq!(acme[0].expected_value_sen, 500_050);
    assert_eq!(acme[0].expected_close, "2026-06-30");
    assert_eq!(acme[1].currency, "USD");

    let beta = pipeline::open_for_customer(&db, &book.beta.to_string(), 20)
        .await
        .unwrap();
    assert_eq!(ids(&beta), strings(&book.beta_open));
    let first = pipeline::open_for_customer(&db, &book.beta.to_string(), 1)
        .await
        .unwrap();
    assert_eq!(ids(&first), ids(&beta[..1]));

    let nobody = pipeline::open_for_customer(&db, &Uuid::now_v7().to_string(), 20)
        .await
        .unwrap();
    assert!(nobody.is_empty());
}

async fn rebuilding_from_the_first_event_gives_the_same_figures(db: Database) {
    let book = seed(&db).await;
    catch_up_to(&db, book.last).await;
    let before = figures(&db).await;
    let acme_before = pipeline::open_for_customer(&db, &book.acme.to_string(), 20)
        .await
        .unwrap();

    // As an operator rebuilds it: into fresh tables, then switched over.
    let read = rebuild::rebuild(&Pipeline, &db, &|_| {})
        .await
        .unwrap()
        .applied;
    // Every opportunity event, and no registration or contact: 18 in the book.
    assert_eq!(read, 18, "opportunity events read again");
    assert_eq!(figures(&db).await, before);
    let acme_after = pipeline::open_for_customer(&db, &book.acme.to_string(), 20)
        .await
        .unwrap();
    assert_eq!(acme_after, acme_before);

    // And from nothing, by the live runner.
    niaga_store::on_writer!(&db, pool => async {
        sqlx::query("DELETE FROM pipeline_opportunities").execute(pool).await?;
        sqlx::query("DELETE FROM projection_checkpoints WHERE projection = $1")
            .bind(pipeline::NAME)
            .execute(pool)
            .await
            .map(drop)
    }.await)
    .unwrap();
    let applied = catch_up_to(&db, book.last).await;
    assert_eq!(applied, read, "every opportunity event applied again");
    assert_eq!(figures(&db).await, before);
}

niaga_store::on_both_backends!(
    the_report_counts_open_deals_by_stage_and_close_month_and_closings_by_month,
    a_customer_sees_only_their_open_deals_soonest_close_first,
    rebuilding_from_the_first_event_gives_the_same_figures,
);

/// `EXPLAIN (FORMAT JSON)` of `sql` with `binds`, as text.
async fn plan(pool: &sqlx::PgPool, sql: &str, binds: &[&str]) -> String {
    let explain = format!("EXPLAIN (FORMAT JSON) {sql}");
    let mut query = sqlx::query_scalar::<_, serde_json::Value>(&explain);
    for bind in binds {
        query = query.bind(*bind);
    }
    query.fetch_one(pool).await.unwrap().to_string()
}

#[track_caller]
fn assert_walks(plan: &str, index: &str) {
    assert!(
        plan.contains(&format!("\"{index}\"")),
        "not {index}: {plan}"
    );
    assert!(!plan.contains("Seq Scan"), "a sequential scan: {plan}");
}

/// The report's figures come from the index alone, already in group order.
#[track_caller]
fn assert_only_index(plan: &str, index: &str) {
    assert_walks(plan, index);
    assert!(plan.contains("Index Only Scan"), "reads the table: {plan}");
    assert!(!plan.contains("\"Sort\""), "sorts: {plan}");
}

/// PostgreSQL only: the report's statements as the planner runs them on ten years of
/// history: 100,000 opportunities across 5,000 customers, one in fifty still open. Each must
/// read its own index and never the whole table.
#[tokio::test]
async fn postgres_every_pipeline_query_walks_its_index() {
    let db = niaga_store::testing::fresh_database(Backend::Postgres)
        .await
        .unwrap();
    let Database::Postgres(pool) = &db else {
        unreachable!()
    };
    // Loaded with a synchronous commit and then vacuumed: autovacuum keeps a table of history
    // all-visible, which is what lets the report read its covering indexes alone. A table
    // loaded a moment ago (with the test databases' asynchronous commit, whose rows VACUUM
    // cannot mark visible yet) would be planned as no production table is.
    let mut tx = pool.begin().await.unwrap();
    sqlx::query("SET LOCAL synchronous_commit = on")
        .execute(&mut *tx)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO pipeline_opportunities (customer_id, opportunity_id, title, currency, \
         expected_value_sen, expected_close, expected_close_month, source, stage, status, \
         opened_on, opened_position, closed_on, closed_month, lost_reason) \
         SELECT 'customer-' || (g % 5000), 'deal-' || g, 'A deal', \
                CASE WHEN g % 10 = 0 THEN 'USD' ELSE 'MYR' END, (g % 1000 + 1) * 10000, \
                to_char(day + 30, 'YYYY-MM-DD'), to_char(day + 30, 'YYYY-MM'), 'referral', \
                (ARRAY['lead', 'qualified', 'proposal'])[g % 3 + 1], status, \
                to_char(day, 'YYYY-MM-DD'), g, \
                CASE WHEN status = 'open' THEN NULL ELSE to_char(day + 20, 'YYYY-MM-DD') END, \
                CASE WHEN status = 'open' THEN NULL ELSE to_char(day + 20, 'YYYY-MM') END, \
                CASE WHEN status = 'lost' THEN 'Too dear' END \
         FROM generate_series(1, 100000) AS g, \
              LATERAL (SELECT DATE '2016-07-01' + g * 3650 / 100000 AS day, \
                              CASE WHEN g % 50 = 0 THEN 'open' \
                                   WHEN g % 3 = 0 THEN 'lost' ELSE 'won' END AS status) AS d",
    )
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    sqlx::raw_sql("VACUUM ANALYZE pipeline_opportunities")
        .execute(pool)
        .await
        .unwrap();

    let by_stage = plan(pool, pipeline::sql::OPEN_BY_STAGE, &[]).await;
    assert_only_index(&by_stage, "pipeline_open_by_stage");
    let by_close = plan(pool, pipeline::sql::EXPECTED_CLOSE_BY_MONTH, &[]).await;
    assert_only_index(&by_close, "pipeline_open_by_close_month");
    let closed = plan(
        pool,
        pipeline::sql::CLOSED_BY_MONTH,
        &["2025-07", "2026-06"],
    )
    .await;
    assert_only_index(&closed, "pipeline_closed_by_month");
    let explain = format!("EXPLAIN (FORMAT JSON) {}", pipeline::sql::OPEN_FOR_CUSTOMER);
    let customer: serde_json::Value = sqlx::query_scalar(&explain)
        .bind("customer-100")
        .bind(21_i64)
        .fetch_one(pool)
        .await
        .unwrap();
    let customer = customer.to_string();
    assert_walks(&customer, "pipeline_open_by_customer");
    assert!(!customer.contains("\"Sort\""), "sorts: {customer}");
}

/// PostgreSQL only: a customer's balance, as the overview asks for it, reads along the
/// statement index on a ledger of 100,000 entries.
#[tokio::test]
async fn postgres_a_customers_balance_walks_the_statement_index() {
    let db = niaga_store::testing::fresh_database(Backend::Postgres)
        .await
        .unwrap();
    let Database::Postgres(pool) = &db else {
        unreachable!()
    };
    sqlx::query(
        "INSERT INTO customer_ledger (position, customer_id, currency, entry_on, kind, \
         document_number, invoice_id, reference, debit_sen, credit_sen) \
         SELECT g, 'customer-' || (g % 5000), CASE WHEN g % 10 = 0 THEN 'USD' ELSE 'MYR' END, \
                to_char(DATE '2016-07-01' + g * 3650 / 100000, 'YYYY-MM-DD'), \
                CASE WHEN g % 2 = 0 THEN 'invoice' ELSE 'payment' END, 'INV-' || g, \
                'invoice-' || g, NULL, CASE WHEN g % 2 = 0 THEN 10000 ELSE 0 END, \
                CASE WHEN g % 2 = 0 THEN 0 ELSE 10000 END \
         FROM generate_series(1, 100000) AS g",
    )
    .execute(pool)
    .await
    .unwrap();
    sqlx::query("ANALYZE customer_ledger")
        .execute(pool)
        .await
        .unwrap();
    let balance = plan(pool, customer_ledger::BALANCES_SQL, &["customer-100"]).await;
    assert_walks(&balance, "customer_ledger_statement");
}
