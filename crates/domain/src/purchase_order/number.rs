//! How purchase orders are numbered: `PO-2026-000042`.

use serde::{Deserialize, Serialize};

use crate::values::{ValueError, string_value};

/// The name of the purchase-order number series in the store (one series per year).
/// Stored: never rename.
pub const SERIES: &str = "purchase-order";

const PREFIX: &str = "PO";
const SERIAL_DIGITS: usize = 6;

/// A purchase order's number: `PO-`, the year and a serial of at least 6 digits, zero-padded
/// (`PO-2026-000042`). Numbers are allocated outside the domain from the per-year
/// [`SERIES`], in the transaction that sends the order (as invoices are), and arrive in
/// [`SendPurchaseOrder`](super::SendPurchaseOrder); every revision keeps the number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PurchaseOrderNumber(String);

string_value!(PurchaseOrderNumber);

impl PurchaseOrderNumber {
    /// The `serial`th number of `year`'s series. Serials count from 1; the year has four
    /// digits.
    pub fn new(year: i32, serial: u64) -> Result<Self, ValueError> {
        if !(1000..=9999).contains(&year) || serial == 0 {
            return Err(ValueError::PurchaseOrderNumber);
        }
        Ok(Self(format!(
            "{PREFIX}-{year}-{serial:0width$}",
            width = SERIAL_DIGITS
        )))
    }

    /// Checks the shape; lower case is upper-cased. Only the form [`PurchaseOrderNumber::new`]
    /// writes is accepted, so one number has one spelling.
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        let written = input.trim().to_ascii_uppercase();
        let (year, serial) = written
            .strip_prefix("PO-")
            .and_then(|rest| rest.split_once('-'))
            .filter(|(y, s)| {
                [y, s]
                    .iter()
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            })
            .and_then(|(y, s)| Some((y.parse().ok()?, s.parse().ok()?)))
            .ok_or(ValueError::PurchaseOrderNumber)?;
        let number = Self::new(year, serial)?;
        if number.0 == written {
            Ok(number)
        } else {
            Err(ValueError::PurchaseOrderNumber)
        }
    }

    /// The year of the series it was allocated from.
    pub fn year(&self) -> i32 {
        // Made only by `new` (directly or through `parse`): the year is there.
        self.0
            .split('-')
            .nth(1)
            .and_then(|y| y.parse().ok())
            .unwrap_or_default()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_purchase_order_number_is_po_year_and_a_zero_padded_serial() {
        let number = PurchaseOrderNumber::new(2026, 42).unwrap();
        assert_eq!(number.as_str(), "PO-2026-000042");
        assert_eq!(number.year(), 2026);
        assert_eq!(
            PurchaseOrderNumber::parse(" po-2026-000042 ").unwrap(),
            number
        );
        assert_eq!(
            PurchaseOrderNumber::new(2027, 1_234_567).unwrap().as_str(),
            "PO-2027-1234567"
        );
    }

    #[test]
    fn a_purchase_order_number_of_another_shape_is_refused() {
        for input in [
            "",
            "PO-2026-00042",
            "PO-2026-0000042",
            "PO-2026-000000",
            "PO-26-000042",
            "INV-2026-000042",
            "PO-2026-000042-1",
            "PO-2026-+00042",
        ] {
            assert_eq!(
                PurchaseOrderNumber::parse(input),
                Err(ValueError::PurchaseOrderNumber),
                "{input}"
            );
        }
        assert!(PurchaseOrderNumber::new(2026, 0).is_err());
        assert!(serde_json::from_str::<PurchaseOrderNumber>(r#""PO-2026-1""#).is_err());
    }
}
