//! The client's contacts on the Overview tab: read by everyone; managers and admins add,
//! edit, deactivate and make primary, with the server's own checks run first.

use std::collections::BTreeMap;

use clientele_core::{ContactFields, NewContact};
use leptos::{prelude::*, task::spawn_local};

use crate::{
    api::{
        self, ApiError,
        operations::{
            AddContact, SetPrimaryContact, UpdateContact, add_contact, client_detail,
            set_primary_contact, update_contact,
        },
    },
    components::{ErrorNotice, TextField, focus_after_render, focus_first_invalid},
    session::Session,
};

type Contact = client_detail::ClientDetailClientContacts;

/// The panel.
#[component]
pub fn ContactsPanel(
    /// The client.
    client_id: String,
    /// Its active contacts, primary first.
    contacts: Vec<Contact>,
    /// Whether the viewer may change them.
    can_edit: bool,
    /// Called after a change, to reload the client and then focus the element the selector
    /// names (the control that takes the place of the one pressed).
    changed: Callback<String>,
) -> impl IntoView {
    let session = Session::get();
    let adding = RwSignal::new(false);
    let editing = RwSignal::new(None::<String>);
    let failure = RwSignal::new(None::<ApiError>);
    let count = contacts.len();
    let run = move |result: Result<(), ApiError>, focus: String| match result {
        Ok(()) => {
            failure.set(None);
            changed.run(focus);
        }
        Err(error) => failure.set(Some(error)),
    };
    let make_primary = move |id: String| {
        spawn_local(async move {
            // Its "Make primary" button goes: its Edit button takes the focus.
            let focus = format!("#{}", edit_button(&id));
            let result =
                api::call::<SetPrimaryContact>(session, set_primary_contact::Variables { id })
                    .await
                    .map(drop);
            run(result, focus);
        });
    };
    let deactivate = move |id: String| {
        let input = update_contact::UpdateContactInput {
            full_name: None,
            title: None,
            email: None,
            phone: None,
            mobile: None,
            is_active: Some(false),
        };
        spawn_local(async move {
            let result =
                api::call::<UpdateContact>(session, update_contact::Variables { id, input })
                    .await
                    .map(drop);
            // The contact leaves the list: the panel's heading takes the focus.
            run(result, "#contacts-heading".to_owned());
        });
    };
    view! {
        <div class="card">
            <h2 id="contacts-heading" tabindex="-1">"Contacts"</h2>
            {move || failure.get().map(|e| view! { <ErrorNotice error=e/> })}
            {(count == 0).then(|| view! { <p class="empty">"No contacts yet."</p> })}
            <ul class="contacts">
                {contacts.into_iter().map(|c| {
                    let id = c.id.clone();
                    let editing_this = {
                        let id = id.clone();
                        move || editing.get().as_deref() == Some(id.as_str())
                    };
                    let (primary_id, off_id, edit_id) = (id.clone(), id.clone(), id.clone());
                    let values = ContactValues::of(&c);
                    view! {
                        <li class="contact">
                            <Show when=editing_this.clone() fallback={
                                let c = c.clone();
                                move || view! { <ContactCard contact=c.clone()/> }
                            }>
                                <ContactForm
                                    label=format!("Edit {}", values.full_name)
                                    initial=values.clone()
                                    target=Target::Contact(id.clone())
                                    done=Callback::new({
                                        let focus = format!("#{}", edit_button(&id));
                                        move |saved: bool| {
                                            editing.set(None);
                                            // Back on its Edit button.
                                            if saved {
                                                changed.run(focus.clone());
                                            } else {
                                                focus_after_render(focus.clone());
                                            }
                                        }
                                    })
                                />
                            </Show>
                            <Show when=move || can_edit && !editing_this()>
                                <div class="entry-actions">
                                    <button type="button" class="button-quiet" id=edit_button(&edit_id)
                                        aria-label=format!("Edit {}", c.full_name)
                                        on:click={
                                            let id = edit_id.clone();
                                            move |_| {
                                                editing.set(Some(id.clone()));
                                                focus_after_render(format!("#{} input", form_id(&Target::Contact(id.clone()))));
                                            }
                                        }>"Edit"</button>
                                    {(!c.is_primary).then(|| {
                                        let id = primary_id.clone();
                                        view! {
                                            <button type="button" class="button-quiet"
                                                aria-label=format!("Make primary: {}", c.full_name)
                                                on:click=move |_| make_primary(id.clone())>"Make primary"</button>
                                        }
                                    })}
                                    <button type="button" class="button-quiet"
                                        aria-label=format!("Deactivate {}", c.full_name)
                                        on:click={ let id = off_id.clone(); move |_| deactivate(id.clone()) }>"Deactivate"</button>
                                </div>
                            </Show>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <Show when=move || can_edit>
                {
                let client_id = client_id.clone();
                view! {
                <Show when=move || adding.get() fallback=move || view! {
                    <button type="button" id="add-contact" class="button-quiet" on:click=move |_| {
                        adding.set(true);
                        focus_after_render("#contact-form-new input");
                    }>"Add contact"</button>
                }>
                    <ContactForm
                        label="New contact".to_owned()
                        initial=ContactValues::default()
                        target=Target::Client(client_id.clone())
                        done=Callback::new(move |saved: bool| {
                            adding.set(false);
                            if saved {
                                changed.run("#add-contact".to_owned());
                            } else {
                                focus_after_render("#add-contact");
                            }
                        })
                    />
                </Show>
                }
                }
            </Show>
        </div>
    }
}

/// One contact, read only.
#[component]
fn ContactCard(contact: Contact) -> impl IntoView {
    let c = contact;
    view! {
        <div class="contact-name">
            {c.full_name.clone()}
            {c.is_primary.then(|| view! { <span class="badge badge-primary">"Primary"</span> })}
        </div>
        <div class="contact-title">{c.title.clone()}</div>
        <div class="contact-lines">
            {c.email.clone().map(|e| view! { <a href=format!("mailto:{e}")>{e.clone()}</a> })}
            {c.phone.clone().map(|p| view! { <span>{format!("☎ {p}")}</span> })}
            {c.mobile.clone().map(|p| view! { <span>{format!("📱 {p}")}</span> })}
        </div>
    }
}

/// A contact's fields as typed.
#[derive(Debug, Clone, Default, PartialEq)]
struct ContactValues {
    full_name: String,
    title: String,
    email: String,
    phone: String,
    mobile: String,
    primary: bool,
}

impl ContactValues {
    fn of(c: &Contact) -> Self {
        Self {
            full_name: c.full_name.clone(),
            title: c.title.clone().unwrap_or_default(),
            email: c.email.clone().unwrap_or_default(),
            phone: c.phone.clone().unwrap_or_default(),
            mobile: c.mobile.clone().unwrap_or_default(),
            primary: c.is_primary,
        }
    }

    /// The server's checks: field → message.
    fn problems(&self) -> BTreeMap<String, String> {
        NewContact::parse(ContactFields {
            full_name: &self.full_name,
            title: Some(&self.title),
            email: Some(&self.email),
            phone: Some(&self.phone),
            mobile: Some(&self.mobile),
            is_primary: self.primary,
        })
        .err()
        .map(|errors| errors.into_map())
        .unwrap_or_default()
    }

    fn blank_is_none(text: &str) -> Option<String> {
        let trimmed = text.trim();
        (!trimmed.is_empty()).then(|| trimmed.to_owned())
    }

    fn add_input(&self) -> add_contact::ContactInput {
        add_contact::ContactInput {
            full_name: self.full_name.trim().to_owned(),
            title: Self::blank_is_none(&self.title),
            email: Self::blank_is_none(&self.email),
            phone: Self::blank_is_none(&self.phone),
            mobile: Self::blank_is_none(&self.mobile),
            is_primary: self.primary,
        }
    }

    /// Every field is sent: a blank one is cleared (`null`).
    fn update_input(&self) -> update_contact::UpdateContactInput {
        update_contact::UpdateContactInput {
            full_name: Some(self.full_name.trim().to_owned()),
            title: Self::blank_is_none(&self.title),
            email: Self::blank_is_none(&self.email),
            phone: Self::blank_is_none(&self.phone),
            mobile: Self::blank_is_none(&self.mobile),
            is_active: None,
        }
    }
}

/// What a contact form saves to.
#[derive(Debug, Clone, PartialEq)]
enum Target {
    /// A new contact of this client.
    Client(String),
    /// This contact.
    Contact(String),
}

/// The id of a contact's Edit button, where the focus goes back after its form.
fn edit_button(contact: &str) -> String {
    format!("edit-contact-{contact}")
}

/// The id of the contact form for `target`.
fn form_id(target: &Target) -> String {
    match target {
        Target::Client(_) => "contact-form-new".to_owned(),
        Target::Contact(id) => format!("contact-form-{id}"),
    }
}

/// The add/edit form of a contact: the server's checks first, then the save, with the
/// server's errors on their fields.
#[component]
fn ContactForm(
    /// The form's accessible name.
    label: String,
    /// The values it starts with.
    initial: ContactValues,
    /// Where it saves.
    target: Target,
    /// Called with whether it saved.
    done: Callback<bool>,
) -> impl IntoView {
    let session = Session::get();
    let adding = matches!(target, Target::Client(_));
    let fields = [
        initial.full_name.clone(),
        initial.title.clone(),
        initial.email.clone(),
        initial.phone.clone(),
        initial.mobile.clone(),
    ]
    .map(RwSignal::new);
    let [full_name, title, email, phone, mobile] = fields;
    let primary = RwSignal::new(initial.primary);
    let errors = RwSignal::new(BTreeMap::<String, String>::new());
    let failure = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let error_of =
        move |field: &'static str| Signal::derive(move || errors.with(|e| e.get(field).cloned()));
    let form = form_id(&target);
    // Where the focus goes when the form is refused: its first refused field.
    let form_selector = format!("#{form}");
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let values = ContactValues {
            full_name: full_name.get_untracked(),
            title: title.get_untracked(),
            email: email.get_untracked(),
            phone: phone.get_untracked(),
            mobile: mobile.get_untracked(),
            primary: primary.get_untracked(),
        };
        let found = values.problems();
        if !found.is_empty() {
            errors.set(found);
            focus_first_invalid(&form_selector);
            return;
        }
        busy.set(true);
        let target = target.clone();
        let form_selector = form_selector.clone();
        spawn_local(async move {
            let result = match target {
                Target::Client(client_id) => {
                    let variables = add_contact::Variables {
                        client_id,
                        input: values.add_input(),
                    };
                    api::call::<AddContact>(session, variables).await.map(drop)
                }
                Target::Contact(id) => {
                    let variables = update_contact::Variables {
                        id,
                        input: values.update_input(),
                    };
                    api::call::<UpdateContact>(session, variables)
                        .await
                        .map(drop)
                }
            };
            busy.set(false);
            match result {
                Ok(()) => done.run(true),
                Err(error) => {
                    errors.set(error.fields.clone());
                    focus_first_invalid(&form_selector);
                    failure.set(Some(error));
                }
            }
        });
    };
    view! {
        <form class="form contact-form" id=form aria-label=label novalidate on:submit=save>
            {move || failure.get().map(|e| view! { <ErrorNotice error=e/> })}
            <div class="grid-2">
                <TextField label="Full name" value=full_name error=error_of("fullName") required=true/>
                <TextField label="Title" value=title error=error_of("title")/>
                <TextField label="Email" value=email error=error_of("email") kind="email"/>
                <TextField label="Phone" value=phone error=error_of("phone") kind="tel"/>
                <TextField label="Mobile" value=mobile error=error_of("mobile") kind="tel"/>
            </div>
            {adding.then(|| view! {
                <label class="check"><input type="checkbox" bind:checked=primary/>"Primary contact"</label>
            })}
            <div class="wizard-actions">
                <button type="button" class="button-quiet" on:click=move |_| done.run(false)>"Cancel"</button>
                <button type="submit" class="button" disabled=move || busy.get()>"Save contact"</button>
            </div>
        </form>
    }
}
