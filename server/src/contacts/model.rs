//! A contact person at a client, and the inputs that add and change one. The checks
//! themselves are `clientele_core::NewContact`'s, the same the create form runs.

use async_graphql::{InputObject, MaybeUndefined, SimpleObject};
use chrono::{DateTime, Utc};
use clientele_core::{ContactFields, FieldErrors, NewContact};
use uuid::Uuid;

use crate::graphql::scalars::changed;

/// A contact person at a client.
#[derive(Debug, Clone, serde::Serialize, SimpleObject)]
pub struct Contact {
    /// Unique id.
    #[graphql(skip, derived(name = "id", into = "async_graphql::ID", owned))]
    pub id: Uuid,
    /// The client they work for.
    #[graphql(skip)]
    pub client_id: Uuid,
    /// Full name.
    pub full_name: String,
    /// Job title.
    pub title: Option<String>,
    /// Email address.
    pub email: Option<String>,
    /// Office phone.
    pub phone: Option<String>,
    /// Mobile phone.
    pub mobile: Option<String>,
    /// The client's main contact.
    pub is_primary: bool,
    /// Still a contact of ours.
    pub is_active: bool,
    /// When the contact was added.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// A contact person.
#[derive(InputObject, Debug, Clone, Default)]
pub struct ContactInput {
    /// Full name (required).
    pub full_name: String,
    /// Job title.
    pub title: Option<String>,
    /// Email address.
    pub email: Option<String>,
    /// Office phone: digits, spaces, + - . ( ), 7–15 digits, optional extension.
    pub phone: Option<String>,
    /// Mobile phone, same format.
    pub mobile: Option<String>,
    /// The client's main contact.
    #[graphql(default = false)]
    pub is_primary: bool,
}

impl ContactInput {
    /// The fields as typed, for the checks.
    pub fn fields(&self) -> ContactFields<'_> {
        ContactFields {
            full_name: &self.full_name,
            title: self.title.as_deref(),
            email: self.email.as_deref(),
            phone: self.phone.as_deref(),
            mobile: self.mobile.as_deref(),
            is_primary: self.is_primary,
        }
    }
}

/// Changes to a contact; omitted fields stay, `null` clears an optional one.
#[derive(InputObject, Debug, Default)]
#[graphql(name = "UpdateContactInput")]
pub struct ContactPatch {
    /// Full name.
    pub full_name: Option<String>,
    /// Job title.
    pub title: MaybeUndefined<String>,
    /// Email address.
    pub email: MaybeUndefined<String>,
    /// Office phone.
    pub phone: MaybeUndefined<String>,
    /// Mobile phone.
    pub mobile: MaybeUndefined<String>,
    /// False to mark the person as no longer a contact.
    pub is_active: Option<bool>,
}

impl ContactPatch {
    /// The contact after this change, checked as a whole as a new one would be.
    pub fn apply(&self, current: &Contact) -> Result<Contact, FieldErrors> {
        let checked = NewContact::parse(ContactFields {
            full_name: self.full_name.as_deref().unwrap_or(&current.full_name),
            title: changed(&self.title, &current.title),
            email: changed(&self.email, &current.email),
            phone: changed(&self.phone, &current.phone),
            mobile: changed(&self.mobile, &current.mobile),
            is_primary: current.is_primary,
        })?;
        Ok(Contact {
            full_name: checked.full_name,
            title: checked.title,
            email: checked.email.map(|e| e.as_str().to_owned()),
            phone: checked.phone.map(|p| p.as_str().to_owned()),
            mobile: checked.mobile.map(|p| p.as_str().to_owned()),
            is_active: self.is_active.unwrap_or(current.is_active),
            ..current.clone()
        })
    }
}
