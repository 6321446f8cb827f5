//! The API's resources. Each module owns its `router()`, request and response bodies and
//! handlers, and brings its paths and schemas to the OpenAPI document through
//! `OpenApiRouter` + `utoipa_axum::routes!`.
//!
//! To add a resource: write `http/<resource>.rs` with
//! `pub(crate) fn router() -> OpenApiRouter<AppState>`, declare it below and merge it in
//! [`routes`]. Each handler takes `CurrentUser` and calls `user.require(<ROLES>)?` first.

mod admin;
mod audit;
mod auth;
mod catch_up;
pub(crate) mod customers;
mod delivery_orders;
pub(crate) mod documents;
pub(crate) mod equipment;
mod etag;
mod events;
mod health;
pub(crate) mod invoices;
mod lhdn;
pub(crate) mod lines;
pub(crate) mod money;
mod page_cursor;
mod pipeline;
mod purchase_orders;
mod quotations;
mod receivables;
mod rentals;
mod sign;
mod suppliers;
mod users;

use utoipa_axum::router::OpenApiRouter;

use crate::app::AppState;

/// Every resource's routes. Adding a resource is one line here.
pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(health::router())
        .merge(auth::router())
        .merge(admin::router())
        .merge(audit::router())
        .merge(customers::router())
        .merge(delivery_orders::router())
        .merge(documents::router())
        .merge(equipment::router())
        .merge(events::router())
        .merge(invoices::router())
        .merge(lhdn::router())
        .merge(pipeline::router())
        .merge(purchase_orders::router())
        .merge(quotations::router())
        .merge(receivables::router())
        .merge(rentals::router())
        .merge(suppliers::router())
        .merge(sign::router())
        .merge(users::router())
}
