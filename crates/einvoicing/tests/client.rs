//! The MyInvois client against `lhdn-sandbox`: one login serves many calls and is renewed
//! when it expires, a wrong secret is a login error with LHDN's OAuth code, and LHDN's
//! answers to a search and a TIN check read as they should.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use chrono::{TimeDelta, Utc};
use niaga_lhdn::client::{
    ClientError, ClientOptions, Credentials, MyInvoisClient, RateLimits, TaxpayerId, TaxpayerIdKind,
};
use niaga_lhdn_sandbox::{RunningSandbox, SandboxConfig};

/// A sandbox whose token endpoint takes `logins_per_minute` logins a minute per client.
async fn sandbox(token_lifetime_seconds: u64, logins_per_minute: u32) -> RunningSandbox {
    let config = SandboxConfig::from_toml_str(&format!(
        r#"
        token_lifetime_seconds = {token_lifetime_seconds}
        [rate_limits]
        profile = "off"
        [rate_limits.per_minute]
        token = {logins_per_minute}
        [[taxpayers]]
        tin = "C25845632020"
        id_type = "BRN"
        id_value = "202001234567"
        name = "Timbang Jaya Sdn Bhd"
        client = {{ client_id = "niaga", client_secrets = ["first", "second"] }}
        "#
    ))
    .unwrap();
    niaga_lhdn_sandbox::start(config).await.unwrap()
}

fn client(sandbox: &RunningSandbox, secret: &str) -> MyInvoisClient {
    let mut options = ClientOptions::new(
        sandbox.base_url(),
        Credentials::new("niaga".into(), secret.into()),
    );
    options.rate_limits = RateLimits::Off;
    // A 429 would be waited out; here it must surface at once.
    options.rate_limited_retries = 0;
    MyInvoisClient::new(options).unwrap()
}

fn our_brn() -> TaxpayerId {
    TaxpayerId {
        kind: TaxpayerIdKind::Brn,
        value: "202001234567".into(),
    }
}

#[tokio::test]
async fn one_login_serves_many_calls() {
    // A second login within the minute would be refused with 429.
    let sandbox = sandbox(3600, 1).await;
    let client = client(&sandbox, "second");
    let now = Utc::now();
    for _ in 0..20 {
        client
            .search_sent(now - TimeDelta::days(1), now, "INV-2026-000001")
            .await
            .unwrap();
    }
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_token_past_its_lifetime_is_replaced_by_a_new_login() {
    let sandbox = sandbox(2, 10).await;
    let client = client(&sandbox, "first");
    assert!(
        client
            .validate_tin("C25845632020", &our_brn())
            .await
            .unwrap()
    );
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let now = Utc::now();
    let found = client
        .search_sent(now - TimeDelta::days(1), now, "INV-2026-000001")
        .await
        .unwrap();
    assert!(found.is_empty());
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_wrong_secret_is_a_login_error_with_lhdns_code() {
    let sandbox = sandbox(3600, 10).await;
    let error = client(&sandbox, "not-the-secret")
        .validate_tin("C25845632020", &our_brn())
        .await
        .unwrap_err();
    match error {
        ClientError::Login { status, error } => {
            assert_eq!(status, 400);
            assert_eq!(error.code.as_deref(), Some("invalid_client"));
        }
        other => panic!("{other:?}"),
    }
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_tin_lhdn_does_not_know_is_not_valid_and_the_answer_is_kept() {
    let sandbox = sandbox(3600, 10).await;
    let client = client(&sandbox, "first");
    let unknown = TaxpayerId {
        kind: TaxpayerIdKind::Brn,
        value: "201901000000".into(),
    };
    assert!(!client.validate_tin("C11111111110", &unknown).await.unwrap());
    // Kept: asked again with LHDN gone, the answer still comes.
    sandbox.shutdown().await;
    assert!(!client.validate_tin("C11111111110", &unknown).await.unwrap());
}
