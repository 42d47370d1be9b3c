//! The rules about clients: who may change what, codes, duplicates, transactions, audit.

use sqlx::PgPool;
use uuid::Uuid;

use super::{
    duplicates::{self, DuplicateQuery},
    model::{Client, ClientPatch, ClientSort, ClientStatus, NewClient},
    sql::{self, ListCounts, ListFilter},
};
use crate::{
    audit::{self, AuditEntry},
    auth::{Role, Viewer},
    contacts::{model::Contact, sql as contacts_sql},
    error::{ApiResult, AppError},
    graphql::page::PageRequest,
    users,
};

/// A page of clients with its totals.
pub struct ClientList {
    /// The clients on this page.
    pub items: Vec<Client>,
    /// Totals and the per-status summary.
    pub counts: ListCounts,
}

/// Appends a change of a client to the audit log, in the caller's transaction.
async fn audit_client(
    tx: &mut sqlx::PgConnection,
    viewer: Viewer,
    action: &str,
    before: Option<&Client>,
    after: &Client,
) -> ApiResult<()> {
    let entry = AuditEntry {
        actor_id: Some(viewer.user_id),
        action,
        entity: "client",
        entity_id: after.id,
        before,
        after: Some(after),
    };
    Ok(audit::record(tx, entry).await?)
}

/// Lists clients.
pub async fn list(
    pool: &PgPool,
    filter: ListFilter,
    order: ClientSort,
    page: PageRequest,
) -> ApiResult<ClientList> {
    let items = sql::list_clients(pool, &filter, order, page.limit, page.offset()).await?;
    let counts = sql::count_clients(pool, &filter).await?;
    Ok(ClientList { items, counts })
}

/// The industries in use, for the list's filter.
pub async fn industries(pool: &PgPool) -> ApiResult<Vec<sql::IndustryCount>> {
    Ok(sql::industries(pool).await?)
}

/// One client by id.
pub async fn get(pool: &PgPool, id: Uuid) -> ApiResult<Client> {
    sql::clients_by_ids(pool, &[id])
        .await?
        .pop()
        .ok_or(AppError::NotFound("client"))
}

/// An account manager must be an active manager or admin.
async fn check_account_manager(pool: &PgPool, id: Option<Uuid>) -> ApiResult<()> {
    let Some(id) = id else { return Ok(()) };
    let user = users::sql::users_by_ids(pool, &[id]).await?.pop();
    match user {
        Some(u) if u.is_active && matches!(u.role, Role::Manager | Role::Admin) => Ok(()),
        Some(_) => Err(AppError::invalid(
            "accountManagerId",
            "must be an active manager or admin",
        )),
        None => Err(AppError::invalid("accountManagerId", "no such user")),
    }
}

/// Refuses with CONFLICT, listing the likely duplicates, unless there are none.
async fn refuse_duplicates(pool: &PgPool, query: &DuplicateQuery) -> ApiResult<()> {
    let candidates = duplicates::find(pool, query).await?;
    if candidates.is_empty() {
        return Ok(());
    }
    let names: Vec<&str> = candidates.iter().map(|c| c.client.name.as_str()).collect();
    Err(AppError::Conflict {
        message: format!(
            "this may duplicate {}; set confirmNotDuplicate to create it anyway",
            names.join(", ")
        ),
        details: Some(("duplicates", duplicates::to_json(&candidates))),
    })
}

/// Creates a client and its contacts in one transaction, after the account-manager and
/// duplicate checks.
pub async fn create(
    pool: &PgPool,
    viewer: Viewer,
    new: NewClient,
) -> ApiResult<(Client, Vec<Contact>)> {
    check_account_manager(pool, new.profile.account_manager_id).await?;
    if !new.confirm_not_duplicate {
        let query = DuplicateQuery {
            name: Some(new.profile.name.clone()),
            website_domain: new.profile.website.as_ref().map(|w| w.domain().to_owned()),
            email_domains: new
                .contacts
                .iter()
                .filter_map(|c| c.email.as_ref().map(|e| e.domain().to_owned()))
                .collect(),
            exclude: None,
        };
        refuse_duplicates(pool, &query).await?;
    }
    let mut tx = pool.begin().await?;
    let code = sql::next_client_code(&mut tx).await?;
    let client =
        sql::insert_client(&mut tx, &code, &new.profile, new.status, viewer.user_id).await?;
    let mut contacts = Vec::with_capacity(new.contacts.len());
    for contact in &new.contacts {
        contacts.push(contacts_sql::insert_contact(&mut tx, client.id, contact).await?);
    }
    audit_client(&mut tx, viewer, "client.created", None, &client).await?;
    tx.commit().await?;
    tracing::info!(client_id = %client.id, code = %client.client_code, "client created");
    Ok((client, contacts))
}

