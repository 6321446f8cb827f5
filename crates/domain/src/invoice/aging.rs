//! Receivables aging: what each issued invoice still owed at the end of a day, and how long
//! past its due date that was.
//!
//! The receivables read model and the auditor's fold of the events both answer through these
//! rules, so the two answers can differ only in what they were fed, never in how it was
//! counted or bucketed.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::{InvoiceEvent, InvoiceIssued};
use crate::ctx::business_day;
use crate::ids::{CustomerId, InvoiceId};
use crate::money::{Currency, Money, MoneyError};

/// How far past its due date an amount is on the day looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AgingBucket {
    /// Not yet due, or due that very day.
    Current,
    Days1To30,
    Days31To60,
    Days61To90,
    Over90,
}

impl AgingBucket {
    /// Every bucket, from current to oldest.
    pub const ALL: [Self; 5] = [
        Self::Current,
        Self::Days1To30,
        Self::Days31To60,
        Self::Days61To90,
        Self::Over90,
    ];

    /// The bucket of an amount due on `due_on`, looked at on `as_of`. An invoice falls late on
    /// the day after its due day, so on the due day itself it is still current.
    pub fn of(due_on: NaiveDate, as_of: NaiveDate) -> Self {
        match (as_of - due_on).num_days() {
            ..=0 => Self::Current,
            1..=30 => Self::Days1To30,
            31..=60 => Self::Days31To60,
            61..=90 => Self::Days61To90,
            _ => Self::Over90,
        }
    }

    fn index(self) -> usize {
        match self {
            Self::Current => 0,
            Self::Days1To30 => 1,
            Self::Days31To60 => 2,
            Self::Days61To90 => 3,
            Self::Over90 => 4,
        }
    }
}

/// From `from` on, until the next step, the invoice owed `outstanding`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Step {
    from: NaiveDate,
    outstanding: Money,
}

/// A run of days over which an invoice owed the same amount, not zero (negative: the company
/// owed the customer): what a read model keeps of a [`Receivable`]. On a day after the issue
/// and outside every period, the invoice owed nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OwedPeriod {
    pub from: NaiveDate,
    /// The first day it no longer held; `None` while it still does.
    pub until: Option<NaiveDate>,
    pub outstanding: Money,
}

/// An issued invoice's outstanding day by day, as its dated entries moved it: a step on the
/// issue day and one on each later day an entry is dated. What it owed at the end of a day is
/// the last step on or before that day, so an entry dated back (a payment recorded today but
/// received last week) changes every day from its date on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receivable {
    pub invoice_id: InvoiceId,
    pub customer_id: CustomerId,
    pub currency: Currency,
    pub due_on: NaiveDate,
    issued_on: NaiveDate,
    /// By day, one per day, the first on `issued_on`: never empty.
    steps: Vec<Step>,
}

impl Receivable {
    /// The invoice as issued: it owes its payable amount from its issue day.
    pub fn issued(e: &InvoiceIssued) -> Self {
        let payable = e.totals.payable();
        Self {
            invoice_id: e.invoice_id,
            customer_id: e.customer_id,
            currency: payable.currency(),
            due_on: e.due_on,
            issued_on: e.issued_on,
            steps: vec![Step {
                from: e.issued_on,
                outstanding: payable,
            }],
        }
    }

