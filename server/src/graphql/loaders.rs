//! One data-access struct, [`PgLoader`], implements `Loader<K>` for each key newtype; the
//! impls live beside their SQL in each domain's `sql.rs`.

use sqlx::PgPool;
use uuid::Uuid;

/// Loads batches of related rows with one `= any($1)` statement per key type.
#[derive(Clone)]
pub struct PgLoader {
    /// The database.
    pub pool: PgPool,
}

impl PgLoader {
    /// A loader over a pool.
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

/// A staff user by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UserById(pub Uuid);

/// All contacts (active and inactive) of a client, primary first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ContactsByClient(pub Uuid);

/// One contact by id (participants of a communication).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ContactById(pub Uuid);

/// One client by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClientById(pub Uuid);

/// One job of the host system by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct JobById(pub Uuid);

/// The candidates per stage of one job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PipelineByJob(pub Uuid);

/// A candidate by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CandidateById(pub Uuid);

/// The stage history of one application, oldest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HistoryByApplication(pub Uuid);

/// A stored file (a logo) by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StoredFileById(pub Uuid);
