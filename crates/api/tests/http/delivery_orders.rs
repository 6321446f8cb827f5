//! Delivery orders through the API: made from an invoice, a quotation or a rental with the
//! source's lines, dispatched, a signature link issued and used once on the public page;
//! links expired (on the app's clock), revoked by a newer one, used and unknown all get
//! the one bland page; field errors; the token in no log line; the page's rate limit.

use std::net::SocketAddr;

use axum::{
    body::Body,
    extract::ConnectInfo,
    http::{Method, Request, StatusCode, header},
};
use chrono::TimeDelta;
use niaga_api::{AppOptions, auth::Role, signing::SigningSettings};
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

use crate::{
    customers::register,
    helpers::{TestApp, TestResponse, send_as},
};

#[track_caller]
fn succeeded(response: &TestResponse) -> Value {
    assert!(
        response.status.is_success(),
        "{}: {}",
        response.status,
        String::from_utf8_lossy(&response.body)
    );
    response.json()
}

async fn post(app: &TestApp, path: &str, body: &Value) -> TestResponse {
    send_as(app, Method::POST, path, body, Role::Warehouse, &[]).await
}

async fn get(app: &TestApp, path: &str) -> Value {
    succeeded(&app.get(path, Some(Role::Sales)).await)
}

/// A draft invoice of two lines for `customer`: its id.
async fn invoice(app: &TestApp, customer: &str) -> String {
    let myr = |amount: &str| json!({ "amount": amount, "currency": "MYR" });
    let body = json!({
        "customer_id": customer,
        "payment_terms_days": 30,
        "lines": [
            { "description": "Test weight 20 kg, class M1", "quantity": "2", "unit": "H87",
              "unit_price": myr("350.00"), "tax": { "kind": "goods_resale" } },
            { "description": "Carrying case for 20 kg weights", "quantity": "1", "unit": "H87",
              "unit_price": myr("120.00"), "tax": { "kind": "goods_resale" } }
        ]
    });
    let drafted = send_as(app, Method::POST, "/invoices", &body, Role::Finance, &[]).await;
    succeeded(&drafted)["id"].as_str().unwrap().to_owned()
}

/// A delivery order for a new customer's invoice: (delivery order id, customer id).
async fn delivery_order(app: &TestApp) -> (String, String) {
    let customer = register(app).await;
    let invoice = invoice(app, &customer).await;
    let body = json!({ "source": { "kind": "invoice", "id": invoice }, "customer_id": customer });
    let created = post(app, "/delivery-orders", &body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let id = created.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(created.header("location"), format!("/delivery-orders/{id}"));
    (id, customer)
}

async fn dispatch(app: &TestApp, id: &str) {
    let body = json!({ "driver": "Ahmad bin Ali", "vehicle": "WXY 1234" });
    succeeded(&post(app, &format!("/delivery-orders/{id}/dispatch"), &body).await);
}

/// Issues a link: (its token, the whole answer).
async fn issue_link(app: &TestApp, id: &str) -> (String, Value) {
    let issued = post(
        app,
        &format!("/delivery-orders/{id}/signature-links"),
        &json!({}),
    )
    .await;
    assert_eq!(issued.status, StatusCode::CREATED, "{:?}", issued.body);
    assert_eq!(issued.header("cache-control"), "no-store");
    let answer = issued.json();
    let url = answer["url"].as_str().unwrap();
    let token = url
        .strip_prefix("http://127.0.0.1:8080/sign/")
        .unwrap_or_else(|| panic!("{url}"))
        .to_owned();
    (token, answer)
}

/// A request to the public page from a phone at 10.1.2.3.
fn public(method: Method, path: &str, form: Option<&[(&str, &str)]>) -> Request<Body> {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::USER_AGENT, "Mozilla/5.0 (Linux; Android 14) Mobile");
    let body = match form {
        Some(fields) => {
            request = request.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
            Body::from(urlencode(fields))
        }
        None => Body::empty(),
    };
    let mut request = request.body(body).unwrap();
    let peer: SocketAddr = "10.1.2.3:55000".parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(peer));
    request
}

