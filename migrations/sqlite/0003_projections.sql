-- The read side: one checkpoint per projector, advanced in the same transaction as the read
-- model it feeds, so a crash never applies an event twice or skips one.
CREATE TABLE projection_checkpoints (
    projection      TEXT NOT NULL,
    transaction_id  INTEGER NOT NULL DEFAULT 0,
    position        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    updated_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CONSTRAINT projection_checkpoints_pkey PRIMARY KEY (projection)
);

-- Customer list: one row per customer, for the list screen and search by name or TIN.
CREATE TABLE customer_list (
    customer_id          TEXT NOT NULL,
    name                 TEXT NOT NULL,
    -- Lower-cased name: a prefix search is an index range (BINARY collation is byte order).
    name_key             TEXT NOT NULL,
    kind                 TEXT NOT NULL,
    tin                  TEXT NOT NULL,
    email                TEXT NOT NULL,
    phone                TEXT NOT NULL,
    city                 TEXT NOT NULL,
    state                TEXT NOT NULL,
    open_opportunities   INTEGER NOT NULL DEFAULT 0,
    last_interaction_at  TEXT,
    registered_at        TEXT NOT NULL,
    CONSTRAINT customer_list_pkey PRIMARY KEY (customer_id)
);
CREATE INDEX customer_list_by_name ON customer_list (name_key, customer_id);
CREATE INDEX customer_list_by_tin ON customer_list (tin);
