//! The signature page in a real browser: Debian's headless Chromium at a phone's viewport
//! (390×844, touch), driven over the DevTools protocol (chromiumoxide, no download). The app
//! is served for real on 127.0.0.1 at a random port. A finger and then a mouse draw on the
//! pad, a name is typed, the form submitted; the delivery order is then signed, the stored
//! PNG has ink on it, and the same link shows the bland page. A screenshot of the page is
//! kept under `$CARGO_TARGET_DIR/artefacts/signature-page.png` (or `target/artefacts`).
//!
//! `scripts/test.sh` installs `chromium` when it is missing. Set `NIAGA_CHROMIUM` to use
//! another binary.

use std::{net::SocketAddr, path::PathBuf, time::Duration};

use axum::http::{Method, StatusCode};
use chromiumoxide::{
    Browser, BrowserConfig, Page,
    cdp::browser_protocol::input::{
        DispatchMouseEventParams, DispatchMouseEventType, DispatchTouchEventParams,
        DispatchTouchEventType, MouseButton, TouchPoint,
    },
    handler::viewport::Viewport,
    page::ScreenshotParams,
};
use futures::StreamExt as _;
use niaga_api::{AppOptions, app as router, auth::Role, signing::SigningSettings};
use niaga_documents::DocumentKey;
use serde_json::{Value, json};
use tokio::net::TcpListener;

use crate::{
    customers::register,
    helpers::{TestApp, send_as},
};

