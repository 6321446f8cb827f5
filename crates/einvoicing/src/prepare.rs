//! A document made ready to send: loaded from its stream (with the invoice's customer),
//! mapped to LHDN's UBL and signed. The signed bytes are what is stored, hashed and sent,
//! unchanged.

use chrono::{DateTime, Utc};
use niaga_domain::consolidation::ConsolidatedNumber;
use niaga_domain::customer::Customer;
use niaga_domain::einvoice::{SubmissionError, window_closed};
use niaga_domain::ids::NoteId;
use niaga_domain::invoice::{Invoice, InvoiceRecord};
use niaga_lhdn::client::SignedDocument;
use niaga_lhdn::map::{self, Options};
use niaga_lhdn::ubl::Document;
use niaga_projections::lhdn_documents::LhdnDocument;

use crate::document::DocumentRef;
use crate::{Submitter, SubmitterError, store_error};

/// Why a document cannot be sent: the submitter holds it back with this reason, for someone
/// to fix and ask for it again.
#[derive(Debug, thiserror::Error)]
pub(crate) enum NotReady {
    #[error("its invoice {0} is not in the event store")]
    NoInvoice(String),
    #[error("its customer is not registered")]
    NoCustomer,
    #[error("the note {0} is not on its invoice")]
    NoNote(NoteId),
    #[error("the consolidated e-invoice {0} is not in the event store")]
    NoConsolidated(ConsolidatedNumber),
    #[error("it cannot be mapped to LHDN's format: {0}")]
    Map(#[from] map::MapError),
    #[error("it cannot be signed: {0}")]
    Sign(#[from] niaga_lhdn::sign::SignError),
    #[error("it is {size} bytes signed, over LHDN's limit of {limit} bytes a document")]
    TooLarge { size: usize, limit: usize },
    /// LHDN's 72 hours since its issue are over.
    #[error(transparent)]
    TooLate(SubmissionError),
}

/// A document of the work list, prepared.
#[derive(Debug)]
pub(crate) struct Prepared {
    pub document: DocumentRef,
    /// Its issue time: the document store files the signed copy under its day.
    pub issued_at: DateTime<Utc>,
    pub signed: SignedDocument,
}

impl Submitter {
    /// The issued invoice of `invoice_id`, as its stream has it now.
    pub(crate) async fn invoice(
        &self,
        invoice_id: &str,
    ) -> Result<Option<Box<InvoiceRecord>>, SubmitterError> {
        Ok(
            match self.invoices.load(invoice_id).await.map_err(store_error)? {
                Some((Invoice::Drafted(record), _)) => Some(record),
                _ => None,
            },
        )
    }

    fn options(&self) -> Options {
        Options {
            version: self.settings.version,
        }
    }

    /// The invoice, or its note, as LHDN's UBL, with its issue time.
    async fn invoice_document(
        &self,
        invoice_id: &str,
        note_id: Option<NoteId>,
    ) -> Result<Result<(Document, DateTime<Utc>), NotReady>, SubmitterError> {
        let Some(record) = self.invoice(invoice_id).await? else {
            return Ok(Err(NotReady::NoInvoice(invoice_id.to_owned())));
        };
        let customer = match self
            .customers
            .load(&record.customer_id.to_string())
            .await
            .map_err(store_error)?
        {
            Some((Customer::Registered(customer), _)) => customer,
            _ => return Ok(Err(NotReady::NoCustomer)),
        };
        let (mapped, issued_at) = match note_id {
            None => (
                map::invoice(&record, &customer, &self.supplier, &self.options()),
                record.issue.as_ref().map(|i| i.issued_at),
            ),
            Some(id) => match record.note(id) {
                Some(note) => (
                    map::note(&record, note, &customer, &self.supplier, &self.options()),
                    Some(note.issued_at),
                ),
                None => return Ok(Err(NotReady::NoNote(id))),
            },
        };
        Ok(match (mapped, issued_at) {
            (Ok(document), Some(at)) => Ok((document, at)),
            (Err(error), _) => Err(error.into()),
            (Ok(_), None) => Err(NotReady::NoInvoice(invoice_id.to_owned())),
        })
    }

    /// A month's consolidated e-invoice as LHDN's UBL, with its issue time.
    async fn consolidated_document(
        &self,
        month: &str,
        number: &ConsolidatedNumber,
    ) -> Result<Result<(Document, DateTime<Utc>), NotReady>, SubmitterError> {
        let Some(document) = self.consolidated(month, number).await? else {
            return Ok(Err(NotReady::NoConsolidated(number.clone())));
        };
        Ok(
            map::consolidated(&document, &self.supplier, &self.options())
                .map(|mapped| (mapped, document.issued_at))
                .map_err(NotReady::from),
        )
    }

    /// The document mapped and signed, unless it cannot be sent at `now` (and why).
    pub(crate) async fn prepare(
        &self,
        document: DocumentRef,
        row: &LhdnDocument,
        now: DateTime<Utc>,
    ) -> Result<Result<Prepared, NotReady>, SubmitterError> {
        let mapped = match &document {
            DocumentRef::Invoice {
                invoice_id,
                note_id,
            } => self.invoice_document(invoice_id, *note_id).await?,
            DocumentRef::Consolidated { month, number } => {
                self.consolidated_document(month, number).await?
            }
        };
        let (ubl, issued_at) = match mapped {
            Ok(mapped) => mapped,
            Err(reason) => return Ok(Err(reason)),
        };
        // Checked before signing: LHDN would refuse it whatever the bytes.
        if let Some(refusal) = window_closed(issued_at, now) {
            return Ok(Err(NotReady::TooLate(refusal)));
        }
        let bytes = match self.signer.sign_document(&ubl) {
            Ok(bytes) => bytes,
            Err(error) => return Ok(Err(error.into())),
        };
        let limit = self.settings.limits.document_bytes;
        if bytes.len() > limit {
            let size = bytes.len();
            return Ok(Err(NotReady::TooLarge { size, limit }));
        }
        Ok(Ok(Prepared {
            document,
            issued_at,
            signed: SignedDocument {
                code_number: row.number.clone(),
                bytes,
            },
        }))
    }
}
