//! The sandbox's configuration: who the taxpayers are, which environment it pretends to be,
//! how fast and how strict it is, and which faults it injects. Read from TOML by the binary
//! (`docs/lhdn-sandbox.md` documents every key), built in Rust by other crates' tests.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::endpoint::Endpoint;
use crate::faults::FaultRule;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SandboxConfig {
    /// Which of LHDN's two credential sets the sandbox pretends to be: clients tagged for
    /// the other one are refused like LHDN refuses production credentials on preprod.
    pub environment: Environment,
    /// Port on 127.0.0.1; 0 picks a free one.
    pub listen_port: u16,
    /// Base of share links (`{portal}/{uuid}/share/{longId}`); default `{base_url}/portal`,
    /// which the sandbox serves itself.
    pub portal_url: Option<String>,
    pub state: StateConfig,
    /// How long after the 202 the documents are validated (LHDN validates asynchronously).
    pub validation_delay_ms: u64,
    /// Access-token lifetime; LHDN's is 3600.
    pub token_lifetime_seconds: u64,
    /// Added to the system clock at start (the sandbox clock judges issue times, the 72 h
    /// windows and token expiry). A clock advanced at run time is kept in the state file.
    pub clock_offset_seconds: i64,
    pub rate_limits: RateLimits,
    /// PEM files of the CAs a signing certificate must chain to (DS329).
    pub trusted_ca_files: Vec<PathBuf>,
    /// The same as PEM text, for configurations built in code.
    pub trusted_ca_pem: Vec<String>,
    /// The totals arithmetic of LHDN.md §2.7: LHDN's own samples do not balance, so by
    /// default a mismatch is only a warning.
    pub arithmetic: ArithmeticMode,
    /// Whether a document failing the structure validator is refused at submission (in
    /// `rejectedDocuments`, as observed from LHDN) or accepted and then marked Invalid.
    pub structure_errors: StructureErrors,
    pub taxpayers: Vec<Taxpayer>,
    pub faults: Vec<FaultRule>,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            environment: Environment::Sandbox,
            listen_port: 0,
            portal_url: None,
            state: StateConfig::Memory,
            validation_delay_ms: 0,
            token_lifetime_seconds: 3600,
            clock_offset_seconds: 0,
            rate_limits: RateLimits::default(),
            trusted_ca_files: Vec::new(),
            trusted_ca_pem: Vec::new(),
            arithmetic: ArithmeticMode::Warn,
            structure_errors: StructureErrors::Reject,
            taxpayers: Vec::new(),
            faults: Vec::new(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid configuration: {0}")]
    Toml(#[from] toml::de::Error),
    #[error("invalid configuration: {0}")]
    Invalid(String),
}

impl SandboxConfig {
    pub fn from_toml_str(text: &str) -> Result<Self, ConfigError> {
        let config: Self = toml::from_str(text)?;
        config.check()?;
        Ok(config)
    }

    pub fn from_file(path: &std::path::Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::from_toml_str(&text)
    }

    /// What serde cannot say: unique TINs and client ids, two secrets, known represented TINs.
    pub fn check(&self) -> Result<(), ConfigError> {
        let invalid = |why: String| Err(ConfigError::Invalid(why));
        let mut tins = std::collections::BTreeSet::new();
        let mut clients = std::collections::BTreeSet::new();
        for taxpayer in &self.taxpayers {
            if !tins.insert(taxpayer.tin.as_str()) {
                return invalid(format!("taxpayer {} is listed twice", taxpayer.tin));
            }
            if let Some(client) = &taxpayer.client {
                if !clients.insert(client.client_id.as_str()) {
                    return invalid(format!("client id {} is listed twice", client.client_id));
                }
                // LHDN issues two secrets per ERP registration, for rotation.
                if client.client_secrets.len() != 2 {
                    return invalid(format!(
                        "client {} needs exactly two client_secrets",
                        client.client_id
                    ));
                }
            }
        }
        for taxpayer in &self.taxpayers {
            for represented in &taxpayer.intermediary_for {
                if !tins.contains(represented.tin.as_str()) {
                    return invalid(format!(
                        "{} acts for {}, which is not a configured taxpayer",
                        taxpayer.tin, represented.tin
                    ));
                }
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    #[default]
    Sandbox,
    Prod,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum StateConfig {
    #[default]
    Memory,
    Sqlite(PathBuf),
}

/// `state = "memory"` or `state = "/path/to/sandbox.db"`.
impl<'de> Deserialize<'de> for StateConfig {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Ok(if text == "memory" {
            Self::Memory
        } else {
            Self::Sqlite(PathBuf::from(text))
        })
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RateLimits {
    pub profile: RateProfile,
    /// Requests per minute for single endpoints, overriding the profile.
    pub per_minute: BTreeMap<Endpoint, u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum RateProfile {
    /// The documented RPMs of LHDN.md §1.3.
    #[default]
    Prod,
    /// LHDN's sandbox has lower, unpublished limits: half the documented ones here.
    Sandbox,
    Off,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ArithmeticMode {
    Off,
    #[default]
    Warn,
    Enforce,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum StructureErrors {
    #[default]
    Reject,
    Invalid,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Taxpayer {
    pub tin: String,
    pub id_type: IdType,
    pub id_value: String,
    pub name: String,
    /// The taxpayer's ERP registration, if it logs in itself.
    #[serde(default)]
    pub client: Option<ErpClient>,
    /// Taxpayers this one may act for as an intermediary, and with which actions.
    #[serde(default)]
    pub intermediary_for: Vec<Representation>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum IdType {
    #[serde(rename = "BRN")]
    Brn,
    #[serde(rename = "NRIC")]
    Nric,
    #[serde(rename = "PASSPORT")]
    Passport,
    #[serde(rename = "ARMY")]
    Army,
}

impl IdType {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "BRN" => Some(Self::Brn),
            "NRIC" => Some(Self::Nric),
            "PASSPORT" => Some(Self::Passport),
            "ARMY" => Some(Self::Army),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Brn => "BRN",
            Self::Nric => "NRIC",
            Self::Passport => "PASSPORT",
            Self::Army => "ARMY",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErpClient {
    pub client_id: String,
    pub client_secrets: Vec<ClientSecret>,
    /// The environment these credentials were issued for; default: the sandbox's own.
    #[serde(default)]
    pub environment: Option<Environment>,
}

/// A client secret; `Debug` never prints it.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct ClientSecret(String);

impl ClientSecret {
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    pub(crate) fn matches(&self, given: &str) -> bool {
        self.0 == given
    }
}

impl fmt::Debug for ClientSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Representation {
    pub tin: String,
    pub actions: Vec<Action>,
}

/// The permissions a taxpayer grants an intermediary in the portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Submit,
    Cancel,
    Reject,
    View,
}

impl Action {
    pub const ALL: [Self; 4] = [Self::Submit, Self::Cancel, Self::Reject, Self::View];
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = include_str!("../examples/sandbox.toml");

    #[test]
    fn the_example_configuration_parses() {
        let config = SandboxConfig::from_toml_str(EXAMPLE).unwrap();
        assert_eq!(config.environment, Environment::Sandbox);
        assert!(config.taxpayers.len() >= 3);
        assert!(!config.faults.is_empty());
        assert!(
            config
                .taxpayers
                .iter()
                .any(|t| !t.intermediary_for.is_empty())
        );
    }

    #[test]
    fn a_client_needs_two_secrets() {
        let text = r#"
            [[taxpayers]]
            tin = "C1000000000"
            id_type = "BRN"
            id_value = "202001000001"
            name = "A"
            client = { client_id = "a", client_secrets = ["one"] }
        "#;
        assert!(matches!(
            SandboxConfig::from_toml_str(text),
            Err(ConfigError::Invalid(_))
        ));
    }

    #[test]
    fn unknown_keys_are_refused() {
        assert!(SandboxConfig::from_toml_str("listen_prot = 1").is_err());
    }

    #[test]
    fn secrets_do_not_print() {
        assert_eq!(format!("{:?}", ClientSecret::new("hunter2")), "[redacted]");
    }
}
