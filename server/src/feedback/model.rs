//! A client's feedback for a period, the input that submits it, and its averages and trends.

use async_graphql::{InputObject, SimpleObject};
use chrono::{DateTime, Utc};
use clientele_core::{Criterion, FeedbackPeriod, FieldErrors, Rating, optional_text};
use uuid::Uuid;

use crate::graphql::scalars::Date;

/// What a client said of working with us, for one period.
#[derive(Debug, Clone, serde::Serialize, SimpleObject)]
#[graphql(complex)]
pub struct Feedback {
    /// Unique id.
    #[graphql(skip, derived(name = "id", into = "async_graphql::ID", owned))]
    pub id: Uuid,
    /// The client (see `Client.feedback`).
    #[graphql(skip)]
    pub client_id: Uuid,
    /// The quarter (`2026-Q3`) or month (`2026-07`) it covers.
    pub period: String,
    /// When it was given.
    pub feedback_date: Date,
    /// How quickly we answered, 1–5.
    pub responsiveness: i16,
    /// How well we kept them informed, 1–5.
    pub communication: i16,
    /// How well we understood their requirements, 1–5.
    pub requirements_clarity: i16,
    /// How fast decisions were made, 1–5.
    pub decision_speed: i16,
    /// Overall satisfaction, 1–5.
    pub overall_satisfaction: i16,
    /// What they wrote.
    pub written_feedback: Option<String>,
    /// Who submitted it (see `submittedBy`).
    #[graphql(skip)]
    pub submitted_by: Uuid,
    /// Finalized: it can no longer change.
    pub is_finalized: bool,
    /// Who finalized it (see `finalizedBy`).
    #[graphql(skip)]
    pub finalized_by: Option<Uuid>,
    /// When it was finalized.
    pub finalized_at: Option<DateTime<Utc>>,
    /// When it was first submitted.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// Feedback to submit. Ratings are whole numbers from 1 (poor) to 5 (excellent).
#[derive(InputObject, Debug, Clone, Default)]
pub struct SubmitFeedbackInput {
    /// The quarter (`2026-Q3`) or month (`2026-07`) it covers.
    pub period: String,
    /// When it was given (not in the future).
    pub feedback_date: Option<Date>,
    /// How quickly we answered.
    pub responsiveness: Option<i32>,
    /// How well we kept them informed.
    pub communication: Option<i32>,
    /// How well we understood their requirements.
    pub requirements_clarity: Option<i32>,
    /// How fast decisions were made.
    pub decision_speed: Option<i32>,
    /// Overall satisfaction.
    pub overall_satisfaction: Option<i32>,
    /// What they wrote (up to 5,000 characters).
    pub written_feedback: Option<String>,
}

/// Feedback to submit, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFeedback {
    /// The period.
    pub period: FeedbackPeriod,
    /// When it was given.
    pub feedback_date: Date,
    /// Responsiveness, communication, requirements clarity, decision speed, overall.
    pub ratings: [Rating; 5],
    /// What they wrote.
    pub written_feedback: Option<String>,
}

impl NewFeedback {
    /// Checks the whole input; `today` bounds the feedback date.
    pub fn parse(input: &SubmitFeedbackInput, today: Date) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let period = errors.check("period", input.period.parse::<FeedbackPeriod>());
        let feedback_date = match input.feedback_date {
            None => Some(today),
            Some(date) if date > today => {
                errors.add("feedbackDate", "is in the future");
                None
            }
            Some(date) => Some(date),
        };
        let values = [
            input.responsiveness,
            input.communication,
            input.requirements_clarity,
            input.decision_speed,
            input.overall_satisfaction,
        ];
        let ratings: Vec<Option<Rating>> = values
            .iter()
            .zip(Criterion::ALL.map(Criterion::field))
            .map(|(value, field)| match value {
                None => {
                    errors.add(field, "is required");
                    None
                }
                Some(v) => errors.check(field, Rating::parse(i64::from(*v))),
            })
            .collect();
        let written = errors.check(
            "writtenFeedback",
            optional_text(input.written_feedback.as_deref(), 5000),
        );
        errors.finish(|| {
            let ratings: Vec<Rating> = ratings.into_iter().collect::<Option<_>>()?;
            Some(Self {
                period: period?,
                feedback_date: feedback_date?,
                ratings: ratings.try_into().ok()?,
                written_feedback: written?,
            })
        })
    }
}

/// Average ratings (null where nothing was rated).
#[derive(Debug, Clone, Copy, Default, PartialEq, SimpleObject)]
pub struct FeedbackScores {
    /// Responsiveness.
    pub responsiveness: Option<f64>,
    /// Communication.
    pub communication: Option<f64>,
    /// Requirements clarity.
    pub requirements_clarity: Option<f64>,
    /// Decision speed.
    pub decision_speed: Option<f64>,
    /// Overall satisfaction.
    pub overall_satisfaction: Option<f64>,
}

impl FeedbackScores {
    /// The score of one criterion.
    pub fn of(&self, criterion: Criterion) -> Option<f64> {
        match criterion {
            Criterion::Responsiveness => self.responsiveness,
            Criterion::Communication => self.communication,
            Criterion::RequirementsClarity => self.requirements_clarity,
            Criterion::DecisionSpeed => self.decision_speed,
            Criterion::OverallSatisfaction => self.overall_satisfaction,
        }
    }
}

/// A client's average ratings over a date range.
#[derive(Debug, Clone, Copy, PartialEq, SimpleObject)]
pub struct FeedbackAverages {
    /// How many feedbacks were averaged.
    pub count: i64,
    /// The averages.
    pub averages: FeedbackScores,
}

/// One period of a client's feedback trend.
#[derive(Debug, Clone, PartialEq, SimpleObject)]
pub struct FeedbackTrend {
    /// The period.
    pub period: String,
    /// Feedbacks in it.
    pub count: i64,
    /// Its averages.
    pub averages: FeedbackScores,
    /// The change from the period before (null for the first, or where either is null).
    pub change: FeedbackScores,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Date {
        Date(chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("date"))
    }

    fn input(ratings: [Option<i32>; 5]) -> SubmitFeedbackInput {
        SubmitFeedbackInput {
            period: "2026-Q3".into(),
            feedback_date: Some(day("2026-09-30")),
            responsiveness: ratings[0],
            communication: ratings[1],
            requirements_clarity: ratings[2],
            decision_speed: ratings[3],
            overall_satisfaction: ratings[4],
            written_feedback: None,
        }
    }

    fn problems(input: &SubmitFeedbackInput) -> Vec<String> {
        NewFeedback::parse(input, day("2026-11-25"))
            .err()
            .map(|e| e.fields().map(str::to_owned).collect())
            .unwrap_or_default()
    }

    #[test]
    fn each_rating_out_of_range_or_missing_is_named() {
        assert!(problems(&input([Some(1), Some(5), Some(3), Some(4), Some(2)])).is_empty());
        assert_eq!(
            problems(&input([Some(0), Some(6), None, Some(-3), Some(5)])),
            [
                "responsiveness",
                "communication",
                "requirementsClarity",
                "decisionSpeed"
            ]
        );
    }

    #[test]
    fn the_period_and_date_are_checked() {
        let mut bad = input([Some(3); 5]);
        bad.period = "2026-Q5".into();
        bad.feedback_date = Some(day("2026-12-01"));
        assert_eq!(problems(&bad), ["period", "feedbackDate"]);
    }
}
