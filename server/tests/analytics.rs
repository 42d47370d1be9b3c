//! Dashboards and analytics: headline figures, the merged activity timeline, funnel and
//! statuses against hand-counted fixtures; the nightly aggregation, its series, its
//! schedule firing once from two servers and catching up, and the queue shared by two.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use clientele::{auth::Role, tasks::TaskContext};
use sqlx::{PgPool, postgres::PgPoolOptions};

use crate::helpers::{
    ApplicationStage, JobStatus, Refused, TestApp, client_analytics::Granularity,
};

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a day")
}

/// Backdates a job's opening and filling.
async fn dates(app: &TestApp, job: &str, opened: &str, filled: Option<&str>) {
    sqlx::query("update jobs set opened_at = $2::timestamptz, filled_at = $3::timestamptz where id = $1::uuid")
        .bind(job)
        .bind(opened)
        .bind(filled)
        .execute(&app.pool)
        .await
        .expect("dated");
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn the_dashboard_counts_the_clients_jobs_candidates_hires_and_time_to_fill(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let client = app.create_named_client("Dash Co", vec![]).await;
    let other = app.create_named_client("Other Co", vec![]).await;
    let filled_a = app.new_job("A", JobStatus::Open, Some(&client)).await;
    let filled_b = app.new_job("B", JobStatus::Open, Some(&client)).await;
    app.new_job("C", JobStatus::Open, Some(&client)).await;
    let on_hold = app.new_job("D", JobStatus::Open, Some(&client)).await;
    app.new_job("E", JobStatus::Draft, Some(&client)).await;
    let linked = app.new_job("F", JobStatus::Open, Some(&other)).await;
    let unlinked = app.new_job("G", JobStatus::Open, Some(&other)).await;
    app.link_job(Role::Manager, client.clone(), linked.clone())
        .await
        .expect("linked");
    app.link_job(Role::Manager, client.clone(), unlinked.clone())
        .await
        .expect("linked");
    app.unlink_job(Role::Manager, client.clone(), unlinked.clone())
        .await
        .expect("unlinked");
    for (id, status) in [
        (&filled_a, JobStatus::Filled),
        (&filled_b, JobStatus::Filled),
        (&on_hold, JobStatus::OnHold),
    ] {
        app.set_job_status(Role::Manager, id.clone(), status)
            .await
            .expect("status");
    }
    dates(
        &app,
        &filled_a,
        "2026-01-01T09:00:00Z",
        Some("2026-01-21T09:00:00Z"),
    )
    .await; // 20 days
    dates(
        &app,
        &filled_b,
        "2026-02-01T09:00:00Z",
        Some("2026-03-03T09:00:00Z"),
    )
    .await; // 30 days

    use ApplicationStage::*;
    let ann = app.new_candidate("Ann").await;
    app.apply_along(&ann, &filled_a, &[Screened, Hired]).await;
    app.apply_along(&ann, &linked, &[Screened]).await; // the same person twice: one candidate
    let ben = app.new_candidate("Ben").await;
    app.apply_along(&ben, &filled_a, &[Rejected]).await;
    let cem = app.new_candidate("Cem").await;
    app.apply_along(&cem, &filled_a, &[]).await;
    let dia = app.new_candidate("Dia").await;
    app.apply_along(&dia, &filled_b, &[Screened, Interviewed, Offered, Hired])
        .await;
    let eli = app.new_candidate("Eli").await;
    app.apply_along(&eli, &filled_b, &[Rejected]).await;
    let fay = app.new_candidate("Fay").await;
    app.apply_along(&fay, &linked, &[]).await;
    let gus = app.new_candidate("Gus").await;
    app.apply_along(&gus, &unlinked, &[Hired]).await; // not the client's any more

    let dashboard = app
        .dashboard(Role::Analyst, client, 30, 100)
        .await
        .expect("dashboard")
        .dashboard;
    let stats = dashboard.stats;
    assert_eq!(
        (
            stats.linked_jobs,
            stats.active_jobs,
            stats.total_candidates,
            stats.hires
        ),
        (6, 3, 6, 2),
        "A–E and F; C, D, F; Ann–Fay; Ann and Dia"
    );
    assert_eq!(stats.average_time_to_fill_days, Some(25.0));
    let funnel: Vec<i64> = dashboard.pipeline.iter().map(|s| s.count).collect();
    // applied: Cem, Fay; screened: Ann (F); interviewed 0; offered 0; hired: Ann (A), Dia;
    // rejected: Ben, Eli.
    assert_eq!(funnel, [2, 1, 0, 0, 0, 2, 2]);
    let statuses: Vec<(JobStatus, i64)> = dashboard
        .job_statuses
        .iter()
        .map(|s| (s.status, s.count))
        .collect();
    assert_eq!(
        statuses,
        [
            (JobStatus::Draft, 1),
            (JobStatus::Open, 2),
            (JobStatus::OnHold, 1),
            (JobStatus::Filled, 2),
            (JobStatus::Closed, 0)
        ]
    );
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn recent_activity_merges_every_kind_newest_first_within_the_window(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let client = app.create_named_client("Busy Co", vec![]).await;
    let now = Utc::now();
    let ago = |days: i64| now - Duration::days(days);

    let mut call = crate::communications::note("Quarterly call");
    call.communication_date = Some(ago(2));
    app.log_communication(Role::Recruiter, client.clone(), call)
        .await
        .expect("logged");
    let mut old = crate::communications::note("Old call");
    old.communication_date = Some(ago(40));
    app.log_communication(Role::Recruiter, client.clone(), old)
        .await
        .expect("logged");

    let role = app.new_job("Welder", JobStatus::Open, None).await;
    app.link_job(Role::Manager, client.clone(), role.clone())
        .await
        .expect("linked");
    sqlx::query("update audit_log set at = $1 where action = 'client.job_linked'")
        .bind(ago(3))
        .execute(&app.pool)
        .await
        .expect("dated");

    let person = app.new_candidate("Ann Lee").await;
    let application = app
        .apply_along(&person, &role, &[ApplicationStage::Interviewed])
        .await;
    sqlx::query("update application_stage_history set entered_at = $2 where application_id = $1::uuid and stage = 'applied'")
        .bind(&application)
        .bind(ago(5))
        .execute(&app.pool)
        .await
        .expect("dated");
    sqlx::query("update application_stage_history set entered_at = $2 where application_id = $1::uuid and stage = 'interviewed'")
        .bind(&application)
        .bind(ago(1))
        .execute(&app.pool)
        .await
        .expect("dated");

    app.submit_feedback(
        Role::Manager,
        client.clone(),
        crate::permissions::feedback_input(),
    )
    .await
    .expect("feedback");
    sqlx::query("update client_feedback set created_at = $1")
        .bind(ago(4))
        .execute(&app.pool)
        .await
        .expect("dated");

    let activities = app
        .dashboard(Role::Analyst, client.clone(), 30, 20)
        .await
        .expect("dashboard")
        .dashboard
        .activities;
    let seen: Vec<(String, String)> = activities
        .iter()
        .map(|a| (format!("{:?}", a.kind), a.summary.clone()))
        .collect();
    assert_eq!(
        seen,
        [
            (
                "STAGE_CHANGED".into(),
                "Ann Lee moved to Interviewed · Welder".into()
            ),
            ("COMMUNICATION".into(), "Quarterly call".into()),
            ("JOB_LINKED".into(), "Welder".into()),
            ("FEEDBACK".into(), "Feedback for 2026-Q1".into()),
            (
                "STAGE_CHANGED".into(),
                "Ann Lee moved to Applied · Welder".into()
            ),
        ],
        "newest first; the 40-day-old call is outside the window"
    );
    assert_eq!(activities[1].actor_name.as_deref(), Some("Test recruiter"));
    let first_two = app
        .dashboard(Role::Analyst, client.clone(), 30, 2)
        .await
        .expect("dashboard")
        .dashboard
        .activities;
    assert_eq!(first_two.len(), 2);
    let wide = app
        .dashboard(Role::Analyst, client.clone(), 60, 20)
        .await
        .expect("dashboard")
        .dashboard
        .activities;
    assert_eq!(wide.len(), 6, "sixty days reach the old call");
    let refused = app
        .dashboard(Role::Analyst, client, 0, 500)
        .await
        .refused("VALIDATION");
    assert_eq!(refused.fields(), ["days", "limit"]);
}

/// The figures `run_analytics_aggregation` wrote for a client and day.
async fn row(app: &TestApp, client: &str, date: NaiveDate) -> (i32, i32, i32, i32, i32) {
    sqlx::query_as(
        "select active_jobs_count, total_candidates_count, screened_count, interviewed_count, hired_count
         from client_analytics where client_id = $1::uuid and date = $2",
    )
    .bind(client)
    .bind(date)
    .fetch_one(&app.pool)
    .await
    .expect("a row")
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn aggregation_writes_each_client_and_day_once_and_a_rerun_replaces_it(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let client = app.create_named_client("Counted Co", vec![]).await;
    app.create_named_client("Quiet Co", vec![]).await;
    let role = app.new_job("Nurse", JobStatus::Open, Some(&client)).await;
    let today = Utc::now().date_naive();
    let person = app.new_candidate("Ann").await;
    let application = app
        .apply_along(&person, &role, &[ApplicationStage::Screened])
        .await;

    let run = app
        .run_analytics_aggregation(Role::Admin, today)
        .await
        .expect("aggregated");
    assert_eq!(run.clients, 2, "every client, busy or not");
    assert_eq!(row(&app, &client, today).await, (1, 1, 1, 0, 0));

    app.move_application(Role::Recruiter, application, ApplicationStage::Hired)
        .await
        .expect("hired");
    app.run_analytics_aggregation(Role::Admin, today)
        .await
        .expect("again");
    assert_eq!(
        row(&app, &client, today).await,
        (1, 1, 1, 0, 1),
        "replaced, not added to"
    );
    let rows: i64 = sqlx::query_scalar("select count(*) from client_analytics")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    assert_eq!(rows, 2);

    let yesterday = today.pred_opt().expect("a day");
    let before = app
        .run_analytics_aggregation(Role::Admin, yesterday)
        .await
        .expect("yesterday");
    assert_eq!(before.clients, 0, "no client existed yet");
    app.run_analytics_aggregation(Role::Manager, today)
        .await
        .refused("FORBIDDEN");
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn the_series_keeps_the_last_count_and_sums_the_moves_of_each_bucket(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let client = app.create_named_client("Series Co", vec![]).await;
    // Mon 2026-03-02 … Tue 2026-03-10, and 2026-04-01.
    for (date, active, total, screened, hired) in [
        ("2026-03-02", 1, 10, 1, 0),
        ("2026-03-03", 2, 12, 2, 1),
        ("2026-03-08", 3, 15, 0, 0),
        ("2026-03-09", 4, 20, 5, 2),
        ("2026-03-10", 5, 21, 1, 0),
        ("2026-04-01", 6, 30, 4, 1),
    ] {
        sqlx::query(
            "insert into client_analytics (client_id, date, active_jobs_count, total_candidates_count, screened_count, hired_count)
             values ($1::uuid, $2, $3, $4, $5, $6)",
        )
        .bind(&client)
        .bind(day(date))
        .bind(active)
        .bind(total)
        .bind(screened)
        .bind(hired)
        .execute(&app.pool)
        .await
        .expect("a row");
    }
    let points = |granularity| {
        let app = &app;
        let client = client.clone();
        async move {
            app.client_analytics(
                Role::Analyst,
                client,
                day("2026-03-01"),
                day("2026-04-30"),
                granularity,
            )
            .await
            .expect("series")
            .analytics
            .into_iter()
            .map(|p| {
                (
                    p.date.to_string(),
                    p.active_jobs,
                    p.total_candidates,
                    p.screened,
                    p.hired,
                )
            })
            .collect::<Vec<_>>()
        }
    };
    assert_eq!(points(Granularity::DAY).await.len(), 6);
    assert_eq!(
        points(Granularity::WEEK).await,
        [
            ("2026-03-02".to_owned(), 3, 15, 3, 1),
            ("2026-03-09".to_owned(), 5, 21, 6, 2),
            ("2026-03-30".to_owned(), 6, 30, 4, 1),
        ]
    );
    assert_eq!(
        points(Granularity::MONTH).await,
        [
            ("2026-03-01".to_owned(), 5, 21, 9, 3),
            ("2026-04-01".to_owned(), 6, 30, 4, 1)
        ]
    );
    app.client_analytics(
        Role::Analyst,
        client.clone(),
        day("2026-04-01"),
        day("2026-03-01"),
        Granularity::DAY,
    )
    .await
    .refused("VALIDATION");
    app.client_analytics(
        Role::Analyst,
        client,
        day("2020-01-01"),
        day("2026-03-01"),
        Granularity::DAY,
    )
    .await
    .refused("VALIDATION");
}

/// A second pool on the test's database: another server.
async fn second_server(pool: &PgPool) -> PgPool {
    PgPoolOptions::new()
        .max_connections(4)
        .connect_with((*pool.connect_options()).clone())
        .await
        .expect("a second pool")
}

fn at(text: &str) -> DateTime<Utc> {
    text.parse().expect("an instant")
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn the_schedule_queues_each_day_once_from_two_servers_and_catches_up(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let other = second_server(&pool).await;
    let berlin: chrono_tz::Tz = "Europe/Berlin".parse().expect("a zone");
    let keys = || async {
        sqlx::query_scalar::<_, String>(
            "select schedule_key from background_jobs order by schedule_key",
        )
        .fetch_all(&pool)
        .await
        .expect("keys")
    };

    // 23:30 UTC on 1 March is 00:30 on 2 March in Berlin: 1 March has ended there.
    let now = at("2026-03-01T23:30:00Z");
    let (first, second) = tokio::join!(
        clientele::analytics::tick(&pool, berlin, now),
        clientele::analytics::tick(&other, berlin, now)
    );
    let mut fired: Vec<NaiveDate> = first
        .expect("tick")
        .into_iter()
        .chain(second.expect("tick"))
        .collect();
    fired.sort();
    assert_eq!(
        fired,
        [day("2026-03-01")],
        "one of the two servers queued it"
    );
    assert_eq!(keys().await, ["daily-analytics:2026-03-01"]);
    let again = clientele::analytics::tick(&other, berlin, at("2026-03-02T12:00:00Z"))
        .await
        .expect("tick");
    assert!(again.is_empty(), "2 March has not ended yet");

    // Every server was down for three nights.
    let back = clientele::analytics::tick(&pool, berlin, at("2026-03-05T06:00:00Z"))
        .await
        .expect("tick");
    assert_eq!(
        back,
        [day("2026-03-02"), day("2026-03-03"), day("2026-03-04")]
    );
    assert_eq!(keys().await.len(), 4);

    app.create_named_client("Scheduled Co", vec![]).await;
    sqlx::query("update clients set created_at = '2026-01-01'")
        .execute(&pool)
        .await
        .expect("dated");
    assert_eq!(app.run_pending_jobs().await, 4);
    let days: Vec<NaiveDate> =
        sqlx::query_scalar("select date from client_analytics order by date")
            .fetch_all(&pool)
            .await
            .expect("days");
    assert_eq!(
        days,
        [
            day("2026-03-01"),
            day("2026-03-02"),
            day("2026-03-03"),
            day("2026-03-04")
        ]
    );

    // A long outage is caught up for the last 31 days only.
    let late = clientele::analytics::tick(&pool, berlin, at("2026-06-01T06:00:00Z"))
        .await
        .expect("tick");
    assert_eq!(late.len(), 31);
    assert_eq!(late.first(), Some(&day("2026-05-01")));
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn two_servers_draining_the_queue_run_each_task_once(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let client = app.create_named_client("Twice Co", vec![]).await;
    sqlx::query("update clients set created_at = '2026-01-01'")
        .execute(&pool)
        .await
        .expect("dated");
    let berlin: chrono_tz::Tz = "Europe/Berlin".parse().expect("a zone");
    clientele::analytics::tick(&pool, berlin, at("2026-03-01T12:00:00Z"))
        .await
        .expect("tick");
    clientele::analytics::tick(&pool, berlin, at("2026-03-09T12:00:00Z"))
        .await
        .expect("tick");
    let queued: i64 = sqlx::query_scalar("select count(*) from background_jobs")
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(queued, 9, "28 February to 8 March");
    // Both drain at once; the counts add up to the nine tasks, so none ran twice.
    let mut other_ctx = TaskContext::from(&app.state);
    other_ctx.pool = second_server(&pool).await;
    let ctx = TaskContext::from(&app.state);
    let (a, b) = tokio::join!(
        clientele::tasks::run_pending(&ctx),
        clientele::tasks::run_pending(&other_ctx)
    );
    assert_eq!(a.expect("ran") + b.expect("ran"), 9);
    let rows: i64 =
        sqlx::query_scalar("select count(*) from client_analytics where client_id = $1::uuid")
            .bind(&client)
            .fetch_one(&pool)
            .await
            .expect("rows");
    assert_eq!(rows, 9);
    let left: i64 = sqlx::query_scalar("select count(*) from background_jobs")
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(left, 0);
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn operators_see_parked_tasks_and_give_them_another_round(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    sqlx::query("insert into background_jobs (job_type, payload) values ('aggregate_analytics', '{\"date\": \"not a day\"}')")
        .execute(&pool)
        .await
        .expect("a broken task");
    for _ in 0..5 {
        sqlx::query("update background_jobs set run_at = now()")
            .execute(&pool)
            .await
            .expect("due");
        assert_eq!(app.run_pending_jobs().await, 1);
    }
    use crate::helpers::background_jobs::QueueState;
    let parked = app
        .background_jobs(Role::Admin, QueueState::PARKED)
        .await
        .expect("parked");
    assert_eq!(parked.page_info.total, 1);
    let task = &parked.items[0];
    assert_eq!(
        (task.job_type.as_str(), task.attempts, task.max_attempts),
        ("aggregate_analytics", 5, 5)
    );
    assert!(
        task.last_error
            .as_deref()
            .is_some_and(|e| e.contains("payload")),
        "{:?}",
        task.last_error
    );
    assert_eq!(
        app.background_jobs(Role::Admin, QueueState::WAITING)
            .await
            .expect("waiting")
            .page_info
            .total,
        0
    );

    assert!(
        app.retry_background_job(Role::Admin, task.id.clone())
            .await
            .expect("retried")
    );
    let waiting = app
        .background_jobs(Role::Admin, QueueState::WAITING)
        .await
        .expect("waiting");
    assert_eq!((waiting.page_info.total, waiting.items[0].attempts), (1, 0));
    app.retry_background_job(Role::Admin, task.id.clone())
        .await
        .refused("NOT_FOUND");
    app.background_jobs(Role::Manager, QueueState::ALL)
        .await
        .refused("FORBIDDEN");
}
