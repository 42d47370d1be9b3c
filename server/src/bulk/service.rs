//! A bulk run: each client in a savepoint of the caller's transaction, so one refused
//! client leaves no trace while the others go on. The caller decides what to keep: it
//! commits an applied run and rolls back a dry run or a refused all-or-nothing run, so a
//! dry run computes exactly what a real run does, by the same code.

use std::{collections::HashMap, time::Duration};

use anyhow::Context as _;
use async_graphql::{ID, MaybeUndefined};
use chrono::Utc;
use serde::Serialize;
use serde_json::json;
use sqlx::{Acquire, PgConnection};
use uuid::Uuid;

use super::model::{
    BulkChange, BulkClientResult, BulkOperation, BulkOperationResult, BulkOutcome, BulkTotals, Plan,
};
use crate::{
    audit::{self, AuditEntry},
    auth::Viewer,
    clients::{self, Client, ClientPatch},
    error::{ApiResult, AppError},
};

/// The entity of a bulk run's audit entry.
const AUDIT_ENTITY: &str = "bulk_operation";

/// A bulk run, checked.
#[derive(Debug, Clone)]
pub struct BulkRequest {
    /// This run's id.
    pub operation_id: Uuid,
    /// The operation.
    pub operation: BulkOperation,
    /// What it changes.
    pub change: BulkChange,
    /// The clients, each once, in the order given.
    pub client_ids: Vec<Uuid>,
    /// Whether to write nothing.
    pub dry_run: bool,
    /// Whether to apply the clients that pass although others are refused.
    pub continue_on_error: bool,
}

impl BulkRequest {
    /// Whether the caller must keep what [`run`] did: a real run that was not refused as
    /// a whole.
    pub fn keeps(&self, result: &BulkOperationResult) -> bool {
        !self.dry_run && result.status != super::model::BulkRunStatus::NotApplied
    }
}

/// Refuses with RATE_LIMITED once `viewer` has made `per_minute` real runs in the last
/// minute (their audit entries count them; dry runs write none and are free).
pub async fn check_rate(db: &mut PgConnection, viewer: Viewer, per_minute: u32) -> ApiResult<()> {
    let window = chrono::Duration::seconds(60);
    let now = Utc::now();
    let runs = audit::times_since(db, viewer.user_id, AUDIT_ENTITY, now - window).await?;
    let limit = usize::try_from(per_minute).unwrap_or(usize::MAX);
    if runs.len() < limit {
        return Ok(());
    }
    // The run that frees a slot is the one `limit` runs back from the newest (with a
    // limit of 0, none ever does: a minute from now is as good an answer as any).
    let freeing = runs
        .len()
        .checked_sub(limit)
        .and_then(|i| runs.get(i).copied())
        .unwrap_or(now);
    let wait = (freeing + window - now)
        .to_std()
        .unwrap_or(Duration::ZERO)
        .as_secs()
        + 1;
    Err(AppError::RateLimited {
        retry_after_seconds: wait,
    })
}

/// Runs `request` on the caller's transaction: an account manager to assign is checked
/// first (VALIDATION, before any work); then the clients are locked in id order and each
/// is changed in its own savepoint. A client that is missing or refused by a rule is
/// reported with its code; anything else (the database failing) ends the run with an error.
pub async fn run(
    db: &mut PgConnection,
    viewer: Viewer,
    request: &BulkRequest,
) -> ApiResult<BulkOperationResult> {
    if let BulkChange::AccountManager(manager) = &request.change {
        clients::check_account_manager(db, *manager)
            .await
            .map_err(|error| match error {
                AppError::Validation(fields) => AppError::Validation(
                    fields
                        .into_iter()
                        .map(|(field, message)| (format!("parameters.{field}"), message))
                        .collect(),
                ),
                other => other,
            })?;
    }
    let mut sorted = request.client_ids.clone();
    sorted.sort_unstable();
    let mut found: HashMap<Uuid, Client> = clients::lock_all(db, &sorted)
        .await?
        .into_iter()
        .map(|client| (client.id, client))
        .collect();
    let mut results = Vec::with_capacity(request.client_ids.len());
    for &id in &request.client_ids {
        let result = match found.remove(&id) {
            None => refused(id, None, &AppError::NotFound("client")),
            Some(before) => match request.change.plan(&before) {
                Plan::Skip(why) => BulkClientResult {
                    client_id: ID(id.to_string()),
                    outcome: BulkOutcome::Skipped,
                    code: None,
                    message: Some(why),
                    after: Some(before.clone()),
                    before: Some(before),
                },
                Plan::Refuse(error) => refused(id, Some(before), &error),
                Plan::Apply => {
                    let mut savepoint = Acquire::begin(&mut *db).await?;
                    match apply(&mut savepoint, viewer, &request.change, id).await {
                        Ok(after) => {
                            savepoint.commit().await?;
                            BulkClientResult {
                                client_id: ID(id.to_string()),
                                outcome: BulkOutcome::Ok,
                                code: None,
                                message: None,
                                before: Some(before),
                                after: Some(after),
                            }
                        }
                        Err(error) if is_a_rule(&error) => {
                            savepoint.rollback().await?;
                            refused(id, Some(before), &error)
                        }
                        Err(error) => return Err(error),
                    }
                }
            },
        };
        results.push(result);
    }
    let totals = BulkTotals::of(&results);
    Ok(BulkOperationResult {
        operation_id: ID(request.operation_id.to_string()),
        operation: request.operation,
        dry_run: request.dry_run,
        continue_on_error: request.continue_on_error,
        status: totals.status(request.continue_on_error),
        results,
        totals,
    })
}

