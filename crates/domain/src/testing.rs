//! Given/when/then for deciders:
//! `given([events]).when(command).then([events])`, `.then_err(error)`, `.then_nothing()`.
//! Every check is `#[track_caller]`, so a failure points at the test's line.

use chrono::{TimeZone, Utc};
use uuid::Uuid;

use crate::{Actor, Aggregate, Ctx};

/// The context tests run in unless they say otherwise: 1 June 2026, 10:00 in Kuala Lumpur.
pub fn test_ctx() -> Ctx {
    Ctx::new(
        Utc.with_ymd_and_hms(2026, 6, 1, 2, 0, 0)
            .single()
            .expect("a valid instant"),
        Actor::User(Uuid::nil()),
        Uuid::nil(),
    )
}

/// A calendar day, for tests: `date(2026, 6, 1)`.
#[track_caller]
pub fn date(year: i32, month: u32, day: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(year, month, day).expect("a valid date")
}

/// [`test_ctx`] moved to 10:00 in Kuala Lumpur on `day`: a command run that business day.
pub fn on(day: chrono::NaiveDate) -> Ctx {
    let ctx = test_ctx();
    let ten_in_kuala_lumpur = day.and_hms_opt(2, 0, 0).expect("02:00 exists every day");
    Ctx::new(
        Utc.from_utc_datetime(&ten_in_kuala_lumpur),
        ctx.actor,
        ctx.correlation_id,
    )
}

/// Starts a specification from a history of events.
pub fn given<A: Aggregate>(history: impl IntoIterator<Item = A::Event>) -> Given<A> {
    let history: Vec<A::Event> = history.into_iter().collect();
    Given {
        state: A::replay(&history),
        ctx: test_ctx(),
    }
}

#[derive(Debug)]
pub struct Given<A: Aggregate> {
    state: A,
    ctx: Ctx,
}

impl<A: Aggregate + std::fmt::Debug> Given<A> {
    /// Runs the command in another context (another time or actor).
    pub fn at(mut self, ctx: Ctx) -> Self {
        self.ctx = ctx;
        self
    }

    pub fn when(self, command: A::Command) -> Then<A> {
        let outcome = self.state.decide(&command, &self.ctx);
        Then {
            state: self.state,
            outcome,
        }
    }
}

#[derive(Debug)]
pub struct Then<A: Aggregate> {
    state: A,
    outcome: Result<Vec<A::Event>, A::Error>,
}

impl<A> Then<A>
where
    A: Aggregate + std::fmt::Debug,
    A::Event: PartialEq,
    A::Error: PartialEq,
{
    /// Asserts the decision produced exactly these events, and returns the state after them.
    #[track_caller]
    pub fn then(self, expected: impl IntoIterator<Item = A::Event>) -> A {
        let expected: Vec<A::Event> = expected.into_iter().collect();
        match self.outcome {
            Ok(events) => {
                assert_eq!(events, expected, "the decision produced other events");
                events.iter().fold(self.state, A::evolve)
            }
            Err(error) => {
                panic!("expected events {expected:?}, but the command was refused: {error:?}")
            }
        }
    }

    /// Asserts the command was refused with exactly this error.
    #[track_caller]
    pub fn then_err(self, expected: A::Error) {
        match self.outcome {
            Ok(events) => panic!("expected refusal {expected:?}, but got events {events:?}"),
            Err(error) => assert_eq!(
                error, expected,
                "the command was refused for another reason"
            ),
        }
    }

    /// Asserts the command was accepted and changed nothing (a repeated, idempotent command).
    #[track_caller]
    pub fn then_nothing(self) {
        match self.outcome {
            Ok(events) => assert!(events.is_empty(), "expected no events, got {events:?}"),
            Err(error) => panic!("expected no events, but the command was refused: {error:?}"),
        }
    }
}

/// A company customer as the sales team registers it, for tests and benchmarks outside the
/// domain. `tin` must be a valid non-individual TIN such as `C25845632020`.
pub fn sample_company(
    id: crate::ids::CustomerId,
    name: &str,
    tin: &str,
) -> Result<crate::customer::RegisterCustomer, crate::values::ValueError> {
    use crate::customer::{CustomerDetails, CustomerKind, RegisterCustomer};
    use crate::values::{
        Address, CountryCode, Email, Identification, Name, Phone, Postcode, StateCode, Tin,
    };
    Ok(RegisterCustomer {
        id,
        kind: CustomerKind::Company,
        details: CustomerDetails {
            name: Name::parse(name)?,
            tin: Tin::parse(tin)?,
            identification: Identification::parse("BRN", "201901234567")?,
            sst: None,
            msic: None,
            address: Address::new(
                vec!["Lot 5, Jalan Utas 15/7".into()],
                "Shah Alam".into(),
                Postcode::parse("40200")?,
                StateCode::parse("10")?,
                CountryCode::malaysia(),
            )?,
            email: Email::parse("purchasing@example.com.my")?,
            phone: Phone::parse("+60355101234")?,
        },
    })
}

