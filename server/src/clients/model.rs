//! What a client is, and the validated inputs that create and change one.

use std::{fmt, str::FromStr};

use async_graphql::{Enum, MaybeUndefined};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::{
    contacts::model::NewContact,
    error::{ApiResult, AppError},
    values::{Website, optional_text, required_text},
};

/// Where a client stands with the agency.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClientStatus {
    /// Working with us now.
    Active,
    /// Deactivated by an admin, with a reason.
    Inactive,
    /// Paused: no new work for now.
    OnHold,
    /// Kept for the record only.
    Archived,
}

crate::db_text_enum!(ClientStatus {
    Active => "active",
    Inactive => "inactive",
    OnHold => "on-hold",
    Archived => "archived",
});

/// Orders of the client list.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientSort {
    /// Best match for `search` first (the default when searching).
    Relevance,
    /// Name A–Z (the default otherwise).
    NameAsc,
    /// Name Z–A.
    NameDesc,
    /// Client code ascending.
    CodeAsc,
    /// Client code descending.
    CodeDesc,
    /// Newest first.
    Newest,
    /// Oldest first.
    Oldest,
    /// Most recently changed first.
    RecentlyUpdated,
}

/// A client code, `CLT-<year>-<number>` with at least four digits (`CLT-2026-0042`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ClientCode(String);

impl ClientCode {
    /// The code of the `number`th client created in `year`.
    pub fn new(year: i32, number: i32) -> Self {
        Self(format!("CLT-{year:04}-{number:04}"))
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for ClientCode {
    type Err = &'static str;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut parts = text.split('-');
        let ok = parts.next() == Some("CLT")
            && parts
                .next()
                .is_some_and(|y| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
            && parts
                .next()
                .is_some_and(|n| n.len() >= 4 && n.bytes().all(|b| b.is_ascii_digit()))
            && parts.next().is_none();
        if ok {
            Ok(Self(text.to_owned()))
        } else {
            Err("must look like CLT-2026-0001")
        }
    }
}

impl fmt::Display for ClientCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A client company, as stored.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Client {
    /// Primary key.
    pub id: Uuid,
    /// `CLT-YYYY-NNNN`.
    pub client_code: String,
    /// Company name.
    pub name: String,
    /// Industry, free text.
    pub industry: Option<String>,
    /// Website URL.
    pub website: Option<String>,
    /// Street address.
    pub address: Option<String>,
    /// City.
    pub city: Option<String>,
    /// State or region.
    pub state: Option<String>,
    /// Country.
    pub country: Option<String>,
    /// Postal code.
    pub postal_code: Option<String>,
    /// Where the client stands.
    pub status: ClientStatus,
    /// The manager or admin looking after the account.
    pub account_manager_id: Option<Uuid>,
    /// Who created the client.
    pub created_by: Uuid,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// When it was deactivated, if it is.
    pub deactivated_at: Option<DateTime<Utc>>,
    /// Why it was deactivated.
    pub deactivation_reason: Option<String>,
    /// More about why.
    pub deactivation_details: Option<String>,
}

/// The editable profile of a client, validated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientProfile {
    /// Company name, 1–200 characters.
    pub name: String,
    /// Industry.
    pub industry: Option<String>,
    /// Website.
    pub website: Option<Website>,
    /// Street address.
    pub address: Option<String>,
    /// City.
    pub city: Option<String>,
    /// State or region.
    pub state: Option<String>,
    /// Country.
    pub country: Option<String>,
    /// Postal code.
    pub postal_code: Option<String>,
    /// Account manager (checked against the users table by the service).
    pub account_manager_id: Option<Uuid>,
}

/// Raw profile fields as they arrive, before validation.
#[derive(Debug, Clone, Default)]
pub struct ProfileFields<'a> {
    /// Company name.
    pub name: &'a str,
    /// Industry.
    pub industry: Option<&'a str>,
    /// Website.
    pub website: Option<&'a str>,
    /// Street address.
    pub address: Option<&'a str>,
    /// City.
    pub city: Option<&'a str>,
    /// State or region.
    pub state: Option<&'a str>,
    /// Country.
    pub country: Option<&'a str>,
    /// Postal code.
    pub postal_code: Option<&'a str>,
    /// Account manager.
    pub account_manager_id: Option<Uuid>,
}

