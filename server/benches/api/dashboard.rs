//! The dashboard benchmark (the seed's checklist item 11, at scale): one client with 500
//! jobs and 20,000 candidates with their stage histories, among 1,000 clients with jobs.
//! Times the whole `Client.dashboard`, a page of `Client.jobs` with per-job figures, a year
//! of daily analytics, the dashboard PDF, and the nightly aggregation of one day for every
//! client.

use std::time::Instant;

use clientele::{analytics, telemetry::SqlStatementCounter};
use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

use crate::{Sample, measure};

/// Jobs of the dashboard's client, and candidates per job.
const JOBS: i64 = 500;
const PER_JOB: i32 = 40;
/// Other clients given jobs, their jobs each, and candidates per job.
const OTHER_CLIENTS: i64 = 999;
const OTHER_JOBS: i64 = 5;
const OTHER_PER_JOB: i32 = 10;
const RUNS: usize = 100;

/// Inserts `per_client` jobs for each client, statuses mixed, opened over the last two
/// years and a third of them filled; their ids.
async fn jobs_for(
    db: &mut sqlx::PgConnection,
    clients: &[Uuid],
    per_client: i64,
) -> anyhow::Result<Vec<Uuid>> {
    Ok(sqlx::query_scalar(
        "insert into jobs (title, status, client_id, opened_at, filled_at, created_at)
         select 'Bench role ' || j, s.status, c.id, s.opened,
                case when s.status = 'filled' then s.opened + make_interval(days => (10 + j % 50)::int) end,
                s.opened
         from unnest($1::uuid[]) as c(id)
         cross join generate_series(1, $2::int8) j
         cross join lateral (
             select (array['open', 'open', 'filled', 'on-hold', 'closed', 'draft'])[1 + j % 6] as status,
                    now() - make_interval(days => (60 + (j * 7) % 670)::int) as opened
         ) s
         returning id",
    )
    .bind(clients)
    .bind(per_client)
    .fetch_all(db)
    .await?)
}

/// The benchmark's data: the dashboard's client (its id) and the 999 others with jobs.
pub async fn seed(pool: &PgPool) -> anyhow::Result<Uuid> {
    let started = Instant::now();
    let mut tx = pool.begin().await?;
    let recruiter: Uuid =
        sqlx::query_scalar("select id from users where email = 'recruiter@clientele.local'")
            .fetch_one(&mut *tx)
            .await?;
    let client: Uuid = sqlx::query_scalar(
        "insert into clients (client_code, name, industry, account_manager_id, created_by,
                              created_at)
         select 'CLT-2020-9002', 'Dashboard Bench Corp', 'Technology', m.id, m.id,
                now() - interval '3 years'
         from users m where m.email = 'manager@clientele.local'
         returning id",
    )
    .fetch_one(&mut *tx)
    .await?;
    let jobs = jobs_for(&mut tx, &[client], JOBS).await?;
    clientele::demo::seed_pipeline(&mut tx, &jobs, PER_JOB, recruiter).await?;
    let others: Vec<Uuid> = sqlx::query_scalar(
        "select id from clients where status = 'active' and id <> $1 order by client_code limit $2",
    )
    .bind(client)
    .bind(OTHER_CLIENTS)
    .fetch_all(&mut *tx)
    .await?;
    let other_jobs = jobs_for(&mut tx, &others, OTHER_JOBS).await?;
    clientele::demo::seed_pipeline(&mut tx, &other_jobs, OTHER_PER_JOB, recruiter).await?;
    sqlx::query(
        "insert into client_communications (client_id, communication_type, subject,
             communication_date, logged_by)
         select $1, 'call', 'Weekly sync ' || g, now() - make_interval(hours => g * 7), $2
         from generate_series(1, 200) g",
    )
    .bind(client)
    .bind(recruiter)
    .execute(&mut *tx)
    .await?;
    // Every client existed on the days aggregated.
    sqlx::query("update clients set created_at = least(created_at, now() - interval '3 years')")
        .execute(&mut *tx)
        .await?;
    // A year of daily figures, as the nightly runs would have written them.
    sqlx::query(
        "insert into client_analytics (client_id, date, active_jobs_count, total_candidates_count,
             screened_count, shortlisted_count, interviewed_count, hired_count,
             avg_time_to_fill_days, avg_candidate_quality_score)
         select $1, current_date - d, 300 + d % 40, 20000 - d * 20, d % 30, d % 20, d % 12, d % 3,
                30 + d % 10, 60 + d % 15
         from generate_series(1, 366) d",
    )
    .bind(client)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    sqlx::query("analyze").execute(pool).await?;
    let (candidates, history): (i64, i64) = sqlx::query_as(
        "select (select count(*) from applications a join jobs j on j.id = a.job_id
                 where j.client_id = $1),
                (select count(*) from application_stage_history)",
    )
    .bind(client)
    .fetch_one(pool)
    .await?;
    anyhow::ensure!(
        candidates == JOBS * i64::from(PER_JOB),
        "the dashboard client has {candidates} candidates"
    );
    println!(
        "seeded the dashboard client (500 jobs, {candidates} candidates) and {} more clients \
         with {} jobs, {history} stage moves in all, in {:.1}s",
        others.len(),
        other_jobs.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(client)
}

