//! Cancelling an issued invoice on request: if LHDN validated it, LHDN cancels it first
//! (within 72 hours of validation, LHDN.md §1.7), then the cancellation is recorded. The
//! invoice's own rules are checked before LHDN is asked, so LHDN never cancels what Niaga
//! would refuse.

use niaga_domain::invoice::{CancelInvoice, Invoice, InvoiceCommand, InvoiceError, InvoiceEvent};
use niaga_domain::{Aggregate, Ctx};
use niaga_lhdn::client::{ClientError, DocumentStatus, LhdnError};
use niaga_store::{CommandError, CommandOptions, Outcome};

use crate::Submitter;

#[derive(Debug, thiserror::Error)]
pub enum CancelError {
    #[error("this invoice does not exist")]
    NotFound,
    #[error(transparent)]
    Refused(InvoiceError),
    /// LHDN said no (`OperationPeriodOver`, `ActiveReferencingDocuments`...).
    #[error("LHDN refused to cancel the document: {0}")]
    RefusedByLhdn(LhdnError),
    /// LHDN could not be asked; nothing was cancelled.
    #[error("LHDN could not be asked to cancel the document: {0}")]
    LhdnUnavailable(ClientError),
    #[error("the event store failed: {0}")]
    Store(String),
}

impl Submitter {
    /// Cancels the invoice `invoice_id` with `reason`, at LHDN too once it is validated.
    pub async fn cancel(
        &self,
        invoice_id: &str,
        reason: &str,
        ctx: &Ctx,
        options: &CommandOptions,
    ) -> Result<Outcome<InvoiceEvent>, CancelError> {
        let command = InvoiceCommand::Cancel(CancelInvoice {
            reason: reason.to_owned(),
        });
        let (state, _) = self
            .invoices
            .load(invoice_id)
            .await
            .map_err(|error| CancelError::Store(error.to_string()))?
            .ok_or(CancelError::NotFound)?;
        let decided = state.decide(&command, ctx).map_err(CancelError::Refused)?;
        if let (Invoice::Drafted(record), false) = (&state, decided.is_empty())
            && let Some(validation) = &record.lhdn
        {
            self.cancel_at_lhdn(&validation.document_uuid, reason.trim())
                .await?;
        }
        self.invoices
            .execute(invoice_id, &command, ctx, options)
            .await
            .map_err(|error| match error {
                CommandError::Domain(refusal) => CancelError::Refused(refusal),
                other => CancelError::Store(other.to_string()),
            })
    }

    async fn cancel_at_lhdn(&self, document_uuid: &str, reason: &str) -> Result<(), CancelError> {
        match self.client.cancel(document_uuid, reason).await {
            Ok(()) => Ok(()),
            // Cancelled by an earlier request whose record was lost: done already.
            Err(ClientError::Refused { error, .. })
                if error.code.as_deref() == Some("IncorrectState") =>
            {
                let details = self
                    .client
                    .document_details(document_uuid)
                    .await
                    .map_err(CancelError::LhdnUnavailable)?;
                if details.summary.status == DocumentStatus::Cancelled {
                    Ok(())
                } else {
                    Err(CancelError::RefusedByLhdn(*error))
                }
            }
            Err(ClientError::Refused { error, .. }) => Err(CancelError::RefusedByLhdn(*error)),
            Err(other) => Err(CancelError::LhdnUnavailable(other)),
        }
    }
}
