-- The read side: one checkpoint per projector, advanced in the same transaction as the read
-- model it feeds, so a crash never applies an event twice or skips one.
CREATE TABLE projection_checkpoints (
    projection      TEXT NOT NULL,
    -- The cursor of the last event applied: (transaction id, position), see events.
    transaction_id  BIGINT NOT NULL DEFAULT 0,
    position        BIGINT NOT NULL DEFAULT 0,
    -- Why the projector is stuck, if it is; cleared when an event applies again.
    last_error      TEXT,
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT projection_checkpoints_pkey PRIMARY KEY (projection)
);

-- Customer list: one row per customer, for the list screen and search by name or TIN.
CREATE TABLE customer_list (
    customer_id          TEXT NOT NULL,
    name                 TEXT NOT NULL,
    -- Lower-cased name in byte order ("C" collation) so a prefix search is an index range.
    name_key             TEXT COLLATE "C" NOT NULL,
    kind                 TEXT NOT NULL,
    tin                  TEXT COLLATE "C" NOT NULL,
    email                TEXT NOT NULL,
    phone                TEXT NOT NULL,
    city                 TEXT NOT NULL,
    state                TEXT NOT NULL,
    open_opportunities   BIGINT NOT NULL DEFAULT 0,
    last_interaction_at  TEXT,
    registered_at        TEXT NOT NULL,
    CONSTRAINT customer_list_pkey PRIMARY KEY (customer_id)
);
CREATE INDEX customer_list_by_name ON customer_list (name_key, customer_id);
CREATE INDEX customer_list_by_tin ON customer_list (tin);
