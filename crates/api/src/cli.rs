//! The one-shot subcommands: `migrate`, `user add`, `audit verify`.

use std::process::ExitCode;

use anyhow::Context;
use niaga_store::Database;

use crate::{accounts, config::UserAdd, secret::Secret};

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
        (Some(path), _) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            // The first line: files written by `echo` or an editor end with a newline.
            Secret::new(text.lines().next().unwrap_or_default().to_owned())
        }
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