/// Appends a real run to the audit log: who, the parameters, how it ended, each client's
/// result, and the changed clients before and after (none when nothing was applied).
pub async fn record(
    db: &mut PgConnection,
    viewer: Viewer,
    request: &BulkRequest,
    parameters: &serde_json::Value,
    result: &BulkOperationResult,
) -> ApiResult<()> {
    // The clients changed, before and after: none when nothing of the run was kept.
    let mut clients_before = serde_json::Map::new();
    let mut clients_after = serde_json::Map::new();
    let kept = request.keeps(result);
    for changed in result
        .results
        .iter()
        .filter(|r| kept && r.outcome == BulkOutcome::Ok)
    {
        let id = &changed.client_id.0;
        let snapshot = |client: &Option<Client>| {
            serde_json::to_value(client).context("writing a client for the audit log")
        };
        clients_before.insert(id.clone(), snapshot(&changed.before)?);
        clients_after.insert(id.clone(), snapshot(&changed.after)?);
    }
    let before = json!({ "clients": clients_before });
    let after = json!({
        "operation": request.operation,
        "parameters": parameters,
        "continueOnError": request.continue_on_error,
        "status": result.status,
        "totals": result.totals,
        "results": result.results.iter().map(ResultLine::from).collect::<Vec<_>>(),
        "clients": clients_after,
    });
    let entry = AuditEntry {
        actor_id: Some(viewer.user_id),
        action: request.operation.action(),
        entity: AUDIT_ENTITY,
        entity_id: request.operation_id,
        before: Some(&before),
        after: Some(&after),
    };
    Ok(audit::record(db, entry).await?)
}

/// One client's result as the audit log keeps it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultLine<'a> {
    client_id: &'a str,
    outcome: BulkOutcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'a str>,
}

impl<'a> From<&'a BulkClientResult> for ResultLine<'a> {
    fn from(result: &'a BulkClientResult) -> Self {
        Self {
            client_id: &result.client_id.0,
            outcome: result.outcome,
            code: result.code.as_deref(),
            message: result.message.as_deref(),
        }
    }
}

/// Changes one client through the same service a single change uses (its rules and its
/// own audit entry included).
async fn apply(
    db: &mut PgConnection,
    viewer: Viewer,
    change: &BulkChange,
    id: Uuid,
) -> ApiResult<Client> {
    let patch = |patch: ClientPatch| ClientPatch {
        confirm_not_duplicate: true,
        ..patch
    };
    match change {
        BulkChange::Status(status) => {
            let patch = patch(ClientPatch {
                status: Some(*status),
                ..ClientPatch::default()
            });
            clients::update(db, viewer, id, &patch).await
        }
        BulkChange::AccountManager(manager) => {
            let patch = patch(ClientPatch {
                account_manager_id: match manager {
                    Some(id) => MaybeUndefined::Value(ID(id.to_string())),
                    None => MaybeUndefined::Null,
                },
                ..ClientPatch::default()
            });
            clients::update(db, viewer, id, &patch).await
        }
        BulkChange::Industry(industry) => {
            let patch = patch(ClientPatch {
                industry: match industry {
                    Some(text) => MaybeUndefined::Value(text.clone()),
                    None => MaybeUndefined::Null,
                },
                ..ClientPatch::default()
            });
            clients::update(db, viewer, id, &patch).await
        }
        BulkChange::Deactivate(deactivation) => {
            clients::deactivate(db, viewer, id, deactivation).await
        }
        BulkChange::Reactivate => clients::reactivate(db, viewer, id).await,
    }
}

/// Whether an error is a rule refusing one client (reported, the run goes on) rather than
/// a failure of the run itself.
fn is_a_rule(error: &AppError) -> bool {
    matches!(
        error,
        AppError::NotFound(_)
            | AppError::Validation(_)
            | AppError::Conflict { .. }
            | AppError::Forbidden
    )
}

fn refused(id: Uuid, before: Option<Client>, error: &AppError) -> BulkClientResult {
    BulkClientResult {
        client_id: ID(id.to_string()),
        outcome: BulkOutcome::Error,
        code: Some(error.code().to_owned()),
        message: Some(error.message()),
        before,
        after: None,
    }
}
