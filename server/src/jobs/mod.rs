//! Jobs of the host system: what a client hires for. For now what client management reads
//! of them (a communication's job reference); creating and linking jobs comes with the
//! jobs and dashboard work.

pub(crate) mod graphql;
mod model;
mod service;
mod sql;

pub use model::Job;
pub use service::{is_job_of_client, jobs_of_client};
