//! What a bulk operation is asked to do, checked before any work, and what it did.

use std::collections::HashSet;

use async_graphql::{Enum, ID, InputObject, MaybeUndefined, SimpleObject};
use clientele_core::{ClientStatus, FieldErrors, optional_text};
use serde::Serialize;
use uuid::Uuid;

use crate::{
    clients::{Client, Deactivation},
    error::{ApiResult, AppError},
    graphql::scalars::uuid_of,
};

/// Most clients one bulk operation may touch.
pub const MAX_CLIENTS: usize = 50;

/// What a bulk operation does to each client.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BulkOperation {
    /// Sets the status to `parameters.status`: ACTIVE or ON_HOLD (deactivating needs a
    /// reason: DEACTIVATE).
    ChangeStatus,
    /// Gives the clients `parameters.accountManagerId` (an active manager or admin; null
    /// leaves them without one).
    ReassignAccountManager,
    /// Sets the industry to `parameters.industry` (null clears it).
    SetIndustry,
    /// Deactivates with `parameters.reason` (and `details`); archives instead with
    /// `parameters.archive`.
    Deactivate,
    /// Makes the clients active again.
    Reactivate,
}

impl BulkOperation {
    /// The audit log's action for a run of it.
    pub fn action(self) -> &'static str {
        match self {
            Self::ChangeStatus => "bulk.change_status",
            Self::ReassignAccountManager => "bulk.reassign_account_manager",
            Self::SetIndustry => "bulk.set_industry",
            Self::Deactivate => "bulk.deactivate",
            Self::Reactivate => "bulk.reactivate",
        }
    }
}

/// What the operation needs. Each operation reads only its own fields and refuses the
/// others, so a parameter meant for another operation is never silently ignored.
#[derive(InputObject, Debug, Default, Clone)]
pub struct BulkParameters {
    /// CHANGE_STATUS: ACTIVE or ON_HOLD.
    pub status: Option<ClientStatus>,
    /// REASSIGN_ACCOUNT_MANAGER: an active manager or admin; null for none.
    pub account_manager_id: MaybeUndefined<ID>,
    /// SET_INDUSTRY: the industry (up to 100 characters); null clears it.
    pub industry: MaybeUndefined<String>,
    /// DEACTIVATE: why, in a few words (required, up to 200 characters).
    pub reason: Option<String>,
    /// DEACTIVATE: more about why (up to 2000 characters).
    pub details: Option<String>,
    /// DEACTIVATE: archive rather than deactivate.
    pub archive: Option<bool>,
}

/// The change a bulk operation makes to each client, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulkChange {
    /// To ACTIVE or ON_HOLD.
    Status(ClientStatus),
    /// To this account manager (or none).
    AccountManager(Option<Uuid>),
    /// To this industry (or none).
    Industry(Option<String>),
    /// Deactivate or archive.
    Deactivate(Deactivation),
    /// Reactivate.
    Reactivate,
}

/// What to do with one client.
#[derive(Debug)]
pub enum Plan {
    /// Change it.
    Apply,
    /// Leave it: it is already as asked (why).
    Skip(String),
    /// Refuse it: this rule forbids the change.
    Refuse(AppError),
}

