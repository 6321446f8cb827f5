-- Per-year number series of documents (invoices, notes, quotations): the last number taken.
-- A number is taken in the same transaction as the events that carry it, so a rolled-back
-- command gives its number back and the committed numbers have no gaps
-- (docs/decisions/0010-gapless-document-numbers.md).
CREATE TABLE number_series (
    series       TEXT NOT NULL,
    year         INTEGER NOT NULL,
    last_number  BIGINT NOT NULL,
    CONSTRAINT number_series_pkey PRIMARY KEY (series, year),
    CONSTRAINT number_series_positive CHECK (last_number > 0)
);
