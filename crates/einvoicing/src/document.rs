//! Which document a row of the work list is, and the one way every step of its submission is
//! recorded, whichever aggregate holds it: an invoice or note on the invoice's stream, or a
//! consolidated e-invoice on its month's stream. The rules are the same
//! (`niaga_domain::einvoice`); only the stream differs.

use chrono::{DateTime, Utc};
use niaga_domain::Aggregate;
use niaga_domain::consolidation::{
    ConsolidatedDocument, ConsolidatedNumber, Consolidation, ConsolidationCommand,
    ConsolidationEvent,
};
use niaga_domain::einvoice::{EInvoiceStage, SubmissionStep};
use niaga_domain::ids::NoteId;
use niaga_domain::invoice::{InvoiceCommand, InvoiceEvent};
use niaga_projections::lhdn_documents::{CONSOLIDATED_KIND, LhdnDocument};
use niaga_store::{CommandError, CommandHandler, CommandOptions};
use serde::{Serialize, de::DeserializeOwned};

use crate::{Submitter, SubmitterError, store_error};

/// A document the submitter works on, and the stream its steps are recorded on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentRef {
    /// The invoice (`note_id` `None`) or one of its notes, on the invoice's stream.
    Invoice {
        invoice_id: String,
        note_id: Option<NoteId>,
    },
    /// One of a month's consolidated e-invoices, on the month's stream.
    Consolidated {
        month: String,
        number: ConsolidatedNumber,
    },
}

impl DocumentRef {
    /// The document of a row; `None` for a row that names none (a corrupt row).
    pub fn of(row: &LhdnDocument) -> Option<Self> {
        if row.kind == CONSOLIDATED_KIND {
            return Some(Self::Consolidated {
                month: row.consolidation.clone()?,
                number: row.number.parse().ok()?,
            });
        }
        Some(Self::Invoice {
            invoice_id: row.invoice_id.clone()?,
            note_id: match &row.note_id {
                None => None,
                Some(id) => Some(id.parse().ok()?),
            },
        })
    }
}

/// What recording a step came to.
#[derive(Debug)]
pub(crate) enum Stepped {
    /// Recorded (or recorded already); a start says its attempt.
    Recorded { started: Option<u32> },
    /// The aggregate said no (under way, validated, too late...): why.
    Refused(String),
}

impl Submitter {
    /// Records `step` for `document` on its stream.
    pub(crate) async fn step(
        &self,
        document: &DocumentRef,
        step: SubmissionStep,
        now: DateTime<Utc>,
    ) -> Result<Stepped, SubmitterError> {
        match document {
            DocumentRef::Invoice {
                invoice_id,
                note_id,
            } => {
                let command = InvoiceCommand::submission(*note_id, step);
                let started = |event: &InvoiceEvent| match event {
                    InvoiceEvent::EInvoiceSubmissionStarted(e) => Some(e.started.attempt),
                    _ => None,
                };
                self.execute(&self.invoices, invoice_id, &command, started, now)
                    .await
            }
            DocumentRef::Consolidated { month, number } => {
                let command = ConsolidationCommand::Submission {
                    number: number.clone(),
                    step,
                };
                let started = |event: &ConsolidationEvent| match event {
                    ConsolidationEvent::ConsolidatedSubmissionStarted(e) => Some(e.step.attempt),
                    _ => None,
                };
                self.execute(&self.consolidations, month, &command, started, now)
                    .await
            }
        }
    }

    async fn execute<A: Aggregate + Serialize + DeserializeOwned>(
        &self,
        handler: &CommandHandler<A>,
        stream_id: &str,
        command: &A::Command,
        started: impl Fn(&A::Event) -> Option<u32>,
        now: DateTime<Utc>,
    ) -> Result<Stepped, SubmitterError> {
        match handler
            .execute(
                stream_id,
                command,
                &self.ctx(now),
                &CommandOptions::default(),
            )
            .await
        {
            Ok(outcome) => Ok(Stepped::Recorded {
                started: outcome.events.iter().find_map(started),
            }),
            Err(CommandError::Domain(reason)) => Ok(Stepped::Refused(reason.to_string())),
            Err(other) => Err(store_error(other)),
        }
    }

    /// How many submissions of `document` were started and the latest's stage, as its stream
    /// has it now; `None` if never submitted.
    pub(crate) async fn track(
        &self,
        document: &DocumentRef,
    ) -> Result<Option<(u32, EInvoiceStage)>, SubmitterError> {
        Ok(match document {
            DocumentRef::Invoice {
                invoice_id,
                note_id,
            } => self
                .invoice(invoice_id)
                .await?
                .and_then(|record| record.einvoice(*note_id).cloned())
                .map(|e| (e.attempts, e.stage)),
            DocumentRef::Consolidated { month, number } => self
                .consolidated(month, number)
                .await?
                .and_then(|d| d.stage.map(|stage| (d.attempts, stage))),
        })
    }

    /// The consolidated e-invoice `number` of `month`, as its stream has it now.
    pub(crate) async fn consolidated(
        &self,
        month: &str,
        number: &ConsolidatedNumber,
    ) -> Result<Option<ConsolidatedDocument>, SubmitterError> {
        Ok(
            match self.consolidations.load(month).await.map_err(store_error)? {
                Some((Consolidation::Prepared(prepared), _)) => prepared.document(number).cloned(),
                _ => None,
            },
        )
    }
}
