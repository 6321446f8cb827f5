-- Quotation list: one row per quotation for the list screen, filtered by status or customer,
-- newest first. The row shows the current revision; the customer's name is joined from
-- customer_list when read, so a renamed customer shows its new name without a rewrite here.
CREATE TABLE quotation_list (
    quotation_id       TEXT NOT NULL,
    number             TEXT NOT NULL,
    customer_id        TEXT NOT NULL,
    -- draft, sent, accepted, rejected, expired, converted (the quotation as a whole).
    status             TEXT NOT NULL,
    current_revision   BIGINT NOT NULL,
    currency           TEXT NOT NULL,
    -- The current revision's payable amount in whole sen: integers add up exactly in SQL.
    payable_sen        BIGINT NOT NULL,
    -- The current revision's sending (NULL while it is a draft). Dates are ISO text.
    sent_on            TEXT,
    valid_until        TEXT,
    accepted_revision  BIGINT,
    invoice_id         TEXT,
    drafted_at         TEXT NOT NULL,
    -- The position of the QuotationDrafted event: newest first is position descending, and
    -- unique, so it is the whole page cursor.
    drafted_position   BIGINT NOT NULL,
    updated_at         TEXT NOT NULL,
    updated_position   BIGINT NOT NULL,
    CONSTRAINT quotation_list_pkey PRIMARY KEY (quotation_id)
);
CREATE INDEX quotation_list_newest ON quotation_list (drafted_position);
CREATE INDEX quotation_list_by_status ON quotation_list (status, drafted_position);
CREATE INDEX quotation_list_by_customer ON quotation_list (customer_id, drafted_position);