/// A calibration service line as the sales team writes it, in ringgit: 2 × RM 350.00,
/// service tax.
pub fn sample_calibration_line() -> Result<crate::billing::LineInput, crate::values::ValueError> {
    sample_line(
        "CAL-M1-20KG",
        "Calibration of 20 kg test weight, class M1",
        "2",
        "C62",
        350,
        0,
        crate::tax::TaxTreatment::Service,
    )
}

/// A week's rental line, in ringgit: 7 days × RM 40.00 less RM 10.00, taxed as equipment
/// rental (which changed on 1 July 2025 and 1 January 2026).
pub fn sample_rental_line() -> Result<crate::billing::LineInput, crate::values::ValueError> {
    sample_line(
        "RENT-WB-500",
        "Rental of 500 kg weighbridge test set",
        "7",
        "DAY",
        40,
        10,
        crate::tax::TaxTreatment::EquipmentRental,
    )
}

fn sample_line(
    item_code: &str,
    description: &str,
    quantity: &str,
    unit: &str,
    unit_price: i64,
    discount: i64,
    tax: crate::tax::TaxTreatment,
) -> Result<crate::billing::LineInput, crate::values::ValueError> {
    use crate::billing::LineInput;
    use crate::money::Money;
    use crate::values::{ItemCode, Quantity, UnitCode};
    let rm = |ringgit: i64| Money::myr(rust_decimal::Decimal::from(ringgit));
    Ok(LineInput {
        item_code: Some(ItemCode::parse(item_code)?),
        description: description.into(),
        quantity: Quantity::parse(quantity)?,
        unit: UnitCode::parse(unit)?,
        unit_price: rm(unit_price),
        discount: rm(discount),
        tax,
    })
}

/// A quotation as the sales team drafts it, for tests and benchmarks outside the domain: a
/// calibration service and a week's rental, in ringgit, valid for the default 30 days.
/// `number` must be a quotation number such as `QUO-2026-0042`.
pub fn sample_quotation(
    id: crate::ids::QuotationId,
    customer_id: crate::ids::CustomerId,
    number: &str,
) -> Result<crate::quotation::DraftQuotation, crate::values::ValueError> {
    use crate::money::Currency;
    use crate::quotation::{DraftQuotation, QuotationNumber, ValidityDays};
    Ok(DraftQuotation {
        id,
        number: QuotationNumber::parse(number)?,
        customer_id,
        currency: Currency::MYR,
        lines: vec![sample_calibration_line()?, sample_rental_line()?],
        default_validity: ValidityDays::new(30)?,
        validity: None,
    })
}

/// An invoice as finance drafts it, for tests and benchmarks outside the domain: the same
/// calibration service and week's rental as [`sample_quotation`], in ringgit, due in 30 days.
/// Issue it with a number such as `INV-2026-000001` (the year of the issue day).
pub fn sample_invoice(
    id: crate::ids::InvoiceId,
    customer_id: crate::ids::CustomerId,
) -> Result<crate::invoice::DraftInvoice, crate::values::ValueError> {
    use crate::invoice::{DraftInvoice, PaymentTerms};
    use crate::money::Currency;
    Ok(DraftInvoice {
        id,
        customer_id,
        currency: Currency::MYR,
        lines: vec![sample_calibration_line()?, sample_rental_line()?],
        payment_terms: PaymentTerms::new(30)?,
        customer_reference: None,
        source: None,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::ids::{CustomerId, InvoiceId, QuotationId};
    use crate::invoice::{Invoice, InvoiceCommand};
    use crate::quotation::{Quotation, QuotationCommand};

    #[test]
    fn the_sample_quotation_drafts() {
        let draft = sample_quotation(
            QuotationId::from_uuid(Uuid::nil()),
            CustomerId::from_uuid(Uuid::nil()),
            "QUO-2026-0001",
        )
        .unwrap();
        let events = Quotation::default()
            .decide(&QuotationCommand::Draft(draft), &test_ctx())
            .unwrap();
        assert_eq!(events.len(), 1);
    }

    #[test]
    fn the_sample_invoice_drafts() {
        let draft = sample_invoice(
            InvoiceId::from_uuid(Uuid::nil()),
            CustomerId::from_uuid(Uuid::nil()),
        )
        .unwrap();
        let events = Invoice::default()
            .decide(&InvoiceCommand::Draft(draft), &test_ctx())
            .unwrap();
        assert_eq!(events.len(), 1);
    }
}
