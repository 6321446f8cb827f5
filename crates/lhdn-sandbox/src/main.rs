//! `lhdn-sandbox --config FILE`: a local stand-in for LHDN's MyInvois API.

use std::path::PathBuf;

use anyhow::Context;
use clap::Parser;
use tracing_subscriber::EnvFilter;

/// A local stand-in for LHDN's MyInvois API (see docs/lhdn-sandbox.md).
#[derive(Debug, Parser)]
#[command(name = "lhdn-sandbox", version)]
struct Args {
    /// The TOML configuration file.
    #[arg(long, env = "LHDN_SANDBOX_CONFIG")]
    config: PathBuf,
    /// Log filter (RUST_LOG syntax).
    #[arg(long, env = "RUST_LOG", default_value = "info")]
    log_filter: String,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new(&args.log_filter))
        .with_writer(std::io::stderr)
        .init();
    let config = niaga_lhdn_sandbox::SandboxConfig::from_file(&args.config)?;
    let sandbox = niaga_lhdn_sandbox::start(config)
        .await
        .context("cannot start the sandbox")?;
    // The one line on stdout: scripts read the URL from it (port 0 picks a free port).
    #[allow(clippy::print_stdout)]
    {
        println!("{}", sandbox.base_url());
    }
    tokio::signal::ctrl_c()
        .await
        .context("cannot wait for ctrl-c")?;
    sandbox.shutdown().await;
    Ok(())
}
