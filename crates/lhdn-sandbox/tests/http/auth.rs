//! The identity service, tokens and rate limits.

use chrono::TimeDelta;
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{Harness, SUPPLIER_TIN, signed_invoice};

#[tokio::test]
async fn a_client_logs_in_with_either_secret_and_gets_an_hour_long_token() {
    let h = Harness::start().await;
    for secret in ["s-one", "s-two"] {
        let response = h.login_response("supplier", secret, None).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert!(response.headers().contains_key("correlationId"));
        assert_eq!(response.headers()["X-Rate-Limit-Limit"], "12");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["token_type"], "Bearer");
        assert_eq!(body["expires_in"], 3600);
        assert_eq!(body["scope"], "InvoicingAPI");
        assert!(body["access_token"].as_str().unwrap().len() >= 32);
    }
}

#[tokio::test]
async fn wrong_credentials_get_oauth_errors() {
    let h = Harness::start().await;
    let response = h.login_response("supplier", "nope", None).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "invalid_client");
    assert!(body["error_description"].is_string());

    // Production credentials on the sandbox (LHDN.md §1.1).
    let response = h.login_response("prod-client", "p-one", None).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "invalid_client");

    let response = h
        .http
        .post(h.url("/connect/token"))
        .form(&[
            ("client_id", "supplier"),
            ("client_secret", "s-one"),
            ("grant_type", "password"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "unsupported_grant_type");
}

#[tokio::test]
async fn credentials_outside_the_form_body_get_a_bare_400() {
    let h = Harness::start().await;
    let response = h
        .http
        .post(h.url("/connect/token"))
        .basic_auth("supplier", Some("s-one"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.bytes().await.unwrap().is_empty());

    let response = h
        .http
        .post(h.url("/connect/token"))
        .json(&serde_json::json!({"client_id": "supplier", "client_secret": "s-one", "grant_type": "client_credentials"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "invalid_request");
}

#[tokio::test]
async fn absent_unknown_and_expired_tokens_are_401() {
    let h = Harness::start().await;
    let path = "/api/v1.0/documents/recent";
    let response = h.http.get(h.url(path)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(response.headers().contains_key("correlationId"));
    assert_eq!(
        h.get("not-a-token", path).await.status(),
        StatusCode::UNAUTHORIZED
    );

    let token = h.token("supplier").await;
    assert_eq!(h.get(&token, path).await.status(), StatusCode::OK);
    h.sandbox.advance_clock(TimeDelta::minutes(61));
    assert_eq!(h.get(&token, path).await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_token_lifetime_is_configurable() {
    let h = Harness::with("token_lifetime_seconds = 5").await;
    let response = h.login_response("supplier", "s-one", None).await;
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["expires_in"], 5);
    let token = body["access_token"].as_str().unwrap();
    h.sandbox.advance_clock(TimeDelta::seconds(6));
    assert_eq!(
        h.get(token, "/api/v1.0/documents/recent").await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn an_intermediary_acts_on_behalf_of_a_taxpayer_it_represents_only() {
    let h = Harness::start().await;
    let response = h.login_response("agent", "a-two", Some(SUPPLIER_TIN)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    let token = body["access_token"].as_str().unwrap().to_owned();

    // It submits the supplier's invoice (signed with the supplier's certificate).
    let (uuid, details) = h
        .submit_and_wait(&token, &signed_invoice(), "INV-2026-000123")
        .await;
    assert_eq!(details["status"], "Valid", "{details}");
    // It may view, not cancel (the permissions the supplier granted).
    let response = h
        .change_state(&token, &uuid, "cancelled", "wrong price")
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    let response = h
        .login_response(
            "agent",
            "a-one",
            Some(&format!("{SUPPLIER_TIN}:202001234567")),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    for other in ["C20880498010", "C25845632020:999999999999"] {
        let response = h.login_response("agent", "a-one", Some(other)).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{other}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"], "invalid_grant");
    }
}

#[tokio::test]
async fn over_the_rate_limit_is_429_with_retry_after() {
    let h = Harness::with("[rate_limits.per_minute]\nrecent = 2\ntoken = 2").await;
    let token = h.token("supplier").await;
    let path = "/api/v1.0/documents/recent";
    for remaining in ["1", "0"] {
        let response = h.get(&token, path).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["X-Rate-Limit-Limit"], "2");
        assert_eq!(response.headers()["X-Rate-Limit-Remaining"], remaining);
        assert!(!response.headers().contains_key("X-Rate-Limit-Reset"));
    }
    let response = h.get(&token, path).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = response.headers()["Retry-After"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry_after));
    assert!(response.headers().contains_key("X-Rate-Limit-Reset"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "TooManyRequests");
    // Other endpoints have their own windows.
    assert_eq!(
        h.get(&token, "/api/v1.0/documenttypes").await.status(),
        StatusCode::OK
    );
    // The token endpoint counts per client id too.
    h.token("supplier").await;
    let response = h.login_response("supplier", "s-one", None).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response.headers().contains_key("Retry-After"));
}

/// A sandbox trusting the test PKI and an agent's own PKI, and a document it signed.
async fn agent_signing(agent_brn: &str) -> (Harness, Vec<u8>) {
    use crate::helpers::{AGENT_TIN, config, unsigned_invoice};
    use niaga_lhdn::sign::Signer;
    use niaga_lhdn::testing::TestPki;

    let agent_pki = TestPki::named("Agent CA", AGENT_TIN);
    let mut config = config("");
    config.trusted_ca_pem.push(agent_pki.ca_pem.clone());
    for taxpayer in &mut config.taxpayers {
        if taxpayer.tin == AGENT_TIN {
            taxpayer.id_value = agent_brn.to_owned();
        }
    }
    let signed = Signer::with_clock(agent_pki.identity(), crate::helpers::sandbox_start())
        .sign(&unsigned_invoice())
        .unwrap();
    (Harness::from_config(config).await, signed)
}

async fn agent_token(h: &Harness) -> String {
    let response = h.login_response("agent", "a-one", Some(SUPPLIER_TIN)).await;
    let body: Value = response.json().await.unwrap();
    body["access_token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn an_intermediary_may_sign_with_its_own_certificate() {
    // The test PKI's certificates carry the BRN 202001234567.
    let (h, signed) = agent_signing("202001234567").await;
    let agent = agent_token(&h).await;
    let (_, details) = h.submit_and_wait(&agent, &signed, "INV-2026-000123").await;
    assert_eq!(details["status"], "Valid", "{details}");

    // The supplier itself may not submit a document signed with the agent's certificate.
    let supplier = h.token("supplier").await;
    let other = crate::helpers::replace(&signed, "INV-2026-000123", "INV-2026-000999");
    let (_, details) = h
        .submit_and_wait(&supplier, &other, "INV-2026-000999")
        .await;
    assert_eq!(details["status"], "Invalid");
    let codes = crate::helpers::inner_codes(crate::helpers::failed_step(&details));
    assert!(codes.contains(&"DS311".to_owned()), "{codes:?}");
}

#[tokio::test]
async fn a_certificate_serial_number_other_than_the_signers_brn_is_ds312() {
    let (h, signed) = agent_signing("201501000001").await;
    let agent = agent_token(&h).await;
    let (_, details) = h.submit_and_wait(&agent, &signed, "INV-2026-000123").await;
    assert_eq!(details["status"], "Invalid");
    let codes = crate::helpers::inner_codes(crate::helpers::failed_step(&details));
    assert_eq!(codes, ["DS312"]);
}