fn urlencode(fields: &[(&str, &str)]) -> String {
    let encode = |text: &str| {
        text.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                    char::from(b).to_string()
                }
                b' ' => "+".to_owned(),
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

async fn open_page(app: &TestApp, token: &str) -> TestResponse {
    app.send(public(Method::GET, &format!("/sign/{token}"), None))
        .await
}

fn text(response: &TestResponse) -> String {
    String::from_utf8(response.body.to_vec()).unwrap()
}

/// The digest of what the page shows (its delivery order PDF), as the page carries it.
fn shown_digest(page: &str) -> String {
    let marker = "name=\"shown_sha256\" value=\"";
    let at = page.find(marker).unwrap() + marker.len();
    page[at..at + 64].to_owned()
}

/// A 60×20 PNG: transparent, with a dark stroke across unless `blank`.
fn signature_png(blank: bool) -> Vec<u8> {
    let (width, height) = (60u32, 20u32);
    let mut pixels = vec![0u8; (width * height * 4) as usize];
    if !blank {
        for x in 5..55 {
            let at = ((10 * width + x) * 4) as usize;
            pixels[at..at + 4].copy_from_slice(&[13, 27, 94, 255]);
        }
    }
    let mut png = Vec::new();
    let mut encoder = png::Encoder::new(&mut png, width, height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().unwrap();
    writer.write_image_data(&pixels).unwrap();
    writer.finish().unwrap();
    png
}

fn data_url(png: &[u8]) -> String {
    use base64::Engine as _;
    format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(png)
    )
}

async fn sign(app: &TestApp, token: &str, name: &str, png: &[u8], shown: &str) -> TestResponse {
    let signature = data_url(png);
    let form = [
        ("action", "sign"),
        ("name", name),
        ("signature", signature.as_str()),
        ("shown_sha256", shown),
    ];
    app.send(public(Method::POST, &format!("/sign/{token}"), Some(&form)))
        .await
}

#[track_caller]
fn assert_bland(response: &TestResponse) {
    assert_eq!(response.status, StatusCode::NOT_FOUND, "{}", text(response));
    assert_eq!(response.header("content-type"), "text/html; charset=utf-8");
    assert!(text(response).contains("This link cannot be used"));
}

async fn a_delivery_order_from_an_invoice_is_signed_once_through_its_link(app: TestApp) {
    let _projectors = niaga_projections::runner::spawn_all(app.state.db(), app.state.committed());
    let (id, customer) = delivery_order(&app).await;

    let view = get(&app, &format!("/delivery-orders/{id}")).await;
    assert_eq!(view["status"], "created");
    assert_eq!(view["customer_id"], customer.as_str());
    assert_eq!(view["source"]["kind"], "invoice");
    assert_eq!(view["delivery_address"]["city"], "Shah Alam", "{view}");
    let lines: Vec<_> = view["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["description"].as_str().unwrap(),
                l["quantity"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            ("Test weight 20 kg, class M1", "2"),
            ("Carrying case for 20 kg weights", "1")
        ]
    );

    // A link only once the goods are out.
    post(
        &app,
        &format!("/delivery-orders/{id}/signature-links"),
        &json!({}),
    )
    .await
    .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "not-dispatched");
    dispatch(&app, &id).await;
    let (token, issued) = issue_link(&app, &id).await;
    assert_eq!(token.len(), 64);
    let whatsapp = issued["whatsapp_url"].as_str().unwrap();
    assert!(
        whatsapp.starts_with("https://wa.me/?text=") && whatsapp.contains(&token),
        "{whatsapp}"
    );
    let expires = chrono::DateTime::parse_from_rfc3339(issued["expires_at"].as_str().unwrap())
        .unwrap()
        .with_timezone(&chrono::Utc);
    let hours = (expires - app.state.clock().now()).num_minutes();
    assert!((23 * 60..=24 * 60).contains(&hours), "{hours}");
    // The staff view never shows a token.
    let view = get(&app, &format!("/delivery-orders/{id}")).await;
    assert!(!view.to_string().contains(&token));
    assert_eq!(view["links"][0]["status"], "usable");

    let page = open_page(&app, &token).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.header("cache-control"), "no-store");
    assert_eq!(page.header("referrer-policy"), "no-referrer");
    assert!(
        page.header("content-security-policy")
            .contains("default-src 'none'")
    );
    let html = text(&page);
    assert!(
        !html.contains(&token),
        "the token is only in the address bar"
    );
    for shown in [
        "Acme",
        "Test weight 20 kg, class M1",
        "Shah Alam",
        "WXY 1234",
        &id,
    ] {
        assert!(html.contains(shown), "{shown} not on the page");
    }
    // What the signer is shown is the delivery order PDF the page links to, by its digest.
    let shown = shown_digest(&html);
    assert!(html.contains("href=\"?pdf\""), "the page offers the PDF");
    let shown_pdf = app
        .send(public(Method::GET, &format!("/sign/{token}?pdf"), None))
        .await;
    assert_eq!(shown_pdf.status, StatusCode::OK);
    assert_eq!(shown_pdf.header("content-type"), "application/pdf");
    assert_eq!(shown_pdf.header("cache-control"), "no-store");
    assert_eq!(shown, hex::encode(Sha256::digest(&shown_pdf.body)));
    let shown_text = crate::pdfs::pdf_text(&shown_pdf.body);
    assert!(
        shown_text.contains("Delivery Order") && shown_text.contains("WXY 1234"),
        "{shown_text}"
    );

    let png = signature_png(false);
    let signed = sign(&app, &token, "Siti Aminah", &png, &shown).await;
    assert_eq!(signed.status, StatusCode::OK, "{}", text(&signed));
    assert!(text(&signed).contains("Thank you, Siti Aminah"));

    let view = get(&app, &format!("/delivery-orders/{id}")).await;
    assert_eq!(view["status"], "signed");
    let signature = &view["signature"];
    assert_eq!(signature["signer_name"], "Siti Aminah");
    assert_eq!(signature["client_ip"], "10.1.2.3");
    assert_eq!(
        signature["user_agent"],
        "Mozilla/5.0 (Linux; Android 14) Mobile"
    );
    assert_eq!(
        signature["signature_image_sha256"],
        hex::encode(Sha256::digest(&png))
    );
    assert_eq!(signature["document_sha256"], shown.as_str());
    assert_eq!(view["links"][0]["status"], "used");

    // The image, as stored, to staff only.
    let document = signature["signature_image_document_id"].as_str().unwrap();
    let image = app
        .get(&format!("/documents/{document}"), Some(Role::Warehouse))
        .await;
    assert_eq!(image.status, StatusCode::OK);
    assert_eq!(image.header("content-type"), "image/png");
    assert_eq!(image.body.to_vec(), png);
    app.get(&format!("/documents/{document}"), None)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED, "unauthorized");

    // The signed delivery order's PDF: issued once signed, with the image and the evidence.
    crate::pdfs::issue_pdfs(&app, 1).await;
    let view = get(&app, &format!("/delivery-orders/{id}")).await;
    let documents = view["documents"].as_array().unwrap();
    assert_eq!(documents.len(), 1, "{view}");
    assert_eq!(documents[0]["kind"], "signed_delivery_order");
    let pdf = app
        .get(
            documents[0]["href"].as_str().unwrap(),
            Some(Role::Warehouse),
        )
        .await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(pdf.header("content-type"), "application/pdf");
    assert_eq!(
        documents[0]["sha256"],
        hex::encode(Sha256::digest(&pdf.body))
    );
    let signed_text = crate::pdfs::pdf_text(&pdf.body);
    for evidence in [
        "Signature evidence",
        "Siti Aminah",
        "10.1.2.3",
        "Android 14",
        &hex::encode(Sha256::digest(&png)),
        &shown,
    ] {
        assert!(
            signed_text.contains(evidence),
            "{evidence} not in {signed_text}"
        );
    }
    assert!(
        crate::pdfs::pdf_images(&pdf.body) >= 1,
        "the signature image is in the PDF"
    );

    // Once: the same link again, to look or to sign, is the bland page.
    assert_bland(&open_page(&app, &token).await);
    assert_bland(&sign(&app, &token, "Someone Else", &png, &shown).await);

    // The list, once the read model has the signature (the page answers no position).
    let mut listed = Value::Null;
    for _ in 0..150 {
        listed = get(&app, "/delivery-orders?status=signed").await;
        if !listed["items"].as_array().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(listed["items"][0]["id"], id.as_str());
    assert_eq!(
        listed["items"][0]["customer_name"],
        "Acme Timbang Sdn. Bhd."
    );
    assert!(listed["items"][0]["signed_at"].is_string());
    crate::rebuilds::assert_read_models_rebuild_identically(&app).await;
}

