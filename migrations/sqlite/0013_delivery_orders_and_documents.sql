-- Delivery orders for the list screen, the signature links by token digest, and the document
-- store's metadata. Dates and times are ISO text (UTC, to the microsecond), which sorts and
-- compares as text on both databases, like the other read models.

-- One row per delivery order.
CREATE TABLE delivery_order_list (
    delivery_order_id    TEXT NOT NULL,
    customer_id          TEXT NOT NULL,
    -- invoice, quotation, rental_check_out
    source_kind          TEXT NOT NULL,
    source_id            TEXT NOT NULL,
    -- created, dispatched, signed, cancelled
    status               TEXT NOT NULL,
    lines                BIGINT NOT NULL,
    created_on           TEXT NOT NULL,
    dispatched_on        TEXT,
    -- When the customer signed (no name here: the evidence is in the event).
    signed_at            TEXT,
    -- Expiry of the link that may still be used, if any.
    link_expires_at      TEXT,
    refusals             BIGINT NOT NULL DEFAULT 0,
    created_position     BIGINT NOT NULL,
    updated_position     BIGINT NOT NULL,
    CONSTRAINT delivery_order_list_pkey PRIMARY KEY (delivery_order_id)
);
CREATE INDEX delivery_order_list_newest ON delivery_order_list (created_position);
CREATE INDEX delivery_order_list_by_status ON delivery_order_list (status, created_position);
CREATE INDEX delivery_order_list_by_customer ON delivery_order_list (customer_id, created_position);

-- Which delivery order a signature link belongs to, by the SHA-256 of its token: the public
-- page knows only the token. Whether the link may still be used is decided by the aggregate,
-- never by this table.
CREATE TABLE signature_links (
    token_sha256         TEXT NOT NULL,
    delivery_order_id    TEXT NOT NULL,
    link_id              TEXT NOT NULL,
    issued_position      BIGINT NOT NULL,
    CONSTRAINT signature_links_pkey PRIMARY KEY (token_sha256)
);

-- The document store's metadata: one row per stored document version. The bytes are in the
-- object store (a local folder or S3), keyed by their SHA-256, so two rows with the same
-- content share one object. Written by the API, not a projection: a document is stored
-- before the event that names its hash is appended.
CREATE TABLE documents (
    document_key         TEXT NOT NULL,
    -- What it is (delivery_order_signature, …) and of which document, in which version.
    kind                 TEXT NOT NULL,
    document_id          TEXT NOT NULL,
    version              BIGINT NOT NULL,
    media_type           TEXT NOT NULL,
    size_bytes           BIGINT NOT NULL,
    sha256               TEXT NOT NULL,
    stored_at            TEXT NOT NULL,
    -- 31 December of the seventh year after the year of issue (YYYY-MM-DD): kept until then.
    retention_until      TEXT NOT NULL,
    legal_hold           BOOLEAN NOT NULL DEFAULT 0,
    CONSTRAINT documents_pkey PRIMARY KEY (document_key),
    CONSTRAINT documents_sha256_hex CHECK (length(sha256) = 64),
    CONSTRAINT documents_size_not_negative CHECK (size_bytes >= 0)
);
CREATE INDEX documents_by_document ON documents (kind, document_id, version);
CREATE INDEX documents_by_sha256 ON documents (sha256);
