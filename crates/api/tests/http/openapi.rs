//! The OpenAPI document and Swagger UI.

use axum::http::StatusCode;
use niaga_store::Backend;

use crate::helpers::TestApp;

#[tokio::test]
async fn the_document_is_openapi_3_1_with_every_route() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let response = app.get("/openapi.json", None).await;
    assert_eq!(response.status, StatusCode::OK);
    let api = response.json();
    assert!(
        api["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        api["openapi"]
    );
    assert_eq!(api["info"]["title"], "Niaga API");
    for path in [
        "/auth/login",
        "/auth/me",
        "/users",
        "/healthz",
        "/readyz",
        "/suppliers",
        "/suppliers/{id}/performance",
        "/purchase-orders",
        "/purchase-orders/{id}/receipts",
        "/purchase-orders/{id}/lines/{line}/short-close",
        "/purchase-orders/{id}/variance",
        "/delivery-orders",
        "/delivery-orders/{id}/signature-links",
        "/sign/{token}",
        "/documents/{id}",
        "/invoices/{id}/issue",
        "/invoices/{id}/individual-einvoice",
        "/lhdn/documents",
    ] {
        assert!(api["paths"].get(path).is_some(), "{path} is not documented");
    }
    // Each issued document's PDFs, linked from its view.
    let schemas = &api["components"]["schemas"];
    assert!(
        schemas["DocumentLink"]["properties"]["href"].is_object(),
        "{}",
        schemas["DocumentLink"]
    );
    assert!(schemas["InvoiceView"]["properties"]["documents"].is_object());
    // Issuing says whether the buyer wants an e-invoice of their own.
    assert!(
        schemas["IssueInvoiceBody"]["properties"]["einvoice"].is_object(),
        "{}",
        schemas["IssueInvoiceBody"]
    );
    assert!(schemas["QuotationView"]["properties"]["documents"].is_object());
    assert_eq!(
        api["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    for schema in [
        "Problem",
        "FieldError",
        "CommandAccepted",
        "LoginRequest",
        "Role",
    ] {
        assert!(
            api["components"]["schemas"].get(schema).is_some(),
            "no {schema} schema"
        );
    }
    assert!(
        api["components"]["schemas"]["LoginRequest"]["example"].is_object(),
        "the login body has an example"
    );
}

#[tokio::test]
async fn swagger_ui_is_served_from_the_binary() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let redirect = app.get("/docs", None).await;
    assert!(redirect.status.is_redirection());
    assert_eq!(redirect.header("location"), "/docs/");

    let page = app.get("/docs/", None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.header("content-type").starts_with("text/html"));
    assert!(String::from_utf8_lossy(&page.body).contains("swagger"));

    let script = app.get("/docs/swagger-ui-bundle.js", None).await;
    assert_eq!(script.status, StatusCode::OK);
}