    /// A receivable as a read model kept it: the invoice, and its [`Receivable::periods`] in
    /// any order. `None` if the periods are not ones a receivable of this invoice could have
    /// (overlapping, before the issue, zero, or in another currency).
    pub fn from_periods(
        invoice_id: InvoiceId,
        customer_id: CustomerId,
        currency: Currency,
        due_on: NaiveDate,
        issued_on: NaiveDate,
        mut periods: Vec<OwedPeriod>,
    ) -> Option<Self> {
        periods.sort_by_key(|period| period.from);
        let zero = Money::zero(currency);
        let mut steps = Vec::with_capacity(periods.len() * 2 + 1);
        // The first day no period has covered yet; `None` once one lasts for good.
        let mut uncovered = Some(issued_on);
        for period in periods {
            let fits = uncovered.is_some_and(|day| day <= period.from)
                && period.until.is_none_or(|until| period.from < until)
                && period.outstanding.currency() == currency
                && !period.outstanding.amount().is_zero();
            if !fits {
                return None;
            }
            if let Some(gap) = uncovered.filter(|day| *day < period.from) {
                steps.push(Step {
                    from: gap,
                    outstanding: zero,
                });
            }
            steps.push(Step {
                from: period.from,
                outstanding: period.outstanding,
            });
            uncovered = period.until;
        }
        if let Some(rest) = uncovered {
            steps.push(Step {
                from: rest,
                outstanding: zero,
            });
        }
        Some(Self {
            invoice_id,
            customer_id,
            currency,
            due_on,
            issued_on,
            steps,
        })
    }

    pub fn issued_on(&self) -> NaiveDate {
        self.issued_on
    }

    /// The runs of days with the same amount owed, not zero, oldest first: what a read model
    /// keeps, and what [`Receivable::from_periods`] takes back.
    pub fn periods(&self) -> Vec<OwedPeriod> {
        let mut periods: Vec<OwedPeriod> = Vec::with_capacity(self.steps.len());
        let mut previous: Option<Money> = None;
        for (at, step) in self.steps.iter().enumerate() {
            let until = self.steps.get(at + 1).map(|next| next.from);
            let continues = previous == Some(step.outstanding);
            previous = Some(step.outstanding);
            match periods.last_mut() {
                Some(last) if continues && last.until == Some(step.from) => last.until = until,
                _ if step.outstanding.amount().is_zero() || continues => {}
                _ => periods.push(OwedPeriod {
                    from: step.from,
                    until,
                    outstanding: step.outstanding,
                }),
            }
        }
        periods
    }

    /// What the invoice owed at the end of `day`, counting the entries dated on or before it;
    /// `None` if it was issued after `day`.
    pub fn outstanding_on(&self, day: NaiveDate) -> Option<Money> {
        self.steps
            .iter()
            .take_while(|step| step.from <= day)
            .last()
            .map(|step| step.outstanding)
    }

    /// What the invoice owed at the end of `as_of`, for [`Aging::of`]; `None` if it was issued
    /// after `as_of`.
    pub fn owed_on(&self, as_of: NaiveDate) -> Option<Owed> {
        Some(Owed {
            customer_id: self.customer_id,
            due_on: self.due_on,
            outstanding: self.outstanding_on(as_of)?,
        })
    }

    /// Moves the balance by one event of the invoice's stream, dated as the customer's
    /// statement dates it: a payment on the day received, a note on its date, a cancellation
    /// on its business day. Other events (the issue included: it made the receivable) move
    /// nothing. Fails only if an amount would not fit, leaving the receivable as it was.
    pub fn apply(&mut self, event: &InvoiceEvent) -> Result<(), MoneyError> {
        use InvoiceEvent as E;
        let (on, change) = match event {
            E::PaymentRecorded(e) => (e.received_on, negated(e.amount)),
            E::CreditNoteIssued(e) => (e.issued_on, negated(e.totals.payable())),
            // A refund note gives back money settled beyond what is charged, so it raises a
            // credit balance towards zero, as a debit note raises what is owed.
            E::DebitNoteIssued(e) | E::RefundNoteIssued(e) => (e.issued_on, e.totals.payable()),
            // Only an invoice with no payments or notes can be cancelled: what it owes then is
            // all it charged, and taking that back leaves nothing.
            E::InvoiceCancelled(e) => (business_day(e.cancelled_at), negated(self.latest())),
            E::InvoiceDrafted(_)
            | E::InvoiceDraftAmended(_)
            | E::InvoiceIssued(_)
            | E::InvoiceVoided(_)
            | E::InvoiceValidatedByLhdn(_)
            | E::InvoicePdfIssued(_)
            | E::EInvoiceSubmissionStarted(_)
            | E::EInvoiceAccepted(_)
            | E::EInvoiceRejected(_)
            | E::NoteValidatedByLhdn(_)
            | E::EInvoiceResubmissionRequested(_)
            | E::IndividualEInvoiceRequested(_)
            | E::InvoiceConsolidated(_)
            | E::EInvoiceHeld(_) => return Ok(()),
        };
        self.moved(on, change)
    }

