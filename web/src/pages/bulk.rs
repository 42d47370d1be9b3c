//! The bulk-action bar of the client list (admins, table view): the ticked clients, an
//! action and what it needs, then a preview of every client's result as the server's dry
//! run answers it, and only then the real run and its result per client.

use clientele_core::ClientStatus;
use leptos::{prelude::*, task::spawn_local};

use crate::{
    api::{
        self, ApiError,
        operations::{BulkUpdateClients, bulk_update_clients as op},
    },
    components::{
        ErrorNotice, Modal, TextField, account_managers, aria_invalid, focus_first_invalid,
    },
    session::Session,
};

/// Most clients one run takes; the server refuses more.
pub const MAX_SELECTED: usize = 50;

/// A client ticked in the list.
#[derive(Debug, Clone, PartialEq)]
pub struct Picked {
    /// Its id.
    pub id: String,
    /// Its name, to show while the server has not answered.
    pub name: String,
}

/// The actions, as the bar offers them.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Action {
    Status,
    Manager,
    Industry,
    Deactivate,
    Reactivate,
}

const ACTIONS: [(Action, &str, &str); 5] = [
    (Action::Status, "status", "Change status"),
    (Action::Manager, "manager", "Reassign account manager"),
    (Action::Industry, "industry", "Set industry"),
    (Action::Deactivate, "deactivate", "Deactivate"),
    (Action::Reactivate, "reactivate", "Reactivate"),
];

type Run = op::BulkUpdateClientsBulkUpdateClients;
type Line = op::BulkUpdateClientsBulkUpdateClientsResults;

/// What the bar asks of the server, read when a button is pressed.
#[derive(Clone, Copy)]
struct Draft {
    action: RwSignal<Action>,
    status: RwSignal<String>,
    manager: RwSignal<String>,
    industry: RwSignal<String>,
    reason: RwSignal<String>,
    archive: RwSignal<bool>,
}

impl Draft {
    fn variables(self, ids: Vec<String>, dry_run: bool, continue_on_error: bool) -> op::Variables {
        let none = op::BulkParameters {
            status: None,
            account_manager_id: None,
            industry: None,
            reason: None,
            details: None,
            archive: None,
        };
        let text = |s: RwSignal<String>| s.get_untracked().trim().to_owned();
        let (operation, parameters) = match self.action.get_untracked() {
            Action::Status => (
                op::BulkOperation::CHANGE_STATUS,
                op::BulkParameters {
                    status: Some(if self.status.get_untracked() == "ACTIVE" {
                        ClientStatus::Active
                    } else {
                        ClientStatus::OnHold
                    }),
                    ..none
                },
            ),
            Action::Manager => (
                op::BulkOperation::REASSIGN_ACCOUNT_MANAGER,
                op::BulkParameters {
                    account_manager_id: Some(text(self.manager)),
                    ..none
                },
            ),
            // An empty industry clears it (the server reads blank text as none).
            Action::Industry => (
                op::BulkOperation::SET_INDUSTRY,
                op::BulkParameters {
                    industry: Some(text(self.industry)),
                    ..none
                },
            ),
            Action::Deactivate => (
                op::BulkOperation::DEACTIVATE,
                op::BulkParameters {
                    reason: Some(text(self.reason)),
                    archive: Some(self.archive.get_untracked()),
                    ..none
                },
            ),
            Action::Reactivate => (op::BulkOperation::REACTIVATE, none),
        };
        op::Variables {
            client_ids: ids,
            operation,
            parameters,
            dry_run,
            continue_on_error,
        }
    }
}

