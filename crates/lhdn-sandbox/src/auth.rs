//! The identity service (LHDN.md §1.2): client credentials in a form body, either of the
//! client's two secrets, the `onbehalfof` header for intermediaries, and bearer tokens.
//! Tokens are opaque random strings (LHDN's are JWTs; clients must treat both as opaque).

use std::collections::{BTreeMap, HashMap};

use axum::http::StatusCode;
use sha2::{Digest, Sha256};

use crate::config::{Action, ClientSecret, Environment, SandboxConfig};
use crate::errors::ApiError;
use crate::registry::Registry;
use crate::state::Caller;

#[derive(Debug, Clone)]
struct Client {
    taxpayer_tin: String,
    secrets: Vec<ClientSecret>,
    environment: Environment,
}

/// The configured ERP clients and intermediary relationships.
#[derive(Debug, Clone, Default)]
pub(crate) struct Clients {
    by_id: HashMap<String, Client>,
    /// (intermediary TIN, represented TIN) → the actions the represented taxpayer allows.
    representations: BTreeMap<(String, String), Vec<Action>>,
    environment: Environment,
}

impl Clients {
    pub(crate) fn new(config: &SandboxConfig) -> Self {
        let mut clients = Self {
            environment: config.environment,
            ..Self::default()
        };
        for taxpayer in &config.taxpayers {
            if let Some(client) = &taxpayer.client {
                clients.by_id.insert(
                    client.client_id.clone(),
                    Client {
                        taxpayer_tin: taxpayer.tin.clone(),
                        secrets: client.client_secrets.clone(),
                        environment: client.environment.unwrap_or(config.environment),
                    },
                );
            }
            for represented in &taxpayer.intermediary_for {
                clients.representations.insert(
                    (taxpayer.tin.clone(), represented.tin.clone()),
                    represented.actions.clone(),
                );
            }
        }
        clients
    }

    /// Checks a token request and says whom the token is for.
    pub(crate) fn authenticate(
        &self,
        registry: &Registry,
        request: &TokenRequest<'_>,
    ) -> Result<Caller, ApiError> {
        let oauth = |status, error, description| ApiError::OAuth {
            status,
            error,
            description,
        };
        let bad = |error, description| oauth(StatusCode::BAD_REQUEST, error, description);
        // The form is the only place for credentials (LHDN.md §1.2: Basic gets a bare 400).
        if request.basic_auth {
            return Err(ApiError::BareBadRequest);
        }
        let form = request.form;
        let Some(grant_type) = form.get("grant_type") else {
            return Err(bad("invalid_request", "grant_type is missing"));
        };
        if grant_type != "client_credentials" {
            return Err(bad(
                "unsupported_grant_type",
                "only client_credentials is supported",
            ));
        }
        if form
            .get("scope")
            .is_some_and(|scope| !scope.is_empty() && scope != "InvoicingAPI")
        {
            return Err(bad("invalid_scope", "the only scope is InvoicingAPI"));
        }
        let (Some(client_id), Some(secret)) = (form.get("client_id"), form.get("client_secret"))
        else {
            return Err(bad(
                "invalid_request",
                "client_id and client_secret are required",
            ));
        };
        let client = self
            .by_id
            .get(client_id.as_str())
            .filter(|client| client.secrets.iter().any(|s| s.matches(secret)))
            .ok_or_else(|| bad("invalid_client", "invalid client credentials"))?;
        if client.environment != self.environment {
            // Production credentials on preprod and the reverse (LHDN.md §1.1).
            return Err(oauth(
                StatusCode::FORBIDDEN,
                "invalid_client",
                "the credentials belong to another environment",
            ));
        }
        let Some(on_behalf_of) = request
            .on_behalf_of
            .map(str::trim)
            .filter(|v| !v.is_empty())
        else {
            return Ok(Caller {
                client_id: client_id.clone(),
                tin: client.taxpayer_tin.clone(),
                intermediary_tin: None,
                actions: Action::ALL.to_vec(),
            });
        };
        // `TIN` or `TIN:ROB` (the taxpayer's registration number).
        let (tin, rob) = match on_behalf_of.split_once(':') {
            Some((tin, rob)) => (tin, Some(rob)),
            None => (on_behalf_of, None),
        };
        let not_authorised = || {
            bad(
                "invalid_grant",
                "the client is not an intermediary of this taxpayer",
            )
        };
        let actions = self
            .representations
            .get(&(client.taxpayer_tin.clone(), tin.to_owned()))
            .ok_or_else(not_authorised)?;
        if let Some(rob) = rob {
            let registered = registry.get(tin).ok_or_else(not_authorised)?;
            if registered.id_value != rob {
                return Err(not_authorised());
            }
        }
        Ok(Caller {
            client_id: client_id.clone(),
            tin: tin.to_owned(),
            intermediary_tin: Some(client.taxpayer_tin.clone()),
            actions: actions.clone(),
        })
    }
}

