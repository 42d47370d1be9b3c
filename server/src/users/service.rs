//! The rules about staff: sign-in, listing, adding. Writes run on the caller's connection
//! (usually its transaction).

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgExecutor, PgPool};
use uuid::Uuid;

use super::{NewUser, User, sql, throttle};
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

/// Checks an email and password from a client at `address` and issues a token. Unknown
/// email, wrong password and an inactive account all get the same answer, after the same
/// amount of work; repeated failures are throttled ([`throttle`](super::throttle)), with
/// RATE_LIMITED and when to try again.
pub async fn login(
    pool: &PgPool,
    jwt: &JwtKeys,
    email: &str,
    plain: String,
    address: &str,
) -> ApiResult<Session> {
    let keys = throttle::Keys::new(email, address);
    throttle::check(pool, &keys, Utc::now()).await?;
    let found = sql::credentials_by_email(pool, email.trim()).await?;
    let (stored, user) = match found {
        Some(c) => (c.password_hash, Some(c.user)),
        None => (password::decoy_hash().to_owned(), None),
    };
    let matches = password::verify(plain, stored).await?;
    let user = match user {
        Some(user) if matches && user.is_active => user,
        _ => {
            throttle::failed(pool, &keys).await?;
            return Err(AppError::Unauthenticated("wrong email or password"));
        }
    };
    throttle::succeeded(pool, &keys).await?;
    let (token, expires_at) = jwt.issue(user.id, user.role, Utc::now())?;
    tracing::info!(user_id = %user.id, "signed in");
    Ok(Session {
        token,
        expires_at,
        user,
    })
}

/// Adds an admin from the command line (`clientele create-admin`), checked as
/// `createUser` checks its input: how a new installation gets its first account. The
/// caller owns the transaction, if it wants one.
pub async fn create_first_admin(
    db: &mut PgConnection,
    email: &str,
    full_name: &str,
    password: String,
) -> anyhow::Result<User> {
    let input = super::model::CreateUserInput {
        email: email.to_owned(),
        full_name: full_name.to_owned(),
        role: Role::Admin,
        password,
    };
    let new = NewUser::try_from(input).map_err(|errors| {
        let list: Vec<String> = errors
            .into_map()
            .into_iter()
            .map(|(field, message)| format!("{field} {message}"))
            .collect();
        anyhow::anyhow!("{}", list.join("; "))
    })?;
    create_user(db, new)
        .await
        .map_err(|error| anyhow::anyhow!("{}", error.message()))
}

/// Adds a staff account.
pub async fn create_user(db: &mut PgConnection, new: NewUser) -> ApiResult<User> {
    let hash = password::hash(new.password).await?;
    sql::insert_user(db, new.email.as_str(), &new.full_name, new.role, &hash)
        .await
        .on_constraint("users_email_key", || {
            AppError::conflict("a user with this email already exists")
        })
}

/// Staff for pickers and admin screens: some roles only, inactive accounts when asked.
pub async fn list(
    db: impl PgExecutor<'_>,
    roles: Option<&[Role]>,
    include_inactive: bool,
) -> ApiResult<Vec<User>> {
    Ok(sql::list_users(db, roles, include_inactive).await?)
}

/// One user by id, if there is one.
pub async fn find(db: impl PgExecutor<'_>, id: Uuid) -> ApiResult<Option<User>> {
    Ok(sql::users_by_ids(db, &[id]).await?.pop())
}

/// The user with this email (any case), if there is one.
pub async fn find_by_email(db: impl PgExecutor<'_>, email: &str) -> ApiResult<Option<User>> {
    Ok(sql::credentials_by_email(db, email)
        .await?
        .map(|credentials| credentials.user))
}

/// The current role of an active user; `None` when the user is gone or switched off.
pub async fn active_role(
    db: impl PgExecutor<'_>,
    id: Uuid,
    issued_at: DateTime<Utc>,
) -> ApiResult<Option<Role>> {
    Ok(sql::active_role(db, id, issued_at).await?)
}

/// Signs a user out everywhere: every token issued before now stops working.
pub async fn sign_out(db: impl PgExecutor<'_>, id: Uuid) -> ApiResult<()> {
    tracing::info!(user_id = %id, "signed out");
    Ok(sql::end_sessions(db, id).await?)
}
