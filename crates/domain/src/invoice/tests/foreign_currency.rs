//! Invoices in a foreign currency: the exchange rate to ringgit LHDN requires on every such
//! document since 1 September 2025, recorded at issue and carried by the notes.

use super::*;
use crate::values::ExchangeRate;

fn usd() -> Currency {
    Currency::parse("USD").unwrap()
}

fn rate(text: &str) -> ExchangeRate {
    ExchangeRate::parse(text).unwrap()
}

/// Calibration exported to a buyer abroad, no SST: `price` US dollars.
fn service_abroad(price: &str) -> LineInput {
    LineInput {
        unit_price: Money::parse(price, "USD").unwrap(),
        discount: Money::parse("0", "USD").unwrap(),
        ..goods("0")
    }
}

fn priced_in_usd(lines: &[LineInput], day: NaiveDate) -> (Vec<Line>, Totals) {
    billing::price(usd(), lines, day, &Adjustments::default()).unwrap()
}

/// A USD 1,000.00 invoice drafted today.
fn drafted_in_usd() -> InvoiceEvent {
    let (lines, totals) = priced_in_usd(&[service_abroad("1000.00")], today());
    InvoiceEvent::InvoiceDrafted(InvoiceDrafted {
        invoice_id: invoice_id(),
        customer_id: customer_id(),
        currency: usd(),
        payment_terms: terms(30),
        customer_reference: None,
        source: None,
        lines,
        totals,
        priced_on: today(),
    })
}

fn issue_at(exchange_rate: Option<ExchangeRate>) -> InvoiceCommand {
    InvoiceCommand::Issue(IssueInvoice {
        number: inv(),
        einvoice: EInvoiceChoice::Individual,
        exchange_rate,
    })
}

fn issued_in_usd_at(exchange_rate: &str) -> InvoiceEvent {
    let (lines, totals) = priced_in_usd(&[service_abroad("1000.00")], today());
    InvoiceEvent::InvoiceIssued(InvoiceIssued {
        invoice_id: invoice_id(),
        number: inv(),
        customer_id: customer_id(),
        issued_at: test_ctx().now,
        issued_on: today(),
        due_on: terms(30).due_on(today()),
        lines,
        totals,
        einvoice: EInvoiceChoice::Individual,
        exchange_rate: Some(rate(exchange_rate)),
    })
}

#[test]
fn an_invoice_in_a_foreign_currency_is_issued_with_its_exchange_rate_to_ringgit() {
    let state = given([drafted_in_usd()])
        .when(issue_at(Some(rate("4.7215"))))
        .then([issued_in_usd_at("4.7215")]);
    let issue = record(&state).issue.clone().unwrap();
    assert_eq!(issue.exchange_rate, Some(rate("4.7215")));
}

#[test]
fn an_invoice_in_a_foreign_currency_without_an_exchange_rate_is_refused() {
    given([drafted_in_usd()])
        .when(issue_at(None))
        .then_err(InvoiceError::ExchangeRateRequired { currency: usd() });
    assert_eq!(
        InvoiceError::ExchangeRateRequired { currency: usd() }
            .pointer()
            .as_deref(),
        Some("/exchange_rate")
    );
}

#[test]
fn a_ringgit_invoice_with_an_exchange_rate_is_refused() {
    given([drafted()])
        .when(issue_at(Some(rate("1"))))
        .then_err(InvoiceError::ExchangeRateForRinggit);
    assert_eq!(
        InvoiceError::ExchangeRateForRinggit.pointer().as_deref(),
        Some("/exchange_rate")
    );
}

#[test]
fn a_sale_in_a_foreign_currency_is_not_consolidated_even_with_its_rate() {
    given([drafted_in_usd()])
        .when(InvoiceCommand::Issue(IssueInvoice {
            number: inv(),
            einvoice: EInvoiceChoice::Consolidated,
            exchange_rate: Some(rate("4.7215")),
        }))
        .then_err(InvoiceError::ConsolidationInForeignCurrency { currency: usd() });
}

#[test]
fn a_note_against_a_foreign_currency_invoice_converts_at_the_invoices_rate() {
    // Issued at 4.7215; whatever the dollar is worth on the day of the note, the note undoes
    // part of that supply and converts as it did.
    for kind in [NoteKind::Credit, NoteKind::Debit] {
        let lines = priced_in_usd(&[service_abroad("100.00")], today());
        let state = given([drafted_in_usd(), issued_in_usd_at("4.7215")])
            .when(note(kind, 1, vec![service_abroad("100.00")]))
            .then([noted_as_priced(
                kind,
                1,
                lines,
                today(),
                Some(rate("4.7215")),
            )]);
        assert_eq!(record(&state).notes[0].exchange_rate, Some(rate("4.7215")));
    }
}

#[test]
fn a_note_against_a_ringgit_invoice_has_no_exchange_rate() {
    let state = given([drafted(), issued()])
        .when(note(NoteKind::Credit, 1, vec![goods("120.00")]))
        .then([noted(NoteKind::Credit, 1, "120.00")]);
    assert_eq!(record(&state).notes[0].exchange_rate, None);
}

#[test]
fn the_rate_is_stored_as_a_string_and_a_ringgit_invoice_stores_none() {
    let (_, version, payload) = issued_in_usd_at("4.7215").encode().unwrap();
    assert_eq!(version, 2);
    assert_eq!(payload["exchange_rate"], "4.7215");
    let (_, _, payload) = issued().encode().unwrap();
    assert!(payload.get("exchange_rate").is_none());
    let (_, _, payload) = noted(NoteKind::Credit, 1, "10.00").encode().unwrap();
    assert!(payload.get("exchange_rate").is_none());
}

#[test]
fn an_invoice_and_note_stored_before_exchange_rates_still_read() {
    // Written before the rate was recorded: no `exchange_rate` member at all.
    let (_, version, mut payload) = issued().encode().unwrap();
    payload.as_object_mut().unwrap().remove("exchange_rate");
    assert_eq!(
        InvoiceEvent::decode("InvoiceIssued", version, payload).unwrap(),
        issued()
    );
    let note = noted(NoteKind::Credit, 1, "10.00");
    let (event_type, version, payload) = note.encode().unwrap();
    assert_eq!(
        InvoiceEvent::decode(event_type, version, payload).unwrap(),
        note
    );
}

#[test]
fn a_foreign_currency_invoice_keeps_its_rate_through_a_snapshot() {
    let state = Invoice::replay(&[drafted_in_usd(), issued_in_usd_at("4.7215")]);
    let snapshot = serde_json::to_value(&state).unwrap();
    assert_eq!(snapshot["issue"]["exchange_rate"], "4.7215");
    let mut old = snapshot.clone();
    old["issue"]
        .as_object_mut()
        .unwrap()
        .remove("exchange_rate");
    let back = serde_json::from_value::<Invoice>(old).unwrap();
    assert_eq!(
        back.drafted()
            .unwrap()
            .issue
            .as_ref()
            .unwrap()
            .exchange_rate,
        None
    );
    assert_eq!(serde_json::from_value::<Invoice>(snapshot).unwrap(), state);
}
