//! Get Submission, raw, recent, search, taxpayer TINs, document types and notifications.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{
    BUYER_TIN, Harness, SUPPLIER_TIN, replace, signed_invoice, signed_invoice_numbered,
};

async fn json(response: reqwest::Response) -> Value {
    response.json().await.unwrap()
}

#[tokio::test]
async fn get_submission_pages_and_only_the_submitter_reads_it() {
    let h = Harness::start().await;
    let token = h.token("supplier").await;
    let a = signed_invoice();
    let b = signed_invoice_numbered("INV-2026-000124");
    let c = signed_invoice_numbered("INV-2026-000125");
    let accepted = h
        .submit(
            &token,
            &[
                (&a, "INV-2026-000123"),
                (&b, "INV-2026-000124"),
                (&c, "INV-2026-000125"),
            ],
        )
        .await;
    let uid = accepted["submissionUid"].as_str().unwrap();
    h.wait(&token, uid).await;
    let page = json(
        h.get(
            &token,
            &format!("/api/v1.0/documentsubmissions/{uid}?pageNo=2&pageSize=2"),
        )
        .await,
    )
    .await;
    assert_eq!(page["documentCount"], 3);
    assert_eq!(page["documentSummary"].as_array().unwrap().len(), 1);
    assert_eq!(page["documentSummary"][0]["internalId"], "INV-2026-000125");
    let response = h
        .get(
            &token,
            &format!("/api/v1.0/documentsubmissions/{uid}?pageSize=101"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let buyer = h.token("buyer").await;
    let response = h
        .get(&buyer, &format!("/api/v1.0/documentsubmissions/{uid}"))
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = h
        .get(
            &token,
            "/api/v1.0/documentsubmissions/NOSUCHSUBMISSION0000000010",
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn raw_returns_the_submitted_document_but_never_an_invalid_one() {
    let h = Harness::start().await;
    let supplier = h.token("supplier").await;
    let buyer = h.token("buyer").await;
    let invoice = signed_invoice();
    let (uuid, _) = h
        .submit_and_wait(&supplier, &invoice, "INV-2026-000123")
        .await;
    for token in [&supplier, &buyer] {
        let raw = json(
            h.get(token, &format!("/api/v1.0/documents/{uuid}/raw"))
                .await,
        )
        .await;
        assert_eq!(
            raw["document"].as_str().unwrap().as_bytes(),
            invoice.as_slice()
        );
        assert_eq!(raw["status"], "Valid");
    }
    let broken = replace(
        &signed_invoice_numbered("INV-2026-000300"),
        "Klang",
        "Kelang",
    );
    let (invalid, _) = h
        .submit_and_wait(&supplier, &broken, "INV-2026-000300")
        .await;
    let response = h
        .get(&supplier, &format!("/api/v1.0/documents/{invalid}/raw"))
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    // The receiver does not see the invalid document at all; the issuer sees its details.
    let response = h
        .get(&buyer, &format!("/api/v1.0/documents/{invalid}/details"))
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(h.details(&supplier, &invalid).await["status"], "Invalid");
}

#[tokio::test]
async fn recent_and_search_filter_by_direction_status_and_dates() {
    let h = Harness::start().await;
    let supplier = h.token("supplier").await;
    let buyer = h.token("buyer").await;
    let uuid = h.valid_invoice(&supplier).await;

    let sent = json(
        h.get(
            &supplier,
            "/api/v1.0/documents/recent?InvoiceDirection=Sent",
        )
        .await,
    )
    .await;
    assert_eq!(sent["metadata"]["totalCount"], 1);
    let item = &sent["result"][0];
    assert_eq!(item["uuid"], uuid);
    assert_eq!(item["supplierTin"], SUPPLIER_TIN);
    assert_eq!(item["buyerTin"], BUYER_TIN);
    assert_eq!(item["total"], 1532.5);
    assert_eq!(item["submissionChannel"], "ERP");
    assert!(item.get("totalSales").is_some() && item.get("netAmount").is_some());
    let received = json(
        h.get(
            &supplier,
            "/api/v1.0/documents/recent?InvoiceDirection=Received",
        )
        .await,
    )
    .await;
    assert_eq!(received["metadata"]["totalCount"], 0);
    let for_buyer = json(
        h.get(
            &buyer,
            "/api/v1.0/documents/recent?InvoiceDirection=Received&status=Valid",
        )
        .await,
    )
    .await;
    assert_eq!(for_buyer["metadata"]["totalCount"], 1);
    // Receiver filters are for sent documents only.
    let response = h
        .get(
            &supplier,
            &format!(
                "/api/v1.0/documents/recent?InvoiceDirection=Received&receiverTin={BUYER_TIN}"
            ),
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    let response = h.get(&supplier, "/api/v1.0/documents/search").await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let response = h
        .get(&supplier, "/api/v1.0/documents/search?submissionDateFrom=2026-05-01T00:00:00Z&submissionDateTo=2026-06-10T00:00:00Z")
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let found = json(
        h.get(&supplier, "/api/v1.0/documents/search?submissionDateFrom=2026-06-01T00:00:00Z&submissionDateTo=2026-06-30T00:00:00Z&searchQuery=Maju")
            .await,
    )
    .await;
    assert_eq!(found["metadata"]["totalCount"], 1);
    let response = h
        .get(&supplier, "/api/v1.0/documents/search?issueDateFrom=2026-06-01&issueDateTo=2026-06-02&searchQuery=a%3Bb")
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn taxpayer_tins_validate_and_search() {
    let h = Harness::start().await;
    let token = h.token("supplier").await;
    let response = h
        .get(
            &token,
            &format!("/api/v1.0/taxpayer/validate/{BUYER_TIN}?idType=BRN&idValue=201901034567"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.bytes().await.unwrap().is_empty());
    let response = h
        .get(
            &token,
            &format!("/api/v1.0/taxpayer/validate/{BUYER_TIN}?idType=BRN&idValue=201901099999"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = h
        .get(
            &token,
            "/api/v1.0/taxpayer/validate/XYZ?idType=BRN&idValue=1",
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let response = h
        .get(
            &token,
            &format!("/api/v1.0/taxpayer/validate/{BUYER_TIN}?idType=SSM&idValue=1"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    let found = json(
        h.get(
            &token,
            "/api/v1.0/taxpayer/search/tin?idType=BRN&idValue=201901034567",
        )
        .await,
    )
    .await;
    assert_eq!(found["tin"], BUYER_TIN);
    let found = json(
        h.get(
            &token,
            "/api/v1.0/taxpayer/search/tin?taxpayerName=Ahmad%20bin%20Ali&fileType=1",
        )
        .await,
    )
    .await;
    assert_eq!(found["tin"], "IG12345678910");
    let response = h
        .get(&token, "/api/v1.0/taxpayer/search/tin?taxpayerName=Nobody")
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = h.get(&token, "/api/v1.0/taxpayer/search/tin").await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn document_types_carry_the_72_hour_workflow_and_notifications_are_empty() {
    let h = Harness::start().await;
    let token = h.token("supplier").await;
    let types = json(h.get(&token, "/api/v1.0/documenttypes").await).await;
    assert_eq!(types["result"].as_array().unwrap().len(), 8);
    let invoice = json(h.get(&token, "/api/v1.0/documenttypes/1").await).await;
    assert_eq!(invoice["invoiceTypeCode"], 1);
    let parameters = invoice["workflowParameters"].as_array().unwrap();
    assert!(parameters.iter().all(|p| p["value"] == 72));
    assert_eq!(parameters.len(), 3);
    let notifications = json(
        h.get(&token, "/api/v1.0/notifications/taxpayer?pageSize=10")
            .await,
    )
    .await;
    assert_eq!(notifications["result"], serde_json::json!([]));
    let response = h.get(&token, "/api/v1.0/nothing-here").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}
