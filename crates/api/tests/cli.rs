//! The `niaga` binary as an operator runs it: `audit verify` on an intact store, then on one
//! whose event row was altered by hand behind the database's back; `audit export` of a
//! stream and `audit verify --file` of the export, intact, edited and unreadable.
#![allow(clippy::unwrap_used)]

use std::{path::PathBuf, process::Command};

use chrono::TimeDelta;
use niaga_domain::{
    Ctx,
    customer::{AmendCustomerDetails, Customer, CustomerCommand, CustomerDetails},
    ids::CustomerId,
    testing::{sample_company, test_ctx},
    values::Name,
};
use niaga_store::{Backend, CommandHandler, CommandOptions, Database, on_writer, testing};
use uuid::Uuid;

/// Runs `niaga <args>`: exit code, stdout, stderr.
fn niaga(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_niaga"))
        .args(args)
        .env("NIAGA_DATA_DIR", std::env::temp_dir())
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn audit_verify(url: &str) -> (i32, String) {
    let (code, out, _) = niaga(&["audit", "verify", "--database-url", url]);
    (code, out)
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
            "UPDATE events SET payload = jsonb_set(payload::jsonb, '{name}', '\"Someone Else\"')::json",
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

/// A file in the temporary directory, removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(what: &str) -> Self {
        Self(std::env::temp_dir().join(format!("niaga_export_{what}_{}.jsonl", Uuid::now_v7())))
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// `audit verify --file`, with a database URL nothing listens on: the check must not need one.
fn verify_file(file: &TempFile) -> (i32, String, String) {
    niaga(&[
        "audit",
        "verify",
        "--file",
        file.path(),
        "--database-url",
        "postgres://nobody@127.0.0.1:1/nothing",
    ])
}

async fn an_export_verifies_offline_and_an_edited_line_is_named(backend: Backend) {
    let url = testing::fresh_database_url(backend).await.unwrap();
    let db = Database::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    let customers = CommandHandler::<Customer>::new(db.event_store());
    let id = CustomerId::from_uuid(Uuid::now_v7());
    let register = sample_company(id, "Acme Lama", "C25845632020").unwrap();
    let amend = CustomerCommand::AmendDetails(AmendCustomerDetails {
        kind: register.kind,
        details: CustomerDetails {
            name: Name::parse("Acme Baru").unwrap(),
            ..register.details.clone()
        },
    });
    let an_hour_later = Ctx {
        now: test_ctx().now + TimeDelta::hours(1),
        ..test_ctx()
    };
    for (command, ctx) in [
        (CustomerCommand::Register(register), test_ctx()),
        (amend, an_hour_later),
    ] {
        customers
            .execute(&id.to_string(), &command, &ctx, &CommandOptions::default())
            .await
            .unwrap();
    }
    db.close().await;

    let export = TempFile::new("intact");
    let stream = format!("customer/{id}");
    let (code, out, err) = niaga(&[
        "audit",
        "export",
        "--database-url",
        &url,
        "--stream",
        &stream,
        "--out",
        export.path(),
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains(&format!("exported 2 events of {stream}")),
        "{out}"
    );
    assert!(out.contains("chain verified"), "{out}");

    let text = std::fs::read_to_string(&export.0).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    let mut fields: Vec<&str> = lines[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        [
            "event_id",
            "event_type",
            "hash",
            "metadata",
            "payload",
            "recorded_at",
            "schema_version",
            "stream_id",
            "stream_type",
            "version"
        ]
    );
    assert_eq!(lines[0]["recorded_at"], "2026-06-01T02:00:00.000000Z");
    assert_eq!(lines[1]["recorded_at"], "2026-06-01T03:00:00.000000Z");
    assert_eq!(lines[1]["payload"]["name"], "Acme Baru");

    let (code, out, err) = verify_file(&export);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains(&format!(
            "stream {stream}: 2 events verified, last hash {}",
            lines[1]["hash"].as_str().unwrap()
        )),
        "{out}"
    );
    assert!(
        out.contains("1 streams, 2 events checked, 0 broken"),
        "{out}"
    );

    // An auditor's copy with one name changed no longer verifies, from that version on.
    let edited = TempFile::new("edited");
    std::fs::write(&edited.0, text.replace("Acme Baru", "Acme Palsu")).unwrap();
    let (code, out, err) = verify_file(&edited);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains(&format!("stream {stream} version 2: expected hash")),
        "{out}"
    );
    assert!(out.contains("1 broken"), "{out}");

    // Lines swapped: the versions are out of order.
    let swapped = TempFile::new("swapped");
    let mut reordered: Vec<&str> = text.lines().collect();
    reordered.reverse();
    std::fs::write(&swapped.0, reordered.join("\n")).unwrap();
    let (code, out, _) = verify_file(&swapped);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains(&format!("stream {stream} version 1")), "{out}");

    // A stream with no events is nothing to export.
    let nothing = TempFile::new("nothing");
    let (code, _, err) = niaga(&[
        "audit",
        "export",
        "--database-url",
        &url,
        "--stream",
        &format!("customer/{}", Uuid::now_v7()),
        "--out",
        nothing.path(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("has no events"), "{err}");
    assert!(!nothing.0.exists());
}

#[tokio::test]
async fn sqlite_an_export_verifies_offline() {
    an_export_verifies_offline_and_an_edited_line_is_named(Backend::Sqlite).await;
}

#[tokio::test]
async fn postgres_an_export_verifies_offline() {
    an_export_verifies_offline_and_an_edited_line_is_named(Backend::Postgres).await;
}

#[test]
fn a_file_that_is_not_an_export_cannot_be_checked() {
    let garbage = TempFile::new("garbage");
    std::fs::write(&garbage.0, "date,amount\n2026-03-31,12500.00\n").unwrap();
    let (code, out, err) = verify_file(&garbage);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("line 1 is not an exported event"), "{err}");

    let mistimed = TempFile::new("mistimed");
    let line = serde_json::json!({
        "event_id": Uuid::nil(), "stream_type": "customer", "stream_id": "c-1", "version": 1,
        "event_type": "CustomerRegistered", "schema_version": 2, "payload": {}, "metadata": {},
        "recorded_at": "2026-06-01T10:00:00+08:00", "hash": "00"
    });
    std::fs::write(&mistimed.0, line.to_string()).unwrap();
    let (code, _, err) = verify_file(&mistimed);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("spelled as hashed"), "{err}");

    let empty = TempFile::new("empty");
    std::fs::write(&empty.0, "\n").unwrap();
    let (code, _, err) = verify_file(&empty);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("holds no events"), "{err}");

    let missing = TempFile::new("missing");
    let (code, _, err) = verify_file(&missing);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("cannot read"), "{err}");
}

