//! The Communications tab: the client's timeline grouped by day, newest first, with type,
//! importance, follow-up (overdue in red) and attachments that download through a signed
//! link; filters (type, date range, important only) and the page live in the address; staff
//! who may log communications get "Log communication" and the per-entry actions.

use clientele_core::{CommunicationType, Permission, required_text};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::{
    NavigateOptions,
    hooks::{use_navigate, use_query_map},
    params::ParamsMap,
};
use serde_json::json;

use super::ClientPageState;
use crate::{
    api::{
        self, ApiError,
        live::Live,
        operations::{
            AttachmentLink, ClientCommunications, ClientJobChoices, CompleteFollowUp,
            LogCommunication, MarkCommunicationImportant, UploadAttachment, attachment_link,
            client_communications, client_job_choices, complete_follow_up, log_communication,
            mark_communication_important, upload_attachment,
        },
        upload::upload,
    },
    components::{
        ErrorNotice, Loading, Modal, Pager, TextField, aria_invalid, enum_name,
        focus_first_invalid, from_enum_name,
    },
    session::Session,
};

type Entry = client_communications::ClientCommunicationsClientCommunicationsItems;

/// The types, in the order the filter lists them.
const TYPES: [CommunicationType; 6] = [
    CommunicationType::Call,
    CommunicationType::Email,
    CommunicationType::Meeting,
    CommunicationType::VideoCall,
    CommunicationType::Note,
    CommunicationType::Other,
];
const PAGE_SIZE: i64 = 20;
/// The log form, for finding its first refused field.
const LOG_FORM: &str = "form[aria-labelledby=\"log-title\"]";
/// The subscription that keeps the timeline live.
const LIVE: &str = "subscription Live($clientId: ID!) { communicationLogged(clientId: $clientId) { id subject loggedBy { fullName } } }";

/// The timeline's filters and page, as read from and written to the address.
#[derive(Debug, Clone, PartialEq, Default)]
struct TimelineFilter {
    types: Vec<CommunicationType>,
    from: String,
    to: String,
    important: bool,
    page: i64,
}

impl TimelineFilter {
    fn from_query(q: &ParamsMap) -> Self {
        let text = |k: &str| q.get(k).unwrap_or_default();
        Self {
            types: text("types")
                .split(',')
                .filter_map(from_enum_name)
                .collect(),
            from: text("from"),
            to: text("to"),
            important: text("important") == "1",
            page: text("page").parse().ok().filter(|p| *p >= 1).unwrap_or(1),
        }
    }

