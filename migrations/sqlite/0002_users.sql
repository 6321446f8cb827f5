-- Staff accounts: who may log in and with which role. Unlike business records these rows are
-- not events: an account is access configuration, and what a user does is already recorded
-- in the metadata of every event they cause (actor = user:<id>), so the audit trail does not
-- depend on this table. Same columns as on PostgreSQL; the id is a UUID as text and times are
-- RFC 3339 text in UTC to the microsecond, like the event store.

CREATE TABLE users (
    id             TEXT NOT NULL,
    -- Stored lower-cased by the application so that the unique key below is case-insensitive;
    -- the check keeps that promise (SQLite's lower() folds ASCII only, enough for the check).
    email          TEXT NOT NULL,
    -- An Argon2id PHC string (algorithm, parameters, salt and hash): never the password.
    password_hash  TEXT NOT NULL,
    -- One of the roles the API knows (crates/api/src/auth/role.rs); a new role needs a migration.
    role           TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    -- Constraint names are referred to by the API's error mapping (crates/api/src/users.rs);
    -- SQLite reports the column (users.email) rather than the name, so both are matched.
    CONSTRAINT users_pkey PRIMARY KEY (id),
    CONSTRAINT users_email_key UNIQUE (email),
    CONSTRAINT users_email_lower_case CHECK (email = lower(email)),
    CONSTRAINT users_role_known CHECK (role IN ('admin', 'sales', 'finance', 'warehouse', 'auditor'))
);
