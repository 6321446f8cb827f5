//! `/sign/{token}`: the public page where a customer signs for a delivery (or refuses to),
//! opened from the link staff sent them. No login: the token in the path is the only
//! credential, so it is never logged (the request span has the route template only, see
//! [`crate::telemetry::redact_path`]), never written to the database (only its SHA-256) and
//! never put into the page (the forms post back to the page's own URL).
//!
//! Every link that cannot be used, whatever the reason (unknown, used, expired, revoked, or
//! the delivery order signed or cancelled), gets the same bland 404 page. Requests are
//! rate-limited per client address, in process (so per instance).

mod page;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::{
    extract::{ConnectInfo, Form, FromRequestParts, RawQuery, State, rejection::FormRejection},
    http::{HeaderMap, HeaderValue, StatusCode, header, request::Parts},
    response::{IntoResponse, Response},
};
use base64::Engine as _;
use niaga_documents::{NewDocument, SIGNATURE_IMAGE};
use niaga_domain::{
    Ctx,
    ctx::Actor,
    customer::Customer,
    delivery_order::{
        DeliveryOrder, DeliveryOrderCommand, DeliveryOrderError, DeliveryOrderRecord, LinkRefusal,
        RefuseSignature, SignDeliveryOrder,
    },
    values::{Name, Sha256Hex},
};
use niaga_projections::delivery_orders;
use niaga_store::{CommandError, CommandOptions};
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    app::AppState,
    error::{ApiError, Result},
    extract::Path,
    http::catch_up::caught_up_to_now,
    pdfs::delivery_order as pdf,
    signing::{looks_like_token, token_sha256},
};

/// The largest signature image accepted, decoded. A phone's signature is tens of kilobytes.
pub const MAX_SIGNATURE_BYTES: usize = 512 * 1024;
/// The longest user agent kept (the domain's limit).
const USER_AGENT_MAX: usize = 500;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(show, submit))
}

/// An HTML answer with the headers every page of this route carries.
fn html(status: StatusCode, body: String) -> Response {
    let mut response = guarded((status, body).into_response());
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    if let Ok(csp) = HeaderValue::from_str(&page::CSP) {
        headers.insert("content-security-policy", csp);
    }
    response
}

/// The headers of every answer behind a secret link, page or PDF.
fn guarded(mut response: Response) -> Response {
    let headers = response.headers_mut();
    // A page behind a secret link: no cache keeps it, no referrer carries the URL away.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    response
}

fn bland() -> Response {
    html(StatusCode::NOT_FOUND, page::BLAND.clone())
}

/// The client's address: the TCP peer (a forwarded-for header is the client's word, and
/// behind a proxy it needs a list of trusted proxies first).
struct ClientIp(IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        // Always there when served (`serve` adds connect info); a router called directly
        // without it is answered as from 0.0.0.0.
        Ok(Self(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip()),
        ))
    }
}

/// Counts the request against its address; the "please wait" page if over the limit.
fn rate_limited(state: &AppState, ip: IpAddr) -> Option<Response> {
    let wait = state
        .public_limiter()
        .check(ip, std::time::Instant::now())
        .err()?;
    let mut response = html(StatusCode::TOO_MANY_REQUESTS, page::SLOW_DOWN.clone());
    if let Ok(seconds) = HeaderValue::from_str(&wait.as_secs().max(1).to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, seconds);
    }
    Some(response)
}

/// A link the token opens, with its delivery order, when it may be used now.
struct Opened {
    token_sha256: Sha256Hex,
    record: DeliveryOrderRecord,
    version: u64,
}

/// Finds the delivery order of `token` and checks its link may be used at `now`; `None`
/// for every way it cannot (logged with the delivery order, never the token).
async fn open(state: &AppState, token: &str) -> Result<Option<Opened>> {
    if !looks_like_token(token) {
        return Ok(None);
    }
    let digest = token_sha256(token);
    let mut found = delivery_orders::by_token_sha256(state.db(), digest.as_str())
        .await
        .map_err(ApiError::internal)?;
    if found.is_none() {
        // A link opened the moment it was issued may be ahead of the read model.
        caught_up_to_now(state, delivery_orders::NAME).await?;
        found = delivery_orders::by_token_sha256(state.db(), digest.as_str())
            .await
            .map_err(ApiError::internal)?;
    }
    let Some(id) = found else { return Ok(None) };
    let loaded = state.commands::<DeliveryOrder>().load(&id).await?;
    let Some((DeliveryOrder::Open(record), version)) = loaded else {
        tracing::info!(delivery_order_id = %id, "signature page: delivery order signed or cancelled");
        return Ok(None);
    };
    let usable = record
        .link_by_token(&digest)
        .map_or(Err(LinkRefusal::Unknown), |l| {
            l.usable_at(state.clock().now())
        });
    if let Err(reason) = usable {
        tracing::info!(delivery_order_id = %id, %reason, "signature page: link not usable");
        return Ok(None);
    }
    Ok(Some(Opened {
        token_sha256: digest,
        record: *record,
        version,
    }))
}

