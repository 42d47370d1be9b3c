//! A contact person at a client, and the validated inputs that add and change one.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::values::{Email, Phone, optional_text, required_text};

/// A contact person, as stored.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Contact {
    /// Primary key.
    pub id: Uuid,
    /// The client they work for.
    pub client_id: Uuid,
    /// Full name.
    pub full_name: String,
    /// Job title.
    pub title: Option<String>,
    /// Email address.
    pub email: Option<String>,
    /// Office phone.
    pub phone: Option<String>,
    /// Mobile phone.
    pub mobile: Option<String>,
    /// The client's main contact (at most one active per client).
    pub is_primary: bool,
    /// Still a contact of ours.
    pub is_active: bool,
    /// When added.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// Raw contact fields as they arrive.
#[derive(Debug, Clone, Default)]
pub struct ContactFields {
    /// Full name.
    pub full_name: String,
    /// Job title.
    pub title: Option<String>,
    /// Email address.
    pub email: Option<String>,
    /// Office phone.
    pub phone: Option<String>,
    /// Mobile phone.
    pub mobile: Option<String>,
    /// Whether this is the primary contact.
    pub is_primary: bool,
}

/// A validated contact to insert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewContact {
    /// Full name, 1–200 characters.
    pub full_name: String,
    /// Job title.
    pub title: Option<String>,
    /// Email address.
    pub email: Option<Email>,
    /// Office phone.
    pub phone: Option<Phone>,
    /// Mobile phone.
    pub mobile: Option<Phone>,
    /// Primary contact.
    pub is_primary: bool,
}

impl NewContact {
    /// Validates the fields; problems are pushed as `<prefix><field>`.
    pub fn parse(
        fields: ContactFields,
        prefix: &str,
        errors: &mut Vec<(String, String)>,
    ) -> Option<Self> {
        let before = errors.len();
        let mut push =
            |field: &str, message: String| errors.push((format!("{prefix}{field}"), message));
        let full_name = required_text(&fields.full_name, 200)
            .map_err(|m| push("fullName", m))
            .ok();
        let title = optional_text(fields.title.as_deref(), 200)
            .map_err(|m| push("title", m))
            .ok()
            .flatten();
        let email = parse_optional(fields.email.as_deref(), Email::parse)
            .map_err(|m| push("email", m))
            .ok()
            .flatten();
        let phone = parse_optional(fields.phone.as_deref(), Phone::parse)
            .map_err(|m| push("phone", m))
            .ok()
            .flatten();
        let mobile = parse_optional(fields.mobile.as_deref(), Phone::parse)
            .map_err(|m| push("mobile", m))
            .ok()
            .flatten();
        if errors.len() > before {
            return None;
        }
        Some(Self {
            full_name: full_name?,
            title,
            email,
            phone,
            mobile,
            is_primary: fields.is_primary,
        })
    }
}

/// A blank value is absent; anything else must parse.
pub fn parse_optional<T>(
    raw: Option<&str>,
    parse: fn(&str) -> Result<T, &'static str>,
) -> Result<Option<T>, String> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => parse(text).map(Some).map_err(str::to_owned),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contact_reports_each_bad_field_with_its_prefix() {
        let mut errors = Vec::new();
        let parsed = NewContact::parse(
            ContactFields {
                full_name: "Ann Lee".into(),
                email: Some("ann(at)acme.com".into()),
                phone: Some("12".into()),
                mobile: Some("+49 151 2345 6789".into()),
                ..ContactFields::default()
            },
            "contacts[2].",
            &mut errors,
        );
        assert!(parsed.is_none());
        let fields: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["contacts[2].email", "contacts[2].phone"]);
        assert_eq!(errors[0].1, "must look like name@example.com");
    }

    #[test]
    fn blank_optional_fields_are_absent() {
        let mut errors = Vec::new();
        let parsed = NewContact::parse(
            ContactFields {
                full_name: " Ann Lee ".into(),
                email: Some("  ".into()),
                ..ContactFields::default()
            },
            "",
            &mut errors,
        )
        .expect("valid");
        assert_eq!(parsed.full_name, "Ann Lee");
        assert_eq!(parsed.email, None);
    }
}
