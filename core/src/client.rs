//! A client's status, its code, and the profile fields staff type in: the rules the create
//! and edit forms check in the browser and the server checks again.

use std::{fmt, str::FromStr};

use crate::{
    FieldErrors,
    values::{Website, optional_text, required_text},
};

/// Where a client stands with the agency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
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

text_enum!(ClientStatus {
    Active => "active",
    Inactive => "inactive",
    OnHold => "on-hold",
    Archived => "archived",
});

impl ClientStatus {
    /// The status as people read it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Active => "Active",
            Self::Inactive => "Inactive",
            Self::OnHold => "On hold",
            Self::Archived => "Archived",
        }
    }

    /// Whether staff may set this status by editing the client (the others are reached by
    /// deactivating or reactivating it).
    pub fn is_editable(self) -> bool {
        matches!(self, Self::Active | Self::OnHold)
    }
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
        let digits = |part: Option<&str>, min: usize, max: usize| {
            part.is_some_and(|p| {
                (min..=max).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
            })
        };
        let ok = parts.next() == Some("CLT")
            && digits(parts.next(), 4, 4)
            && digits(parts.next(), 4, usize::MAX)
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

/// A client's profile as typed, before it is checked.
#[derive(Debug, Clone, Copy, Default)]
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
}

/// A client's profile, checked: trimmed, blanks absent, lengths bounded, website normalised.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientProfile {
    /// Company name, 1–200 characters.
    pub name: String,
    /// Industry, up to 100.
    pub industry: Option<String>,
    /// Website.
    pub website: Option<Website>,
    /// Street address, up to 300.
    pub address: Option<String>,
    /// City, up to 100.
    pub city: Option<String>,
    /// State or region, up to 100.
    pub state: Option<String>,
    /// Country, up to 100.
    pub country: Option<String>,
    /// Postal code, up to 20.
    pub postal_code: Option<String>,
}

impl ClientProfile {
    /// Checks the fields, recording each problem under its GraphQL field name.
    pub fn check(fields: ProfileFields<'_>, errors: &mut FieldErrors) -> Option<Self> {
        let name = errors.check("name", required_text(fields.name, 200));
        let industry = errors.check("industry", optional_text(fields.industry, 100));
        let website = errors.check(
            "website",
            optional_text(fields.website, 300).and_then(|site| {
                site.map(|s| Website::parse(&s).map_err(str::to_owned))
                    .transpose()
            }),
        );
        let address = errors.check("address", optional_text(fields.address, 300));
        let city = errors.check("city", optional_text(fields.city, 100));
        let state = errors.check("state", optional_text(fields.state, 100));
        let country = errors.check("country", optional_text(fields.country, 100));
        let postal_code = errors.check("postalCode", optional_text(fields.postal_code, 20));
        Some(Self {
            name: name?,
            industry: industry?,
            website: website?,
            address: address?,
            city: city?,
            state: state?,
            country: country?,
            postal_code: postal_code?,
        })
    }

    /// The checked profile, or every problem with it.
    pub fn parse(fields: ProfileFields<'_>) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let profile = Self::check(fields, &mut errors);
        errors.finish(|| profile)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn statuses_keep_their_stored_and_wire_spellings() {
        assert_eq!(ClientStatus::OnHold.as_str(), "on-hold");
        assert_eq!(
            "on-hold".parse::<ClientStatus>().ok(),
            Some(ClientStatus::OnHold)
        );
        assert_eq!(
            serde_json::to_string(&ClientStatus::OnHold).ok().as_deref(),
            Some("\"ON_HOLD\"")
        );
    }

    #[test]
    fn every_bad_profile_field_is_reported_at_once() {
        let long = "x".repeat(101);
        let errors = ClientProfile::parse(ProfileFields {
            name: "  ",
            website: Some("not a site"),
            city: Some(&long),
            ..ProfileFields::default()
        })
        .err()
        .map(|e| e.into_map());
        let fields: Vec<String> = errors.into_iter().flatten().map(|(f, _)| f).collect();
        assert_eq!(fields, ["city", "name", "website"]);
    }

    #[test]
    fn a_profile_is_trimmed_and_blanks_are_absent() {
        let profile = ClientProfile::parse(ProfileFields {
            name: "  Initech ",
            industry: Some("   "),
            website: Some("initech.com"),
            ..ProfileFields::default()
        });
        let profile = profile.map_err(|e| e.into_pairs());
        assert_eq!(profile.as_ref().map(|p| p.name.as_str()), Ok("Initech"));
        assert_eq!(profile.as_ref().map(|p| p.industry.clone()), Ok(None));
        assert_eq!(
            profile.map(|p| p.website.map(|w| w.as_str().to_owned())),
            Ok(Some("https://initech.com".to_owned()))
        );
    }
}
