//! The rules about contacts: one primary, moved atomically; the primary contact is not
//! switched off while others remain. Every function runs on the caller's transaction.

use clientele_core::NewContact;
use sqlx::PgConnection;
use uuid::Uuid;

use super::{Contact, ContactPatch, sql};
use crate::{
    clients,
    error::{ApiResult, AppError, OnConstraint},
};

const ONE_PRIMARY: &str = "client_contacts_one_primary_key";

fn primary_conflict() -> AppError {
    AppError::conflict("the client already has a primary contact")
}

/// Adds a contact. The first active contact of a client becomes primary; a new primary
/// takes the flag from the old one.
pub async fn add(
    db: &mut PgConnection,
    client_id: Uuid,
    mut contact: NewContact,
) -> ApiResult<Contact> {
    // Lock the client before any of its contacts, the order `set_primary` uses too, so
    // concurrent moves of the primary flag queue up instead of deadlocking.
    let client = clients::lock(db, client_id).await?;
    if sql::active_contact_count(db, client_id).await? == 0 {
        contact.is_primary = true;
    } else if contact.is_primary {
        sql::clear_primary(db, client_id).await?;
    }
    let added = sql::insert_contact(db, client_id, &contact)
        .await
        .on_constraint(ONE_PRIMARY, primary_conflict)?;
    if added.is_primary {
        // A client created without contacts gets its welcome with its first primary one.
        clients::welcome(db, &client, &added).await?;
    }
    Ok(added)
}

/// Adds the first contacts of a client created in the same transaction (the create input
/// was checked for exactly one primary).
pub async fn add_to_new_client(
    db: &mut PgConnection,
    client_id: Uuid,
    contacts: &[NewContact],
) -> ApiResult<Vec<Contact>> {
    let mut added = Vec::with_capacity(contacts.len());
    for contact in contacts {
        added.push(
            sql::insert_contact(db, client_id, contact)
                .await
                .on_constraint(ONE_PRIMARY, primary_conflict)?,
        );
    }
    Ok(added)
}

/// Updates a contact. Switching off the primary contact is refused while the client has
/// other active contacts: make one of them primary first.
pub async fn update(db: &mut PgConnection, id: Uuid, patch: &ContactPatch) -> ApiResult<Contact> {
    let current = sql::contact_for_update(db, id)
        .await?
        .ok_or(AppError::NotFound("contact"))?;
    let mut next = patch.apply(&current)?;
    if current.is_active && !next.is_active && current.is_primary {
        if sql::active_contact_count(db, current.client_id).await? > 1 {
            return Err(AppError::conflict(
                "this is the primary contact; make another contact primary before deactivating it",
            ));
        }
        next.is_primary = false;
    }
    Ok(sql::update_contact(db, &next).await?)
}

/// Makes a contact the client's primary one, taking the flag from the previous primary.
pub async fn set_primary(db: &mut PgConnection, id: Uuid) -> ApiResult<Contact> {
    let client_id = sql::client_of_contact(&mut *db, id)
        .await?
        .ok_or(AppError::NotFound("contact"))?;
    clients::lock(db, client_id).await?;
    let mut contact = sql::contact_for_update(db, id)
        .await?
        .ok_or(AppError::NotFound("contact"))?;
    if !contact.is_active {
        return Err(AppError::conflict("an inactive contact cannot be primary"));
    }
    if !contact.is_primary {
        sql::clear_primary(db, contact.client_id).await?;
        contact.is_primary = true;
        contact = sql::update_contact(db, &contact)
            .await
            .on_constraint(ONE_PRIMARY, primary_conflict)?;
    }
    Ok(contact)
}

/// Contacts of a client by id, for checking that named people are its contacts.
pub async fn find_many(db: impl sqlx::PgExecutor<'_>, ids: &[Uuid]) -> ApiResult<Vec<Contact>> {
    Ok(sql::contacts_by_ids(db, ids).await?)
}
