//! The bytes the DocDigest and the RSA signature cover (LHDN.md §3.2 step 2): the document
//! minified, without `Invoice[0].UBLExtensions` and `Invoice[0].Signature`, everything else
//! exactly as written.

use std::ops::Range;

use crate::json::{self, Step};

/// A document, minified, and its transform.
#[derive(Debug, Clone)]
pub(crate) struct Transformed {
    pub minified: Vec<u8>,
    /// `T`: what is hashed and signed.
    pub unsigned: Vec<u8>,
    /// Where `Invoice[0]` (an object) is in `unsigned`.
    pub invoice: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TransformError {
    NotJson(String),
    NotAnInvoice,
}

const INVOICE: [Step<'static>; 2] = [Step::Key("Invoice"), Step::Index(0)];

pub(crate) fn transform(bytes: &[u8]) -> Result<Transformed, TransformError> {
    json::check(bytes).map_err(|e| TransformError::NotJson(e.to_string()))?;
    let minified = json::minify(bytes);
    let invoice = json::find(&minified, &INVOICE).ok_or(TransformError::NotAnInvoice)?;
    let members = json::members(&minified, invoice.start).ok_or(TransformError::NotAnInvoice)?;
    let kept: Vec<&[u8]> = members
        .iter()
        .filter(|m| !m.has_key(&minified, "UBLExtensions") && !m.has_key(&minified, "Signature"))
        .map(|m| &minified[m.whole.clone()])
        .collect();
    let mut unsigned = Vec::with_capacity(minified.len());
    unsigned.extend_from_slice(&minified[..=invoice.start]);
    unsigned.extend_from_slice(&kept.join(&b","[..]));
    let invoice_end = unsigned.len() + 1;
    unsigned.extend_from_slice(&minified[invoice.end - 1..]);
    Ok(Transformed {
        minified,
        unsigned,
        invoice: invoice.start..invoice_end,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_blocks_are_cut_and_the_rest_kept_as_written() {
        let signed = br#"{ "_D":"x", "Invoice":[{"ID":[{"_":"A\"1"}],"UBLExtensions":[{}],"N":[{"_":1.50}],"Signature":[{}]}]}"#;
        let t = transform(signed).unwrap();
        assert_eq!(
            String::from_utf8(t.unsigned.clone()).unwrap(),
            r#"{"_D":"x","Invoice":[{"ID":[{"_":"A\"1"}],"N":[{"_":1.50}]}]}"#
        );
        assert_eq!(
            &t.unsigned[t.invoice.clone()],
            br#"{"ID":[{"_":"A\"1"}],"N":[{"_":1.50}]}"#
        );
    }

    #[test]
    fn text_that_is_not_an_invoice_document_is_refused() {
        assert!(matches!(
            transform(b"{\"a\":"),
            Err(TransformError::NotJson(_))
        ));
        assert_eq!(
            transform(b"{\"Invoice\":[1]}").unwrap_err(),
            TransformError::NotAnInvoice
        );
    }
}
