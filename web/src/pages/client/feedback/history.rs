//! The feedback history: a row per period, newest first, with a Finalized badge; Edit fills
//! the form with a row that is still open, and managers finalize a row after confirming
//! (it never changes again).

use clientele_core::Permission;
use leptos::{prelude::*, task::spawn_local};

use super::form::Draft;
use crate::{
    api::{
        self, ApiError,
        operations::{FinalizeFeedback, client_feedback_tab, finalize_feedback},
    },
    components::{ErrorNotice, Modal, Pager},
    session::Session,
};

type Found = client_feedback_tab::ClientFeedbackTabClientFeedback;
type Row = client_feedback_tab::ClientFeedbackTabClientFeedbackItems;

/// The table and its pager.
#[component]
pub fn History(
    found: Found,
    draft: Draft,
    refresh: Callback<()>,
    on_page: Callback<i64>,
) -> impl IntoView {
    let finalizing = RwSignal::new(None::<Row>);
    let failure = RwSignal::new(None::<ApiError>);
    let info = found.page_info;
    if found.items.is_empty() {
        return ().into_any();
    }
    view! {
        <h2 id="feedback-history-title">"History"</h2>
        {move || failure.get().map(|e| view! { <ErrorNotice error=e/> })}
        <div class="table-wrap" role="region" aria-labelledby="feedback-history-title" tabindex="0">
            <table class="clients-table feedback-table">
                <thead>
                    <tr>
                        <th scope="col">"Period"</th>
                        <th scope="col">"Given on"</th>
                        <th scope="col"><abbr title="Responsiveness">"Resp."</abbr></th>
                        <th scope="col"><abbr title="Communication">"Comm."</abbr></th>
                        <th scope="col"><abbr title="Requirements clarity">"Clarity"</abbr></th>
                        <th scope="col"><abbr title="Decision speed">"Speed"</abbr></th>
                        <th scope="col">"Overall"</th>
                        <th scope="col">"Written feedback"</th>
                        <th scope="col">"Submitted by"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {found.items.into_iter().map(|row| view! {
                        <HistoryRow row=row draft=draft finalizing=finalizing/>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <Pager page=info.page total_pages=info.total_pages total=info.total
            noun=("feedback", "feedbacks") on_page=on_page/>
        {move || finalizing.get().map(|row| view! {
            <FinalizeDialog row=row on_close=Callback::new(move |result: Option<Result<(), ApiError>>| {
                finalizing.set(None);
                match result {
                    Some(Ok(())) => { failure.set(None); refresh.run(()); }
                    Some(Err(error)) => failure.set(Some(error)),
                    None => {}
                }
            })/>
        })}
    }
    .into_any()
}

/// One period's feedback.
#[component]
fn HistoryRow(row: Row, draft: Draft, finalizing: RwSignal<Option<Row>>) -> impl IntoView {
    let session = Session::get();
    let open = !row.is_finalized;
    let status = if row.is_finalized {
        let by = row
            .finalized_by
            .as_ref()
            .map(|u| format!(" by {}", u.full_name))
            .unwrap_or_default();
        view! { <span class="badge badge-finalized">"Finalized"</span><span class="finalized-by">{by}</span> }.into_any()
    } else {
        view! { <span class="badge badge-open">"Open"</span> }.into_any()
    };
    let edit = {
        let row = row.clone();
        move |_| {
            draft.period.set(row.period.clone());
            draft.date.set(row.feedback_date.clone());
            let values = [
                row.responsiveness,
                row.communication,
                row.requirements_clarity,
                row.decision_speed,
                row.overall_satisfaction,
            ];
            for (signal, value) in draft.ratings.iter().zip(values) {
                signal.set(u8::try_from(value).unwrap_or(3));
            }
            draft
                .written
                .set(row.written_feedback.clone().unwrap_or_default());
            if let Some(field) = leptos::prelude::document().get_element_by_id("feedback-period") {
                let _ = wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(field).focus();
            }
        }
    };
    let finalize = {
        let row = row.clone();
        move |_| finalizing.set(Some(row.clone()))
    };
    let period = row.period.clone();
    view! {
        <tr>
            <th scope="row">{row.period.clone()}</th>
            <td>{row.feedback_date.clone()}</td>
            <td>{row.responsiveness}</td>
            <td>{row.communication}</td>
            <td>{row.requirements_clarity}</td>
            <td>{row.decision_speed}</td>
            <td>{row.overall_satisfaction}</td>
            <td class="written">{row.written_feedback.clone().unwrap_or_else(|| "—".to_owned())}</td>
            <td>{row.submitted_by.as_ref().map(|u| u.full_name.clone())}</td>
            <td>{status}</td>
            <td class="row-actions">
                {(open && session.may(Permission::ManageFeedback)).then(|| view! {
                    <button type="button" class="button-quiet" on:click=edit
                        aria-label=format!("Edit the feedback for {period}")>"Edit"</button>
                })}
                {(open && session.may(Permission::FinalizeFeedback)).then(|| view! {
                    <button type="button" class="button-quiet" on:click=finalize
                        aria-label=format!("Finalize the feedback for {}", row.period)>"Finalize"</button>
                })}
            </td>
        </tr>
    }
}

/// "Finalize the feedback for 2026-Q3?": it can never change again.
#[component]
fn FinalizeDialog(
    row: Row,
    /// `None` when cancelled, else the server's answer.
    on_close: Callback<Option<Result<(), ApiError>>>,
) -> impl IntoView {
    let session = Session::get();
    let busy = RwSignal::new(false);
    let id = row.id.clone();
    let confirm = move |_| {
        busy.set(true);
        let variables = finalize_feedback::Variables { id: id.clone() };
        spawn_local(async move {
            let answer = api::call::<FinalizeFeedback>(session, variables).await;
            on_close.run(Some(answer.map(drop)));
        });
    };
    view! {
        <Modal labelled_by="finalize-title" described_by="finalize-text"
            on_close=Callback::new(move |()| on_close.run(None))>
                <h2 id="finalize-title" tabindex="-1">{format!("Finalize the feedback for {}?", row.period)}</h2>
                <p id="finalize-text">"Finalized feedback can never be changed again. This is recorded in the audit log."</p>
                <div class="wizard-actions">
                    <button type="button" class="button-quiet"
                        on:click=move |_| on_close.run(None)>"Cancel"</button>
                    <button type="button" class="button" disabled=move || busy.get() on:click=confirm>"Finalize"</button>
                </div>
        </Modal>
    }
}
