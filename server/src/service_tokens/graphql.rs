//! Service tokens over GraphQL (admins): `createServiceToken`, `serviceTokens`,
//! `revokeServiceToken`.

use async_graphql::{ComplexObject, Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};

use super::{TokenRow, service};
use crate::{
    auth::{Allowed, Permission, Role, viewer},
    error::ApiResult,
    graphql::{loader, loaders::UserById, parse_id, state},
    users::User,
};

/// A service token: how an internal service calls the graph, with a role. Its secret is
/// never shown again after creation.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct ServiceToken {
    /// Unique id.
    id: ID,
    /// What the service is.
    name: String,
    /// The role its requests have (never ADMIN).
    role: Role,
    /// The secret's first characters (`clt_1a2b3c4d`), to tell tokens apart.
    prefix: String,
    #[graphql(skip)]
    created_by_id: uuid::Uuid,
    /// When it was created.
    created_at: DateTime<Utc>,
    /// When it stops working, if ever.
    expires_at: Option<DateTime<Utc>>,
    /// When it was last used (to the minute).
    last_used_at: Option<DateTime<Utc>>,
    /// When it was revoked.
    revoked_at: Option<DateTime<Utc>>,
}

#[ComplexObject]
impl ServiceToken {
    /// The admin who created it.
    async fn created_by(&self, ctx: &Context<'_>) -> ApiResult<Option<User>> {
        loader(ctx).load_one(UserById(self.created_by_id)).await
    }
}

impl From<TokenRow> for ServiceToken {
    fn from(row: TokenRow) -> Self {
        Self {
            id: ID(row.id.to_string()),
            name: row.name,
            role: row.role,
            prefix: row.secret_prefix,
            created_by_id: row.created_by,
            created_at: row.created_at,
            expires_at: row.expires_at,
            last_used_at: row.last_used_at,
            revoked_at: row.revoked_at,
        }
    }
}

/// A token just created.
#[derive(SimpleObject)]
pub struct CreatedServiceToken {
    /// The token.
    token: ServiceToken,
    /// Send as `Authorization: Bearer <secret>`. Shown this once: only its hash is kept.
    secret: String,
}

/// Service token queries.
#[derive(Default)]
pub struct ServiceTokensQuery;

#[Object]
impl ServiceTokensQuery {
    /// Service tokens, newest first (admins); revoked ones when asked. Never the secrets.
    #[graphql(guard = "Allowed(Permission::ManageServiceTokens)")]
    async fn service_tokens(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = false)] include_revoked: bool,
    ) -> ApiResult<Vec<ServiceToken>> {
        let tokens = service::list(&state(ctx).pool, include_revoked).await?;
        Ok(tokens.into_iter().map(ServiceToken::from).collect())
    }
}

/// Service token mutations.
#[derive(Default)]
pub struct ServiceTokensMutation;

#[Object]
impl ServiceTokensMutation {
    /// Creates a service token (admins; audit-logged) and returns its secret, once. `role`
    /// may be any but ADMIN.
    #[graphql(guard = "Allowed(Permission::ManageServiceTokens)")]
    async fn create_service_token(
        &self,
        ctx: &Context<'_>,
        name: String,
        role: Role,
        expires_at: Option<DateTime<Utc>>,
    ) -> ApiResult<CreatedServiceToken> {
        let admin = viewer(ctx)?;
        let mut tx = state(ctx).pool.begin().await?;
        let created = service::create(&mut tx, admin, &name, role, expires_at).await?;
        tx.commit().await?;
        Ok(CreatedServiceToken {
            token: created.token.into(),
            secret: created.secret,
        })
    }

    /// Revokes a service token (admins; audit-logged): its next request is refused.
    #[graphql(guard = "Allowed(Permission::ManageServiceTokens)")]
    async fn revoke_service_token(&self, ctx: &Context<'_>, id: ID) -> ApiResult<ServiceToken> {
        let admin = viewer(ctx)?;
        let id = parse_id(&id, "id")?;
        let mut tx = state(ctx).pool.begin().await?;
        let token = service::revoke(&mut tx, admin, id).await?;
        tx.commit().await?;
        Ok(token.into())
    }
}