/// `niaga projections rebuild` as an operator runs it: one read model by name, all of them,
/// and an unknown name; `projections list` shows where each stands.
async fn projections_are_rebuilt_by_name_or_all(backend: Backend) {
    let url = testing::fresh_database_url(backend).await.unwrap();
    let db = Database::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    let customers = CommandHandler::<Customer>::new(db.event_store());
    for (name, tin) in [
        ("Acme Timbang", "C25845632020"),
        ("Bumi Kalibrasi", "C10000000090"),
    ] {
        let id = CustomerId::from_uuid(Uuid::now_v7());
        let register = CustomerCommand::Register(sample_company(id, name, tin).unwrap());
        customers
            .execute(
                &id.to_string(),
                &register,
                &test_ctx(),
                &CommandOptions::default(),
            )
            .await
            .unwrap();
    }
    // The rebuild reads to the feed's visible end, which on PostgreSQL waits out other
    // tests' open transactions.
    testing::visible(db.event_store().as_ref(), 2).await;
    db.close().await;

    let (code, out, err) = niaga(&[
        "projections",
        "rebuild",
        "customer_list",
        "--database-url",
        &url,
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("customer_list: rebuilt to position 2 in ")
            && out.contains("2 events of its aggregates applied"),
        "{out}"
    );
    let (code, out, err) = niaga(&["projections", "list", "--database-url", &url]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("customer_list\tposition 2\tbehind 0")),
        "{out}"
    );
    let (code, out, err) = niaga(&["projections", "rebuild", "--database-url", &url]);
    assert_eq!(code, 0, "{out}{err}");
    for name in niaga_projections::all().iter().map(|p| p.name()) {
        assert!(
            out.contains(&format!("{name}: rebuilt to position 2 in ")),
            "{name}: {out}"
        );
    }
    let (code, _, err) = niaga(&[
        "projections",
        "rebuild",
        "customer_lists",
        "--database-url",
        &url,
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("no read model is named customer_lists"),
        "{err}"
    );

    let db = Database::connect(&url).await.unwrap();
    let list = niaga_projections::customer_list::search(
        &db,
        &niaga_projections::customer_list::CustomerSearch {
            query: None,
            after: None,
            limit: 10,
        },
    )
    .await
    .unwrap();
    assert_eq!(list.items.len(), 2);
}

#[tokio::test]
async fn sqlite_projections_are_rebuilt() {
    projections_are_rebuilt_by_name_or_all(Backend::Sqlite).await;
}

#[tokio::test]
async fn postgres_projections_are_rebuilt() {
    projections_are_rebuilt_by_name_or_all(Backend::Postgres).await;
}

/// `niaga jobs run expire-quotations --as-of DAY` as cron runs it, with no `serve` beside it:
/// it expires what has passed, a second run changes nothing, `jobs list` shows the last run.
async fn a_job_runs_once_from_the_command_line(backend: Backend) {
    use niaga_domain::{
        ids::QuotationId,
        quotation::{Channel, Quotation, QuotationCommand, Recipient, SendQuotation},
        testing::sample_quotation,
        values::{Email, Name},
    };
    let url = testing::fresh_database_url(backend).await.unwrap();
    let db = Database::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    let quotations = CommandHandler::<Quotation>::new(db.event_store());
    let id = QuotationId::from_uuid(Uuid::now_v7());
    let draft = sample_quotation(id, CustomerId::from_uuid(Uuid::now_v7()), "QUO-2026-0001");
    let send = QuotationCommand::Send(SendQuotation {
        to: Recipient {
            name: Name::parse("Puan Aminah").unwrap(),
            channel: Channel::Email(Email::parse("aminah@acme.com.my").unwrap()),
        },
    });
    for command in [QuotationCommand::Draft(draft.unwrap()), send] {
        quotations
            .execute(
                &id.to_string(),
                &command,
                &test_ctx(),
                &CommandOptions::default(),
            )
            .await
            .unwrap();
    }
    db.close().await;

    // Sent on 1 June for 30 days: open until 1 July.
    let run = |day: &str| {
        niaga(&[
            "jobs",
            "run",
            "expire-quotations",
            "--as-of",
            day,
            "--database-url",
            &url,
        ])
    };
    let (code, out, err) = run("2026-07-01");
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("succeeded (expired 0"), "{out}");
    let (code, out, err) = run("2026-07-02");
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("expire-quotations as of 2026-07-02: succeeded (expired 1"),
        "{out}"
    );
    let (code, out, _) = run("2026-07-02");
    assert_eq!(code, 0);
    assert!(out.contains("succeeded (expired 0"), "{out}");
    let (code, out, err) = niaga(&["jobs", "list", "--database-url", &url]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("expire-quotations\t") && out.contains("last run as of 2026-07-02 succeeded"),
        "{out}"
    );
    let (code, _, err) = niaga(&["jobs", "run", "expire-everything", "--database-url", &url]);
    assert_eq!(code, 2);
    assert!(err.contains("no job is named expire-everything"), "{err}");
}

