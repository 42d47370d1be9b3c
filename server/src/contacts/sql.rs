//! All SQL about contacts, and the `ContactsByClient` loader. Private to `contacts`.

use std::collections::HashMap;

use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use clientele_core::NewContact;

use super::Contact;
use crate::{
    error::AppError,
    graphql::loaders::{ContactById, ContactsByClient, PgLoader},
};

/// Contacts of several clients, primary first, then by name.
pub async fn contacts_of_clients(
    db: impl PgExecutor<'_>,
    client_ids: &[Uuid],
) -> sqlx::Result<Vec<Contact>> {
    sqlx::query_as!(
        Contact,
        r#"
        select id, client_id, full_name, title, email, phone, mobile, is_primary, is_active,
               created_at, updated_at
        from client_contacts
        where client_id = any($1)
        order by client_id, is_primary desc, is_active desc, entered
        "#,
        client_ids
    )
    .fetch_all(db)
    .await
}

/// Contacts by id (missing ids are absent).
pub async fn contacts_by_ids(db: impl PgExecutor<'_>, ids: &[Uuid]) -> sqlx::Result<Vec<Contact>> {
    sqlx::query_as!(
        Contact,
        r#"
        select id, client_id, full_name, title, email, phone, mobile, is_primary, is_active,
               created_at, updated_at
        from client_contacts
        where id = any($1)
        "#,
        ids
    )
    .fetch_all(db)
    .await
}

/// Inserts a contact; a second active primary violates `client_contacts_one_primary_key`.
pub async fn insert_contact(
    db: &mut PgConnection,
    client_id: Uuid,
    contact: &NewContact,
) -> sqlx::Result<Contact> {
    sqlx::query_as!(
        Contact,
        r#"
        insert into client_contacts (client_id, full_name, title, email, phone, mobile, is_primary)
        values ($1, $2, $3, $4, $5, $6, $7)
        returning id, client_id, full_name, title, email, phone, mobile, is_primary, is_active,
                  created_at, updated_at
        "#,
        client_id,
        contact.full_name,
        contact.title,
        contact.email.as_ref().map(|e| e.as_str()),
        contact.phone.as_ref().map(|p| p.as_str()),
        contact.mobile.as_ref().map(|p| p.as_str()),
        contact.is_primary
    )
    .fetch_one(db)
    .await
}

/// The client a contact belongs to (a contact never moves between clients).
pub async fn client_of_contact(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar!("select client_id from client_contacts where id = $1", id)
        .fetch_optional(db)
        .await
}

/// One contact, locked for the rest of the transaction.
pub async fn contact_for_update(db: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<Contact>> {
    sqlx::query_as!(
        Contact,
        r#"
        select id, client_id, full_name, title, email, phone, mobile, is_primary, is_active,
               created_at, updated_at
        from client_contacts
        where id = $1
        for update
        "#,
        id
    )
    .fetch_optional(db)
    .await
}

/// Writes a contact's fields and flags.
pub async fn update_contact(db: &mut PgConnection, contact: &Contact) -> sqlx::Result<Contact> {
    sqlx::query_as!(
        Contact,
        r#"
        update client_contacts
        set full_name = $2, title = $3, email = $4, phone = $5, mobile = $6, is_active = $7,
            is_primary = $8
        where id = $1
        returning id, client_id, full_name, title, email, phone, mobile, is_primary, is_active,
                  created_at, updated_at
        "#,
        contact.id,
        contact.full_name,
        contact.title,
        contact.email,
        contact.phone,
        contact.mobile,
        contact.is_active,
        contact.is_primary
    )
    .fetch_one(db)
    .await
}

/// Takes the primary flag off whichever contact of the client holds it.
pub async fn clear_primary(db: &mut PgConnection, client_id: Uuid) -> sqlx::Result<()> {
    sqlx::query!(
        "update client_contacts set is_primary = false where client_id = $1 and is_primary",
        client_id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Number of active contacts a client has.
pub async fn active_contact_count(db: &mut PgConnection, client_id: Uuid) -> sqlx::Result<i64> {
    let row = sqlx::query!(
        r#"select count(*) as "count!" from client_contacts where client_id = $1 and is_active"#,
        client_id
    )
    .fetch_one(db)
    .await?;
    Ok(row.count)
}

impl async_graphql::dataloader::Loader<ContactsByClient> for PgLoader {
    type Value = Vec<Contact>;
    type Error = AppError;

    async fn load(
        &self,
        keys: &[ContactsByClient],
    ) -> Result<HashMap<ContactsByClient, Vec<Contact>>, AppError> {
        if keys.is_empty() {
            return Ok(HashMap::new());
        }
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let mut by_client: HashMap<ContactsByClient, Vec<Contact>> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for contact in contacts_of_clients(&self.pool, &ids).await? {
            by_client
                .entry(ContactsByClient(contact.client_id))
                .or_default()
                .push(contact);
        }
        Ok(by_client)
    }
}

impl async_graphql::dataloader::Loader<ContactById> for PgLoader {
    type Value = Contact;
    type Error = AppError;

    async fn load(&self, keys: &[ContactById]) -> Result<HashMap<ContactById, Contact>, AppError> {
        if keys.is_empty() {
            return Ok(HashMap::new());
        }
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let contacts = contacts_by_ids(&self.pool, &ids).await?;
        Ok(contacts
            .into_iter()
            .map(|c| (ContactById(c.id), c))
            .collect())
    }
}