async fn used_expired_revoked_and_unknown_links_get_the_same_bland_page(app: TestApp) {
    let _projectors = niaga_projections::runner::spawn_all(app.state.db(), app.state.committed());
    let (id, _) = delivery_order(&app).await;
    dispatch(&app, &id).await;

    // A re-issued link revokes the one before it.
    let (revoked, _) = issue_link(&app, &id).await;
    let (expiring, _) = issue_link(&app, &id).await;
    let view = get(&app, &format!("/delivery-orders/{id}")).await;
    assert_eq!(view["links"][0]["status"], "revoked");
    assert_eq!(view["links"][1]["status"], "usable");
    assert_eq!(open_page(&app, &expiring).await.status, StatusCode::OK);
    let revoked_page = open_page(&app, &revoked).await;

    // Valid for 24 hours: a minute before, it opens; at 24 hours, it does not.
    app.state
        .clock()
        .advance(TimeDelta::hours(24) - TimeDelta::minutes(1));
    assert_eq!(open_page(&app, &expiring).await.status, StatusCode::OK);
    app.state.clock().advance(TimeDelta::minutes(1));
    let expired_page = open_page(&app, &expiring).await;
    let view = get(&app, &format!("/delivery-orders/{id}")).await;
    assert_eq!(view["links"][1]["status"], "expired");

    // Refused through a new link: used.
    let (used, _) = issue_link(&app, &id).await;
    let refusal = [("action", "refuse"), ("reason", "One case is dented")];
    let refused = app
        .send(public(
            Method::POST,
            &format!("/sign/{used}"),
            Some(&refusal),
        ))
        .await;
    assert_eq!(refused.status, StatusCode::OK, "{}", text(&refused));
    let used_page = open_page(&app, &used).await;
    let view = get(&app, &format!("/delivery-orders/{id}")).await;
    assert_eq!(view["refusals"][0]["reason"], "One case is dented");
    assert_eq!(view["status"], "dispatched");

    let unknown_page = open_page(&app, &"0f".repeat(32)).await;
    let malformed_page = open_page(&app, "not-a-token").await;

    for (what, page) in [
        ("revoked", &revoked_page),
        ("expired", &expired_page),
        ("used", &used_page),
        ("unknown", &unknown_page),
        ("malformed", &malformed_page),
    ] {
        assert_bland(page);
        assert_eq!(page.body, unknown_page.body, "{what}");
        // Every header but the request id, which differs per request.
        let headers = |r: &TestResponse| {
            let mut headers = r.headers.clone();
            headers.remove("x-request-id");
            format!("{headers:?}")
        };
        assert_eq!(headers(page), headers(&unknown_page), "{what}");
    }
    // Signing through a dead link is the same page too, and signs nothing.
    let png = signature_png(false);
    let posted = sign(&app, &expiring, "Siti", &png, &"00".repeat(32)).await;
    assert_bland(&posted);
    assert_eq!(posted.body, unknown_page.body);
    assert_eq!(
        get(&app, &format!("/delivery-orders/{id}")).await["status"],
        "dispatched"
    );
}