impl BulkChange {
    /// Checks `parameters` for `operation`; field names in errors are `parameters.<name>`.
    pub fn parse(operation: BulkOperation, parameters: &BulkParameters) -> ApiResult<Self> {
        let mut errors = FieldErrors::new();
        let given = [
            ("status", parameters.status.is_some()),
            (
                "accountManagerId",
                !parameters.account_manager_id.is_undefined(),
            ),
            ("industry", !parameters.industry.is_undefined()),
            ("reason", parameters.reason.is_some()),
            ("details", parameters.details.is_some()),
            ("archive", parameters.archive.is_some()),
        ];
        let used: &[&str] = match operation {
            BulkOperation::ChangeStatus => &["status"],
            BulkOperation::ReassignAccountManager => &["accountManagerId"],
            BulkOperation::SetIndustry => &["industry"],
            BulkOperation::Deactivate => &["reason", "details", "archive"],
            BulkOperation::Reactivate => &[],
        };
        errors.nest("parameters", |errors| {
            for (name, _) in given.iter().filter(|(n, g)| *g && !used.contains(n)) {
                errors.add(
                    name,
                    format!(
                        "is not used by {}",
                        async_graphql::InputType::to_value(&operation)
                    ),
                );
            }
        });
        let change = errors.nest("parameters", |errors| match operation {
            BulkOperation::ChangeStatus => match parameters.status {
                Some(status) if status.is_editable() => Some(Self::Status(status)),
                Some(_) => {
                    errors.add(
                        "status",
                        "must be ACTIVE or ON_HOLD; use DEACTIVATE to deactivate or archive",
                    );
                    None
                }
                None => {
                    errors.add("status", "is required");
                    None
                }
            },
            BulkOperation::ReassignAccountManager => match &parameters.account_manager_id {
                MaybeUndefined::Undefined => {
                    errors.add(
                        "accountManagerId",
                        "is required (null leaves the clients without one)",
                    );
                    None
                }
                MaybeUndefined::Null => Some(Self::AccountManager(None)),
                MaybeUndefined::Value(id) => errors
                    .check("accountManagerId", uuid_of(id))
                    .map(|id| Self::AccountManager(Some(id))),
            },
            BulkOperation::SetIndustry => match &parameters.industry {
                MaybeUndefined::Undefined => {
                    errors.add("industry", "is required (null clears it)");
                    None
                }
                MaybeUndefined::Null => Some(Self::Industry(None)),
                MaybeUndefined::Value(text) => errors
                    .check("industry", optional_text(Some(text), 100))
                    .map(Self::Industry),
            },
            BulkOperation::Deactivate => {
                let parsed = Deactivation::parse(
                    parameters.reason.as_deref().unwrap_or_default(),
                    parameters.details.as_deref(),
                    parameters.archive.unwrap_or(false),
                );
                match parsed {
                    Ok(deactivation) => Some(Self::Deactivate(deactivation)),
                    Err(problems) => {
                        for (field, message) in problems.into_pairs() {
                            errors.add(&field, message);
                        }
                        None
                    }
                }
            }
            BulkOperation::Reactivate => Some(Self::Reactivate),
        });
        Ok(errors.finish(|| change)?)
    }

    /// What this change means for `client` as it is now.
    pub fn plan(&self, client: &Client) -> Plan {
        let status = client.status;
        match self {
            Self::Status(target) if status == *target => {
                Plan::Skip(format!("already {}", status.label().to_lowercase()))
            }
            Self::Status(_) if !status.is_editable() => Plan::Refuse(AppError::conflict(format!(
                "the client is {}: reactivate it first",
                status.label().to_lowercase()
            ))),
            Self::AccountManager(manager) if client.account_manager_id == *manager => {
                Plan::Skip("already has this account manager".to_owned())
            }
            Self::Industry(industry) if client.industry == *industry => {
                Plan::Skip("already in this industry".to_owned())
            }
            Self::Deactivate(deactivation) if status == deactivation.status() => {
                Plan::Skip(format!("already {}", status.label().to_lowercase()))
            }
            Self::Reactivate if status == ClientStatus::Active => {
                Plan::Skip("already active".to_owned())
            }
            _ => Plan::Apply,
        }
    }
}

/// The clients a bulk operation is asked to touch: each once, in the order first given.
pub fn unique_client_ids(ids: &[ID]) -> ApiResult<Vec<Uuid>> {
    let mut seen = HashSet::new();
    let mut unique = Vec::new();
    for id in ids {
        let id = uuid_of(id)
            .map_err(|message| AppError::invalid("clientIds", format!("{:?} {message}", id.0)))?;
        if seen.insert(id) {
            unique.push(id);
        }
    }
    match unique.len() {
        0 => Err(AppError::invalid("clientIds", "name at least one client")),
        n if n > MAX_CLIENTS => Err(AppError::invalid(
            "clientIds",
            format!("at most {MAX_CLIENTS} clients at once (got {n}); split the list"),
        )),
        _ => Ok(unique),
    }
}