impl ClientProfile {
    /// Validates the fields, collecting every problem under its GraphQL field name.
    pub fn parse(fields: ProfileFields<'_>, errors: &mut Vec<(String, String)>) -> Option<Self> {
        let before = errors.len();
        let mut text = |field: &str, value: Option<&str>, max: usize| {
            optional_text(value, max)
                .map_err(|m| errors.push((field.to_owned(), m)))
                .ok()
                .flatten()
        };
        let industry = text("industry", fields.industry, 100);
        let address = text("address", fields.address, 300);
        let city = text("city", fields.city, 100);
        let state = text("state", fields.state, 100);
        let country = text("country", fields.country, 100);
        let postal_code = text("postalCode", fields.postal_code, 20);
        let name = required_text(fields.name, 200)
            .map_err(|m| errors.push(("name".to_owned(), m)))
            .ok();
        let website = match optional_text(fields.website, 300) {
            Ok(Some(raw)) => Website::parse(&raw)
                .map_err(|m| errors.push(("website".to_owned(), m.to_owned())))
                .ok(),
            Ok(None) => None,
            Err(m) => {
                errors.push(("website".to_owned(), m));
                None
            }
        };
        if errors.len() > before {
            return None;
        }
        Some(Self {
            name: name?,
            industry,
            website,
            address,
            city,
            state,
            country,
            postal_code,
            account_manager_id: fields.account_manager_id,
        })
    }
}

/// A validated new client with its first contacts.
#[derive(Debug, Clone)]
pub struct NewClient {
    /// Its profile.
    pub profile: ClientProfile,
    /// Initial status: active or on hold.
    pub status: ClientStatus,
    /// Contacts; when any are given exactly one is primary.
    pub contacts: Vec<NewContact>,
    /// The caller saw the likely duplicates and creates anyway.
    pub confirm_not_duplicate: bool,
}

/// Most contacts accepted with a new client.
pub const MAX_CONTACTS_ON_CREATE: usize = 20;

impl NewClient {
    /// Checks the whole input; contact errors are reported as `contacts[i].field`.
    pub fn parse(
        profile: ProfileFields<'_>,
        status: Option<ClientStatus>,
        contacts: Vec<crate::contacts::model::ContactFields>,
        confirm_not_duplicate: bool,
    ) -> ApiResult<Self> {
        let mut errors = Vec::new();
        let profile = ClientProfile::parse(profile, &mut errors);
        let status = status.unwrap_or(ClientStatus::Active);
        if !matches!(status, ClientStatus::Active | ClientStatus::OnHold) {
            errors.push((
                "status".to_owned(),
                "a new client is active or on hold".to_owned(),
            ));
        }
        if contacts.len() > MAX_CONTACTS_ON_CREATE {
            errors.push((
                "contacts".to_owned(),
                format!("at most {MAX_CONTACTS_ON_CREATE} contacts at creation"),
            ));
        }
        let primaries = contacts.iter().filter(|c| c.is_primary).count();
        if !contacts.is_empty() && primaries != 1 {
            errors.push((
                "contacts".to_owned(),
                format!("exactly one contact must be primary ({primaries} are)"),
            ));
        }
        let contacts: Vec<NewContact> = contacts
            .into_iter()
            .enumerate()
            .filter_map(|(i, fields)| {
                NewContact::parse(fields, &format!("contacts[{i}]."), &mut errors)
            })
            .collect();
        match profile {
            Some(profile) if errors.is_empty() => Ok(Self {
                profile,
                status,
                contacts,
                confirm_not_duplicate,
            }),
            _ => Err(AppError::Validation(errors)),
        }
    }
}

/// A partial change to a client: undefined fields stay, `null` clears an optional field.
#[derive(Debug, Default)]
pub struct ClientPatch {
    /// New name.
    pub name: Option<String>,
    /// Industry.
    pub industry: MaybeUndefined<String>,
    /// Website.
    pub website: MaybeUndefined<String>,
    /// Street address.
    pub address: MaybeUndefined<String>,
    /// City.
    pub city: MaybeUndefined<String>,
    /// State or region.
    pub state: MaybeUndefined<String>,
    /// Country.
    pub country: MaybeUndefined<String>,
    /// Postal code.
    pub postal_code: MaybeUndefined<String>,
    /// Account manager.
    pub account_manager_id: MaybeUndefined<Uuid>,
    /// New status (active or on hold only; the service checks).
    pub status: Option<ClientStatus>,
    /// The caller saw the likely duplicates of a new name or website and goes ahead.
    pub confirm_not_duplicate: bool,
}

