//! What a client is, and the inputs that list, create and change clients. The profile's
//! field checks are `clientele_core::ClientProfile`'s, the same the app's forms run.

use async_graphql::{Enum, InputObject, MaybeUndefined, SimpleObject};
use chrono::{DateTime, Utc};
use clientele_core::{
    ClientProfile, ClientStatus, FieldErrors, NewContact, ProfileFields, optional_text,
    required_text,
};
use uuid::Uuid;

use crate::{
    contacts::ContactInput,
    graphql::scalars::{changed, optional_uuid, uuid_change},
};

/// A client company the agency recruits for.
#[derive(Debug, Clone, serde::Serialize, SimpleObject)]
#[graphql(complex)]
pub struct Client {
    /// Unique id.
    #[graphql(skip, derived(name = "id", into = "async_graphql::ID", owned))]
    pub id: Uuid,
    /// Human-friendly code, `CLT-YYYY-NNNN`.
    pub client_code: String,
    /// Company name.
    pub name: String,
    /// Industry.
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
    #[serde(serialize_with = "crate::audit::stored_spelling")]
    pub status: ClientStatus,
    /// The manager or admin looking after the account (see `accountManager`).
    #[graphql(skip)]
    pub account_manager_id: Option<Uuid>,
    /// Who created the client (see `createdBy`).
    #[graphql(skip)]
    pub created_by: Uuid,
    /// When the client was created.
    pub created_at: DateTime<Utc>,
    /// When the client last changed.
    pub updated_at: DateTime<Utc>,
    /// When the client was deactivated (null while active).
    pub deactivated_at: Option<DateTime<Utc>>,
    /// Why it was deactivated.
    pub deactivation_reason: Option<String>,
    /// More about why it was deactivated.
    pub deactivation_details: Option<String>,
    /// The logo's file (see `logo`).
    #[graphql(skip)]
    pub logo_file_id: Option<Uuid>,
}

/// Orders of the client list.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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

/// A position in the client list for keyset paging: the sort order, the sort key of the
/// last client of a page and its id. Callers see it as an opaque string (base64url JSON).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ListCursor {
    /// The order the cursor belongs to.
    #[serde(rename = "s")]
    pub sort: ClientSort,
    /// The client's sort key: its name, its code, or a time in RFC 3339.
    #[serde(rename = "k")]
    pub key: String,
    /// The client's id, which breaks ties.
    #[serde(rename = "i")]
    pub id: Uuid,
}

impl ListCursor {
    /// The position just after `client` in `sort` order (`None` for relevance, whose order
    /// depends on the search and pages by number only).
    pub fn after(client: &Client, sort: ClientSort) -> Option<Self> {
        let time = |t: &DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        let key = match sort {
            ClientSort::Relevance => return None,
            ClientSort::NameAsc | ClientSort::NameDesc => client.name.clone(),
            ClientSort::CodeAsc | ClientSort::CodeDesc => client.client_code.clone(),
            ClientSort::Newest | ClientSort::Oldest => time(&client.created_at),
            ClientSort::RecentlyUpdated => time(&client.updated_at),
        };
        Some(Self {
            sort,
            key,
            id: client.id,
        })
    }

    /// The opaque text handed to callers.
    pub fn encode(&self) -> String {
        use base64::Engine as _;
        let json = serde_json::to_vec(self).unwrap_or_default();
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)
    }

    /// Reads a cursor handed out by `encode`; anything else is refused.
    pub fn decode(text: &str) -> Result<Self, &'static str> {
        use base64::Engine as _;
        const NOT_A_CURSOR: &str = "is not a cursor of the client list";
        let json = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(text.trim())
            .map_err(|_| NOT_A_CURSOR)?;
        let cursor: Self = serde_json::from_slice(&json).map_err(|_| NOT_A_CURSOR)?;
        let key_fits = match cursor.sort {
            ClientSort::Relevance => false,
            ClientSort::NameAsc
            | ClientSort::NameDesc
            | ClientSort::CodeAsc
            | ClientSort::CodeDesc => !cursor.key.contains('\0'),
            ClientSort::Newest | ClientSort::Oldest | ClientSort::RecentlyUpdated => {
                DateTime::parse_from_rfc3339(&cursor.key).is_ok()
            }
        };
        if key_fits {
            Ok(cursor)
        } else {
            Err(NOT_A_CURSOR)
        }
    }
}