/// What happened to one client.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BulkOutcome {
    /// Changed (or, in a dry run or a run that was not applied, would be).
    Ok,
    /// Left as it was: it already is as asked.
    Skipped,
    /// Refused by a rule; `code` and `message` say which.
    Error,
}

/// How a bulk run ended.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BulkRunStatus {
    /// No client was refused: every change was applied.
    Applied,
    /// Some clients were refused and, with `continueOnError`, the others were applied.
    PartiallyApplied,
    /// Some clients were refused, so nothing was applied (or nothing was left to apply).
    NotApplied,
}

/// One client's result.
#[derive(SimpleObject, Debug, Clone)]
pub struct BulkClientResult {
    /// The client's id, as given.
    pub client_id: ID,
    /// Changed, skipped or refused.
    pub outcome: BulkOutcome,
    /// The error's `extensions.code` when refused (NOT_FOUND, CONFLICT, VALIDATION).
    pub code: Option<String>,
    /// Why it was skipped or refused.
    pub message: Option<String>,
    /// The client before (null when it does not exist).
    pub before: Option<Client>,
    /// The client after the change: as it now is, or in a dry run (or a run that was not
    /// applied) as it would have been. Null when refused.
    pub after: Option<Client>,
}

/// How many clients ended each way.
#[derive(SimpleObject, Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkTotals {
    /// Distinct clients asked for.
    pub requested: i32,
    /// Changed (or would be).
    pub ok: i32,
    /// Already as asked.
    pub skipped: i32,
    /// Refused.
    pub errors: i32,
}

/// What a bulk operation did (or, in a dry run, would do).
#[derive(SimpleObject, Debug, Clone)]
pub struct BulkOperationResult {
    /// This run's id: the audit log's `entityId` for it (a dry run's id is never stored).
    pub operation_id: ID,
    /// The operation.
    pub operation: BulkOperation,
    /// Whether this was a dry run: nothing was written, and `status` is what a real run
    /// would end with.
    pub dry_run: bool,
    /// Whether clients that pass were applied although others were refused.
    pub continue_on_error: bool,
    /// How the run ended.
    pub status: BulkRunStatus,
    /// Per client, in the order given (each once).
    pub results: Vec<BulkClientResult>,
    /// Counts of the results.
    pub totals: BulkTotals,
}

impl BulkTotals {
    /// Counts `results`.
    pub fn of(results: &[BulkClientResult]) -> Self {
        let count = |outcome| {
            i32::try_from(results.iter().filter(|r| r.outcome == outcome).count())
                .unwrap_or(i32::MAX)
        };
        Self {
            requested: i32::try_from(results.len()).unwrap_or(i32::MAX),
            ok: count(BulkOutcome::Ok),
            skipped: count(BulkOutcome::Skipped),
            errors: count(BulkOutcome::Error),
        }
    }

