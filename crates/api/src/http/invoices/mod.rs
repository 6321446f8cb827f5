//! `/invoices`: draft, amend and issue invoices, record payments, issue credit, debit and
//! refund notes, void drafts and cancel issued invoices; and
//! `/quotations/{id}/convert-to-invoice`, which drafts an invoice from an accepted quotation.

mod body;
mod convert;
mod error;
mod list;
mod view;

pub(crate) use body::TermsBody;

use axum::{extract::State, response::Response};
use chrono::Datelike;
use niaga_domain::{
    ids::NoteId,
    invoice::{DocumentKind, DocumentNumber, Invoice, InvoiceCommand, InvoiceRecord, NoteKind},
};
use niaga_einvoicing::CancelError;
use niaga_store::{NumberSeries, Outcome};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    app::AppState,
    auth::{ANY_STAFF, Authorized, CurrentUser, FINANCE_WRITE},
    command::{CommandAccepted, CommandMeta},
    error::{ApiError, Problem, Result},
    extract::{Json, OptionalJson, Path},
    http::customers::is_registered,
};
use body::{
    AmendInvoiceBody, DraftInvoiceBody, IssueInvoiceBody, NoteBody, PaymentBody, ReasonBody,
};
use view::{InvoiceView, NoteView};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(draft_invoice, list::list_invoices))
        .routes(routes!(get_invoice, amend_invoice))
        .routes(routes!(issue_invoice))
        .routes(routes!(request_individual_einvoice))
        .routes(routes!(record_payment))
        .routes(routes!(issue_credit_note))
        .routes(routes!(issue_debit_note))
        .routes(routes!(issue_refund_note))
        .routes(routes!(get_note))
        .routes(routes!(void_invoice))
        .routes(routes!(cancel_invoice))
        .routes(routes!(convert::convert_to_invoice))
}

pub(crate) fn location(id: impl std::fmt::Display) -> String {
    format!("/invoices/{id}")
}

/// Runs a command on an existing invoice and answers 200 with its version and position.
async fn change(
    state: &AppState,
    user: &Authorized,
    meta: &CommandMeta,
    id: Uuid,
    command: InvoiceCommand,
    body: &impl serde::Serialize,
) -> Result<CommandAccepted> {
    let outcome: Outcome<_> = state
        .commands::<Invoice>()
        .execute(
            &id.to_string(),
            &command,
            &meta.ctx(user),
            &meta.options_for(body)?,
        )
        .await?;
    Ok(CommandAccepted::ok(id, &outcome).at(location(id)))
}

/// Runs a command that takes the next number of `kind`'s series for this year (Malaysian
/// business day), in the same transaction as its events: no gaps, no repeats.
async fn numbered(
    state: &AppState,
    user: &Authorized,
    meta: &CommandMeta,
    id: Uuid,
    kind: DocumentKind,
    command: impl Fn(DocumentNumber) -> InvoiceCommand + Send + Sync,
    body: &impl serde::Serialize,
) -> Result<Outcome<niaga_domain::invoice::InvoiceEvent>> {
    let ctx = meta.ctx(user);
    let year = ctx.business_day().year();
    let series = NumberSeries::new(kind.series(), year);
    Ok(state
        .commands::<Invoice>()
        .execute_numbered(
            &id.to_string(),
            &series,
            &|serial| DocumentNumber::new(kind, year, serial).ok().map(&command),
            &ctx,
            &meta.options_for(body)?,
        )
        .await?)
}

/// The invoice as stored now, or 404.
async fn load(state: &AppState, id: Uuid) -> Result<(InvoiceRecord, u64)> {
    let loaded = state.commands::<Invoice>().load(&id.to_string()).await?;
    match loaded {
        Some((Invoice::Drafted(invoice), version)) => Ok((*invoice, version)),
        _ => Err(ApiError::NotFound("invoice".into())),
    }
}

