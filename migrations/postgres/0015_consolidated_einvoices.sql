-- Consolidated e-invoices (docs/decisions/0015) join the documents sent to LHDN. One belongs
-- to no invoice and no customer (its buyer is the general public), so those columns may be
-- NULL. `consolidation` names the month (`2026-11`): of a consolidated e-invoice, the month
-- it summarises; of an invoice, the month whose consolidated e-invoice took its sale in.
ALTER TABLE lhdn_documents
    ALTER COLUMN invoice_id DROP NOT NULL,
    ALTER COLUMN customer_id DROP NOT NULL,
    ADD COLUMN consolidation TEXT;
-- The consolidation job's look-up of a month's sales already taken in.
CREATE INDEX lhdn_documents_by_consolidation ON lhdn_documents (consolidation, issued_position);
