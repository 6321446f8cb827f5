//! `POST /quotations/{id}/convert-to-invoice`: an accepted quotation becomes a draft invoice,
//! once. The quotation records the invoice first, then the invoice is drafted from the
//! accepted revision; should the second step fail, repeating the request completes it.

use axum::extract::State;
use niaga_domain::{
    ids::InvoiceId,
    invoice::{DraftInvoice, Invoice, InvoiceCommand, QuotationSource},
    quotation::{ConvertToInvoice, Quotation, QuotationCommand, QuotationError},
};
use niaga_store::CommandOptions;
use uuid::Uuid;

use super::{body::TermsBody, location};
use crate::{
    app::AppState,
    auth::{CurrentUser, SALES_OR_FINANCE_WRITE},
    command::{CommandAccepted, CommandMeta},
    error::{ApiError, Problem, Result},
    extract::{Json, Path},
};

/// Turn an accepted quotation into a draft invoice: the accepted revision's lines (priced
/// again under today's SST rules), the customer's PO as its reference, and a link back to
/// the quotation and revision. Once only: a second conversion is refused
/// (`already-converted`, naming the invoice).
#[utoipa::path(
    post,
    path = "/quotations/{id}/convert-to-invoice",
    tag = "quotations",
    request_body = TermsBody,
    params(("id" = Uuid, Path, description = "The quotation")),
    responses(
        (status = CREATED, description = "The draft invoice", body = CommandAccepted,
            headers(("location" = String, description = "/invoices/{id}"))),
        (status = NOT_FOUND, description = "No such quotation", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "Not accepted (`not-accepted`) or already converted (`already-converted`)",
            body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, description = "Not sales, finance or admin", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub(super) async fn convert_to_invoice(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(body): Json<TermsBody>,
) -> Result<CommandAccepted> {
    let user = user.require(SALES_OR_FINANCE_WRITE)?;
    let payment_terms = body.payment_terms()?;
    let ctx = meta.ctx(&user);
    let quotations = state.commands::<Quotation>();
    let invoices = state.commands::<Invoice>();
    let Some((Quotation::Drafted(quotation), _)) = quotations.load(&id.to_string()).await? else {
        return Err(ApiError::NotFound("quotation".into()));
    };
    // A conversion whose invoice was never drafted is completed, not refused.
    let invoice_id = match &quotation.conversion {
        Some(conversion)
            if invoices
                .load(&conversion.invoice_id.to_string())
                .await?
                .is_some() =>
        {
            return Err(QuotationError::AlreadyConverted {
                invoice_id: conversion.invoice_id,
            }
            .into());
        }
        Some(conversion) => conversion.invoice_id,
        None => InvoiceId::from_uuid(Uuid::now_v7()),
    };
    let converted = quotations
        .execute(
            &id.to_string(),
            &QuotationCommand::ConvertToInvoice(ConvertToInvoice { invoice_id }),
            &ctx,
            &meta.options_for(&body)?,
        )
        .await?;
    // The conversion named the accepted revision; it is read from the state it was decided on.
    let (acceptance, revision) = match quotation.acceptance.as_ref() {
        Some(acceptance) => (acceptance, quotation.revision(acceptance.revision)),
        None => {
            return Err(ApiError::internal(anyhow::anyhow!(
                "converted without acceptance"
            )));
        }
    };
    let Some(revision) = revision else {
        return Err(ApiError::internal(anyhow::anyhow!(
            "accepted revision missing"
        )));
    };
    let draft = InvoiceCommand::Draft(DraftInvoice {
        id: invoice_id,
        customer_id: quotation.customer_id,
        currency: quotation.currency,
        lines: revision.lines.iter().map(|line| line.input()).collect(),
        payment_terms,
        customer_reference: acceptance.customer_reference.clone(),
        source: Some(QuotationSource {
            quotation_id: quotation.id,
            number: quotation.number.clone(),
            revision: acceptance.revision,
        }),
    });
    let options = CommandOptions {
        new_stream: true,
        client_address: meta.client_address.clone(),
        ..CommandOptions::default()
    };
    let drafted = invoices
        .execute(&invoice_id.to_string(), &draft, &ctx, &options)
        .await?;
    let mut accepted = CommandAccepted::created(invoice_id, &drafted).at(location(invoice_id));
    accepted.position = drafted.position.or(converted.position);
    Ok(accepted)
}