#[tokio::test]
async fn sqlite_a_job_runs_once_from_the_command_line() {
    a_job_runs_once_from_the_command_line(Backend::Sqlite).await;
}

#[tokio::test]
async fn postgres_a_job_runs_once_from_the_command_line() {
    a_job_runs_once_from_the_command_line(Backend::Postgres).await;
}

/// The late fee policy comes from the file `NIAGA_LATE_FEE_POLICY_FILE` names: a valid one
/// runs the overdue job, an invalid one stops the command with what is wrong, and no run.
#[tokio::test]
async fn the_overdue_job_runs_under_the_late_fee_policy_file() {
    let url = testing::fresh_database_url(Backend::Sqlite).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("late-fees.json");
    std::fs::write(
        &policy,
        r#"{"version": 2, "grace_days": 1, "per_day": {"percent_of_daily_rate": {"basis_points": 5000}}}"#,
    )
    .unwrap();
    let policy = policy.to_str().unwrap().to_owned();
    let run = |file: &str| {
        niaga(&[
            "jobs",
            "run",
            "overdue",
            "--as-of",
            "2026-07-01",
            "--late-fee-policy-file",
            file,
            "--database-url",
            &url,
        ])
    };
    let (code, out, err) = run(&policy);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("overdue as of 2026-07-01: succeeded"), "{out}");
    let invalid = dir.path().join("invalid.json");
    std::fs::write(
        &invalid,
        r#"{"version": 0, "grace_days": 1, "per_day": {"amount": {"amount": "-5.00", "currency": "MYR"}}}"#,
    )
    .unwrap();
    let (code, _, err) = run(invalid.to_str().unwrap());
    assert_eq!(code, 2);
    assert!(err.contains("invalid late fee policy"), "{err}");
}

