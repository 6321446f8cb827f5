//! A month's consolidated e-invoices as their events leave them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{ConsolidatedEInvoicePrepared, ConsolidatedNumber, ConsolidationEvent, SalesLine};
use crate::einvoice::{EInvoiceStage, Track};
use crate::invoice::DocumentNumber;
use crate::money::Currency;
use crate::values::Month;

/// `NotPrepared` is the state of a stream with no events (the `Default`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Consolidation {
    #[default]
    NotPrepared,
    Prepared(ConsolidatedMonth),
}

impl Consolidation {
    pub fn prepared(&self) -> Option<&ConsolidatedMonth> {
        match self {
            Self::NotPrepared => None,
            Self::Prepared(month) => Some(month),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsolidatedMonth {
    pub month: Month,
    pub documents: Vec<ConsolidatedDocument>,
}

/// One consolidated e-invoice and where it stands with LHDN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsolidatedDocument {
    pub number: ConsolidatedNumber,
    pub issued_at: DateTime<Utc>,
    pub currency: Currency,
    pub invoices: Vec<DocumentNumber>,
    pub lines: Vec<SalesLine>,
    /// How many submissions were started.
    pub attempts: u32,
    /// `None` until the first submission starts.
    pub stage: Option<EInvoiceStage>,
}

impl ConsolidatedDocument {
    pub fn track(&self) -> Option<Track<'_>> {
        self.stage.as_ref().map(|stage| Track {
            attempts: self.attempts,
            stage,
        })
    }
}

impl ConsolidatedMonth {
    pub fn document(&self, number: &ConsolidatedNumber) -> Option<&ConsolidatedDocument> {
        self.documents.iter().find(|d| d.number == *number)
    }

    fn stage(&mut self, number: &ConsolidatedNumber, stage: EInvoiceStage, new_attempt: bool) {
        if let Some(document) = self.documents.iter_mut().find(|d| d.number == *number) {
            document.attempts += u32::from(new_attempt);
            document.stage = Some(stage);
        }
    }

    pub(super) fn apply(&mut self, event: &ConsolidationEvent) {
        use ConsolidationEvent as E;
        match event {
            E::ConsolidatedEInvoicePrepared(e) => self.documents.push(document(e)),
            E::ConsolidatedSubmissionStarted(e) => self.stage(&e.number, (&e.step).into(), true),
            E::ConsolidatedEInvoiceAccepted(e) => self.stage(&e.number, (&e.step).into(), false),
            E::ConsolidatedEInvoiceRejected(e) => self.stage(&e.number, (&e.step).into(), false),
            E::ConsolidatedEInvoiceValidated(e) => self.stage(&e.number, (&e.step).into(), false),
            E::ConsolidatedEInvoiceHeld(e) => self.stage(&e.number, (&e.step).into(), false),
            E::ConsolidatedResubmissionRequested(e) => {
                self.stage(&e.number, (&e.step).into(), false);
            }
        }
    }
}

fn document(e: &ConsolidatedEInvoicePrepared) -> ConsolidatedDocument {
    ConsolidatedDocument {
        number: e.number.clone(),
        issued_at: e.issued_at,
        currency: e.currency,
        invoices: e.invoices.clone(),
        lines: e.lines.clone(),
        attempts: 0,
        stage: None,
    }
}
