//! A submitter pointed at an in-process `lhdn-sandbox`, for the tests and benchmarks of this
//! and other crates (feature `testing`; never shipped).
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::Duration;

use chrono::TimeDelta;
use niaga_documents::DocumentStore;
use niaga_lhdn::client::{ClientOptions, Credentials, MyInvoisClient, RateLimits};
use niaga_lhdn::map::Supplier;
use niaga_lhdn::sign::{Signer, SigningIdentity};
use niaga_lhdn_sandbox::{RunningSandbox, SandboxConfig};
use niaga_store::Database;

use crate::{Submitter, SubmitterSettings};

/// The buyer the sandbox knows besides the company (`niaga_lhdn::testing::TEST_TIN`).
pub const BUYER_TIN: &str = "C20880498010";
/// Its BRN, as `niaga_domain::testing::sample_company` registers customers.
pub const BUYER_BRN: &str = "201901234567";

const CLIENT_ID: &str = "niaga";
const CLIENT_SECRET: &str = "second-secret";

/// A sandbox that validates at once with no rate limits, trusts `ca_pem`, and knows the
/// test company (with an ERP client) and the buyer.
pub fn sandbox_config(ca_pem: &str) -> SandboxConfig {
    SandboxConfig::from_toml_str(&format!(
        r#"
        validation_delay_ms = 0
        trusted_ca_pem = ["""{ca_pem}"""]
        [rate_limits]
        profile = "off"
        [[taxpayers]]
        tin = "{company}"
        id_type = "BRN"
        id_value = "{company_brn}"
        name = "Timbang Jaya Sdn Bhd"
        client = {{ client_id = "{CLIENT_ID}", client_secrets = ["first-secret", "{CLIENT_SECRET}"] }}
        [[taxpayers]]
        tin = "{BUYER_TIN}"
        id_type = "BRN"
        id_value = "{BUYER_BRN}"
        name = "Kedai Runcit Maju Sdn Bhd"
        "#,
        company = niaga_lhdn::testing::TEST_TIN,
        company_brn = niaga_lhdn::testing::TEST_BRN,
    ))
    .unwrap()
}

/// Reconciling and polling at once (production waits minutes and seconds).
pub fn eager(sandbox: &RunningSandbox) -> SubmitterSettings {
    SubmitterSettings {
        reconcile_after: TimeDelta::zero(),
        first_poll: Duration::ZERO,
        portal_url: sandbox.portal_url(),
        ..SubmitterSettings::default()
    }
}

/// A submitter on `db` sending to `sandbox` as the test company, signing with `identity`.
pub fn submitter(
    db: &Database,
    documents: DocumentStore,
    sandbox: &RunningSandbox,
    identity: SigningIdentity,
    supplier: Supplier,
    settings: SubmitterSettings,
) -> Submitter {
    let mut options = ClientOptions::new(
        sandbox.base_url(),
        Credentials::new(CLIENT_ID.into(), CLIENT_SECRET.into()),
    );
    options.rate_limits = RateLimits::Off;
    Submitter::new(
        db.clone(),
        documents,
        Arc::new(MyInvoisClient::new(options).unwrap()),
        Arc::new(Signer::new(identity)),
        supplier,
        settings,
    )
}
