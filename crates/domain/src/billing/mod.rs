//! Document lines and their arithmetic, shared by quotations, invoices and notes.
//!
//! A [`LineInput`] is what someone writes on a line; [`Line::price`] turns it into a [`Line`]
//! that records every figure and the tax rule it was priced under; [`Totals::compute`] adds
//! priced lines up. [`price`] does both for a whole document.
//!
//! Rounding follows LHDN.md Pitfall 15: each line is rounded to the sen (half away from zero,
//! by [`Money::round_to_sen`](crate::money::Money::round_to_sen), the one rounding rule), and
//! every total is a sum of rounded line figures, so that tax-exclusive + tax = tax-inclusive
//! and payable = tax-inclusive − prepaid + rounding hold exactly (docs/decisions/0009).

mod error;
mod line;
mod totals;

#[cfg(test)]
mod tests;

pub use error::{BillingError, LineError};
pub use line::{Line, LineInput, LineTax};
pub use totals::{Adjustments, TaxSubtotal, Totals};

use chrono::NaiveDate;

use crate::money::Currency;

/// The most lines a document may have. MyInvois practitioners saw a 155-line invoice
/// refused (LHDN.md Pitfall 17); a longer sale is split over documents.
pub const MAX_LINES: usize = 100;

/// Prices every line of a document in `currency` under the SST rules of `tax_point` (a
/// business day) and computes its totals.
pub fn price(
    currency: Currency,
    inputs: &[LineInput],
    tax_point: NaiveDate,
    adjustments: &Adjustments,
) -> Result<(Vec<Line>, Totals), BillingError> {
    if inputs.len() > MAX_LINES {
        return Err(BillingError::TooManyLines { max: MAX_LINES });
    }
    let lines = inputs
        .iter()
        .enumerate()
        .map(|(index, input)| {
            Line::price(input, currency, tax_point)
                .map_err(|problem| BillingError::Line { index, problem })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let totals = Totals::compute(currency, &lines, adjustments)?;
    Ok((lines, totals))
}
