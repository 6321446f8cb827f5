-- The event store: the one source of truth. Every fact Niaga knows is a row here, appended
-- once and never changed. Read models are derived from it and can be rebuilt at any time.

CREATE TABLE events (
    -- Global order. Taken from a sequence at insert, so positions can commit out of order:
    -- readers of the global feed use (transaction_id, position), never position alone.
    position        BIGINT GENERATED ALWAYS AS IDENTITY,
    -- The writing transaction. A reader takes only rows below the oldest transaction still in
    -- flight (pg_snapshot_xmin), so an event that commits late is never skipped.
    transaction_id  XID8 NOT NULL DEFAULT pg_current_xact_id(),
    -- For integrators to de-duplicate at-least-once delivery; a UUIDv7 made by the writer.
    event_id        UUID NOT NULL,
    stream_type     TEXT NOT NULL,
    stream_id       TEXT NOT NULL,
    version         BIGINT NOT NULL,
    event_type      TEXT NOT NULL,
    schema_version  INTEGER NOT NULL,
    payload         JSONB NOT NULL,
    metadata        JSONB NOT NULL,
    recorded_at     TIMESTAMPTZ NOT NULL,
    -- SHA-256 (hex) over the previous event's hash and this event's fields: see store/src/hash.rs.
    hash            TEXT NOT NULL,
    CONSTRAINT events_pkey PRIMARY KEY (position),
    -- Optimistic concurrency as a database guarantee: two writers cannot both add version N.
    CONSTRAINT events_stream_version_key UNIQUE (stream_type, stream_id, version),
    CONSTRAINT events_version_positive CHECK (version > 0),
    CONSTRAINT events_schema_version_positive CHECK (schema_version > 0)
);

-- The global feed's order and cursor.
CREATE INDEX events_global_order ON events (transaction_id, position);

-- Records are kept at least 7 years and must be tamper-evident: the database itself refuses
-- to change or remove an event, whoever asks. (Grants for the application role: docs/operations.md.)
CREATE FUNCTION events_are_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events are immutable: % on events is refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER events_refuse_update_delete
    BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_are_immutable();

CREATE TRIGGER events_refuse_truncate
    BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_are_immutable();

-- The first result of each idempotent command, so that a retried request returns it again
-- and writes nothing. Written in the same transaction as the command's events.
CREATE TABLE command_idempotency (
    stream_type     TEXT NOT NULL,
    -- Keys are unique per aggregate type, not per stream: a retried *create* must find the
    -- stream its first attempt made, and cannot know that stream's id.
    idempotency_key TEXT NOT NULL,
    stream_id       TEXT NOT NULL,
    request_hash    TEXT NOT NULL,
    version         BIGINT NOT NULL,
    position        BIGINT,
    recorded_at     TIMESTAMPTZ NOT NULL,
    CONSTRAINT command_idempotency_pkey PRIMARY KEY (stream_type, idempotency_key)
);

-- Folded aggregate state, to avoid replaying long streams. An optimisation only: deleting
-- every row changes nothing but speed.
CREATE TABLE snapshots (
    stream_type     TEXT NOT NULL,
    stream_id       TEXT NOT NULL,
    version         BIGINT NOT NULL,
    hash            TEXT NOT NULL,
    state_version   INTEGER NOT NULL,
    state           JSONB NOT NULL,
    CONSTRAINT snapshots_pkey PRIMARY KEY (stream_type, stream_id)
);
