//! The client list: debounced search, a filter sidebar, sort, cards or table, pagination.
//! Every choice lives in the URL, so a reload or a shared link shows the same list. In the
//! table view admins tick clients for a bulk action (see `bulk`).

use std::time::Duration;

use clientele_core::{ClientStatus, Permission};
use leptos::{leptos_dom::helpers::TimeoutHandle, prelude::*};
use leptos_router::{
    NavigateOptions,
    components::A,
    hooks::{use_navigate, use_query_map},
    params::ParamsMap,
};

use crate::{
    api::{
        self,
        operations::{ClientList, ListFilters, client_list, list_filters},
    },
    components::{ErrorNotice, Loading, Pager, Picker, StatusBadge, enum_name, from_enum_name},
    pages::bulk::{BulkBar, Picked},
    session::Session,
};

/// The status filters, in the order staff read them.
const STATUSES: [ClientStatus; 4] = [
    ClientStatus::Active,
    ClientStatus::OnHold,
    ClientStatus::Inactive,
    ClientStatus::Archived,
];
const SORTS: [(&str, &str); 7] = [
    ("NAME_ASC", "Name A–Z"),
    ("NAME_DESC", "Name Z–A"),
    ("NEWEST", "Newest first"),
    ("OLDEST", "Oldest first"),
    ("RECENTLY_UPDATED", "Recently updated"),
    ("CODE_ASC", "Client code"),
    ("RELEVANCE", "Best match"),
];
const PAGE_SIZE: i64 = 20;

/// The list's state, as read from and written to the URL.
#[derive(Debug, Clone, PartialEq, Default)]
struct ListState {
    search: String,
    statuses: Vec<ClientStatus>,
    industry: String,
    manager: String,
    sort: String,
    page: i64,
    table: bool,
}

impl ListState {
    fn from_query(q: &ParamsMap) -> Self {
        let text = |k: &str| q.get(k).unwrap_or_default();
        Self {
            search: text("q"),
            statuses: text("status")
                .split(',')
                .filter_map(from_enum_name)
                .collect(),
            industry: text("industry"),
            manager: text("manager"),
            sort: text("sort"),
            page: text("page").parse().ok().filter(|p| *p >= 1).unwrap_or(1),
            table: text("view") == "table",
        }
    }

    fn to_url(&self) -> String {
        let mut parts = Vec::new();
        let mut push = |k: &str, v: &str| {
            if !v.is_empty() {
                parts.push(format!(
                    "{k}={}",
                    String::from(js_sys::encode_uri_component(v))
                ));
            }
        };
        push("q", &self.search);
        let statuses: Vec<String> = self.statuses.iter().map(enum_name).collect();
        push("status", &statuses.join(","));
        push("industry", &self.industry);
        push("manager", &self.manager);
        push("sort", &self.sort);
        if self.page > 1 {
            push("page", &self.page.to_string());
        }
        if self.table {
            push("view", "table");
        }
        if parts.is_empty() {
            "/clients".to_owned()
        } else {
            format!("/clients?{}", parts.join("&"))
        }
    }

    fn variables(&self) -> client_list::Variables {
        let sort = match self.sort.as_str() {
            "NAME_ASC" => Some(client_list::ClientSort::NAME_ASC),
            "NAME_DESC" => Some(client_list::ClientSort::NAME_DESC),
            "NEWEST" => Some(client_list::ClientSort::NEWEST),
            "OLDEST" => Some(client_list::ClientSort::OLDEST),
            "RECENTLY_UPDATED" => Some(client_list::ClientSort::RECENTLY_UPDATED),
            "CODE_ASC" => Some(client_list::ClientSort::CODE_ASC),
            "RELEVANCE" => Some(client_list::ClientSort::RELEVANCE),
            _ => None,
        };
        let statuses = self.statuses.clone();
        let some = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        client_list::Variables {
            filter: Some(client_list::ClientFilter {
                status: (!statuses.is_empty()).then_some(statuses),
                industry: some(&self.industry),
                account_manager_id: some(&self.manager),
                search: some(self.search.trim()),
            }),
            sort,
            page: Some(self.page),
            limit: Some(PAGE_SIZE),
        }
    }
}

