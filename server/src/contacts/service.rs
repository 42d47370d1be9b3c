//! The rules about contacts: one primary, moved atomically; the primary contact is not
//! switched off while others remain.

use sqlx::PgPool;
use uuid::Uuid;

use super::{
    model::{Contact, NewContact},
    sql,
};
use crate::{
    clients::sql as clients_sql,
    error::{ApiResult, AppError, OnConstraint},
    values::{Email, Phone, optional_text, required_text},
};

const ONE_PRIMARY: &str = "client_contacts_one_primary_key";

fn primary_conflict() -> AppError {
    AppError::conflict("the client already has a primary contact")
}

/// Adds a contact. The first active contact of a client becomes primary; a new primary
/// takes the flag from the old one in the same transaction.
pub async fn add(pool: &PgPool, client_id: Uuid, mut contact: NewContact) -> ApiResult<Contact> {
    let mut tx = pool.begin().await?;
    clients_sql::client_for_update(&mut tx, client_id)
        .await?
        .ok_or(AppError::NotFound("client"))?;
    if sql::active_contact_count(&mut tx, client_id).await? == 0 {
        contact.is_primary = true;
    } else if contact.is_primary {
        sql::clear_primary(&mut tx, client_id).await?;
    }
    let created = sql::insert_contact(&mut tx, client_id, &contact)
        .await
        .on_constraint(ONE_PRIMARY, primary_conflict)?;
    tx.commit().await?;
    Ok(created)
}

/// Changes to a contact; `None` leaves a field, `Some(None)` clears an optional one.
#[derive(Debug, Default)]
pub struct ContactPatch {
    /// Full name.
    pub full_name: Option<String>,
    /// Job title.
    pub title: Option<Option<String>>,
    /// Email.
    pub email: Option<Option<String>>,
    /// Office phone.
    pub phone: Option<Option<String>>,
    /// Mobile phone.
    pub mobile: Option<Option<String>>,
    /// Active or not.
    pub is_active: Option<bool>,
}

fn apply_patch(current: &Contact, patch: ContactPatch) -> ApiResult<Contact> {
    let mut errors: Vec<(String, String)> = Vec::new();
    let mut next = current.clone();
    if let Some(name) = patch.full_name {
        match required_text(&name, 200) {
            Ok(name) => next.full_name = name,
            Err(m) => errors.push(("fullName".into(), m)),
        }
    }
    if let Some(title) = patch.title {
        match optional_text(title.as_deref(), 200) {
            Ok(title) => next.title = title,
            Err(m) => errors.push(("title".into(), m)),
        }
    }
    if let Some(email) = patch.email {
        match super::model::parse_optional(email.as_deref(), Email::parse) {
            Ok(email) => next.email = email.map(|e| e.as_str().to_owned()),
            Err(m) => errors.push(("email".into(), m)),
        }
    }
    for (field, change, slot) in [
        ("phone", patch.phone, &mut next.phone),
        ("mobile", patch.mobile, &mut next.mobile),
    ] {
        if let Some(value) = change {
            match super::model::parse_optional(value.as_deref(), Phone::parse) {
                Ok(phone) => *slot = phone.map(|p| p.as_str().to_owned()),
                Err(m) => errors.push((field.into(), m)),
            }
        }
    }
    if let Some(active) = patch.is_active {
        next.is_active = active;
    }
    if errors.is_empty() {
        Ok(next)
    } else {
        Err(AppError::Validation(errors))
    }
}

/// Updates a contact. Switching off the primary contact is refused while the client has
/// other active contacts: make one of them primary first.
pub async fn update(pool: &PgPool, id: Uuid, patch: ContactPatch) -> ApiResult<Contact> {
    let mut tx = pool.begin().await?;
    let current = sql::contact_for_update(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound("contact"))?;
    let mut next = apply_patch(&current, patch)?;
    if current.is_active && !next.is_active && current.is_primary {
        if sql::active_contact_count(&mut tx, current.client_id).await? > 1 {
            return Err(AppError::conflict(
                "this is the primary contact; make another contact primary before deactivating it",
            ));
        }
        next.is_primary = false;
    }
    let updated = sql::update_contact(&mut tx, &next).await?;
    tx.commit().await?;
    Ok(updated)
}

/// Makes a contact the client's primary one, taking the flag from the previous primary in
/// the same transaction.
pub async fn set_primary(pool: &PgPool, id: Uuid) -> ApiResult<Contact> {
    let client_id = sql::client_of_contact(pool, id)
        .await?
        .ok_or(AppError::NotFound("contact"))?;
    let mut tx = pool.begin().await?;
    // Lock the client before any of its contacts, the order `add` uses too, so concurrent
    // moves of the primary flag queue up instead of deadlocking.
    clients_sql::client_for_update(&mut tx, client_id)
        .await?
        .ok_or(AppError::NotFound("client"))?;
    let mut contact = sql::contact_for_update(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound("contact"))?;
    if !contact.is_active {
        return Err(AppError::conflict("an inactive contact cannot be primary"));
    }
    if !contact.is_primary {
        sql::clear_primary(&mut tx, contact.client_id).await?;
        contact.is_primary = true;
        contact = sql::update_contact(&mut tx, &contact)
            .await
            .on_constraint(ONE_PRIMARY, primary_conflict)?;
    }
    tx.commit().await?;
    Ok(contact)
}
