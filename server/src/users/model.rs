//! A staff user and the input that creates one.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::{
    auth::Role,
    error::{ApiResult, AppError},
    values::{Email, required_text},
};

/// A staff member.
#[derive(Debug, Clone)]
pub struct User {
    /// Primary key.
    pub id: Uuid,
    /// Sign-in address, unique whatever its case.
    pub email: String,
    /// Name as shown to colleagues.
    pub full_name: String,
    /// What they may do.
    pub role: Role,
    /// Inactive users cannot sign in or manage accounts.
    pub is_active: bool,
    /// When the account was added.
    pub created_at: DateTime<Utc>,
}

/// A validated new staff account.
#[derive(Debug)]
pub struct NewUser {
    /// Sign-in address.
    pub email: Email,
    /// Display name.
    pub full_name: String,
    /// Role.
    pub role: Role,
    /// Plain password, hashed before it is stored.
    pub password: String,
}

/// Shortest password accepted for a new account.
pub const MIN_PASSWORD_LENGTH: usize = 10;

impl NewUser {
    /// Validates every field, reporting all problems at once.
    pub fn parse(email: &str, full_name: &str, role: Role, password: String) -> ApiResult<Self> {
        let mut errors = Vec::new();
        let email =
            Email::parse(email).map_err(|m| errors.push(("email".to_owned(), m.to_owned())));
        let full_name =
            required_text(full_name, 200).map_err(|m| errors.push(("fullName".to_owned(), m)));
        if password.chars().count() < MIN_PASSWORD_LENGTH {
            errors.push((
                "password".to_owned(),
                format!("must be at least {MIN_PASSWORD_LENGTH} characters"),
            ));
        }
        match (email, full_name) {
            (Ok(email), Ok(full_name)) if errors.is_empty() => Ok(Self {
                email,
                full_name,
                role,
                password,
            }),
            _ => Err(AppError::Validation(errors)),
        }
    }
}
