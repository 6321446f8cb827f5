-- A new role, `integrator`: a system outside Niaga that follows the event feed (GET /events)
-- and may do nothing else (crates/api/src/auth/role.rs). The role check lists the roles the
-- API knows, so it is replaced with one that lists the new role too. Compatible: every
-- existing row keeps a role the new check allows.
ALTER TABLE users DROP CONSTRAINT users_role_known;
ALTER TABLE users ADD CONSTRAINT users_role_known
    CHECK (role IN ('admin', 'sales', 'finance', 'warehouse', 'auditor', 'integrator'));
