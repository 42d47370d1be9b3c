//! Create a client in three steps: basic info → contacts → review. The name is checked for
//! likely duplicates when the field is left; contacts are added and removed freely with
//! exactly one primary; the server's answer decides, and its errors land on the fields.

use std::collections::BTreeMap;

use clientele_core::{ContactFields, FieldErrors, NewContact, Role};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::{components::A, hooks::use_navigate};

use crate::{
    api::{
        self, ApiError, DuplicateRef,
        operations::{ClientDuplicates, CreateClient, client_duplicates, create_client},
    },
    components::{
        ErrorNotice, LogoPicker, ProfileDraft, ProfileForm, TextField, account_managers, filled,
        or_dash, upload_logo,
    },
    session::Session,
};

const STEPS: [&str; 3] = ["Basic info", "Contacts", "Review"];

/// One contact row of the form.
#[derive(Clone, Copy)]
struct ContactDraft {
    key: usize,
    full_name: RwSignal<String>,
    title: RwSignal<String>,
    email: RwSignal<String>,
    phone: RwSignal<String>,
    mobile: RwSignal<String>,
}

impl ContactDraft {
    fn new(key: usize) -> Self {
        Self {
            key,
            full_name: RwSignal::new(String::new()),
            title: RwSignal::new(String::new()),
            email: RwSignal::new(String::new()),
            phone: RwSignal::new(String::new()),
            mobile: RwSignal::new(String::new()),
        }
    }
}