/// The summary fragment of a delivery order, as shown and hashed.
async fn summary(state: &AppState, r: &DeliveryOrderRecord) -> Result<String> {
    let customer = state
        .commands::<Customer>()
        .load(&r.customer_id.to_string())
        .await?
        .and_then(|(c, _)| c.registered().map(|c| c.details.name.as_str().to_owned()))
        .unwrap_or_default();
    let source = pdf::source_label(state, r.source)
        .await
        .map_err(ApiError::internal)?;
    let a = &r.delivery_address;
    let mut address_lines = a.lines().to_vec();
    address_lines.push(format!("{} {}", a.postcode(), a.city()));
    let dispatched = r.dispatch.as_ref().map_or_else(String::new, |d| {
        let mut text = d.dispatched_on.to_string();
        if let Some(driver) = &d.driver {
            text.push_str(&format!(", driver {}", driver.as_str()));
        }
        if let Some(vehicle) = &d.vehicle {
            text.push_str(&format!(", vehicle {vehicle}"));
        }
        text
    });
    let lines = r
        .lines
        .iter()
        .map(|l| {
            (
                l.description.clone(),
                format!(
                    "{} {}",
                    l.quantity.value().normalize(),
                    l.unit.name().unwrap_or(l.unit.as_str())
                ),
                l.serials
                    .iter()
                    .map(|s| s.as_str().to_owned())
                    .collect::<Vec<_>>()
                    .join(", "),
            )
        })
        .collect();
    Ok(page::summary_html(&page::Summary {
        reference: r.id.to_string(),
        source,
        customer,
        address_lines,
        dispatched,
        lines,
    }))
}

/// The page to sign (or refuse) with an error and the name typed so far.
async fn sign_page(
    state: &AppState,
    opened: &Opened,
    status: StatusCode,
    name: &str,
    error: &str,
) -> Result<Response> {
    let summary = summary(state, &opened.record).await?;
    let shown = page::sha256_hex(&shown_pdf(state, opened).await?);
    Ok(html(status, page::sign_page(&summary, &shown, name, error)))
}

/// The delivery order PDF the page offers, as of the version opened: the same bytes every
/// time for that version, so its SHA-256 names what the signer could see.
async fn shown_pdf(state: &AppState, opened: &Opened) -> Result<Vec<u8>> {
    pdf::shown_pdf(state, &opened.record)
        .await
        .map_err(ApiError::internal)
}

/// The PDF itself (`?pdf`), guarded like the page but without its Content-Security-Policy,
/// which would keep the browser's PDF viewer out.
fn pdf_response(bytes: Vec<u8>) -> Response {
    let mut response = guarded(bytes.into_response());
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(niaga_pdf::MEDIA_TYPE),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("inline; filename=\"delivery-order.pdf\""),
    );
    response
}

