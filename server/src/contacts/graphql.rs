//! Contacts over GraphQL: add, update, set-primary. Each resolver owns its transaction.

use async_graphql::{Context, ID, Object};
use clientele_core::NewContact;

use super::{Contact, ContactInput, ContactPatch, service};
use crate::{
    auth::{Allowed, Permission},
    error::ApiResult,
    graphql::{parse_id, state},
};

/// Contact mutations.
#[derive(Default)]
pub struct ContactsMutation;

#[Object]
impl ContactsMutation {
    /// Adds a contact to a client. The first contact becomes primary; `isPrimary: true`
    /// moves the flag from the current primary.
    #[graphql(guard = "Allowed(Permission::ManageClients)")]
    async fn add_contact(
        &self,
        ctx: &Context<'_>,
        client_id: ID,
        input: ContactInput,
    ) -> ApiResult<Contact> {
        let client_id = parse_id(&client_id, "clientId")?;
        let contact = NewContact::parse(input.fields())?;
        let mut tx = state(ctx).pool.begin().await?;
        let added = service::add(&mut tx, client_id, contact).await?;
        tx.commit().await?;
        Ok(added)
    }

    /// Changes a contact. The primary contact cannot be deactivated while others remain.
    #[graphql(guard = "Allowed(Permission::ManageClients)")]
    async fn update_contact(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: ContactPatch,
    ) -> ApiResult<Contact> {
        let id = parse_id(&id, "id")?;
        let mut tx = state(ctx).pool.begin().await?;
        let updated = service::update(&mut tx, id, &input).await?;
        tx.commit().await?;
        Ok(updated)
    }

    /// Makes this contact its client's primary contact, atomically.
    #[graphql(guard = "Allowed(Permission::ManageClients)")]
    async fn set_primary_contact(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Contact> {
        let id = parse_id(&id, "id")?;
        let mut tx = state(ctx).pool.begin().await?;
        let contact = service::set_primary(&mut tx, id).await?;
        tx.commit().await?;
        Ok(contact)
    }
}
