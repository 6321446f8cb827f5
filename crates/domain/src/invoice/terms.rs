//! When an issued invoice falls due.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::values::ValueError;

/// How many days after its issue day an invoice is due: 0 (due on receipt) to 365.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "u16", into = "u16")]
pub struct PaymentTerms(u16);

const MAX_DAYS: u16 = 365;

impl PaymentTerms {
    /// Due on the day of issue.
    pub const ON_RECEIPT: Self = Self(0);

    pub fn new(days: u16) -> Result<Self, ValueError> {
        if days <= MAX_DAYS {
            Ok(Self(days))
        } else {
            Err(ValueError::PaymentTerms)
        }
    }

    pub fn days(self) -> u16 {
        self.0
    }

    /// The day an invoice issued on `issued_on` is due: 30 days from 1 June is 1 July.
    pub fn due_on(self, issued_on: NaiveDate) -> NaiveDate {
        crate::ctx::days_after(issued_on, self.0)
    }
}

impl TryFrom<u16> for PaymentTerms {
    type Error = ValueError;
    fn try_from(days: u16) -> Result<Self, Self::Error> {
        Self::new(days)
    }
}

impl From<PaymentTerms> for u16 {
    fn from(terms: PaymentTerms) -> u16 {
        terms.0
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn payment_terms_are_0_to_365_days() {
        assert_eq!(PaymentTerms::new(366), Err(ValueError::PaymentTerms));
        assert_eq!(PaymentTerms::new(0), Ok(PaymentTerms::ON_RECEIPT));
        assert_eq!(PaymentTerms::new(365).unwrap().days(), 365);
        assert!(serde_json::from_str::<PaymentTerms>("400").is_err());
    }

    #[test]
    fn an_invoice_is_due_its_terms_after_the_issue_day() {
        let issued = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        assert_eq!(
            PaymentTerms::new(30).unwrap().due_on(issued),
            NaiveDate::from_ymd_opt(2026, 7, 1).unwrap()
        );
        assert_eq!(PaymentTerms::ON_RECEIPT.due_on(issued), issued);
    }
}