async fn a_blank_or_unnamed_signature_shows_the_page_again_and_keeps_the_link(app: TestApp) {
    let _projectors = niaga_projections::runner::spawn_all(app.state.db(), app.state.committed());
    let (id, _) = delivery_order(&app).await;
    dispatch(&app, &id).await;
    let (token, _) = issue_link(&app, &id).await;
    let shown = shown_digest(&text(&open_page(&app, &token).await));

    let blank = sign(&app, &token, "Siti Aminah", &signature_png(true), &shown).await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(&blank).contains("Please sign in the box."));
    assert!(
        text(&blank).contains("value=\"Siti Aminah\""),
        "the name is kept"
    );
    let unnamed = sign(&app, &token, " ", &signature_png(false), &shown).await;
    assert_eq!(unnamed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(&unnamed).contains("Please type your name."));
    let stale = sign(
        &app,
        &token,
        "Siti",
        &signature_png(false),
        &"ab".repeat(32),
    )
    .await;
    assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(&stale).contains("changed while the page was open"));
    let no_reason = [("action", "refuse"), ("reason", "  ")];
    let refused = app
        .send(public(
            Method::POST,
            &format!("/sign/{token}"),
            Some(&no_reason),
        ))
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);

    assert_eq!(
        get(&app, &format!("/delivery-orders/{id}")).await["status"],
        "dispatched"
    );
    let signed = sign(&app, &token, "Siti Aminah", &signature_png(false), &shown).await;
    assert_eq!(signed.status, StatusCode::OK, "{}", text(&signed));
}

