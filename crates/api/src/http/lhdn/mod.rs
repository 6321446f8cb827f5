//! `/lhdn/documents`: each issued invoice and note, and each month's consolidated e-invoice,
//! and where it stands with LHDN (pending, submitting, accepted, valid, rejected, invalid,
//! cancelled, held; an invoice left to consolidation is `for_consolidation`, then
//! `consolidated`), LHDN's problems with it (or why the submitter held it back), and the
//! validation link its QR code encodes once valid.
// utoipa's path macro expands the `Query<…>` argument into code with a qualified path that
// this lint flags, outside the handler where an item-level allow would reach.
#![allow(unused_qualifications)]

mod consolidation_error;

use axum::extract::State;
use niaga_projections::lhdn_documents::{self, LhdnDocument};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use niaga_domain::consolidation::{Consolidation, ConsolidationCommand};
use niaga_domain::invoice::{Invoice, InvoiceCommand, RequestEInvoiceResubmission};
use niaga_einvoicing::DocumentRef;

use crate::{
    app::AppState,
    auth::{ANY_STAFF, CurrentUser, FINANCE_WRITE},
    command::{CommandAccepted, CommandMeta},
    error::{ApiError, Problem, Result},
    extract::{Path, Query},
    http::{catch_up::caught_up, page_cursor},
};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_lhdn_documents))
        .routes(routes!(get_lhdn_document))
        .routes(routes!(resubmit_lhdn_document))
}

/// A document's status with LHDN.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum LhdnStatus {
    /// Issued, not sent yet (a note waits for its invoice to be valid).
    Pending,
    /// Sent, or about to be; LHDN's answer not recorded yet.
    Submitting,
    /// LHDN took it in and is validating it.
    Accepted,
    Valid,
    /// LHDN refused it at submission.
    Rejected,
    /// LHDN took it in and found it invalid.
    Invalid,
    Cancelled,
    /// Never sent: the submitter could not send it (it cannot be mapped or signed, it is too
    /// large, its 72 hours are over); `problems` say why. Resubmit it once that is fixed.
    Held,
    /// An invoice whose buyer wanted no e-invoice: it waits for its month's consolidated one.
    ForConsolidation,
    /// An invoice its month's consolidated e-invoice took in (`consolidation` names it).
    Consolidated,
}

impl LhdnStatus {
    fn stored(self) -> &'static str {
        match self {
            Self::Pending => lhdn_documents::PENDING,
            Self::Submitting => lhdn_documents::SUBMITTING,
            Self::Accepted => lhdn_documents::ACCEPTED,
            Self::Valid => lhdn_documents::VALID,
            Self::Rejected => lhdn_documents::REJECTED,
            Self::Invalid => lhdn_documents::INVALID,
            Self::Cancelled => lhdn_documents::CANCELLED,
            Self::Held => lhdn_documents::HELD,
            Self::ForConsolidation => lhdn_documents::FOR_CONSOLIDATION,
            Self::Consolidated => lhdn_documents::CONSOLIDATED,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListParams {
    /// Only documents with this status.
    status: Option<LhdnStatus>,
    /// Page size, 1 to 200 (default 50).
    limit: Option<u32>,
    /// The `next` cursor of the previous page.
    after: Option<String>,
    /// Wait until the list includes the command that wrote this global position
    /// (read-your-writes); 503 with `Retry-After` if it does not within 3 seconds.
    min_position: Option<i64>,
}

/// One problem LHDN reported.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct LhdnProblemView {
    /// LHDN's code: `CF321`, `DS320`, `BadStructure`…
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<String>,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    property_path: Option<String>,
}

/// A document and where it stands with LHDN.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct LhdnDocumentView {
    /// The invoice's id, the note's, or the consolidated e-invoice's number.
    document_id: String,
    /// Absent on a consolidated e-invoice.
    #[serde(skip_serializing_if = "Option::is_none")]
    invoice_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note_id: Option<String>,
    /// `invoice`, `credit_note`, `debit_note`, `refund_note` or `consolidated` (a month's
    /// consolidated e-invoice, `CON-2026-11-001`, to the general public).
    kind: String,
    number: String,
    /// Absent on a consolidated e-invoice (its buyer is the general public).
    #[serde(skip_serializing_if = "Option::is_none")]
    customer_id: Option<String>,
    /// The month (`2026-11`) a consolidated e-invoice summarises, or whose consolidated
    /// e-invoice took an invoice in.
    #[serde(skip_serializing_if = "Option::is_none")]
    consolidation: Option<String>,
    issued_at: String,
    status: String,
    /// How many submissions were started.
    attempt: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    submitted_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    submission_uid: Option<String>,
    /// LHDN's UUID of the document.
    #[serde(skip_serializing_if = "Option::is_none")]
    document_uuid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    long_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    validated_at: Option<String>,
    /// `{portal}/{uuid}/share/{longId}`: what the document's QR code encodes, once valid.
    #[serde(skip_serializing_if = "Option::is_none")]
    validation_link: Option<String>,
    /// Why LHDN rejected it or found it invalid, or why the submitter held it back; kept
    /// after a resubmission is asked for, until the next submission starts.
    problems: Vec<LhdnProblemView>,
}