/// Times the dashboard, the jobs page, the analytics, the PDF and the aggregation.
pub async fn measure_dashboard(
    app: &axum::Router,
    counter: &SqlStatementCounter,
    token: &str,
    pool: &PgPool,
    client: Uuid,
) -> anyhow::Result<Vec<Sample>> {
    let dashboard = "query($c: ID!) { client(id: $c) { name dashboard { stats { linkedJobs activeJobs totalCandidates hires averageTimeToFillDays } pipeline { stage count } jobStatuses { status count } activities(days: 30, limit: 50) { kind at summary actorName } } } }";
    let jobs = "query($c: ID!) { client(id: $c) { jobs(limit: 20) { items { id title status openedAt candidateCount hires daysOpen pipeline { stage count } client { id } } pageInfo { total } } } }";
    let analytics = "query($c: ID!, $from: Date!, $to: Date!, $g: Granularity!) { client(id: $c) { analytics(dateFrom: $from, dateTo: $to, granularity: $g) { date activeJobs totalCandidates screened shortlisted interviewed hired averageTimeToFillDays averageQualityScore } } }";
    let export = "mutation($c: ID!) { exportDashboardPdf(clientId: $c) { id file { sizeBytes } } }";
    let today = chrono::Utc::now().date_naive();
    let year_ago = today - chrono::Days::new(365);
    let range = move |g: &str| json!({ "c": client, "from": year_ago.to_string(), "to": today.to_string(), "g": g });
    let mut samples = vec![
        measure(
            app,
            counter,
            "dashboard: 500 jobs, 20,000 candidates",
            RUNS,
            token,
            |_| (dashboard, json!({ "c": client })),
        )
        .await?,
        measure(
            app,
            counter,
            "client's jobs: page of 20 with figures",
            RUNS,
            token,
            |_| (jobs, json!({ "c": client })),
        )
        .await?,
        measure(
            app,
            counter,
            "analytics: a year of days",
            RUNS,
            token,
            |_| (analytics, range("DAY")),
        )
        .await?,
        measure(
            app,
            counter,
            "analytics: a year by week",
            RUNS,
            token,
            |_| (analytics, range("WEEK")),
        )
        .await?,
        measure(
            app,
            counter,
            "exportDashboardPdf (SQL, typst, store)",
            20,
            token,
            |_| (export, json!({ "c": client })),
        )
        .await?,
    ];

    let mut clients = 0;
    let mut durations = Vec::new();
    counter.reset();
    for back in 1..=10_u64 {
        let day = clientele::graphql::scalars::Date(today - chrono::Days::new(back));
        let started = Instant::now();
        let mut tx = pool.begin().await?;
        let run = analytics::aggregate_day(&mut tx, day, chrono_tz::Tz::UTC)
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        tx.commit().await?;
        durations.push(started.elapsed());
        clients = run.clients;
    }
    samples.push(Sample {
        name: "nightly aggregation of one day (all clients)",
        durations,
        statements: counter.count(),
    });
    println!(
        "aggregation covers {clients} clients, 1,000 of them with jobs ({} jobs, {} candidates)",
        JOBS + OTHER_CLIENTS * OTHER_JOBS,
        JOBS * i64::from(PER_JOB) + OTHER_CLIENTS * OTHER_JOBS * i64::from(OTHER_PER_JOB)
    );
    Ok(samples)
}
