//! A client's page: the header card, Edit, Export PDF (the dashboard), and (for admins)
//! Deactivate with a reason and Reactivate; then its tabs, each at its own address so it can
//! be linked and reloaded: Overview (`/clients/:id`, the dashboard, the full record and
//! contacts), Jobs (`/clients/:id/jobs`), Communications (`/clients/:id/communications`),
//! for managers and admins Feedback (`/clients/:id/feedback`), and Analytics
//! (`/clients/:id/analytics`).

use std::collections::BTreeMap;

use clientele_core::{ClientStatus, Permission};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::{
    components::A,
    hooks::{use_navigate, use_params_map},
    nested_router::Outlet,
};

mod analytics;
mod communications;
mod contacts;
mod dashboard;
mod feedback;
mod jobs;

pub use analytics::AnalyticsTab;
pub use communications::CommunicationsTab;
use contacts::ContactsPanel;
use dashboard::DashboardPanel;
pub use feedback::FeedbackTab;
pub use jobs::JobsTab;

use crate::{
    api::{
        self, ApiError,
        operations::{
            ClientDetail, DeactivateClient, ExportDashboard, ReactivateClient, UpdateClient,
            client_detail, deactivate_client, export_dashboard, reactivate_client, update_client,
        },
    },
    components::{
        ErrorNotice, Loading, LogoPicker, Modal, ProfileDraft, ProfileForm, StatusBadge, TextField,
        account_managers, enum_name, filled, from_enum_name, upload_logo,
    },
    session::Session,
};

type Client = client_detail::ClientDetailClient;

/// What the client's page and its tabs share: the client, loaded once, and whether the
/// Overview shows the edit form.
#[derive(Clone, Copy)]
pub struct ClientPageState {
    /// The client's id, from the address.
    pub id: Memo<String>,
    /// The client.
    pub client: crate::load::Loaded<Result<client_detail::ResponseData, ApiError>>,
    /// The Overview shows the edit form.
    pub editing: RwSignal<bool>,
    /// What takes the focus once the client has loaded again (the control that replaced the
    /// one the user pressed, which the reload removes).
    refocus: StoredValue<Option<String>>,
}

impl ClientPageState {
    /// Reloads the client, then puts the focus on `selector`; until then it is there
    /// already if the element is on the page.
    pub fn reload_then_focus(&self, selector: impl Into<String>) {
        let selector = selector.into();
        self.refocus.set_value(Some(selector.clone()));
        crate::components::focus_after_render(selector);
        self.client.refetch();
    }

    /// Called where the client has just been rendered again.
    fn focus_after_reload(&self) {
        if let Some(selector) = self.refocus.try_update_value(Option::take).flatten() {
            crate::components::focus_after_render(selector);
        }
    }
}

