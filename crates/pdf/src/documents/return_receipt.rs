//! The rental return receipt: what came back, in what condition, and what it cost.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use super::{LetterheadView, words};
use crate::{
    Issue, Letterhead, Party, PdfError, format,
    render::{Job, render},
};

/// A rental's units returned (so far), as receipted on the day of a return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnReceiptDocument {
    /// The rental's reference and the return's sequence (`RT-… / 2`).
    pub issue: Issue,
    pub returned_on: NaiveDate,
    pub customer: Party,
    pub currency: String,
    /// The units this receipt acknowledges.
    pub units: Vec<ReturnedUnit>,
    /// Units of the rental still out with the customer, by label.
    pub still_out: Vec<String>,
    pub amount_in_words: bool,
}

/// One unit back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnedUnit {
    /// `F1 20 kg, serial W-0001`.
    pub description: String,
    pub checked_out_on: Option<NaiveDate>,
    pub returned_on: NaiveDate,
    /// `good`, `damaged`, `lost`.
    pub condition: String,
    pub note: Option<String>,
    pub days: u32,
    pub rental_charge: Decimal,
    pub damage_charge: Decimal,
}

#[derive(Serialize)]
struct View<'a> {
    letterhead: LetterheadView<'a>,
    title: &'static str,
    number: &'a str,
    returned_on: String,
    customer: &'a Party,
    units: Vec<UnitView<'a>>,
    still_out: &'a [String],
    charges: ChargesView,
}

#[derive(Serialize)]
struct ChargesView {
    currency: String,
    rental: String,
    damage: String,
    total: String,
    words: Option<String>,
}

#[derive(Serialize)]
struct UnitView<'a> {
    description: &'a str,
    checked_out_on: String,
    returned_on: String,
    condition: &'a str,
    note: &'a str,
    days: u32,
    rental_charge: String,
    damage_charge: String,
}

/// The return receipt as an A4 PDF.
pub fn render_return_receipt(
    letterhead: &Letterhead,
    d: &ReturnReceiptDocument,
) -> Result<Vec<u8>, PdfError> {
    let charges: Decimal = d.units.iter().map(|u| u.rental_charge).sum();
    let damages: Decimal = d.units.iter().map(|u| u.damage_charge).sum();
    // Charges on a receipt are before tax: the invoice that bills them applies it.
    let total = charges + damages;
    let view = View {
        letterhead: LetterheadView::of(letterhead),
        title: "Rental Return Receipt",
        number: &d.issue.number,
        returned_on: format::day(d.returned_on),
        customer: &d.customer,
        units: d
            .units
            .iter()
            .map(|u| UnitView {
                description: &u.description,
                checked_out_on: u.checked_out_on.map(format::day).unwrap_or_default(),
                returned_on: format::day(u.returned_on),
                condition: &u.condition,
                note: u.note.as_deref().unwrap_or_default(),
                days: u.days,
                rental_charge: format::amount(u.rental_charge),
                damage_charge: format::amount(u.damage_charge),
            })
            .collect(),
        still_out: &d.still_out,
        charges: ChargesView {
            currency: d.currency.clone(),
            rental: format::amount(charges),
            damage: format::amount(damages),
            total: format::amount(total),
            words: words(&d.currency, total, d.amount_in_words),
        },
    };
    render(Job {
        kind: "return receipt",
        template: include_str!("../../templates/return_receipt.typ"),
        data: &view,
        files: Vec::new(),
        ident: format!("niaga/return-receipt/{}", d.issue.number),
        issued_at: d.issue.at,
    })
}