/// `niaga documents verify` on the database at `url` with the data folder `data`.
fn documents_verify(url: &str, data: &std::path::Path) -> (i32, String, String) {
    let data = data.to_str().unwrap();
    niaga(&[
        "documents",
        "verify",
        "--database-url",
        url,
        "--data-dir",
        data,
    ])
}

/// `documents verify`: every stored object against its digest, every signature event
/// against the image it names. A clean store passes; an object altered on disk and a signed
/// delivery order whose named image is not stored each fail it, named.
async fn documents_verify_names_an_altered_object_and_an_unstored_signature(backend: Backend) {
    use niaga_documents::{DocumentStore, NewDocument, SIGNATURE_IMAGE};
    use niaga_domain::{
        delivery_order::{
            CreateDeliveryOrder, DeliveryLine, DeliveryOrder, DeliveryOrderCommand,
            DeliveryOrderSource, DispatchDeliveryOrder, IssueSignatureLink, SignDeliveryOrder,
        },
        ids::{DeliveryOrderId, InvoiceId, SignatureLinkId},
        values::{Quantity, Sha256Hex, UnitCode},
    };
    use sha2::{Digest as _, Sha256};

    let url = testing::fresh_database_url(backend).await.unwrap();
    let data = tempfile::tempdir().unwrap();
    let db = Database::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    let store = DocumentStore::local(db.clone(), &data.path().join("documents")).unwrap();
    let ctx = test_ctx();

    let sha = |n: u8| Sha256Hex::parse(&format!("{n:02x}").repeat(32)).unwrap();
    let digest = |bytes: &[u8]| Sha256Hex::parse(&hex::encode(Sha256::digest(bytes))).unwrap();
    let handler = CommandHandler::<DeliveryOrder>::new(db.event_store());
    // A delivery order created, dispatched and signed with the image of this digest.
    let signed_with = |image: Sha256Hex| {
        let (handler, ctx) = (&handler, &ctx);
        async move {
            let id = DeliveryOrderId::from_uuid(Uuid::now_v7());
            let customer = CustomerId::from_uuid(Uuid::now_v7());
            let address = sample_company(customer, "Acme", "C25845632020")
                .unwrap()
                .details
                .address;
            let commands = [
                DeliveryOrderCommand::Create(CreateDeliveryOrder {
                    id,
                    source: DeliveryOrderSource::Invoice(InvoiceId::from_uuid(Uuid::now_v7())),
                    customer_id: customer,
                    delivery_address: address,
                    lines: vec![DeliveryLine {
                        description: "Test weight 20 kg".into(),
                        quantity: Quantity::parse("1").unwrap(),
                        unit: UnitCode::parse("H87").unwrap(),
                        serials: vec![],
                    }],
                }),
                DeliveryOrderCommand::Dispatch(DispatchDeliveryOrder {
                    dispatched_on: ctx.business_day(),
                    driver: None,
                    vehicle: None,
                }),
                DeliveryOrderCommand::IssueSignatureLink(IssueSignatureLink {
                    link_id: SignatureLinkId::from_uuid(Uuid::now_v7()),
                    token_sha256: sha(1),
                    expires_at: ctx.now + TimeDelta::hours(24),
                }),
                DeliveryOrderCommand::Sign(SignDeliveryOrder {
                    token_sha256: sha(1),
                    at: ctx.now + TimeDelta::hours(1),
                    signer_name: Name::parse("Siti Aminah").unwrap(),
                    client_ip: "10.1.2.3".parse().unwrap(),
                    user_agent: "test".into(),
                    signature_image_sha256: image,
                    document_sha256: sha(3),
                }),
            ];
            for command in &commands {
                handler
                    .execute(&id.to_string(), command, ctx, &CommandOptions::default())
                    .await
                    .unwrap();
            }
            id
        }
    };
    let document = |bytes: &[u8], document_id: String| NewDocument {
        kind: SIGNATURE_IMAGE,
        document_id,
        version: 4,
        media_type: "image/png",
        issued_on: ctx.business_day(),
        bytes: bytes.to_vec(),
    };
    // One signed delivery order with its image stored, and an image of an attempt that was
    // refused (stored, named by no event).
    let signed = signed_with(digest(b"one signature")).await;
    let intact = store
        .put(document(b"one signature", signed.to_string()), ctx.now)
        .await
        .unwrap();
    let altered = store
        .put(document(b"another signature", signed.to_string()), ctx.now)
        .await
        .unwrap();
    // One signed with an image that will not be the one stored.
    let id = signed_with(sha(2)).await;
    db.close().await;

    let verify = || documents_verify(&url, data.path());
    let (code, out, err) = verify();
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("2 documents verified, 0 problems"), "{out}");

    // The delivery order's image, stored as something else: the event's digest is missing.
    let db = Database::connect(&url).await.unwrap();
    let store = DocumentStore::local(db.clone(), &data.path().join("documents")).unwrap();
    store
        .put(document(b"not what was signed", id.to_string()), ctx.now)
        .await
        .unwrap();
    db.close().await;
    std::fs::write(
        data.path()
            .join("documents")
            .join(DocumentStore::object_location(&altered.sha256)),
        b"forged",
    )
    .unwrap();

    let (code, out, err) = verify();
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains(&format!("document {}", altered.key)), "{out}");
    assert!(!out.contains(&format!("document {}", intact.key)), "{out}");
    assert!(
        out.contains(&format!(
            "delivery order {id}: its signature event names image {}",
            sha(2).as_str()
        )),
        "{out}"
    );
    assert!(out.contains("3 documents verified, 2 problems"), "{out}");
}