/// Clients per status, for the list's sidebar. Counts honour every filter but the status one.
#[derive(SimpleObject, Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusSummary {
    /// Active clients.
    pub active: i64,
    /// Inactive clients.
    pub inactive: i64,
    /// Clients on hold.
    pub on_hold: i64,
    /// Archived clients.
    pub archived: i64,
}

/// An industry in use and its number of clients.
#[derive(SimpleObject, Debug, Clone)]
pub struct IndustryCount {
    /// The industry as written on the clients.
    pub name: String,
    /// Clients in it, whatever their status.
    pub clients: i64,
}

/// Which clients to list.
#[derive(InputObject, Default)]
pub struct ClientFilter {
    /// Only these statuses.
    pub status: Option<Vec<ClientStatus>>,
    /// Only this industry (any case).
    pub industry: Option<String>,
    /// Only clients of this account manager.
    pub account_manager_id: Option<async_graphql::ID>,
    /// Partial, case-insensitive match on name, client code or an active contact's name.
    pub search: Option<String>,
}

/// The filters of the client list, checked: blanks dropped, ids parsed.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// Only these statuses.
    pub statuses: Option<Vec<ClientStatus>>,
    /// Only this industry (any case).
    pub industry: Option<String>,
    /// Only clients of this account manager.
    pub account_manager_id: Option<Uuid>,
    /// Partial match on name, code or contact name.
    pub search: Option<String>,
}

fn non_blank(text: Option<String>) -> Option<String> {
    text.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

impl TryFrom<ClientFilter> for ListFilter {
    type Error = FieldErrors;

    fn try_from(filter: ClientFilter) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let account_manager_id = errors.nest("filter", |e| {
            e.check(
                "accountManagerId",
                optional_uuid(filter.account_manager_id.as_ref()),
            )
        });
        errors.finish(|| {
            Some(Self {
                statuses: filter.status,
                industry: non_blank(filter.industry),
                account_manager_id: account_manager_id?,
                search: non_blank(filter.search),
            })
        })
    }
}

/// What staff set on a client: its profile, its account manager (an active manager or
/// admin, which the service checks) and its status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientSettings {
    /// Name, website, address and the rest.
    pub profile: ClientProfile,
    /// The manager or admin looking after the account.
    pub account_manager_id: Option<Uuid>,
    /// Active or on hold (the other statuses are reached by deactivating).
    pub status: ClientStatus,
}

/// A client to create, checked, with its first contacts.
#[derive(Debug, Clone)]
pub struct NewClient {
    /// What it is set to.
    pub settings: ClientSettings,
    /// Contacts; when any are given exactly one is primary.
    pub contacts: Vec<NewContact>,
    /// The caller saw the likely duplicates and creates anyway.
    pub confirm_not_duplicate: bool,
}

/// Most contacts accepted with a new client.
pub const MAX_CONTACTS_ON_CREATE: usize = 20;

/// A new client.
#[derive(InputObject, Debug, Clone, Default)]
pub struct CreateClientInput {
    /// Company name (required, up to 200 characters).
    pub name: String,
    /// Industry.
    pub industry: Option<String>,
    /// Website; `acme.com` is read as `https://acme.com`.
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
    /// Initial status: ACTIVE (default) or ON_HOLD.
    pub status: Option<ClientStatus>,
    /// An active manager or admin.
    pub account_manager_id: Option<async_graphql::ID>,
    /// Contact persons; when any are given, exactly one has `isPrimary: true`.
    #[graphql(default)]
    pub contacts: Vec<ContactInput>,
    /// Create even though likely duplicates exist (after the caller has seen them).
    #[graphql(default = false)]
    pub confirm_not_duplicate: bool,
}

impl TryFrom<&CreateClientInput> for NewClient {
    type Error = FieldErrors;

    /// Checks the whole input at once; contact problems are named `contacts[i].field`.
    fn try_from(input: &CreateClientInput) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let profile = ClientProfile::check(
            ProfileFields {
                name: &input.name,
                industry: input.industry.as_deref(),
                website: input.website.as_deref(),
                address: input.address.as_deref(),
                city: input.city.as_deref(),
                state: input.state.as_deref(),
                country: input.country.as_deref(),
                postal_code: input.postal_code.as_deref(),
            },
            &mut errors,
        );
        let account_manager_id = errors.check(
            "accountManagerId",
            optional_uuid(input.account_manager_id.as_ref()),
        );
        let status = input.status.unwrap_or(ClientStatus::Active);
        if !status.is_editable() {
            errors.add("status", "a new client is active or on hold");
        }
        if input.contacts.len() > MAX_CONTACTS_ON_CREATE {
            errors.add(
                "contacts",
                format!("at most {MAX_CONTACTS_ON_CREATE} contacts at creation"),
            );
        }
        let primaries = input.contacts.iter().filter(|c| c.is_primary).count();
        if !input.contacts.is_empty() && primaries != 1 {
            errors.add(
                "contacts",
                format!("exactly one contact must be primary ({primaries} are)"),
            );
        }
        let contacts =
            NewContact::check_all(input.contacts.iter().map(ContactInput::fields), &mut errors);
        errors.finish(|| {
            Some(Self {
                settings: ClientSettings {
                    profile: profile?,
                    account_manager_id: account_manager_id?,
                    status,
                },
                contacts: contacts?,
                confirm_not_duplicate: input.confirm_not_duplicate,
            })
        })
    }
}

