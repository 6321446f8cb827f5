-- Receivables and aging as of any day. Summing the ledger's entries up to D would read all
-- of history for a recent D and need the invoices joined for their due dates; instead this
-- keeps, per invoice, the runs of days it owed the same amount, so "aging as of D" reads only
-- the runs that held on D. Amounts are whole sen; dates are ISO text (YYYY-MM-DD), which
-- sorts as dates, so the same statements run on SQLite.

-- One row per issued invoice: what its balances need to be read back and moved.
CREATE TABLE receivable_invoices (
    invoice_id        TEXT NOT NULL,
    customer_id       TEXT NOT NULL,
    currency          TEXT NOT NULL,
    issued_on         TEXT NOT NULL,
    due_on            TEXT NOT NULL,
    -- The position of the last event applied to the invoice: an event at or below it is not
    -- applied again.
    through_position  BIGINT NOT NULL,
    CONSTRAINT receivable_invoices_pkey PRIMARY KEY (invoice_id)
);

-- One row per run of days over which an invoice owed the same amount. Days owing nothing
-- have no row, so a settled invoice stops being read once the day asked about is past its
-- settlement. Customer, currency and due day are repeated from receivable_invoices so the
-- aging reads one index and nothing else.
CREATE TABLE receivable_balances (
    invoice_id        TEXT NOT NULL,
    -- The first day this amount was owed.
    from_on           TEXT NOT NULL,
    -- The first day it no longer was; '9999-12-31' while it still is.
    until_on          TEXT NOT NULL,
    customer_id       TEXT NOT NULL,
    currency          TEXT NOT NULL,
    due_on            TEXT NOT NULL,
    -- Negative: a credit balance (the company owes the customer).
    outstanding_sen   BIGINT NOT NULL,
    CONSTRAINT receivable_balances_pkey PRIMARY KEY (invoice_id, from_on),
    CONSTRAINT receivable_balances_period CHECK (from_on < until_on),
    CONSTRAINT receivable_balances_owing CHECK (outstanding_sen <> 0)
);
-- Aging as of D, every customer: the runs with until_on > D (what is open on D, and what was
-- settled since), with everything the aging needs in the index itself.
CREATE INDEX receivable_balances_as_of ON receivable_balances
    (until_on, from_on, customer_id, currency, due_on, outstanding_sen);
-- Aging as of D, one customer.
CREATE INDEX receivable_balances_customer_as_of ON receivable_balances
    (customer_id, until_on, from_on, currency, due_on, outstanding_sen);
