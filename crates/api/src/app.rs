//! The application: shared state and the one router that `serve` and the tests use.

use std::{
    any::{Any, TypeId},
    collections::HashMap,
    fmt,
    sync::{Arc, Mutex, PoisonError},
};

use axum::{Router, extract::DefaultBodyLimit, middleware};
use niaga_domain::Aggregate;
use niaga_store::{CommandHandler, Database, EventStore};
use serde::{Serialize, de::DeserializeOwned};
use tokio::sync::Notify;
use tower_http::{
    request_id::{PropagateRequestIdLayer, SetRequestIdLayer},
    trace::TraceLayer,
};
use utoipa::OpenApi as _;
use utoipa_axum::router::OpenApiRouter;

use niaga_documents::DocumentStore;
use niaga_einvoicing::Submitter;

use crate::company::CompanySettings;

use crate::{
    auth::Auth,
    clock::Clock,
    error::ApiError,
    extract::MAX_BODY_BYTES,
    http, openapi,
    pdfs::PdfSettings,
    problem,
    purchasing_policy::PurchasingPolicy,
    rate_limit::RateLimiter,
    rental_policy::RentalPolicy,
    signing::SigningSettings,
    telemetry::{self, MakeRequestUuidV7},
};

/// What every handler can reach. Cheap to clone (one `Arc`).
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

struct Inner {
    db: Database,
    store: Arc<dyn EventStore>,
    auth: Auth,
    committed: Arc<Notify>,
    rental_policy: RentalPolicy,
    purchasing_policy: PurchasingPolicy,
    documents: DocumentStore,
    signing: SigningSettings,
    pdf: PdfSettings,
    company: Option<CompanySettings>,
    einvoicing: Option<Arc<Submitter>>,
    lhdn_portal_url: String,
    clock: Clock,
    public_limiter: RateLimiter,
    /// One command handler per aggregate type, made on first use: each keeps a cache of
    /// recently loaded states that every request must share.
    handlers: Mutex<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>,
}

/// What the state is made of besides the database and the token keys: the company's
/// policies and settings from configuration. `Default` is what tests and benchmarks use:
/// the default rental policy, documents in memory, links to `http://127.0.0.1:8080`.
#[derive(Debug, Clone, Default)]
pub struct AppOptions {
    pub rental_policy: RentalPolicy,
    pub purchasing_policy: PurchasingPolicy,
    /// Where documents go; in memory when `None`.
    pub documents: Option<DocumentStore>,
    pub signing: SigningSettings,
    /// How PDFs are rendered (the letterhead is the company's).
    pub pdf: PdfSettings,
    /// The company issuing the documents; `None` until configured.
    pub company: Option<CompanySettings>,
    /// The LHDN submitter, when MyInvois is configured: cancelling a validated invoice
    /// goes through it.
    pub einvoicing: Option<Arc<Submitter>>,
    /// LHDN's portal, the base of validation links; production's when empty.
    pub lhdn_portal_url: String,
    /// Woken after every command (in-process read models listen on it); made here so that
    /// what is built before the state (the submitter) can wake it too.
    pub committed: Arc<Notify>,
    /// The clock commands and links are decided by; the system's unless a test moves it.
    pub clock: Clock,
}

impl AppState {
    /// The state with the default options (tests, benchmarks).
    pub fn new(db: Database, auth: Auth) -> Self {
        Self::with_options(db, auth, AppOptions::default())
    }

    /// The state with the company's policies and settings, from configuration.
    pub fn with_options(db: Database, auth: Auth, options: AppOptions) -> Self {
        Self(Arc::new(Inner {
            store: db.event_store(),
            documents: options
                .documents
                .unwrap_or_else(|| DocumentStore::in_memory(db.clone())),
            public_limiter: RateLimiter::new(options.signing.requests_per_minute),
            signing: options.signing,
            pdf: options.pdf,
            company: options.company,
            einvoicing: options.einvoicing,
            lhdn_portal_url: if options.lhdn_portal_url.is_empty() {
                "https://myinvois.hasil.gov.my".to_owned()
            } else {
                options.lhdn_portal_url.trim_end_matches('/').to_owned()
            },
            clock: options.clock,
            db,
            auth,
            committed: options.committed,
            rental_policy: options.rental_policy,
            purchasing_policy: options.purchasing_policy,
            handlers: Mutex::new(HashMap::new()),
        }))
    }

