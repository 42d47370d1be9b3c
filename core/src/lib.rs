//! The value types and rules that both sides of Clientele use: the server, which decides,
//! and the web app, which checks a form before sending it. One copy of each rule, so the
//! app never accepts what the server refuses (or the other way round).
//!
//! No server dependencies: the crate builds for wasm32. The server turns on the `graphql`
//! feature (the enums become GraphQL enums) and `sqlx` (they are stored as text).
//! Serialised with serde, the enums use their GraphQL spelling (`ON_HOLD`), which is what
//! travels between the app and the server.

#[macro_use]
mod text_enum;
mod field_errors;

/// Client statuses, codes and the profile fields of a client.
pub mod client;
/// Communication types, job statuses and report statuses.
pub mod communication;
/// Contact persons' fields.
pub mod contact;
/// Feedback periods and ratings.
pub mod feedback;
/// Roles and the role matrix.
pub mod roles;
/// Emails, phone numbers, websites and bounded text.
pub mod values;

pub use client::{ClientCode, ClientProfile, ClientStatus, ProfileFields};
pub use communication::{ApplicationStage, CommunicationType, JobStatus, ReportKind, ReportStatus};
pub use contact::{ContactFields, NewContact};
pub use feedback::{Criterion, FeedbackPeriod, Rating};
pub use field_errors::FieldErrors;
pub use roles::{Permission, Role};
pub use values::{Email, Phone, Website, optional_text, required_text};