/// The create form.
#[component]
pub fn NewClientPage() -> impl IntoView {
    crate::components::set_title("Create client — Clients");
    let session = Session::get();
    let navigate = use_navigate();
    let step = RwSignal::new(0_usize);

    let draft = ProfileDraft::new(Default::default());
    // Whoever creates a client and may look after accounts looks after this one, unless
    // they pick someone else.
    if let Some(me) = session.user_untracked()
        && matches!(me.role, Role::Manager | Role::Admin)
    {
        draft.manager.set(me.id);
    }

    let next_key = StoredValue::new(1_usize);
    let contacts = RwSignal::new(vec![ContactDraft::new(0)]);
    let primary = RwSignal::new(0_usize);

    let errors = RwSignal::new(BTreeMap::<String, String>::new());
    let failure = RwSignal::new(None::<ApiError>);
    let duplicates =
        RwSignal::new(Vec::<client_duplicates::ClientDuplicatesClientDuplicates>::new());
    let conflict = RwSignal::new(Vec::<DuplicateRef>::new());
    let confirm_not_duplicate = RwSignal::new(false);
    let busy = RwSignal::new(false);

    let managers = account_managers(session);
    let logo = RwSignal::new_local(None::<web_sys::File>);
    let logo_problem = RwSignal::new(None::<String>);
    let created_id = RwSignal::new(None::<String>);

    let check_duplicates = move |()| {
        let typed = draft.name.get_untracked();
        if typed.trim().len() < 2 {
            duplicates.set(Vec::new());
            return;
        }
        let variables = client_duplicates::Variables {
            name: Some(typed),
            website: filled(draft.website),
            email_domains: None,
            exclude_client_id: None,
        };
        spawn_local(async move {
            if let Ok(found) = api::call::<ClientDuplicates>(session, variables).await {
                duplicates.set(found.client_duplicates);
            }
        });
    };

    // The server's own checks (clientele_core), run before sending so mistakes show at
    // once; the server still decides.
    let validate_step = move |which: usize| -> bool {
        let found = match which {
            0 => draft.problems(),
            1 => {
                let rows: Vec<[String; 5]> = contacts
                    .get_untracked()
                    .iter()
                    .map(|c| {
                        [c.full_name, c.title, c.email, c.phone, c.mobile]
                            .map(|f| f.get_untracked())
                    })
                    .collect();
                let mut errors = FieldErrors::new();
                NewContact::check_all(
                    rows.iter()
                        .map(|[full_name, title, email, phone, mobile]| ContactFields {
                            full_name,
                            title: Some(title),
                            email: Some(email),
                            phone: Some(phone),
                            mobile: Some(mobile),
                            is_primary: false,
                        }),
                    &mut errors,
                );
                errors.into_map()
            }
            _ => BTreeMap::new(),
        };
        let ok = found.is_empty();
        errors.set(found);
        ok
    };

    let go_to = move |target: usize| {
        if target > step.get_untracked() {
            for s in step.get_untracked()..target {
                if !validate_step(s) {
                    step.set(s);
                    // Where the first mistake is, for keyboard and screen-reader users.
                    crate::components::focus_first_invalid("main");
                    return;
                }
            }
        }
        errors.set(BTreeMap::new());
        step.set(target);
    };
    // Every step change puts the focus on the new step's heading.
    Effect::new(move |previous: Option<usize>| {
        let now = step.get();
        if previous.is_some_and(|p| p != now) {
            crate::components::focus_after_render("#step-heading");
        }
        now
    });

    // Rows are owned by the page, not by the step that adds them, so they outlive
    // switching between steps.
    let page_owner = StoredValue::new(Owner::current());
    let add_contact = move |_| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        let draft = page_owner
            .with_value(|owner| owner.as_ref().map(|o| o.with(|| ContactDraft::new(key))))
            .unwrap_or_else(|| ContactDraft::new(key));
        contacts.update(|list| list.push(draft));
    };

    let submit = move || {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        failure.set(None);
        let primary_key = primary.get_untracked();
        let drafts = contacts.get_untracked();
        let contact_inputs: Vec<create_client::ContactInput> = drafts
            .iter()
            .filter(|c| !c.full_name.get_untracked().trim().is_empty())
            .map(|c| create_client::ContactInput {
                full_name: c.full_name.get_untracked().trim().to_owned(),
                title: filled(c.title),
                email: filled(c.email),
                phone: filled(c.phone),
                mobile: filled(c.mobile),
                is_primary: c.key == primary_key,
            })
            .collect();
        let v = draft.values();
        let input = create_client::CreateClientInput {
            name: v.name,
            industry: v.industry,
            website: v.website,
            address: v.address,
            city: v.city,
            state: v.state,
            country: v.country,
            postal_code: v.postal_code,
            status: None,
            account_manager_id: v.account_manager_id,
            contacts: contact_inputs,
            confirm_not_duplicate: confirm_not_duplicate.get_untracked(),
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::call::<CreateClient>(session, create_client::Variables { input }).await {
                Ok(created) => {
                    let id = created.create_client.id;
                    // The client exists now; a refused logo is said on its page's edit form.
                    if let Err(why) = upload_logo(session, id.clone(), logo.get_untracked()).await {
                        busy.set(false);
                        logo_problem.set(Some(format!(
                            "{why} The client was created: open it to choose another logo."
                        )));
                        created_id.set(Some(id));
                        return;
                    }
                    navigate(&format!("/clients/{id}"), Default::default());
                }
                Err(error) => {
                    busy.set(false);
                    if error.code == "CONFLICT" && !error.duplicates.is_empty() {
                        conflict.set(error.duplicates.clone());
                    } else if error.code == "VALIDATION" {
                        let first_contact_error =
                            error.fields.keys().any(|k| k.starts_with("contacts"));
                        let basic_error = error.fields.keys().any(|k| !k.starts_with("contacts"));
                        errors.set(error.fields.clone());
                        if basic_error {
                            step.set(0);
                        } else if first_contact_error {
                            step.set(1);
                        }
                        failure.set(Some(error));
                    } else {
                        failure.set(Some(error));
                    }
                }
            }
        });
    };

    let submit = StoredValue::new_local(submit);

    view! {
        <nav class="crumbs" aria-label="Breadcrumb"><A href="/clients">"Clients"</A>" / New client"</nav>
        <h1>"Create client"</h1>
        <ol class="steps" aria-label="Steps">
            {STEPS
                .iter()
                .enumerate()
                .map(|(i, label)| {
                    view! {
                        <li class:current=move || step.get() == i class:done=move || i < step.get()>
                            <button type="button" class="step-button" on:click=move |_| go_to(i)
                                aria-current=move || (step.get() == i).then_some("step")>
                                {format!("{}. {label}", i + 1)}
                            </button>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
        <Show when=move || !duplicates.with(Vec::is_empty) && step.get() == 0>
            <div class="notice notice-warning" role="alert" aria-label="Possible duplicate">
                <strong>"Possible duplicate. "</strong>
                "These clients look like the one you are creating:"
                <ul>
                    {move || {
                        duplicates
                            .get()
                            .into_iter()
                            .map(|d| {
                                view! {
                                    <li>
                                        <A href=format!("/clients/{}", d.client.id)>{d.client.name.clone()}</A>
                                        {format!(" ({}) — {}", d.client.client_code, d.explanation)}
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </div>
        </Show>
        {move || failure.get().map(|e| view! { <ErrorNotice error=e/> })}
        <div class="card form wizard">
            <h2 id="step-heading" tabindex="-1" class="step-heading">
                {move || format!("Step {} of 3: {}", step.get() + 1, STEPS[step.get()])}
            </h2>
            <Show when=move || step.get() == 0>
                <ProfileForm draft=draft errors=errors managers=managers on_name_blur=Callback::new(check_duplicates)/>
                <LogoPicker file=logo problem=logo_problem/>
            </Show>
            <Show when=move || step.get() == 1>
                <p class="hint">"Add the people you work with. Exactly one is the primary contact."</p>
                <p class="field-error">{move || errors.with(|e| e.get("contacts").cloned())}</p>
                <For
                    each=move || contacts.get().into_iter().enumerate()
                    // The position is part of the key: after a removal the rows below it are
                    // drawn again with their new numbers (their values live in the drafts).
                    key=|(index, c)| (*index, c.key)
                    children=move |(index, c)| {
                        let err = move |field: &'static str| {
                            Signal::derive(move || errors.with(|e| e.get(&format!("contacts[{index}].{field}")).cloned()))
                        };
                        view! {
                            <fieldset class="contact-row" id=format!("contact-{}", index + 1)>
                                <legend>{format!("Contact {}", index + 1)}</legend>
                                <div class="grid-3">
                                    <TextField label=format!("Full name (contact {})", index + 1) value=c.full_name error=err("fullName") required=true/>
                                    <TextField label=format!("Title (contact {})", index + 1) value=c.title error=err("title")/>
                                    <TextField label=format!("Email (contact {})", index + 1) value=c.email error=err("email") kind="email"/>
                                    <TextField label=format!("Phone (contact {})", index + 1) value=c.phone error=err("phone") kind="tel"/>
                                    <TextField label=format!("Mobile (contact {})", index + 1) value=c.mobile error=err("mobile") kind="tel"/>
                                </div>
                                <div class="row">
                                    <label class="check">
                                        <input type="radio" name="primary" prop:checked=move || primary.get() == c.key
                                            on:change=move |_| primary.set(c.key)/>
                                        "Primary contact"
                                    </label>
                                    <button type="button" class="button-quiet"
                                        disabled=move || contacts.with(|l| l.len() <= 1)
                                        on:click=move |_| {
                                            contacts.update(|list| list.retain(|x| x.key != c.key));
                                            let left = contacts.with_untracked(Vec::len);
                                            if primary.get_untracked() == c.key
                                                && let Some(first) = contacts.with_untracked(|l| l.first().map(|x| x.key))
                                            {
                                                primary.set(first);
                                            }
                                            // The focus goes to the contact that took its place (or the
                                            // one before it), not to the page.
                                            crate::components::focus_after_render(format!("#contact-{} input", index.min(left.saturating_sub(1)) + 1));
                                        }>
                                        {format!("Remove contact {}", index + 1)}
                                    </button>
                                </div>
                            </fieldset>
                        }
                    }
                />
                <button type="button" class="button-quiet" on:click=add_contact>"Add contact"</button>
            </Show>
            <Show when=move || step.get() == 2>
                {move || logo_problem.get().zip(created_id.get()).map(|(why, id)| view! {
                    <div class="notice notice-warning" role="alert">
                        {why}" "<A href=format!("/clients/{id}")>"Open the client"</A>
                    </div>
                })}
                <dl class="facts review">
                    <dt>"Name"</dt><dd>{move || or_dash(draft.name.get())}</dd>
                    <dt>"Industry"</dt><dd>{move || or_dash(draft.industry.get())}</dd>
                    <dt>"Website"</dt><dd>{move || or_dash(draft.website.get())}</dd>
                    <dt>"Address"</dt>
                    <dd>{move || or_dash([draft.address, draft.city, draft.region, draft.postal_code, draft.country].map(|f| f.get()).into_iter().filter(|s| !s.trim().is_empty()).collect::<Vec<_>>().join(", "))}</dd>
                    <dt>"Account manager"</dt>
                    <dd>{move || {
                        let chosen = draft.manager.get();
                        or_dash(managers.get().into_iter().find(|(id, _)| *id == chosen).map(|(_, name)| name).unwrap_or_default())
                    }}</dd>
                </dl>
                <h3>"Contacts"</h3>
                <ul class="review-contacts">
                    {move || contacts.get().into_iter().filter(|c| !c.full_name.get().trim().is_empty()).map(|c| {
                        let is_primary = primary.get() == c.key;
                        view! {
                            <li>
                                {c.full_name.get()}
                                {(!c.email.get().is_empty()).then(|| format!(" · {}", c.email.get()))}
                                {is_primary.then(|| view! { <span class="badge badge-primary">"Primary"</span> })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <Show when=move || !conflict.with(Vec::is_empty)>
                    <div class="notice notice-warning" role="alert">
                        <strong>"This may duplicate an existing client: "</strong>
                        {move || conflict.get().into_iter().map(|d| view! {
                            <A href=format!("/clients/{}", d.id)>{format!("{} ({})", d.name, d.client_code)}</A>" "
                        }).collect_view()}
                        <label class="check">
                            <input type="checkbox" bind:checked=confirm_not_duplicate/>
                            "It is a different company: create it anyway"
                        </label>
                    </div>
                </Show>
            </Show>
            <div class="wizard-actions">
                <Show when=move || 0 < step.get()>
                    <button type="button" class="button-quiet" on:click=move |_| go_to(step.get_untracked() - 1)>"Back"</button>
                </Show>
                <Show
                    when=move || step.get() < 2
                    fallback=move || view! {
                        <button type="button" class="button" disabled=move || busy.get() on:click=move |_| submit.with_value(|submit| submit())>
                            {move || if busy.get() { "Creating…" } else { "Create client" }}
                        </button>
                    }
                >
                    <button type="button" class="button" on:click=move |_| go_to(step.get_untracked() + 1)>"Next"</button>
                </Show>
            </div>
        </div>
    }
}
