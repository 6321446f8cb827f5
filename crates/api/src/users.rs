//! The `users` table (migrations/*/0002_users.sql): staff accounts.
//!
//! Plain rows, not events: see the migration for why. The same SQL runs on both databases;
//! only the id and time binds differ (UUID and TIMESTAMPTZ on PostgreSQL, text on SQLite).

use chrono::{DateTime, SecondsFormat, SubsecRound as _, Utc};
use niaga_domain::{ids::UserId, values::Email};
use niaga_store::Database;
use sqlx::Row as _;
use uuid::Uuid;

use crate::{auth::Role, secret::Secret};

const COLUMNS: &str = "id, email, password_hash, role, created_at";

/// A staff account. `Debug` does not show the password hash.
#[derive(Debug, Clone)]
pub struct User {
    pub id: UserId,
    /// Lower-cased (see [`normalize_email`]).
    pub email: String,
    pub password_hash: Secret<String>,
    pub role: Role,
    pub created_at: DateTime<Utc>,
}

/// Why a user could not be added.
#[derive(Debug, thiserror::Error)]
pub enum InsertUserError {
    /// `users_email_key`: another account has this email.
    #[error("a user with this email already exists")]
    DuplicateEmail,
    /// `users_pkey`: the id is taken (a retried request, or a clash of client-chosen ids).
    #[error("a user with this id already exists")]
    DuplicateId,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// The email as accounts store and look it up: checked for shape, then lower-cased as a
/// whole, so `Siti@Example.my` and `siti@example.my` are one account.
pub fn normalize_email(input: &str) -> Result<String, niaga_domain::values::ValueError> {
    Email::parse(input).map(|email| String::from(email).to_lowercase())
}

/// The current time as both databases keep it (microseconds), so an account read back
/// equals the one written and a retried request answers exactly like the first.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// Adds an account.
pub async fn insert(db: &Database, user: &User) -> Result<(), InsertUserError> {
    let sql = format!("INSERT INTO users ({COLUMNS}) VALUES ($1, $2, $3, $4, $5)");
    let result = match db {
        Database::Postgres(pool) => sqlx::query(&sql)
            .bind(user.id.as_uuid())
            .bind(&user.email)
            .bind(user.password_hash.expose())
            .bind(user.role.as_str())
            .bind(user.created_at)
            .execute(pool)
            .await
            .map(|_| ()),
        Database::Sqlite { writer, .. } => sqlx::query(&sql)
            .bind(user.id.to_string())
            .bind(&user.email)
            .bind(user.password_hash.expose())
            .bind(user.role.as_str())
            .bind(time_text(user.created_at))
            .execute(writer)
            .await
            .map(|_| ()),
    };
    result.map_err(classify)
}

/// Names the unique key a violation broke. PostgreSQL reports the constraint name; SQLite
/// only "UNIQUE constraint failed: users.email", hence both spellings.
fn classify(error: sqlx::Error) -> InsertUserError {
    if let sqlx::Error::Database(db_error) = &error
        && db_error.is_unique_violation()
    {
        let constraint = db_error.constraint().unwrap_or_default();
        let message = db_error.message();
        if constraint == "users_email_key" || message.contains("users.email") {
            return InsertUserError::DuplicateEmail;
        }
        if constraint == "users_pkey" || message.contains("users.id") {
            return InsertUserError::DuplicateId;
        }
    }
    InsertUserError::Database(error)
}

/// The account with this (normalised) email.
pub async fn find_by_email(db: &Database, email: &str) -> Result<Option<User>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE email = $1");
    match db {
        Database::Postgres(pool) => {
            let row = sqlx::query(&sql).bind(email).fetch_optional(pool).await?;
            row.map(|row| pg_user(&row)).transpose()
        }
        Database::Sqlite { reader, .. } => {
            let row = sqlx::query(&sql).bind(email).fetch_optional(reader).await?;
            row.map(|row| sqlite_user(&row)).transpose()
        }
    }
}

/// The account with this id.
pub async fn find_by_id(db: &Database, id: UserId) -> Result<Option<User>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE id = $1");
    match db {
        Database::Postgres(pool) => {
            let row = sqlx::query(&sql)
                .bind(id.as_uuid())
                .fetch_optional(pool)
                .await?;
            row.map(|row| pg_user(&row)).transpose()
        }
        Database::Sqlite { reader, .. } => {
            let row = sqlx::query(&sql)
                .bind(id.to_string())
                .fetch_optional(reader)
                .await?;
            row.map(|row| sqlite_user(&row)).transpose()
        }
    }
}

/// How many accounts exist (start-up warns when there are none).
pub async fn count(db: &Database) -> Result<i64, sqlx::Error> {
    niaga_store::on_reader!(db, pool => {
        sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(pool).await
    })
}

fn pg_user(row: &sqlx::postgres::PgRow) -> Result<User, sqlx::Error> {
    Ok(User {
        id: UserId::from_uuid(row.try_get("id")?),
        email: row.try_get("email")?,
        password_hash: Secret::new(row.try_get("password_hash")?),
        role: role(&row.try_get::<String, _>("role")?)?,
        created_at: row.try_get("created_at")?,
    })
}

fn sqlite_user(row: &sqlx::sqlite::SqliteRow) -> Result<User, sqlx::Error> {
    let id: String = row.try_get("id")?;
    let created_at: String = row.try_get("created_at")?;
    Ok(User {
        id: UserId::from_uuid(Uuid::parse_str(&id).map_err(|e| decode("id", e))?),
        email: row.try_get("email")?,
        password_hash: Secret::new(row.try_get("password_hash")?),
        role: role(&row.try_get::<String, _>("role")?)?,
        created_at: DateTime::parse_from_rfc3339(&created_at)
            .map_err(|e| decode("created_at", e))?
            .with_timezone(&Utc),
    })
}

fn role(name: &str) -> Result<Role, sqlx::Error> {
    Role::parse(name).ok_or_else(|| decode("role", format!("unknown role {name:?}")))
}

fn decode(column: &str, error: impl std::fmt::Display) -> sqlx::Error {
    sqlx::Error::ColumnDecode {
        index: column.to_owned(),
        source: error.to_string().into(),
    }
}

/// Times on SQLite are RFC 3339 text in UTC to the microsecond, as in the event store.
fn time_text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}
