//! The lease that lets one scheduler of several run a job at a time. One row per job; taking
//! it is one upsert that only wins when the lease is free, expired, or already ours.

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use niaga_store::{Database, on_writer};

/// How long a lease lasts unless renewed: a crashed holder blocks the job at most this long.
pub const TERM: TimeDelta = TimeDelta::seconds(60);

/// Fixed-width UTC text: its order is time order on both databases.
pub(crate) fn instant(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Takes (or renews) the lease of `job` for `holder` until `now + TERM`. `Ok(false)` when
/// another holder's lease has not expired.
pub async fn take(
    db: &Database,
    job: &str,
    holder: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let taken: Option<String> = on_writer!(db, pool => sqlx::query_scalar(
        "INSERT INTO job_leases (job, holder, expires_at) VALUES ($1, $2, $3) \
         ON CONFLICT (job) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at \
         WHERE job_leases.expires_at < $4 OR job_leases.holder = $2 \
         RETURNING holder",
    )
    .bind(job)
    .bind(holder)
    .bind(instant(now + TERM))
    .bind(instant(now))
    .fetch_optional(pool)
    .await)?;
    Ok(taken.is_some())
}

/// Gives the lease up, if `holder` still has it.
pub async fn give_up(db: &Database, job: &str, holder: &str) -> Result<(), sqlx::Error> {
    on_writer!(db, pool => sqlx::query("DELETE FROM job_leases WHERE job = $1 AND holder = $2")
        .bind(job)
        .bind(holder)
        .execute(pool)
        .await
        .map(drop))
}
