//! The MyInvois API client (LHDN.md §1): one login shared by every call and renewed before
//! it expires, LHDN's per-endpoint rate limits kept, `Retry-After` honoured, a stale token
//! renewed once on 401, and every failure logged with LHDN's `correlationId`.
//!
//! The base URL is configuration: LHDN's pre-production or production host, or
//! `lhdn-sandbox`. Nothing here retries a submission: whether resending is safe is the
//! submitter's call (see [`ClientError::may_have_arrived`]).

mod error;
mod rate_limit;
mod responses;
mod tin;
mod token;

use std::fmt;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use reqwest::{Method, RequestBuilder, StatusCode, header::HeaderMap};
use rsa::sha2::{Digest, Sha256};
use serde::Serialize;
use serde_json::Value;

pub use error::{ClientError, LhdnError};
pub use rate_limit::{Endpoint, RateLimits};
pub use responses::{
    AcceptedDocument, DocumentDetails, DocumentPage, DocumentStatus, DocumentSummary,
    RejectedDocument, Submission, SubmissionAnswer, SubmissionStatus, ValidationResults,
    ValidationStep,
};
pub use tin::{TaxpayerId, TaxpayerIdKind};

use rate_limit::RateLimiter;
use tin::TinCache;
use token::TokenCache;

/// The ERP's client id and secret from LHDN's portal. `Debug` hides the secret.
#[derive(Clone)]
pub struct Credentials {
    pub client_id: String,
    client_secret: String,
}

impl Credentials {
    pub fn new(client_id: String, client_secret: String) -> Self {
        Self {
            client_id,
            client_secret,
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .finish()
    }
}

/// How to reach MyInvois.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// The API base, which also serves the token endpoint: `https://api.myinvois.hasil.gov.my`.
    pub base_url: String,
    pub credentials: Credentials,
    /// For an intermediary: the TIN (or `TIN:ROB`) of the taxpayer it acts for.
    pub on_behalf_of: Option<String>,
    pub rate_limits: RateLimits,
    /// How long one request may take.
    pub timeout: Duration,
    /// How many 429s in a row one call waits out before giving up.
    pub rate_limited_retries: u32,
}

impl ClientOptions {
    pub fn new(base_url: impl Into<String>, credentials: Credentials) -> Self {
        Self {
            base_url: base_url.into(),
            credentials,
            on_behalf_of: None,
            rate_limits: RateLimits::Documented,
            timeout: Duration::from_secs(30),
            rate_limited_retries: 3,
        }
    }
}

/// One signed document to submit: the exact bytes, and our number for it.
#[derive(Debug, Clone)]
pub struct SignedDocument {
    /// Our document number: LHDN's `codeNumber`, echoed as `invoiceCodeNumber`.
    pub code_number: String,
    pub bytes: Vec<u8>,
}

impl SignedDocument {
    /// LHDN's `documentHash`: the lower-case hex SHA-256 of the bytes (not base64: Pitfall 4).
    pub fn hash(&self) -> String {
        hex_sha256(&self.bytes)
    }
}

pub fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The MyInvois API. Cheap to share: clone the `Arc` it is kept in.
#[derive(Debug)]
pub struct MyInvoisClient {
    http: reqwest::Client,
    options: ClientOptions,
    limiter: RateLimiter,
    token: TokenCache,
    tins: TinCache,
}

/// An answer with a body worth reading.
struct Answer {
    status: StatusCode,
    body: Vec<u8>,
}