/// The list page.
#[component]
pub fn ClientListPage() -> impl IntoView {
    crate::components::set_title("Clients");
    let session = Session::get();
    let query = use_query_map();
    let navigate = use_navigate();
    let state = Memo::new(move |_| query.with(ListState::from_query));
    let go = move |next: ListState| {
        navigate(
            &next.to_url(),
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    };
    let go = StoredValue::new(go);
    let change = move |f: &dyn Fn(&mut ListState)| {
        let mut next = state.get_untracked();
        f(&mut next);
        go.with_value(|go| go(next));
    };

    let clients = crate::load::load(move || {
        let variables = state.get().variables();
        async move { api::call::<ClientList>(session, variables).await }
    });
    // One polite live region says what a search, filter or page change found; after a page
    // change the focus goes to the top of the new results.
    let announcement = RwSignal::new(String::new());
    let focus_results = StoredValue::new(false);
    let may_bulk = session.may(Permission::BulkOperations);
    let selected = RwSignal::new(Vec::<Picked>::new());
    let filters = crate::load::load(move || async move {
        api::call::<ListFilters>(session, list_filters::Variables).await
    });
    let industries = Signal::derive(move || {
        filters
            .get()
            .and_then(Result::ok)
            .map(|f| {
                f.client_industries
                    .into_iter()
                    .map(|i| (i.name.clone(), i.name))
                    .collect()
            })
            .unwrap_or_default()
    });
    let managers = Signal::derive(move || {
        filters
            .get()
            .and_then(Result::ok)
            .map(|f| f.users.into_iter().map(|u| (u.id, u.full_name)).collect())
            .unwrap_or_default()
    });

    // Search as you type, 300 ms after the last key.
    let search_text = RwSignal::new(state.get_untracked().search);
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let on_search = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        search_text.set(text.clone());
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(
            move || {
                change(&|s: &mut ListState| {
                    s.search = text.clone();
                    s.page = 1;
                    if text.trim().is_empty() && s.sort == "RELEVANCE" {
                        s.sort.clear();
                    }
                })
            },
            Duration::from_millis(300),
        )
        .ok();
        pending.set_value(handle);
    };

    view! {
        <div class="list-head">
            <h1>"Clients"</h1>
            <Show when=move || session.may(Permission::ManageClients)>
                <A href="/clients/new" attr:class="button">"Create client"</A>
            </Show>
        </div>
        <div class="list-layout">
            <aside class="filters card" aria-label="Filters">
                <div class="field">
                    <label for="search">"Search"</label>
                    <input
                        id="search"
                        type="search"
                        placeholder="Name, code or contact"
                        prop:value=move || search_text.get()
                        on:input=on_search
                    />
                </div>
                <fieldset class="statuses">
                    <legend>"Status"</legend>
                    {STATUSES
                        .iter()
                        .map(|status| {
                            let status = *status;
                            let count = move || {
                                clients
                                    .get()
                                    .and_then(|r| r.ok())
                                    .map(|d| {
                                        let s = d.clients.summary;
                                        match status {
                                            ClientStatus::Active => s.active,
                                            ClientStatus::OnHold => s.on_hold,
                                            ClientStatus::Inactive => s.inactive,
                                            ClientStatus::Archived => s.archived,
                                        }
                                        .to_string()
                                    })
                                    .unwrap_or_default()
                            };
                            view! {
                                <label class="check">
                                    <input
                                        type="checkbox"
                                        prop:checked=move || state.with(|s| s.statuses.contains(&status))
                                        on:change=move |_| change(&|s: &mut ListState| {
                                            if let Some(i) = s.statuses.iter().position(|x| *x == status) {
                                                s.statuses.remove(i);
                                            } else {
                                                s.statuses.push(status);
                                            }
                                            s.page = 1;
                                        })
                                    />
                                    <span>{status.label()}</span>
                                    <span class="count">{count}</span>
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <Picker
                    id="industry"
                    label="Industry"
                    empty="All industries"
                    value=Signal::derive(move || state.with(|s| s.industry.clone()))
                    options=industries
                    on_change=Callback::new(move |value: String| change(&|s: &mut ListState| {
                        s.industry = value.clone();
                        s.page = 1;
                    }))
                />
                <Picker
                    id="manager"
                    label="Account manager"
                    empty="Anyone"
                    value=Signal::derive(move || state.with(|s| s.manager.clone()))
                    options=managers
                    on_change=Callback::new(move |value: String| change(&|s: &mut ListState| {
                        s.manager = value.clone();
                        s.page = 1;
                    }))
                />
                <button
                    type="button"
                    class="button-quiet"
                    on:click=move |_| {
                        search_text.set(String::new());
                        change(&|s: &mut ListState| *s = ListState { table: s.table, page: 1, ..Default::default() })
                    }
                >
                    "Clear filters"
                </button>
            </aside>
            <section class="results" aria-label="Clients">
                <div class="toolbar">
                    <div class="field inline">
                        <label for="sort">"Sort"</label>
                        <select
                            id="sort"
                            on:change=move |ev| {
                                let value = event_target_value(&ev);
                                change(&|s: &mut ListState| {
                                    s.sort = value.clone();
                                    s.page = 1;
                                })
                            }
                        >
                            {SORTS
                                .iter()
                                .map(|(code, label)| {
                                    let code = *code;
                                    let selected = move || {
                                        state.with(|s| {
                                            let current = if s.sort.is_empty() {
                                                if s.search.trim().is_empty() { "NAME_ASC" } else { "RELEVANCE" }
                                            } else {
                                                s.sort.as_str()
                                            };
                                            current == code
                                        })
                                    };
                                    view! { <option value=code selected=selected>{*label}</option> }
                                })
                                .collect_view()}
                        </select>
                    </div>
                    <div class="view-toggle" role="group" aria-label="View">
                        <button
                            type="button"
                            aria-pressed=move || if state.with(|s| s.table) { "false" } else { "true" }
                            on:click=move |_| change(&|s: &mut ListState| s.table = false)
                        >
                            "Cards"
                        </button>
                        <button
                            type="button"
                            aria-pressed=move || if state.with(|s| s.table) { "true" } else { "false" }
                            on:click=move |_| change(&|s: &mut ListState| s.table = true)
                        >
                            "Table"
                        </button>
                    </div>
                </div>
                <Show when=move || may_bulk && state.with(|s| s.table) && selected.with(|s| !s.is_empty())>
                    <BulkBar selected=selected on_done=Callback::new(move |()| clients.refetch())/>
                </Show>
                <p class="visually-hidden" role="status" aria-live="polite">{move || announcement.get()}</p>
                {crate::load::when_loaded(clients, || view! { <Loading label="Loading clients…"/> }, move |loaded| {
                    match loaded {
                        Err(error) => view! { <ErrorNotice error=error/> }.into_any(),
                        Ok(data) => {
                            let page = data.clients.page_info;
                            let items = data.clients.items;
                            announcement.set(match page.total {
                                0 => "No clients match these filters.".to_owned(),
                                1 => "1 client matches.".to_owned(),
                                n => format!(
                                    "{n} clients match; page {} of {}.",
                                    page.page,
                                    page.total_pages.max(1)
                                ),
                            });
                            if focus_results.get_value() {
                                focus_results.set_value(false);
                                crate::components::focus_after_render("#results-heading");
                            }
                            let table = state.with_untracked(|s| s.table);
                            let body = if items.is_empty() {
                                view! { <p class="empty">"No clients match these filters."</p> }.into_any()
                            } else if table {
                                let selected = may_bulk.then_some(selected);
                                view! { <ClientTable items=items selected=selected/> }.into_any()
                            } else {
                                view! { <ClientCards items=items/> }.into_any()
                            };
                            view! {
                                <h2 id="results-heading" class="visually-hidden" tabindex="-1">
                                    {format!("Results, page {}", page.page)}
                                </h2>
                                {body}
                                <Pager
                                    page=page.page
                                    total_pages=page.total_pages
                                    total=page.total
                                    on_page=Callback::new(move |p: i64| {
                                        focus_results.set_value(true);
                                        change(&|s: &mut ListState| s.page = p);
                                    })
                                />
                            }
                            .into_any()
                        }
                    }
                })}
            </section>
        </div>
    }
}

type Item = client_list::ClientListClientsItems;

fn place(c: &Item) -> String {
    [c.city.as_deref(), c.country.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ")
}

#[component]
fn ClientCards(items: Vec<Item>) -> impl IntoView {
    view! {
        <ul class="cards">
            {items
                .into_iter()
                .map(|c| {
                    let href = format!("/clients/{}", c.id);
                    let place = place(&c);
                    view! {
                        <li class="card client-card">
                            <div class="client-card-head">
                                <A href=href attr:class="client-name">{c.name.clone()}</A>
                                <StatusBadge status=c.status/>
                            </div>
                            <p class="code">{c.client_code.clone()}</p>
                            <dl class="facts">
                                <dt>"Industry"</dt>
                                <dd>{c.industry.clone().unwrap_or_else(|| "—".to_owned())}</dd>
                                <dt>"Location"</dt>
                                <dd>{if place.is_empty() { "—".to_owned() } else { place }}</dd>
                                <dt>"Account manager"</dt>
                                <dd>{c.account_manager.as_ref().map_or("—".to_owned(), |m| m.full_name.clone())}</dd>
                                <dt>"Primary contact"</dt>
                                <dd>{c.primary_contact.as_ref().map_or("—".to_owned(), |p| p.full_name.clone())}</dd>
                            </dl>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

/// The clients as rows; with `selected` (admins), each row has a checkbox and the header
/// one for the whole page.
#[component]
fn ClientTable(items: Vec<Item>, selected: Option<RwSignal<Vec<Picked>>>) -> impl IntoView {
    let page: Vec<Picked> = items
        .iter()
        .map(|c| Picked {
            id: c.id.clone(),
            name: c.name.clone(),
        })
        .collect();
    let select_all = selected.map(|selected| {
        let page = page.clone();
        let all_ticked = {
            let page = page.clone();
            move || selected.with(|s| page.iter().all(|p| s.contains(p)))
        };
        view! {
            <th scope="col" class="select">
                <input type="checkbox" aria-label="Select every client on this page"
                    prop:checked=all_ticked.clone()
                    on:change=move |_| {
                        let tick = !all_ticked();
                        selected.update(|s| {
                            s.retain(|p| !page.contains(p));
                            if tick {
                                s.extend(page.iter().cloned());
                            }
                        });
                    }/>
            </th>
        }
    });
    view! {
        <div class="table-wrap" role="region" aria-label="Clients" tabindex="0">
            <table class="clients-table">
                <thead>
                    <tr>
                        {select_all}
                        <th scope="col">"Name"</th>
                        <th scope="col">"Code"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Industry"</th>
                        <th scope="col">"Location"</th>
                        <th scope="col">"Account manager"</th>
                        <th scope="col">"Primary contact"</th>
                    </tr>
                </thead>
                <tbody>
                    {items
                        .into_iter()
                        .map(|c| {
                            let href = format!("/clients/{}", c.id);
                            let place = place(&c);
                            let tick = selected.map(|selected| {
                                let picked = Picked { id: c.id.clone(), name: c.name.clone() };
                                let label = format!("Select {}", c.name);
                                let ticked = {
                                    let picked = picked.clone();
                                    move || selected.with(|s| s.contains(&picked))
                                };
                                view! {
                                    <td class="select">
                                        <input type="checkbox" aria-label=label prop:checked=ticked.clone()
                                            on:change=move |_| {
                                                let tick = !ticked();
                                                selected.update(|s| {
                                                    s.retain(|p| *p != picked);
                                                    if tick {
                                                        s.push(picked.clone());
                                                    }
                                                });
                                            }/>
                                    </td>
                                }
                            });
                            view! {
                                <tr>
                                    {tick}
                                    <td><A href=href>{c.name.clone()}</A></td>
                                    <td class="code">{c.client_code.clone()}</td>
                                    <td><StatusBadge status=c.status/></td>
                                    <td>{c.industry.clone().unwrap_or_default()}</td>
                                    <td>{place}</td>
                                    <td>{c.account_manager.as_ref().map(|m| m.full_name.clone()).unwrap_or_default()}</td>
                                    <td>{c.primary_contact.as_ref().map(|p| p.full_name.clone()).unwrap_or_default()}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