    /// The document store (signature images, later PDFs).
    pub fn documents(&self) -> &DocumentStore {
        &self.0.documents
    }

    /// The company issuing the documents, if configured.
    pub fn company(&self) -> Option<&CompanySettings> {
        self.0.company.as_ref()
    }

    /// The LHDN submitter, if MyInvois is configured.
    pub fn einvoicing(&self) -> Option<&Arc<Submitter>> {
        self.0.einvoicing.as_ref()
    }

    /// LHDN's validation link of a valid document: what its QR code encodes.
    pub fn validation_link(&self, document_uuid: &str, long_id: &str) -> String {
        niaga_einvoicing::validation_link(&self.0.lhdn_portal_url, document_uuid, long_id)
    }

    /// How signature links are made and how the public page is guarded.
    pub fn signing(&self) -> &SigningSettings {
        &self.0.signing
    }

    /// How PDFs are rendered (the letterhead is the company's, [`AppState::company`]).
    pub fn pdf_settings(&self) -> &PdfSettings {
        &self.0.pdf
    }

    /// The clock: `state.clock().now()`.
    pub fn clock(&self) -> &Clock {
        &self.0.clock
    }

    /// The per-address limiter of the public (unauthenticated) signature page.
    pub(crate) fn public_limiter(&self) -> &RateLimiter {
        &self.0.public_limiter
    }

    pub fn rental_policy(&self) -> &RentalPolicy {
        &self.0.rental_policy
    }

    pub fn purchasing_policy(&self) -> &PurchasingPolicy {
        &self.0.purchasing_policy
    }

    /// The database, for read-model queries (`niaga_store::on_reader!`).
    pub fn db(&self) -> &Database {
        &self.0.db
    }

    pub fn event_store(&self) -> &Arc<dyn EventStore> {
        &self.0.store
    }

    pub fn auth(&self) -> &Auth {
        &self.0.auth
    }

    /// Woken after every command that appended events: in-process projectors wait on it to
    /// catch up at once instead of polling.
    pub fn committed(&self) -> &Arc<Notify> {
        &self.0.committed
    }

    /// The command handler of aggregate `A`: `state.commands::<Customer>().execute(..)`.
    pub fn commands<A>(&self) -> Arc<CommandHandler<A>>
    where
        A: Aggregate + Serialize + DeserializeOwned,
    {
        let make = || {
            Arc::new(
                CommandHandler::<A>::new(Arc::clone(&self.0.store))
                    .notify_on_commit(Arc::clone(&self.0.committed)),
            )
        };
        // A panic while the lock was held cannot leave the map half-updated: keep using it.
        let mut handlers = self
            .0
            .handlers
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let handler = handlers
            .entry(TypeId::of::<A>())
            .or_insert_with(|| make() as Arc<dyn Any + Send + Sync>);
        // Keyed by the type id, so the downcast succeeds; were it ever to fail, an uncached
        // handler is still correct.
        Arc::clone(handler)
            .downcast::<CommandHandler<A>>()
            .unwrap_or_else(|_| make())
    }
}

impl fmt::Debug for AppState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppState")
            .field("backend", &self.0.db.backend())
            .field("auth", &self.0.auth)
            .finish_non_exhaustive()
    }
}

/// The whole HTTP API: resource routes (see `http::routes`), `/openapi.json`, `/docs`, and
/// the layers every request passes (request id, tracing, problem+json, body limit).
pub fn app(state: AppState) -> Router {
    let (routes, api) = OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .merge(http::routes())
        .split_for_parts();
    routes
        .merge(openapi::docs(api))
        .fallback(not_found)
        // After every route is added: it applies to the routes present when called.
        .method_not_allowed_fallback(method_not_allowed)
        // Layers wrap what is above them: the last one added sees the request first.
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn(problem::ensure_problem))
        .layer(middleware::from_fn(problem::with_request_path))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(telemetry::request_span)
                .on_response(telemetry::record_response),
        )
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuidV7))
        .layer(middleware::map_request(telemetry::only_uuid_request_ids))
        .with_state(state)
}

async fn not_found() -> ApiError {
    ApiError::NotFound("route".into())
}

async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}