/// Draft an invoice for a registered customer. Lines are priced under today's SST rules;
/// they are priced again under the rules of the issue day when it is issued.
#[utoipa::path(
    post,
    path = "/invoices",
    tag = "invoices",
    request_body = DraftInvoiceBody,
    params(
        ("Idempotency-Key" = Option<String>, Header, description = "Repeat-safe key: the same key and body answer like the first time"),
    ),
    responses(
        (status = CREATED, description = "Drafted", body = CommandAccepted,
            headers(("location" = String, description = "/invoices/{id}"), ("etag" = String, description = "The version"))),
        (status = UNPROCESSABLE_ENTITY, description = "Invalid fields (`errors` lists them), such as an unknown customer",
            body = Problem, content_type = "application/problem+json"),
        (status = UNAUTHORIZED, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, description = "Not finance or admin", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn draft_invoice(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Json(body): Json<DraftInvoiceBody>,
) -> Result<CommandAccepted> {
    let user = user.require(FINANCE_WRITE)?;
    let invoices = state.commands::<Invoice>();
    let (id, options) = meta.create_target(&invoices, &body).await?;
    let command = InvoiceCommand::Draft(body.draft(id)?);
    if !is_registered(&state, body.customer_id).await? {
        return Err(ApiError::field("/customer_id", "no customer has this id"));
    }
    let outcome = invoices
        .execute(&id.to_string(), &command, &meta.ctx(&user), &options)
        .await?;
    Ok(CommandAccepted::created(id, &outcome).at(location(id)))
}

/// An invoice as it is now: lines and totals, its account (charged, settled, outstanding),
/// payments, notes, LHDN validation. The `ETag` is the version to send in `If-Match`.
#[utoipa::path(
    get,
    path = "/invoices/{id}",
    tag = "invoices",
    params(("id" = Uuid, Path, description = "The invoice")),
    responses(
        (status = OK, description = "The invoice", body = InvoiceView,
            headers(("etag" = String, description = "The version"))),
        (status = NOT_FOUND, description = "No such invoice", body = Problem, content_type = "application/problem+json"),
        (status = UNAUTHORIZED, description = "No valid token", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn get_invoice(
    user: CurrentUser,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<Response> {
    user.require(ANY_STAFF)?;
    let (invoice, version) = load(&state, id).await?;
    crate::http::etag::versioned(InvoiceView::new(&invoice, version), version)
}

/// Replace a draft's lines, payment terms and reference (all of them). Honours `If-Match`;
/// an unchanged form writes nothing. An issued invoice never changes: correct it with notes.
#[utoipa::path(
    put,
    path = "/invoices/{id}",
    tag = "invoices",
    request_body = AmendInvoiceBody,
    params(
        ("id" = Uuid, Path, description = "The invoice"),
        ("If-Match" = Option<String>, Header, description = "The version read (`\"3\"`): refused with 412 if it changed since"),
    ),
    responses(
        (status = OK, description = "Amended (or unchanged)", body = CommandAccepted),
        (status = PRECONDITION_FAILED, description = "The invoice changed since the version in If-Match",
            body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, description = "No such invoice", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "Invalid fields, or the invoice is issued (`already-issued`)",
            body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn amend_invoice(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(body): Json<AmendInvoiceBody>,
) -> Result<CommandAccepted> {
    let user = user.require(FINANCE_WRITE)?;
    let command = InvoiceCommand::AmendDraft(body.amend()?);
    change(&state, &user, &meta, id, command, &body).await
}

/// Issue a draft: it takes the next number of this year's invoice series
/// (`INV-2026-000123`, gapless), its lines are priced under the SST rules of today, and the
/// due date is today plus the payment terms. From now on its lines and totals never change.
/// The body says whether the buyer wants an e-invoice of their own and, for an invoice not
/// in ringgit, the exchange rate to ringgit LHDN requires; it may be left out for an
/// invoice in ringgit.
#[utoipa::path(
    post,
    path = "/invoices/{id}/issue",
    tag = "invoices",
    request_body(content = Option<IssueInvoiceBody>, description = "Optional for an invoice in ringgit (the buyer then gets an e-invoice of their own); an invoice in another currency needs `exchange_rate`"),
    params(
        ("id" = Uuid, Path, description = "The invoice"),
        ("If-Match" = Option<String>, Header, description = "The version read: refused with 412 if it changed since"),
        ("Idempotency-Key" = Option<String>, Header, description = "Repeat-safe key"),
    ),
    responses(
        (status = OK, description = "Issued; `number` is the invoice number", body = CommandAccepted),
        (status = NOT_FOUND, description = "No such invoice", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "No lines (`no-lines`), already issued (`already-issued`), voided (`invoice-voided`); `errors` at `/einvoice` when the sale may not be consolidated (over RM10,000 payable, not in ringgit); `errors` at `/exchange_rate` when an invoice not in ringgit has no exchange rate, an invoice in ringgit has one, or it is not a decimal more than zero of at most 15 characters",
            body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn issue_invoice(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    OptionalJson(body): OptionalJson<IssueInvoiceBody>,
) -> Result<CommandAccepted> {
    let user = user.require(FINANCE_WRITE)?;
    let body = body.unwrap_or_default();
    let issue = body.issue()?;
    let outcome = numbered(
        &state,
        &user,
        &meta,
        id,
        DocumentKind::Invoice,
        |number| InvoiceCommand::Issue(issue(number)),
        &(id, &body),
    )
    .await?;
    // A replayed request wrote nothing now: the number is on the invoice.
    let number = match outcome.events.first() {
        Some(niaga_domain::invoice::InvoiceEvent::InvoiceIssued(e)) => Some(e.number.to_string()),
        _ => load(&state, id).await?.0.number().map(ToString::to_string),
    };
    let accepted = CommandAccepted::ok(id, &outcome).at(location(id));
    Ok(match number {
        Some(number) => accepted.numbered(number),
        None => accepted,
    })
}

/// The buyer of a sale issued for consolidation asks for an e-invoice of their own: the
/// invoice then goes to LHDN on its own. LHDN allows it within the month of the sale
/// (Malaysian time); after, or once the month's consolidated e-invoice took the sale in,
/// it is refused. Asking again, or for an invoice with its own e-invoice, changes nothing.
#[utoipa::path(
    post,
    path = "/invoices/{id}/individual-einvoice",
    tag = "invoices",
    params(
        ("id" = Uuid, Path, description = "The invoice"),
        ("Idempotency-Key" = Option<String>, Header, description = "Repeat-safe key"),
    ),
    responses(
        (status = OK, description = "Asked for (or already so); the submitter takes it on", body = CommandAccepted),
        (status = NOT_FOUND, description = "No such invoice", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "`individual-einvoice-too-late` (the month of the sale is over), `already-consolidated`, `invoice-not-issued`, `invoice-cancelled`",
            body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn request_individual_einvoice(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<CommandAccepted> {
    let user = user.require(FINANCE_WRITE)?;
    let command = InvoiceCommand::RequestIndividualEInvoice;
    change(&state, &user, &meta, id, command, &id).await
}

/// Record money received against an issued invoice. More than is outstanding is refused
/// (`overpayment`): Niaga keeps no customer credit.
#[utoipa::path(
    post,
    path = "/invoices/{id}/payments",
    tag = "invoices",
    request_body = PaymentBody,
    params(("id" = Uuid, Path, description = "The invoice")),
    responses(
        (status = OK, description = "Recorded (or already recorded under this payment id)", body = CommandAccepted),
        (status = NOT_FOUND, description = "No such invoice", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "Invalid fields, `overpayment`, `invoice-not-issued`, `invoice-cancelled`",
            body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn record_payment(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(body): Json<PaymentBody>,
) -> Result<CommandAccepted> {
    let user = user.require(FINANCE_WRITE)?;
    let today = meta.ctx(&user).business_day();
    let command = InvoiceCommand::RecordPayment(body.record(today)?);
    change(&state, &user, &meta, id, command, &body).await
}

/// Issues a note of `kind` against the invoice `id`: its own number, lines and reason.
async fn issue_note(
    state: &AppState,
    user: CurrentUser,
    meta: &CommandMeta,
    id: Uuid,
    kind: NoteKind,
    body: &NoteBody,
) -> Result<CommandAccepted> {
    let user = user.require(FINANCE_WRITE)?;
    let note = body.check()?;
    let outcome = numbered(
        state,
        &user,
        meta,
        id,
        kind.document_kind(),
        |number| {
            let note = note.with_number(number);
            match kind {
                NoteKind::Credit => InvoiceCommand::IssueCreditNote(note),
                NoteKind::Debit => InvoiceCommand::IssueDebitNote(note),
                NoteKind::Refund => InvoiceCommand::IssueRefundNote(note),
            }
        },
        body,
    )
    .await?;
    let (invoice, _) = load(state, id).await?;
    let accepted = CommandAccepted::created(id, &outcome).at(format!(
        "{}/notes/{}",
        location(id),
        note.note_id
    ));
    Ok(match invoice.note(note.note_id) {
        Some(issued) => accepted.numbered(&issued.number),
        None => accepted,
    })
}

/// Issue a credit note: it lowers what the customer is charged, never below zero
/// (`over-credit`). Its lines are priced under the SST rules of the invoice's issue day.
#[utoipa::path(
    post,
    path = "/invoices/{id}/credit-notes",
    tag = "invoices",
    request_body = NoteBody,
    params(("id" = Uuid, Path, description = "The invoice")),
    responses(
        (status = CREATED, description = "Issued; `number` is the note's (`CN-2026-000001`)", body = CommandAccepted,
            headers(("location" = String, description = "/invoices/{id}/notes/{note_id}"))),
        (status = NOT_FOUND, description = "No such invoice", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "Invalid fields, `over-credit`, `invoice-not-issued`, `invoice-cancelled`",
            body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn issue_credit_note(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(body): Json<NoteBody>,
) -> Result<CommandAccepted> {
    issue_note(&state, user, &meta, id, NoteKind::Credit, &body).await
}

/// Issue a debit note: it raises what the customer is charged.
#[utoipa::path(
    post,
    path = "/invoices/{id}/debit-notes",
    tag = "invoices",
    request_body = NoteBody,
    params(("id" = Uuid, Path, description = "The invoice")),
    responses(
        (status = CREATED, description = "Issued; `number` is the note's (`DN-2026-000001`)", body = CommandAccepted),
        (status = NOT_FOUND, description = "No such invoice", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "Invalid fields, `invoice-not-issued`, `invoice-cancelled`",
            body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn issue_debit_note(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(body): Json<NoteBody>,
) -> Result<CommandAccepted> {
    issue_note(&state, user, &meta, id, NoteKind::Debit, &body).await
}

/// Issue a refund note: money given back, at most what was settled beyond what is charged
/// (`over-refund`).
#[utoipa::path(
    post,
    path = "/invoices/{id}/refund-notes",
    tag = "invoices",
    request_body = NoteBody,
    params(("id" = Uuid, Path, description = "The invoice")),
    responses(
        (status = CREATED, description = "Issued; `number` is the note's (`RN-2026-000001`)", body = CommandAccepted),
        (status = NOT_FOUND, description = "No such invoice", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "Invalid fields, `over-refund`, `invoice-not-issued`",
            body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn issue_refund_note(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(body): Json<NoteBody>,
) -> Result<CommandAccepted> {
    issue_note(&state, user, &meta, id, NoteKind::Refund, &body).await
}

/// One credit, debit or refund note, as issued.
#[utoipa::path(
    get,
    path = "/invoices/{id}/notes/{note_id}",
    tag = "invoices",
    params(
        ("id" = Uuid, Path, description = "The invoice"),
        ("note_id" = Uuid, Path, description = "The note"),
    ),
    responses(
        (status = OK, description = "The note", body = NoteView),
        (status = NOT_FOUND, description = "No such invoice or note", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn get_note(
    user: CurrentUser,
    State(state): State<AppState>,
    Path((id, note_id)): Path<(Uuid, Uuid)>,
) -> Result<axum::Json<NoteView>> {
    user.require(ANY_STAFF)?;
    let (invoice, _) = load(&state, id).await?;
    let note = invoice
        .note(NoteId::from_uuid(note_id))
        .ok_or_else(|| ApiError::NotFound("note".into()))?;
    Ok(axum::Json(NoteView::from(note)))
}

/// Void a draft that will never be issued. An issued invoice cannot be voided
/// (`issued-invoice-cannot-be-voided`): correct it with notes, or cancel it.
#[utoipa::path(
    post,
    path = "/invoices/{id}/void",
    tag = "invoices",
    request_body = ReasonBody,
    params(("id" = Uuid, Path, description = "The invoice")),
    responses(
        (status = OK, description = "Voided", body = CommandAccepted),
        (status = NOT_FOUND, description = "No such invoice", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "No reason, or the invoice is issued",
            body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn void_invoice(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(body): Json<ReasonBody>,
) -> Result<CommandAccepted> {
    let user = user.require(FINANCE_WRITE)?;
    change(
        &state,
        &user,
        &meta,
        id,
        InvoiceCommand::Void(body.void()),
        &body,
    )
    .await
}

/// Cancel an issued invoice, as LHDN allows: within 72 hours of its validation (or before it
/// was submitted), with no notes against it (`referenced-by-notes`) and no payments
/// (`payments-recorded`). A validated invoice is cancelled at LHDN first
/// (`lhdn-refused-cancellation` with LHDN's reason if it says no).
#[utoipa::path(
    post,
    path = "/invoices/{id}/cancel",
    tag = "invoices",
    request_body = ReasonBody,
    params(("id" = Uuid, Path, description = "The invoice")),
    responses(
        (status = OK, description = "Cancelled", body = CommandAccepted),
        (status = NOT_FOUND, description = "No such invoice", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "`cancellation-window-closed`, `referenced-by-notes`, `payments-recorded`, `invoice-not-issued`, `lhdn-submission-under-way`, `lhdn-refused-cancellation`, `lhdn-not-configured`",
            body = Problem, content_type = "application/problem+json"),
        (status = SERVICE_UNAVAILABLE, description = "LHDN could not be reached; nothing was cancelled", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn cancel_invoice(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(body): Json<ReasonBody>,
) -> Result<CommandAccepted> {
    let user = user.require(FINANCE_WRITE)?;
    let command = body.cancel();
    let Some(submitter) = state.einvoicing() else {
        // Without MyInvois, an invoice LHDN validated cannot be cancelled there: refusing
        // keeps Niaga and LHDN from telling two stories.
        let (invoice, _) = load(&state, id).await?;
        if invoice.lhdn.is_some() {
            return Err(ApiError::refused(
                "lhdn-not-configured",
                "LHDN validated this invoice, and cancelling it there needs MyInvois configured (LHDN_BASE_URL)",
            ));
        }
        return change(
            &state,
            &user,
            &meta,
            id,
            InvoiceCommand::Cancel(command),
            &body,
        )
        .await;
    };
    let outcome = submitter
        .cancel(
            &id.to_string(),
            &command.reason,
            &meta.ctx(&user),
            &meta.options_for(&body)?,
        )
        .await
        .map_err(|error| match error {
            CancelError::NotFound => ApiError::NotFound("invoice".into()),
            CancelError::Refused(refusal) => refusal.into(),
            CancelError::RefusedByLhdn(lhdn) => ApiError::refused(
                if lhdn.code.as_deref() == Some("OperationPeriodOver") {
                    "cancellation-window-closed"
                } else {
                    "lhdn-refused-cancellation"
                },
                format!("LHDN refused to cancel the invoice: {lhdn}"),
            ),
            CancelError::LhdnUnavailable(error) => {
                tracing::warn!(%error, "LHDN unavailable for a cancellation");
                ApiError::ServiceUnavailable
            }
            CancelError::Store(error) => ApiError::internal(anyhow::anyhow!(error)),
        })?;
    Ok(CommandAccepted::ok(id, &outcome).at(location(id)))
}