    fn latest(&self) -> Money {
        self.steps
            .last()
            .map_or(Money::zero(self.currency), |step| step.outstanding)
    }

    fn moved(&mut self, on: NaiveDate, change: Money) -> Result<(), MoneyError> {
        // Money received before the invoice was issued (a deposit) counts from the issue day:
        // before it there was no invoice to age.
        let on = on.max(self.issued_on);
        let mut steps = self.steps.clone();
        let at = match steps.binary_search_by_key(&on, |step| step.from) {
            Ok(at) => at,
            Err(at) => {
                let before = self
                    .outstanding_on(on)
                    .unwrap_or(Money::zero(self.currency));
                steps.insert(
                    at,
                    Step {
                        from: on,
                        outstanding: before,
                    },
                );
                at
            }
        };
        for step in &mut steps[at..] {
            step.outstanding = step.outstanding.checked_add(change)?;
        }
        self.steps = steps;
        Ok(())
    }
}

fn negated(amount: Money) -> Money {
    Money::new(-amount.amount(), amount.currency())
}

/// What one invoice, or several of one customer due on the same day, owed at the end of the
/// day looked at: what [`Aging::of`] adds up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owed {
    pub customer_id: CustomerId,
    pub due_on: NaiveDate,
    pub outstanding: Money,
}

/// Amounts by bucket in one currency. A negative amount is a credit balance (the company owes
/// the customer): it is shown where it falls, not hidden or set against another customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgedAmounts {
    amounts: [Money; 5],
    total: Money,
}

impl AgedAmounts {
    fn zero(currency: Currency) -> Self {
        let zero = Money::zero(currency);
        Self {
            amounts: [zero; 5],
            total: zero,
        }
    }

    fn add(&mut self, bucket: AgingBucket, amount: Money) -> Result<(), MoneyError> {
        let slot = &mut self.amounts[bucket.index()];
        *slot = slot.checked_add(amount)?;
        self.total = self.total.checked_add(amount)?;
        Ok(())
    }

    pub fn currency(&self) -> Currency {
        self.total.currency()
    }

    pub fn get(&self, bucket: AgingBucket) -> Money {
        self.amounts[bucket.index()]
    }

    /// Every bucket together.
    pub fn total(&self) -> Money {
        self.total
    }

    fn is_zero(&self) -> bool {
        self.amounts.iter().all(|amount| amount.amount().is_zero())
    }
}

/// One customer's amounts in one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CustomerAging {
    pub customer_id: CustomerId,
    pub amounts: AgedAmounts,
}

/// The receivables at the end of a day, bucketed by how late they were, per customer and in
/// total, per currency (amounts in different currencies are never added together).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Aging {
    pub as_of: NaiveDate,
    /// All customers together, one per currency, by currency code.
    pub totals: Vec<AgedAmounts>,
    /// One per customer and currency with an amount in some bucket, by customer id then
    /// currency code.
    pub customers: Vec<CustomerAging>,
}

