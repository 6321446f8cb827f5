//! Why a document cannot be mapped. Each is a gap in what the caller gave, not a bug.

use niaga_domain::Currency;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MapError {
    #[error("the invoice is still a draft: only issued documents go to LHDN")]
    NotIssued,
    #[error(
        "invoice {number} has no LHDN UUID yet: a note must reference a document LHDN validated"
    )]
    OriginalNotValidated { number: String },
    #[error(
        "a document in {currency} needs the exchange rate to MYR (LHDN requires it since 1 September 2025)"
    )]
    ExchangeRateMissing { currency: Currency },
    #[error("a document in MYR takes no exchange rate")]
    ExchangeRateForMyr,
    #[error("the lines add up to {lines} {what}, but the document's totals say {totals}")]
    TotalsDisagree {
        what: &'static str,
        lines: String,
        totals: String,
    },
    #[error("a consolidated e-invoice needs at least one sales line")]
    NoSales,
    #[error("a consolidated e-invoice has at most {max} lines: split the month over several")]
    TooManySales { max: usize },
    #[error("sales line {index} is in {found}, the consolidated e-invoice in {expected}")]
    SaleCurrency {
        index: usize,
        expected: Currency,
        found: Currency,
    },
    #[error("{0} is not an LHDN classification code (001 to 045)")]
    Classification(String),
}
