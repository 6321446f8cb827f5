-- Scheduled jobs. A lease per job makes one scheduler of several instances run it at a time:
-- taken with one upsert that succeeds only when the lease is free or expired, renewed while
-- the job runs, given up at the end; a crashed holder's lease simply expires. Every run is
-- recorded, for `GET /admin/jobs` and for the scheduler to know a day's run is done.
-- Instants are RFC 3339 UTC text of fixed width (microseconds, `Z`), so text order is time
-- order with the same SQL on both databases.
CREATE TABLE job_leases (
    job         TEXT NOT NULL,
    holder      TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    CONSTRAINT job_leases_pkey PRIMARY KEY (job)
);

CREATE TABLE job_runs (
    run_id       TEXT NOT NULL,
    job          TEXT NOT NULL,
    -- The business day the run is for (YYYY-MM-DD).
    as_of        TEXT NOT NULL,
    -- Which scheduler ran it (an instance id) and how it was started (schedule or command).
    holder       TEXT NOT NULL,
    trigger      TEXT NOT NULL,
    started_at   TEXT NOT NULL,
    finished_at  TEXT,
    -- running, succeeded, failed
    outcome      TEXT NOT NULL,
    -- What the run did, as a JSON object of counts ({"expired": 3}).
    counts       TEXT NOT NULL DEFAULT '{}',
    error        TEXT,
    CONSTRAINT job_runs_pkey PRIMARY KEY (run_id)
);
CREATE INDEX job_runs_latest ON job_runs (job, started_at);
CREATE INDEX job_runs_by_day ON job_runs (job, as_of, outcome);

-- The quotation expiry job's work list: sent quotations by their last valid day.
CREATE INDEX quotation_list_sent_by_validity ON quotation_list (valid_until) WHERE status = 'sent';