impl Aging {
    /// Adds up what was owed at the end of `as_of`, each amount in the bucket of its due day.
    /// Fails only if a sum would not fit.
    pub fn of(as_of: NaiveDate, owed: impl IntoIterator<Item = Owed>) -> Result<Self, MoneyError> {
        let mut by_customer: BTreeMap<(CustomerId, String), AgedAmounts> = BTreeMap::new();
        for owed in owed {
            if owed.outstanding.amount().is_zero() {
                continue;
            }
            let currency = owed.outstanding.currency();
            by_customer
                .entry((owed.customer_id, currency.to_string()))
                .or_insert_with(|| AgedAmounts::zero(currency))
                .add(AgingBucket::of(owed.due_on, as_of), owed.outstanding)?;
        }
        // Amounts of one customer that cancel out within every bucket leave nothing to show;
        // the totals are the sums of the customers shown.
        let customers: Vec<CustomerAging> = by_customer
            .into_iter()
            .filter(|(_, amounts)| !amounts.is_zero())
            .map(|((customer_id, _), amounts)| CustomerAging {
                customer_id,
                amounts,
            })
            .collect();
        let mut totals: BTreeMap<String, AgedAmounts> = BTreeMap::new();
        for customer in &customers {
            let currency = customer.amounts.currency();
            let total = totals
                .entry(currency.to_string())
                .or_insert_with(|| AgedAmounts::zero(currency));
            for bucket in AgingBucket::ALL {
                total.add(bucket, customer.amounts.get(bucket))?;
            }
        }
        Ok(Self {
            as_of,
            totals: totals.into_values().collect(),
            customers,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use chrono::{TimeZone, Utc};
    use uuid::Uuid;

    use super::*;
    use crate::billing::{Adjustments, LineInput, Totals, price};
    use crate::ids::{NoteId, PaymentId};
    use crate::invoice::{
        DocumentNumber, InvoiceCancelled, NoteIssued, PaymentMethod, PaymentRecorded,
    };
    use crate::tax::TaxTreatment;
    use crate::values::{Quantity, UnitCode};

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn rm(amount: &str) -> Money {
        Money::parse(amount, "MYR").unwrap()
    }

    fn number(text: &str) -> DocumentNumber {
        DocumentNumber::parse(text).unwrap()
    }

    /// Totals whose payable is `amount`: one resold item, which carries no SST.
    fn payable(amount: &str) -> Totals {
        let line = LineInput {
            item_code: None,
            description: "Carrying case for 20 kg weights".into(),
            quantity: Quantity::parse("1").unwrap(),
            unit: UnitCode::parse("H87").unwrap(),
            unit_price: rm(amount),
            discount: rm("0"),
            tax: TaxTreatment::GoodsResale,
        };
        let (_, totals) = price(
            Currency::MYR,
            &[line],
            day("2026-01-05"),
            &Adjustments::default(),
        )
        .unwrap();
        assert_eq!(totals.payable(), rm(amount));
        totals
    }

    fn customer(n: u128) -> CustomerId {
        CustomerId::from_uuid(Uuid::from_u128(n))
    }

    /// An invoice of RM 1,000.00 for customer 1, issued on 5 January 2026, due 4 February.
    fn receivable() -> Receivable {
        Receivable::from_periods(
            InvoiceId::from_uuid(Uuid::from_u128(9)),
            customer(1),
            Currency::MYR,
            day("2026-02-04"),
            day("2026-01-05"),
            vec![OwedPeriod {
                from: day("2026-01-05"),
                until: None,
                outstanding: rm("1000.00"),
            }],
        )
        .unwrap()
    }

    fn payment(amount: &str, received_on: &str) -> InvoiceEvent {
        let r = receivable();
        InvoiceEvent::PaymentRecorded(PaymentRecorded {
            invoice_id: r.invoice_id,
            invoice_number: number("INV-2026-000001"),
            customer_id: r.customer_id,
            payment_id: PaymentId::from_uuid(Uuid::now_v7()),
            amount: rm(amount),
            method: PaymentMethod::BankTransfer,
            reference: None,
            received_on: day(received_on),
            recorded_at: Utc::now(),
        })
    }

    fn note(amount: &str, issued_on: &str) -> NoteIssued {
        let r = receivable();
        NoteIssued {
            note_id: NoteId::from_uuid(Uuid::now_v7()),
            number: number("CN-2026-000001"),
            invoice_id: r.invoice_id,
            invoice_number: number("INV-2026-000001"),
            customer_id: r.customer_id,
            reason: "A weight was not calibrated".into(),
            issued_at: Utc::now(),
            issued_on: day(issued_on),
            priced_on: day("2026-01-05"),
            lines: vec![],
            totals: payable(amount),
            exchange_rate: None,
        }
    }

    #[test]
    fn an_amount_is_current_until_its_due_day_and_late_from_the_day_after() {
        let due = day("2026-02-04");
        let after = |days: u64| due.checked_add_days(chrono::Days::new(days)).unwrap();
        assert_eq!(
            AgingBucket::of(due, day("2026-01-05")),
            AgingBucket::Current
        );
        for (days, bucket) in [
            (0, AgingBucket::Current),
            (1, AgingBucket::Days1To30),
            (30, AgingBucket::Days1To30),
            (31, AgingBucket::Days31To60),
            (60, AgingBucket::Days31To60),
            (61, AgingBucket::Days61To90),
            (90, AgingBucket::Days61To90),
            (91, AgingBucket::Over90),
            (3650, AgingBucket::Over90),
        ] {
            assert_eq!(AgingBucket::of(due, after(days)), bucket, "{days} days");
        }
    }

    #[test]
    fn an_invoice_owes_nothing_before_its_issue_day() {
        let r = receivable();
        assert_eq!(r.outstanding_on(day("2026-01-04")), None);
        assert_eq!(r.owed_on(day("2026-01-04")), None);
        assert_eq!(r.outstanding_on(day("2026-01-05")), Some(rm("1000.00")));
        assert_eq!(r.outstanding_on(day("2099-01-01")), Some(rm("1000.00")));
    }

    #[test]
    fn an_entry_counts_from_its_own_date_even_when_recorded_later() {
        let mut r = receivable();
        r.apply(&payment("300.00", "2026-01-20")).unwrap();
        // Recorded after the one above, but received before it.
        r.apply(&payment("200.00", "2026-01-10")).unwrap();
        assert_eq!(r.outstanding_on(day("2026-01-09")), Some(rm("1000.00")));
        assert_eq!(r.outstanding_on(day("2026-01-10")), Some(rm("800.00")));
        assert_eq!(r.outstanding_on(day("2026-01-19")), Some(rm("800.00")));
        assert_eq!(r.outstanding_on(day("2026-01-20")), Some(rm("500.00")));
        assert_eq!(r.periods().len(), 3);
    }

    #[test]
    fn a_deposit_received_before_the_issue_counts_from_the_issue_day() {
        let mut r = receivable();
        r.apply(&payment("100.00", "2026-01-02")).unwrap();
        assert_eq!(r.outstanding_on(day("2026-01-04")), None);
        assert_eq!(r.outstanding_on(day("2026-01-05")), Some(rm("900.00")));
        assert_eq!(r.periods().len(), 1);
    }

    #[test]
    fn notes_move_the_balance_each_its_own_way() {
        let mut r = receivable();
        r.apply(&payment("1000.00", "2026-01-06")).unwrap();
        r.apply(&InvoiceEvent::CreditNoteIssued(note(
            "250.00",
            "2026-01-07",
        )))
        .unwrap();
        assert_eq!(r.outstanding_on(day("2026-01-07")), Some(rm("-250.00")));
        r.apply(&InvoiceEvent::RefundNoteIssued(note(
            "200.00",
            "2026-01-08",
        )))
        .unwrap();
        r.apply(&InvoiceEvent::DebitNoteIssued(note("80.00", "2026-01-08")))
            .unwrap();
        assert_eq!(r.outstanding_on(day("2026-01-08")), Some(rm("30.00")));
    }

    #[test]
    fn a_cancelled_invoice_owes_nothing_from_the_malaysian_day_of_its_cancellation() {
        let mut r = receivable();
        let cancelled = InvoiceEvent::InvoiceCancelled(InvoiceCancelled {
            invoice_id: r.invoice_id,
            number: number("INV-2026-000001"),
            customer_id: r.customer_id,
            reason: "Issued to the wrong branch".into(),
            // 23:30 on 6 January in Kuala Lumpur.
            cancelled_at: Utc.with_ymd_and_hms(2026, 1, 6, 15, 30, 0).unwrap(),
        });
        r.apply(&cancelled).unwrap();
        assert_eq!(r.outstanding_on(day("2026-01-05")), Some(rm("1000.00")));
        assert_eq!(r.outstanding_on(day("2026-01-06")), Some(rm("0.00")));
    }

    #[test]
    fn periods_kept_by_a_read_model_read_back_as_they_were() {
        let mut r = receivable();
        r.apply(&payment("300.00", "2026-01-20")).unwrap();
        r.apply(&payment("700.00", "2026-01-25")).unwrap();
        // A debit note on a paid invoice: it owes again.
        r.apply(&InvoiceEvent::DebitNoteIssued(note("40.00", "2026-02-02")))
            .unwrap();
        let periods = r.periods();
        let period = |from: &str, until: Option<&str>, amount: &str| OwedPeriod {
            from: day(from),
            until: until.map(day),
            outstanding: rm(amount),
        };
        assert_eq!(
            periods,
            [
                period("2026-01-05", Some("2026-01-20"), "1000.00"),
                period("2026-01-20", Some("2026-01-25"), "700.00"),
                period("2026-02-02", None, "40.00"),
            ]
        );
        let mut kept = periods.clone();
        kept.reverse();
        let back = |periods| {
            Receivable::from_periods(
                r.invoice_id,
                r.customer_id,
                r.currency,
                r.due_on,
                r.issued_on(),
                periods,
            )
        };
        let back_again = back(kept).unwrap();
        assert_eq!(back_again.periods(), periods);
        for date in [
            "2026-01-04",
            "2026-01-05",
            "2026-01-24",
            "2026-01-25",
            "2026-02-01",
        ] {
            assert_eq!(
                back_again.outstanding_on(day(date)),
                r.outstanding_on(day(date)),
                "{date}"
            );
        }
        assert_eq!(back_again.outstanding_on(day("2026-01-30")), Some(rm("0")));
        // Nothing owed since the issue: settled on the day, say.
        let nothing = back(vec![]).unwrap();
        assert_eq!(nothing.outstanding_on(day("2026-01-05")), Some(rm("0")));
        assert_eq!(nothing.outstanding_on(day("2026-01-04")), None);
        let overlapping = vec![periods[0], period("2026-01-10", None, "5.00")];
        assert_eq!(back(overlapping), None);
        assert_eq!(back(vec![period("2026-01-01", None, "5.00")]), None);
        assert_eq!(back(vec![period("2026-01-06", None, "0.00")]), None);
    }

    #[test]
    fn a_step_that_changes_nothing_does_not_split_a_period() {
        let mut r = receivable();
        r.apply(&payment("100.00", "2026-01-10")).unwrap();
        r.apply(&InvoiceEvent::DebitNoteIssued(note("100.00", "2026-01-10")))
            .unwrap();
        r.apply(&payment("100.00", "2026-01-12")).unwrap();
        r.apply(&InvoiceEvent::DebitNoteIssued(note("100.00", "2026-01-14")))
            .unwrap();
        assert_eq!(
            r.periods(),
            [
                OwedPeriod {
                    from: day("2026-01-05"),
                    until: Some(day("2026-01-12")),
                    outstanding: rm("1000.00"),
                },
                OwedPeriod {
                    from: day("2026-01-12"),
                    until: Some(day("2026-01-14")),
                    outstanding: rm("900.00"),
                },
                OwedPeriod {
                    from: day("2026-01-14"),
                    until: None,
                    outstanding: rm("1000.00"),
                },
            ]
        );
    }

    #[test]
    fn the_aging_adds_up_per_customer_and_currency_and_shows_credit_balances() {
        let as_of = day("2026-06-30");
        let owed = |c, due: &str, amount: &str, currency: &str| Owed {
            customer_id: customer(c),
            due_on: day(due),
            outstanding: Money::parse(amount, currency).unwrap(),
        };
        let aging = Aging::of(
            as_of,
            [
                owed(1, "2026-07-15", "100.00", "MYR"),
                owed(1, "2026-06-29", "50.00", "MYR"),
                owed(1, "2026-03-01", "25.00", "MYR"),
                owed(1, "2026-06-01", "40.00", "USD"),
                owed(2, "2026-05-01", "-70.00", "MYR"),
                owed(3, "2026-06-01", "0.00", "MYR"),
                // Cancels out within its bucket: nothing to show for customer 4.
                owed(4, "2026-06-10", "10.00", "MYR"),
                owed(4, "2026-06-12", "-10.00", "MYR"),
            ],
        )
        .unwrap();
        let rows: Vec<_> = aging
            .customers
            .iter()
            .map(|c| (c.customer_id, c.amounts.currency().to_string()))
            .collect();
        assert_eq!(
            rows,
            [
                (customer(1), "MYR".to_owned()),
                (customer(1), "USD".to_owned()),
                (customer(2), "MYR".to_owned())
            ]
        );
        let first = aging.customers[0].amounts;
        assert_eq!(first.get(AgingBucket::Current), rm("100.00"));
        assert_eq!(first.get(AgingBucket::Days1To30), rm("50.00"));
        assert_eq!(first.get(AgingBucket::Days31To60), rm("0.00"));
        assert_eq!(first.get(AgingBucket::Over90), rm("25.00"));
        assert_eq!(first.total(), rm("175.00"));
        assert_eq!(
            aging.customers[2].amounts.get(AgingBucket::Days31To60),
            rm("-70.00")
        );
        assert_eq!(aging.totals.len(), 2);
        let myr = aging.totals[0];
        assert_eq!(myr.currency(), Currency::MYR);
        assert_eq!(myr.get(AgingBucket::Days31To60), rm("-70.00"));
        assert_eq!(myr.total(), rm("105.00"));
        assert_eq!(
            aging.totals[1].total(),
            Money::parse("40.00", "USD").unwrap()
        );
    }

    proptest::proptest! {
        /// Whatever the order entries are recorded in, what an invoice owed at the end of a
        /// day is its payable plus every change dated by then (from the issue day), and its
        /// periods, as a read model keeps them, read back to the same answers.
        #[test]
        fn what_is_owed_on_a_day_is_every_change_dated_by_then(
            changes in proptest::collection::vec((0_u64..40, -50_000_i64..50_000), 0..12)
        ) {
            let issued_on = day("2026-01-05");
            let first_day = day("2026-01-01");
            let mut r = receivable();
            for (offset, sen) in &changes {
                let on = first_day + chrono::Days::new(*offset);
                r.moved(on, Money::from_sen(*sen, Currency::MYR)).unwrap();
            }
            let kept = Receivable::from_periods(
                r.invoice_id,
                r.customer_id,
                r.currency,
                r.due_on,
                r.issued_on(),
                r.periods(),
            )
            .unwrap();
            for offset in 0..45 {
                let as_of = first_day + chrono::Days::new(offset);
                let expected = (as_of >= issued_on).then(|| {
                    let moved: i64 = changes
                        .iter()
                        .filter(|(on, _)| first_day + chrono::Days::new(*on) <= as_of)
                        .map(|(_, sen)| sen)
                        .sum();
                    Money::from_sen(100_000 + moved, Currency::MYR)
                });
                proptest::prop_assert_eq!(r.outstanding_on(as_of), expected);
                proptest::prop_assert_eq!(kept.outstanding_on(as_of), expected);
            }
        }
    }
}
