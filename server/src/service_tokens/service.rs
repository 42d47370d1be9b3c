//! The rules of service tokens: no ADMIN, an expiry in the future, a secret shown once,
//! audit entries; and turning a presented secret into a viewer.

use chrono::{DateTime, Utc};
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use super::sql::{self, NewToken, TokenRow};
use crate::{
    audit::{self, AuditEntry},
    auth::{Role, Viewer},
    error::{ApiResult, AppError},
};

/// How every service token starts, so it is recognisable in a header, a log or a leak scan.
pub const PREFIX: &str = "clt_";

/// A token just created, with its secret (never available again).
pub struct CreatedToken {
    /// The token.
    pub token: TokenRow,
    /// The secret to send as `Authorization: Bearer …`.
    pub secret: String,
}

fn hash(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

/// Creates a token acting with `role` (never ADMIN), in the caller's transaction.
pub async fn create(
    db: &mut PgConnection,
    admin: Viewer,
    name: &str,
    role: Role,
    expires_at: Option<DateTime<Utc>>,
) -> ApiResult<CreatedToken> {
    let mut errors = clientele_core::FieldErrors::new();
    let name = errors.check("name", clientele_core::required_text(name, 100));
    if role == Role::Admin {
        errors.add("role", "a service token can never be ADMIN");
    }
    if expires_at.is_some_and(|at| at <= Utc::now()) {
        errors.add("expiresAt", "must be in the future");
    }
    let name = errors.finish(|| name)?;
    // Two v4 UUIDs: 244 bits from the operating system's generator.
    let secret = format!(
        "{PREFIX}{}{}",
        Uuid::new_v4().simple(),
        Uuid::new_v4().simple()
    );
    let prefix: String = secret.chars().take(PREFIX.len() + 8).collect();
    let email = format!(
        "service-{}@services.clientele.invalid",
        Uuid::new_v4().simple()
    );
    let user_id = sql::insert_service_user(db, &email, &name, role).await?;
    let id = sql::insert_token(
        db,
        NewToken {
            user_id,
            name: &name,
            secret_hash: &hash(&secret),
            secret_prefix: &prefix,
            created_by: admin.user_id,
            expires_at,
        },
    )
    .await?;
    let token = sql::tokens(&mut *db, Some(id), true)
        .await?
        .pop()
        .ok_or(AppError::NotFound("service token"))?;
    let after =
        json!({ "name": name, "role": role.as_str(), "prefix": prefix, "expiresAt": expires_at });
    audit_token(db, admin, "service_token.created", id, &after).await?;
    tracing::info!(token_id = %id, %prefix, role = role.as_str(), "service token created");
    Ok(CreatedToken { token, secret })
}

/// Appends a change of a token to the audit log (what it is now; never its secret).
async fn audit_token(
    db: &mut PgConnection,
    admin: Viewer,
    action: &str,
    id: Uuid,
    after: &serde_json::Value,
) -> ApiResult<()> {
    let entry = AuditEntry::<serde_json::Value, _> {
        actor_id: Some(admin.user_id),
        action,
        entity: "service_token",
        entity_id: id,
        before: None,
        after: Some(after),
    };
    Ok(audit::record(db, entry).await?)
}

/// Service tokens, newest first; revoked ones when asked.
pub async fn list(db: impl PgExecutor<'_>, include_revoked: bool) -> ApiResult<Vec<TokenRow>> {
    Ok(sql::tokens(db, None, include_revoked).await?)
}

/// Revokes a token, in the caller's transaction: the next request with it is refused.
/// Revoking a revoked token changes nothing.
pub async fn revoke(db: &mut PgConnection, admin: Viewer, id: Uuid) -> ApiResult<TokenRow> {
    let before = sql::tokens(&mut *db, Some(id), true)
        .await?
        .pop()
        .ok_or(AppError::NotFound("service token"))?;
    if sql::revoke(db, id, admin.user_id).await? {
        let after = json!({ "name": before.name, "prefix": before.secret_prefix, "revoked": true });
        audit_token(db, admin, "service_token.revoked", id, &after).await?;
        tracing::info!(token_id = %id, "service token revoked");
    }
    sql::tokens(db, Some(id), true)
        .await?
        .pop()
        .ok_or(AppError::NotFound("service token"))
}

/// The viewer a presented secret stands for: its service user with the token's role, or
/// UNAUTHENTICATED when the token is unknown, revoked or expired.
pub async fn authenticate(db: impl PgExecutor<'_>, secret: &str) -> ApiResult<Viewer> {
    let (user_id, role) =
        sql::authenticate(db, &hash(secret))
            .await?
            .ok_or(AppError::Unauthenticated(
                "this service token is unknown, revoked or expired",
            ))?;
    Ok(Viewer { user_id, role })
}