fn merged<'a>(change: &'a MaybeUndefined<String>, current: &'a Option<String>) -> Option<&'a str> {
    match change {
        MaybeUndefined::Undefined => current.as_deref(),
        MaybeUndefined::Null => None,
        MaybeUndefined::Value(v) => Some(v),
    }
}

impl ClientPatch {
    /// The profile after this change, validated as a whole.
    pub fn apply(&self, current: &Client) -> ApiResult<ClientProfile> {
        let mut errors = Vec::new();
        let fields = ProfileFields {
            name: self.name.as_deref().unwrap_or(&current.name),
            industry: merged(&self.industry, &current.industry),
            website: merged(&self.website, &current.website),
            address: merged(&self.address, &current.address),
            city: merged(&self.city, &current.city),
            state: merged(&self.state, &current.state),
            country: merged(&self.country, &current.country),
            postal_code: merged(&self.postal_code, &current.postal_code),
            account_manager_id: match self.account_manager_id {
                MaybeUndefined::Undefined => current.account_manager_id,
                MaybeUndefined::Null => None,
                MaybeUndefined::Value(id) => Some(id),
            },
        };
        ClientProfile::parse(fields, &mut errors).ok_or(AppError::Validation(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contacts::model::ContactFields;

    fn contact(name: &str, email: &str, primary: bool) -> ContactFields {
        ContactFields {
            full_name: name.to_owned(),
            email: Some(email.to_owned()),
            is_primary: primary,
            ..ContactFields::default()
        }
    }

    fn fields(errors: Result<NewClient, AppError>) -> Vec<String> {
        match errors {
            Err(AppError::Validation(f)) => f.into_iter().map(|(k, _)| k).collect(),
            other => panic!("expected validation errors, got {other:?}"),
        }
    }

    #[test]
    fn client_codes_have_four_digits_at_least() {
        assert_eq!(ClientCode::new(2026, 7).as_str(), "CLT-2026-0007");
        assert_eq!(ClientCode::new(2026, 12345).as_str(), "CLT-2026-12345");
        for good in ["CLT-2026-0001", "CLT-2024-12345"] {
            assert!(good.parse::<ClientCode>().is_ok(), "{good}");
        }
        for bad in [
            "CLT-26-0001",
            "CLT-2026-001",
            "clt-2026-0001",
            "CLT-2026-0001-1",
            "CLT-2026-00a1",
        ] {
            assert!(bad.parse::<ClientCode>().is_err(), "{bad}");
        }
    }

    #[test]
    fn statuses_keep_their_database_spelling() {
        assert_eq!(ClientStatus::OnHold.as_str(), "on-hold");
        assert_eq!(
            "on-hold".parse::<ClientStatus>().ok(),
            Some(ClientStatus::OnHold)
        );
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let result = NewClient::parse(
            ProfileFields {
                name: "  ",
                website: Some("not a site"),
                ..ProfileFields::default()
            },
            None,
            vec![
                contact("Ann", "ann@", true),
                contact("", "bob@acme.com", false),
            ],
            false,
        );
        let mut got = fields(result);
        got.sort();
        assert_eq!(
            got,
            [
                "contacts[0].email",
                "contacts[1].fullName",
                "name",
                "website"
            ]
        );
    }

    #[test]
    fn contacts_need_exactly_one_primary() {
        for primaries in [[false, false], [true, true]] {
            let result = NewClient::parse(
                ProfileFields {
                    name: "Acme",
                    ..ProfileFields::default()
                },
                None,
                vec![
                    contact("Ann", "ann@acme.com", primaries[0]),
                    contact("Bob", "bob@acme.com", primaries[1]),
                ],
                false,
            );
            assert_eq!(fields(result), ["contacts"]);
        }
        let ok = NewClient::parse(
            ProfileFields {
                name: "Acme",
                ..ProfileFields::default()
            },
            None,
            vec![
                contact("Ann", "ann@acme.com", true),
                contact("Bob", "bob@acme.com", false),
            ],
            false,
        );
        assert!(ok.is_ok());
    }

    #[test]
    fn a_new_client_cannot_start_inactive() {
        let result = NewClient::parse(
            ProfileFields {
                name: "Acme",
                ..ProfileFields::default()
            },
            Some(ClientStatus::Inactive),
            vec![],
            false,
        );
        assert_eq!(fields(result), ["status"]);
    }
}
