//! All SQL about staff users, and the `UserById` loader. Private to `users`.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use uuid::Uuid;

use super::User;
use crate::{
    auth::Role,
    error::AppError,
    graphql::loaders::{PgLoader, UserById},
};

/// A user with their password hash, for sign-in.
pub struct Credentials {
    /// The user.
    pub user: User,
    /// Their argon2 hash.
    pub password_hash: String,
}

/// The user with this email (any case), with their password hash.
pub async fn credentials_by_email(
    db: impl PgExecutor<'_>,
    email: &str,
) -> sqlx::Result<Option<Credentials>> {
    let row = sqlx::query!(
        r#"
        select id, email, full_name, role as "role: Role", is_active, is_service, created_at,
               password_hash
        from users
        where lower(email) = lower($1) and not is_service
        "#,
        email
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| Credentials {
        user: User {
            id: r.id,
            email: r.email,
            full_name: r.full_name,
            role: r.role,
            is_active: r.is_active,
            is_service: r.is_service,
            created_at: r.created_at,
        },
        password_hash: r.password_hash,
    }))
}

/// Users by id (missing ids are simply absent).
pub async fn users_by_ids(db: impl PgExecutor<'_>, ids: &[Uuid]) -> sqlx::Result<Vec<User>> {
    sqlx::query_as!(
        User,
        r#"
        select id, email, full_name, role as "role: Role", is_active, is_service, created_at
        from users
        where id = any($1)
        "#,
        ids
    )
    .fetch_all(db)
    .await
}

/// Staff, optionally of some roles, active ones only unless asked, by name.
pub async fn list_users(
    db: impl PgExecutor<'_>,
    roles: Option<&[Role]>,
    include_inactive: bool,
) -> sqlx::Result<Vec<User>> {
    let roles: Option<Vec<String>> =
        roles.map(|r| r.iter().map(|role| role.as_str().to_owned()).collect());
    sqlx::query_as!(
        User,
        r#"
        select id, email, full_name, role as "role: Role", is_active, is_service, created_at
        from users
        where ($1::text[] is null or role = any($1))
          and ($2 or is_active)
          and not is_service
        order by full_name, email
        "#,
        roles.as_deref(),
        include_inactive
    )
    .fetch_all(db)
    .await
}

/// Inserts a user; a taken email violates `users_email_key`.
pub async fn insert_user(
    db: impl PgExecutor<'_>,
    email: &str,
    full_name: &str,
    role: Role,
    password_hash: &str,
) -> sqlx::Result<User> {
    sqlx::query_as!(
        User,
        r#"
        insert into users (email, full_name, role, password_hash)
        values ($1, $2, $3, $4)
        returning id, email, full_name, role as "role: Role", is_active, is_service, created_at
        "#,
        email,
        full_name,
        role.as_str(),
        password_hash
    )
    .fetch_one(db)
    .await
}

/// The current role of an active user, or `None` when the user is gone or inactive.
pub async fn active_role(
    db: impl PgExecutor<'_>,
    id: Uuid,
    issued_at: DateTime<Utc>,
) -> sqlx::Result<Option<Role>> {
    let row = sqlx::query!(
        r#"
        select role as "role: Role" from users
        where id = $1 and is_active
          and (sessions_valid_after is null
               or $2 >= date_trunc('second', sessions_valid_after))
        "#,
        id,
        issued_at
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| r.role))
}

/// Ends every session of a user issued before now.
pub async fn end_sessions(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<()> {
    sqlx::query!(
        "update users set sessions_valid_after = now() where id = $1",
        id
    )
    .execute(db)
    .await?;
    Ok(())
}

impl async_graphql::dataloader::Loader<UserById> for PgLoader {
    type Value = User;
    type Error = AppError;

    async fn load(&self, keys: &[UserById]) -> Result<HashMap<UserById, User>, AppError> {
        if keys.is_empty() {
            return Ok(HashMap::new());
        }
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let users = users_by_ids(&self.pool, &ids).await?;
        Ok(users.into_iter().map(|u| (UserById(u.id), u)).collect())
    }
}
