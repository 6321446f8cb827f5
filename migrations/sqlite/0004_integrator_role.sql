-- A new role, `integrator`: a system outside Niaga that follows the event feed (GET /events)
-- and may do nothing else (crates/api/src/auth/role.rs). SQLite cannot change a table's check
-- constraint in place, so the table is rebuilt the way its documentation prescribes (new
-- table, copy, drop, rename) with the same columns and constraints, the role check listing
-- the new role too. Nothing refers to `users`, so no foreign key is disturbed.

CREATE TABLE users_with_integrator (
    id             TEXT NOT NULL,
    email          TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    role           TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    CONSTRAINT users_pkey PRIMARY KEY (id),
    CONSTRAINT users_email_key UNIQUE (email),
    CONSTRAINT users_email_lower_case CHECK (email = lower(email)),
    CONSTRAINT users_role_known
        CHECK (role IN ('admin', 'sales', 'finance', 'warehouse', 'auditor', 'integrator'))
);

INSERT INTO users_with_integrator (id, email, password_hash, role, created_at)
SELECT id, email, password_hash, role, created_at FROM users;

DROP TABLE users;

ALTER TABLE users_with_integrator RENAME TO users;