    /// How a run with these totals ends.
    pub fn status(self, continue_on_error: bool) -> BulkRunStatus {
        match (self.errors, continue_on_error) {
            (0, _) => BulkRunStatus::Applied,
            (_, true) if self.ok > 0 => BulkRunStatus::PartiallyApplied,
            _ => BulkRunStatus::NotApplied,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(result: ApiResult<impl std::fmt::Debug>) -> Vec<(String, String)> {
        match result {
            Err(AppError::Validation(fields)) => fields,
            other => panic!("expected VALIDATION, got {other:?}"),
        }
    }

    #[test]
    fn ids_are_counted_once_and_at_most_fifty() {
        let a = Uuid::new_v4();
        let b = Uuid::new_v4();
        let ids = [a, b, a, b, a].map(|id| ID(id.to_string()));
        assert_eq!(unique_client_ids(&ids).ok(), Some(vec![a, b]));
        let fifty: Vec<ID> = (0..50).map(|_| ID(Uuid::new_v4().to_string())).collect();
        assert_eq!(unique_client_ids(&fifty).map(|v| v.len()).ok(), Some(50));
        let mut repeated = fifty.clone();
        repeated.extend(fifty.iter().cloned());
        assert_eq!(unique_client_ids(&repeated).map(|v| v.len()).ok(), Some(50));
        let mut fifty_one = fifty;
        fifty_one.push(ID(Uuid::new_v4().to_string()));
        let fields = codes(unique_client_ids(&fifty_one));
        assert_eq!(fields[0].0, "clientIds");
        assert!(fields[0].1.contains("at most 50"), "{fields:?}");
        assert_eq!(codes(unique_client_ids(&[]))[0].0, "clientIds");
        assert_eq!(
            codes(unique_client_ids(&[ID("nope".into())]))[0].0,
            "clientIds"
        );
    }

    #[test]
    fn each_operation_needs_its_own_parameters_and_refuses_the_others() {
        use BulkOperation::*;
        let none = BulkParameters::default();
        let fields = |op, p: &BulkParameters| -> Vec<String> {
            codes(BulkChange::parse(op, p))
                .into_iter()
                .map(|(f, _)| f)
                .collect()
        };
        assert_eq!(fields(ChangeStatus, &none), ["parameters.status"]);
        assert_eq!(
            fields(ReassignAccountManager, &none),
            ["parameters.accountManagerId"]
        );
        assert_eq!(fields(SetIndustry, &none), ["parameters.industry"]);
        assert_eq!(fields(Deactivate, &none), ["parameters.reason"]);
        assert_eq!(
            BulkChange::parse(Reactivate, &none).ok(),
            Some(BulkChange::Reactivate)
        );
        let archived = BulkParameters {
            status: Some(ClientStatus::Archived),
            ..BulkParameters::default()
        };
        assert_eq!(fields(ChangeStatus, &archived), ["parameters.status"]);
        assert_eq!(fields(Reactivate, &archived), ["parameters.status"]);
        let on_hold = BulkParameters {
            status: Some(ClientStatus::OnHold),
            ..BulkParameters::default()
        };
        assert_eq!(
            BulkChange::parse(ChangeStatus, &on_hold).ok(),
            Some(BulkChange::Status(ClientStatus::OnHold))
        );
        let clear = BulkParameters {
            account_manager_id: MaybeUndefined::Null,
            industry: MaybeUndefined::Value("  Retail ".into()),
            ..BulkParameters::default()
        };
        assert_eq!(
            BulkChange::parse(
                ReassignAccountManager,
                &BulkParameters {
                    industry: MaybeUndefined::Undefined,
                    ..clear.clone()
                }
            )
            .ok(),
            Some(BulkChange::AccountManager(None))
        );
        assert_eq!(
            BulkChange::parse(
                SetIndustry,
                &BulkParameters {
                    account_manager_id: MaybeUndefined::Undefined,
                    ..clear
                }
            )
            .ok(),
            Some(BulkChange::Industry(Some("Retail".into())))
        );
        let long = BulkParameters {
            reason: Some("x".repeat(201)),
            ..BulkParameters::default()
        };
        assert_eq!(fields(Deactivate, &long), ["parameters.reason"]);
    }

    #[test]
    fn the_status_of_a_run_follows_its_errors() {
        let totals = |ok, errors| BulkTotals {
            requested: ok + errors,
            ok,
            skipped: 0,
            errors,
        };
        assert_eq!(totals(3, 0).status(false), BulkRunStatus::Applied);
        assert_eq!(totals(0, 0).status(false), BulkRunStatus::Applied);
        assert_eq!(totals(3, 1).status(false), BulkRunStatus::NotApplied);
        assert_eq!(totals(3, 1).status(true), BulkRunStatus::PartiallyApplied);
        assert_eq!(totals(0, 2).status(true), BulkRunStatus::NotApplied);
    }
}
