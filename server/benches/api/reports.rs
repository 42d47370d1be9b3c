//! The performance report benchmark: a client with 12 quarters of feedback, 50 jobs and
//! 2,000 candidates. Times the whole `generatePerformanceReport` (gathering in SQL, typst,
//! storing the PDF, recording it) and, apart, the gathering and the rendering.

use std::time::Instant;

use chrono::NaiveDate;
use clientele::{
    graphql::scalars::Date,
    reports::{ReportRange, gather, render_performance_report, snapshot},
    telemetry::SqlStatementCounter,
};
use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

use crate::{Sample, measure};

/// What the report benchmark found.
pub struct ReportFigures {
    /// End to end, gathering, rendering.
    pub samples: Vec<Sample>,
    /// Size of the PDF.
    pub pdf_bytes: usize,
}

const RUNS: usize = 50;

/// The benchmark's client, its feedback, jobs, candidates and important communications.
pub async fn seed(pool: &PgPool) -> anyhow::Result<Uuid> {
    let mut tx = pool.begin().await?;
    let client: Uuid = sqlx::query_scalar(
        "insert into clients (client_code, name, industry, account_manager_id, created_by)
         select 'CLT-2020-9001', 'Report Bench Holdings', 'Logistics', m.id, m.id
         from users m where m.email = 'manager@clientele.local'
         returning id",
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "insert into client_feedback (client_id, feedback_period, feedback_date,
             responsiveness_rating, communication_rating, requirements_clarity_rating,
             decision_speed_rating, overall_satisfaction, written_feedback, submitted_by)
         select $1, (2024 + q / 4) || '-Q' || (q % 4 + 1),
                make_date(2024 + q / 4, (q % 4) * 3 + 3, 28),
                1 + q % 5, 1 + (q + 1) % 5, 1 + (q * 2) % 5, 1 + (q + 3) % 5, 2 + q % 4,
                'Quarter ' || q, (select id from users where email = 'manager@clientele.local')
         from generate_series(0, 11) q",
    )
    .bind(client)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "insert into jobs (title, status, client_id, opened_at, filled_at)
         select 'Role ' || j,
                case when j % 3 = 0 then 'filled' when j % 3 = 1 then 'open' else 'closed' end,
                $1, timestamp '2024-01-01' + (j * 17 || ' days')::interval,
                case when j % 3 = 0 then timestamp '2024-01-01' + (j * 17 + 20 + j % 30 || ' days')::interval end
         from generate_series(1, 50) j",
    )
    .bind(client)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "with jobs_of_client as (
             select id, row_number() over (order by id) - 1 as n from jobs where client_id = $1
         ),
         people as (
             insert into candidates (full_name, client_id)
             select 'Candidate ' || g, $1 from generate_series(1, 2000) g
             returning id
         ),
         numbered as (select id, row_number() over (order by id) as g from people),
         applied as (
             insert into applications (candidate_id, job_id, stage)
             select p.id, j.id,
                    (array['applied', 'screened', 'shortlisted', 'interviewed', 'offered',
                           'hired', 'rejected'])[1 + p.g % 7]
             from numbered p join jobs_of_client j on j.n = p.g % 50
             returning id, job_id, stage, created_at
         )
         insert into application_stage_history (application_id, job_id, stage, entered_at)
         select id, job_id, stage, timestamp '2024-02-01' + ((abs(hashtext(id::text)) % 1000) || ' days')::interval
         from applied",
    )
    .bind(client)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "insert into client_communications (client_id, communication_type, subject,
             communication_date, logged_by, is_important)
         select $1, 'meeting', 'Quarterly steering meeting ' || g,
                timestamp '2024-01-15' + (g * 25 || ' days')::interval,
                (select id from users where email = 'recruiter@clientele.local'), true
         from generate_series(1, 40) g",
    )
    .bind(client)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    sqlx::query("analyze").execute(pool).await?;
    Ok(client)
}

/// The report's figures, read as the server reads them: on a snapshot transaction.
async fn gathered(
    pool: &PgPool,
    client: Uuid,
    range: ReportRange,
    today: Date,
) -> clientele::error::ApiResult<clientele::reports::ReportData> {
    let mut tx = pool.begin().await?;
    snapshot(&mut tx).await?;
    let data = gather(&mut tx, client, range, today).await?;
    tx.commit().await?;
    Ok(data)
}

fn day(text: &str) -> anyhow::Result<Date> {
    Ok(Date(NaiveDate::parse_from_str(text, "%Y-%m-%d")?))
}

/// Times the report of `client` over 2024–2026.
pub async fn measure_report(
    app: &axum::Router,
    counter: &SqlStatementCounter,
    token: &str,
    pool: &PgPool,
    client: Uuid,
) -> anyhow::Result<ReportFigures> {
    // Each run ends a day earlier, so no two renders are of the same data (typst memoises).
    let generate = "mutation($c: ID!, $to: Date!) { generatePerformanceReport(clientId: $c, dateFrom: \"2024-01-01\", dateTo: $to) { id downloadUrl file { sizeBytes } } }";
    let last_day = day("2026-12-31")?.0;
    let end_to_end = measure(
        app,
        counter,
        "generatePerformanceReport (SQL, typst, store)",
        RUNS,
        token,
        |i| {
            let to = last_day - chrono::Days::new(i as u64);
            (generate, json!({ "c": client, "to": to.to_string() }))
        },
    )
    .await?;

    let range = ReportRange::parse(day("2024-01-01")?, day("2026-12-31")?)
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let today = day("2027-01-04")?;
    let mut gathering = Vec::with_capacity(RUNS);
    counter.reset();
    for _ in 0..RUNS {
        let started = Instant::now();
        std::hint::black_box(
            gathered(pool, client, range, today)
                .await
                .map_err(|e| anyhow::anyhow!("{e:?}"))?,
        );
        gathering.push(started.elapsed());
    }
    let statements = counter.count();
    let data = gathered(pool, client, range, today)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    anyhow::ensure!(
        data.trends.len() == 12 && data.jobs.linked == 50,
        "the bench data is not what it should be"
    );
    let mut rendering = Vec::with_capacity(RUNS);
    let mut cold = Vec::with_capacity(RUNS);
    let mut pdf_bytes = 0;
    for i in 0..RUNS {
        let mut data = data.clone();
        data.generated_on = format!("run {i}");
        let started = Instant::now();
        let pdf = render_performance_report(&data)?;
        rendering.push(started.elapsed());
        pdf_bytes = pdf.len();
        typst::comemo::evict(0);
        let started = Instant::now();
        std::hint::black_box(render_performance_report(&data)?);
        cold.push(started.elapsed());
    }
    Ok(ReportFigures {
        samples: vec![
            end_to_end,
            Sample {
                name: "  of which: gathering the figures (SQL)",
                durations: gathering,
                statements,
            },
            Sample {
                name: "  of which: rendering the PDF (typst)",
                durations: rendering,
                statements: 0,
            },
            Sample {
                name: "rendering, typst's caches emptied first",
                durations: cold,
                statements: 0,
            },
        ],
        pdf_bytes,
    })
}
