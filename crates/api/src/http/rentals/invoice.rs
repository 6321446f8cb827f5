//! A rental's documents: `POST /rentals/{id}/invoice` drafts the invoice of its charges (the
//! units' days and any damage) once every unit that went out is back, and
//! `POST /rentals/{id}/late-fee-invoice` drafts an invoice of its own for the late fees not
//! billed yet. A sent invoice is never edited: late fees charged later go on the next one.
//!
//! Each invoice's id is derived from the rental (UUIDv5 in the rental's id), so a retry, or a
//! crash between drafting the invoice and recording it on the rental, lands on the same
//! invoice instead of a second one.

use axum::extract::State;
use niaga_domain::{
    ids::{InvoiceId, RentalId},
    invoice::{AmendDraft, DraftInvoice, Invoice, InvoiceCommand, PaymentTerms},
    rental::{
        BillLateFees, LateFee, Rental, RentalCommand, RentalError, RentalRecord,
        invoicing::{late_fee_lines, rental_lines},
    },
};
use niaga_store::CommandOptions;
use uuid::Uuid;

use super::load;
use crate::{
    app::AppState,
    auth::{CurrentUser, SALES_OR_FINANCE_WRITE},
    command::{CommandAccepted, CommandMeta},
    error::{ApiError, Problem, Result},
    extract::{Json, Path},
    http::invoices::{TermsBody, location as invoices_location},
};

/// The invoice of a rental's charges: one per rental.
fn charges_invoice_id(rental: RentalId) -> InvoiceId {
    InvoiceId::from_uuid(Uuid::new_v5(rental.as_uuid(), b"charges"))
}

/// The `n`th late-fee invoice of a rental (1, 2, …).
fn late_fee_invoice_id(rental: RentalId, n: usize) -> InvoiceId {
    InvoiceId::from_uuid(Uuid::new_v5(
        rental.as_uuid(),
        format!("late-fees/{n}").as_bytes(),
    ))
}

/// Drafts invoice `id` with `draft`, or, if an earlier attempt drafted it and it is still a
/// draft, saves `draft`'s lines and terms over it (nothing when unchanged). One derived from
/// the rental that is no longer a draft is not drafted again (`rental-already-invoiced`).
async fn draft_or_amend(
    state: &AppState,
    meta: &CommandMeta,
    ctx: &niaga_domain::Ctx,
    draft: DraftInvoice,
) -> Result<CommandAccepted> {
    let invoices = state.commands::<Invoice>();
    let id = draft.id;
    let existing = invoices.load(&id.to_string()).await?;
    let drafted = existing.as_ref().and_then(|(invoice, _)| invoice.drafted());
    if drafted.is_some_and(|invoice| invoice.number().is_some()) {
        return Err(ApiError::refused(
            "rental-already-invoiced",
            format!("the rental is invoiced as {id}, already issued"),
        ));
    }
    let (command, new_stream) = match drafted {
        None => (InvoiceCommand::Draft(draft), true),
        Some(_) => (
            InvoiceCommand::AmendDraft(AmendDraft {
                lines: draft.lines,
                payment_terms: draft.payment_terms,
                customer_reference: draft.customer_reference,
            }),
            false,
        ),
    };
    let options = CommandOptions {
        new_stream,
        client_address: meta.client_address.clone(),
        ..CommandOptions::default()
    };
    let outcome = invoices
        .execute(&id.to_string(), &command, ctx, &options)
        .await?;
    Ok(CommandAccepted::created(id, &outcome).at(invoices_location(id)))
}

fn draft(
    rental: &RentalRecord,
    id: InvoiceId,
    lines: Vec<niaga_domain::billing::LineInput>,
    payment_terms: PaymentTerms,
) -> DraftInvoice {
    DraftInvoice {
        id,
        customer_id: rental.customer_id,
        currency: rental.currency,
        lines,
        payment_terms,
        customer_reference: None,
        source: None,
    }
}