/// The bar above the table while clients are ticked; `on_done` runs after a real run's
/// result is closed (the list reloads).
#[component]
pub fn BulkBar(selected: RwSignal<Vec<Picked>>, on_done: Callback<()>) -> impl IntoView {
    let session = Session::get();
    let draft = Draft {
        action: RwSignal::new(Action::Status),
        status: RwSignal::new("ON_HOLD".to_owned()),
        manager: RwSignal::new(String::new()),
        industry: RwSignal::new(String::new()),
        reason: RwSignal::new(String::new()),
        archive: RwSignal::new(false),
    };
    let managers = account_managers(session);
    let failure = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let result = RwSignal::new(None::<Run>);
    let too_many = move || selected.with(|s| s.len() > MAX_SELECTED);

    let run = move |dry_run: bool, continue_on_error: bool| {
        busy.set(true);
        failure.set(None);
        let ids = selected.with_untracked(|s| s.iter().map(|p| p.id.clone()).collect());
        let variables = draft.variables(ids, dry_run, continue_on_error);
        spawn_local(async move {
            match api::call::<BulkUpdateClients>(session, variables).await {
                Ok(data) => result.set(Some(data.bulk_update_clients)),
                Err(error) => {
                    result.set(None);
                    failure.set(Some(error));
                    focus_first_invalid(".bulk-bar");
                }
            }
            busy.set(false);
        });
    };
    let field_error =
        move |name: &'static str| move || failure.with(|f| f.as_ref().and_then(|f| f.field(name)));
    let close = Callback::new(move |applied: bool| {
        result.set(None);
        if applied {
            selected.set(Vec::new());
            on_done.run(());
        }
    });

    view! {
        <section class="bulk-bar card" aria-labelledby="bulk-title">
            <h2 id="bulk-title" class="bulk-count" aria-live="polite">
                {move || match selected.with(Vec::len) {
                    1 => "1 client selected".to_owned(),
                    n => format!("{n} clients selected"),
                }}
            </h2>
            <div class="bulk-fields">
                <div class="field">
                    <label for="bulk-action">"Action"</label>
                    <select id="bulk-action" on:change=move |ev| {
                        let value = event_target_value(&ev);
                        if let Some((action, _, _)) = ACTIONS.iter().find(|(_, v, _)| *v == value) {
                            draft.action.set(*action);
                            failure.set(None);
                        }
                    }>
                        {ACTIONS.iter().map(|(action, value, label)| view! {
                            <option value=*value selected=*action == Action::Status>{*label}</option>
                        }).collect_view()}
                    </select>
                </div>
                {move || match draft.action.get() {
                    Action::Status => view! {
                        <div class="field">
                            <label for="bulk-status">"New status"</label>
                            <select id="bulk-status" on:change=move |ev| draft.status.set(event_target_value(&ev))>
                                <option value="ON_HOLD" selected=draft.status.get_untracked() == "ON_HOLD">"On hold"</option>
                                <option value="ACTIVE" selected=draft.status.get_untracked() == "ACTIVE">"Active"</option>
                            </select>
                        </div>
                    }.into_any(),
                    Action::Manager => view! {
                        <div class="field" class:field-invalid=move || field_error("parameters.accountManagerId")().is_some()>
                            <label for="bulk-manager">"New account manager"</label>
                            <select id="bulk-manager" on:change=move |ev| draft.manager.set(event_target_value(&ev))
                                aria-describedby="bulk-manager-error"
                                aria-invalid=move || aria_invalid(field_error("parameters.accountManagerId")().is_some())>
                                <option value="">"Choose…"</option>
                                {move || managers.get().into_iter().map(|(id, name)| {
                                    let selected = draft.manager.get_untracked() == id;
                                    view! { <option value=id selected=selected>{name}</option> }
                                }).collect_view()}
                            </select>
                            <p class="field-error" id="bulk-manager-error">{field_error("parameters.accountManagerId")}</p>
                        </div>
                    }.into_any(),
                    Action::Industry => view! {
                        <TextField id="bulk-industry" label="Industry (empty clears it)" value=draft.industry
                            error=Signal::derive(field_error("parameters.industry"))/>
                    }.into_any(),
                    Action::Deactivate => view! {
                        <TextField id="bulk-reason" label="Reason" required=true value=draft.reason
                            error=Signal::derive(field_error("parameters.reason"))/>
                        <label class="check">
                            <input type="checkbox" bind:checked=draft.archive/>
                            <span>"Archive instead"</span>
                        </label>
                    }.into_any(),
                    Action::Reactivate => ().into_any(),
                }}
            </div>
            <div class="bulk-actions">
                <button type="button" id="bulk-preview" class="button"
                    disabled=move || busy.get() || too_many() on:click=move |_| run(true, false)>
                    "Preview changes"
                </button>
                <button type="button" class="button-quiet" on:click=move |_| selected.set(Vec::new())>
                    "Clear selection"
                </button>
            </div>
            <Show when=too_many>
                <p class="notice notice-warning">
                    {format!("At most {MAX_SELECTED} clients at once: untick some first.")}
                </p>
            </Show>
            {move || failure.get().map(|error| view! { <ErrorNotice error=error/> })}
        </section>
        {move || result.get().map(|outcome| view! {
            <BulkDialog outcome=outcome names=selected.get_untracked() busy=busy
                on_apply=Callback::new(move |go_on: bool| run(false, go_on)) on_close=close/>
        })}
    }
}

