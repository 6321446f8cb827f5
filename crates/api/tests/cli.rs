//! The `niaga` binary as an operator runs it: `audit verify` on an intact store, then on one
//! whose event row was altered by hand behind the database's back.
#![allow(clippy::unwrap_used)]

use std::process::Command;

use niaga_domain::{
    customer::{Customer, CustomerCommand},
    ids::CustomerId,
    testing::{sample_company, test_ctx},
};
use niaga_store::{Backend, CommandHandler, CommandOptions, Database, on_writer, testing};
use uuid::Uuid;

fn audit_verify(url: &str) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_niaga"))
        .args(["audit", "verify", "--database-url", url])
        .env("NIAGA_DATA_DIR", std::env::temp_dir())
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

async fn tampering_by_hand_makes_audit_verify_fail_naming_the_stream(backend: Backend) {
    let url = testing::fresh_database_url(backend).await.unwrap();
    let db = Database::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    let customers = CommandHandler::<Customer>::new(db.event_store());
    let id = CustomerId::from_uuid(Uuid::now_v7());
    let register =
        CustomerCommand::Register(sample_company(id, "Acme Timbang", "C25845632020").unwrap());
    customers
        .execute(
            &id.to_string(),
            &register,
            &test_ctx(),
            &CommandOptions::default(),
        )
        .await
        .unwrap();

    let (code, out) = audit_verify(&url);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("1 streams, 1 events verified"), "{out}");

    let (unguard, tamper) = match backend {
        Backend::Postgres => (
            "ALTER TABLE events DISABLE TRIGGER USER",
            "UPDATE events SET payload = jsonb_set(payload, '{name}', '\"Someone Else\"')",
        ),
        Backend::Sqlite => (
            "DROP TRIGGER events_refuse_update",
            "UPDATE events SET payload = json_set(payload, '$.name', 'Someone Else')",
        ),
    };
    on_writer!(&db, pool => sqlx::query(unguard).execute(pool).await.map(drop)).unwrap();
    on_writer!(&db, pool => sqlx::query(tamper).execute(pool).await.map(drop)).unwrap();
    db.close().await;

    let (code, out) = audit_verify(&url);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!("stream customer/{id} version 1")),
        "{out}"
    );
    assert!(out.contains("expected hash"), "{out}");
}

#[tokio::test]
async fn sqlite_tampering_is_caught_by_audit_verify() {
    tampering_by_hand_makes_audit_verify_fail_naming_the_stream(Backend::Sqlite).await;
}

#[tokio::test]
async fn postgres_tampering_is_caught_by_audit_verify() {
    tampering_by_hand_makes_audit_verify_fail_naming_the_stream(Backend::Postgres).await;
}
