//! A month's sales summarised as LHDN asks (LHDN.md §2.8): one line per continuous range of
//! invoice numbers and per tax (type, rate, exemption), its description naming the receipts.
//! Pure, so the ranges are tested here.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::ids::InvoiceId;
use crate::invoice::{DocumentNumber, InvoiceRecord};
use crate::money::{Money, MoneyError};
use crate::values::{ExemptionReason, TaxType};

/// One sale left to consolidation, as the consolidated e-invoice needs it: its number, day,
/// and what it charged per tax.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sale {
    pub invoice_id: InvoiceId,
    pub number: DocumentNumber,
    pub issued_on: NaiveDate,
    pub amounts: Vec<TaxedAmount>,
}

/// What a sale charged under one tax.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxedAmount {
    pub tax: TaxKey,
    /// Before tax.
    pub net: Money,
    pub tax_amount: Money,
}

/// A tax as LHDN is told it on a line: type, rate in percent and exemption reason.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct TaxKey {
    pub tax_type: TaxType,
    pub percent: Decimal,
    /// As text, to order by it.
    pub exemption_reason: Option<String>,
}

impl Sale {
    /// An issued invoice's sale; `None` for a draft.
    pub fn of(record: &InvoiceRecord) -> Option<Self> {
        let issue = record.issue.as_ref()?;
        let mut amounts: Vec<TaxedAmount> = Vec::new();
        for line in &record.lines {
            let tax = line.tax();
            let key = TaxKey {
                tax_type: tax.rule().tax_type().clone(),
                percent: tax.rule().effective_rate(),
                exemption_reason: tax.exemption_reason().map(|r| r.as_str().to_owned()),
            };
            // Each line was rounded on its own: the sums are of rounded figures (Pitfall 15).
            match amounts.iter_mut().find(|a| a.tax == key) {
                Some(amount) => {
                    amount.net = amount.net.checked_add(line.net()).ok()?;
                    amount.tax_amount = amount.tax_amount.checked_add(tax.amount()).ok()?;
                }
                None => amounts.push(TaxedAmount {
                    tax: key,
                    net: line.net(),
                    tax_amount: tax.amount(),
                }),
            }
        }
        Some(Self {
            invoice_id: record.id,
            number: issue.number.clone(),
            issued_on: issue.issued_on,
            amounts,
        })
    }
}

/// Receipts summarised on one line of a consolidated e-invoice, with the tax they charged
/// (summed from the receipts, not recomputed: each was rounded on its own).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SalesLine {
    /// Names the receipts, as LHDN requires: `Receipts INV-2026-000101 - INV-2026-000250`.
    pub receipts: String,
    /// The invoices the line covers, in order.
    pub invoices: Vec<DocumentNumber>,
    /// Before tax.
    pub net: Money,
    pub tax: Money,
    pub tax_type: TaxType,
    /// The rate the receipts charged, in percent.
    pub percent: Decimal,
    pub exemption_reason: Option<ExemptionReason>,
}

/// One line per continuous run of invoice numbers (no number between them missing from the
/// run: an invoice e-invoiced on its own breaks it) and per tax; ordered by first invoice.
pub fn summarise(sales: &[Sale]) -> Result<Vec<SalesLine>, MoneyError> {
    let mut by_tax: BTreeMap<&TaxKey, Vec<(&DocumentNumber, &TaxedAmount)>> = BTreeMap::new();
    for sale in sales {
        for amount in &sale.amounts {
            by_tax
                .entry(&amount.tax)
                .or_default()
                .push((&sale.number, amount));
        }
    }
    let mut lines = Vec::new();
    for (key, mut sold) in by_tax {
        sold.sort_by_key(|(number, _)| (number.year(), number.serial()));
        let mut run: Vec<(&DocumentNumber, &TaxedAmount)> = Vec::new();
        for item in sold {
            if let Some((last, _)) = run.last()
                && !follows(last, item.0)
            {
                lines.push(line(key, &run)?);
                run.clear();
            }
            run.push(item);
        }
        if !run.is_empty() {
            lines.push(line(key, &run)?);
        }
    }
    lines.sort_by(|a, b| {
        let first = |l: &SalesLine| l.invoices.first().map(|n| (n.year(), n.serial()));
        first(a).cmp(&first(b))
    });
    Ok(lines)
}

/// `next` is the number right after `previous` in the same series.
fn follows(previous: &DocumentNumber, next: &DocumentNumber) -> bool {
    previous.kind() == next.kind()
        && previous.year() == next.year()
        && previous.serial().checked_add(1) == Some(next.serial())
}

fn line(key: &TaxKey, run: &[(&DocumentNumber, &TaxedAmount)]) -> Result<SalesLine, MoneyError> {
    let (Some((first, head)), Some((last, _))) = (run.first(), run.last()) else {
        return Err(MoneyError::Overflow);
    };
    let (mut net, mut tax) = (head.net, head.tax_amount);
    for (_, amount) in &run[1..] {
        net = net.checked_add(amount.net)?;
        tax = tax.checked_add(amount.tax_amount)?;
    }
    let receipts = if run.len() == 1 {
        format!("Receipt {first}")
    } else {
        format!("Receipts {first} - {last}")
    };
    Ok(SalesLine {
        receipts,
        invoices: run.iter().map(|(n, _)| (*n).clone()).collect(),
        net,
        tax,
        tax_type: key.tax_type.clone(),
        percent: key.percent,
        exemption_reason: key
            .exemption_reason
            .as_deref()
            .and_then(|r| ExemptionReason::from_stored(r.to_owned())),
    })
}