/// The signature page of a delivery order: its summary (number, customer, address,
/// lines), a link to the delivery order as a PDF (`?pdf`, the document the signature's
/// evidence names by its SHA-256), a signature pad, the signer's name, Clear and Submit,
/// and a way to refuse. Any link that cannot be used gets the same bland 404 page.
#[utoipa::path(
    get,
    path = "/sign/{token}",
    tag = "signature-page",
    params(
        ("token" = String, Path, description = "The token from the link"),
        ("pdf" = Option<String>, Query, description = "Present (`?pdf`): the delivery order as a PDF instead of the page"),
    ),
    responses(
        (status = OK, description = "The page, or with `?pdf` the delivery order PDF", content(
            (String = "text/html"),
            (Vec<u8> = "application/pdf"),
        )),
        (status = NOT_FOUND, description = "The bland page: this link cannot be used", body = String, content_type = "text/html"),
        (status = TOO_MANY_REQUESTS, description = "Too many requests from this address", body = String, content_type = "text/html"),
    ),
    security(())
)]
async fn show(
    ClientIp(ip): ClientIp,
    State(state): State<AppState>,
    Path(token): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response> {
    if let Some(slow_down) = rate_limited(&state, ip) {
        return Ok(slow_down);
    }
    match open(&state, &token).await? {
        Some(opened) if query.as_deref() == Some("pdf") => {
            Ok(pdf_response(shown_pdf(&state, &opened).await?))
        }
        Some(opened) => sign_page(&state, &opened, StatusCode::OK, "", "").await,
        None => Ok(bland()),
    }
}

/// What the page's forms post.
#[derive(Debug, Deserialize)]
pub(crate) struct PageForm {
    /// `sign` or `refuse`.
    #[serde(default)]
    action: String,
    #[serde(default)]
    name: String,
    /// `data:image/png;base64,…`
    #[serde(default)]
    signature: String,
    /// The SHA-256 of the delivery order PDF the page offered.
    #[serde(default)]
    shown_sha256: String,
    #[serde(default)]
    reason: String,
}

/// Sign (`action=sign`: `name`, `signature` as a PNG data URL, `shown_sha256`) or refuse
/// (`action=refuse`: `reason`), as a form post from the page. The image is kept in the
/// document store, and so is the delivery order PDF the page offered; the signature event
/// records the time, the name, the client address, the user agent, the image's SHA-256 and
/// the SHA-256 of that PDF.
#[utoipa::path(
    post,
    path = "/sign/{token}",
    tag = "signature-page",
    params(("token" = String, Path, description = "The token from the link")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "`action`, `name`, `signature`, `shown_sha256`, `reason`"),
    responses(
        (status = OK, description = "Signed or refused: a thank-you page", body = String, content_type = "text/html"),
        (status = UNPROCESSABLE_ENTITY, description = "The page again, saying what to correct", body = String, content_type = "text/html"),
        (status = NOT_FOUND, description = "The bland page: this link cannot be used", body = String, content_type = "text/html"),
        (status = TOO_MANY_REQUESTS, description = "Too many requests from this address", body = String, content_type = "text/html"),
    ),
    security(())
)]
async fn submit(
    ClientIp(ip): ClientIp,
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    form: Result<Form<PageForm>, FormRejection>,
) -> Result<Response> {
    if let Some(slow_down) = rate_limited(&state, ip) {
        return Ok(slow_down);
    }
    let Some(opened) = open(&state, &token).await? else {
        return Ok(bland());
    };
    let Ok(Form(form)) = form else {
        let error = "The form could not be read (is the signature too large?). Please try again.";
        return sign_page(&state, &opened, StatusCode::UNPROCESSABLE_ENTITY, "", error).await;
    };
    if form.action == "refuse" {
        return refuse(&state, &opened, &form).await;
    }
    let invalid = |message: &'static str| (StatusCode::UNPROCESSABLE_ENTITY, message);
    let summary = summary(&state, &opened.record).await?;
    let shown_pdf = shown_pdf(&state, &opened).await?;
    let shown = page::sha256_hex(&shown_pdf);
    let checked = if form.shown_sha256 != shown {
        Err(invalid(
            "The delivery order changed while the page was open. Please check it again and sign.",
        ))
    } else {
        match (Name::parse(&form.name), signature_png(&form.signature)) {
            (Err(_), _) => Err(invalid("Please type your name.")),
            (_, Err(message)) => Err(invalid(message)),
            (Ok(name), Ok(png)) => Ok((name, png)),
        }
    };
    let (name, png) = match checked {
        Ok(checked) => checked,
        Err((status, message)) => {
            return Ok(html(
                status,
                page::sign_page(&summary, &shown, &form.name, message),
            ));
        }
    };
    let now = state.clock().now();
    let image_sha256 = page::sha256_hex(&png);
    // The copy the signer was shown is kept: the evidence names it by its digest.
    pdf::keep_shown_pdf(&state, &opened.record, opened.version, shown_pdf)
        .await
        .map_err(ApiError::internal)?;
    // Stored before the event that names its digest: an event never points at nothing.
    state
        .documents()
        .put(
            NewDocument {
                kind: SIGNATURE_IMAGE,
                document_id: opened.record.id.to_string(),
                version: opened.version + 1,
                media_type: "image/png",
                issued_on: niaga_domain::business_day(now),
                bytes: png,
            },
            now,
        )
        .await
        .map_err(ApiError::internal)?;
    let command = DeliveryOrderCommand::Sign(SignDeliveryOrder {
        token_sha256: opened.token_sha256.clone(),
        at: now,
        signer_name: name.clone(),
        client_ip: ip,
        user_agent: user_agent(&headers),
        signature_image_sha256: Sha256Hex::parse(&image_sha256).map_err(ApiError::internal)?,
        document_sha256: Sha256Hex::parse(&shown).map_err(ApiError::internal)?,
    });
    match execute(&state, &opened, &command).await? {
        true => Ok(html(StatusCode::OK, page::signed_page(name.as_str()))),
        false => Ok(bland()),
    }
}