/// The preview of a dry run (with Apply), or the result of the real run.
#[component]
fn BulkDialog(
    outcome: Run,
    names: Vec<Picked>,
    busy: RwSignal<bool>,
    /// Runs for real; the flag is `continueOnError`.
    on_apply: Callback<bool>,
    /// Closes; the flag says whether a real run happened.
    on_close: Callback<bool>,
) -> impl IntoView {
    let dry_run = outcome.dry_run;
    let totals = outcome.totals.clone();
    let go_on = RwSignal::new(false);
    let title = if dry_run {
        "Preview of the changes".to_owned()
    } else {
        match outcome.status {
            op::BulkRunStatus::APPLIED => "Changes applied".to_owned(),
            op::BulkRunStatus::PARTIALLY_APPLIED => {
                "Changes applied, some clients refused".to_owned()
            }
            _ => "Nothing was changed".to_owned(),
        }
    };
    let summary = format!(
        "{} {}, {} already so, {} refused.",
        totals.ok,
        if dry_run {
            "will change"
        } else if outcome.status == op::BulkRunStatus::NOT_APPLIED {
            "would have changed"
        } else {
            "changed"
        },
        totals.skipped,
        totals.errors,
    );
    let name_of = move |line: &Line| {
        line.before
            .as_ref()
            .map(|b| b.name.clone())
            .or_else(|| {
                names
                    .iter()
                    .find(|p| p.id == line.client_id)
                    .map(|p| p.name.clone())
            })
            .unwrap_or_else(|| line.client_id.clone())
    };
    let rows = outcome
        .results
        .iter()
        .map(|line| {
            let (label, class) = match line.outcome {
                op::BulkOutcome::OK if dry_run => ("Will change", "badge badge-active"),
                op::BulkOutcome::OK => ("Changed", "badge badge-active"),
                op::BulkOutcome::SKIPPED => ("Already so", "badge badge-inactive"),
                _ => ("Refused", "badge badge-refused"),
            };
            view! {
                <tr>
                    <th scope="row">{name_of(line)}</th>
                    <td><span class=class>{label}</span></td>
                    <td>{describe(line)}</td>
                </tr>
            }
        })
        .collect_view();
    let can_apply = move || totals.ok > 0 && (totals.errors == 0 || go_on.get()) && !busy.get();
    let apply_label = format!(
        "Apply to {} client{}",
        totals.ok,
        if totals.ok == 1 { "" } else { "s" }
    );
    view! {
        <Modal labelled_by="bulk-dialog-title" described_by="bulk-dialog-summary" class="dialog-wide"
            return_to="#bulk-preview"
            on_close=Callback::new(move |()| on_close.run(!dry_run))>
                <h2 id="bulk-dialog-title" tabindex="-1">{title}</h2>
                <p id="bulk-dialog-summary">{summary}</p>
                <div class="table-wrap" role="region" aria-label="Each client's change" tabindex="0">
                    <table class="clients-table bulk-table">
                        <thead>
                            <tr>
                                <th scope="col">"Client"</th>
                                <th scope="col">"Result"</th>
                                <th scope="col">"Change or reason"</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                {dry_run.then(|| view! {
                    <p>"Nothing has been changed yet. Every change is recorded in the audit log."</p>
                    {(totals.errors > 0 && totals.ok > 0).then(|| view! {
                        <label class="check">
                            <input type="checkbox" bind:checked=go_on/>
                            <span>"Apply the others and leave the refused clients as they are"</span>
                        </label>
                    })}
                })}
                <div class="wizard-actions">
                    {if dry_run {
                        view! {
                            <button type="button" class="button-quiet" on:click=move |_| on_close.run(false)>"Cancel"</button>
                            <button type="button" class="button" disabled=move || !can_apply()
                                on:click=move |_| on_apply.run(go_on.get_untracked())>{apply_label}</button>
                        }.into_any()
                    } else {
                        view! {
                            <button type="button" class="button" on:click=move |_| on_close.run(true)>"Close"</button>
                        }.into_any()
                    }}
                </div>
        </Modal>
    }
}

/// The change a line makes (before → after), or why it is skipped or refused.
fn describe(line: &Line) -> String {
    if line.outcome != op::BulkOutcome::OK {
        return line.message.clone().unwrap_or_default();
    }
    let (Some(before), Some(after)) = (&line.before, &line.after) else {
        return String::new();
    };
    let manager = |m: &Option<String>| m.clone().unwrap_or_else(|| "nobody".to_owned());
    let industry = |i: &Option<String>| i.clone().unwrap_or_else(|| "none".to_owned());
    let mut changes = Vec::new();
    if before.status != after.status {
        changes.push(format!(
            "{} → {}",
            before.status.label(),
            after.status.label()
        ));
    }
    let (was, now) = (
        before.account_manager.as_ref().map(|m| m.full_name.clone()),
        after.account_manager.as_ref().map(|m| m.full_name.clone()),
    );
    if was != now {
        changes.push(format!("{} → {}", manager(&was), manager(&now)));
    }
    if before.industry != after.industry {
        changes.push(format!(
            "{} → {}",
            industry(&before.industry),
            industry(&after.industry)
        ));
    }
    changes.join("; ")
}