/// A client's page: the header card, the actions, the tabs (each its own address), and the
/// tab the address names.
#[component]
pub fn ClientPage() -> impl IntoView {
    let session = Session::get();
    let params = use_params_map();
    let navigate = use_navigate();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let client = crate::load::load(move || {
        let id = id.get();
        async move { api::call::<ClientDetail>(session, client_detail::Variables { id }).await }
    });
    let editing = RwSignal::new(false);
    let state = ClientPageState {
        id,
        client,
        editing,
        refocus: StoredValue::new(None),
    };
    provide_context(state);
    let dialog = RwSignal::new(None::<Dialog>);
    let action_error = RwSignal::new(None::<ApiError>);
    let exporting = RwSignal::new(false);
    let export = move |_| {
        exporting.set(true);
        let client_id = id.get_untracked();
        spawn_local(async move {
            let exported =
                api::call::<ExportDashboard>(session, export_dashboard::Variables { client_id })
                    .await;
            exporting.set(false);
            match exported {
                Ok(data) => {
                    action_error.set(None);
                    if let (Some(url), Some(window)) =
                        (data.export_dashboard_pdf.download_url, web_sys::window())
                    {
                        let _ = window.location().assign(&url);
                    }
                }
                Err(error) => action_error.set(Some(error)),
            }
        });
    };
    let edit = move |_| {
        editing.set(true);
        crate::components::focus_after_render("#edit-heading");
        navigate(
            &format!("/clients/{}", id.get_untracked()),
            Default::default(),
        );
    };

    view! {
        <nav class="crumbs" aria-label="Breadcrumb"><A href="/clients">"Clients"</A>" / Client"</nav>
        {move || action_error.get().map(|e| view! { <ErrorNotice error=e/> })}
        {crate::load::when_loaded(client, || view! { <Loading label="Loading the client…"/> }, move |loaded| {
            match loaded {
                Err(error) => view! { <ErrorNotice error=error/> }.into_any(),
                Ok(data) => {
                    let edit = edit.clone();
                    let c = data.client;
                    crate::components::set_title(&format!("{} — Clients", c.name));
                    state.focus_after_reload();
                    let active = c.status == ClientStatus::Active;
                    view! {
                        <HeaderCard client=c.clone()/>
                        <div class="actions">
                            <Show when=move || session.may(Permission::ManageClients) && !editing.get()>
                                <button type="button" id="edit-client" class="button" on:click=edit.clone()>"Edit"</button>
                            </Show>
                            <button type="button" class="button-quiet" on:click=export disabled=move || exporting.get()>
                                {move || if exporting.get() { "Exporting…" } else { "Export PDF" }}
                            </button>
                            <Show when=move || session.may(Permission::DeactivateClients) && active>
                                <button type="button" id="deactivate-client" class="button-danger" on:click=move |_| dialog.set(Some(Dialog::Deactivate))>"Deactivate"</button>
                            </Show>
                            <Show when=move || session.may(Permission::DeactivateClients) && !active>
                                <button type="button" id="reactivate-client" class="button" on:click=move |_| dialog.set(Some(Dialog::Reactivate))>"Reactivate"</button>
                            </Show>
                        </div>
                        {move || dialog.get().map(|kind| view! {
                            <ConfirmDialog kind=kind client_id=c.id.clone() client_name=c.name.clone()
                                on_close=Callback::new(move |result: Option<Result<(), ApiError>>| {
                                    dialog.set(None);
                                    match result {
                                        // The button pressed is gone: its opposite takes the focus.
                                        Some(Ok(())) => {
                                            action_error.set(None);
                                            state.reload_then_focus(if kind == Dialog::Deactivate { "#reactivate-client" } else { "#deactivate-client" });
                                        }
                                        Some(Err(e)) => action_error.set(Some(e)),
                                        None => {}
                                    }
                                })/>
                        })}
                    }
                    .into_any()
                }
            }
        })}
        // The sections wait, hidden, for the header card: shown before it, they would be pushed
        // down when it arrives (a layout shift under the reader's eyes). Their own data loads
        // meanwhile.
        <div class="client-sections" hidden=move || !client.with(|c| matches!(c, Some(Ok(_))))>
        <nav class="tabs" aria-label="Client sections">
            <A href=move || format!("/clients/{}", id.get()) exact=true>"Overview"</A>
            <A href=move || format!("/clients/{}/jobs", id.get())>"Jobs"</A>
            <A href=move || format!("/clients/{}/communications", id.get())>"Communications"</A>
            <Show when=move || session.may(Permission::ManageFeedback)>
                <A href=move || format!("/clients/{}/feedback", id.get())>"Feedback"</A>
            </Show>
            <A href=move || format!("/clients/{}/analytics", id.get())>"Analytics"</A>
        </nav>
        <section class="tab-panel">
            <Outlet/>
        </section>
        </div>
    }
}

/// The Overview tab: the full record and the contacts, or the edit form.
#[component]
pub fn OverviewTab() -> impl IntoView {
    let state = expect_context::<ClientPageState>();
    let ClientPageState {
        client, editing, ..
    } = state;
    let dashboard = dashboard::load(state.id);
    view! {
        // The dashboard comes with the record, not after it: arriving later, it would push
        // the record and the contacts down.
        {crate::load::when_loaded((client, dashboard), || view! { <Loading/> }, move |(data, figures)| {
            match data {
                Err(_) => ().into_any(),
                Ok(data) => {
                    let c = data.client;
                    state.focus_after_reload();
                    (move || if editing.get() {
                        view! { <EditForm client=c.clone() on_done=Callback::new(move |saved: bool| {
                            editing.set(false);
                            // Back on Edit, where the form was opened from.
                            if saved {
                                state.reload_then_focus("#edit-client");
                            } else {
                                crate::components::focus_after_render("#edit-client");
                            }
                        })/> }.into_any()
                    } else {
                        view! { <Overview client=c.clone() dashboard=figures.clone() changed=Callback::new(move |focus: String| state.reload_then_focus(focus))/> }.into_any()
                    }).into_any()
                }
            }
        })}
    }
}