/// Changes to a client; omitted fields stay as they are, `null` clears an optional one.
#[derive(InputObject, Debug, Default)]
#[graphql(name = "UpdateClientInput")]
pub struct ClientPatch {
    /// Company name.
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
    /// An active manager or admin, or null for none.
    pub account_manager_id: MaybeUndefined<async_graphql::ID>,
    /// ACTIVE or ON_HOLD (deactivation has its own mutation).
    pub status: Option<ClientStatus>,
    /// Go ahead even if the new name or website looks like another client's.
    #[graphql(default = false)]
    pub confirm_not_duplicate: bool,
}

impl ClientPatch {
    /// What the client is set to after this change, checked as a whole.
    pub fn apply(&self, current: &Client) -> Result<ClientSettings, FieldErrors> {
        let mut errors = FieldErrors::new();
        let profile = ClientProfile::check(
            ProfileFields {
                name: self.name.as_deref().unwrap_or(&current.name),
                industry: changed(&self.industry, &current.industry),
                website: changed(&self.website, &current.website),
                address: changed(&self.address, &current.address),
                city: changed(&self.city, &current.city),
                state: changed(&self.state, &current.state),
                country: changed(&self.country, &current.country),
                postal_code: changed(&self.postal_code, &current.postal_code),
            },
            &mut errors,
        );
        let account_manager_id = errors
            .check("accountManagerId", uuid_change(&self.account_manager_id))
            .map(|change| match change {
                MaybeUndefined::Undefined => current.account_manager_id,
                MaybeUndefined::Null => None,
                MaybeUndefined::Value(id) => Some(id),
            });
        let status = match self.status {
            None => current.status,
            Some(status) if status.is_editable() && current.status.is_editable() => status,
            Some(_) => {
                errors.add(
                    "status",
                    "only active ↔ on hold here; use deactivateClient or reactivateClient",
                );
                current.status
            }
        };
        errors.finish(|| {
            Some(ClientSettings {
                profile: profile?,
                account_manager_id: account_manager_id?,
                status,
            })
        })
    }
}

/// Why a client is deactivated, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deactivation {
    /// Why, in a few words (required, up to 200 characters).
    pub reason: String,
    /// More about why (up to 2000).
    pub details: Option<String>,
    /// Archive rather than deactivate.
    pub archive: bool,
}

