-- Invoices for the list screen and receivables: one row per invoice. Amounts are whole sen
-- (integers add up exactly in SQL on both databases); dates are ISO text (YYYY-MM-DD).
CREATE TABLE invoice_list (
    invoice_id           TEXT NOT NULL,
    customer_id          TEXT NOT NULL,
    -- NULL while a draft.
    number               TEXT,
    status               TEXT NOT NULL,
    currency             TEXT NOT NULL,
    -- The invoice's own payable amount (as drafted, then as issued).
    total_sen            BIGINT NOT NULL,
    -- Payable + debit notes - credit notes; payments - refund notes.
    charged_sen          BIGINT NOT NULL DEFAULT 0,
    settled_sen          BIGINT NOT NULL DEFAULT 0,
    credit_notes         BIGINT NOT NULL DEFAULT 0,
    issued_on            TEXT,
    due_on               TEXT,
    quotation_id         TEXT,
    drafted_at           TEXT NOT NULL,
    -- The position of the InvoiceDrafted event: newest first is position descending.
    drafted_position     BIGINT NOT NULL,
    CONSTRAINT invoice_list_pkey PRIMARY KEY (invoice_id)
);
CREATE INDEX invoice_list_newest ON invoice_list (drafted_position);
CREATE INDEX invoice_list_by_status ON invoice_list (status, drafted_position);
CREATE INDEX invoice_list_by_customer ON invoice_list (customer_id, drafted_position);
-- Receivables: what is still owed, by due date.
CREATE INDEX invoice_list_open_by_due ON invoice_list (due_on) WHERE charged_sen > settled_sen;

-- A customer's account, for statements: one entry per event that moves the balance.
CREATE TABLE customer_ledger (
    -- The event's position: one entry per event, so a replayed event cannot add twice.
    position         BIGINT NOT NULL,
    customer_id      TEXT NOT NULL,
    currency         TEXT NOT NULL,
    entry_on         TEXT NOT NULL,
    -- invoice, payment, credit_note, debit_note, refund_note, cancellation
    kind             TEXT NOT NULL,
    -- The invoice or note number; for a payment, the invoice it pays.
    document_number  TEXT NOT NULL,
    invoice_id       TEXT NOT NULL,
    reference        TEXT,
    -- Debit raises what the customer owes, credit lowers it.
    debit_sen        BIGINT NOT NULL,
    credit_sen       BIGINT NOT NULL,
    CONSTRAINT customer_ledger_pkey PRIMARY KEY (position)
);
CREATE INDEX customer_ledger_statement ON customer_ledger (customer_id, currency, entry_on, position);
CREATE INDEX customer_ledger_invoice ON customer_ledger (invoice_id, kind);
