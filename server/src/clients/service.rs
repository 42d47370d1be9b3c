//! The rules about clients: who may be account manager, codes, duplicates, audit. Every
//! function runs on the caller's connection; writes expect it to be a transaction, which
//! the caller commits (or rolls back, for a dry run).

use clientele_core::{ClientStatus, Website};
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use super::{
    duplicates::{self, DuplicateCandidate, DuplicateQuery},
    model::{
        Client, ClientPatch, ClientSort, Deactivation, IndustryCount, ListCursor, ListFilter,
        NewClient,
    },
    sql::{self, ListCounts, PageStart},
};
use crate::{
    audit::{self, AuditEntry},
    auth::{Role, Viewer},
    contacts::{self, Contact},
    email,
    error::{ApiResult, AppError},
    uploads::{self, StoredFile},
    users,
};

/// Where a page of the list starts.
#[derive(Debug, Clone)]
pub enum ListStart {
    /// Skip this many clients (page/limit).
    Offset(i64),
    /// Just after this position (keyset paging, `after`).
    After(ListCursor),
}

/// What to read of the client list.
#[derive(Debug, Clone)]
pub struct ListRequest {
    /// The order.
    pub order: ClientSort,
    /// Clients per page.
    pub limit: i64,
    /// Where the page starts.
    pub start: ListStart,
    /// Whether to count the total and the per-status summary.
    pub counts: bool,
}

/// A page of clients, with its totals when they were asked for.
pub struct ClientList {
    /// The clients on this page.
    pub items: Vec<Client>,
    /// Whether clients follow this page.
    pub has_next_page: bool,
    /// Totals and the per-status summary, when asked for.
    pub counts: Option<ListCounts>,
}

/// Lists clients: one statement for the page (one row more than asked, to know whether
/// another page follows) and, only when asked, one for the totals.
pub async fn list(
    db: &mut PgConnection,
    filter: &ListFilter,
    request: &ListRequest,
) -> ApiResult<ClientList> {
    let start = match &request.start {
        ListStart::Offset(offset) => PageStart::Offset(*offset),
        ListStart::After(cursor) => PageStart::After {
            key: &cursor.key,
            id: cursor.id,
        },
    };
    let mut items =
        sql::list_clients(&mut *db, filter, request.order, request.limit + 1, start).await?;
    let has_next_page = items.len() as i64 > request.limit;
    items.truncate(usize::try_from(request.limit).unwrap_or(0));
    let counts = if request.counts {
        Some(sql::count_clients(&mut *db, filter).await?)
    } else {
        None
    };
    Ok(ClientList {
        items,
        has_next_page,
        counts,
    })
}

/// The industries in use, for the list's filter.
pub async fn industries(db: impl PgExecutor<'_>) -> ApiResult<Vec<IndustryCount>> {
    Ok(sql::industries(db).await?)
}

/// One client by id.
pub async fn get(db: impl PgExecutor<'_>, id: Uuid) -> ApiResult<Client> {
    sql::clients_by_ids(db, &[id])
        .await?
        .pop()
        .ok_or(AppError::NotFound("client"))
}

/// One client, locked until the caller's transaction ends: what changes to the client or
/// its contacts take first, so concurrent changes queue up instead of deadlocking.
pub async fn lock(db: &mut PgConnection, id: Uuid) -> ApiResult<Client> {
    sql::clients_for_update(db, &[id])
        .await?
        .pop()
        .ok_or(AppError::NotFound("client"))
}

/// Several clients, locked in id order until the caller's transaction ends; the ones that
/// exist, in id order.
pub async fn lock_all(db: &mut PgConnection, ids: &[Uuid]) -> ApiResult<Vec<Client>> {
    Ok(sql::clients_for_update(db, ids).await?)
}

/// Whether a client has exactly this name.
pub async fn name_exists(db: impl PgExecutor<'_>, name: &str) -> ApiResult<bool> {
    Ok(sql::name_exists(db, name).await?)
}

/// Likely duplicates of the client described, most likely first.
pub async fn duplicates(
    db: &mut PgConnection,
    query: &DuplicateQuery,
) -> ApiResult<Vec<DuplicateCandidate>> {
    duplicates::find(db, query).await
}

/// An account manager must be an active manager or admin.
pub async fn check_account_manager(db: &mut PgConnection, id: Option<Uuid>) -> ApiResult<()> {
    let Some(id) = id else { return Ok(()) };
    match users::find(db, id).await? {
        Some(u)
            if u.is_active && !u.is_service && matches!(u.role, Role::Manager | Role::Admin) =>
        {
            Ok(())
        }
        Some(_) => Err(AppError::invalid(
            "accountManagerId",
            "must be an active manager or admin",
        )),
        None => Err(AppError::invalid("accountManagerId", "no such user")),
    }
}

