//! `niaga serve`: start-up, listening and graceful shutdown.

use std::{net::SocketAddr, sync::Arc, time::Duration, time::Instant};

use anyhow::Context;
use niaga_store::Database;
use tokio::net::TcpListener;

use crate::{
    accounts,
    app::{AppOptions, AppState, app},
    auth::{Auth, load_or_create_key},
    clock::Clock,
    config::Config,
    secret::Secret,
    users,
};

/// Runs the API until ctrl-c or SIGTERM, then lets requests in flight finish.
pub async fn serve(config: &Config) -> anyhow::Result<()> {
    let started = Instant::now();
    let documents = config.documents_dir();
    std::fs::create_dir_all(&documents)
        .with_context(|| format!("cannot create {}", documents.display()))?;
    let auth = Auth::new(
        &signing_key(config)?,
        Duration::from_secs(config.token_ttl_seconds),
    )?;

    let db = Database::connect(&config.database_url())
        .await
        .context("cannot connect to the database")?;
    db.migrate().await.context("cannot migrate the database")?;
    bootstrap(&db, config).await?;

    let listener = TcpListener::bind(config.bind)
        .await
        .with_context(|| format!("cannot listen on {}", config.bind))?;
    tracing::info!(
        address = %listener.local_addr()?,
        backend = ?db.backend(),
        startup_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        "listening"
    );
    let rental_policy = config.rental_policy()?;
    let late_fees = rental_policy.late_fees;
    let documents = config.document_store(db.clone())?;
    let company = config.company()?;
    let committed = Arc::new(tokio::sync::Notify::new());
    // The submitter's events wake the read models as every command's do.
    let einvoicing = config
        .einvoicing(db.clone(), documents.clone(), company.as_ref())?
        .map(|submitter| Arc::new(submitter.notify_on_commit(committed.clone())));
    let options = AppOptions {
        rental_policy,
        purchasing_policy: config.purchasing_policy()?,
        documents: Some(documents),
        signing: config.signing(),
        pdf: crate::pdfs::PdfSettings {
            amount_in_words: config.pdf_amount_in_words,
        },
        company,
        einvoicing: einvoicing.clone(),
        lhdn_portal_url: config.lhdn_portal_url.clone(),
        committed,
        clock: Clock::default(),
    };
    let state = AppState::with_options(db.clone(), auth, options);
    // Read models follow the feed in the background, woken by every command's commit.
    let projectors = niaga_projections::runner::spawn_all(&db, state.committed());
    // This instance's name in leases and job runs.
    let instance = format!("serve-{}", uuid::Uuid::now_v7());
    // Every issued document gets its PDF, kept and recorded on its stream; with several
    // instances, the lease lets one of them render.
    let pdf_issuer = crate::pdfs::spawn(&state, instance.clone());
    // Issued documents go to LHDN; with several instances, the lease lets one of them send.
    let submitter = einvoicing.map(|submitter| {
        tracing::info!("LHDN submitter on");
        submitter.spawn(
            instance.clone(),
            state.committed().clone(),
            Duration::from_secs(3),
        )
    });
    // The daily jobs; with several instances, the job's lease lets one of them run it.
    let scheduler = niaga_scheduler::spawn(
        niaga_scheduler::Schedule::default(),
        niaga_scheduler::JobContext {
            db: db.clone(),
            committed: state.committed().clone(),
            late_fees,
        },
        instance.clone(),
    );
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .context("the HTTP server failed")?;
    scheduler.abort();
    pdf_issuer.abort();
    if let Some(submitter) = submitter {
        submitter.abort();
    }
    for projector in projectors {
        projector.abort();
    }
    // Handed over now rather than when their term runs out: another instance renders and
    // sends within its next poll.
    for lease in [crate::pdfs::LEASE, niaga_einvoicing::LEASE] {
        if let Err(error) = niaga_scheduler::lease::give_up(&db, lease, &instance).await {
            tracing::warn!(%error, lease, "cannot give the lease up");
        }
    }
    db.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// `NIAGA_JWT_KEY` if set, else the key file (made on first start).
fn signing_key(config: &Config) -> anyhow::Result<Secret<Vec<u8>>> {
    match &config.jwt_key {
        Some(key) => Ok(Secret::new(key.expose().as_bytes().to_vec())),
        None => load_or_create_key(&config.jwt_key_file()),
    }
}

async fn bootstrap(db: &Database, config: &Config) -> anyhow::Result<()> {
    match (&config.admin_email, &config.admin_password) {
        (Some(email), Some(password)) => {
            accounts::bootstrap_admin(db, email, password.clone()).await
        }
        (None, None) => {
            if users::count(db).await? == 0 {
                tracing::warn!(
                    "there are no user accounts: set NIAGA_ADMIN_EMAIL and NIAGA_ADMIN_PASSWORD, \
                     or run `niaga user add`"
                );
            }
            Ok(())
        }
        _ => anyhow::bail!("set both NIAGA_ADMIN_EMAIL and NIAGA_ADMIN_PASSWORD, or neither"),
    }
}

/// Resolves on ctrl-c or SIGTERM (what an orchestrator sends before killing).
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for ctrl-c");
            std::future::pending::<()>().await;
        }
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
