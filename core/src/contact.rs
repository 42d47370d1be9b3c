//! A contact person's fields as typed, and the checks both the create form and the server
//! run on them.

use crate::{
    FieldErrors,
    values::{Email, Phone, optional_text, parse_optional, required_text},
};

/// A contact as typed, before it is checked.
#[derive(Debug, Clone, Copy, Default)]
pub struct ContactFields<'a> {
    /// Full name.
    pub full_name: &'a str,
    /// Job title.
    pub title: Option<&'a str>,
    /// Email address.
    pub email: Option<&'a str>,
    /// Office phone.
    pub phone: Option<&'a str>,
    /// Mobile phone.
    pub mobile: Option<&'a str>,
    /// Whether this is the client's primary contact.
    pub is_primary: bool,
}

/// A contact, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewContact {
    /// Full name, 1–200 characters.
    pub full_name: String,
    /// Job title, up to 200.
    pub title: Option<String>,
    /// Email address.
    pub email: Option<Email>,
    /// Office phone.
    pub phone: Option<Phone>,
    /// Mobile phone.
    pub mobile: Option<Phone>,
    /// The client's primary contact.
    pub is_primary: bool,
}

impl NewContact {
    /// Checks the fields, recording each problem under its GraphQL field name.
    pub fn check(fields: ContactFields<'_>, errors: &mut FieldErrors) -> Option<Self> {
        let full_name = errors.check("fullName", required_text(fields.full_name, 200));
        let title = errors.check("title", optional_text(fields.title, 200));
        let email = errors.check("email", parse_optional(fields.email, Email::parse));
        let phone = errors.check("phone", parse_optional(fields.phone, Phone::parse));
        let mobile = errors.check("mobile", parse_optional(fields.mobile, Phone::parse));
        Some(Self {
            full_name: full_name?,
            title: title?,
            email: email?,
            phone: phone?,
            mobile: mobile?,
            is_primary: fields.is_primary,
        })
    }

    /// Checks a list of contacts, each problem named `contacts[i].field`: what the create
    /// form's contacts step runs, and the server again on `createClient`.
    pub fn check_all<'a>(
        rows: impl IntoIterator<Item = ContactFields<'a>>,
        errors: &mut FieldErrors,
    ) -> Option<Vec<Self>> {
        let checked: Vec<Option<Self>> = rows
            .into_iter()
            .enumerate()
            .map(|(i, row)| errors.nest(&format!("contacts[{i}]"), |e| Self::check(row, e)))
            .collect();
        checked.into_iter().collect()
    }

    /// The checked contact, or every problem with it.
    pub fn parse(fields: ContactFields<'_>) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let contact = Self::check(fields, &mut errors);
        errors.finish(|| contact)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contact_reports_each_bad_field_under_its_prefix() {
        let mut errors = FieldErrors::new();
        let parsed = errors.nest("contacts[2]", |e| {
            NewContact::check(
                ContactFields {
                    full_name: "Ann Lee",
                    email: Some("ann(at)acme.com"),
                    phone: Some("12"),
                    mobile: Some("+49 151 2345 6789"),
                    ..ContactFields::default()
                },
                e,
            )
        });
        assert!(parsed.is_none());
        let pairs = errors.into_pairs();
        let fields: Vec<&str> = pairs.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["contacts[2].email", "contacts[2].phone"]);
        assert_eq!(pairs[0].1, "must look like name@example.com");
    }

    #[test]
    fn blank_optional_fields_are_absent() {
        let parsed = NewContact::parse(ContactFields {
            full_name: " Ann Lee ",
            email: Some("  "),
            ..ContactFields::default()
        });
        let parsed = parsed.map_err(FieldErrors::into_pairs);
        assert_eq!(parsed.as_ref().map(|c| c.full_name.as_str()), Ok("Ann Lee"));
        assert_eq!(parsed.map(|c| c.email), Ok(None));
    }
}
