//! Everything Niaga is told at start, from flags or the environment. The defaults let a bare
//! `niaga serve` run on SQLite in `./data`.

use std::{net::SocketAddr, path::PathBuf};

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use niaga_domain::equipment::CalibrationPolicy;
use niaga_store::StreamRef;

use crate::{
    auth::Role, purchasing_policy::PurchasingPolicy, rental_policy::RentalPolicy, secret::Secret,
    telemetry::LogFormat,
};

/// Niaga: the back end of a Malaysian SME's sales, rentals, invoicing and e-invoicing.
#[derive(Debug, Parser)]
#[command(name = "niaga", version, about)]
pub struct Config {
    #[command(subcommand)]
    pub command: Command,

    /// The database: `postgres://user@host/db` or `sqlite://path`.
    /// Default: `sqlite://<data-dir>/niaga.db`.
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database_url: Option<String>,

    /// Where Niaga keeps its files: the SQLite database, the JWT key and `documents/`.
    #[arg(long, env = "NIAGA_DATA_DIR", default_value = "./data", global = true)]
    pub data_dir: PathBuf,

    /// The address the HTTP API listens on.
    #[arg(
        long,
        env = "NIAGA_BIND",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub bind: SocketAddr,

    /// The file holding the access-token signing key; made with 32 random bytes (mode 0600)
    /// if missing. Default: `<data-dir>/jwt.key`. Every instance must share the same key.
    #[arg(long, env = "NIAGA_JWT_KEY_FILE", global = true)]
    pub jwt_key_file: Option<PathBuf>,

    /// The signing key itself (at least 32 bytes), instead of a key file. Set it in the
    /// environment: a flag shows in the process list.
    #[arg(long, env = "NIAGA_JWT_KEY", hide_env_values = true, global = true)]
    pub jwt_key: Option<Secret<String>>,

