//! lhdn-sandbox: a local stand-in for LHDN's MyInvois API (docs/lhdn-sandbox.md), faithful
//! enough that the client's and submitter's tests mean something: LHDN's status codes,
//! error codes and body shapes, rate limits, asynchronous validation with LHDN's validators,
//! the 72-hour windows on an injectable clock, and injected faults.
//!
//! ```no_run
//! # async fn example() -> anyhow::Result<()> {
//! let config = niaga_lhdn_sandbox::SandboxConfig::from_toml_str(r#"
//!     [[taxpayers]]
//!     tin = "C25845632020"
//!     id_type = "BRN"
//!     id_value = "202001234567"
//!     name = "Niaga Test Sdn Bhd"
//!     client = { client_id = "niaga", client_secrets = ["one", "two"] }
//! "#)?;
//! let sandbox = niaga_lhdn_sandbox::start(config).await?;
//! let base_url = sandbox.base_url();
//! sandbox.shutdown().await;
//! # Ok(())
//! # }
//! ```

mod auth;
mod clock;
mod config;
mod endpoint;
mod errors;
mod faults;
mod http;
mod ids;
mod lifecycle;
mod rate_limit;
mod registry;
mod sandbox;
mod server;
mod state;
mod store;
mod submit;
mod ubl;
mod validate;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};
use niaga_lhdn::verify::TrustAnchors;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use config::{
    Action, ArithmeticMode, ClientSecret, ConfigError, Environment, ErpClient, IdType, RateLimits,
    RateProfile, Representation, SandboxConfig, StateConfig, StructureErrors, Taxpayer,
};
pub use endpoint::Endpoint;
pub use faults::{FailMode, FaultAction, FaultRule};
pub use state::{DocumentStatus, ReceivedDocument};
pub use store::StoreError;

use sandbox::{Parts, Sandbox};
use state::Status;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("trusted CA {source_name}: {why}")]
    Trust { source_name: String, why: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Bind { port: u16, source: std::io::Error },
}

fn trust_anchors(config: &SandboxConfig) -> Result<TrustAnchors, StartError> {
    let mut trust = TrustAnchors::default();
    for path in &config.trusted_ca_files {
        let failed = |why: String| StartError::Trust {
            source_name: path.display().to_string(),
            why,
        };
        let pem = std::fs::read(path).map_err(|e| failed(e.to_string()))?;
        trust.add(TrustAnchors::from_pem(&pem).map_err(failed)?);
    }
    for (index, pem) in config.trusted_ca_pem.iter().enumerate() {
        let anchors = TrustAnchors::from_pem(pem.as_bytes()).map_err(|why| StartError::Trust {
            source_name: format!("trusted_ca_pem[{index}]"),
            why,
        })?;
        trust.add(anchors);
    }
    Ok(trust)
}

/// Binds 127.0.0.1 on the configured port, loads the state file if any, and serves in the
/// background until [`RunningSandbox::shutdown`].
pub async fn start(config: SandboxConfig) -> Result<RunningSandbox, StartError> {
    config.check()?;
    let trust = trust_anchors(&config)?;
    let (loaded, writer) = match &config.state {
        StateConfig::Memory => (store::Loaded::default(), None),
        StateConfig::Sqlite(path) => {
            let (pool, loaded) = store::open(path).await?;
            (loaded, Some(store::spawn_writer(pool)))
        }
    };
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, config.listen_port))
        .await
        .map_err(|source| StartError::Bind {
            port: config.listen_port,
            source,
        })?;
    let address = listener.local_addr().map_err(|source| StartError::Bind {
        port: config.listen_port,
        source,
    })?;
    let (sender, writer_task) = writer.unzip();
    let sandbox = Arc::new(Sandbox::new(
        &config,
        Parts {
            trust,
            state: loaded.state,
            // A clock moved at run time outlives a restart.
            clock_offset: match loaded.clock_offset {
                Some(offset) => offset,
                None => TimeDelta::try_seconds(config.clock_offset_seconds)
                    .filter(|offset| offset.abs() <= TimeDelta::days(36_500))
                    .ok_or_else(|| {
                        ConfigError::Invalid("clock_offset_seconds is beyond 100 years".into())
                    })?,
            },
            writer: sender,
            base_url: format!("http://{address}"),
        },
    ));
    resume_validations(&sandbox);
    let (shutdown, receiver) = watch::channel(false);
    let server = server::spawn(listener, http::router(Arc::clone(&sandbox)), receiver);
    tracing::info!(%address, "lhdn-sandbox listening");
    Ok(RunningSandbox {
        sandbox,
        address,
        shutdown,
        server,
        writer: writer_task,
    })
}

/// Submissions a previous run accepted but had not validated yet.
fn resume_validations(sandbox: &Arc<Sandbox>) {
    let pending: Vec<String> = {
        let state = sandbox.state();
        state
            .submissions
            .values()
            .filter(|s| {
                state
                    .documents_of(s)
                    .iter()
                    .any(|d| d.status == Status::Submitted)
            })
            .map(|s| s.uid.clone())
            .collect()
    };
    for uid in pending {
        sandbox.schedule_validation(uid, faults::ValidationFaults::default());
    }
}

/// A sandbox serving in the background.
#[derive(Debug)]
pub struct RunningSandbox {
    sandbox: Arc<Sandbox>,
    address: SocketAddr,
    shutdown: watch::Sender<bool>,
    server: JoinHandle<()>,
    writer: Option<JoinHandle<()>>,
}

impl RunningSandbox {
    /// `http://127.0.0.1:PORT`: the API base and the token host (one host, like LHDN).
    pub fn base_url(&self) -> String {
        self.sandbox.base_url.clone()
    }

    /// The base of share links: `{portal_url}/{uuid}/share/{longId}`.
    pub fn portal_url(&self) -> String {
        self.sandbox.portal_url.clone()
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The sandbox clock's time.
    pub fn now(&self) -> DateTime<Utc> {
        self.sandbox.now()
    }

    /// Moves the sandbox clock (issue-time checks, the 72-hour windows, token expiry).
    ///
    /// # Panics
    /// If the clock would end up more than 100 years from the system clock: a test bug.
    pub fn advance_clock(&self, by: TimeDelta) {
        #[allow(clippy::expect_used)] // A test's own mistake, said as plainly as possible.
        self.sandbox
            .advance_clock(by)
            .expect("the sandbox clock may move at most 100 years");
    }

    /// Adds a fault rule at run time.
    pub fn inject(&self, rule: FaultRule) {
        self.sandbox.faults.add(rule);
    }

    /// Every accepted document whose envelope `codeNumber` or document `ID` is `internal_id`.
    pub fn received(&self, internal_id: &str) -> Vec<ReceivedDocument> {
        self.sandbox.received(Some(internal_id))
    }

    /// Stops serving, aborts pending validations and finishes writing the state file.
    pub async fn shutdown(self) {
        let _ = self.shutdown.send(true);
        let _ = self.server.await;
        self.sandbox.stop();
        if let Some(writer) = self.writer {
            let _ = writer.await;
        }
    }
}
