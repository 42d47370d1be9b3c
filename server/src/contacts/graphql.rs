//! Contacts over GraphQL: the `Contact` type and add, update, set-primary.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object};
use chrono::{DateTime, Utc};

use super::{
    model::{Contact, ContactFields, NewContact},
    service::{self, ContactPatch},
};
use crate::{
    auth::{Allowed, Permission},
    clients::graphql::parse_id,
    error::{ApiResult, AppError},
    graphql::state,
};

#[Object]
impl Contact {
    /// Unique id.
    async fn id(&self) -> ID {
        ID(self.id.to_string())
    }
    /// Full name.
    async fn full_name(&self) -> &str {
        &self.full_name
    }
    /// Job title.
    async fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }
    /// Email address.
    async fn email(&self) -> Option<&str> {
        self.email.as_deref()
    }
    /// Office phone.
    async fn phone(&self) -> Option<&str> {
        self.phone.as_deref()
    }
    /// Mobile phone.
    async fn mobile(&self) -> Option<&str> {
        self.mobile.as_deref()
    }
    /// The client's main contact.
    async fn is_primary(&self) -> bool {
        self.is_primary
    }
    /// Still a contact of ours.
    async fn is_active(&self) -> bool {
        self.is_active
    }
    /// When the contact was added.
    async fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }
    /// Last change.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.updated_at
    }
}

/// A contact person.
#[derive(InputObject, Default)]
pub struct ContactInput {
    /// Full name (required).
    full_name: String,
    /// Job title.
    title: Option<String>,
    /// Email address.
    email: Option<String>,
    /// Office phone: digits, spaces, + - . ( ), 7–15 digits, optional extension.
    phone: Option<String>,
    /// Mobile phone, same format.
    mobile: Option<String>,
    /// The client's main contact.
    #[graphql(default = false)]
    is_primary: bool,
}

impl From<ContactInput> for ContactFields {
    fn from(input: ContactInput) -> Self {
        Self {
            full_name: input.full_name,
            title: input.title,
            email: input.email,
            phone: input.phone,
            mobile: input.mobile,
            is_primary: input.is_primary,
        }
    }
}

/// Changes to a contact; omitted fields stay, `null` clears an optional one.
#[derive(InputObject, Default)]
pub struct UpdateContactInput {
    /// Full name.
    full_name: Option<String>,
    /// Job title.
    title: MaybeUndefined<String>,
    /// Email address.
    email: MaybeUndefined<String>,
    /// Office phone.
    phone: MaybeUndefined<String>,
    /// Mobile phone.
    mobile: MaybeUndefined<String>,
    /// False to mark the person as no longer a contact.
    is_active: Option<bool>,
}

fn change(value: MaybeUndefined<String>) -> Option<Option<String>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(v)),
    }
}

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
        let mut errors = Vec::new();
        let contact =
            NewContact::parse(input.into(), "", &mut errors).ok_or(AppError::Validation(errors))?;
        service::add(&state(ctx).pool, client_id, contact).await
    }

    /// Changes a contact. The primary contact cannot be deactivated while others remain.
    #[graphql(guard = "Allowed(Permission::ManageClients)")]
    async fn update_contact(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdateContactInput,
    ) -> ApiResult<Contact> {
        let patch = ContactPatch {
            full_name: input.full_name,
            title: change(input.title),
            email: change(input.email),
            phone: change(input.phone),
            mobile: change(input.mobile),
            is_active: input.is_active,
        };
        service::update(&state(ctx).pool, parse_id(&id, "id")?, patch).await
    }

    /// Makes this contact its client's primary contact, atomically.
    #[graphql(guard = "Allowed(Permission::ManageClients)")]
    async fn set_primary_contact(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Contact> {
        service::set_primary(&state(ctx).pool, parse_id(&id, "id")?).await
    }
}