#[component]
fn HeaderCard(client: Client) -> impl IntoView {
    let status = client.status;
    view! {
        <header class="card client-header">
            <div class="client-header-title">
                {client.logo.as_ref().map(|logo| view! {
                    <img class="client-logo" src=logo.url.clone() alt=format!("Logo of {}", client.name)/>
                })}
                <h1>{client.name.clone()}</h1>
                <StatusBadge status=status/>
            </div>
            <p class="code">{client.client_code.clone()}</p>
            <dl class="facts header-facts">
                <dt>"Industry"</dt>
                <dd>{client.industry.clone().unwrap_or_else(|| "—".to_owned())}</dd>
                <dt>"Website"</dt>
                <dd>{match client.website.clone() {
                    Some(url) => {
                        let text = url.clone();
                        view! { <a href=url rel="noopener noreferrer" target="_blank">{text}</a> }.into_any()
                    }
                    None => "—".into_any(),
                }}</dd>
                <dt>"Account manager"</dt>
                <dd>{client.account_manager.as_ref().map_or("—".to_owned(), |m| m.full_name.clone())}</dd>
                <dt>"Primary contact"</dt>
                <dd>{client.primary_contact.as_ref().map_or("—".to_owned(), |p| {
                    match &p.email { Some(e) => format!("{} · {e}", p.full_name), None => p.full_name.clone() }
                })}</dd>
            </dl>
            {client.deactivation_reason.clone().map(|reason| view! {
                <p class="notice notice-warning">
                    {format!("Deactivated: {reason}")}
                    {client.deactivation_details.clone().map(|d| format!(" — {d}"))}
                </p>
            })}
        </header>
    }
}

#[component]
fn Overview(
    client: Client,
    dashboard: dashboard::Loaded,
    changed: Callback<String>,
) -> impl IntoView {
    let session = Session::get();
    let dash = |v: Option<String>| v.unwrap_or_else(|| "—".to_owned());
    let created = format!(
        "{} by {}",
        client.created_at.get(..10).unwrap_or_default(),
        client
            .created_by
            .as_ref()
            .map_or("—".to_owned(), |u| u.full_name.clone())
    );
    view! {
        <DashboardPanel dashboard=dashboard/>
        <div class="overview">
            <div class="card">
                <h2>"Details"</h2>
                <dl class="facts">
                    <dt>"Address"</dt><dd>{dash(client.address.clone())}</dd>
                    <dt>"City"</dt><dd>{dash(client.city.clone())}</dd>
                    <dt>"State or region"</dt><dd>{dash(client.state.clone())}</dd>
                    <dt>"Postal code"</dt><dd>{dash(client.postal_code.clone())}</dd>
                    <dt>"Country"</dt><dd>{dash(client.country.clone())}</dd>
                    <dt>"Created"</dt><dd>{created}</dd>
                    <dt>"Last change"</dt><dd>{client.updated_at.get(..10).unwrap_or_default().to_owned()}</dd>
                </dl>
            </div>
            <ContactsPanel client_id=client.id.clone() contacts=client.contacts.clone()
                can_edit=session.may(Permission::ManageClients) changed=changed/>
        </div>
    }
}

/// The edit form, for finding its first refused field.
const EDIT_FORM: &str = "form[aria-labelledby=\"edit-heading\"]";

