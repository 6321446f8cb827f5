//! Probes.

use axum::http::StatusCode;

use crate::helpers::TestApp;

crate::on_both_backends!(probes_answer_200_on_a_migrated_database);

async fn probes_answer_200_on_a_migrated_database(app: TestApp) {
    assert_eq!(app.get("/healthz", None).await.status, StatusCode::OK);
    assert_eq!(app.get("/readyz", None).await.status, StatusCode::OK);
}

#[tokio::test]
async fn readyz_is_503_problem_when_the_database_is_gone() {
    let app = TestApp::spawn(niaga_store::Backend::Sqlite).await;
    app.state.db().close().await;
    assert_eq!(app.get("/healthz", None).await.status, StatusCode::OK);
    let response = app.get("/readyz", None).await;
    response.assert_problem(StatusCode::SERVICE_UNAVAILABLE, "service-unavailable");
}