    /// How long an access token is valid. Short, because a changed role or a removed account
    /// takes effect only when the token expires.
    #[arg(
        long,
        env = "NIAGA_TOKEN_TTL_SECONDS",
        default_value_t = 900,
        value_parser = clap::value_parser!(u64).range(60..=86_400),
        global = true
    )]
    pub token_ttl_seconds: u64,

    /// With `--admin-password`: at start, create this admin account unless an account with
    /// this email exists. For the first start of a new installation.
    #[arg(long, env = "NIAGA_ADMIN_EMAIL", global = true)]
    pub admin_email: Option<String>,

    /// The password of the bootstrap admin (at least 12 characters). Set it in the
    /// environment: a flag shows in the process list.
    #[arg(
        long,
        env = "NIAGA_ADMIN_PASSWORD",
        hide_env_values = true,
        global = true
    )]
    pub admin_password: Option<Secret<String>>,

    /// How log lines are written.
    #[arg(long, env = "NIAGA_LOG_FORMAT", value_enum, default_value_t = LogFormat::Json, global = true)]
    pub log_format: LogFormat,

    /// Which log lines are written, in `RUST_LOG` syntax (`info`, `info,niaga_api=debug`).
    #[arg(long, env = "RUST_LOG", default_value = "info", global = true)]
    pub log_filter: String,

    /// What to do with a rental unit whose calibration lapses before it is due back.
    #[arg(long, env = "NIAGA_CALIBRATION_POLICY", value_enum, default_value_t = CalibrationSetting::Refuse, global = true)]
    pub calibration_policy: CalibrationSetting,

    /// A JSON file with the late fee policy (`{"version": 2, "grace_days": 1, "per_day":
    /// {"percent_of_daily_rate": {"basis_points": 5000}}, "cap_per_rental": null}`); one
    /// day's grace then the daily rate, uncapped, when absent. Raise `version` with every
    /// change: each fee records the version it was charged under.
    #[arg(long, env = "NIAGA_LATE_FEE_POLICY_FILE", global = true)]
    pub late_fee_policy_file: Option<PathBuf>,

    /// A JSON file with the company's delivery tolerance for purchase-order receipts
    /// (`{"delivery_tolerance": {"version": 2, "percent": "2.5"}}`); version 1, 5 %, when
    /// absent. A supplier's own tolerance replaces it. Raise `version` with every change:
    /// each receipt records the version it was judged under.
    #[arg(long, env = "NIAGA_PURCHASING_POLICY_FILE", global = true)]
    pub purchasing_policy_file: Option<PathBuf>,
    /// Where customers reach this service from outside (scheme, host, port; no trailing
    /// slash): signature links are `<this>/sign/<token>`.
    #[arg(
        long,
        env = "NIAGA_PUBLIC_BASE_URL",
        default_value = "http://127.0.0.1:8080",
        global = true
    )]
    pub public_base_url: String,

    /// How many hours a new signature link works (1 to 720).
    #[arg(
        long,
        env = "NIAGA_SIGNATURE_LINK_TTL_HOURS",
        default_value_t = 24,
        value_parser = clap::value_parser!(u32).range(1..=720),
        global = true
    )]
    pub signature_link_ttl_hours: u32,

    /// Requests per minute one client address may make to the public signature page, per
    /// instance (1 to 10000).
    #[arg(
        long,
        env = "NIAGA_SIGN_RATE_LIMIT_PER_MINUTE",
        default_value_t = 30,
        value_parser = clap::value_parser!(u32).range(1..=10_000),
        global = true
    )]
    pub sign_rate_limit_per_minute: u32,

    /// Keep documents in this S3-compatible bucket instead of `<data-dir>/documents`.
    /// Credentials come from the usual `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`.
    #[arg(long, env = "NIAGA_DOCUMENTS_S3_BUCKET", global = true)]
    pub documents_s3_bucket: Option<String>,

    /// The S3 endpoint when it is not AWS (MinIO, Ceph, a local stand-in).
    #[arg(long, env = "NIAGA_DOCUMENTS_S3_ENDPOINT", global = true)]
    pub documents_s3_endpoint: Option<String>,

    /// The bucket's region (AWS_REGION also works).
    #[arg(long, env = "NIAGA_DOCUMENTS_S3_REGION", global = true)]
    pub documents_s3_region: Option<String>,

    /// Allow plain HTTP to the S3 endpoint: only for a stand-in on the same host.
    #[arg(long, env = "NIAGA_DOCUMENTS_S3_ALLOW_HTTP", global = true)]
    pub documents_s3_allow_http: bool,

    /// A JSON file with the company's registration, address and contacts: the supplier on
    /// every e-invoice and the letterhead of printed documents (see docs/configuration.md).
    #[arg(long, env = "NIAGA_COMPANY_FILE", global = true)]
    pub company_file: Option<PathBuf>,

    /// MyInvois's API base: `https://preprod-api.myinvois.hasil.gov.my` (LHDN's sandbox),
    /// `https://api.myinvois.hasil.gov.my` (production) or a local `lhdn-sandbox`. Set, the
    /// LHDN submitter runs and needs the company file, the client id and secret and the
    /// certificate below.
    #[arg(long, env = "LHDN_BASE_URL", global = true)]
    pub lhdn_base_url: Option<String>,

    /// LHDN's portal, the base of validation links and QR codes (the sandbox's portal is
    /// `https://preprod.myinvois.hasil.gov.my`).
    #[arg(
        long,
        env = "NIAGA_LHDN_PORTAL_URL",
        default_value = "https://myinvois.hasil.gov.my",
        global = true
    )]
    pub lhdn_portal_url: String,

    /// Write totals out in words on invoices, notes, quotations and receipts ("Ringgit
    /// Malaysia … Only").
    #[arg(
        long,
        env = "NIAGA_PDF_AMOUNT_IN_WORDS",
        default_value_t = true,
        action = clap::ArgAction::Set,
        global = true
    )]
    pub pdf_amount_in_words: bool,
    /// The ERP client id registered on LHDN's portal.
    #[arg(long, env = "NIAGA_LHDN_CLIENT_ID", global = true)]
    pub lhdn_client_id: Option<String>,

    /// A file whose first line is the client secret (never the secret itself).
    #[arg(long, env = "NIAGA_LHDN_CLIENT_SECRET_FILE", global = true)]
    pub lhdn_client_secret_file: Option<PathBuf>,

    /// For an intermediary: the TIN (or `TIN:ROB`) of the company it submits for.
    #[arg(long, env = "NIAGA_LHDN_ON_BEHALF_OF", global = true)]
    pub lhdn_on_behalf_of: Option<String>,

    /// The company's certificate and key (.p12) that e-invoices are signed with.
    #[arg(long, env = "NIAGA_LHDN_P12", global = true)]
    pub lhdn_p12: Option<PathBuf>,

    /// A file whose first line is the .p12 password.
    #[arg(long, env = "NIAGA_LHDN_P12_PASSWORD_FILE", global = true)]
    pub lhdn_p12_password_file: Option<PathBuf>,

    /// Keep LHDN's documented rate limits (`documented`), or none (`off`: a local sandbox
    /// with its limits off).
    #[arg(long, env = "NIAGA_LHDN_RATE_LIMITS", value_enum, default_value_t = LhdnRateLimits::Documented, global = true)]
    pub lhdn_rate_limits: LhdnRateLimits,
}