fn chromium() -> PathBuf {
    std::env::var_os("NIAGA_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

fn artefacts() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let dir = target.join("artefacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn ok(app: &TestApp, path: &str, body: &Value, role: Role) -> Value {
    let response = send_as(app, Method::POST, path, body, role, &[]).await;
    assert!(
        response.status.is_success(),
        "{path}: {} {}",
        response.status,
        String::from_utf8_lossy(&response.body)
    );
    response.json()
}

/// How many pixels of the pad have ink, read in the page.
async fn inked(page: &Page) -> u64 {
    let script = "(() => { const c = document.getElementById('pad'); \
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; \
        let n = 0; for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) n++; } return n; })()";
    page.evaluate(script)
        .await
        .unwrap()
        .into_value::<u64>()
        .unwrap()
}

/// A stroke with a finger across the pad: touch start, moves, end.
async fn touch_stroke(page: &Page, points: &[(f64, f64)]) {
    let touch = |kind: DispatchTouchEventType, (x, y): (f64, f64)| {
        DispatchTouchEventParams::builder()
            .r#type(kind)
            .touch_point(TouchPoint::new(x, y))
            .build()
            .unwrap()
    };
    page.execute(touch(DispatchTouchEventType::TouchStart, points[0]))
        .await
        .unwrap();
    for point in &points[1..] {
        page.execute(touch(DispatchTouchEventType::TouchMove, *point))
            .await
            .unwrap();
    }
    page.execute(TouchEnd::default()).await.unwrap();
}

/// `Input.dispatchTouchEvent` of type `touchEnd`, which must carry an empty `touchPoints`:
/// chromiumoxide's generated params leave an empty list out, which Chromium refuses.
#[derive(Debug, Default, serde::Serialize)]
struct TouchEnd {
    r#type: TouchEndType,
    #[serde(rename = "touchPoints")]
    touch_points: [u8; 0],
}

#[derive(Debug, Default, serde::Serialize)]
enum TouchEndType {
    #[default]
    #[serde(rename = "touchEnd")]
    TouchEnd,
}

impl chromiumoxide::Method for TouchEnd {
    fn identifier(&self) -> chromiumoxide::types::MethodId {
        "Input.dispatchTouchEvent".into()
    }
}

impl chromiumoxide::Command for TouchEnd {
    type Response = chromiumoxide::cdp::browser_protocol::input::DispatchTouchEventReturns;
}

/// A stroke with the mouse: press, moves, release.
async fn mouse_stroke(page: &Page, points: &[(f64, f64)]) {
    let mouse = |kind: DispatchMouseEventType, (x, y): (f64, f64)| {
        DispatchMouseEventParams::builder()
            .r#type(kind)
            .x(x)
            .y(y)
            .button(MouseButton::Left)
            .buttons(1)
            .click_count(1)
            .build()
            .unwrap()
    };
    page.execute(mouse(DispatchMouseEventType::MousePressed, points[0]))
        .await
        .unwrap();
    for point in &points[1..] {
        page.execute(mouse(DispatchMouseEventType::MouseMoved, *point))
            .await
            .unwrap();
    }
    page.execute(mouse(
        DispatchMouseEventType::MouseReleased,
        points[points.len() - 1],
    ))
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delivery_order_is_signed_on_a_phone_sized_browser_once() {
    let executable = chromium();
    assert!(
        executable.exists(),
        "{} is missing: run scripts/test.sh (it installs Debian's chromium) or set NIAGA_CHROMIUM",
        executable.display()
    );

    // The real app on a random port, its links pointing at it.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let options = AppOptions {
        signing: SigningSettings {
            public_base_url: format!("http://{address}"),
            ..SigningSettings::default()
        },
        ..AppOptions::default()
    };
    let app = TestApp::spawn_with(niaga_store::Backend::Sqlite, options).await;
    let _projectors = niaga_projections::runner::spawn_all(app.state.db(), app.state.committed());
    let server = tokio::spawn(
        axum::serve(
            listener,
            router(app.state.clone()).into_make_service_with_connect_info::<SocketAddr>(),
        )
        .into_future(),
    );

    // A rental's delivery order this time: units with serials.
    let customer = register(&app).await;
    let myr = |a: &str| json!({ "amount": a, "currency": "MYR" });
    let today = niaga_domain::business_day(chrono::Utc::now());
    let unit = ok(
        &app,
        "/equipment",
        &json!({ "serial": "TW-0042", "class": "M1", "nominal_mass": "20 kg",
                 "rate_card": { "per_day": myr("25.00"), "per_week": myr("120.00"), "per_month": myr("400.00") } }),
        Role::Warehouse,
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    ok(
        &app,
        &format!("/equipment/{unit}/calibrations"),
        &json!({ "certificate": "SIRIM-TW-0042", "calibrated_on": today - chrono::Days::new(30),
                 "due_on": today + chrono::Days::new(335) }),
        Role::Warehouse,
    )
    .await;
    let rental = ok(
        &app,
        "/rentals",
        &json!({ "customer_id": customer, "unit_ids": [unit], "start_on": today,
                 "expected_return_on": today + chrono::Days::new(7) }),
        Role::Warehouse,
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let id = ok(
        &app,
        "/delivery-orders",
        &json!({ "source": { "kind": "rental", "id": rental }, "customer_id": customer }),
        Role::Warehouse,
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    ok(
        &app,
        &format!("/delivery-orders/{id}/dispatch"),
        &json!({ "driver": "Ahmad bin Ali", "vehicle": "WXY 1234" }),
        Role::Warehouse,
    )
    .await;
    let link = ok(
        &app,
        &format!("/delivery-orders/{id}/signature-links"),
        &json!({}),
        Role::Warehouse,
    )
    .await;
    let url = link["url"].as_str().unwrap().to_owned();
    assert!(url.starts_with(&format!("http://{address}/sign/")), "{url}");

    let profile = tempfile::tempdir().unwrap();
    let config = BrowserConfig::builder()
        .chrome_executable(&executable)
        .no_sandbox()
        .new_headless_mode()
        .user_data_dir(profile.path())
        .viewport(Viewport {
            width: 390,
            height: 844,
            device_scale_factor: Some(3.0),
            emulating_mobile: true,
            is_landscape: false,
            has_touch: true,
        })
        .window_size(390, 844)
        .args([
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-dev-shm-usage",
        ])
        .launch_timeout(Duration::from_secs(60))
        .request_timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let (mut browser, mut handler) = Browser::launch(config).await.unwrap();
    let events = tokio::spawn(async move { while handler.next().await.is_some() {} });

    let page = browser.new_page(url.as_str()).await.unwrap();
    page.wait_for_navigation().await.unwrap();
    let html = page.content().await.unwrap();
    assert!(html.contains("TW-0042") && html.contains("Acme"), "{html}");
    let width = page
        .evaluate("window.innerWidth")
        .await
        .unwrap()
        .into_value::<u64>()
        .unwrap();
    assert_eq!(width, 390, "the page is laid out for the phone's width");

    // Where the pad is, in CSS pixels.
    let pad = page
        .evaluate(
            "(() => { const p = document.getElementById('pad'); p.scrollIntoView(); \
             const r = p.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()",
        )
        .await
        .unwrap()
        .into_value::<Vec<f64>>()
        .unwrap();
    let (left, top, w, h) = (pad[0], pad[1], pad[2], pad[3]);
    assert!(w > 300.0 && h > 100.0, "{pad:?}");
    let at = |fx: f64, fy: f64| (left + w * fx, top + h * fy);

    assert_eq!(inked(&page).await, 0);
    let finger: Vec<_> = (0..=20)
        .map(|i| {
            let t = f64::from(i) / 20.0;
            at(0.1 + 0.4 * t, 0.7 - 0.4 * (t * std::f64::consts::PI).sin())
        })
        .collect();
    touch_stroke(&page, &finger).await;
    let after_touch = inked(&page).await;
    assert!(after_touch > 100, "a finger draws: {after_touch} pixels");
    let mouse: Vec<_> = (0..=20)
        .map(|i| {
            let t = f64::from(i) / 20.0;
            at(0.5 + 0.4 * t, 0.3 + 0.4 * t)
        })
        .collect();
    mouse_stroke(&page, &mouse).await;
    let after_mouse = inked(&page).await;
    assert!(
        after_mouse > after_touch,
        "a mouse draws: {after_mouse} pixels"
    );

    page.find_element("#signer-name")
        .await
        .unwrap()
        .click()
        .await
        .unwrap()
        .type_str("Siti Aminah")
        .await
        .unwrap();
    let screenshot = artefacts().join("signature-page.png");
    page.save_screenshot(
        ScreenshotParams::builder().full_page(true).build(),
        &screenshot,
    )
    .await
    .unwrap();

    page.find_element("#submit")
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let mut done = String::new();
    for _ in 0..100 {
        done = page.content().await.unwrap_or_default();
        if done.contains("id=\"done\"") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(done.contains("Thank you, Siti Aminah"), "{done}");

    // Signed, with the browser's evidence.
    let view = app
        .get(&format!("/delivery-orders/{id}"), Some(Role::Sales))
        .await;
    assert_eq!(view.status, StatusCode::OK);
    let view = view.json();
    assert_eq!(view["status"], "signed", "{view}");
    let signature = &view["signature"];
    assert_eq!(signature["signer_name"], "Siti Aminah");
    assert_eq!(signature["client_ip"], "127.0.0.1");
    assert!(
        signature["user_agent"].as_str().unwrap().contains("Chrome"),
        "{signature}"
    );

    // The stored PNG, decoded: ink on it.
    let key: DocumentKey = signature["signature_image_document_id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let (stored, png) = app.state.documents().get(key).await.unwrap();
    assert_eq!(stored.media_type, "image/png");
    assert_eq!(
        stored.sha256,
        signature["signature_image_sha256"].as_str().unwrap()
    );
    let mut reader = png::Decoder::new(std::io::Cursor::new(&png))
        .read_info()
        .unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    assert_eq!(frame.color_type, png::ColorType::Rgba);
    let ink = pixels[..frame.buffer_size()]
        .chunks_exact(4)
        .filter(|px| px[3] > 0 && (px[0] < 250 || px[1] < 250 || px[2] < 250))
        .count();
    assert!(ink > 500, "the stored signature has {ink} inked pixels");
    assert!(
        frame.width >= 390 * 2,
        "drawn at the phone's pixel ratio: {}",
        frame.width
    );

    // The same link again: the bland page.
    page.goto(url.as_str()).await.unwrap();
    page.wait_for_navigation().await.unwrap();
    let again = page.content().await.unwrap();
    assert!(again.contains("This link cannot be used"), "{again}");
    page.save_screenshot(
        ScreenshotParams::builder().build(),
        artefacts().join("signature-link-used.png"),
    )
    .await
    .unwrap();

    browser.close().await.unwrap();
    let _ = browser.wait().await;
    events.abort();
    server.abort();
}