impl LhdnDocumentView {
    fn of(state: &AppState, document: LhdnDocument) -> Self {
        let validation_link = match (&document.document_uuid, &document.long_id) {
            (Some(uuid), Some(long_id)) if document.status == lhdn_documents::VALID => {
                Some(state.validation_link(uuid, long_id))
            }
            _ => None,
        };
        let problems = document
            .problems()
            .into_iter()
            .map(|p| LhdnProblemView {
                code: p.code,
                message: p.message,
                property_path: p.property_path,
            })
            .collect();
        Self {
            document_id: document.document_id,
            invoice_id: document.invoice_id,
            note_id: document.note_id,
            kind: document.kind,
            number: document.number,
            customer_id: document.customer_id,
            consolidation: document.consolidation,
            issued_at: document.issued_at,
            status: document.status,
            attempt: document.attempt,
            submitted_at: document.submitted_at,
            submission_uid: document.submission_uid,
            document_uuid: document.document_uuid,
            long_id: document.long_id,
            validated_at: document.validated_at,
            validation_link,
            problems,
        }
    }
}

/// A page of documents, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct LhdnDocumentPage {
    items: Vec<LhdnDocumentView>,
    /// Pass as `after` for the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<String>,
}

/// List issued documents with their LHDN status, newest first, in pages.
#[utoipa::path(
    get,
    path = "/lhdn/documents",
    tag = "lhdn",
    params(ListParams),
    responses(
        (status = OK, description = "A page of documents", body = LhdnDocumentPage),
        (status = BAD_REQUEST, description = "A malformed parameter or cursor", body = Problem, content_type = "application/problem+json"),
        (status = SERVICE_UNAVAILABLE, description = "Not caught up with `min_position` yet", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn list_lhdn_documents(
    user: CurrentUser,
    State(state): State<AppState>,
    Query(params): Query<ListParams>,
) -> Result<axum::Json<LhdnDocumentPage>> {
    user.require(ANY_STAFF)?;
    caught_up(&state, lhdn_documents::NAME, params.min_position).await?;
    let after = params
        .after
        .as_deref()
        .map(page_cursor::decode)
        .transpose()?;
    let page = lhdn_documents::list(
        state.db(),
        params.status.map(LhdnStatus::stored),
        after,
        params.limit.unwrap_or(50),
    )
    .await
    .map_err(ApiError::internal)?;
    Ok(axum::Json(LhdnDocumentPage {
        items: page
            .items
            .into_iter()
            .map(|d| LhdnDocumentView::of(&state, d))
            .collect(),
        next: page.next.as_ref().map(page_cursor::encode),
    }))
}

/// One document's LHDN status, by the invoice's or the note's id, or a consolidated
/// e-invoice's number.
#[utoipa::path(
    get,
    path = "/lhdn/documents/{id}",
    tag = "lhdn",
    params(("id" = String, Path, description = "The invoice's or the note's id, or a consolidated e-invoice's number (`CON-2026-11-001`)")),
    responses(
        (status = OK, description = "The document", body = LhdnDocumentView),
        (status = NOT_FOUND, description = "No issued document with this id", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn get_lhdn_document(
    user: CurrentUser,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<axum::Json<LhdnDocumentView>> {
    user.require(ANY_STAFF)?;
    let document = find_document(&state, &id).await?;
    Ok(axum::Json(LhdnDocumentView::of(&state, document)))
}

/// The document of `id` (an invoice's or note's id, a consolidated e-invoice's number).
async fn find_document(state: &AppState, id: &str) -> Result<LhdnDocument> {
    lhdn_documents::find(state.db(), id)
        .await
        .map_err(ApiError::internal)?
        .ok_or_else(|| ApiError::NotFound("document".into()))
}

/// Submit a document again once what was wrong is fixed (the customer's TIN, say): one LHDN
/// rejected or found invalid, or one the submitter held back. The submitter signs it anew
/// and sends it, within 72 hours of its issue; otherwise it is held again, saying so. Any
/// other document is refused (`lhdn-not-rejected`).
#[utoipa::path(
    post,
    path = "/lhdn/documents/{id}/resubmit",
    tag = "lhdn",
    params(("id" = String, Path, description = "The invoice's or the note's id, or a consolidated e-invoice's number")),
    responses(
        (status = OK, description = "Queued for the submitter; the new version of the invoice's stream, or of the month's consolidation stream", body = CommandAccepted),
        (status = NOT_FOUND, description = "No issued document with this id", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "`lhdn-not-rejected`, `invoice-cancelled`", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn resubmit_lhdn_document(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<CommandAccepted> {
    let user = user.require(FINANCE_WRITE)?;
    let document = find_document(&state, &id).await?;
    let ctx = meta.ctx(&user);
    let options = meta.options_for(&document.document_id)?;
    match DocumentRef::of(&document) {
        Some(DocumentRef::Invoice {
            invoice_id,
            note_id,
        }) => {
            let command =
                InvoiceCommand::RequestEInvoiceResubmission(RequestEInvoiceResubmission {
                    note_id,
                });
            let outcome = state
                .commands::<Invoice>()
                .execute(&invoice_id, &command, &ctx, &options)
                .await?;
            Ok(CommandAccepted::ok(&invoice_id, &outcome))
        }
        Some(DocumentRef::Consolidated { month, number }) => {
            let command = ConsolidationCommand::RequestResubmission { number };
            let outcome = state
                .commands::<Consolidation>()
                .execute(&month, &command, &ctx, &options)
                .await?;
            Ok(CommandAccepted::ok(&month, &outcome))
        }
        None => Err(ApiError::internal(anyhow::anyhow!(
            "LHDN document row {} names no document",
            document.document_id
        ))),
    }
}