/// `documents verify` over issued PDFs: two invoices issued and their PDFs stored by the
/// issuer in the data folder verify clean; one PDF's bytes altered on disk fails it, named
/// by its document key and as the invoice's PDF, and the other is not named.
async fn documents_verify_names_an_issued_pdf_altered_on_disk(backend: Backend) {
    use niaga_api::{AppOptions, AppState, auth::Auth, pdfs, secret::Secret};
    use niaga_documents::DocumentStore;
    use niaga_domain::{
        ids::InvoiceId,
        invoice::{DocumentKind, DocumentNumber, Invoice, InvoiceCommand, IssueInvoice},
        testing::sample_invoice,
    };

    let url = testing::fresh_database_url(backend).await.unwrap();
    let data = tempfile::tempdir().unwrap();
    let folder = data.path().join("documents");
    let db = Database::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    let auth = Auth::new(
        &Secret::new(vec![7; 32]),
        std::time::Duration::from_secs(60),
    )
    .unwrap();
    let options = AppOptions {
        documents: Some(DocumentStore::local(db.clone(), &folder).unwrap()),
        ..AppOptions::default()
    };
    let state = AppState::with_options(db.clone(), auth, options);
    let (ctx, none) = (test_ctx(), CommandOptions::default());
    let customer = CustomerId::from_uuid(Uuid::now_v7());
    let register =
        CustomerCommand::Register(sample_company(customer, "Acme", "C25845632020").unwrap());
    state
        .commands::<Customer>()
        .execute(&customer.to_string(), &register, &ctx, &none)
        .await
        .unwrap();
    for serial in [1, 2] {
        let id = InvoiceId::from_uuid(Uuid::now_v7());
        let number = DocumentNumber::new(DocumentKind::Invoice, 2026, serial).unwrap();
        for command in [
            InvoiceCommand::Draft(sample_invoice(id, customer).unwrap()),
            InvoiceCommand::Issue(IssueInvoice {
                number,
                einvoice: niaga_domain::invoice::EInvoiceChoice::Individual,
                exchange_rate: None,
            }),
        ] {
            let invoices = state.commands::<Invoice>();
            invoices
                .execute(&id.to_string(), &command, &ctx, &none)
                .await
                .unwrap();
        }
    }
    // The issuer reads the feed to its visible end, which on PostgreSQL waits out other
    // tests' open transactions.
    testing::visible(db.event_store().as_ref(), 5).await;
    assert_eq!(
        pdfs::catch_up(&state, "cli-test").await.unwrap(),
        Some(2),
        "two invoice PDFs issued"
    );
    let issued = state.documents().of_kind("invoice_pdf").await.unwrap();
    db.close().await;

    let verify = || documents_verify(&url, data.path());
    let (code, out, err) = verify();
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("2 documents verified, 0 problems"), "{out}");

    let (altered, intact) = (&issued[0], &issued[1]);
    let object = folder.join(DocumentStore::object_location(&altered.sha256));
    let mut bytes = std::fs::read(&object).unwrap();
    // One bit of one byte, as a failing disk or a hand edit changes it.
    let at = bytes.len() - 10;
    bytes[at] ^= 0x01;
    std::fs::write(&object, bytes).unwrap();

    let (code, out, err) = verify();
    assert_eq!(code, 1, "{out}{err}");
    let key = altered.key.to_string();
    assert!(
        out.contains(&format!(
            "document {key} (invoice_pdf {}",
            altered.document_id
        )),
        "the object named: {out}"
    );
    assert!(
        out.contains(&format!("its PDF (document {key}) is damaged")),
        "the invoice's PDF named: {out}"
    );
    assert!(!out.contains(&intact.key.to_string()), "{out}");
    assert!(out.contains("2 documents verified, 2 problems"), "{out}");
}

#[tokio::test]
async fn sqlite_documents_verify_names_an_altered_pdf() {
    documents_verify_names_an_issued_pdf_altered_on_disk(Backend::Sqlite).await;
}

#[tokio::test]
async fn postgres_documents_verify_names_an_altered_pdf() {
    documents_verify_names_an_issued_pdf_altered_on_disk(Backend::Postgres).await;
}

#[tokio::test]
async fn sqlite_documents_verify_names_what_does_not_match() {
    documents_verify_names_an_altered_object_and_an_unstored_signature(Backend::Sqlite).await;
}

#[tokio::test]
async fn postgres_documents_verify_names_what_does_not_match() {
    documents_verify_names_an_altered_object_and_an_unstored_signature(Backend::Postgres).await;
}
