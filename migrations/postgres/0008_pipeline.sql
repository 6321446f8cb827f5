-- Sales pipeline: one row per opportunity, for the pipeline report (open value by stage, by
-- expected close month, won and lost per month) and a customer's open opportunities. The
-- report reads only this table, so it stays a few index walks however long the history
-- grows. Amounts are whole sen (integers add up exactly in SQL on both databases); dates are
-- ISO text (YYYY-MM-DD) and months YYYY-MM, so the same statements run on SQLite.
CREATE TABLE pipeline_opportunities (
    -- Opportunity ids are chosen by the client and only unique within a customer's stream,
    -- so the customer is part of the key.
    customer_id           TEXT NOT NULL,
    opportunity_id        TEXT NOT NULL,
    title                 TEXT NOT NULL,
    currency              TEXT NOT NULL,
    -- The expected value as opened, rounded to the sen: also what a won deal counts as won.
    expected_value_sen    BIGINT NOT NULL,
    expected_close        TEXT NOT NULL,
    -- The month of expected_close, kept as a column so grouping by it walks an index.
    expected_close_month  TEXT NOT NULL,
    source                TEXT NOT NULL,
    -- The last open stage reached: for a closed deal, the stage it was won or lost at.
    stage                 TEXT NOT NULL,
    status                TEXT NOT NULL,
    opened_on             TEXT NOT NULL,
    -- The position of the OpportunityOpened event.
    opened_position       BIGINT NOT NULL,
    closed_on             TEXT,
    closed_month          TEXT,
    lost_reason           TEXT,
    CONSTRAINT pipeline_opportunities_pkey PRIMARY KEY (customer_id, opportunity_id),
    CONSTRAINT pipeline_opportunities_stage CHECK (stage IN ('lead', 'qualified', 'proposal')),
    CONSTRAINT pipeline_opportunities_status CHECK (status IN ('open', 'won', 'lost')),
    -- Open exactly when not closed: the report counts a deal in one place only.
    CONSTRAINT pipeline_opportunities_closing CHECK (
        (status = 'open') = (closed_on IS NULL AND closed_month IS NULL)
    )
);
-- Open deals are a small, moving part of a history that only grows: partial indexes keep
-- them apart and cover each report query, which then never reads the table.
CREATE INDEX pipeline_open_by_stage ON pipeline_opportunities
    (stage, currency, expected_value_sen) WHERE status = 'open';
CREATE INDEX pipeline_open_by_close_month ON pipeline_opportunities
    (expected_close_month, currency, expected_value_sen) WHERE status = 'open';
CREATE INDEX pipeline_open_by_customer ON pipeline_opportunities
    (customer_id, expected_close, opportunity_id) WHERE status = 'open';
-- Won and lost per month over a range of months.
CREATE INDEX pipeline_closed_by_month ON pipeline_opportunities
    (closed_month, status, currency, expected_value_sen);