/// `--lhdn-rate-limits`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LhdnRateLimits {
    Documented,
    Off,
}

/// `--calibration-policy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CalibrationSetting {
    /// Rent it, recording a warning with the rental.
    Warn,
    /// Refuse to rent it until it is recalibrated.
    Refuse,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Runs the HTTP API (migrating the database first).
    Serve,
    /// Applies pending database migrations, then exits.
    Migrate,
    /// Staff accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Checks of the stored records.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// The read models.
    #[command(subcommand)]
    Projections(ProjectionsCommand),
    /// Scheduled jobs (`serve` runs them daily; these run one now, for cron or by hand).
    #[command(subcommand)]
    Jobs(JobsCommand),
    /// The document store.
    #[command(subcommand)]
    Documents(DocumentsCommand),
    /// LHDN e-invoices: sign a document, verify a signed one.
    #[command(subcommand)]
    Lhdn(crate::lhdn_cli::LhdnCommand),
}

#[derive(Debug, Subcommand)]
pub enum DocumentsCommand {
    /// Re-hashes every stored document against its metadata, and each signature image
    /// against the signature event that names it. Exits with 0 if all match, 1 naming each
    /// one that does not, 2 if the check could not run.
    Verify,
}

#[derive(Debug, Subcommand)]
pub enum JobsCommand {
    /// Lists the jobs with their latest run.
    List,
    /// Runs one job once, as of a business day, unless another instance is running it
    /// (exit 1). Exits with 2 if the job failed; the failure is recorded either way.
    Run(JobsRun),
}

#[derive(Debug, clap::Args)]
pub struct JobsRun {
    /// The job, as `jobs list` names it.
    pub name: String,
    /// The Malaysian business day to run as of (YYYY-MM-DD); today when absent.
    #[arg(long)]
    pub as_of: Option<chrono::NaiveDate>,
}

#[derive(Debug, Subcommand)]
pub enum ProjectionsCommand {
    /// Lists the read models with the position each has reached and its last error.
    List,
    /// Rebuilds read models from the first event into fresh tables and switches over when
    /// caught up; the service may keep running meanwhile.
    Rebuild(ProjectionsRebuild),
}

#[derive(Debug, clap::Args)]
pub struct ProjectionsRebuild {
    /// The read model (as `projections list` names it); all of them when absent.
    pub name: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Adds a staff account.
    Add(UserAdd),
}

#[derive(Debug, clap::Args)]
pub struct UserAdd {
    /// The account's email, its login name.
    #[arg(long)]
    pub email: String,

    /// What the account may do.
    #[arg(long, value_enum)]
    pub role: Role,

    /// A file whose first line is the password (at least 12 characters).
    #[arg(long)]
    pub password_file: Option<PathBuf>,

    /// The password, when no file is given. From the environment only: a flag would show
    /// in the process list and the shell history.
    #[arg(long, env = "NIAGA_USER_PASSWORD", hide_env_values = true, hide = true)]
    pub password: Option<Secret<String>>,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Recomputes hash chains: of every stream in the database, or of an export file
    /// (`--file`, no database needed). Exits with 0 if all are intact, 1 if any link is
    /// broken, 2 if the check could not run.
    Verify(AuditVerify),
    /// Writes one stream's events as JSON lines with every field their hashes cover, for an
    /// external auditor to check with `audit verify --file` (or their own tools). Exits
    /// with 1 if the exported chain is broken (the file is written all the same).
    Export(AuditExport),
}

#[derive(Debug, clap::Args)]
pub struct AuditVerify {
    /// An export file (`niaga audit export`) to check instead of the database: the auditor
    /// needs only the file and this binary.
    #[arg(long)]
    pub file: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct AuditExport {
    /// The stream as `<type>/<id>`, e.g. `customer/0195…`.
    #[arg(long, value_parser = parse_stream)]
    pub stream: StreamRef,

    /// The file to write (replaced if it exists). Written beside it first and renamed when
    /// complete, so a failed export never leaves a file that looks whole.
    #[arg(long)]
    pub out: PathBuf,
}

fn parse_stream(text: &str) -> Result<StreamRef, String> {
    match text.split_once('/') {
        Some((stream_type, stream_id)) if !stream_type.is_empty() && !stream_id.is_empty() => {
            Ok(StreamRef::new(stream_type, stream_id))
        }
        _ => Err("give the stream as <type>/<id>, e.g. customer/0195…".into()),
    }
}

impl Config {
    /// `--database-url`, or the SQLite file in the data directory.
    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", self.data_dir.join("niaga.db").display()))
    }

