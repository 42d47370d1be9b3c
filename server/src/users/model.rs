//! A staff user and the input that creates one.

use async_graphql::{InputObject, SimpleObject};
use chrono::{DateTime, Utc};
use clientele_core::{Email, FieldErrors, Role, required_text};
use uuid::Uuid;

/// A staff member.
#[derive(Debug, Clone, SimpleObject)]
pub struct User {
    /// Unique id.
    #[graphql(skip, derived(name = "id", into = "async_graphql::ID", owned))]
    pub id: Uuid,
    /// Sign-in email address.
    pub email: String,
    /// Full name.
    pub full_name: String,
    /// Role, which decides what this user may do.
    pub role: Role,
    /// False once the account is switched off.
    pub is_active: bool,
    /// An internal service acting through a service token, not a person: it cannot sign
    /// in, and is never anyone's account manager.
    pub is_service: bool,
    /// When the account was added.
    pub created_at: DateTime<Utc>,
}

/// A new staff account.
#[derive(InputObject)]
pub struct CreateUserInput {
    /// Sign-in email, unique whatever its case.
    pub email: String,
    /// Full name.
    pub full_name: String,
    /// Role.
    pub role: Role,
    /// Initial password, at least 10 characters.
    pub password: String,
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

impl TryFrom<CreateUserInput> for NewUser {
    type Error = FieldErrors;

    fn try_from(input: CreateUserInput) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let email = errors.check("email", Email::parse(&input.email));
        let full_name = errors.check("fullName", required_text(&input.full_name, 200));
        if input.password.chars().count() < MIN_PASSWORD_LENGTH {
            errors.add(
                "password",
                format!("must be at least {MIN_PASSWORD_LENGTH} characters"),
            );
        }
        errors.finish(|| {
            Some(Self {
                email: email?,
                full_name: full_name?,
                role: input.role,
                password: input.password,
            })
        })
    }
}
