//! Staff over GraphQL: `login`, `me`, `users`, `createUser`.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};

use super::{User, model::NewUser, service};
use crate::{
    auth::{Allowed, Authenticated, Permission, Role, viewer},
    error::{ApiResult, AppError},
    graphql::{ApiContext, loaders::UserById, state},
};

#[Object]
impl User {
    /// Unique id.
    async fn id(&self) -> ID {
        ID(self.id.to_string())
    }
    /// Sign-in email address.
    async fn email(&self) -> &str {
        &self.email
    }
    /// Full name.
    async fn full_name(&self) -> &str {
        &self.full_name
    }
    /// Role, which decides what this user may do.
    async fn role(&self) -> Role {
        self.role
    }
    /// False once the account is switched off.
    async fn is_active(&self) -> bool {
        self.is_active
    }
    /// When the account was added.
    async fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }
}

/// The result of signing in.
#[derive(SimpleObject)]
pub struct LoginPayload {
    /// Send as `Authorization: Bearer <token>`.
    token: String,
    /// When the token expires; sign in again after.
    expires_at: DateTime<Utc>,
    /// The signed-in user.
    user: User,
}

/// A new staff account.
#[derive(InputObject)]
pub struct CreateUserInput {
    /// Sign-in email, unique whatever its case.
    email: String,
    /// Full name.
    full_name: String,
    /// Role.
    role: Role,
    /// Initial password, at least 10 characters.
    password: String,
}

/// Staff queries.
#[derive(Default)]
pub struct UsersQuery;

#[Object]
impl UsersQuery {
    /// The signed-in user.
    #[graphql(guard = "Authenticated")]
    async fn me(&self, ctx: &Context<'_>) -> ApiResult<User> {
        let viewer = viewer(ctx)?;
        ctx.data_unchecked::<crate::graphql::Loader>()
            .load_one(UserById(viewer.user_id))
            .await?
            .ok_or(AppError::Unauthenticated("your account no longer exists"))
    }

    /// Staff, by name. `roles` narrows the list (e.g. `[MANAGER, ADMIN]` for the
    /// account-manager picker); inactive accounts only when asked.
    #[graphql(guard = "Allowed(Permission::Read)")]
    async fn users(
        &self,
        ctx: &Context<'_>,
        roles: Option<Vec<Role>>,
        #[graphql(default = false)] include_inactive: bool,
    ) -> ApiResult<Vec<User>> {
        service::list(&state(ctx).pool, roles.as_deref(), include_inactive).await
    }
}

/// Staff mutations.
#[derive(Default)]
pub struct UsersMutation;

#[Object]
impl UsersMutation {
    /// Signs in with email and password; returns a session token.
    async fn login(
        &self,
        ctx: &Context<'_>,
        email: String,
        password: String,
    ) -> ApiResult<LoginPayload> {
        let ApiContext { pool, jwt, .. } = state(ctx);
        let session = service::login(pool, jwt, &email, password).await?;
        Ok(LoginPayload {
            token: session.token,
            expires_at: session.expires_at,
            user: session.user,
        })
    }

    /// Adds a staff account (admins only).
    #[graphql(guard = "Allowed(Permission::ManageUsers)")]
    async fn create_user(&self, ctx: &Context<'_>, input: CreateUserInput) -> ApiResult<User> {
        let new = NewUser::parse(&input.email, &input.full_name, input.role, input.password)?;
        service::create_user(&state(ctx).pool, new).await
    }
}
