//! The one-shot subcommands: `migrate`, `user add`, `audit verify`, `audit export`,
//! `projections list`, `projections rebuild`, `jobs list`, `jobs run`.

use std::{
    fs::File,
    io::{BufRead, BufReader, BufWriter, Write},
    path::{Path, PathBuf},
    process::ExitCode,
};

use anyhow::Context;
use niaga_documents::{DocumentStore, SIGNATURE_IMAGE};
use niaga_domain::delivery_order::DeliveryOrder;
use niaga_store::{
    CommandHandler, Database, RecordedEvent,
    audit::{ExportedEvent, check_streams, verify_chain},
};

use crate::{
    accounts,
    config::{AuditExport, Config, JobsRun, ProjectionsRebuild, UserAdd},
    rental_policy::RentalPolicy,
    secret::Secret,
};

/// `niaga migrate`.
pub async fn migrate(database_url: &str) -> anyhow::Result<ExitCode> {
    let db = connect(database_url).await?;
    db.migrate().await.context("cannot migrate the database")?;
    tracing::info!(backend = ?db.backend(), "database migrated");
    db.close().await;
    Ok(ExitCode::SUCCESS)
}

/// `niaga user add --email … --role … [--password-file F]` (else `NIAGA_USER_PASSWORD`).
pub async fn user_add(database_url: &str, args: &UserAdd) -> anyhow::Result<ExitCode> {
    let password = match (&args.password_file, &args.password) {
        (Some(path), _) => Secret::from_file(path)?,
        (None, Some(password)) => password.clone(),
        (None, None) => anyhow::bail!("give --password-file or set NIAGA_USER_PASSWORD"),
    };
    let db = connect(database_url).await?;
    db.migrate().await.context("cannot migrate the database")?;
    let user = accounts::add_user(&db, &args.email, password, args.role).await?;
    db.close().await;
    report(&format!("added user {} ({})", user.id, user.role));
    Ok(ExitCode::SUCCESS)
}

