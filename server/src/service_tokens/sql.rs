//! All SQL of service tokens. Private to `service_tokens`.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use crate::auth::Role;

/// A service token as stored (never its secret).
#[derive(Debug, Clone)]
pub struct TokenRow {
    pub id: Uuid,
    pub name: String,
    pub role: Role,
    pub secret_prefix: String,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Inserts the service user a token acts through; its id.
pub async fn insert_service_user(
    db: &mut PgConnection,
    email: &str,
    name: &str,
    role: Role,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        r#"
        insert into users (email, full_name, role, password_hash, is_service)
        values ($1, $2, $3, '!', true)
        returning id
        "#,
        email,
        name,
        role.as_str()
    )
    .fetch_one(db)
    .await
}

/// A new token's row.
pub struct NewToken<'a> {
    pub user_id: Uuid,
    pub name: &'a str,
    pub secret_hash: &'a [u8],
    pub secret_prefix: &'a str,
    pub created_by: Uuid,
    pub expires_at: Option<DateTime<Utc>>,
}

pub async fn insert_token(db: &mut PgConnection, new: NewToken<'_>) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        r#"
        insert into service_tokens (user_id, name, secret_hash, secret_prefix, created_by, expires_at)
        values ($1, $2, $3, $4, $5, $6)
        returning id
        "#,
        new.user_id,
        new.name,
        new.secret_hash,
        new.secret_prefix,
        new.created_by,
        new.expires_at
    )
    .fetch_one(db)
    .await
}

/// Tokens by id, or all (revoked ones when asked), newest first.
pub async fn tokens(
    db: impl PgExecutor<'_>,
    id: Option<Uuid>,
    include_revoked: bool,
) -> sqlx::Result<Vec<TokenRow>> {
    sqlx::query_as!(
        TokenRow,
        r#"
        select t.id, t.name, u.role as "role: Role", t.secret_prefix, t.created_by, t.created_at,
               t.expires_at, t.last_used_at, t.revoked_at
        from service_tokens t
        join users u on u.id = t.user_id
        where ($1::uuid is null or t.id = $1)
          and ($2 or t.revoked_at is null)
        order by t.created_at desc, t.id
        "#,
        id,
        include_revoked
    )
    .fetch_all(db)
    .await
}

/// Revokes a token (once); whether it was live until now.
pub async fn revoke(db: &mut PgConnection, id: Uuid, by: Uuid) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        r#"
        update service_tokens set revoked_at = now(), revoked_by = $2
        where id = $1 and revoked_at is null
        "#,
        id,
        by
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Who a live token acts as (its service user and role), noting its use at most once a
/// minute, in one statement.
pub async fn authenticate(
    db: impl PgExecutor<'_>,
    secret_hash: &[u8],
) -> sqlx::Result<Option<(Uuid, Role)>> {
    let row = sqlx::query!(
        r#"
        with token as (
            select t.id, t.user_id, u.role
            from service_tokens t
            join users u on u.id = t.user_id
            where t.secret_hash = $1 and t.revoked_at is null
              and (t.expires_at is null or t.expires_at > now())
              and u.is_active
        ), used as (
            update service_tokens s set last_used_at = now()
            from token
            where s.id = token.id
              and (s.last_used_at is null or s.last_used_at < now() - interval '1 minute')
        )
        select user_id as "user_id!", role as "role!: Role" from token
        "#,
        secret_hash
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| (r.user_id, r.role)))
}
