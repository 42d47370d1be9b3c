//! The client profile fields, shared by the create form's first step and the edit form.

use std::collections::BTreeMap;

use clientele_core::{ClientProfile, ProfileFields};
use leptos::prelude::*;

use super::{Picker, TextField};

/// The editable profile of a client, one signal a field.
#[derive(Clone, Copy)]
pub struct ProfileDraft {
    /// Company name.
    pub name: RwSignal<String>,
    /// Industry.
    pub industry: RwSignal<String>,
    /// Website.
    pub website: RwSignal<String>,
    /// Street address.
    pub address: RwSignal<String>,
    /// City.
    pub city: RwSignal<String>,
    /// State or region.
    pub region: RwSignal<String>,
    /// Country.
    pub country: RwSignal<String>,
    /// Postal code.
    pub postal_code: RwSignal<String>,
    /// Account manager id ("" for none).
    pub manager: RwSignal<String>,
}

/// A trimmed value, `None` when blank.
pub fn filled(signal: RwSignal<String>) -> Option<String> {
    let value = signal.get_untracked();
    let trimmed = value.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

impl ProfileDraft {
    /// A draft starting from these values.
    pub fn new(values: [Option<String>; 9]) -> Self {
        let [
            name,
            industry,
            website,
            address,
            city,
            region,
            country,
            postal_code,
            manager,
        ] = values.map(|v| RwSignal::new(v.unwrap_or_default()));
        Self {
            name,
            industry,
            website,
            address,
            city,
            region,
            country,
            postal_code,
            manager,
        }
    }

    /// The profile as the forms send it: trimmed, blanks left out (read without tracking).
    pub fn values(&self) -> ProfileValues {
        ProfileValues {
            name: self.name.get_untracked().trim().to_owned(),
            industry: filled(self.industry),
            website: filled(self.website),
            address: filled(self.address),
            city: filled(self.city),
            state: filled(self.region),
            country: filled(self.country),
            postal_code: filled(self.postal_code),
            account_manager_id: filled(self.manager),
        }
    }

    /// The server's own profile checks, run before sending: field → message.
    pub fn problems(&self) -> BTreeMap<String, String> {
        let v = self.values();
        ClientProfile::parse(ProfileFields {
            name: &v.name,
            industry: v.industry.as_deref(),
            website: v.website.as_deref(),
            address: v.address.as_deref(),
            city: v.city.as_deref(),
            state: v.state.as_deref(),
            country: v.country.as_deref(),
            postal_code: v.postal_code.as_deref(),
        })
        .err()
        .map(|errors| errors.into_map())
        .unwrap_or_default()
    }
}

/// A client's profile as the create and edit forms send it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProfileValues {
    /// Company name.
    pub name: String,
    /// Industry.
    pub industry: Option<String>,
    /// Website.
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
    /// Account manager id.
    pub account_manager_id: Option<String>,
}

/// The profile inputs, with the server's (or the browser's) message under each.
#[component]
pub fn ProfileForm(
    /// The values.
    draft: ProfileDraft,
    /// Field → message.
    errors: RwSignal<BTreeMap<String, String>>,
    /// Managers and admins to pick the account manager from.
    managers: Signal<Vec<(String, String)>>,
    /// Called when the name field loses focus (the duplicate check).
    #[prop(optional)]
    on_name_blur: Option<Callback<()>>,
) -> impl IntoView {
    let error_of =
        move |field: &'static str| Signal::derive(move || errors.with(|e| e.get(field).cloned()));
    view! {
        <div class="grid-2">
            <TextField label="Name" value=draft.name error=error_of("name") required=true on_blur=on_name_blur/>
            <TextField label="Industry" value=draft.industry error=error_of("industry")/>
            <TextField label="Website" value=draft.website error=error_of("website")/>
            <Picker
                id="account-manager"
                label="Account manager"
                empty="None"
                value=draft.manager
                options=managers
                on_change=Callback::new(move |value: String| draft.manager.set(value))
                error=error_of("accountManagerId")
            />
            <TextField label="Address" value=draft.address error=error_of("address")/>
            <TextField label="City" value=draft.city error=error_of("city")/>
            <TextField label="State or region" value=draft.region error=error_of("state")/>
            <TextField label="Postal code" value=draft.postal_code error=error_of("postalCode")/>
            <TextField label="Country" value=draft.country error=error_of("country")/>
        </div>
    }
}