/// `niaga audit verify`: one line per broken chain, a summary, exit code 1 if any broke.
pub async fn audit_verify(database_url: &str) -> anyhow::Result<ExitCode> {
    let db = connect(database_url).await?;
    // No migration: a check must not change what it checks.
    let verification = niaga_store::audit::verify_all(db.event_store().as_ref())
        .await
        .context("cannot read the event store")?;
    db.close().await;
    for broken in &verification.broken {
        report(&broken.to_string());
    }
    report(&format!(
        "{} streams, {} events verified",
        verification.streams, verification.events
    ));
    Ok(if verification.broken.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `niaga audit export --stream <type>/<id> --out F`: the stream's events as stored, one
/// [`ExportedEvent`] per line. The chain is checked on the way out: a broken one is still
/// exported (it is the evidence) but named, with exit code 1.
pub async fn audit_export(database_url: &str, args: &AuditExport) -> anyhow::Result<ExitCode> {
    let db = connect(database_url).await?;
    // No migration: an export must not change what it exports.
    let events = db
        .event_store()
        .read_stream(&args.stream, 0)
        .await
        .context("cannot read the event store");
    db.close().await;
    let events = events?;
    anyhow::ensure!(!events.is_empty(), "stream {} has no events", args.stream);
    write_export(&args.out, &events)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    report(&format!(
        "exported {} events of {} to {}",
        events.len(),
        args.stream,
        args.out.display()
    ));
    Ok(match verify_chain(&args.stream, &events) {
        None => {
            report(&format!(
                "chain verified; last hash {}",
                events.last().map_or("", |event| event.hash.as_str())
            ));
            ExitCode::SUCCESS
        }
        Some(broken) => {
            report(&broken.to_string());
            ExitCode::from(1)
        }
    })
}

/// Writes beside `path` and renames when complete and on disk, so an interrupted export
/// leaves no file that looks whole.
fn write_export(path: &Path, events: &[RecordedEvent]) -> anyhow::Result<()> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let mut writer = BufWriter::new(File::create(&partial)?);
    for event in events {
        serde_json::to_writer(&mut writer, &ExportedEvent::from(event))?;
        writer.write_all(b"\n")?;
    }
    writer
        .into_inner()
        .map_err(std::io::IntoInnerError::into_error)?
        .sync_all()?;
    std::fs::rename(&partial, path)?;
    Ok(())
}

/// `niaga audit verify --file F`: checks an export without a database. One line per stream
/// (its events verified and last hash, or its first broken link), then a summary; exit code
/// 1 if any chain is broken. A file that is not an export (unreadable, a line that is not an
/// exported event, no events at all) is an error: exit code 2, "could not check".
pub fn audit_verify_file(path: &Path) -> anyhow::Result<ExitCode> {
    let events = read_export(path)?;
    let count = events.len();
    let checks = check_streams(events);
    for check in &checks {
        match (&check.broken, &check.last_hash) {
            (Some(broken), _) => report(&broken.to_string()),
            (None, last_hash) => report(&format!(
                "stream {}: {} events verified, last hash {}",
                check.stream,
                check.events,
                last_hash.as_deref().unwrap_or_default()
            )),
        }
    }
    let broken = checks.iter().filter(|check| check.broken.is_some()).count();
    report(&format!(
        "{} streams, {count} events checked, {broken} broken",
        checks.len()
    ));
    Ok(if broken == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn read_export(path: &Path) -> anyhow::Result<Vec<RecordedEvent>> {
    let file = File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut events = Vec::new();
    for (number, line) in (1..).zip(BufReader::new(file).lines()) {
        let line =
            line.with_context(|| format!("{}: cannot read line {number}", path.display()))?;
        // A trailing newline (or a blank line an editor added) holds no event.
        if line.trim().is_empty() {
            continue;
        }
        let event = serde_json::from_str::<ExportedEvent>(&line)
            .map_err(anyhow::Error::from)
            .and_then(|exported| Ok(RecordedEvent::try_from(exported)?))
            .with_context(|| {
                format!("{}: line {number} is not an exported event", path.display())
            })?;
        events.push(event);
    }
    anyhow::ensure!(!events.is_empty(), "{} holds no events", path.display());
    Ok(events)
}

/// `niaga documents verify`: every stored object re-hashed against its metadata, every
/// signed delivery order's signature image against the digest its signature event records,
/// and every issued PDF against the digest its `…PdfIssued` event records.
/// One line per problem, a summary, exit code 1 if any.
pub async fn documents_verify(config: &Config) -> anyhow::Result<ExitCode> {
    let db = connect(&config.database_url()).await?;
    // No migration: a check must not change what it checks.
    let result = verify_documents(&db, &config.document_store(db.clone())?).await;
    db.close().await;
    let (checked, problems) = result?;
    for problem in &problems {
        report(problem);
    }
    report(&format!(
        "{checked} documents verified, {} problems",
        problems.len()
    ));
    Ok(if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

async fn verify_documents(
    db: &Database,
    documents: &DocumentStore,
) -> anyhow::Result<(u64, Vec<String>)> {
    let verification = documents
        .verify_all()
        .await
        .context("cannot read the document store")?;
    let mut problems: Vec<String> = verification
        .broken
        .iter()
        .map(ToString::to_string)
        .collect();
    // The event is the record of what was signed: the image it names must be stored.
    let images = documents.of_kind(SIGNATURE_IMAGE).await?;
    let delivery_orders = CommandHandler::<DeliveryOrder>::new(db.event_store());
    let mut seen = std::collections::BTreeSet::new();
    for image in &images {
        if !seen.insert(image.document_id.clone()) {
            continue;
        }
        let Some((delivery_order, _)) = delivery_orders.load(&image.document_id).await? else {
            problems.push(format!(
                "document {} ({SIGNATURE_IMAGE} {}): no such delivery order",
                image.key, image.document_id
            ));
            continue;
        };
        let Some(signature) = delivery_order.record().and_then(|r| r.signature.as_ref()) else {
            // Stored, then the signature was refused (the link expired meanwhile): nothing
            // points at it, and nothing is wrong with what the records say.
            continue;
        };
        let named = signature.signature_image_sha256.as_str();
        let stored = images
            .iter()
            .filter(|i| i.document_id == image.document_id)
            .find(|i| i.sha256 == named);
        match stored {
            None => problems.push(format!(
                "delivery order {}: its signature event names image {named}, which is not stored",
                image.document_id
            )),
            Some(stored) if verification.broken.iter().any(|b| b.key == stored.key) => {
                problems.push(format!(
                    "delivery order {}: its signature image (document {}) does not match the \
                     event's digest {named}",
                    image.document_id, stored.key
                ));
            }
            Some(_) => {}
        }
    }
    problems.extend(crate::pdfs::verify_recorded(db, documents, &verification).await?);
    Ok((verification.checked, problems))
}

/// `niaga projections list`: one line per read model.
pub async fn projections_list(database_url: &str) -> anyhow::Result<ExitCode> {
    let db = connect(database_url).await?;
    let status = niaga_projections::checkpoint::status(&db).await?;
    db.close().await;
    for projection in status {
        report(&format!(
            "{}\tposition {}\tbehind {}{}",
            projection.name,
            projection.position,
            projection.behind,
            projection
                .last_error
                .map(|error| format!("\tstuck: {error}"))
                .unwrap_or_default()
        ));
    }
    Ok(ExitCode::SUCCESS)
}

/// `niaga projections rebuild [NAME]`: rebuilds one read model or all, with a progress line.
pub async fn projections_rebuild(
    database_url: &str,
    args: &ProjectionsRebuild,
) -> anyhow::Result<ExitCode> {
    let all = niaga_projections::all();
    let chosen: Vec<_> =
        match &args.name {
            None => all,
            Some(name) => {
                let names: Vec<_> = all.iter().map(|p| p.name()).collect();
                let one = all.iter().find(|p| p.name() == name).cloned();
                vec![one.with_context(|| {
                    format!("no read model is named {name}: {}", names.join(", "))
                })?]
            }
        };
    let db = connect(database_url).await?;
    db.migrate().await.context("cannot migrate the database")?;
    for projection in chosen {
        let started = std::time::Instant::now();
        let shown = std::sync::Mutex::new(std::time::Instant::now());
        let done = niaga_projections::rebuild::rebuild(projection.as_ref(), &db, &|p| {
            let mut last = shown
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if last.elapsed().as_millis() >= 500 {
                *last = std::time::Instant::now();
                progress(projection.name(), p, started.elapsed());
            }
        })
        .await
        .with_context(|| format!("cannot rebuild {}", projection.name()))?;
        let seconds = started.elapsed().as_secs_f64();
        let (position, applied) = (done.position, done.applied);
        report(&format!(
            "{}: rebuilt to position {position} in {seconds:.1} s ({:.0} positions/s), \
             {applied} events of its aggregates applied",
            projection.name(),
            position as f64 / seconds.max(1e-3)
        ));
    }
    db.close().await;
    Ok(ExitCode::SUCCESS)
}

/// The progress of a rebuild, rewritten in place on stderr: stdout keeps the results.
#[expect(clippy::print_stderr, reason = "an operator's progress line")]
fn progress(name: &str, p: niaga_projections::rebuild::Progress, elapsed: std::time::Duration) {
    let percent = if p.head > 0 {
        100.0 * p.position as f64 / p.head as f64
    } else {
        100.0
    };
    eprint!(
        "\r{name}: position {} of {} ({percent:.1} %), {} of its events applied, {:.0} positions/s   ",
        p.position,
        p.head,
        p.applied,
        p.position as f64 / elapsed.as_secs_f64().max(1e-3)
    );
}

/// `niaga jobs list`: each job, what it does, and its latest run.
pub async fn jobs_list(database_url: &str) -> anyhow::Result<ExitCode> {
    let db = connect(database_url).await?;
    db.migrate().await.context("cannot migrate the database")?;
    for job in niaga_scheduler::all() {
        let latest = niaga_scheduler::runs::latest(&db, job.name(), 1).await?;
        let last = latest.first().map_or_else(
            || "never run".to_owned(),
            |run| {
                format!(
                    "last run as of {} {} at {}",
                    run.as_of, run.outcome, run.started_at
                )
            },
        );
        report(&format!("{}\t{}\t{last}", job.name(), job.description()));
    }
    db.close().await;
    Ok(ExitCode::SUCCESS)
}

/// `niaga jobs run NAME [--as-of DAY]`: 0 when it succeeded, 1 when another instance is
/// running it, 2 when it failed.
pub async fn jobs_run(
    database_url: &str,
    rental_policy: &RentalPolicy,
    args: &JobsRun,
) -> anyhow::Result<ExitCode> {
    let names: Vec<_> = niaga_scheduler::all().iter().map(|j| j.name()).collect();
    let job = niaga_scheduler::find(&args.name)
        .with_context(|| format!("no job is named {}: {}", args.name, names.join(", ")))?;
    let as_of = args
        .as_of
        .unwrap_or_else(|| niaga_domain::business_day(chrono::Utc::now()));
    let db = connect(database_url).await?;
    db.migrate().await.context("cannot migrate the database")?;
    let ctx = niaga_scheduler::JobContext {
        db: db.clone(),
        committed: std::sync::Arc::new(tokio::sync::Notify::new()),
        late_fees: rental_policy.late_fees,
    };
    let holder = format!("command-{}", uuid::Uuid::now_v7());
    let outcome = niaga_scheduler::run_once(
        job.as_ref(),
        &ctx,
        as_of,
        &holder,
        niaga_scheduler::Trigger::Command,
    )
    .await?;
    db.close().await;
    Ok(match outcome {
        niaga_scheduler::Outcome::Busy => {
            report(&format!("{}: running on another instance now", job.name()));
            ExitCode::from(1)
        }
        niaga_scheduler::Outcome::Ran(run) => {
            let counts = run
                .counts()
                .iter()
                .map(|(what, n)| format!("{what} {n}"))
                .collect::<Vec<_>>()
                .join(", ");
            report(&format!(
                "{} as of {}: {}{}",
                job.name(),
                run.as_of,
                run.outcome,
                match &run.error {
                    Some(error) => format!(": {error}"),
                    None => format!(" ({counts})"),
                }
            ));
            if run.outcome == "succeeded" {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            }
        }
    })
}

async fn connect(database_url: &str) -> anyhow::Result<Database> {
    Database::connect(database_url)
        .await
        .context("cannot connect to the database")
}

/// A subcommand's result goes to stdout (logs go to stderr), for the operator or a script.
#[expect(clippy::print_stdout, reason = "the command's output")]
fn report(line: &str) {
    println!("{line}");
}
