//! `bulkUpdateClients` (admins): one operation on up to 50 clients, as a dry run or for real.

use async_graphql::{Context, ID, Object};
use serde_json::json;
use uuid::Uuid;

use super::{
    model::{BulkChange, BulkOperation, BulkOperationResult, BulkParameters, unique_client_ids},
    service::{self, BulkRequest},
};
use crate::{
    auth::{Allowed, Permission, viewer},
    error::ApiResult,
    graphql::state,
};

/// Bulk mutations.
#[derive(Default)]
pub struct BulkMutation;

#[Object]
impl BulkMutation {
    /// Applies one operation to up to 50 clients (admins only; audit-logged). Ids given
    /// twice count once; more than 50 is refused before any work. A real run is one
    /// transaction: if any client is refused, nothing changes unless `continueOnError` is
    /// true, in which case the others apply. `dryRun` answers exactly what a real run would
    /// do and writes nothing. Real runs are limited per admin and minute (RATE_LIMITED).
    #[graphql(guard = "Allowed(Permission::BulkOperations)")]
    async fn bulk_update_clients(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The clients, at most 50 (repeats count once).")] client_ids: Vec<ID>,
        operation: BulkOperation,
        #[graphql(
            default,
            desc = "What the operation needs; each operation refuses the others' fields."
        )]
        parameters: BulkParameters,
        #[graphql(default = false, desc = "Compute the result, write nothing.")] dry_run: bool,
        #[graphql(
            default = false,
            desc = "Apply the clients that pass although others are refused."
        )]
        continue_on_error: bool,
    ) -> ApiResult<BulkOperationResult> {
        let viewer = viewer(ctx)?;
        let api = state(ctx);
        let request = BulkRequest {
            operation_id: Uuid::new_v4(),
            operation,
            change: BulkChange::parse(operation, &parameters)?,
            client_ids: unique_client_ids(&client_ids)?,
            dry_run,
            continue_on_error,
        };
        let mut tx = api.pool.begin().await?;
        if !dry_run {
            service::check_rate(&mut tx, viewer, api.config.bulk_runs_per_minute).await?;
        }
        let result = service::run(&mut tx, viewer, &request).await?;
        if dry_run {
            tx.rollback().await?;
            return Ok(result);
        }
        let parameters = audited(&request.change);
        if request.keeps(&result) {
            service::record(&mut tx, viewer, &request, &parameters, &result).await?;
            tx.commit().await?;
        } else {
            // Nothing of the run stays, but the attempt does.
            tx.rollback().await?;
            let mut tx = api.pool.begin().await?;
            service::record(&mut tx, viewer, &request, &parameters, &result).await?;
            tx.commit().await?;
        }
        tracing::info!(
            operation_id = %request.operation_id, operation = ?operation,
            status = ?result.status, ok = result.totals.ok, errors = result.totals.errors,
            "bulk operation"
        );
        Ok(result)
    }
}

/// The checked parameters as the audit log keeps them.
fn audited(change: &BulkChange) -> serde_json::Value {
    match change {
        BulkChange::Status(status) => json!({ "status": status.as_str() }),
        BulkChange::AccountManager(id) => json!({ "accountManagerId": id }),
        BulkChange::Industry(industry) => json!({ "industry": industry }),
        BulkChange::Deactivate(d) => {
            json!({ "reason": d.reason, "details": d.details, "archive": d.archive })
        }
        BulkChange::Reactivate => json!({}),
    }
}
