//! Malformed requests get problem+json answers, never axum's plain text.

use axum::{
    body::Body,
    http::{Method, Request, StatusCode, header},
};
use niaga_api::extract::MAX_BODY_BYTES;
use niaga_store::Backend;
use serde_json::json;

use crate::helpers::{PASSWORD, TestApp, json_request};

async fn app() -> TestApp {
    TestApp::spawn(Backend::Sqlite).await
}

#[tokio::test]
async fn malformed_json_is_400_naming_line_and_column() {
    let app = app().await;
    let request = Request::post("/auth/login")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            "{\n  \"email\": \"a@b.my\",\n  \"password\" \"x\"\n}",
        ))
        .unwrap();
    let response = app.send(request).await;
    let problem = response.assert_problem(StatusCode::BAD_REQUEST, "bad-request");
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.contains("line 3"), "{detail}");
    assert!(detail.contains("column"), "{detail}");
}

#[tokio::test]
async fn a_body_that_is_not_json_is_415() {
    let app = app().await;
    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        None,
    ] {
        let mut request = Request::post("/auth/login");
        if let Some(content_type) = content_type {
            request = request.header(header::CONTENT_TYPE, content_type);
        }
        let response = app
            .send(
                request
                    .body(Body::from(r#"{"email":"a@b.my","password":"x"}"#))
                    .unwrap(),
            )
            .await;
        response.assert_problem(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type");
    }
}

#[tokio::test]
async fn an_unknown_field_is_422_pointing_at_it() {
    let app = app().await;
    let body = json!({"email": "a@b.my", "password": PASSWORD, "remember_me": true});
    let response = app.post("/auth/login", &body, None).await;
    let problem = response.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation");
    assert_eq!(problem["errors"][0]["pointer"], "/remember_me");
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("unknown field `remember_me`"),
        "{problem}"
    );
}

#[tokio::test]
async fn a_wrong_type_is_422_pointing_at_it() {
    let app = app().await;
    let body = json!({"email": ["a@b.my"], "password": PASSWORD});
    let response = app.post("/auth/login", &body, None).await;
    let problem = response.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation");
    assert_eq!(problem["errors"][0]["pointer"], "/email");
}

#[tokio::test]
async fn an_oversized_body_is_413() {
    let app = app().await;
    let padding = "x".repeat(MAX_BODY_BYTES + 1);
    let body = json!({"email": "a@b.my", "password": padding});
    let response = app.post("/auth/login", &body, None).await;
    response.assert_problem(StatusCode::PAYLOAD_TOO_LARGE, "payload-too-large");
}

#[tokio::test]
async fn an_unknown_route_is_404_problem() {
    let app = app().await;
    let response = app.get("/no/such/route?q=secret", None).await;
    let problem = response.assert_problem(StatusCode::NOT_FOUND, "not-found");
    // The path, never the query string.
    assert_eq!(problem["instance"], "/no/such/route");
}

#[tokio::test]
async fn a_wrong_method_is_405_problem_with_allow() {
    let app = app().await;
    let response = app
        .send(json_request(
            Method::DELETE,
            "/auth/login",
            &json!({}),
            None,
        ))
        .await;
    response.assert_problem(StatusCode::METHOD_NOT_ALLOWED, "method-not-allowed");
    assert_eq!(response.header("allow"), "POST");
}

#[tokio::test]
async fn a_request_id_is_echoed_or_made() {
    let app = app().await;
    let id = uuid::Uuid::now_v7().to_string();
    let response = app
        .send(
            Request::get("/healthz")
                .header("x-request-id", &id)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(response.header("x-request-id"), id);

    let response = app
        .send(
            Request::get("/healthz")
                .header("x-request-id", "<script>")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    let made = response.header("x-request-id");
    assert!(uuid::Uuid::parse_str(made).is_ok(), "{made}");
}