/// The parts of a token request the rules look at.
#[derive(Debug)]
pub(crate) struct TokenRequest<'a> {
    pub(crate) form: &'a HashMap<String, String>,
    pub(crate) basic_auth: bool,
    pub(crate) on_behalf_of: Option<&'a str>,
}

/// Sessions are kept by the token's hash: a leaked state file gives no usable token.
pub(crate) fn token_key(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The bearer token of an `Authorization` header value.
pub(crate) fn bearer(header: &str) -> Option<&str> {
    let (scheme, token) = header.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
        .filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = r#"
        [[taxpayers]]
        tin = "C1000000000"
        id_type = "BRN"
        id_value = "202001000001"
        name = "Agent Sdn Bhd"
        client = { client_id = "agent", client_secrets = ["s1", "s2"] }
        intermediary_for = [{ tin = "C2000000000", actions = ["submit", "view"] }]

        [[taxpayers]]
        tin = "C2000000000"
        id_type = "BRN"
        id_value = "202001000002"
        name = "Client Sdn Bhd"
        client = { client_id = "prod-only", client_secrets = ["p1", "p2"], environment = "prod" }
    "#;

    fn setup() -> (Clients, Registry) {
        let config = SandboxConfig::from_toml_str(CONFIG).unwrap();
        (Clients::new(&config), Registry::new(&config.taxpayers))
    }

    fn form(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn login(form: &HashMap<String, String>, on_behalf_of: Option<&str>) -> Result<Caller, String> {
        let (clients, registry) = setup();
        clients
            .authenticate(
                &registry,
                &TokenRequest {
                    form,
                    basic_auth: false,
                    on_behalf_of,
                },
            )
            .map_err(|e| match e {
                ApiError::OAuth { status, error, .. } => format!("{} {error}", status.as_u16()),
                other => other.to_string(),
            })
    }

    fn credentials(secret: &str) -> HashMap<String, String> {
        form(&[
            ("grant_type", "client_credentials"),
            ("client_id", "agent"),
            ("client_secret", secret),
        ])
    }

    #[test]
    fn either_secret_logs_in_as_the_taxpayer() {
        for secret in ["s1", "s2"] {
            let caller = login(&credentials(secret), None).unwrap();
            assert_eq!(caller.tin, "C1000000000");
            assert_eq!(caller.intermediary_tin, None);
        }
        assert_eq!(
            login(&credentials("s3"), None),
            Err("400 invalid_client".into())
        );
    }

    #[test]
    fn the_grant_type_and_scope_are_checked() {
        let mut form = credentials("s1");
        form.insert("scope".into(), "Other".into());
        assert_eq!(login(&form, None), Err("400 invalid_scope".into()));
        form.insert("grant_type".into(), "password".into());
        assert_eq!(login(&form, None), Err("400 unsupported_grant_type".into()));
    }

    #[test]
    fn on_behalf_of_binds_to_a_represented_taxpayer_only() {
        let caller = login(&credentials("s1"), Some("C2000000000")).unwrap();
        assert_eq!(caller.tin, "C2000000000");
        assert_eq!(caller.intermediary_tin.as_deref(), Some("C1000000000"));
        assert!(caller.may(Action::Submit) && !caller.may(Action::Cancel));
        assert!(login(&credentials("s1"), Some("C2000000000:202001000002")).is_ok());
        assert_eq!(
            login(&credentials("s1"), Some("C2000000000:999")),
            Err("400 invalid_grant".into())
        );
        assert_eq!(
            login(&credentials("s1"), Some("C3000000000")),
            Err("400 invalid_grant".into())
        );
    }

    #[test]
    fn credentials_of_the_other_environment_are_forbidden() {
        let form = form(&[
            ("grant_type", "client_credentials"),
            ("client_id", "prod-only"),
            ("client_secret", "p1"),
        ]);
        assert_eq!(login(&form, None), Err("403 invalid_client".into()));
    }

    #[test]
    fn bearer_headers() {
        assert_eq!(bearer("Bearer abc"), Some("abc"));
        assert_eq!(bearer("bearer abc"), Some("abc"));
        assert_eq!(bearer("Basic abc"), None);
        assert_eq!(bearer("Bearer "), None);
    }
}
