//! How invoices and notes are numbered: `INV-2026-000123`, `CN-2026-000001`.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::values::{ValueError, string_value};

/// The kinds of document an invoice stream issues, each numbered in its own per-year series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    Invoice,
    CreditNote,
    DebitNote,
    RefundNote,
}

impl DocumentKind {
    pub const ALL: [Self; 4] = [
        Self::Invoice,
        Self::CreditNote,
        Self::DebitNote,
        Self::RefundNote,
    ];

    /// What its numbers start with.
    pub fn prefix(self) -> &'static str {
        match self {
            Self::Invoice => "INV",
            Self::CreditNote => "CN",
            Self::DebitNote => "DN",
            Self::RefundNote => "RN",
        }
    }

    /// The name of its number series in the store (one series per kind and year). Stored:
    /// never rename.
    pub fn series(self) -> &'static str {
        match self {
            Self::Invoice => "invoice",
            Self::CreditNote => "credit-note",
            Self::DebitNote => "debit-note",
            Self::RefundNote => "refund-note",
        }
    }

    /// LHDN's e-invoice type code (LHDN.md §2.3; the self-billed kinds are not issued here).
    pub fn lhdn_type_code(self) -> &'static str {
        match self {
            Self::Invoice => "01",
            Self::CreditNote => "02",
            Self::DebitNote => "03",
            Self::RefundNote => "04",
        }
    }

    fn from_prefix(prefix: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.prefix() == prefix)
    }
}

impl fmt::Display for DocumentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Invoice => "invoice",
            Self::CreditNote => "credit note",
            Self::DebitNote => "debit note",
            Self::RefundNote => "refund note",
        })
    }
}

/// The number of an invoice or a note: prefix, year and a serial of at least 6 digits,
/// zero-padded (`INV-2026-000123`). Numbers are allocated outside the domain from the
/// per-(kind, year) series, which needs the store, and arrive in the command.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DocumentNumber(String);

string_value!(DocumentNumber);

const SERIAL_DIGITS: usize = 6;

impl DocumentNumber {
    /// The `serial`th number of the `kind` series of `year`. Serials count from 1; the year
    /// has four digits.
    pub fn new(kind: DocumentKind, year: i32, serial: u64) -> Result<Self, ValueError> {
        if !(1000..=9999).contains(&year) || serial == 0 {
            return Err(ValueError::DocumentNumber);
        }
        Ok(Self(format!(
            "{}-{year}-{serial:0width$}",
            kind.prefix(),
            width = SERIAL_DIGITS
        )))
    }

    /// Checks the shape; lower case is upper-cased. Only the form [`DocumentNumber::new`]
    /// writes is accepted, so one number has one spelling (`INV-2026-0000123` is refused).
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        let written = input.trim().to_ascii_uppercase();
        let mut parts = written.split('-');
        let (Some(prefix), Some(year), Some(serial), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(ValueError::DocumentNumber);
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !(digits(year) && digits(serial)) {
            return Err(ValueError::DocumentNumber);
        }
        let kind = DocumentKind::from_prefix(prefix).ok_or(ValueError::DocumentNumber)?;
        let year = year.parse().map_err(|_| ValueError::DocumentNumber)?;
        let serial = serial.parse().map_err(|_| ValueError::DocumentNumber)?;
        let number = Self::new(kind, year, serial)?;
        if number.0 == written {
            Ok(number)
        } else {
            Err(ValueError::DocumentNumber)
        }
    }

    /// The kind of document, from the prefix.
    pub fn kind(&self) -> DocumentKind {
        self.parts().0
    }

    /// The year of the series it was allocated from.
    pub fn year(&self) -> i32 {
        self.parts().1
    }

    pub fn serial(&self) -> u64 {
        self.parts().2
    }

    fn parts(&self) -> (DocumentKind, i32, u64) {
        // Made only by `new` (directly or through `parse`): the three parts are there.
        let mut parts = self.0.split('-');
        let kind = parts
            .next()
            .and_then(DocumentKind::from_prefix)
            .unwrap_or(DocumentKind::Invoice);
        let year = parts
            .next()
            .and_then(|y| y.parse().ok())
            .unwrap_or_default();
        let serial = parts
            .next()
            .and_then(|s| s.parse().ok())
            .unwrap_or_default();
        (kind, year, serial)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_document_number_is_prefix_year_and_a_zero_padded_serial() {
        let number = DocumentNumber::new(DocumentKind::Invoice, 2026, 123).unwrap();
        assert_eq!(number.as_str(), "INV-2026-000123");
        assert_eq!(
            (number.kind(), number.year(), number.serial()),
            (DocumentKind::Invoice, 2026, 123)
        );
        let long = DocumentNumber::new(DocumentKind::RefundNote, 2027, 1_234_567).unwrap();
        assert_eq!(long.as_str(), "RN-2027-1234567");
        assert_eq!(
            DocumentNumber::parse(" cn-2026-000001 ").unwrap().kind(),
            DocumentKind::CreditNote
        );
        assert_eq!(DocumentNumber::parse("RN-2027-1234567").unwrap(), long);
    }

    #[test]
    fn a_document_number_of_another_shape_is_refused() {
        for input in [
            "",
            "INV-2026-00123",
            "INV-2026-0000123",
            "INV-2026-000000",
            "INV-26-000123",
            "QUO-2026-000123",
            "INV-2026-000123-1",
            "INV2026-000123",
            "INV-2026-+00123",
        ] {
            assert_eq!(
                DocumentNumber::parse(input),
                Err(ValueError::DocumentNumber),
                "{input}"
            );
        }
        assert!(DocumentNumber::new(DocumentKind::Invoice, 2026, 0).is_err());
        assert!(DocumentNumber::new(DocumentKind::Invoice, 999, 1).is_err());
        assert!(serde_json::from_str::<DocumentNumber>(r#""INV-2026-1""#).is_err());
    }

    #[test]
    fn each_kind_has_its_prefix_series_and_lhdn_type_code() {
        let table: Vec<_> = DocumentKind::ALL
            .into_iter()
            .map(|k| (k.prefix(), k.series(), k.lhdn_type_code()))
            .collect();
        assert_eq!(
            table,
            [
                ("INV", "invoice", "01"),
                ("CN", "credit-note", "02"),
                ("DN", "debit-note", "03"),
                ("RN", "refund-note", "04"),
            ]
        );
        assert_eq!(
            serde_json::to_string(&DocumentKind::CreditNote).unwrap(),
            r#""credit_note""#
        );
    }
}
