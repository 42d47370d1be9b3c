//! The one guard mechanism: `#[graphql(guard = "Allowed(Permission::X)")]` on a resolver.
//! The viewer is resolved once per request (see `http`) and put in the GraphQL context.

use async_graphql::{Context, Guard};

use super::{Permission, Viewer};
use crate::error::{ApiResult, AppError};

/// The signed-in viewer, or UNAUTHENTICATED.
pub fn viewer(ctx: &Context<'_>) -> ApiResult<Viewer> {
    ctx.data_opt::<Viewer>()
        .copied()
        .ok_or(AppError::Unauthenticated("sign in first"))
}

/// Lets a field resolve only for a viewer whose role holds the permission.
pub struct Allowed(pub Permission);

impl Guard for Allowed {
    async fn check(&self, ctx: &Context<'_>) -> async_graphql::Result<()> {
        let viewer = viewer(ctx)?;
        if self.0.allows(viewer.role) {
            Ok(())
        } else {
            Err(AppError::Forbidden.into())
        }
    }
}

/// Lets a field resolve for any signed-in viewer.
pub struct Authenticated;

impl Guard for Authenticated {
    async fn check(&self, ctx: &Context<'_>) -> async_graphql::Result<()> {
        viewer(ctx).map(|_| ()).map_err(Into::into)
    }
}
