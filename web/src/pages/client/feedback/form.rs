//! "Add feedback": the period, the day it was given, five rating sliders and the written
//! feedback. A period that already has feedback is updated, unless it was finalized: the
//! server then refuses, and the form says so.

use std::collections::BTreeMap;

use clientele_core::{Criterion, FeedbackPeriod, optional_text};
use leptos::{prelude::*, task::spawn_local};

use crate::{
    api::{
        self, ApiError,
        operations::{SubmitFeedback, submit_feedback},
    },
    clock,
    components::{ErrorNotice, RatingSlider, TextField, aria_invalid, focus_first_invalid},
    pages::client::ClientPageState,
    session::Session,
};

/// The form, for finding its first refused field.
const FORM: &str = ".feedback-form";

/// The longest written feedback the server keeps.
const WRITTEN_MAX: usize = 5000;

/// What the form holds; the history's Edit fills it.
#[derive(Clone, Copy)]
pub struct Draft {
    pub period: RwSignal<String>,
    pub date: RwSignal<String>,
    pub ratings: [RwSignal<u8>; 5],
    pub written: RwSignal<String>,
}

impl Draft {
    /// This quarter, today, every rating 3.
    pub fn new() -> Self {
        Self {
            period: RwSignal::new(clock::current_quarter()),
            date: RwSignal::new(clock::today()),
            ratings: [(); 5].map(|()| RwSignal::new(3)),
            written: RwSignal::new(String::new()),
        }
    }

    /// Back to a new feedback for this quarter.
    fn reset(self) {
        self.period.set(clock::current_quarter());
        self.date.set(clock::today());
        for rating in self.ratings {
            rating.set(3);
        }
        self.written.set(String::new());
    }
}

/// The form.
#[component]
pub fn FeedbackForm(draft: Draft, refresh: Callback<()>) -> impl IntoView {
    let session = Session::get();
    let state = expect_context::<ClientPageState>();
    let errors = RwSignal::new(BTreeMap::<String, String>::new());
    let failure = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error_of =
        move |field: &'static str| Signal::derive(move || errors.with(|e| e.get(field).cloned()));

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        saved.set(String::new());
        failure.set(None);
        let mut found = BTreeMap::new();
        let period = draft.period.get_untracked();
        if let Err(message) = period.parse::<FeedbackPeriod>() {
            found.insert("period".to_owned(), message.to_owned());
        }
        let written = draft.written.get_untracked();
        if let Err(message) = optional_text(Some(&written), WRITTEN_MAX) {
            found.insert("writtenFeedback".to_owned(), message);
        }
        if !found.is_empty() {
            errors.set(found);
            focus_first_invalid(FORM);
            return;
        }
        errors.set(BTreeMap::new());
        let [r1, r2, r3, r4, r5] = draft.ratings.map(|r| Some(i64::from(r.get_untracked())));
        let date = draft.date.get_untracked();
        let input = submit_feedback::SubmitFeedbackInput {
            period: period.trim().to_owned(),
            feedback_date: (!date.is_empty()).then_some(date),
            responsiveness: r1,
            communication: r2,
            requirements_clarity: r3,
            decision_speed: r4,
            overall_satisfaction: r5,
            written_feedback: (!written.trim().is_empty()).then_some(written),
        };
        let variables = submit_feedback::Variables {
            client_id: state.id.get_untracked(),
            input,
        };
        busy.set(true);
        spawn_local(async move {
            let answer = api::call::<SubmitFeedback>(session, variables).await;
            busy.set(false);
            match answer {
                Ok(data) => {
                    saved.set(format!(
                        "Feedback for {} saved.",
                        data.submit_feedback.period
                    ));
                    draft.reset();
                    refresh.run(());
                }
                Err(error) => {
                    errors.set(error.fields.clone());
                    focus_first_invalid(FORM);
                    failure.set(Some(error));
                }
            }
        });
    };

    view! {
        <form class="card form feedback-form" aria-labelledby="feedback-form-title" novalidate on:submit=submit>
            <h2 id="feedback-form-title">"Add feedback"</h2>
            <p class="hint">"A period that already has feedback is updated until it is finalized."</p>
            {move || failure.get().map(|e| view! { <ErrorNotice error=e/> })}
            <div class="grid-2">
                <div class="field" class:field-invalid=move || error_of("period").get().is_some()>
                    <label for="feedback-period">"Period *"</label>
                    <input id="feedback-period" type="text" bind:value=draft.period
                        aria-invalid=move || aria_invalid(error_of("period").get().is_some())
                        aria-describedby="feedback-period-hint feedback-period-error"/>
                    <p class="hint" id="feedback-period-hint">"A quarter like 2026-Q3 or a month like 2026-07"</p>
                    <p class="field-error" id="feedback-period-error">{move || error_of("period").get()}</p>
                </div>
                <TextField id="feedback-date" label="Given on" kind="date" value=draft.date
                    error=error_of("feedbackDate")/>
            </div>
            <fieldset class="ratings">
                <legend>"Ratings (1 Poor … 5 Excellent)"</legend>
                {Criterion::ALL.iter().zip(draft.ratings).map(|(&criterion, value)| view! {
                    <RatingSlider id=format!("rating-{}", criterion.field()) label=criterion.name()
                        value=value error=error_of(criterion.field())/>
                }).collect_view()}
            </fieldset>
            <div class="field" class:field-invalid=move || error_of("writtenFeedback").get().is_some()>
                <label for="feedback-written">"Written feedback"</label>
                <textarea id="feedback-written" rows="4" maxlength=WRITTEN_MAX bind:value=draft.written
                    aria-invalid=move || aria_invalid(error_of("writtenFeedback").get().is_some())
                    aria-describedby="feedback-written-error"></textarea>
                <p class="field-error" id="feedback-written-error">{move || error_of("writtenFeedback").get()}</p>
            </div>
            <div class="wizard-actions">
                <p class="saved" role="status">{move || saved.get()}</p>
                <button type="submit" class="button" disabled=move || busy.get()>
                    {move || if busy.get() { "Saving…" } else { "Submit feedback" }}
                </button>
            </div>
        </form>
    }
}