async fn invalid_requests_are_field_errors(app: TestApp) {
    let customer = register(&app).await;
    let invoice = invoice(&app, &customer).await;
    let unknown = "0197a000-0000-7000-8000-0000000000ff";

    let body = json!({ "source": { "kind": "invoice", "id": unknown }, "customer_id": customer });
    let problem = post(&app, "/delivery-orders", &body)
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation");
    assert_eq!(problem["errors"][0]["pointer"], "/source/id");

    for kind in ["quotation", "rental"] {
        let body = json!({ "source": { "kind": kind, "id": unknown }, "customer_id": customer });
        let problem = post(&app, "/delivery-orders", &body)
            .await
            .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation");
        assert_eq!(problem["errors"][0]["pointer"], "/source/id", "{kind}");
    }

    let body = json!({ "source": { "kind": "invoice", "id": invoice }, "customer_id": unknown });
    let problem = post(&app, "/delivery-orders", &body)
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation");
    assert_eq!(problem["errors"][0]["pointer"], "/customer_id");

    let body = json!({
        "source": { "kind": "invoice", "id": invoice }, "customer_id": customer,
        "delivery_address": { "lines": ["Lot 5"], "city": "Shah Alam", "postcode": "4020", "state": "10" }
    });
    let problem = post(&app, "/delivery-orders", &body)
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation");
    assert_eq!(
        problem["errors"][0]["pointer"],
        "/delivery_address/postcode"
    );

    let body = json!({ "source": { "kind": "invoice", "id": invoice }, "customer_id": customer, "extra": 1 });
    post(&app, "/delivery-orders", &body)
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation");

    // The auditor reads, never writes.
    let body = json!({ "source": { "kind": "invoice", "id": invoice }, "customer_id": customer });
    send_as(
        &app,
        Method::POST,
        "/delivery-orders",
        &body,
        Role::Auditor,
        &[],
    )
    .await
    .assert_problem(StatusCode::FORBIDDEN, "forbidden");
    let id = succeeded(&post(&app, "/delivery-orders", &body).await)["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let tomorrow = niaga_domain::business_day(app.state.clock().now() + TimeDelta::days(1));
    let problem = post(
        &app,
        &format!("/delivery-orders/{id}/dispatch"),
        &json!({ "dispatched_on": tomorrow }),
    )
    .await
    .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation");
    assert_eq!(problem["errors"][0]["pointer"], "/dispatched_on");
    let problem = post(
        &app,
        &format!("/delivery-orders/{id}/dispatch"),
        &json!({ "vehicle": "A VERY LONG VEHICLE REGISTRATION" }),
    )
    .await
    .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation");
    assert_eq!(problem["errors"][0]["pointer"], "/vehicle");

    let problem = post(
        &app,
        &format!("/delivery-orders/{id}/cancel"),
        &json!({ "reason": " " }),
    )
    .await
    .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation");
    assert_eq!(problem["errors"][0]["pointer"], "/reason");
    succeeded(
        &post(
            &app,
            &format!("/delivery-orders/{id}/cancel"),
            &json!({ "reason": "Collected by the customer" }),
        )
        .await,
    );
    post(
        &app,
        &format!("/delivery-orders/{id}/signature-links"),
        &json!({}),
    )
    .await
    .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "delivery-order-cancelled");
    app.get(&format!("/delivery-orders/{unknown}"), Some(Role::Sales))
        .await
        .assert_problem(StatusCode::NOT_FOUND, "not-found");
    app.get(&format!("/documents/{unknown}"), Some(Role::Sales))
        .await
        .assert_problem(StatusCode::NOT_FOUND, "not-found");
}