/// Updates a client's profile and, between active and on hold, its status.
pub async fn update(
    pool: &PgPool,
    viewer: Viewer,
    id: Uuid,
    changes: ClientPatch,
) -> ApiResult<Client> {
    let mut tx = pool.begin().await?;
    let before = sql::client_for_update(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound("client"))?;
    let profile = changes.apply(&before)?;
    let status = match changes.status {
        None => before.status,
        Some(s @ (ClientStatus::Active | ClientStatus::OnHold))
            if matches!(before.status, ClientStatus::Active | ClientStatus::OnHold) =>
        {
            s
        }
        Some(_) => {
            return Err(AppError::invalid(
                "status",
                "only active ↔ on hold here; use deactivateClient or reactivateClient",
            ));
        }
    };
    if profile.account_manager_id != before.account_manager_id {
        check_account_manager(pool, profile.account_manager_id).await?;
    }
    if !changes.confirm_not_duplicate {
        let renamed = profile.name != before.name;
        let new_domain = profile.website.as_ref().map(|w| w.domain().to_owned());
        let old_domain = before
            .website
            .as_deref()
            .and_then(|w| crate::values::Website::parse(w).ok())
            .map(|w| w.domain().to_owned());
        if renamed || new_domain != old_domain {
            let query = DuplicateQuery {
                name: renamed.then(|| profile.name.clone()),
                website_domain: new_domain.filter(|d| Some(d) != old_domain.as_ref()),
                email_domains: Vec::new(),
                exclude: Some(id),
            };
            refuse_duplicates(pool, &query).await?;
        }
    }
    let after = sql::update_client(&mut tx, id, &profile, status).await?;
    audit_client(&mut tx, viewer, "client.updated", Some(&before), &after).await?;
    tx.commit().await?;
    Ok(after)
}

/// Deactivates (or archives) a client with a reason. Linked jobs stay linked.
pub async fn deactivate(
    pool: &PgPool,
    viewer: Viewer,
    id: Uuid,
    reason: &str,
    details: Option<&str>,
    archive: bool,
) -> ApiResult<Client> {
    let reason =
        crate::values::required_text(reason, 200).map_err(|m| AppError::invalid("reason", m))?;
    let details =
        crate::values::optional_text(details, 2000).map_err(|m| AppError::invalid("details", m))?;
    let target = if archive {
        ClientStatus::Archived
    } else {
        ClientStatus::Inactive
    };
    let mut tx = pool.begin().await?;
    let before = sql::client_for_update(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound("client"))?;
    if before.status == target {
        return Err(AppError::conflict(format!(
            "the client is already {}",
            target.as_str()
        )));
    }
    let after = sql::set_activation(&mut tx, id, target, Some(&reason), details.as_deref()).await?;
    let action = if archive {
        "client.archived"
    } else {
        "client.deactivated"
    };
    audit_client(&mut tx, viewer, action, Some(&before), &after).await?;
    tx.commit().await?;
    tracing::info!(client_id = %id, status = target.as_str(), "client deactivated");
    Ok(after)
}

/// Makes an inactive, on-hold or archived client active again.
pub async fn reactivate(pool: &PgPool, viewer: Viewer, id: Uuid) -> ApiResult<Client> {
    let mut tx = pool.begin().await?;
    let before = sql::client_for_update(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound("client"))?;
    if before.status == ClientStatus::Active {
        return Err(AppError::conflict("the client is already active"));
    }
    let after = sql::set_activation(&mut tx, id, ClientStatus::Active, None, None).await?;
    audit_client(&mut tx, viewer, "client.reactivated", Some(&before), &after).await?;
    tx.commit().await?;
    tracing::info!(client_id = %id, "client reactivated");
    Ok(after)
}
