//! Staff over GraphQL: `login` (a bearer token), `signIn` (the app's cookie session),
//! `logout`, `me`, `users`, `createUser`.

use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Utc};

use super::{NewUser, User, model::CreateUserInput, service};
use crate::{
    auth::{Allowed, Authenticated, Permission, Role, viewer},
    error::{ApiResult, AppError},
    graphql::{ApiContext, loader, loaders::UserById, state},
};

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

/// The result of the app's sign-in: the session itself is in cookies.
#[derive(SimpleObject)]
pub struct SignInPayload {
    /// When the session ends; sign in again after.
    expires_at: DateTime<Utc>,
    /// The signed-in user.
    user: User,
}

/// Staff queries.
#[derive(Default)]
pub struct UsersQuery;

#[Object]
impl UsersQuery {
    /// The signed-in user.
    #[graphql(guard = "Authenticated")]
    async fn me(&self, ctx: &Context<'_>) -> ApiResult<User> {
        loader(ctx)
            .load_one(UserById(viewer(ctx)?.user_id))
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
        let address = ctx
            .data_opt::<crate::graphql::ClientAddress>()
            .map_or("unknown", |a| a.0.as_str());
        let session = service::login(pool, jwt, &email, password, address).await?;
        Ok(LoginPayload {
            token: session.token,
            expires_at: session.expires_at,
            user: session.user,
        })
    }

    /// Signs the web app in: the session goes into an `HttpOnly; Secure; SameSite=Strict`
    /// cookie no script can read, with a readable `clientele_csrf` cookie whose value every
    /// later POST must send as `X-CSRF-Token`. Must be sent as JSON (not a form encoding),
    /// so another site cannot sign a browser into an account of its choosing. Services and
    /// analysts use `login` and a bearer token instead.
    async fn sign_in(
        &self,
        ctx: &Context<'_>,
        email: String,
        password: String,
    ) -> ApiResult<SignInPayload> {
        if ctx
            .data_opt::<crate::graphql::FormEncoded>()
            .is_some_and(|form| form.0)
        {
            return Err(AppError::CrossSite);
        }
        let ApiContext { pool, jwt, .. } = state(ctx);
        let address = ctx
            .data_opt::<crate::graphql::ClientAddress>()
            .map_or("unknown", |a| a.0.as_str());
        let session = service::login(pool, jwt, &email, password, address).await?;
        let csrf = jwt.csrf().token_for(&session.token);
        for cookie in crate::auth::cookie::start(&session.token, &csrf, jwt.ttl()) {
            ctx.append_http_header(axum::http::header::SET_COOKIE, cookie);
        }
        Ok(SignInPayload {
            expires_at: session.expires_at,
            user: session.user,
        })
    }

    /// Signs the caller out everywhere: every token issued to them until now stops
    /// working at once, wherever it is (a copied token included), and the app's session
    /// cookies are cleared.
    #[graphql(guard = "Authenticated")]
    async fn logout(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        service::sign_out(&state(ctx).pool, viewer(ctx)?.user_id).await?;
        for cookie in crate::auth::cookie::end() {
            ctx.append_http_header(axum::http::header::SET_COOKIE, cookie);
        }
        Ok(true)
    }

    /// Adds a staff account (admins only).
    #[graphql(guard = "Allowed(Permission::ManageUsers)")]
    async fn create_user(&self, ctx: &Context<'_>, input: CreateUserInput) -> ApiResult<User> {
        let new = NewUser::try_from(input)?;
        let mut tx = state(ctx).pool.begin().await?;
        let user = service::create_user(&mut tx, new).await?;
        tx.commit().await?;
        Ok(user)
    }
}