    fn to_query(&self) -> String {
        let mut parts = Vec::new();
        if !self.types.is_empty() {
            let names: Vec<String> = self.types.iter().map(enum_name).collect();
            parts.push(format!("types={}", names.join(",")));
        }
        for (key, value) in [("from", &self.from), ("to", &self.to)] {
            if !value.is_empty() {
                parts.push(format!("{key}={value}"));
            }
        }
        if self.important {
            parts.push("important=1".to_owned());
        }
        if self.page > 1 {
            parts.push(format!("page={}", self.page));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }

    fn variables(&self, id: String) -> client_communications::Variables {
        let some = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        client_communications::Variables {
            id,
            filter: Some(client_communications::CommunicationFilter {
                types: (!self.types.is_empty()).then(|| self.types.clone()),
                date_from: some(&self.from),
                date_to: some(&self.to),
                important_only: self.important,
                follow_up_due: false,
            }),
            page: self.page,
            limit: PAGE_SIZE,
        }
    }
}

/// The tab.
#[component]
pub fn CommunicationsTab() -> impl IntoView {
    let session = Session::get();
    let state = expect_context::<ClientPageState>();
    let query = use_query_map();
    let navigate = use_navigate();
    let filter = Memo::new(move |_| query.with(TimelineFilter::from_query));
    let timeline = crate::load::load(move || {
        let variables = filter.get().variables(state.id.get());
        async move { api::call::<ClientCommunications>(session, variables).await }
    });
    let change = Callback::new(move |next: TimelineFilter| {
        let url = format!(
            "/clients/{}/communications{}",
            state.id.get_untracked(),
            next.to_query()
        );
        navigate(&url, NavigateOptions::default());
    });
    let logging = RwSignal::new(false);
    let refresh = Callback::new(move |()| timeline.refetch());

    // Entries logged by anyone, on any server, appear while the tab is open.
    let announcement = RwSignal::new(String::new());
    let live = StoredValue::new_local(None::<Live>);
    Effect::new(move |_| {
        let id = state.id.get();
        let socket = Live::subscribe(LIVE, json!({ "clientId": id }), move |data| {
            let logged = &data["communicationLogged"];
            announcement.set(format!(
                "New: {} (logged by {})",
                logged["subject"].as_str().unwrap_or_default(),
                logged["loggedBy"]["fullName"].as_str().unwrap_or("someone")
            ));
            timeline.refetch();
        });
        live.set_value(socket);
    });
    on_cleanup(move || live.set_value(None));

    view! {
        <h2>"Communications"</h2>
        <div class="timeline-bar">
            <Filters filter=filter change=change/>
            <Show when=move || session.may(Permission::LogCommunications)>
                <button type="button" class="button" on:click=move |_| logging.set(true)>"Log communication"</button>
            </Show>
        </div>
        <p class="live-note" role="status" aria-live="polite">{move || announcement.get()}</p>
        {crate::load::when_loaded(timeline, || view! { <Loading label="Loading communications…"/> }, move |loaded| {
            match loaded {
                Err(error) => view! { <ErrorNotice error=error/> }.into_any(),
                Ok(data) => {
                    let found = data.client.communications;
                    let info = found.page_info;
                    let on_page = Callback::new(move |page: i64| {
                        change.run(TimelineFilter { page, ..filter.get_untracked() });
                    });
                    view! {
                        <Timeline items=found.items refresh=refresh/>
                        {(info.total > 0).then(|| view! {
                            <Pager page=info.page total_pages=info.total_pages total=info.total
                                noun=("communication", "communications") on_page=on_page/>
                        })}
                    }
                    .into_any()
                }
            }
        })}
        <Show when=move || logging.get()>
            <LogDialog on_close=Callback::new(move |logged: bool| {
                logging.set(false);
                if logged {
                    timeline.refetch();
                }
            })/>
        </Show>
    }
}

/// Type, date range and importance filters.
#[component]
fn Filters(filter: Memo<TimelineFilter>, change: Callback<TimelineFilter>) -> impl IntoView {
    let update = move |edit: &dyn Fn(&mut TimelineFilter)| {
        let mut next = filter.get_untracked();
        edit(&mut next);
        next.page = 1;
        change.run(next);
    };
    view! {
        <form class="timeline-filters" aria-label="Filter communications" on:submit=|ev| ev.prevent_default()>
            <fieldset class="types">
                <legend>"Type"</legend>
                {TYPES.iter().map(|kind| {
                    let kind = *kind;
                    view! {
                        <label class="check">
                            <input type="checkbox"
                                prop:checked=move || filter.with(|f| f.types.contains(&kind))
                                on:change=move |_| update(&|f: &mut TimelineFilter| {
                                    if let Some(i) = f.types.iter().position(|k| *k == kind) {
                                        f.types.remove(i);
                                    } else {
                                        f.types.push(kind);
                                    }
                                })/>
                            {kind.label()}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <div class="field">
                <label for="timeline-from">"From"</label>
                <input id="timeline-from" type="date" prop:value=move || filter.with(|f| f.from.clone())
                    on:change=move |ev| { let v = event_target_value(&ev); update(&move |f: &mut TimelineFilter| f.from = v.clone()) }/>
            </div>
            <div class="field">
                <label for="timeline-to">"To"</label>
                <input id="timeline-to" type="date" prop:value=move || filter.with(|f| f.to.clone())
                    on:change=move |ev| { let v = event_target_value(&ev); update(&move |f: &mut TimelineFilter| f.to = v.clone()) }/>
            </div>
            <label class="check">
                <input type="checkbox" prop:checked=move || filter.with(|f| f.important)
                    on:change=move |ev| { let on = event_target_checked(&ev); update(&move |f: &mut TimelineFilter| f.important = on) }/>
                "Important only"
            </label>
        </form>
    }
}

/// The entries, grouped by day.
#[component]
fn Timeline(items: Vec<Entry>, refresh: Callback<()>) -> impl IntoView {
    if items.is_empty() {
        return view! { <p class="empty">"No communications match."</p> }.into_any();
    }
    let mut days: Vec<(String, Vec<Entry>)> = Vec::new();
    for item in items {
        let day = item
            .communication_date
            .get(..10)
            .unwrap_or_default()
            .to_owned();
        match days.last_mut() {
            Some((last, entries)) if *last == day => entries.push(item),
            _ => days.push((day, vec![item])),
        }
    }
    view! {
        <ol class="timeline">
            {days.into_iter().map(|(day, entries)| view! {
                <li class="timeline-day">
                    <h3><time datetime=day.clone()>{day.clone()}</time></h3>
                    <ol class="timeline-entries">
                        {entries.into_iter().map(|entry| view! { <TimelineEntry entry=entry refresh=refresh/> }).collect_view()}
                    </ol>
                </li>
            }).collect_view()}
        </ol>
    }
    .into_any()
}

/// One communication.
#[component]
fn TimelineEntry(entry: Entry, refresh: Callback<()>) -> impl IntoView {
    let session = Session::get();
    let failure = RwSignal::new(None::<ApiError>);
    let id = entry.id.clone();
    let time = entry
        .communication_date
        .get(11..16)
        .unwrap_or_default()
        .to_owned();
    let people: Vec<String> = entry.participants.iter().map(|p| p.name.clone()).collect();
    let follow_up = entry.follow_up_required.then(|| {
        let date = entry.follow_up_date.clone().unwrap_or_default();
        let (class, text) = if entry.follow_up_completed_at.is_some() {
            ("follow-up done", format!("Follow-up done (was due {date})"))
        } else if entry.follow_up_overdue {
            (
                "follow-up overdue",
                format!("Follow-up overdue since {date}"),
            )
        } else {
            ("follow-up", format!("Follow up by {date}"))
        };
        let notes = entry
            .follow_up_notes
            .clone()
            .map(|n| format!(": {n}"))
            .unwrap_or_default();
        view! { <p class=class>{text}{notes}</p> }
    });
    let open_follow_up = entry.follow_up_required && entry.follow_up_completed_at.is_none();
    let important = entry.is_important;
    let toggle = {
        let id = id.clone();
        move |_| {
            let variables = mark_communication_important::Variables {
                id: id.clone(),
                important: !important,
            };
            spawn_local(async move {
                match api::call::<MarkCommunicationImportant>(session, variables).await {
                    Ok(_) => refresh.run(()),
                    Err(error) => failure.set(Some(error)),
                }
            });
        }
    };
    let complete = {
        let id = id.clone();
        move |_| {
            let variables = complete_follow_up::Variables { id: id.clone() };
            spawn_local(async move {
                match api::call::<CompleteFollowUp>(session, variables).await {
                    Ok(_) => refresh.run(()),
                    Err(error) => failure.set(Some(error)),
                }
            });
        }
    };
    view! {
        <li class="entry" class:entry-important=important>
            <span class="entry-icon" aria-hidden="true"><TypeIcon kind=entry.type_/></span>
            <div class="entry-body">
                <p class="entry-head">
                    <span class="entry-type">{entry.type_.label()}</span>
                    " · "<time datetime=entry.communication_date.clone()>{time}</time>
                    {entry.logged_by.as_ref().map(|u| format!(" · logged by {}", u.full_name))}
                    {important.then(|| view! { " " <span class="badge badge-important">"Important"</span> })}
                </p>
                <h4 class="entry-subject">{entry.subject.clone()}</h4>
                {(!people.is_empty()).then(|| view! { <p class="entry-people">{format!("With {}", people.join(", "))}</p> })}
                {entry.job.as_ref().map(|job| view! { <p class="entry-job">{format!("About the job {}", job.title)}</p> })}
                {entry.notes.clone().map(|notes| view! { <p class="entry-notes">{notes}</p> })}
                {follow_up}
                {(!entry.attachments.is_empty()).then(|| view! {
                    <ul class="chips" aria-label="Attachments">
                        {entry.attachments.iter().map(|a| view! {
                            <li><AttachmentChip communication=id.clone() attachment=a.id.clone()
                                name=a.file_name.clone() size=a.size_bytes failure=failure/></li>
                        }).collect_view()}
                    </ul>
                })}
                <Show when=move || session.may(Permission::LogCommunications)>
                    <div class="entry-actions">
                        <button type="button" class="button-quiet" on:click=toggle.clone()>
                            {if important { "Not important" } else { "Mark important" }}
                        </button>
                        {open_follow_up.then(|| view! {
                            <button type="button" class="button-quiet" on:click=complete.clone()>"Complete follow-up"</button>
                        })}
                        <AttachButton communication=id.clone() subject=entry.subject.clone() refresh=refresh/>
                    </div>
                </Show>
                {move || failure.get().map(|e| view! { <ErrorNotice error=e/> })}
            </div>
        </li>
    }
}

/// "Attach file": a file input styled as a button, the upload's progress, and what went
/// wrong, in words.
#[component]
fn AttachButton(communication: String, subject: String, refresh: Callback<()>) -> impl IntoView {
    let session = Session::get();
    let progress = RwSignal::new(None::<f64>);
    let problem = RwSignal::new(None::<String>);
    let input_id = format!("attach-{communication}");
    let chosen = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(t).ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        input.set_value("");
        problem.set(None);
        progress.set(Some(0.0));
        let variables = upload_attachment::Variables {
            communication_id: communication.clone(),
            file: (),
        };
        spawn_local(async move {
            let sent = upload::<UploadAttachment>(session, variables, file, move |share| {
                progress.set(Some(share));
            })
            .await;
            progress.set(None);
            match sent {
                Ok(_) => refresh.run(()),
                Err(error) => problem.set(Some(upload_problem(&error))),
            }
        });
    };
    view! {
        <label class="button-quiet file-button" for=input_id.clone()>"Attach file"</label>
        <input id=input_id type="file" class="visually-hidden"
            aria-label=format!("Attach a file to “{subject}”") on:change=chosen/>
        {move || progress.get().map(|share| view! {
            <span class="upload-progress">
                <progress max="1" value=share aria-label="Upload progress"></progress>
                {format!(" {:.0}%", share * 100.0)}
            </span>
        })}
        {move || problem.get().map(|text| view! { <p class="notice notice-error" role="alert">{text}</p> })}
    }
}

/// What went wrong with an upload, in words.
fn upload_problem(error: &ApiError) -> String {
    match error.code.as_str() {
        "PAYLOAD_TOO_LARGE" => format!("Not uploaded: {}.", error.message),
        "UNSUPPORTED_MEDIA_TYPE" => format!("Not uploaded: {}.", error.message),
        _ => match error.field("file") {
            Some(why) => format!("Not uploaded: the file {why}."),
            None => error.message.clone(),
        },
    }
}

/// An attachment: a button that asks for a signed link and follows it.
#[component]
fn AttachmentChip(
    communication: String,
    attachment: String,
    name: String,
    size: i64,
    failure: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let session = Session::get();
    let label = format!("{name} ({})", human_size(size));
    let download = move |_| {
        let variables = attachment_link::Variables {
            id: communication.clone(),
        };
        let attachment = attachment.clone();
        spawn_local(async move {
            match api::call::<AttachmentLink>(session, variables).await {
                Ok(data) => {
                    let link = data
                        .communication
                        .attachments
                        .into_iter()
                        .find(|a| a.id == attachment)
                        .map(|a| a.download_url);
                    if let (Some(url), Some(window)) = (link, web_sys::window()) {
                        let _ = window.location().assign(&url);
                    }
                }
                Err(error) => failure.set(Some(error)),
            }
        });
    };
    let aria = format!("Download {label}");
    view! {
        <button type="button" class="chip" on:click=download aria-label=aria>
            <span aria-hidden="true">"📎 "</span>{label}
        </button>
    }
}

fn human_size(bytes: i64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{:.0} KB", b as f64 / 1024.0),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}

/// A small picture of a communication's type (decorative: the type is also written).
#[component]
fn TypeIcon(kind: CommunicationType) -> impl IntoView {
    let path = match kind {
        CommunicationType::Call => {
            "M6 3h3l2 5-2 1a11 11 0 0 0 6 6l1-2 5 2v3a2 2 0 0 1-2 2A16 16 0 0 1 4 5a2 2 0 0 1 2-2z"
        }
        CommunicationType::Email => "M3 6h18v12H3z M3 6l9 7 9-7",
        CommunicationType::Meeting => {
            "M8 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6z M16 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6z M2 20c0-4 3-6 6-6s6 2 6 6 M12 20c0-4 2-6 4-6s6 2 6 6"
        }
        CommunicationType::VideoCall => "M3 7h12v10H3z M15 10l6-3v10l-6-3",
        CommunicationType::Note => "M6 3h9l4 4v14H6z M9 10h7 M9 14h7 M9 18h5",
        CommunicationType::Other => "M6 12h.01 M12 12h.01 M18 12h.01",
    };
    view! {
        <svg viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor"
            stroke-width="2" stroke-linecap="round" stroke-linejoin="round" focusable="false">
            <path d=path/>
        </svg>
    }
}

/// A participant named by hand in the dialog.
#[derive(Clone, Copy)]
struct Guest {
    key: usize,
    name: RwSignal<String>,
    email: RwSignal<String>,
}

/// The "Log communication" dialog.
#[component]
fn LogDialog(on_close: Callback<bool>) -> impl IntoView {
    let session = Session::get();
    let state = expect_context::<ClientPageState>();
    let kind = RwSignal::new(CommunicationType::Call);
    let subject = RwSignal::new(String::new());
    let when = RwSignal::new(crate::clock::local_now());
    let notes = RwSignal::new(String::new());
    let chosen = RwSignal::new(Vec::<String>::new());
    let guests = RwSignal::new(Vec::<Guest>::new());
    let next_guest = StoredValue::new(0_usize);
    let important = RwSignal::new(false);
    let follow_up = RwSignal::new(false);
    let follow_up_date = RwSignal::new(String::new());
    let follow_up_notes = RwSignal::new(String::new());
    let errors = RwSignal::new(std::collections::BTreeMap::<String, String>::new());
    let failure = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let contacts = Signal::derive(move || {
        state
            .client
            .get()
            .and_then(Result::ok)
            .map(|data| {
                data.client
                    .contacts
                    .into_iter()
                    .map(|c| (c.id, c.full_name))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    let error_of = move |field: &'static str| move || errors.with(|e| e.get(field).cloned());
    let job = RwSignal::new(String::new());
    let jobs = crate::load::load(move || {
        let id = state.id.get();
        async move {
            api::call::<ClientJobChoices>(session, client_job_choices::Variables { id })
                .await
                .map(|data| data.client.jobs.items)
                .unwrap_or_default()
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        if let Err(message) = required_text(&subject.get_untracked(), 300) {
            errors.set([("subject".to_owned(), message)].into());
            focus_first_invalid(LOG_FORM);
            return;
        }
        let mut participants: Vec<log_communication::ParticipantInput> = chosen
            .get_untracked()
            .into_iter()
            .map(|id| log_communication::ParticipantInput {
                contact_id: Some(id),
                name: None,
                email: None,
            })
            .collect();
        participants.extend(guests.get_untracked().into_iter().map(|g| {
            let email = g.email.get_untracked();
            log_communication::ParticipantInput {
                contact_id: None,
                name: Some(g.name.get_untracked()),
                email: (!email.trim().is_empty()).then_some(email),
            }
        }));
        let text = |s: RwSignal<String>| {
            let value = s.get_untracked();
            (!value.trim().is_empty()).then_some(value)
        };
        let input = log_communication::LogCommunicationInput {
            type_: kind.get_untracked(),
            subject: subject.get_untracked(),
            notes: text(notes),
            communication_date: utc_of_local(&when.get_untracked()),
            participants,
            job_reference_id: text(job),
            is_important: important.get_untracked(),
            follow_up_required: follow_up.get_untracked(),
            follow_up_date: follow_up
                .get_untracked()
                .then(|| text(follow_up_date))
                .flatten(),
            follow_up_notes: follow_up
                .get_untracked()
                .then(|| text(follow_up_notes))
                .flatten(),
        };
        let variables = log_communication::Variables {
            client_id: state.id.get_untracked(),
            input,
        };
        busy.set(true);
        spawn_local(async move {
            match api::call::<LogCommunication>(session, variables).await {
                Ok(_) => on_close.run(true),
                Err(error) => {
                    busy.set(false);
                    errors.set(error.fields.clone());
                    focus_first_invalid(LOG_FORM);
                    failure.set(Some(error));
                }
            }
        });
    };
    let add_guest = move |_| {
        let key = next_guest.get_value();
        next_guest.set_value(key + 1);
        guests.update(|list| {
            list.push(Guest {
                key,
                name: RwSignal::new(String::new()),
                email: RwSignal::new(String::new()),
            });
        });
    };

    view! {
        <Modal labelled_by="log-title" class="dialog-wide" on_close=Callback::new(move |()| on_close.run(false))>
            <form class="form" aria-labelledby="log-title" novalidate on:submit=submit>
                <h2 id="log-title" tabindex="-1">"Log communication"</h2>
                {move || failure.get().map(|e| view! { <ErrorNotice error=e/> })}
                <div class="grid-2">
                    <div class="field">
                        <label for="log-type">"Type"</label>
                        <select id="log-type" on:change=move |ev| {
                            if let Some(chosen) = from_enum_name(&event_target_value(&ev)) { kind.set(chosen); }
                        }>
                            {TYPES.iter().map(|k| view! {
                                <option value=enum_name(k) selected=*k == CommunicationType::Call>{k.label()}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="log-when">"When"</label>
                        <input id="log-when" type="datetime-local" bind:value=when/>
                    </div>
                </div>
                <TextField id="log-subject" label="Subject" required=true value=subject
                    error=Signal::derive(error_of("subject"))/>
                <div class="field">
                    <label for="log-notes">"Notes"</label>
                    <textarea id="log-notes" rows="4" bind:value=notes aria-describedby="log-notes-error"
                        aria-invalid=move || aria_invalid(error_of("notes")().is_some())></textarea>
                    <p class="field-error" id="log-notes-error">{error_of("notes")}</p>
                </div>
                <div class="field" class:field-invalid=move || error_of("jobReferenceId")().is_some()>
                    <label for="log-job">"Job (optional)"</label>
                    <select id="log-job" on:change=move |ev| job.set(event_target_value(&ev)) aria-describedby="log-job-error"
                        aria-invalid=move || aria_invalid(error_of("jobReferenceId")().is_some())>
                        <option value="">"No job"</option>
                        {move || jobs.get().unwrap_or_default().into_iter().map(|j| view! {
                            <option value=j.id.clone()>{format!("{} ({})", j.title, j.status.label())}</option>
                        }).collect_view()}
                    </select>
                    <p class="field-error" id="log-job-error">{error_of("jobReferenceId")}</p>
                </div>
                <fieldset class="participants">
                    <legend>"Participants"</legend>
                    {move || contacts.get().into_iter().map(|(id, name)| {
                        let checked_id = id.clone();
                        view! {
                            <label class="check">
                                <input type="checkbox"
                                    prop:checked=move || chosen.with(|c| c.contains(&checked_id))
                                    on:change=move |_| chosen.update(|c| {
                                        if let Some(i) = c.iter().position(|x| *x == id) { c.remove(i); } else { c.push(id.clone()); }
                                    })/>
                                {name}
                            </label>
                        }
                    }).collect_view()}
                    <For each=move || guests.get() key=|g| g.key children=move |g| {
                        view! {
                            <div class="grid-2 guest">
                                <div class="field">
                                    <label for=format!("guest-name-{}", g.key)>"Someone else: name"</label>
                                    <input id=format!("guest-name-{}", g.key) type="text" bind:value=g.name/>
                                </div>
                                <div class="field">
                                    <label for=format!("guest-email-{}", g.key)>"Their email"</label>
                                    <input id=format!("guest-email-{}", g.key) type="email" bind:value=g.email/>
                                </div>
                            </div>
                        }
                    }/>
                    <button type="button" class="button-quiet" on:click=add_guest>"Add someone else"</button>
                    <p class="field-error">{move || errors.with(|e| {
                        e.iter().filter(|(k, _)| k.starts_with("participants")).map(|(_, m)| m.clone()).collect::<Vec<_>>().join("; ")
                    })}</p>
                </fieldset>
                <label class="check"><input type="checkbox" bind:checked=important/>"Important"</label>
                <label class="check"><input type="checkbox" bind:checked=follow_up/>"Follow-up required"</label>
                <Show when=move || follow_up.get()>
                    <div class="grid-2">
                        <TextField id="log-follow-up-date" label="Follow up by" kind="date" value=follow_up_date
                            error=Signal::derive(error_of("followUpDate"))/>
                        <div class="field">
                            <label for="log-follow-up-notes">"What to follow up on"</label>
                            <input id="log-follow-up-notes" type="text" bind:value=follow_up_notes/>
                        </div>
                    </div>
                </Show>
                <div class="wizard-actions">
                    <button type="button" class="button-quiet" on:click=move |_| on_close.run(false)>"Cancel"</button>
                    <button type="submit" class="button" disabled=move || busy.get()>
                        {move || if busy.get() { "Saving…" } else { "Save" }}
                    </button>
                </div>
            </form>
        </Modal>
    }
}

/// A `datetime-local` value (the browser's time zone) as RFC 3339 UTC.
fn utc_of_local(value: &str) -> Option<String> {
    if value.is_empty() {
        return None;
    }
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(value));
    if date.get_time().is_nan() {
        return None;
    }
    date.to_iso_string().as_string()
}
