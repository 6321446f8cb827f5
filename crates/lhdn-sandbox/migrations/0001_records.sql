-- lhdn-sandbox keeps its state as JSON records (a test stand-in, not a ledger): one table,
-- keyed by kind and id, rewritten whole on every change. Kinds: document, submission,
-- session (keyed by the token's SHA-256, never the token), clock.
CREATE TABLE IF NOT EXISTS records (
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    body TEXT NOT NULL,
    CONSTRAINT records_pk PRIMARY KEY (kind, id)
);
