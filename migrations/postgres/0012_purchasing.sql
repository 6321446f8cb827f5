-- Purchasing read models (issue 8): the supplier list, the purchase-order list with its
-- receipt status, each order's lines with their delivery variance, and each goods receipt
-- with its lateness, which supplier performance is computed from. Quantities are decimal
-- text as the events carry them (exact; summed in Rust, never as floats); amounts are whole
-- sen; dates are ISO text (YYYY-MM-DD). Compatible: new tables only.

CREATE TABLE supplier_list (
    supplier_id          TEXT NOT NULL,
    name                 TEXT NOT NULL,
    kind                 TEXT NOT NULL,
    tin                  TEXT NOT NULL,
    email                TEXT NOT NULL,
    phone                TEXT NOT NULL,
    city                 TEXT NOT NULL,
    state                TEXT NOT NULL,
    -- The supplier's own delivery tolerance in percent; NULL: the company default.
    tolerance_override   TEXT,
    -- How many times the override was set or cleared: its version.
    tolerance_revision   BIGINT NOT NULL DEFAULT 0,
    registered_at        TEXT NOT NULL,
    registered_position  BIGINT NOT NULL,
    updated_position     BIGINT NOT NULL,
    CONSTRAINT supplier_list_pkey PRIMARY KEY (supplier_id)
);
CREATE INDEX supplier_list_newest ON supplier_list (registered_position);
CREATE INDEX supplier_list_by_tin ON supplier_list (tin, registered_position);

CREATE TABLE purchase_order_list (
    purchase_order_id    TEXT NOT NULL,
    supplier_id          TEXT NOT NULL,
    -- Given when sent.
    number               TEXT,
    -- draft, sent, closed, cancelled
    status               TEXT NOT NULL,
    -- not_received, partly_received, received, short_closed, closed
    receipt_status       TEXT NOT NULL,
    currency             TEXT NOT NULL,
    total_sen            BIGINT NOT NULL,
    lines                BIGINT NOT NULL,
    promised_on          TEXT NOT NULL,
    -- 0 for a draft, 1 once sent, one more per revision.
    revision             BIGINT NOT NULL DEFAULT 0,
    sent_on              TEXT,
    deliveries           BIGINT NOT NULL DEFAULT 0,
    -- The latest of its deliveries against the promised date.
    max_days_late        BIGINT NOT NULL DEFAULT 0,
    variance_flags       BIGINT NOT NULL DEFAULT 0,
    -- The tolerance the latest judgement (receipt, short-close, close) was made under.
    tolerance_version    BIGINT,
    tolerance_percent    TEXT,
    closed_on            TEXT,
    cancelled_on         TEXT,
    drafted_at           TEXT NOT NULL,
    drafted_position     BIGINT NOT NULL,
    updated_position     BIGINT NOT NULL,
    CONSTRAINT purchase_order_list_pkey PRIMARY KEY (purchase_order_id)
);
CREATE INDEX purchase_order_list_newest ON purchase_order_list (drafted_position);
CREATE INDEX purchase_order_list_by_status ON purchase_order_list (status, drafted_position);
CREATE INDEX purchase_order_list_by_receipt_status
    ON purchase_order_list (receipt_status, drafted_position);
CREATE INDEX purchase_order_list_by_supplier ON purchase_order_list (supplier_id, drafted_position);
-- Supplier performance: a supplier's orders promised in a range of months (fill rate).
CREATE INDEX purchase_order_list_by_supplier_promised
    ON purchase_order_list (supplier_id, promised_on);

-- Each line of each order as the current revision has it, with its delivery variance as
-- last judged (on a receipt, a short-close or a forced close).
CREATE TABLE purchase_order_lines (
    purchase_order_id    TEXT NOT NULL,
    line_no              BIGINT NOT NULL,
    item_code            TEXT,
    description          TEXT NOT NULL,
    unit                 TEXT NOT NULL,
    ordered              TEXT NOT NULL,
    -- Cumulative, every receipt included.
    received             TEXT NOT NULL DEFAULT '0',
    -- What will never arrive: the shortfall when the line was closed short.
    short_closed         TEXT NOT NULL DEFAULT '0',
    -- not_received, partly_received, received, over_received, short_closed
    status               TEXT NOT NULL DEFAULT 'not_received',
    -- received - ordered, and as a percentage of ordered (two decimals).
    difference           TEXT NOT NULL,
    percent              TEXT NOT NULL DEFAULT '0',
    -- as_ordered, over_within_tolerance, over_tolerance, outstanding,
    -- under_within_tolerance, under_tolerance
    assessment           TEXT NOT NULL DEFAULT 'outstanding',
    flagged              BOOLEAN NOT NULL DEFAULT FALSE,
    tolerance_version    BIGINT,
    tolerance_percent    TEXT,
    -- The latest of the deliveries that brought some of it, against the promised date.
    days_late            BIGINT NOT NULL DEFAULT 0,
    last_received_on     TEXT,
    unit_price           TEXT NOT NULL,
    amount_sen           BIGINT NOT NULL,
    CONSTRAINT purchase_order_lines_pkey PRIMARY KEY (purchase_order_id, line_no)
);

-- Each delivery: what supplier performance counts (on time, days late) by month received.
CREATE TABLE purchase_order_receipts (
    purchase_order_id    TEXT NOT NULL,
    receipt_id           TEXT NOT NULL,
    supplier_id          TEXT NOT NULL,
    received_on          TEXT NOT NULL,
    promised_on          TEXT NOT NULL,
    days_late            BIGINT NOT NULL,
    receiver             TEXT NOT NULL,
    note                 TEXT,
    lines                BIGINT NOT NULL,
    flagged              BOOLEAN NOT NULL DEFAULT FALSE,
    tolerance_version    BIGINT NOT NULL,
    tolerance_percent    TEXT NOT NULL,
    recorded_position    BIGINT NOT NULL,
    CONSTRAINT purchase_order_receipts_pkey PRIMARY KEY (purchase_order_id, receipt_id)
);
CREATE INDEX purchase_order_receipts_by_supplier
    ON purchase_order_receipts (supplier_id, received_on);
