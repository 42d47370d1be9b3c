//! Candidates of the host system and their applications: added and moved through the
//! pipeline by recruiters, managers and admins, every stage recorded with who and when (the
//! dashboard's funnel and activity read it).

pub(crate) mod graphql;
mod model;
mod service;
mod sql;

pub use model::{Application, Candidate, CreateCandidateInput, NewCandidate, StageChange};
pub use service::{apply, create, move_to};
