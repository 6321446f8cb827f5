//! The OpenAPI 3.1 document (`GET /openapi.json`) and its Swagger UI (`GET /docs`, served from
//! the binary, so it works without internet).
//!
//! The document is assembled from the routes: each resource module registers its handlers
//! with `utoipa_axum::routes!`, which adds their `#[utoipa::path]` and the schemas they use.
//! What is declared here is only what belongs to the API as a whole.

use axum::Router;
use utoipa::{
    Modify, OpenApi,
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
};
use utoipa_swagger_ui::SwaggerUi;

use crate::{
    command::CommandAccepted,
    error::{FieldError, Problem},
};

/// The name of the bearer-token security scheme in the document.
pub const BEARER: &str = "bearer";

/// The document's fixed parts. Routes need a token unless they declare `security(())`.
#[derive(Debug, OpenApi)]
#[openapi(
    info(
        title = "Niaga API",
        description = "Customers, quotations, rentals, invoices and e-invoicing for a Malaysian \
            SME. Log in with `POST /auth/login` and send the access token as \
            `Authorization: Bearer <token>`. Errors are RFC 9457 problem documents \
            (`application/problem+json`). Commands accept `Idempotency-Key` and `If-Match`.",
        license(name = "Proprietary")
    ),
    modifiers(&BearerScheme),
    security(("bearer" = [])),
    components(schemas(Problem, FieldError, CommandAccepted)),
    tags(
        (name = "auth", description = "Logging in and who you are"),
        (name = "users", description = "Staff accounts"),
        (name = "health", description = "Probes for the orchestrator"),
        (name = "customers", description = "The CRM: customers, contacts, interactions, opportunities, statements"),
        (name = "quotations", description = "Priced offers with revisions, acceptance and conversion"),
        (name = "invoices", description = "Invoices, payments, credit, debit and refund notes"),
        (name = "receivables", description = "What customers owe, by how late"),
        (name = "pipeline", description = "The sales pipeline"),
        (name = "equipment", description = "Rental units: rate cards, calibration, custody, availability"),
        (name = "rentals", description = "Rentals: reservations, check-out and check-in, deposits, late fees, overdue units"),
        (name = "purchasing", description = "Suppliers, purchase orders, goods receipts, delivery variance, supplier performance"),
        (name = "delivery-orders", description = "Delivery orders: dispatch, signature links for the customer's phone, signatures and refusals"),
        (name = "signature-page", description = "The public page a customer signs on, opened from a signature link (HTML, no login)"),
        (name = "lhdn", description = "LHDN MyInvois: each issued document's e-invoice status, problems and validation link"),
        (name = "documents", description = "Stored documents: signature images, kept seven years"),
        (name = "admin", description = "How the service itself is doing"),
    )
)]
pub struct ApiDoc;

struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let http = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .bearer_format("JWT")
            .build();
        components.add_security_scheme(BEARER, SecurityScheme::Http(http));
    }
}

/// `GET /openapi.json` and `GET /docs` for the assembled document.
pub(crate) fn docs<S>(api: utoipa::openapi::OpenApi) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    SwaggerUi::new("/docs").url("/openapi.json", api).into()
}
