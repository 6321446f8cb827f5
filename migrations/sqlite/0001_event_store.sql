-- The event store: the one source of truth. Every fact Niaga knows is a row here, appended
-- once and never changed. Read models are derived from it and can be rebuilt at any time.
-- Same columns as the PostgreSQL store; times are RFC 3339 text in UTC to the microsecond,
-- JSON is text.

CREATE TABLE events (
    -- Global order. SQLite has one writer at a time, so positions commit in order and the
    -- position alone is a gap-safe cursor. AUTOINCREMENT: a position is never reused.
    position        INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id        TEXT NOT NULL,
    stream_type     TEXT NOT NULL,
    stream_id       TEXT NOT NULL,
    version         INTEGER NOT NULL,
    event_type      TEXT NOT NULL,
    schema_version  INTEGER NOT NULL,
    payload         TEXT NOT NULL,
    metadata        TEXT NOT NULL,
    recorded_at     TEXT NOT NULL,
    hash            TEXT NOT NULL,
    -- Optimistic concurrency as a database guarantee: two writers cannot both add version N.
    CONSTRAINT events_stream_version_key UNIQUE (stream_type, stream_id, version),
    CONSTRAINT events_version_positive CHECK (version > 0),
    CONSTRAINT events_schema_version_positive CHECK (schema_version > 0)
);

-- Records are kept at least 7 years and must be tamper-evident: the database refuses to
-- change or remove an event.
CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are immutable: UPDATE on events is refused');
END;

CREATE TRIGGER events_refuse_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are immutable: DELETE on events is refused');
END;

-- The first result of each idempotent command (see the PostgreSQL migration).
CREATE TABLE command_idempotency (
    stream_type     TEXT NOT NULL,
    -- Keys are unique per aggregate type, not per stream: a retried *create* must find the
    -- stream its first attempt made, and cannot know that stream's id.
    idempotency_key TEXT NOT NULL,
    stream_id       TEXT NOT NULL,
    request_hash    TEXT NOT NULL,
    version         INTEGER NOT NULL,
    position        INTEGER,
    recorded_at     TEXT NOT NULL,
    CONSTRAINT command_idempotency_pkey PRIMARY KEY (stream_type, idempotency_key)
);

-- Folded aggregate state; an optimisation only.
CREATE TABLE snapshots (
    stream_type     TEXT NOT NULL,
    stream_id       TEXT NOT NULL,
    version         INTEGER NOT NULL,
    hash            TEXT NOT NULL,
    state_version   INTEGER NOT NULL,
    state           TEXT NOT NULL,
    CONSTRAINT snapshots_pkey PRIMARY KEY (stream_type, stream_id)
);