async fn refuse(state: &AppState, opened: &Opened, form: &PageForm) -> Result<Response> {
    let command = DeliveryOrderCommand::RefuseSignature(RefuseSignature {
        token_sha256: opened.token_sha256.clone(),
        at: state.clock().now(),
        reason: form.reason.clone(),
    });
    let result = state
        .commands::<DeliveryOrder>()
        .execute(
            &opened.record.id.to_string(),
            &command,
            &public_ctx(state),
            &CommandOptions::default(),
        )
        .await;
    match result {
        Ok(_) => Ok(html(StatusCode::OK, page::refused_page())),
        Err(CommandError::Domain(DeliveryOrderError::LinkNotUsable { reason })) => {
            tracing::info!(delivery_order_id = %opened.record.id, %reason, "signature page: link not usable");
            Ok(bland())
        }
        Err(CommandError::Domain(
            DeliveryOrderError::ReasonRequired | DeliveryOrderError::InvalidText { .. },
        )) => {
            let error = "Please say in one line (at most 300 characters) what is wrong.";
            sign_page(state, opened, StatusCode::UNPROCESSABLE_ENTITY, "", error).await
        }
        Err(other) => Err(other.into()),
    }
}

/// Runs the sign command: `true` if signed, `false` if the link turned out not usable.
async fn execute(
    state: &AppState,
    opened: &Opened,
    command: &DeliveryOrderCommand,
) -> Result<bool> {
    let result = state
        .commands::<DeliveryOrder>()
        .execute(
            &opened.record.id.to_string(),
            command,
            &public_ctx(state),
            &CommandOptions::default(),
        )
        .await;
    match result {
        Ok(_) => Ok(true),
        Err(CommandError::Domain(DeliveryOrderError::LinkNotUsable { reason })) => {
            tracing::info!(delivery_order_id = %opened.record.id, %reason, "signature page: link not usable");
            Ok(false)
        }
        Err(other) => Err(other.into()),
    }
}

/// The public page acts as no staff member: the customer's evidence is in the event.
fn public_ctx(state: &AppState) -> Ctx {
    Ctx::new(
        state.clock().now(),
        Actor::System("signature-page".into()),
        Uuid::now_v7(),
    )
}

/// The user agent as sent, cut to what the domain keeps; `(none)` when absent.
fn user_agent(headers: &HeaderMap) -> String {
    let agent: String = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control())
        .take(USER_AGENT_MAX)
        .collect();
    let agent = agent.trim();
    if agent.is_empty() {
        "(none)".to_owned()
    } else {
        agent.to_owned()
    }
}

/// The PNG of a `data:image/png;base64,…` URL, if it is a PNG of at most
/// [`MAX_SIGNATURE_BYTES`] with something drawn on it.
fn signature_png(data_url: &str) -> Result<Vec<u8>, &'static str> {
    const PREFIX: &str = "data:image/png;base64,";
    const NOTHING: &str = "Please sign in the box.";
    let encoded = data_url.strip_prefix(PREFIX).ok_or(NOTHING)?;
    if encoded.len() > MAX_SIGNATURE_BYTES / 3 * 4 + 4 {
        return Err("The signature is too large. Please clear it and sign again.");
    }
    let png = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .map_err(|_| NOTHING)?;
    if png.len() > MAX_SIGNATURE_BYTES {
        return Err("The signature is too large. Please clear it and sign again.");
    }
    match inked_pixels(&png) {
        Some(0) => Err(NOTHING),
        Some(_) => Ok(png),
        None => Err("The signature could not be read. Please clear it and sign again."),
    }
}

/// How many pixels of a PNG are ink (neither transparent nor white); `None` if it is not a
/// PNG that decodes within the size limit.
pub(crate) fn inked_pixels(png: &[u8]) -> Option<u64> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().ok()?;
    let info = reader.info();
    // A bomb guard: a small file may claim a huge canvas.
    if u64::from(info.width) * u64::from(info.height) > 16_000_000 {
        return None;
    }
    let mut buffer = vec![0; reader.output_buffer_size()?];
    let frame = reader.next_frame(&mut buffer).ok()?;
    let bytes = &buffer[..frame.buffer_size()];
    let channels = frame.color_type.samples();
    let inked = bytes
        .chunks_exact(channels)
        .filter(|px| match px {
            [g] => *g < 250,
            [g, a] => *a > 0 && *g < 250,
            [r, g, b] => *r < 250 || *g < 250 || *b < 250,
            [r, g, b, a] => *a > 0 && (*r < 250 || *g < 250 || *b < 250),
            _ => false,
        })
        .count();
    Some(inked as u64)
}
