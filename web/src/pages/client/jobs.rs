//! The Jobs tab: the client's jobs (its own and those linked) with their figures; for
//! managers and admins, "Link jobs" (search, pick several, link them at once) and Unlink with
//! a confirmation.

use std::collections::BTreeSet;

use clientele_core::{ApplicationStage, Permission};
use leptos::{prelude::*, task::spawn_local};

use super::{ClientPageState, dashboard::days_text};
use crate::{
    api::{
        self, ApiError,
        operations::{
            ClientJobsTab, JobSearch, LinkJobs, UnlinkJob, client_jobs_tab, job_search, link_jobs,
            unlink_job,
        },
    },
    components::{ErrorNotice, Loading, Modal, Pager},
    session::Session,
};

type Job = client_jobs_tab::ClientJobsTabClientJobsItems;
type Found = job_search::JobSearchJobsItems;

const PAGE_SIZE: i64 = 20;

/// The tab.
#[component]
pub fn JobsTab() -> impl IntoView {
    let session = Session::get();
    let state = expect_context::<ClientPageState>();
    let page = RwSignal::new(1_i64);
    let jobs = crate::load::load(move || {
        let variables = client_jobs_tab::Variables {
            id: state.id.get(),
            page: page.get(),
            limit: PAGE_SIZE,
        };
        async move { api::call::<ClientJobsTab>(session, variables).await }
    });
    let linking = RwSignal::new(false);
    let unlinking = RwSignal::new(None::<(String, String)>);
    let notice = RwSignal::new(None::<String>);
    let may_link = session.may(Permission::LinkJobs);

    view! {
        <div class="section-head">
            <h2>"Jobs"</h2>
            <Show when=move || may_link>
                <button type="button" class="button" on:click=move |_| linking.set(true)>"Link jobs"</button>
            </Show>
        </div>
        <p class="status-line" role="status">{move || notice.get()}</p>
        {crate::load::when_loaded(jobs, || view! { <Loading label="Loading jobs…"/> }, move |loaded| {
            match loaded {
                Err(error) => view! { <ErrorNotice error=error/> }.into_any(),
                Ok(data) => {
                    let client_id = data.client.id.clone();
                    let found = data.client.jobs;
                    if found.items.is_empty() {
                        return view! { <p class="empty">"No jobs are linked to this client yet."</p> }.into_any();
                    }
                    view! {
                        <div class="table-wrap" role="region" aria-label="The client's jobs" tabindex="0">
                            <table class="clients-table jobs-table">
                                <thead>
                                    <tr>
                                        <th scope="col">"Job"</th>
                                        <th scope="col">"Status"</th>
                                        <th scope="col">"Candidates"</th>
                                        <th scope="col">"In the pipeline"</th>
                                        <th scope="col">"Hires"</th>
                                        <th scope="col">"Days open"</th>
                                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {found.items.into_iter().map(|job| {
                                        let own = job.client.as_ref().is_some_and(|c| c.id == client_id);
                                        view! { <JobRow job=job own=own may_link=may_link unlinking=unlinking/> }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <Pager page=found.page_info.page total_pages=found.page_info.total_pages
                            total=found.page_info.total noun=("job", "jobs")
                            on_page=Callback::new(move |p| page.set(p))/>
                    }
                    .into_any()
                }
            }
        })}
        {move || linking.get().then(|| view! {
            <LinkDialog client_id=state.id.get_untracked() on_close=Callback::new(move |linked: Option<usize>| {
                linking.set(false);
                if let Some(n) = linked {
                    notice.set(Some(format!("Linked {n} job{}.", if n == 1 { "" } else { "s" })));
                    jobs.refetch();
                }
            })/>
        })}
        {move || unlinking.get().map(|(job_id, title)| view! {
            <UnlinkDialog client_id=state.id.get_untracked() job_id=job_id title=title.clone()
                on_close=Callback::new(move |done: bool| {
                    unlinking.set(None);
                    if done {
                        notice.set(Some(format!("Unlinked {title}.")));
                        jobs.refetch();
                    }
                })/>
        })}
    }
}

/// One job with its figures.
#[component]
fn JobRow(
    job: Job,
    own: bool,
    may_link: bool,
    unlinking: RwSignal<Option<(String, String)>>,
) -> impl IntoView {
    let in_pipeline = job
        .pipeline
        .iter()
        .filter(|p| p.count > 0 && p.stage != ApplicationStage::Rejected)
        .map(|p| format!("{} {}", p.stage.label(), p.count))
        .collect::<Vec<_>>()
        .join(" · ");
    let title = job.title.clone();
    let id = job.id.clone();
    view! {
        <tr>
            <th scope="row">
                {job.title.clone()}
                {own.then(|| view! { <span class="hint">" (created for this client)"</span> })}
            </th>
            <td><span class=format!("badge badge-job-{}", job.status.as_str())>{job.status.label()}</span></td>
            <td>{job.candidate_count}</td>
            <td>{if in_pipeline.is_empty() { "—".to_owned() } else { in_pipeline }}</td>
            <td>{job.hires}</td>
            <td>{days_text(job.days_open)}</td>
            <td>
                {(may_link && !own).then(|| view! {
                    <button type="button" class="button-quiet"
                        aria-label=format!("Unlink {title}")
                        on:click=move |_| unlinking.set(Some((id.clone(), title.clone())))>"Unlink"</button>
                })}
            </td>
        </tr>
    }
}

/// Search for jobs, tick several, link them in one request (all or nothing on the server).
#[component]
fn LinkDialog(client_id: String, on_close: Callback<Option<usize>>) -> impl IntoView {
    let session = Session::get();
    let search = RwSignal::new(String::new());
    let chosen = RwSignal::new(BTreeSet::<String>::new());
    let failure = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let found = crate::load::load(move || {
        let text = search.get();
        let variables = job_search::Variables {
            search: (!text.trim().is_empty()).then(|| text.trim().to_owned()),
            page: 1,
        };
        async move { api::call::<JobSearch>(session, variables).await }
    });
    let this_client = client_id.clone();
    let link = move |_| {
        let ids: Vec<String> = chosen.get_untracked().into_iter().collect();
        if ids.is_empty() {
            return;
        }
        busy.set(true);
        let variables = link_jobs::Variables {
            client_id: client_id.clone(),
            job_ids: ids,
        };
        spawn_local(async move {
            match api::call::<LinkJobs>(session, variables).await {
                Ok(data) => on_close.run(Some(data.link_jobs.len())),
                Err(error) => {
                    busy.set(false);
                    if error.field("jobIds").is_some() {
                        chosen.set(BTreeSet::new());
                        found.refetch();
                    }
                    failure.set(Some(error));
                }
            }
        });
    };
    view! {
        <Modal labelled_by="link-title" class="dialog-wide" on_close=Callback::new(move |()| on_close.run(None))>
                <h2 id="link-title" tabindex="-1">"Link jobs"</h2>
                {move || failure.get().map(|e| match e.field("jobIds") {
                    // Another user removed a chosen job meanwhile: the server linked none.
                    Some(_) => view! {
                        <div class="notice notice-error" role="alert">
                            "Nothing was linked: a chosen job no longer exists. Choose again."
                        </div>
                    }.into_any(),
                    None => view! { <ErrorNotice error=e/> }.into_any(),
                })}
                <div class="field">
                    <label for="job-search">"Search jobs by title"</label>
                    <input id="job-search" type="search" autocomplete="off"
                        on:input=move |ev| search.set(event_target_value(&ev))/>
                </div>
                <Transition fallback=|| view! { <Loading label="Searching…"/> }>
                    {
                        let this_client = this_client.clone();
                        move || {
                            let this_client = this_client.clone();
                            Suspend::new(async move {
                                match found.await {
                                    Err(error) => view! { <ErrorNotice error=error/> }.into_any(),
                                    Ok(data) => view! {
                                        <JobChoices items=data.jobs.items total=data.jobs.page_info.total
                                            client_id=this_client chosen=chosen/>
                                    }
                                    .into_any(),
                                }
                            })
                        }
                    }
                </Transition>
                <div class="wizard-actions">
                    <button type="button" class="button-quiet" on:click=move |_| on_close.run(None)>"Cancel"</button>
                    <button type="button" class="button" on:click=link
                        disabled=move || busy.get() || chosen.with(BTreeSet::is_empty)>
                        {move || match chosen.with(BTreeSet::len) {
                            0 => "Link".to_owned(),
                            1 => "Link 1 job".to_owned(),
                            n => format!("Link {n} jobs"),
                        }}
                    </button>
                </div>
        </Modal>
    }
}

/// The jobs found, each with a checkbox; those already the client's are shown, not offered.
#[component]
fn JobChoices(
    items: Vec<Found>,
    total: i64,
    client_id: String,
    chosen: RwSignal<BTreeSet<String>>,
) -> impl IntoView {
    if items.is_empty() {
        return view! { <p class="empty">"No open, on-hold or draft job matches."</p> }.into_any();
    }
    let shown = items.len();
    view! {
        <fieldset class="job-choices">
            <legend>{if total as usize > shown {
                format!("The first {shown} of {total} jobs found")
            } else {
                format!("{total} job{} found", if total == 1 { "" } else { "s" })
            }}</legend>
            <ul>
                {items.into_iter().map(|job| {
                    let id = job.id.clone();
                    let checkbox_id = format!("job-choice-{}", job.id);
                    let theirs = job.client.as_ref().is_some_and(|c| c.id == client_id);
                    let owner = job.client.as_ref().map(|c| format!(" · for {}", c.name)).unwrap_or_default();
                    view! {
                        <li>
                            <input type="checkbox" id=checkbox_id.clone() disabled=theirs
                                prop:checked=move || chosen.with(|c| c.contains(&id))
                                on:change={
                                    let id = job.id.clone();
                                    move |ev| {
                                        let on = event_target_checked(&ev);
                                        chosen.update(|c| {
                                            if on { c.insert(id.clone()); } else { c.remove(&id); }
                                        });
                                    }
                                }/>
                            <label for=checkbox_id>
                                {job.title.clone()}
                                <span class="hint">{format!(" · {}{owner}", job.status.label())}</span>
                                {theirs.then(|| view! { <span class="hint">" · already this client's"</span> })}
                            </label>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </fieldset>
    }
    .into_any()
}

/// Confirms ending the link to one job.
#[component]
fn UnlinkDialog(
    client_id: String,
    job_id: String,
    title: String,
    on_close: Callback<bool>,
) -> impl IntoView {
    let session = Session::get();
    let failure = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let unlink = move |_| {
        busy.set(true);
        let variables = unlink_job::Variables {
            client_id: client_id.clone(),
            job_id: job_id.clone(),
        };
        spawn_local(async move {
            match api::call::<UnlinkJob>(session, variables).await {
                Ok(_) => on_close.run(true),
                Err(error) => {
                    busy.set(false);
                    failure.set(Some(error));
                }
            }
        });
    };
    view! {
        <Modal labelled_by="unlink-title" on_close=Callback::new(move |()| on_close.run(false))>
                <h2 id="unlink-title" tabindex="-1">{format!("Unlink {title}?")}</h2>
                {move || failure.get().map(|e| view! { <ErrorNotice error=e/> })}
                <p>"The job stays in the system and keeps its candidates; it no longer counts for this client. The link is kept in the audit log and can be made again."</p>
                <div class="wizard-actions">
                    <button type="button" class="button-quiet" on:click=move |_| on_close.run(false)>"Cancel"</button>
                    <button type="button" class="button-danger" disabled=move || busy.get() on:click=unlink>"Unlink"</button>
                </div>
        </Modal>
    }
}
