//! Adding a staff account outside HTTP: `niaga user add` and the admin made at start-up.

use niaga_domain::ids::UserId;
use niaga_store::Database;
use uuid::Uuid;

use crate::{
    auth::{Role, check_password_policy, hash_password},
    secret::Secret,
    users::{self, User},
};

/// Checks, hashes and stores a new account; errors are worded for the operator.
pub async fn add_user(
    db: &Database,
    email: &str,
    password: Secret<String>,
    role: Role,
) -> anyhow::Result<User> {
    let email = users::normalize_email(email)
        .map_err(|error| anyhow::anyhow!("the email is not valid: {error}"))?;
    check_password_policy(password.expose()).map_err(anyhow::Error::msg)?;
    let user = User {
        id: UserId::from_uuid(Uuid::now_v7()),
        email,
        password_hash: Secret::new(hash_password(password).await?),
        role,
        created_at: users::now(),
    };
    users::insert(db, &user).await?;
    Ok(user)
}

/// Makes the configured admin account unless an account with that email exists (whatever
/// its role or password: start-up never changes an existing account).
pub async fn bootstrap_admin(
    db: &Database,
    email: &str,
    password: Secret<String>,
) -> anyhow::Result<()> {
    let normalized = users::normalize_email(email)
        .map_err(|error| anyhow::anyhow!("NIAGA_ADMIN_EMAIL is not valid: {error}"))?;
    if users::find_by_email(db, &normalized).await?.is_some() {
        return Ok(());
    }
    match add_user(db, email, password, Role::Admin).await {
        Ok(user) => {
            tracing::info!(user_id = %user.id, "created the bootstrap admin account");
            Ok(())
        }
        // Another instance starting at the same moment made it first.
        Err(error)
            if matches!(
                error.downcast_ref::<users::InsertUserError>(),
                Some(users::InsertUserError::DuplicateEmail)
            ) =>
        {
            Ok(())
        }
        Err(error) => Err(error.context("cannot create the bootstrap admin")),
    }
}
