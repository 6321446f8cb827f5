//! Sales whose buyer wanted no e-invoice (LHDN.md §2.8): issued "for consolidation", they go
//! to LHDN in the month's consolidated e-invoice instead of one by one. The buyer may still
//! ask for an e-invoice of their own within the month of the sale; once the month is over
//! the sale is consolidated and stays so.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{
    ConsolidateInvoice, IndividualEInvoiceRequested, InvoiceConsolidated, InvoiceError,
    InvoiceEvent, InvoiceRecord, Issuance, open_issued,
};
use crate::Ctx;
use crate::money::{Currency, Money};
use crate::values::Month;

/// Whether the buyer wants an e-invoice of their own.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EInvoiceChoice {
    /// The invoice goes to LHDN on its own (the default: every B2B sale).
    #[default]
    Individual,
    /// The buyer wanted none: the sale goes in the month's consolidated e-invoice.
    Consolidated,
}

/// LHDN: from 1 January 2026 any single transaction above RM10,000 needs an e-invoice of its
/// own, whoever the buyer (Specific Guideline §3.6; LHDN.md §2.8).
pub const SINGLE_TRANSACTION_LIMIT: Money =
    Money::new(Decimal::from_parts(10_000, 0, 0, false, 0), Currency::MYR);

/// The day the single-transaction limit took effect.
pub fn single_transaction_rule_from() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// Whether an invoice with `payable` issued on `issued_on` may be left to consolidation.
pub(super) fn may_consolidate(payable: Money, issued_on: NaiveDate) -> Result<(), InvoiceError> {
    // LHDN consolidates in ringgit, one document for the month with no exchange rate per
    // sale: a foreign-currency sale is e-invoiced on its own, with its rate.
    if payable.currency() != Currency::MYR {
        return Err(InvoiceError::ConsolidationInForeignCurrency {
            currency: payable.currency(),
        });
    }
    if issued_on >= single_transaction_rule_from()
        && payable.amount() > SINGLE_TRANSACTION_LIMIT.amount()
    {
        return Err(InvoiceError::OverConsolidationLimit {
            payable,
            limit: SINGLE_TRANSACTION_LIMIT,
        });
    }
    Ok(())
}

impl InvoiceRecord {
    /// What the buyer wants: [`EInvoiceChoice::Individual`] until issued.
    pub fn einvoice_choice(&self) -> EInvoiceChoice {
        self.issue
            .as_ref()
            .map_or(EInvoiceChoice::Individual, |i| i.einvoice)
    }
}

/// The invoice's issue, if it is issued, not cancelled and not consolidated: a consolidated
/// sale is in a document LHDN holds, and taking it out again is not supported.
pub(super) fn open_unconsolidated(r: &InvoiceRecord) -> Result<&Issuance, InvoiceError> {
    let issue = open_issued(r)?;
    match r.consolidated_in {
        None => Ok(issue),
        Some(month) => Err(InvoiceError::AlreadyConsolidated {
            number: issue.number.clone(),
            month,
        }),
    }
}

pub(super) fn request_individual(
    r: &InvoiceRecord,
    ctx: &Ctx,
) -> Result<Vec<InvoiceEvent>, InvoiceError> {
    let issue = open_unconsolidated(r)?;
    let number = issue.number.clone();
    // Asked twice, or issued with an e-invoice of its own: nothing to change.
    if issue.einvoice == EInvoiceChoice::Individual {
        return Ok(vec![]);
    }
    // LHDN: the buyer asks within the month of the transaction; after it, the sale belongs to
    // the month's consolidated e-invoice.
    let month = Month::of(issue.issued_on);
    if !month.contains(ctx.business_day()) {
        return Err(InvoiceError::IndividualEInvoiceTooLate { number, month });
    }
    Ok(vec![InvoiceEvent::IndividualEInvoiceRequested(
        IndividualEInvoiceRequested {
            invoice_id: r.id,
            number,
            requested_at: ctx.now,
        },
    )])
}

pub(super) fn consolidate(
    r: &InvoiceRecord,
    c: &ConsolidateInvoice,
    ctx: &Ctx,
) -> Result<Vec<InvoiceEvent>, InvoiceError> {
    let issue = open_issued(r)?;
    let number = issue.number.clone();
    if issue.einvoice == EInvoiceChoice::Individual {
        return Err(InvoiceError::NotLeftToConsolidation { number });
    }
    if !c.month.contains(issue.issued_on) {
        return Err(InvoiceError::SaleOutsideMonth {
            number,
            month: c.month,
        });
    }
    match r.consolidated_in {
        // The job ran again (a crash, a second instance): done already.
        Some(month) if month == c.month => return Ok(vec![]),
        Some(month) => return Err(InvoiceError::AlreadyConsolidated { number, month }),
        None => {}
    }
    // Until the month is over the buyer may still ask for an e-invoice of their own.
    if ctx.now < c.month.ends_at() {
        return Err(InvoiceError::MonthNotOver { month: c.month });
    }
    Ok(vec![InvoiceEvent::InvoiceConsolidated(
        InvoiceConsolidated {
            invoice_id: r.id,
            number,
            month: c.month,
            consolidated_at: ctx.now,
        },
    )])
}
