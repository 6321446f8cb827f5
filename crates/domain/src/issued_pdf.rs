//! The PDF of a document as issued: rendered, kept in the document store, and recorded by
//! its SHA-256 on the stream of the document it renders, so the history of every issued
//! document says exactly which bytes went out.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::values::Sha256Hex;

/// Which document a PDF renders. Stored in events: never rename a variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PdfKind {
    Invoice,
    CreditNote,
    DebitNote,
    RefundNote,
    /// A quotation's revision as sent.
    Quotation,
    /// A delivery order as signed, with the signature and its evidence.
    SignedDeliveryOrder,
    /// The copy of a delivery order shown on the signature page before signing.
    DeliveryOrderShown,
    RentalReturnReceipt,
}

impl PdfKind {
    /// The kind as the API names it (`credit_note`): its stored name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Invoice => "invoice",
            Self::CreditNote => "credit_note",
            Self::DebitNote => "debit_note",
            Self::RefundNote => "refund_note",
            Self::Quotation => "quotation",
            Self::SignedDeliveryOrder => "signed_delivery_order",
            Self::DeliveryOrderShown => "delivery_order_shown",
            Self::RentalReturnReceipt => "rental_return_receipt",
        }
    }

    /// The document store's kind of this PDF. Stored in its metadata: never change.
    pub fn store_kind(self) -> &'static str {
        match self {
            Self::Invoice => "invoice_pdf",
            Self::CreditNote => "credit_note_pdf",
            Self::DebitNote => "debit_note_pdf",
            Self::RefundNote => "refund_note_pdf",
            Self::Quotation => "quotation_pdf",
            Self::SignedDeliveryOrder => "signed_delivery_order_pdf",
            Self::DeliveryOrderShown => "delivery_order_shown_pdf",
            Self::RentalReturnReceipt => "rental_return_receipt_pdf",
        }
    }
}

/// A PDF was issued: which document, as of which version of its stream, where it is kept
/// and the digest of its bytes. Stored in events: never rename a field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PdfIssued {
    pub kind: PdfKind,
    /// The document it renders: the invoice, the note, the quotation, the delivery order or
    /// the rental.
    pub document_id: Uuid,
    /// The version of the stream it renders: the version of the event that issued the
    /// document (an invoice issued, a note issued, LHDN's validation, a revision sent, a
    /// delivery order signed, a unit returned). With `kind` and `document_id`, it names the
    /// PDF: one is issued per such triple, never two.
    pub version: u64,
    /// The stored document (`GET /documents/{document_key}`).
    pub document_key: Uuid,
    pub sha256: Sha256Hex,
    pub size_bytes: u64,
}

impl PdfIssued {
    fn names_same_document(&self, other: &Self) -> bool {
        (self.kind, self.document_id, self.version)
            == (other.kind, other.document_id, other.version)
    }
}

/// Records a PDF: the event's payload, or nothing when a PDF of the same document and
/// version is recorded already (a retry, or a second instance issuing the same PDF). The
/// first recorded stays the one issued.
pub fn record_pdf(issued: &[PdfIssued], pdf: &PdfIssued) -> Option<PdfIssued> {
    (!issued.iter().any(|p| p.names_same_document(pdf))).then(|| pdf.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pdf(version: u64, sha: char) -> PdfIssued {
        PdfIssued {
            kind: PdfKind::Invoice,
            document_id: Uuid::nil(),
            version,
            document_key: Uuid::nil(),
            sha256: Sha256Hex::parse(&sha.to_string().repeat(64)).expect("a digest"),
            size_bytes: 10,
        }
    }

    #[test]
    fn a_pdf_of_a_new_version_is_recorded() {
        assert_eq!(record_pdf(&[pdf(3, 'a')], &pdf(7, 'b')), Some(pdf(7, 'b')));
    }

    #[test]
    fn a_pdf_of_a_version_already_recorded_records_nothing() {
        assert_eq!(record_pdf(&[pdf(3, 'a')], &pdf(3, 'b')), None);
    }
}
