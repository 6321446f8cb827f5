//! `niaga lhdn sign` and `niaga lhdn verify`: an operator signs a UBL JSON document with the
//! company's certificate, or checks a signed one the way LHDN's signature validator does.
//! No database: both work on files.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use niaga_lhdn::sign::{Password, Signer, SigningIdentity};
use niaga_lhdn::verify::{Outcome, TrustAnchors, VerifyOptions, verify};

#[derive(Debug, Subcommand)]
pub enum LhdnCommand {
    /// Signs a UBL JSON document (version 1.1) and writes the signed, minified document to
    /// stdout: those bytes are what is submitted.
    Sign(LhdnSign),
    /// Checks a signed document: one line per check, under LHDN's DS code. Exits with 0 if
    /// every check passed, 1 if one failed, 2 if the file could not be read.
    Verify(LhdnVerify),
}

#[derive(Debug, clap::Args)]
pub struct LhdnSign {
    /// The unsigned document.
    pub input: PathBuf,
    /// The company's certificate and key (.p12 / .pfx).
    #[arg(long, env = "NIAGA_LHDN_P12")]
    pub p12: PathBuf,
    /// A file whose first line is the .p12 password (never the password itself: the
    /// command line shows in `ps`).
    #[arg(long, env = "NIAGA_LHDN_P12_PASSWORD_FILE")]
    pub password_file: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct LhdnVerify {
    /// The signed document.
    pub file: PathBuf,
    /// A trusted CA certificate (PEM); repeat for several. Without one the chain is not
    /// checked (DS329 skipped).
    #[arg(long = "ca")]
    pub ca: Vec<PathBuf>,
    /// The submitter's TIN, which the certificate must carry (DS311).
    #[arg(long)]
    pub tin: Option<String>,
}

pub fn run(command: &LhdnCommand) -> anyhow::Result<ExitCode> {
    match command {
        LhdnCommand::Sign(args) => sign(args),
        LhdnCommand::Verify(args) => Ok(verify_file(args)),
    }
}

fn sign(args: &LhdnSign) -> anyhow::Result<ExitCode> {
    let password = Password::from_file(&args.password_file)?;
    let identity = SigningIdentity::from_p12_file(&args.p12, &password)
        .with_context(|| format!("cannot use {}", args.p12.display()))?;
    let document = read(&args.input)?;
    let signed = Signer::new(identity).sign(&document)?;
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(&signed)?;
    stdout.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn verify_file(args: &LhdnVerify) -> ExitCode {
    match check(args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(error) => {
            // 2, as `audit verify`: "could not check" is not "tampered".
            report(&format!("cannot check: {error:#}"));
            ExitCode::from(2)
        }
    }
}

fn check(args: &LhdnVerify) -> anyhow::Result<bool> {
    let mut trust = TrustAnchors::default();
    for path in &args.ca {
        let anchors = TrustAnchors::from_pem(&read(path)?)
            .map_err(anyhow::Error::msg)
            .with_context(|| format!("{} is not a PEM certificate", path.display()))?;
        trust.add(anchors);
    }
    let document = read(&args.file)?;
    let report_ = verify(
        &document,
        &VerifyOptions {
            trust,
            submitter_tin: args.tin.clone(),
        },
    );
    for check in &report_.checks {
        let (status, why) = match &check.outcome {
            Outcome::Passed => ("ok", String::new()),
            Outcome::Failed(why) => ("FAILED", format!(": {why}")),
            Outcome::Skipped(why) => ("skipped", format!(": {why}")),
        };
        report(&format!(
            "{} {status} {}{why}",
            check.code,
            check.code.meaning()
        ));
    }
    let valid = report_.is_valid();
    report(if valid {
        "signature valid"
    } else {
        "signature INVALID"
    });
    Ok(valid)
}

fn read(path: &Path) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

#[expect(clippy::print_stdout, reason = "the command's output")]
fn report(line: &str) {
    println!("{line}");
}
