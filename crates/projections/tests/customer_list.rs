//! The customer list read model on both back ends: fed by commands through the runner,
//! searched, paged, and rebuilt from the first event with identical results.
#![allow(clippy::unwrap_used)]

use std::{sync::Arc, time::Duration};

use chrono::NaiveDate;
use niaga_domain::{
    Money,
    customer::{Customer, CustomerCommand, LoseOpportunity, OpenOpportunity, OpportunitySource},
    ids::{CustomerId, OpportunityId},
    testing::{sample_company, test_ctx},
};
use niaga_projections::{
    checkpoint,
    customer_list::{self, CustomerList, CustomerSearch},
    runner,
};
use niaga_store::{CommandHandler, CommandOptions, Database};
use uuid::Uuid;

async fn register(
    customers: &CommandHandler<Customer>,
    name: &str,
    tin: &str,
) -> (CustomerId, i64) {
    let id = CustomerId::from_uuid(Uuid::now_v7());
    let command = CustomerCommand::Register(sample_company(id, name, tin).unwrap());
    let outcome = customers
        .execute(
            &id.to_string(),
            &command,
            &test_ctx(),
            &CommandOptions::default(),
        )
        .await
        .unwrap();
    (id, outcome.position.unwrap())
}

async fn open_opportunity(customers: &CommandHandler<Customer>, id: CustomerId) -> OpportunityId {
    let opportunity_id = OpportunityId::from_uuid(Uuid::now_v7());
    let command = CustomerCommand::OpenOpportunity(OpenOpportunity {
        opportunity_id,
        title: "Calibration of 20 kg weights".into(),
        expected_value: Money::parse("12500.00", "MYR").unwrap(),
        expected_close: NaiveDate::from_ymd_opt(2026, 7, 31).unwrap(),
        source: OpportunitySource::Referral,
    });
    customers
        .execute(
            &id.to_string(),
            &command,
            &test_ctx(),
            &CommandOptions::default(),
        )
        .await
        .unwrap();
    opportunity_id
}

fn search(query: &str, limit: u32) -> CustomerSearch {
    CustomerSearch {
        query: Some(query.into()),
        after: None,
        limit,
    }
}

/// Runs the projection until it has applied the event at `position`, and returns how many
/// events it applied. One pass may stop short on PostgreSQL: an open transaction anywhere on
/// the server (another test's) holds the feed back until it ends.
async fn catch_up_to(db: &Database, position: i64) -> u64 {
    let store = db.event_store();
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let mut applied = 0;
    loop {
        applied += runner::catch_up(&CustomerList, db, store.as_ref())
            .await
            .unwrap();
        if checkpoint::has_applied(db, customer_list::NAME, position)
            .await
            .unwrap()
        {
            return applied;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the projection never reached {position}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Three customers, two opportunities, one of them lost; returns the last position written.
async fn seed(db: &Database) -> i64 {
    let customers = CommandHandler::new(db.event_store());
    register(&customers, "Acme Timbang Sdn. Bhd.", "C25845632020").await;
    register(&customers, "acme weights trading", "C10000000010").await;
    let (beta, _) = register(&customers, "Beta Makmal Sdn. Bhd.", "C20000000020").await;
    open_opportunity(&customers, beta).await;
    let lost = open_opportunity(&customers, beta).await;
    customers
        .execute(
            &beta.to_string(),
            &CustomerCommand::LoseOpportunity(LoseOpportunity {
                opportunity_id: lost,
                reason: "Chose a cheaper lab".into(),
            }),
            &test_ctx(),
            &CommandOptions::default(),
        )
        .await
        .unwrap()
        .position
        .unwrap()
}

async fn the_list_finds_customers_by_name_prefix_in_any_case_and_by_tin(db: Database) {
    let last = seed(&db).await;
    catch_up_to(&db, last).await;

    let acme = customer_list::search(&db, &search("ACME", 10))
        .await
        .unwrap();
    let names: Vec<_> = acme.items.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Acme Timbang Sdn. Bhd.", "acme weights trading"]);

    let by_tin = customer_list::search(&db, &search("c2000", 10))
        .await
        .unwrap();
    assert_eq!(by_tin.items.len(), 1);
    assert_eq!(by_tin.items[0].name, "Beta Makmal Sdn. Bhd.");
    assert_eq!(by_tin.items[0].open_opportunities, 1, "one open, one lost");

    let nobody = customer_list::search(&db, &search("zeta", 10))
        .await
        .unwrap();
    assert!(nobody.items.is_empty());
}

async fn pages_follow_on_without_repeats(db: Database) {
    let last = seed(&db).await;
    catch_up_to(&db, last).await;
    let mut query = search("", 2);
    let first = customer_list::search(&db, &query).await.unwrap();
    assert_eq!(first.items.len(), 2);
    query.after = first.next.clone();
    let second = customer_list::search(&db, &query).await.unwrap();
    assert_eq!(second.items.len(), 1);
    assert!(second.next.is_none());
    assert!(!first.items.contains(&second.items[0]));
}

async fn rebuilding_from_the_first_event_gives_the_same_list(db: Database) {
    let last = seed(&db).await;
    let store = db.event_store();
    catch_up_to(&db, last).await;
    let before = customer_list::search(&db, &search("", 100))
        .await
        .unwrap()
        .items;

    niaga_store::on_writer!(&db, pool => async {
        sqlx::query("DELETE FROM customer_list").execute(pool).await?;
        sqlx::query("DELETE FROM projection_checkpoints").execute(pool).await.map(drop)
    }.await)
    .unwrap();
    let applied = catch_up_to(&db, last).await;
    assert!(applied >= 6);
    let after = customer_list::search(&db, &search("", 100))
        .await
        .unwrap()
        .items;
    assert_eq!(before, after);
    assert_eq!(
        runner::catch_up(&CustomerList, &db, store.as_ref())
            .await
            .unwrap(),
        0
    );
}

async fn a_running_projector_catches_up_with_a_new_command(db: Database) {
    let wake = Arc::new(tokio::sync::Notify::new());
    let tasks = runner::spawn_all(&db, &wake);
    let customers = CommandHandler::new(db.event_store()).notify_on_commit(wake.clone());
    let (_, position) = register(&customers, "Gamma Scales", "C30000000030").await;
    runner::wait_for(&db, customer_list::NAME, position, Duration::from_secs(5))
        .await
        .unwrap();
    let found = customer_list::search(&db, &search("gamma", 10))
        .await
        .unwrap();
    assert_eq!(found.items.len(), 1);
    let checkpoints = checkpoint::all(&db).await.unwrap();
    assert!(checkpoints.iter().all(|c| c.last_error.is_none()));
    tasks.iter().for_each(tokio::task::JoinHandle::abort);
}

niaga_store::on_both_backends!(
    the_list_finds_customers_by_name_prefix_in_any_case_and_by_tin,
    pages_follow_on_without_repeats,
    rebuilding_from_the_first_event_gives_the_same_list,
    a_running_projector_catches_up_with_a_new_command,
);
