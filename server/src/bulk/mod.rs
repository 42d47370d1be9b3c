//! Bulk operations on clients (admins): change status, reassign the account manager, set
//! the industry, deactivate or reactivate up to 50 clients at once, as a dry run or for
//! real, all or nothing unless told to go on past refused clients. Each client goes
//! through the same service as a single change, and every real run is audit-logged with
//! its parameters and each client before and after.

pub(crate) mod graphql;
mod model;
mod service;

pub use model::{
    BulkChange, BulkClientResult, BulkOperation, BulkOperationResult, BulkOutcome, BulkParameters,
    BulkRunStatus, BulkTotals, MAX_CLIENTS,
};
pub use service::{BulkRequest, check_rate, record, run};
