//! Why a line or a document's totals are refused.

use crate::money::{Currency, Money};
use crate::tax::TaxError;
use crate::values::TextProblem;

/// What is wrong with one line. Each message is written for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LineError {
    #[error("description {0}")]
    Description(TextProblem),
    #[error("the {field} is in {found}, but the document is in {expected}")]
    Currency {
        field: &'static str,
        expected: Currency,
        found: Currency,
    },
    #[error("the unit price cannot be negative (a return is a credit note)")]
    NegativePrice,
    #[error("the discount cannot be negative")]
    NegativeDiscount,
    /// A discount is money handed back, so it is a whole number of sen; rounding it silently
    /// would change what the person typed.
    #[error("the discount is written in whole sen (two decimals at most)")]
    DiscountFractionOfSen,
    #[error("the discount ({discount}) is more than the line's amount ({subtotal})")]
    DiscountExceedsSubtotal { discount: Money, subtotal: Money },
    #[error(transparent)]
    Tax(#[from] TaxError),
    #[error("the line's amount is too large")]
    Overflow,
}

impl LineError {
    /// The field of the line the problem is in, as the request body names it.
    pub fn field(&self) -> &'static str {
        match self {
            Self::Description(_) => "description",
            Self::Currency { field, .. } => field,
            Self::NegativePrice | Self::Overflow => "unit_price",
            Self::NegativeDiscount
            | Self::DiscountFractionOfSen
            | Self::DiscountExceedsSubtotal { .. } => "discount",
            Self::Tax(_) => "tax",
        }
    }
}

/// A document's lines or totals were refused; the API answers it with a 4xx.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BillingError {
    /// `index` counts from 0 as in the request; the message counts from 1 as on the document.
    #[error("line {}: {problem}", .index + 1)]
    Line { index: usize, problem: LineError },
    #[error("a document has at most {max} lines: split the sale over more documents")]
    TooManyLines { max: usize },
    #[error("the {field} is in {found}, but the document is in {expected}")]
    Currency {
        field: &'static str,
        expected: Currency,
        found: Currency,
    },
    #[error("the amount prepaid must be zero or more, in whole sen")]
    InvalidPrepaid,
    #[error("the amount prepaid ({prepaid}) is more than the total including tax ({total})")]
    PrepaidExceedsTotal { prepaid: Money, total: Money },
    /// A payable rounding (such as rounding a cash bill to 5 sen) adjusts by a few sen; a
    /// larger figure is a discount and belongs on a line.
    #[error("the payable rounding is in whole sen and less than 5 sen either way")]
    InvalidRounding,
    #[error("the amount payable cannot be negative")]
    NegativePayable,
    #[error("the document's amounts are too large")]
    Overflow,
}

impl BillingError {
    /// Where the problem is in the request body, as a JSON pointer (RFC 6901) relative to the
    /// object holding `lines`, `prepaid` and `rounding`.
    pub fn pointer(&self) -> String {
        match self {
            Self::Line { index, problem } => format!("/lines/{index}/{}", problem.field()),
            Self::TooManyLines { .. } => "/lines".to_owned(),
            Self::Currency { field, .. } => format!("/{field}"),
            Self::InvalidPrepaid | Self::PrepaidExceedsTotal { .. } => "/prepaid".to_owned(),
            Self::InvalidRounding | Self::NegativePayable => "/rounding".to_owned(),
            Self::Overflow => String::new(),
        }
    }
}
