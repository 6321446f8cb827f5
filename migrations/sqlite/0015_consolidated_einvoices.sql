-- Consolidated e-invoices (docs/decisions/0015) join the documents sent to LHDN. One belongs
-- to no invoice and no customer (its buyer is the general public), so those columns may be
-- NULL. `consolidation` names the month (`2026-11`): of a consolidated e-invoice, the month
-- it summarises; of an invoice, the month whose consolidated e-invoice took its sale in.
-- SQLite cannot drop a NOT NULL: the table is made anew, the rows copied, the indexes
-- made again under their names.
CREATE TABLE lhdn_documents_new (
    -- The invoice's id, the note's, or the consolidated e-invoice's number.
    document_id          TEXT NOT NULL,
    -- NULL for a consolidated e-invoice.
    invoice_id           TEXT,
    -- NULL for the invoice itself.
    note_id              TEXT,
    -- invoice, credit_note, debit_note, refund_note, consolidated
    kind                 TEXT NOT NULL,
    number               TEXT NOT NULL,
    -- NULL for a consolidated e-invoice.
    customer_id          TEXT,
    issued_at            TEXT NOT NULL,
    -- pending, submitting, accepted, valid, rejected, invalid, cancelled,
    -- for_consolidation, consolidated
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
    consolidation        TEXT,
    CONSTRAINT lhdn_documents_pkey PRIMARY KEY (document_id)
);
INSERT INTO lhdn_documents_new (document_id, invoice_id, note_id, kind, number, customer_id,
    issued_at, status, attempt, submitted_at, submission_uid, document_uuid, long_id,
    validated_at, problems, issued_position, updated_position)
SELECT document_id, invoice_id, note_id, kind, number, customer_id, issued_at, status, attempt,
    submitted_at, submission_uid, document_uuid, long_id, validated_at, problems,
    issued_position, updated_position
FROM lhdn_documents;
DROP TABLE lhdn_documents;
ALTER TABLE lhdn_documents_new RENAME TO lhdn_documents;
CREATE INDEX lhdn_documents_newest ON lhdn_documents (issued_position);
CREATE INDEX lhdn_documents_by_status ON lhdn_documents (status, issued_position);
CREATE INDEX lhdn_documents_by_submission ON lhdn_documents (submission_uid);
-- The consolidation job's look-up of a month's sales already taken in.
CREATE INDEX lhdn_documents_by_consolidation ON lhdn_documents (consolidation, issued_position);