    /// `--jwt-key-file`, or `jwt.key` in the data directory.
    pub fn jwt_key_file(&self) -> PathBuf {
        self.jwt_key_file
            .clone()
            .unwrap_or_else(|| self.data_dir.join("jwt.key"))
    }

    /// The company's rental policy: the calibration setting and the late fee policy file.
    pub fn rental_policy(&self) -> anyhow::Result<RentalPolicy> {
        let mut policy = RentalPolicy {
            calibration: match self.calibration_policy {
                CalibrationSetting::Warn => CalibrationPolicy::Warn,
                CalibrationSetting::Refuse => CalibrationPolicy::Refuse,
            },
            ..RentalPolicy::default()
        };
        if let Some(path) = &self.late_fee_policy_file {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the late fee policy {}", path.display()))?;
            policy.late_fees = serde_json::from_str(&text)
                .with_context(|| format!("invalid late fee policy in {}", path.display()))?;
        }
        Ok(policy)
    }

    /// The company's purchasing policy: the purchasing policy file, or the default.
    pub fn purchasing_policy(&self) -> anyhow::Result<PurchasingPolicy> {
        let Some(path) = &self.purchasing_policy_file else {
            return Ok(PurchasingPolicy::default());
        };
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the purchasing policy {}", path.display()))?;
        serde_json::from_str(&text)
            .with_context(|| format!("invalid purchasing policy in {}", path.display()))
    }

    /// Where generated and uploaded documents are kept (unless in an S3 bucket).
    pub fn documents_dir(&self) -> PathBuf {
        self.data_dir.join("documents")
    }

    /// The document store on `db`: the S3 bucket if one is configured, else the folder.
    pub fn document_store(
        &self,
        db: niaga_store::Database,
    ) -> anyhow::Result<niaga_documents::DocumentStore> {
        match &self.documents_s3_bucket {
            Some(bucket) => {
                let settings = niaga_documents::S3Settings {
                    bucket: bucket.clone(),
                    endpoint: self.documents_s3_endpoint.clone(),
                    region: self.documents_s3_region.clone(),
                    allow_http: self.documents_s3_allow_http,
                };
                niaga_documents::DocumentStore::s3(db, &settings)
                    .with_context(|| format!("cannot use the S3 bucket {bucket}"))
            }
            None => {
                let dir = self.documents_dir();
                niaga_documents::DocumentStore::local(db, &dir)
                    .with_context(|| format!("cannot use {}", dir.display()))
            }
        }
    }

    /// The company file, if one is named.
    pub fn company(&self) -> anyhow::Result<Option<crate::company::CompanySettings>> {
        self.company_file
            .as_deref()
            .map(crate::company::CompanySettings::load)
            .transpose()
    }

