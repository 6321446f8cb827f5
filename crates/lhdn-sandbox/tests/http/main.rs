//! lhdn-sandbox through real HTTP: one sandbox per test, reqwest as the client.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../../lhdn/tests/common/mod.rs"]
mod common;
mod helpers;

mod auth;
mod faults;
mod lifecycle;
mod persistence;
mod queries;
mod submission;
mod validation;
