-- Each issued document (an invoice, a credit, debit or refund note) and where it stands with
-- LHDN: what the submitter works from and what `GET /lhdn/documents` shows. Times are ISO
-- text (UTC, to the microsecond), which sorts and compares as text on both databases.
CREATE TABLE lhdn_documents (
    -- The invoice's id, or the note's.
    document_id          TEXT NOT NULL,
    invoice_id           TEXT NOT NULL,
    -- NULL for the invoice itself.
    note_id              TEXT,
    -- invoice, credit_note, debit_note, refund_note
    kind                 TEXT NOT NULL,
    number               TEXT NOT NULL,
    customer_id          TEXT NOT NULL,
    issued_at            TEXT NOT NULL,
    -- pending, submitting, accepted, valid, rejected, invalid, cancelled
    status               TEXT NOT NULL,
    -- How many submissions were started.
    attempt              BIGINT NOT NULL DEFAULT 0,
    -- When the latest submission was recorded as started.
    submitted_at         TEXT,
    submission_uid       TEXT,
    document_uuid        TEXT,
    long_id              TEXT,
    validated_at         TEXT,
    -- LHDN's problems with the document, a JSON array, when rejected or invalid.
    problems             TEXT,
    issued_position      BIGINT NOT NULL,
    updated_position     BIGINT NOT NULL,
    CONSTRAINT lhdn_documents_pkey PRIMARY KEY (document_id)
);
CREATE INDEX lhdn_documents_newest ON lhdn_documents (issued_position);
CREATE INDEX lhdn_documents_by_status ON lhdn_documents (status, issued_position);
CREATE INDEX lhdn_documents_by_submission ON lhdn_documents (submission_uid);
