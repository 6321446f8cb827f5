//! Niaga's HTTP API and the `niaga` binary's commands.
//!
//! [`app::app`] builds the router from an [`app::AppState`]; resource modules live in
//! `http/` and use the shared pieces: [`extract`] (`Json`, `Path`, `Query`), [`auth`]
//! (`CurrentUser`, roles), [`command`] (`CommandMeta`, `CommandAccepted`) and [`error`]
//! (`ApiError`, `Validator`).

pub mod accounts;
pub mod app;
pub mod auth;
pub mod cli;
pub mod clock;
pub mod command;
pub mod company;
pub mod config;
pub mod error;
pub mod extract;
mod http;
pub mod lhdn_cli;
pub mod openapi;
pub mod pdfs;
mod problem;
pub mod purchasing_policy;
mod rate_limit;
pub mod rental_policy;
pub mod secret;
pub mod serve;
pub mod signing;
pub mod telemetry;
pub mod users;
mod validate;

pub use app::{AppOptions, AppState, app};
pub use error::{ApiError, Result};
