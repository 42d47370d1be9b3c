//! Feedback: ratings checked field by field, one per client and period, finalized once by a
//! manager, and averages and trends the database computes.

use chrono::NaiveDate;
use clientele::auth::Role;
use sqlx::PgPool;

use crate::helpers::{Refused, TestApp, submit_feedback::SubmitFeedbackInput};

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a date")
}

fn rated(period: &str, date: &str, ratings: [i64; 5]) -> SubmitFeedbackInput {
    SubmitFeedbackInput {
        period: period.to_owned(),
        feedback_date: Some(day(date)),
        responsiveness: Some(ratings[0]),
        communication: Some(ratings[1]),
        requirements_clarity: Some(ratings[2]),
        decision_speed: Some(ratings[3]),
        overall_satisfaction: Some(ratings[4]),
        written_feedback: None,
    }
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn ratings_outside_one_to_five_or_missing_are_refused_by_name(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let client = app.create_named_client("Rated Ltd", vec![]).await;
    let mut input = rated("2026-Q3", "2026-09-30", [0, 6, 3, 3, 3]);
    input.requirements_clarity = None;
    input.period = "2026-Q5".into();
    let refused = app
        .submit_feedback(Role::Manager, client.clone(), input)
        .await
        .refused("VALIDATION");
    assert_eq!(
        refused.fields(),
        [
            "communication",
            "period",
            "requirementsClarity",
            "responsiveness"
        ]
    );
    assert_eq!(
        refused.field("responsiveness"),
        Some("must be a whole number from 1 to 5")
    );
    assert_eq!(refused.field("requirementsClarity"), Some("is required"));

    for (value, ok) in [(1, true), (5, true)] {
        let result = app
            .submit_feedback(
                Role::Admin,
                client.clone(),
                rated("2026-07", "2026-07-31", [value; 5]),
            )
            .await;
        assert_eq!(result.is_ok(), ok, "{value}: {result:?}");
    }
    let rows: i64 = sqlx::query_scalar("select count(*) from client_feedback")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    assert_eq!(
        rows, 1,
        "the second submission for 2026-07 updated the first"
    );
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_period_is_updated_until_a_manager_finalizes_it_and_then_never_again(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let client = app.create_named_client("Final Ltd", vec![]).await;
    let first = app
        .submit_feedback(
            Role::Admin,
            client.clone(),
            rated("2026-Q2", "2026-06-20", [3; 5]),
        )
        .await
        .expect("submitted");
    let again = app
        .submit_feedback(
            Role::Manager,
            client.clone(),
            rated("2026-Q2", "2026-06-25", [4; 5]),
        )
        .await
        .expect("updated");
    assert_eq!(again.id, first.id, "updated, not duplicated");
    assert_eq!(again.overall_satisfaction, 4);
    assert_eq!(
        again.submitted_by.map(|u| u.email).as_deref(),
        Some("manager@test.local")
    );

    app.finalize_feedback(Role::Admin, first.id.clone())
        .await
        .refused("FORBIDDEN");
    let finalized = app
        .finalize_feedback(Role::Manager, first.id.clone())
        .await
        .expect("finalized");
    assert!(finalized.is_finalized && finalized.finalized_at.is_some());
    assert_eq!(
        finalized.finalized_by.map(|u| u.email).as_deref(),
        Some("manager@test.local")
    );
    app.finalize_feedback(Role::Manager, first.id.clone())
        .await
        .refused("CONFLICT");
    let refused = app
        .submit_feedback(
            Role::Manager,
            client,
            rated("2026-Q2", "2026-06-26", [1; 5]),
        )
        .await
        .refused("CONFLICT");
    assert!(refused.message.contains("finalized"), "{}", refused.message);

    let audit: Vec<(String, Option<uuid::Uuid>)> =
        sqlx::query_as("select action, actor_id from audit_log where entity = 'feedback'")
            .fetch_all(&app.pool)
            .await
            .expect("audit");
    assert_eq!(
        audit,
        [(
            "feedback.finalized".to_owned(),
            Some(app.users[&Role::Manager])
        )]
    );
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn averages_and_trends_match_hand_computed_figures(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let client = app.create_named_client("Trending Ltd", vec![]).await;
    // responsiveness, communication, clarity, decision speed, overall
    for (period, date, ratings) in [
        ("2025-Q4", "2025-12-15", [2, 2, 2, 2, 2]),
        ("2026-Q1", "2026-03-15", [3, 4, 2, 5, 3]),
        ("2026-Q2", "2026-06-15", [4, 4, 3, 5, 4]),
        ("2026-Q3", "2026-09-15", [5, 3, 4, 4, 5]),
    ] {
        app.submit_feedback(Role::Manager, client.clone(), rated(period, date, ratings))
            .await
            .expect("submitted");
    }
    let read = app
        .client_feedback(
            Role::Admin,
            client.clone(),
            Some(day("2026-01-01")),
            Some(day("2026-09-15")),
            3,
        )
        .await
        .expect("feedback");
    // 2026-Q1..Q3: responsiveness (3+4+5)/3 = 4, communication (4+4+3)/3 = 11/3,
    // clarity (2+3+4)/3 = 3, decision speed (5+5+4)/3 = 14/3, overall (3+4+5)/3 = 4.
    let averages = read.feedback_averages;
    assert_eq!(averages.count, 3);
    let close = |a: Option<f64>, b: f64| a.is_some_and(|a| (a - b).abs() < 1e-9);
    assert!(close(averages.averages.responsiveness, 4.0));
    assert!(close(averages.averages.communication, 11.0 / 3.0));
    assert!(close(averages.averages.requirements_clarity, 3.0));
    assert!(close(averages.averages.decision_speed, 14.0 / 3.0));
    assert!(close(averages.averages.overall_satisfaction, 4.0));
    assert_eq!(
        read.feedback.page_info.total, 3,
        "both ends of the range count"
    );

    // The last three periods, oldest first; the first shown still changes from 2025-Q4.
    let trend = read.feedback_trends;
    let periods: Vec<&str> = trend.iter().map(|t| t.period.as_str()).collect();
    assert_eq!(periods, ["2026-Q1", "2026-Q2", "2026-Q3"]);
    assert!(close(trend[0].change.responsiveness, 1.0), "3 - 2");
    assert!(close(trend[1].change.overall_satisfaction, 1.0), "4 - 3");
    assert!(close(trend[2].change.responsiveness, 1.0), "5 - 4");
    assert!(close(trend[2].averages.overall_satisfaction, 5.0));

    let empty = app
        .client_feedback(
            Role::Manager,
            client,
            Some(day("2020-01-01")),
            Some(day("2020-12-31")),
            1,
        )
        .await
        .expect("feedback");
    assert_eq!(empty.feedback_averages.count, 0);
    assert_eq!(empty.feedback_averages.averages.overall_satisfaction, None);
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn only_managers_and_admins_read_feedback(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let client = app.create_named_client("Private Ltd", vec![]).await;
    for role in [Role::Recruiter, Role::Analyst] {
        app.client_feedback(role, client.clone(), None, None, 4)
            .await
            .refused("FORBIDDEN");
    }
    for role in [Role::Manager, Role::Admin] {
        app.client_feedback(role, client.clone(), None, None, 4)
            .await
            .expect("readable");
    }
    let refused = app
        .client_feedback(Role::Manager, client, None, None, 41)
        .await
        .refused("VALIDATION");
    assert_eq!(refused.fields(), ["periods"]);
}