impl Deactivation {
    /// Checks the reason and details.
    pub fn parse(reason: &str, details: Option<&str>, archive: bool) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let reason = errors.check("reason", required_text(reason, 200));
        let details = errors.check("details", optional_text(details, 2000));
        errors.finish(|| {
            Some(Self {
                reason: reason?,
                details: details?,
                archive,
            })
        })
    }

    /// The status the client ends in.
    pub fn status(&self) -> ClientStatus {
        if self.archive {
            ClientStatus::Archived
        } else {
            ClientStatus::Inactive
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(name: &str, email: &str, primary: bool) -> ContactInput {
        ContactInput {
            full_name: name.to_owned(),
            email: Some(email.to_owned()),
            is_primary: primary,
            ..ContactInput::default()
        }
    }

    fn stored(name: &str) -> Client {
        let at = |text: &str| {
            DateTime::parse_from_rfc3339(text)
                .map(|t| t.with_timezone(&Utc))
                .expect("a time")
        };
        Client {
            id: Uuid::from_u128(7),
            client_code: "CLT-2026-0042".into(),
            name: name.into(),
            industry: None,
            website: None,
            address: None,
            city: None,
            state: None,
            country: None,
            postal_code: None,
            status: ClientStatus::Active,
            account_manager_id: None,
            created_by: Uuid::from_u128(1),
            created_at: at("2026-03-01T10:00:00.000123Z"),
            updated_at: at("2026-04-01T10:00:00Z"),
            deactivated_at: None,
            deactivation_reason: None,
            deactivation_details: None,
            logo_file_id: None,
        }
    }

    #[test]
    fn a_cursor_holds_the_sort_key_of_its_order_and_reads_back() {
        let client = stored("Müller & Söhne");
        let keys = [
            (ClientSort::NameAsc, "Müller & Söhne"),
            (ClientSort::NameDesc, "Müller & Söhne"),
            (ClientSort::CodeAsc, "CLT-2026-0042"),
            (ClientSort::CodeDesc, "CLT-2026-0042"),
            (ClientSort::Newest, "2026-03-01T10:00:00.000123Z"),
            (ClientSort::Oldest, "2026-03-01T10:00:00.000123Z"),
            (ClientSort::RecentlyUpdated, "2026-04-01T10:00:00.000000Z"),
        ];
        for (sort, key) in keys {
            let cursor = ListCursor::after(&client, sort).expect("a cursor");
            assert_eq!(
                (cursor.sort, cursor.key.as_str(), cursor.id),
                (sort, key, client.id)
            );
            let text = cursor.encode();
            assert!(
                text.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            );
            assert_eq!(ListCursor::decode(&text), Ok(cursor));
        }
        assert_eq!(ListCursor::after(&client, ClientSort::Relevance), None);
    }

    #[test]
    fn only_cursors_this_list_handed_out_are_read() {
        use base64::Engine as _;
        let encode = |json: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json);
        let id = Uuid::from_u128(7);
        for text in [
            "".to_owned(),
            "not base64!".to_owned(),
            encode("[1, 2]"),
            encode(&format!(r#"{{"s":"Newest","k":"yesterday","i":"{id}"}}"#)),
            encode(&format!(r#"{{"s":"Relevance","k":"acme","i":"{id}"}}"#)),
            encode(&format!(r#"{{"s":"NameAsc","k":"a\u0000b","i":"{id}"}}"#)),
            encode(r#"{"s":"NameAsc","k":"acme","i":"not an id"}"#),
        ] {
            assert!(ListCursor::decode(&text).is_err(), "{text}");
        }
        let good = encode(&format!(r#"{{"s":"NameAsc","k":"acme","i":"{id}"}}"#));
        assert!(ListCursor::decode(&good).is_ok());
    }

    fn problems(input: &CreateClientInput) -> Vec<String> {
        match NewClient::try_from(input) {
            Err(errors) => errors.fields().map(str::to_owned).collect(),
            Ok(new) => panic!("expected problems, got {new:?}"),
        }
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let input = CreateClientInput {
            name: "  ".to_owned(),
            website: Some("not a site".to_owned()),
            account_manager_id: Some("nope".into()),
            contacts: vec![
                contact("Ann", "ann@", true),
                contact("", "bob@acme.com", false),
            ],
            ..CreateClientInput::default()
        };
        let mut got = problems(&input);
        got.sort();
        assert_eq!(
            got,
            [
                "accountManagerId",
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
            let input = CreateClientInput {
                name: "Acme".to_owned(),
                contacts: vec![
                    contact("Ann", "ann@acme.com", primaries[0]),
                    contact("Bob", "bob@acme.com", primaries[1]),
                ],
                ..CreateClientInput::default()
            };
            assert_eq!(problems(&input), ["contacts"]);
        }
        let input = CreateClientInput {
            name: "Acme".to_owned(),
            contacts: vec![
                contact("Ann", "ann@acme.com", true),
                contact("Bob", "bob@acme.com", false),
            ],
            ..CreateClientInput::default()
        };
        assert!(NewClient::try_from(&input).is_ok());
    }

    #[test]
    fn a_new_client_cannot_start_inactive() {
        let input = CreateClientInput {
            name: "Acme".to_owned(),
            status: Some(ClientStatus::Inactive),
            ..CreateClientInput::default()
        };
        assert_eq!(problems(&input), ["status"]);
    }

    #[test]
    fn a_deactivation_needs_a_reason() {
        let fields: Vec<String> = Deactivation::parse(" ", None, false)
            .err()
            .map(|e| e.fields().map(str::to_owned).collect())
            .unwrap_or_default();
        assert_eq!(fields, ["reason"]);
        assert_eq!(
            Deactivation::parse("Contract ended", Some(" "), true).map(|d| d.status()),
            Ok(ClientStatus::Archived)
        );
    }
}
