//! A document made ready to send: its invoice and customer loaded, mapped to LHDN's UBL and
//! signed. The signed bytes are what is stored, hashed and sent, unchanged.

use niaga_domain::customer::{Customer, RegisteredCustomer};
use niaga_domain::ids::NoteId;
use niaga_domain::invoice::{Invoice, InvoiceRecord, Note};
use niaga_lhdn::client::SignedDocument;
use niaga_lhdn::map::{self, Options};
use niaga_projections::lhdn_documents::LhdnDocument;

use crate::{Submitter, SubmitterError, store_error};

/// Why a document cannot be prepared; it stays pending, and the reason is logged.
#[derive(Debug, thiserror::Error)]
pub(crate) enum NotReady {
    #[error("its invoice {0} is not in the event store")]
    NoInvoice(String),
    #[error("its customer is not registered")]
    NoCustomer,
    #[error("the note {0} is not on its invoice")]
    NoNote(String),
    #[error("it cannot be mapped to LHDN's format: {0}")]
    Map(#[from] map::MapError),
    #[error("it cannot be signed: {0}")]
    Sign(#[from] niaga_lhdn::sign::SignError),
}

/// A document of the work list, prepared.
#[derive(Debug)]
pub(crate) struct Prepared {
    pub record: Box<InvoiceRecord>,
    pub note_id: Option<NoteId>,
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

    /// The invoice, or its note, mapped to LHDN's UBL and signed.
    fn signed(
        &self,
        record: &InvoiceRecord,
        note: Option<&Note>,
        customer: &RegisteredCustomer,
    ) -> Result<Vec<u8>, NotReady> {
        let options = Options {
            version: self.settings.version,
            exchange_rate: None,
        };
        let document = match note {
            None => map::invoice(record, customer, &self.supplier, &options)?,
            Some(note) => map::note(record, note, customer, &self.supplier, &options)?,
        };
        Ok(self.signer.sign_document(&document)?)
    }

    pub(crate) async fn prepare(
        &self,
        row: &LhdnDocument,
    ) -> Result<Result<Prepared, NotReady>, SubmitterError> {
        let Some(record) = self.invoice(&row.invoice_id).await? else {
            return Ok(Err(NotReady::NoInvoice(row.invoice_id.clone())));
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
        let note = match &row.note_id {
            None => None,
            Some(text) => match text.parse().ok().and_then(|id| record.note(id)) {
                Some(note) => Some(note),
                None => return Ok(Err(NotReady::NoNote(text.clone()))),
            },
        };
        let note_id = note.map(|n| n.id);
        let bytes = match self.signed(&record, note, &customer) {
            Ok(bytes) => bytes,
            Err(reason) => return Ok(Err(reason)),
        };
        Ok(Ok(Prepared {
            record,
            note_id,
            signed: SignedDocument {
                code_number: row.number.clone(),
                bytes,
            },
        }))
    }
}
