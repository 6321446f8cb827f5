//! `POST /users`: admin only, duplicates refused, retries safe.

use axum::http::StatusCode;
use niaga_api::auth::Role;
use serde_json::json;

use crate::helpers::TestApp;

crate::on_both_backends!(
    an_admin_adds_a_user_who_can_then_log_in,
    an_auditor_may_not_add_users,
    a_duplicate_email_is_409_and_a_retry_is_201,
);

async fn an_admin_adds_a_user_who_can_then_log_in(app: TestApp) {
    let body = json!({"email": "Aminah@Syarikat.com.my", "password": "teh tarik kurang manis", "role": "sales"});
    let response = app.post("/users", &body, Some(Role::Admin)).await;
    assert_eq!(response.status, StatusCode::CREATED, "{:?}", response.body);
    let user = response.json();
    assert_eq!(user["email"], "aminah@syarikat.com.my");
    assert_eq!(user["role"], "sales");
    assert_eq!(
        response.header("location"),
        format!("/users/{}", user["id"].as_str().unwrap())
    );
    assert!(user.get("password").is_none() && user.get("password_hash").is_none());

    let login = app
        .login("aminah@syarikat.com.my", "teh tarik kurang manis")
        .await;
    assert_eq!(login.status, StatusCode::OK);
}

async fn an_auditor_may_not_add_users(app: TestApp) {
    let body = json!({"email": "x@syarikat.com.my", "password": "teh tarik kurang manis", "role": "admin"});
    for role in [Role::Auditor, Role::Sales] {
        let response = app.post("/users", &body, Some(role)).await;
        response.assert_problem(StatusCode::FORBIDDEN, "forbidden");
    }
    let response = app.post("/users", &body, None).await;
    response.assert_problem(StatusCode::UNAUTHORIZED, "unauthorized");
}

async fn a_duplicate_email_is_409_and_a_retry_is_201(app: TestApp) {
    let id = uuid::Uuid::now_v7();
    let body = json!({"id": id, "email": "ali@syarikat.com.my", "password": "nasi lemak bungkus", "role": "warehouse"});
    let first = app.post("/users", &body, Some(Role::Admin)).await;
    assert_eq!(first.status, StatusCode::CREATED);

    let retry = app.post("/users", &body, Some(Role::Admin)).await;
    assert_eq!(retry.status, StatusCode::CREATED);
    assert_eq!(retry.body, first.body);

    let other_password = json!({"id": id, "email": "ali@syarikat.com.my", "password": "nasi lemak tambah", "role": "warehouse"});
    let response = app.post("/users", &other_password, Some(Role::Admin)).await;
    response.assert_problem(StatusCode::CONFLICT, "conflict");

    let same_email =
        json!({"email": "ALI@syarikat.com.my", "password": "nasi lemak bungkus", "role": "sales"});
    let response = app.post("/users", &same_email, Some(Role::Admin)).await;
    let problem = response.assert_problem(StatusCode::CONFLICT, "conflict");
    assert!(
        problem["detail"].as_str().unwrap().contains("email"),
        "{problem}"
    );
}

#[tokio::test]
async fn an_invalid_email_and_a_short_password_are_reported_together() {
    let app = TestApp::spawn(niaga_store::Backend::Sqlite).await;
    let body = json!({"email": "not an email", "password": "short", "role": "sales"});
    let response = app.post("/users", &body, Some(Role::Admin)).await;
    let problem = response.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation");
    let pointers: Vec<_> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|error| error["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(pointers, ["/email", "/password"]);
}

#[tokio::test]
async fn an_unknown_role_is_422_pointing_at_it() {
    let app = TestApp::spawn(niaga_store::Backend::Sqlite).await;
    let body =
        json!({"email": "x@syarikat.com.my", "password": "teh tarik kurang manis", "role": "root"});
    let response = app.post("/users", &body, Some(Role::Admin)).await;
    let problem = response.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation");
    assert_eq!(problem["errors"][0]["pointer"], "/role");
}