#[component]
fn EditForm(client: Client, on_done: Callback<bool>) -> impl IntoView {
    let logo = RwSignal::new_local(None::<web_sys::File>);
    let logo_problem = RwSignal::new(None::<String>);
    let session = Session::get();
    let draft = ProfileDraft::new([
        Some(client.name.clone()),
        client.industry.clone(),
        client.website.clone(),
        client.address.clone(),
        client.city.clone(),
        client.state.clone(),
        client.country.clone(),
        client.postal_code.clone(),
        client.account_manager.as_ref().map(|m| m.id.clone()),
    ]);
    let status = RwSignal::new(client.status);
    let can_pause = client.status.is_editable();
    let errors = RwSignal::new(BTreeMap::<String, String>::new());
    let failure = RwSignal::new(None::<ApiError>);
    let confirm_not_duplicate = RwSignal::new(false);
    let duplicate_warning = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let managers = account_managers(session);
    let id = client.id.clone();

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let found = draft.problems();
        if !found.is_empty() {
            errors.set(found);
            crate::components::focus_first_invalid(EDIT_FORM);
            return;
        }
        busy.set(true);
        let v = draft.values();
        let input = update_client::UpdateClientInput {
            name: Some(v.name),
            industry: v.industry,
            website: v.website,
            address: v.address,
            city: v.city,
            state: v.state,
            country: v.country,
            postal_code: v.postal_code,
            account_manager_id: v.account_manager_id,
            status: can_pause.then(|| status.get_untracked()),
            confirm_not_duplicate: confirm_not_duplicate.get_untracked(),
        };
        let id = id.clone();
        spawn_local(async move {
            let updated = api::call::<UpdateClient>(
                session,
                update_client::Variables {
                    id: id.clone(),
                    input,
                },
            )
            .await;
            match updated {
                Ok(_) => match upload_logo(session, id, logo.get_untracked()).await {
                    Ok(()) => on_done.run(true),
                    Err(why) => {
                        busy.set(false);
                        logo_problem.set(Some(why));
                    }
                },
                Err(error) => {
                    busy.set(false);
                    errors.set(error.fields.clone());
                    crate::components::focus_first_invalid(EDIT_FORM);
                    duplicate_warning.set(error.code == "CONFLICT" && !error.duplicates.is_empty());
                    failure.set(Some(error));
                }
            }
        });
    };

    view! {
        <form class="card form" on:submit=save aria-labelledby="edit-heading" novalidate>
            <h2 id="edit-heading" tabindex="-1">"Edit client"</h2>
            {move || failure.get().map(|e| view! { <ErrorNotice error=e/> })}
            <ProfileForm draft=draft errors=errors managers=managers/>
            <LogoPicker file=logo problem=logo_problem/>
            <div class="grid-2">
                <Show when=move || can_pause>
                    <div class="field">
                        <label for="edit-status">"Status"</label>
                        <select id="edit-status" on:change=move |ev| {
                            if let Some(chosen) = from_enum_name(&event_target_value(&ev)) {
                                status.set(chosen);
                            }
                        }>
                            {[ClientStatus::Active, ClientStatus::OnHold].map(|option| view! {
                                <option value=enum_name(&option) selected=status.get_untracked() == option>{option.label()}</option>
                            })}
                        </select>
                    </div>
                </Show>
            </div>
            <Show when=move || duplicate_warning.get()>
                <label class="check">
                    <input type="checkbox" bind:checked=confirm_not_duplicate/>
                    "It is a different company: save anyway"
                </label>
            </Show>
            <div class="wizard-actions">
                <button type="button" class="button-quiet" on:click=move |_| on_done.run(false)>"Cancel"</button>
                <button type="submit" class="button" disabled=move || busy.get()>
                    {move || if busy.get() { "Saving…" } else { "Save" }}
                </button>
            </div>
        </form>
    }
}

/// Which confirmation is open.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Dialog {
    Deactivate,
    Reactivate,
}

#[component]
fn ConfirmDialog(
    kind: Dialog,
    client_id: String,
    client_name: String,
    /// `None` when cancelled, else the server's answer.
    on_close: Callback<Option<Result<(), ApiError>>>,
) -> impl IntoView {
    let session = Session::get();
    let reason = RwSignal::new(String::new());
    let details = RwSignal::new(String::new());
    let reason_error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let (title, verb) = match kind {
        Dialog::Deactivate => (format!("Deactivate {client_name}?"), "Deactivate"),
        Dialog::Reactivate => (format!("Reactivate {client_name}?"), "Reactivate"),
    };
    let confirm = move |_| {
        if kind == Dialog::Deactivate && reason.get_untracked().trim().is_empty() {
            reason_error.set(Some("is required".to_owned()));
            return;
        }
        busy.set(true);
        let id = client_id.clone();
        spawn_local(async move {
            let result = match kind {
                Dialog::Deactivate => {
                    let variables = deactivate_client::Variables {
                        id,
                        reason: reason.get_untracked().trim().to_owned(),
                        details: filled(details),
                    };
                    api::call::<DeactivateClient>(session, variables)
                        .await
                        .map(|_| ())
                }
                Dialog::Reactivate => {
                    api::call::<ReactivateClient>(session, reactivate_client::Variables { id })
                        .await
                        .map(|_| ())
                }
            };
            on_close.run(Some(result));
        });
    };
    view! {
        <Modal labelled_by="dialog-title" on_close=Callback::new(move |()| on_close.run(None))>
                <h2 id="dialog-title" tabindex="-1">{title}</h2>
                {match kind {
                    Dialog::Deactivate => view! {
                        <p>"The client leaves the active list. Linked jobs stay linked. This is recorded in the audit log."</p>
                        <TextField label="Reason" value=reason error=reason_error required=true/>
                        <div class="field">
                            <label for="deactivation-details">"Details"</label>
                            <textarea id="deactivation-details" rows="3" bind:value=details></textarea>
                        </div>
                    }.into_any(),
                    Dialog::Reactivate => view! { <p>"The client becomes active again."</p> }.into_any(),
                }}
                <div class="wizard-actions">
                    <button type="button" class="button-quiet" on:click=move |_| on_close.run(None)>"Cancel"</button>
                    <button type="button" class=if kind == Dialog::Deactivate { "button-danger" } else { "button" }
                        disabled=move || busy.get() on:click=confirm>{verb}</button>
                </div>
        </Modal>
    }
}
