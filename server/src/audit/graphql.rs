//! The audit log for admins: `auditLog`, newest first, filtered by record, actor, action
//! and time.

use async_graphql::{Context, ID, InputObject, Json, Object, SimpleObject};
use chrono::{DateTime, Utc};

use super::{AuditFilter, AuditRecord};
use crate::{
    auth::{Allowed, Permission},
    error::{ApiResult, AppError},
    graphql::{
        loader,
        loaders::UserById,
        page::{PageInfo, PageRequest},
        scalars::optional_uuid,
        state,
    },
    users::User,
};

/// Which audit entries to list; each field given narrows the list.
#[derive(InputObject, Debug, Default)]
#[graphql(name = "AuditLogFilter")]
pub struct AuditLogFilter {
    /// The kind of record: `client`, `contact`, `feedback`, `client_job`, `bulk_operation`, …
    pub entity: Option<String>,
    /// One record's history.
    pub entity_id: Option<ID>,
    /// What one user did.
    pub actor_id: Option<ID>,
    /// One action (`client.deactivated`), or every action of a kind when it ends in a dot
    /// (`client.`).
    pub action: Option<String>,
    /// At or after this time.
    pub from: Option<DateTime<Utc>>,
    /// Before this time.
    pub to: Option<DateTime<Utc>>,
}

impl TryFrom<AuditLogFilter> for AuditFilter {
    type Error = AppError;

    fn try_from(input: AuditLogFilter) -> ApiResult<Self> {
        let mut errors = clientele_core::FieldErrors::new();
        let entity_id = errors.check(
            "filter.entityId",
            optional_uuid(input.entity_id.as_ref()).map_err(str::to_owned),
        );
        let actor_id = errors.check(
            "filter.actorId",
            optional_uuid(input.actor_id.as_ref()).map_err(str::to_owned),
        );
        if let (Some(from), Some(to)) = (input.from, input.to)
            && from >= to
        {
            errors.add("filter.to", "must be after filter.from");
        }
        let blank = |text: Option<String>| text.filter(|t| !t.trim().is_empty());
        Ok(errors.finish(|| {
            Some(Self {
                entity: blank(input.entity),
                entity_id: entity_id?,
                actor_id: actor_id?,
                action: blank(input.action),
                from: input.from,
                to: input.to,
            })
        })?)
    }
}

/// One audited change: who did what to which record, with the record before and after.
pub struct AuditLogEntry(AuditRecord);

#[Object]
impl AuditLogEntry {
    /// Unique id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// Who did it; null for scheduled work.
    async fn actor(&self, ctx: &Context<'_>) -> ApiResult<Option<User>> {
        match self.0.actor_id {
            Some(id) => loader(ctx).load_one(UserById(id)).await,
            None => Ok(None),
        }
    }
    /// What was done, `entity.verb` (`client.deactivated`, `bulk.reassign_account_manager`).
    async fn action(&self) -> &str {
        &self.0.action
    }
    /// The kind of record.
    async fn entity(&self) -> &str {
        &self.0.entity
    }
    /// The record's id.
    async fn entity_id(&self) -> Option<ID> {
        self.0.entity_id.map(|id| ID(id.to_string()))
    }
    /// The record before the change (null for a creation), as stored.
    async fn before(&self) -> Option<Json<serde_json::Value>> {
        self.0.before.clone().map(Json)
    }
    /// The record after the change, as stored. For a bulk operation: its parameters,
    /// outcome, totals, each client's result and the changed clients after.
    async fn after(&self) -> Option<Json<serde_json::Value>> {
        self.0.after.clone().map(Json)
    }
    /// The request that made the change (the `requestId` of its log lines).
    async fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }
    /// When.
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
}

/// A page of the audit log.
#[derive(SimpleObject)]
pub struct AuditLogPage {
    /// The entries on this page, newest first.
    items: Vec<AuditLogEntry>,
    /// Where this page sits.
    page_info: PageInfo,
}

/// Audit queries.
#[derive(Default)]
pub struct AuditQuery;

#[Object]
impl AuditQuery {
    /// The audit log, newest first (admins): deactivations, reactivations, bulk operations,
    /// finalized feedback, job links and other changes that matter for accountability.
    #[graphql(
        guard = "Allowed(Permission::ReadAuditLog)",
        complexity = "PageRequest::complexity(limit, child_complexity)"
    )]
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        filter: Option<AuditLogFilter>,
        #[graphql(default = 1, desc = "Page number, from 1.")] page: i32,
        #[graphql(default = 20, desc = "Items per page, 1 to 100.")] limit: i32,
    ) -> ApiResult<AuditLogPage> {
        let page = PageRequest::parse(page, limit)?;
        let filter = AuditFilter::try_from(filter.unwrap_or_default())?;
        let mut db = state(ctx).pool.acquire().await?;
        let (items, total) = super::list(&mut db, &filter, page.limit, page.offset()).await?;
        Ok(AuditLogPage {
            items: items.into_iter().map(AuditLogEntry).collect(),
            page_info: page.info(total),
        })
    }
}
