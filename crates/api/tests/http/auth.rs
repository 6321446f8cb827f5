//! Logging in, tokens, and role checks.

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use jsonwebtoken::{EncodingKey, Header};
use niaga_api::auth::Role;
use serde_json::json;

use crate::helpers::{JWT_KEY, PASSWORD, TestApp, bearer, email};

crate::on_both_backends!(
    logging_in_gives_a_bearer_token_for_the_user,
    a_wrong_password_and_an_unknown_email_get_the_same_401,
    a_token_of_another_key_is_refused,
    an_expired_token_is_refused,
);

async fn logging_in_gives_a_bearer_token_for_the_user(app: TestApp) {
    let response = app.login("  FINANCE@niaga.test ", PASSWORD).await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.header("cache-control"), "no-store");
    let body = response.json();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);

    let token = body["access_token"].as_str().unwrap();
    let me = app
        .send(
            Request::get("/auth/me")
                .header(header::AUTHORIZATION, bearer(token))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(me.status, StatusCode::OK);
    let me = me.json();
    assert_eq!(me["email"], email(Role::Finance));
    assert_eq!(me["role"], "finance");
    assert_eq!(me["id"], app.users[&Role::Finance].to_string());
}

async fn a_wrong_password_and_an_unknown_email_get_the_same_401(app: TestApp) {
    let wrong_password = app
        .login(&email(Role::Admin), "not the password at all")
        .await;
    let problem = wrong_password.assert_problem(StatusCode::UNAUTHORIZED, "invalid-credentials");
    assert_eq!(problem["instance"], "/auth/login");
    assert!(
        wrong_password
            .header("www-authenticate")
            .starts_with("Bearer")
    );

    let unknown_email = app.login("nobody@niaga.test", PASSWORD).await;
    let malformed_email = app.login("nobody", PASSWORD).await;
    assert_eq!(unknown_email.body, wrong_password.body);
    assert_eq!(malformed_email.body, wrong_password.body);
}

async fn a_token_of_another_key_is_refused(app: TestApp) {
    let claims = json!({
        "sub": app.users[&Role::Admin], "role": "admin",
        "iat": chrono::Utc::now().timestamp(), "exp": chrono::Utc::now().timestamp() + 600,
    });
    let forged = jsonwebtoken::encode(
        &Header::default(),
        &claims,
        &EncodingKey::from_secret(&[7; 32]),
    )
    .unwrap();
    let response = get_with_token(&app, "/auth/me", &forged).await;
    response.assert_problem(StatusCode::UNAUTHORIZED, "unauthorized");
}

async fn an_expired_token_is_refused(app: TestApp) {
    let now = chrono::Utc::now().timestamp();
    let claims = json!({
        "sub": app.users[&Role::Admin], "role": "admin", "iat": now - 1000, "exp": now - 100,
    });
    let expired = jsonwebtoken::encode(
        &Header::default(),
        &claims,
        &EncodingKey::from_secret(&JWT_KEY),
    )
    .unwrap();
    let response = get_with_token(&app, "/auth/me", &expired).await;
    response.assert_problem(StatusCode::UNAUTHORIZED, "unauthorized");
}

async fn get_with_token(app: &TestApp, path: &str, token: &str) -> crate::helpers::TestResponse {
    app.send(
        Request::get(path)
            .header(header::AUTHORIZATION, bearer(token))
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn no_token_is_401_with_www_authenticate() {
    let app = TestApp::spawn(niaga_store::Backend::Sqlite).await;
    for request in [
        Request::get("/auth/me").body(Body::empty()).unwrap(),
        Request::get("/auth/me")
            .header(header::AUTHORIZATION, "Basic YWRtaW46YWRtaW4=")
            .body(Body::empty())
            .unwrap(),
        Request::get("/auth/me")
            .header(header::AUTHORIZATION, "Bearer not-a-jwt")
            .body(Body::empty())
            .unwrap(),
    ] {
        let response = app.send(request).await;
        response.assert_problem(StatusCode::UNAUTHORIZED, "unauthorized");
        assert_eq!(
            response.header("www-authenticate"),
            "Bearer realm=\"niaga\""
        );
    }
}

/// Every route in the OpenAPI document that declares a security requirement refuses a
/// request without a token: a handler that forgot `CurrentUser` fails here.
#[tokio::test]
async fn every_protected_route_needs_a_token() {
    let app = TestApp::spawn(niaga_store::Backend::Sqlite).await;
    let api = app.get("/openapi.json", None).await.json();
    let mut checked = 0;
    for (path, item) in api["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let public = operation["security"]
                .as_array()
                .is_some_and(|requirements| requirements.iter().any(|r| r == &json!({})));
            if public {
                continue;
            }
            // Path parameters get a syntactically valid value (ids are UUIDs).
            let path = path
                .split('/')
                .map(|segment| {
                    if segment.starts_with('{') {
                        uuid::Uuid::now_v7().to_string()
                    } else {
                        segment.to_owned()
                    }
                })
                .collect::<Vec<_>>()
                .join("/");
            let request = Request::builder()
                .method(method.to_uppercase().as_str())
                .uri(&path)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{}"))
                .unwrap();
            let response = app.send(request).await;
            assert_eq!(
                response.status,
                StatusCode::UNAUTHORIZED,
                "{method} {path} answers without a token"
            );
            checked += 1;
        }
    }
    assert!(checked >= 2, "only {checked} protected routes found");
}
