//! The rules about staff: sign-in, listing, adding.

use chrono::{DateTime, Utc};
use sqlx::PgPool;

use super::{User, model::NewUser, sql};
use crate::{
    auth::{JwtKeys, Role, password},
    error::{ApiResult, AppError, OnConstraint},
};

/// A successful sign-in.
pub struct Session {
    /// Bearer token for `Authorization: Bearer …`.
    pub token: String,
    /// When the token stops working.
    pub expires_at: DateTime<Utc>,
    /// Who signed in.
    pub user: User,
}

/// Checks an email and password and issues a token. Unknown email, wrong password and an
/// inactive account all get the same answer, after the same amount of work.
pub async fn login(pool: &PgPool, jwt: &JwtKeys, email: &str, plain: String) -> ApiResult<Session> {
    let found = sql::credentials_by_email(pool, email.trim()).await?;
    let (stored, user) = match found {
        Some(c) => (c.password_hash, Some(c.user)),
        None => (password::decoy_hash().to_owned(), None),
    };
    let matches = password::verify(plain, stored).await?;
    let user = match user {
        Some(user) if matches && user.is_active => user,
        _ => return Err(AppError::Unauthenticated("wrong email or password")),
    };
    let (token, expires_at) = jwt.issue(user.id, user.role, Utc::now())?;
    tracing::info!(user_id = %user.id, "signed in");
    Ok(Session {
        token,
        expires_at,
        user,
    })
}

/// Adds a staff account.
pub async fn create_user(pool: &PgPool, new: NewUser) -> ApiResult<User> {
    let hash = password::hash(new.password).await?;
    sql::insert_user(pool, new.email.as_str(), &new.full_name, new.role, &hash)
        .await
        .on_constraint("users_email_key", || AppError::Conflict {
            message: "a user with this email already exists".to_owned(),
            details: None,
        })
}

/// Staff for pickers and admin screens.
pub async fn list(
    pool: &PgPool,
    roles: Option<&[Role]>,
    include_inactive: bool,
) -> ApiResult<Vec<User>> {
    Ok(sql::list_users(pool, roles, include_inactive).await?)
}
