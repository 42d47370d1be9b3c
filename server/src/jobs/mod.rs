//! Jobs of the host system, the small real part client management needs: created and
//! changed by managers and admins, each with its pipeline of candidates; linked to clients
//! (softly, audited, all or nothing), with per-job figures.

pub(crate) mod graphql;
mod model;
mod service;
mod sql;

pub use model::{
    ClientJobFilter, CreateJobInput, Job, JobAnalytics, JobChange, JobFilter, NewJob, StageCount,
    UpdateJobInput, full_pipeline,
};
pub use service::{
    MAX_LINKED_AT_ONCE, create, get, is_job_of_client, jobs_of_client, link, set_status,
};
