//! Clientele's integration tests: the whole application over HTTP against real PostgreSQL,
//! a fresh database per test.

mod agreement;
mod analysts;
mod analytics;
mod attachments;
mod auth;
mod bulk;
mod clients;
mod communications;
mod contacts;
mod demo;
mod email;
mod feedback;
mod first_paint;
mod fuzz;
mod helpers;
mod hostile;
mod jobs;
mod list;
mod permissions;
mod platform;
mod reports;
mod s3;
mod service_tokens;
mod session;
mod subscriptions;
mod traces;
