//! A sandbox per test, reached over real HTTP, and documents made the way Niaga makes them:
//! mapped by `niaga_lhdn::map` from the domain fixtures and signed with the test PKI.

use std::sync::LazyLock;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, TimeZone, Utc};
use niaga_domain::Currency;
use niaga_lhdn::map::{self, Options};
use niaga_lhdn::sign::Signer;
use niaga_lhdn::testing::TestPki;
use niaga_lhdn_sandbox::{RunningSandbox, SandboxConfig};
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::common::{customer, invoice_record, supplier};

pub static PKI: LazyLock<TestPki> = LazyLock::new(TestPki::new);

pub const SUPPLIER_TIN: &str = "C25845632020";
pub const BUYER_TIN: &str = "C20880498010";
pub const AGENT_TIN: &str = "C10000000010";

/// The fixtures' invoice is issued 2026-06-01 02:00 UTC and its note 2026-06-02 03:30: the
/// sandbox clock starts just after both.
pub fn sandbox_start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 2, 4, 0, 0).unwrap()
}

pub fn config_toml(extra: &str) -> String {
    let offset = (sandbox_start() - Utc::now()).num_seconds();
    format!(
        r#"
        clock_offset_seconds = {offset}
        {extra}

        [[taxpayers]]
        tin = "{SUPPLIER_TIN}"
        id_type = "BRN"
        id_value = "202001234567"
        name = "Timbang Jaya Sdn Bhd"
        client = {{ client_id = "supplier", client_secrets = ["s-one", "s-two"] }}

        [[taxpayers]]
        tin = "{BUYER_TIN}"
        id_type = "BRN"
        id_value = "201901034567"
        name = "Kedai Runcit Maju Sdn Bhd"
        client = {{ client_id = "buyer", client_secrets = ["b-one", "b-two"] }}

        [[taxpayers]]
        tin = "{AGENT_TIN}"
        id_type = "BRN"
        id_value = "201501000001"
        name = "Akaun Pintar Sdn Bhd"
        client = {{ client_id = "agent", client_secrets = ["a-one", "a-two"] }}
        intermediary_for = [{{ tin = "{SUPPLIER_TIN}", actions = ["submit", "view"] }}]

        [[taxpayers]]
        tin = "IG12345678910"
        id_type = "NRIC"
        id_value = "880101145678"
        name = "Ahmad bin Ali"
        client = {{ client_id = "prod-client", client_secrets = ["p-one", "p-two"], environment = "prod" }}
        "#
    )
}

pub fn config(extra: &str) -> SandboxConfig {
    let mut config = SandboxConfig::from_toml_str(&config_toml(extra)).unwrap();
    config.trusted_ca_pem.push(PKI.ca_pem.clone());
    config
}

pub struct Harness {
    pub sandbox: RunningSandbox,
    pub http: reqwest::Client,
}

impl Harness {
    pub async fn start() -> Self {
        Self::with("").await
    }

    /// A sandbox with extra top-level TOML (before the taxpayers).
    pub async fn with(extra: &str) -> Self {
        Self::from_config(config(extra)).await
    }