async fn a_quotation_delivery_order_copies_its_lines_to_another_address(app: TestApp) {
    let customer = register(&app).await;
    let body = json!({
        "customer_id": customer,
        "validity_days": 14,
        "lines": [{ "description": "Test weight 5 kg, class F1", "quantity": "4", "unit": "H87",
                    "unit_price": { "amount": "90.00", "currency": "MYR" }, "tax": { "kind": "goods_resale" } }]
    });
    let drafted = send_as(&app, Method::POST, "/quotations", &body, Role::Sales, &[]).await;
    let quotation = succeeded(&drafted)["id"].as_str().unwrap().to_owned();
    let body = json!({
        "source": { "kind": "quotation", "id": quotation }, "customer_id": customer,
        "delivery_address": { "lines": ["Gudang 3, Jalan Perindustrian 2"], "city": "Klang",
                              "postcode": "41200", "state": "10" }
    });
    let id = succeeded(&post(&app, "/delivery-orders", &body).await)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let view = get(&app, &format!("/delivery-orders/{id}")).await;
    assert_eq!(view["source"]["kind"], "quotation");
    assert_eq!(view["delivery_address"]["city"], "Klang");
    assert_eq!(
        view["lines"][0]["description"],
        "Test weight 5 kg, class F1"
    );
    assert_eq!(view["lines"][0]["quantity"], "4");
    assert_eq!(view["lines"][0]["serials"], json!([]));
}

crate::on_both_backends!(
    a_quotation_delivery_order_copies_its_lines_to_another_address,
    a_delivery_order_from_an_invoice_is_signed_once_through_its_link,
    used_expired_revoked_and_unknown_links_get_the_same_bland_page,
    a_blank_or_unnamed_signature_shows_the_page_again_and_keeps_the_link,
    invalid_requests_are_field_errors,
);

/// The public page is limited per client address: over the limit, a "please wait" page
/// with `Retry-After`, whatever the token.
#[tokio::test]
async fn the_public_page_is_rate_limited_per_client_address() {
    let options = AppOptions {
        signing: SigningSettings {
            requests_per_minute: 3,
            ..SigningSettings::default()
        },
        ..AppOptions::default()
    };
    let app = TestApp::spawn_with(niaga_store::Backend::Sqlite, options).await;
    for _ in 0..3 {
        assert_bland(&open_page(&app, &"0f".repeat(32)).await);
    }
    let limited = open_page(&app, &"0f".repeat(32)).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.header("retry-after").parse::<u64>().unwrap() > 0);
    assert_eq!(limited.header("content-type"), "text/html; charset=utf-8");
}

/// Every log line of requests to the signature page, with the token in its path, down to
/// `trace` for the API and the HTTP layers: none holds the token (or its digest); the route
/// is logged as its template, redacted.
#[tokio::test]
async fn no_log_line_holds_a_signature_token() {
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .json()
        .with_current_span(true)
        .with_span_list(true)
        .with_env_filter("info,niaga_api=trace,tower_http=trace")
        .with_writer(move || writer.clone())
        .finish();
    // Global, not scoped to this thread: the other tests of this binary, running on other
    // threads without a subscriber, would otherwise leave callsites cached as uninteresting.
    // Their lines land here too, which only widens the check. Under `TEST_LOG` a global
    // subscriber exists already and this test checks nothing.
    if tracing::subscriber::set_global_default(subscriber).is_err() {
        return;
    }

    let app = TestApp::spawn(niaga_store::Backend::Sqlite).await;
    let _projectors = niaga_projections::runner::spawn_all(app.state.db(), app.state.committed());
    let (id, _) = delivery_order(&app).await;
    dispatch(&app, &id).await;
    let (token, _) = issue_link(&app, &id).await;
    let shown = shown_digest(&text(&open_page(&app, &token).await));
    sign(&app, &token, "Siti Aminah", &signature_png(false), &shown).await;
    assert_bland(&open_page(&app, &token).await);
    app.send(public(Method::PUT, &format!("/sign/{token}"), None))
        .await;

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    // The requests to the page were logged, under the route template.
    let routes: std::collections::BTreeSet<_> = logs
        .lines()
        .filter_map(|l| l.split("\"route\":\"").nth(1))
        .filter_map(|r| r.split('"').next())
        .collect();
    assert!(
        routes.contains("/sign/[redacted]"),
        "{routes:?} {}",
        logs.lines().count()
    );
    assert!(!logs.contains(&token), "a token in the logs");
    let digest = hex::encode(Sha256::digest(token.as_bytes()));
    assert!(!logs.contains(&digest), "a token's digest in the logs");
}