impl MyInvoisClient {
    pub fn new(options: ClientOptions) -> Result<Self, ClientError> {
        let base = options.base_url.trim_end_matches('/');
        if !(base.starts_with("https://") || base.starts_with("http://")) {
            return Err(ClientError::Config(format!(
                "the MyInvois base URL must start with https:// (or http:// for a local sandbox), not {base:?}"
            )));
        }
        let http = reqwest::Client::builder()
            .timeout(options.timeout)
            .build()
            .map_err(|error| ClientError::Config(error.to_string()))?;
        Ok(Self {
            http,
            limiter: RateLimiter::new(options.rate_limits),
            token: TokenCache::default(),
            tins: TinCache::default(),
            options: ClientOptions {
                base_url: base.to_owned(),
                ..options
            },
        })
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.options.base_url)
    }

    /// Submits up to 100 signed documents in one submission (LHDN.md §1.4).
    pub async fn submit(
        &self,
        documents: &[SignedDocument],
    ) -> Result<SubmissionAnswer, ClientError> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Envelope<'a> {
            documents: Vec<EnvelopeDocument<'a>>,
        }
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct EnvelopeDocument<'a> {
            format: &'static str,
            document: String,
            document_hash: String,
            code_number: &'a str,
        }
        let envelope = Envelope {
            documents: documents
                .iter()
                .map(|d| EnvelopeDocument {
                    format: "JSON",
                    document: crate::sign::digest::base64(&d.bytes),
                    document_hash: d.hash(),
                    code_number: &d.code_number,
                })
                .collect(),
        };
        let body = serde_json::to_vec(&envelope)
            .map_err(|error| ClientError::Config(error.to_string()))?;
        let answer = self
            .call(
                Endpoint::Submit,
                Method::POST,
                "/api/v1.0/documentsubmissions/",
                |r| {
                    r.header(reqwest::header::CONTENT_TYPE, "application/json")
                        .body(body.clone())
                },
            )
            .await?;
        read_json(&answer)
    }

    /// One page (1-based, at most 100 documents) of a submission's documents and status.
    pub async fn submission(
        &self,
        submission_uid: &str,
        page: u32,
        page_size: u32,
    ) -> Result<Submission, ClientError> {
        let path = format!(
            "/api/v1.0/documentsubmissions/{}?pageNo={page}&pageSize={}",
            path_segment(submission_uid),
            page_size.clamp(1, 100)
        );
        let answer = self
            .call(Endpoint::GetSubmission, Method::GET, &path, |r| r)
            .await?;
        read_json(&answer)
    }

    /// A document's summary and validation steps (to read why it is invalid).
    pub async fn document_details(&self, uuid: &str) -> Result<DocumentDetails, ClientError> {
        let path = format!("/api/v1.0/documents/{}/details", path_segment(uuid));
        let answer = self
            .call(Endpoint::DocumentDetails, Method::GET, &path, |r| r)
            .await?;
        read_json(&answer)
    }

    /// The documents we sent between `from` and `to` (at most 31 days apart) matching
    /// `query` (our document number, say): how a submission whose answer was lost is found.
    pub async fn search_sent(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        query: &str,
    ) -> Result<Vec<DocumentSummary>, ClientError> {
        let stamp = |at: DateTime<Utc>| at.to_rfc3339_opts(SecondsFormat::Secs, true);
        let params = [
            ("submissionDateFrom", stamp(from)),
            ("submissionDateTo", stamp(to)),
            ("invoiceDirection", "Sent".to_owned()),
            ("searchQuery", query.to_owned()),
            ("pageNo", "1".to_owned()),
            ("pageSize", "100".to_owned()),
        ];
        let answer = self
            .call(
                Endpoint::SearchDocuments,
                Method::GET,
                "/api/v1.0/documents/search",
                |r| r.query(&params),
            )
            .await?;
        Ok(read_json::<DocumentPage>(&answer)?.result)
    }

    /// Cancels a valid document we issued, within 72 hours of its validation.
    pub async fn cancel(&self, uuid: &str, reason: &str) -> Result<(), ClientError> {
        let path = format!("/api/v1.0/documents/state/{}/state", path_segment(uuid));
        let body = serde_json::json!({"status": "cancelled", "reason": reason});
        // Some LHDN front ends refuse this PUT without a Content-Type (Pitfalls 20): `json`
        // sets it.
        self.call(Endpoint::Cancel, Method::PUT, &path, |r| r.json(&body))
            .await
            .map(drop)
    }

    /// Whether LHDN knows `tin` with this identification. Answers are cached for a day:
    /// asking before every submission is flagged as abuse (LHDN.md §1.8).
    pub async fn validate_tin(&self, tin: &str, id: &TaxpayerId) -> Result<bool, ClientError> {
        if let Some(known) = self.tins.get(tin, id).await {
            return Ok(known);
        }
        let path = format!(
            "/api/v1.0/taxpayer/validate/{}?idType={}&idValue={}",
            path_segment(tin),
            id.kind.as_str(),
            path_segment(&id.value)
        );
        let valid = match self
            .call(Endpoint::ValidateTin, Method::GET, &path, |r| r)
            .await
        {
            Ok(_) => true,
            Err(ClientError::NotFound { .. }) => false,
            Err(other) => return Err(other),
        };
        self.tins.put(tin, id, valid).await;
        Ok(valid)
    }

    /// A token, from the cache or a new login.
    async fn token(&self) -> Result<String, ClientError> {
        self.token.get_or_login(|| self.login()).await
    }

    async fn login(&self) -> Result<token::Token, ClientError> {
        self.limiter.acquire(Endpoint::Login).await;
        let credentials = &self.options.credentials;
        // In the form body: the token endpoint refuses HTTP Basic (LHDN.md §1.2).
        let form = [
            ("client_id", credentials.client_id.as_str()),
            ("client_secret", credentials.client_secret.as_str()),
            ("grant_type", "client_credentials"),
            ("scope", "InvoicingAPI"),
        ];
        let mut request = self.http.post(self.url("/connect/token")).form(&form);
        if let Some(taxpayer) = &self.options.on_behalf_of {
            request = request.header("onbehalfof", taxpayer);
        }
        let response = request.send().await.map_err(ClientError::Transport)?;
        let status = response.status();
        let correlation_id = correlation_id(response.headers());
        let body = response.bytes().await.map_err(ClientError::Transport)?;
        if status.is_success() {
            return token::Token::from_answer(&body).map_err(|reason| {
                ClientError::UnexpectedAnswer {
                    status: status.as_u16(),
                    reason,
                }
            });
        }
        let error = failure(
            Endpoint::Login,
            status,
            &HeaderMap::new(),
            &body,
            correlation_id,
        );
        Err(match error {
            ClientError::Refused { status, error, .. } => ClientError::Login { status, error },
            other => other,
        })
    }

    /// Sends one request to `path` with a token, keeping the endpoint's rate limit, waiting
    /// out 429s and renewing a token LHDN no longer takes. A non-2xx answer is an error.
    async fn call(
        &self,
        endpoint: Endpoint,
        method: Method,
        path: &str,
        build: impl Fn(RequestBuilder) -> RequestBuilder,
    ) -> Result<Answer, ClientError> {
        let mut renewed = false;
        let mut waits = 0;
        loop {
            self.limiter.acquire(endpoint).await;
            let token = self.token().await?;
            let request = self
                .http
                .request(method.clone(), self.url(path))
                .bearer_auth(&token)
                .header(reqwest::header::ACCEPT, "application/json")
                .header(reqwest::header::ACCEPT_LANGUAGE, "en");
            let response = build(request).send().await.map_err(|error| {
                tracing::warn!(?endpoint, %error, "MyInvois could not be reached");
                ClientError::Transport(error)
            })?;
            let status = response.status();
            let headers = response.headers().clone();
            let body = response
                .bytes()
                .await
                .map_err(ClientError::Transport)?
                .to_vec();
            if status.is_success() {
                return Ok(Answer { status, body });
            }
            if status == StatusCode::UNAUTHORIZED && !renewed {
                // Expired early, or revoked: one new login, then the answer stands.
                self.token.forget(&token).await;
                renewed = true;
                continue;
            }
            let error = failure(endpoint, status, &headers, &body, correlation_id(&headers));
            if let ClientError::RateLimited { retry_after } = error
                && waits < self.options.rate_limited_retries
            {
                waits += 1;
                tokio::time::sleep(retry_after).await;
                continue;
            }
            return Err(error);
        }
    }
}