/// Draft the invoice of the rental's charges: each unit's days at the cheapest cover of its
/// reserved rate card, and any damage or loss charge, taxed under the SST rules of the issue
/// day. Once every unit that went out is back; one invoice per rental (a retry answers the
/// same invoice while it is a draft).
#[utoipa::path(
    post,
    path = "/rentals/{id}/invoice",
    tag = "rentals",
    request_body = TermsBody,
    params(("id" = Uuid, Path, description = "The rental")),
    responses(
        (status = CREATED, description = "The draft invoice", body = CommandAccepted,
            headers(("location" = String, description = "/invoices/{id}"))),
        (status = NOT_FOUND, description = "No such rental", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "`units-still-out`, `nothing-checked-out`, or already invoiced and issued (`rental-already-invoiced`)",
            body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub(super) async fn invoice_charges(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(body): Json<TermsBody>,
) -> Result<CommandAccepted> {
    let user = user.require(SALES_OR_FINANCE_WRITE)?;
    let payment_terms = body.payment_terms()?;
    let (rental, _) = load(&state, id).await?;
    let out: Vec<_> = rental.units_out().map(|u| u.unit.serial.clone()).collect();
    if !out.is_empty() {
        return Err(RentalError::UnitsStillOut { serials: out }.into());
    }
    if rental.units.iter().all(|u| u.check_in.is_none()) {
        return Err(RentalError::NothingCheckedOut.into());
    }
    let invoice_id = charges_invoice_id(rental.id);
    let lines = rental_lines(&rental, &state.rental_policy().damage_tax)
        .map_err(|e| ApiError::refused("rental-charges-invalid", e))?;
    let ctx = meta.ctx(&user);
    draft_or_amend(
        &state,
        &meta,
        &ctx,
        draft(&rental, invoice_id, lines, payment_terms),
    )
    .await
}

/// Draft an invoice of the late fees charged and not billed yet (one line per unit and
/// policy version), and record them on the rental as billed by it. Fees charged later go on
/// the next late-fee invoice.
#[utoipa::path(
    post,
    path = "/rentals/{id}/late-fee-invoice",
    tag = "rentals",
    request_body = TermsBody,
    params(("id" = Uuid, Path, description = "The rental")),
    responses(
        (status = CREATED, description = "The draft invoice", body = CommandAccepted,
            headers(("location" = String, description = "/invoices/{id}"))),
        (status = NOT_FOUND, description = "No such rental", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "`no-late-fees-to-bill`", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub(super) async fn invoice_late_fees(
    user: CurrentUser,
    meta: CommandMeta,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(body): Json<TermsBody>,
) -> Result<CommandAccepted> {
    let user = user.require(SALES_OR_FINANCE_WRITE)?;
    let payment_terms = body.payment_terms()?;
    let (rental, version) = load(&state, id).await?;
    let unbilled: Vec<&LateFee> = rental.unbilled_late_fees().collect();
    if unbilled.is_empty() {
        return Err(RentalError::NoLateFeesToBill.into());
    }
    let mut billed_on: Vec<InvoiceId> = rental.late_fees.iter().filter_map(|f| f.billed).collect();
    billed_on.sort();
    billed_on.dedup();
    let invoice_id = late_fee_invoice_id(rental.id, billed_on.len() + 1);
    let lines = late_fee_lines(&rental, &unbilled, &state.rental_policy().late_fee_tax)
        .map_err(|e| ApiError::refused("late-fees-invalid", e))?;
    let ctx = meta.ctx(&user);
    let accepted = draft_or_amend(
        &state,
        &meta,
        &ctx,
        draft(&rental, invoice_id, lines, payment_terms),
    )
    .await?;
    // Billed only as read: fees charged meanwhile make this a conflict, and a retry drafts
    // them in.
    let options = CommandOptions {
        expected_version: Some(version),
        client_address: meta.client_address.clone(),
        ..CommandOptions::default()
    };
    state
        .commands::<Rental>()
        .execute(
            &id.to_string(),
            &RentalCommand::BillLateFees(BillLateFees { invoice_id }),
            &ctx,
            &options,
        )
        .await?;
    Ok(accepted)
}