/// Refuses with CONFLICT, listing the likely duplicates, unless there are none.
async fn refuse_duplicates(db: &mut PgConnection, query: &DuplicateQuery) -> ApiResult<()> {
    let candidates = duplicates::find(db, query).await?;
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

/// Appends a change of a client to the audit log, in the caller's transaction.
async fn audit_client(
    db: &mut PgConnection,
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
    Ok(audit::record(db, entry).await?)
}

/// Creates a client and its contacts, after the account-manager and duplicate checks.
pub async fn create(
    db: &mut PgConnection,
    viewer: Viewer,
    new: &NewClient,
) -> ApiResult<(Client, Vec<Contact>)> {
    check_account_manager(db, new.settings.account_manager_id).await?;
    if !new.confirm_not_duplicate {
        let query = DuplicateQuery {
            name: Some(new.settings.profile.name.clone()),
            website_domain: new
                .settings
                .profile
                .website
                .as_ref()
                .map(|w| w.domain().to_owned()),
            email_domains: new
                .contacts
                .iter()
                .filter_map(|c| c.email.as_ref().map(|e| e.domain().to_owned()))
                .collect(),
            exclude: None,
        };
        refuse_duplicates(db, &query).await?;
    }
    let code = sql::next_client_code(db).await?;
    let client = sql::insert_client(db, &code, &new.settings, viewer.user_id).await?;
    let contacts = contacts::add_to_new_client(db, client.id, &new.contacts).await?;
    if let Some(primary) = contacts.iter().find(|c| c.is_primary && c.is_active) {
        welcome(db, &client, primary).await?;
    }
    audit_client(db, viewer, "client.created", None, &client).await?;
    tracing::info!(client_id = %client.id, code = %client.client_code, "client created");
    Ok((client, contacts))
}

/// Queues the welcome email to the client's primary contact, in the caller's transaction,
/// when the contact has an email: once per client, whichever primary contact comes first.
pub async fn welcome(db: &mut PgConnection, client: &Client, contact: &Contact) -> ApiResult<()> {
    let Some(to) = contact.email.as_deref() else {
        return Ok(());
    };
    let manager = match client.account_manager_id {
        Some(id) => users::find(&mut *db, id).await?,
        None => None,
    };
    let welcome = email::Welcome {
        client_name: &client.name,
        client_code: &client.client_code,
        contact_name: &contact.full_name,
        manager_name: manager.as_ref().map(|m| m.full_name.as_str()),
        manager_email: manager.as_ref().map(|m| m.email.as_str()),
    };
    email::welcome(db, client.id, to, &welcome).await?;
    Ok(())
}

/// Updates a client's profile, account manager and, between active and on hold, status.
pub async fn update(
    db: &mut PgConnection,
    viewer: Viewer,
    id: Uuid,
    patch: &ClientPatch,
) -> ApiResult<Client> {
    let before = lock(db, id).await?;
    let settings = patch.apply(&before)?;
    if settings.account_manager_id != before.account_manager_id {
        check_account_manager(db, settings.account_manager_id).await?;
    }
    if !patch.confirm_not_duplicate {
        let renamed = settings.profile.name != before.name;
        let new_domain = settings
            .profile
            .website
            .as_ref()
            .map(|w| w.domain().to_owned());
        let old_domain = before
            .website
            .as_deref()
            .and_then(|w| Website::parse(w).ok())
            .map(|w| w.domain().to_owned());
        if renamed || new_domain != old_domain {
            let query = DuplicateQuery {
                name: renamed.then(|| settings.profile.name.clone()),
                website_domain: new_domain.filter(|d| Some(d) != old_domain.as_ref()),
                email_domains: Vec::new(),
                exclude: Some(id),
            };
            refuse_duplicates(db, &query).await?;
        }
    }
    let after = sql::update_client(db, id, &settings).await?;
    audit_client(db, viewer, "client.updated", Some(&before), &after).await?;
    Ok(after)
}

/// Deactivates (or archives) a client with a reason. Linked jobs stay linked.
pub async fn deactivate(
    db: &mut PgConnection,
    viewer: Viewer,
    id: Uuid,
    deactivation: &Deactivation,
) -> ApiResult<Client> {
    let target = deactivation.status();
    let before = lock(db, id).await?;
    if before.status == target {
        return Err(AppError::conflict(format!(
            "the client is already {}",
            target.as_str()
        )));
    }
    let after = sql::set_activation(
        db,
        id,
        target,
        Some(&deactivation.reason),
        deactivation.details.as_deref(),
    )
    .await?;
    let action = if deactivation.archive {
        "client.archived"
    } else {
        "client.deactivated"
    };
    audit_client(db, viewer, action, Some(&before), &after).await?;
    tracing::info!(client_id = %id, status = target.as_str(), "client deactivated");
    Ok(after)
}

/// Makes an inactive, on-hold or archived client active again.
pub async fn reactivate(db: &mut PgConnection, viewer: Viewer, id: Uuid) -> ApiResult<Client> {
    let before = lock(db, id).await?;
    if before.status == ClientStatus::Active {
        return Err(AppError::conflict("the client is already active"));
    }
    let after = sql::set_activation(db, id, ClientStatus::Active, None, None).await?;
    audit_client(db, viewer, "client.reactivated", Some(&before), &after).await?;
    tracing::info!(client_id = %id, "client reactivated");
    Ok(after)
}

/// Gives a client a new logo, recorded in `stored_files` (already in the file store). The
/// previous logo's record is forgotten; its storage key is returned so the caller removes
/// the file once the transaction has committed.
pub async fn set_logo(
    db: &mut PgConnection,
    id: Uuid,
    logo: &StoredFile,
) -> ApiResult<(Client, Option<String>)> {
    let before = lock(db, id).await?;
    uploads::record_file(db, logo).await?;
    sql::set_logo(db, id, logo.id).await?;
    let replaced = match before.logo_file_id {
        Some(old) => uploads::forget_file(db, old).await?,
        None => None,
    };
    let after = lock(db, id).await?;
    Ok((after, replaced))
}