    pub async fn from_config(config: SandboxConfig) -> Self {
        let sandbox = niaga_lhdn_sandbox::start(config).await.unwrap();
        Self {
            sandbox,
            http: reqwest::Client::new(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.sandbox.base_url())
    }

    pub async fn login_response(
        &self,
        client_id: &str,
        secret: &str,
        on_behalf_of: Option<&str>,
    ) -> Response {
        let mut request = self.http.post(self.url("/connect/token")).form(&[
            ("client_id", client_id),
            ("client_secret", secret),
            ("grant_type", "client_credentials"),
            ("scope", "InvoicingAPI"),
        ]);
        if let Some(tin) = on_behalf_of {
            request = request.header("onbehalfof", tin);
        }
        request.send().await.unwrap()
    }

    pub async fn token(&self, client_id: &str) -> String {
        let secret = match client_id {
            "supplier" => "s-one",
            "buyer" => "b-one",
            "agent" => "a-one",
            other => panic!("no secret for {other}"),
        };
        let response = self.login_response(client_id, secret, None).await;
        assert_eq!(response.status(), StatusCode::OK);
        let body: Value = response.json().await.unwrap();
        body["access_token"].as_str().unwrap().to_owned()
    }

    pub async fn get(&self, token: &str, path: &str) -> Response {
        self.http
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    pub async fn submit_body(&self, token: &str, body: &Value) -> Response {
        self.http
            .post(self.url("/api/v1.0/documentsubmissions/"))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// Submits and expects a 202; returns its body.
    pub async fn submit(&self, token: &str, documents: &[(&[u8], &str)]) -> Value {
        let response = self.submit_body(token, &envelope(documents)).await;
        assert_eq!(response.status(), StatusCode::ACCEPTED);
        response.json().await.unwrap()
    }

    /// Polls Get Submission until it is no longer in progress.
    pub async fn wait(&self, token: &str, submission_uid: &str) -> Value {
        for _ in 0..200 {
            let response = self
                .get(
                    token,
                    &format!("/api/v1.0/documentsubmissions/{submission_uid}"),
                )
                .await;
            assert_eq!(response.status(), StatusCode::OK);
            let body: Value = response.json().await.unwrap();
            if body["overallStatus"] != "InProgress" {
                return body;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("submission {submission_uid} still in progress");
    }

    /// Submits one document and waits for its validation; returns (uuid, details).
    pub async fn submit_and_wait(
        &self,
        token: &str,
        document: &[u8],
        code: &str,
    ) -> (String, Value) {
        let accepted = self.submit(token, &[(document, code)]).await;
        let uid = accepted["submissionUid"].as_str().unwrap().to_owned();
        let uuid = accepted["acceptedDocuments"][0]["uuid"]
            .as_str()
            .unwrap()
            .to_owned();
        self.wait(token, &uid).await;
        let details = self.details(token, &uuid).await;
        (uuid, details)
    }

    /// Submits the fixture invoice INV-2026-000123, expects it Valid; returns its uuid.
    pub async fn valid_invoice(&self, token: &str) -> String {
        let (uuid, details) = self
            .submit_and_wait(token, &signed_invoice(), "INV-2026-000123")
            .await;
        assert_eq!(details["status"], "Valid", "{details}");
        uuid
    }

    pub async fn details(&self, token: &str, uuid: &str) -> Value {
        let response = self
            .get(token, &format!("/api/v1.0/documents/{uuid}/details"))
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.unwrap()
    }

    /// An admin route: its status and JSON body (`null` when empty).
    pub async fn admin(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = self.http.request(method, self.url(path));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let bytes = response.bytes().await.unwrap();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    pub async fn change_state(
        &self,
        token: &str,
        uuid: &str,
        status: &str,
        reason: &str,
    ) -> Response {
        self.http
            .put(self.url(&format!("/api/v1.0/documents/state/{uuid}/state")))
            .bearer_auth(token)
            .json(&json!({"status": status, "reason": reason}))
            .send()
            .await
            .unwrap()
    }
}

pub fn envelope(documents: &[(&[u8], &str)]) -> Value {
    json!({"documents": documents.iter().map(|(bytes, code)| json!({
        "format": "JSON",
        "document": STANDARD.encode(bytes),
        "documentHash": hex::encode(Sha256::digest(bytes)),
        "codeNumber": code,
    })).collect::<Vec<_>>()})
}

fn signing_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 2, 3, 45, 0).unwrap()
}

fn sign(unsigned: &[u8]) -> Vec<u8> {
    Signer::with_clock(PKI.identity(), signing_at())
        .sign(unsigned)
        .unwrap()
}

/// The fixture invoice INV-2026-000123 as mapped, unsigned (version 1.1).
pub fn unsigned_invoice() -> Vec<u8> {
    let record = invoice_record(Currency::MYR, false);
    map::invoice(&record, &customer(), &supplier(), &Options::default())
        .unwrap()
        .to_bytes()
}

/// The fixture invoice, mapped and signed with the test PKI.
pub fn signed_invoice() -> Vec<u8> {
    sign(&unsigned_invoice())
}

/// The same invoice under another number (a distinct document).
pub fn signed_invoice_numbered(number: &str) -> Vec<u8> {
    sign(&replace(&unsigned_invoice(), "INV-2026-000123", number))
}

/// The fixture's credit note CN-2026-000007, pointing at `original_uuid`.
pub fn signed_credit_note(original_uuid: &str) -> Vec<u8> {
    signed_credit_note_numbered(original_uuid, "CN-2026-000007")
}

/// The same note under another number.
pub fn signed_credit_note_numbered(original_uuid: &str, number: &str) -> Vec<u8> {
    let record = invoice_record(Currency::MYR, true);
    let note = &record.notes[0];
    let unsigned = map::note(&record, note, &customer(), &supplier(), &Options::default())
        .unwrap()
        .to_bytes();
    let unsigned = replace(&unsigned, "F9D425P6DS7D8IU2JG5TBAXZ10", original_uuid);
    sign(&replace(&unsigned, "CN-2026-000007", number))
}

pub fn replace(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    assert!(text.contains(from), "{from} is not in the document");
    text.replacen(from, to, 1).into_bytes()
}

/// The first failed step's error of a details body.
pub fn failed_step(details: &Value) -> &Value {
    details["validationResults"]["validationSteps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["status"] == "Invalid")
        .unwrap_or_else(|| panic!("no failed step: {details}"))
}

pub fn inner_codes(step: &Value) -> Vec<String> {
    step["error"]["innerError"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["errorCode"].as_str().unwrap().to_owned())
        .collect()
}
