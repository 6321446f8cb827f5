//! `niaga`: parse the configuration, set up logging, run the subcommand.

use std::process::ExitCode;

use clap::Parser;
use niaga_api::{
    cli,
    config::{
        AuditCommand, Command, Config, DocumentsCommand, JobsCommand, ProjectionsCommand,
        UserCommand,
    },
    lhdn_cli,
    serve::serve,
    telemetry,
};

#[tokio::main]
async fn main() -> ExitCode {
    let config = Config::parse();
    if let Err(error) = telemetry::init(config.log_format, &config.log_filter) {
        // No logger yet: stderr is all there is.
        eprintln!("niaga: {error:#}");
        return ExitCode::from(2);
    }
    let database_url = config.database_url();
    let result = match &config.command {
        Command::Serve => serve(&config).await.map(|()| ExitCode::SUCCESS),
        Command::Migrate => cli::migrate(&database_url).await,
        Command::User(UserCommand::Add(args)) => cli::user_add(&database_url, args).await,
        Command::Audit(AuditCommand::Verify(args)) => match &args.file {
            Some(file) => cli::audit_verify_file(file),
            None => cli::audit_verify(&database_url).await,
        },
        Command::Audit(AuditCommand::Export(args)) => cli::audit_export(&database_url, args).await,
        Command::Projections(ProjectionsCommand::List) => {
            cli::projections_list(&database_url).await
        }
        Command::Projections(ProjectionsCommand::Rebuild(args)) => {
            cli::projections_rebuild(&database_url, args).await
        }
        Command::Jobs(JobsCommand::List) => cli::jobs_list(&database_url).await,
        Command::Jobs(JobsCommand::Run(args)) => match config.rental_policy() {
            Ok(policy) => cli::jobs_run(&database_url, &policy, args).await,
            Err(error) => Err(error),
        },
        Command::Documents(DocumentsCommand::Verify) => cli::documents_verify(&config).await,
        Command::Lhdn(command) => lhdn_cli::run(command),
    };
    result.unwrap_or_else(|error| {
        tracing::error!(error = format!("{error:#}"), "niaga failed");
        // 2, not 1: `audit verify` exits with 1 for a broken chain, and a script must be able
        // to tell "tampered" from "could not check".
        ExitCode::from(2)
    })
}
