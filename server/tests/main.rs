//! Clientele's integration tests: the whole application over HTTP against real PostgreSQL,
//! a fresh database per test.

mod agreement;
mod analytics;
mod attachments;
mod auth;
mod clients;
mod communications;
mod contacts;
mod demo;
mod feedback;
mod fuzz;
mod helpers;
mod hostile;
mod jobs;
mod list;
mod permissions;
mod platform;
mod reports;
mod s3;
mod subscriptions;