/// A token endpoint's or API's non-2xx answer as an error, logged with its correlation id.
fn failure(
    endpoint: Endpoint,
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    correlation_id: Option<String>,
) -> ClientError {
    let parsed: Option<Value> = serde_json::from_slice(body).ok();
    let error = match (status.as_u16(), parsed) {
        (429, _) => ClientError::RateLimited {
            retry_after: retry_after(headers).unwrap_or(Duration::from_secs(60)),
        },
        (422, _) if endpoint == Endpoint::Submit => ClientError::DuplicateSubmission {
            retry_after: retry_after(headers),
            correlation_id: correlation_id.clone(),
        },
        (404, _) => ClientError::NotFound {
            correlation_id: correlation_id.clone(),
        },
        // An HTML maintenance page (seen as a 403 for large documents) is LHDN's trouble,
        // not a refusal of ours.
        (status, None) => ClientError::Unavailable {
            status,
            excerpt: excerpt(body),
            correlation_id: correlation_id.clone(),
        },
        (status, Some(_)) if status >= 500 => ClientError::Unavailable {
            status,
            excerpt: excerpt(body),
            correlation_id: correlation_id.clone(),
        },
        (status, Some(json)) => ClientError::Refused {
            status,
            error: Box::new(LhdnError::from_json(&json)),
            correlation_id: correlation_id.clone(),
        },
    };
    tracing::warn!(
        ?endpoint,
        status = status.as_u16(),
        correlation_id = correlation_id.as_deref().unwrap_or("none"),
        %error,
        "MyInvois call failed"
    );
    error
}

fn read_json<T: serde::de::DeserializeOwned>(answer: &Answer) -> Result<T, ClientError> {
    serde_json::from_slice(&answer.body).map_err(|error| ClientError::UnexpectedAnswer {
        status: answer.status.as_u16(),
        reason: format!("{error}: {}", excerpt(&answer.body)),
    })
}

fn correlation_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get("correlationId")
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
}

/// `Retry-After` in seconds (LHDN sends seconds, not a date).
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|seconds| seconds.is_finite() && *seconds >= 0.0)
        .map(|seconds| Duration::from_secs_f64(seconds.min(3600.0)))
}

fn excerpt(body: &[u8]) -> String {
    String::from_utf8_lossy(body).chars().take(300).collect()
}

/// A value placed in a URL path: LHDN's ids are alphanumeric, but nothing else may change
/// the path.
fn path_segment(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b':' => {
                char::from(byte).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_hash_is_lower_case_hex() {
        let document = SignedDocument {
            code_number: "INV1".into(),
            bytes: b"abc".to_vec(),
        };
        assert_eq!(
            document.hash(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn path_values_cannot_change_the_path() {
        assert_eq!(path_segment("C2584563202"), "C2584563202");
        assert_eq!(path_segment("../x?y"), "..%2Fx%3Fy");
    }

    #[test]
    fn credentials_never_print_the_secret() {
        let credentials = Credentials::new("id".into(), "s3cret".into());
        assert!(!format!("{credentials:?}").contains("s3cret"));
    }
}