    /// The LHDN submitter, when `LHDN_BASE_URL` is set; everything it needs must be too.
    pub fn einvoicing(
        &self,
        db: niaga_store::Database,
        documents: niaga_documents::DocumentStore,
        company: Option<&crate::company::CompanySettings>,
    ) -> anyhow::Result<Option<niaga_einvoicing::Submitter>> {
        use niaga_lhdn::client::{ClientOptions, Credentials, MyInvoisClient, RateLimits};
        use niaga_lhdn::sign::{Password, Signer, SigningIdentity};

        let Some(base_url) = &self.lhdn_base_url else {
            return Ok(None);
        };
        let needed = |what: &str| anyhow::anyhow!("LHDN_BASE_URL is set, so {what} is needed too");
        let company = company.ok_or_else(|| needed("NIAGA_COMPANY_FILE"))?;
        let client_id = self
            .lhdn_client_id
            .clone()
            .ok_or_else(|| needed("NIAGA_LHDN_CLIENT_ID"))?;
        let secret_file = self
            .lhdn_client_secret_file
            .as_deref()
            .ok_or_else(|| needed("NIAGA_LHDN_CLIENT_SECRET_FILE"))?;
        let p12 = self
            .lhdn_p12
            .as_deref()
            .ok_or_else(|| needed("NIAGA_LHDN_P12"))?;
        let password_file = self
            .lhdn_p12_password_file
            .as_deref()
            .ok_or_else(|| needed("NIAGA_LHDN_P12_PASSWORD_FILE"))?;
        let secret = Secret::from_file(secret_file)?;
        let password = Password::from_file(password_file)?;
        let identity = SigningIdentity::from_p12_file(p12, &password)
            .with_context(|| format!("cannot use {}", p12.display()))?;
        let mut options = ClientOptions::new(
            base_url.clone(),
            Credentials::new(client_id, secret.expose().clone()),
        );
        options.on_behalf_of = self.lhdn_on_behalf_of.clone();
        options.rate_limits = match self.lhdn_rate_limits {
            LhdnRateLimits::Documented => RateLimits::Documented,
            LhdnRateLimits::Off => RateLimits::Off,
        };
        let client = MyInvoisClient::new(options)?;
        let settings = niaga_einvoicing::SubmitterSettings {
            portal_url: self.lhdn_portal_url.trim_end_matches('/').to_owned(),
            ..niaga_einvoicing::SubmitterSettings::default()
        };
        Ok(Some(niaga_einvoicing::Submitter::new(
            db,
            documents,
            std::sync::Arc::new(client),
            std::sync::Arc::new(Signer::new(identity)),
            company.supplier.clone(),
            settings,
        )))
    }

    /// How signature links are made and the public page is guarded.
    pub fn signing(&self) -> crate::signing::SigningSettings {
        crate::signing::SigningSettings {
            public_base_url: self.public_base_url.trim_end_matches('/').to_owned(),
            link_ttl: chrono::TimeDelta::hours(i64::from(self.signature_link_ttl_hours)),
            requests_per_minute: self.sign_rate_limit_per_minute,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cli_is_well_formed() {
        use clap::CommandFactory;
        Config::command().debug_assert();
    }

    #[test]
    fn defaults_put_everything_in_the_data_dir() {
        let config =
            Config::try_parse_from(["niaga", "serve", "--data-dir", "/srv/niaga"]).expect("parses");
        assert_eq!(config.database_url(), "sqlite:///srv/niaga/niaga.db");
        assert_eq!(config.jwt_key_file(), PathBuf::from("/srv/niaga/jwt.key"));
        assert_eq!(
            config.documents_dir(),
            PathBuf::from("/srv/niaga/documents")
        );
    }

    #[test]
    fn an_export_names_its_stream_as_type_and_id() {
        let config = Config::try_parse_from([
            "niaga",
            "audit",
            "export",
            "--stream",
            "customer/c-1",
            "--out",
            "c.jsonl",
        ])
        .expect("parses");
        let Command::Audit(AuditCommand::Export(export)) = config.command else {
            panic!("not an export: {config:?}");
        };
        assert_eq!(export.stream, StreamRef::new("customer", "c-1"));
        for stream in ["customer", "customer/", "/c-1"] {
            assert!(
                Config::try_parse_from([
                    "niaga", "audit", "export", "--stream", stream, "--out", "c.jsonl",
                ])
                .is_err(),
                "{stream}"
            );
        }
    }

    #[test]
    fn signature_links_default_to_a_day_and_take_the_public_base_url() {
        let config = Config::try_parse_from(["niaga", "serve"]).expect("parses");
        let signing = config.signing();
        assert_eq!(signing.link_ttl, chrono::TimeDelta::hours(24));
        assert_eq!(signing.requests_per_minute, 30);
        let config = Config::try_parse_from([
            "niaga",
            "serve",
            "--public-base-url",
            "https://niaga.example.my/",
            "--signature-link-ttl-hours",
            "48",
        ])
        .expect("parses");
        let signing = config.signing();
        assert_eq!(signing.public_base_url, "https://niaga.example.my");
        assert_eq!(signing.link_ttl, chrono::TimeDelta::hours(48));
        for hours in ["0", "721"] {
            assert!(
                Config::try_parse_from(["niaga", "serve", "--signature-link-ttl-hours", hours])
                    .is_err(),
                "{hours}"
            );
        }
    }

    #[test]
    fn secrets_do_not_show_in_debug() {
        let config =
            Config::try_parse_from(["niaga", "serve", "--admin-password", "very secret password"])
                .expect("parses");
        assert!(!format!("{config:?}").contains("very secret"));
    }
}
