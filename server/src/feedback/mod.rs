//! Client feedback: per quarter or month, four criteria and overall satisfaction rated 1–5,
//! and written feedback. Managers and admins submit and read it; a second submission for a
//! period updates the first until a manager finalizes it, after which it never changes.

pub(crate) mod graphql;
mod model;
mod service;
mod sql;

pub use model::{
    Feedback, FeedbackAverages, FeedbackScores, FeedbackTrend, NewFeedback, SubmitFeedbackInput,
};
pub use service::{averages, finalize, list, submit, trends};
