//! Performance reports: the PDF read back as text, user text that cannot change the
//! document, the background queue with its retries, and the figures gathered in SQL.

use std::{process::Command, sync::Arc};

use chrono::NaiveDate;
use clientele::{
    auth::Role,
    graphql::scalars::Date,
    reports::{IMPORTANT_SHOWN, ReportRange, gather, snapshot},
};
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use uuid::Uuid;

use crate::{
    attachments::{FaultyStore, get},
    helpers::{Refused, TestApp},
};

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a date")
}

fn id(text: &str) -> Uuid {
    text.parse().expect("a uuid")
}

/// Runs a read on a snapshot transaction of its own, as the report's callers do.
async fn read_only<T>(
    pool: &PgPool,
    read: impl for<'c> FnOnce(
        &'c mut sqlx::PgConnection,
    ) -> futures::future::BoxFuture<'c, clientele::error::ApiResult<T>>,
) -> clientele::error::ApiResult<T> {
    let mut tx = pool.begin().await?;
    snapshot(&mut tx).await?;
    let value = read(&mut tx).await?;
    tx.commit().await?;
    Ok(value)
}

/// Runs a poppler tool on a PDF and returns what it printed.
fn poppler(tool: &str, args: &[&str], pdf: &[u8]) -> String {
    let path = std::env::temp_dir().join(format!("clientele-report-{}.pdf", Uuid::new_v4()));
    std::fs::write(&path, pdf).expect("writing the PDF");
    let output = Command::new(tool)
        .args(args)
        .arg(&path)
        .arg("-")
        .output()
        .unwrap_or_else(|e| panic!("{tool} (poppler-utils; `cargo xtask test` installs it): {e}"));
    let _ = std::fs::remove_file(&path);
    assert!(
        output.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The PDF's text, with runs of white space made one space.
fn pdf_text(pdf: &[u8]) -> String {
    poppler("pdftotext", &[], pdf)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// What `pdfinfo` says of every page: its count and each page's size.
fn pdf_pages(pdf: &[u8]) -> (usize, Vec<String>) {
    let path = std::env::temp_dir().join(format!("clientele-report-{}.pdf", Uuid::new_v4()));
    std::fs::write(&path, pdf).expect("writing the PDF");
    let output = Command::new("pdfinfo")
        .args(["-f", "1", "-l", "99"])
        .arg(&path)
        .output()
        .expect("pdfinfo (poppler-utils; `cargo xtask test` installs it)");
    let _ = std::fs::remove_file(&path);
    let info = String::from_utf8_lossy(&output.stdout).into_owned();
    let pages = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("a page count");
    let sizes = info
        .lines()
        .filter(|l| l.starts_with("Page") && l.contains("size:"))
        .map(|l| {
            l.split_once("size:")
                .map_or("", |(_, s)| s)
                .trim()
                .to_owned()
        })
        .collect();
    (pages, sizes)
}

async fn download(app: &TestApp, url: Option<&str>) -> Vec<u8> {
    let url = url.expect("a download link");
    let (status, _, body) = get(app, url).await;
    assert_eq!(status.as_u16(), 200, "{url}");
    body
}

/// A client with an account manager and an industry.
async fn new_client(app: &TestApp, name: &str) -> String {
    let id = app.create_named_client(name, vec![]).await;
    sqlx::query(
        "update clients set account_manager_id = $2, industry = 'Logistics' where id = $1::uuid",
    )
    .bind(&id)
    .bind(app.users[&Role::Manager])
    .execute(&app.pool)
    .await
    .expect("an account manager");
    id
}

async fn feedback(app: &TestApp, client: &str, period: &str, date: &str, r: [i16; 5]) {
    sqlx::query(
        "insert into client_feedback (client_id, feedback_period, feedback_date,
             responsiveness_rating, communication_rating, requirements_clarity_rating,
             decision_speed_rating, overall_satisfaction, submitted_by)
         values ($1::uuid, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(client)
    .bind(period)
    .bind(day(date))
    .bind(r[0])
    .bind(r[1])
    .bind(r[2])
    .bind(r[3])
    .bind(r[4])
    .bind(app.users[&Role::Manager])
    .execute(&app.pool)
    .await
    .expect("feedback");
}

async fn communication(app: &TestApp, client: &str, subject: &str, date: &str, important: bool) {
    sqlx::query(
        "insert into client_communications (client_id, communication_type, subject,
             communication_date, logged_by, is_important)
         values ($1::uuid, 'meeting', $2, $3::date + time '10:00', $4, $5)",
    )
    .bind(client)
    .bind(subject)
    .bind(day(date))
    .bind(app.users[&Role::Recruiter])
    .bind(important)
    .execute(&app.pool)
    .await
    .expect("a communication");
}

async fn count(app: &TestApp, table: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("select count(*) from {table}")))
        .fetch_one(&app.pool)
        .await
        .expect("count")
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_report_pdf_names_the_client_period_manager_and_averages(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let client = new_client(&app, "Northwind Freight").await;
    feedback(&app, &client, "2025-Q4", "2025-12-31", [1, 1, 1, 1, 1]).await;
    feedback(&app, &client, "2026-Q1", "2026-03-31", [5, 4, 3, 2, 1]).await;
    feedback(&app, &client, "2026-Q2", "2026-06-30", [3, 4, 5, 4, 3]).await;
    feedback(&app, &client, "2026-Q3", "2026-09-30", [4, 5, 4, 4, 5]).await;
    communication(
        &app,
        &client,
        "Quarterly review with the board",
        "2026-05-12",
        true,
    )
    .await;
    communication(&app, &client, "Routine check-in", "2026-05-13", false).await;
    communication(&app, &client, "Kick-off last year", "2025-11-02", true).await;

    let report = app
        .generate_performance_report(
            Role::Manager,
            client.clone(),
            day("2026-01-01"),
            day("2026-09-30"),
            false,
        )
        .await
        .expect("a report");

    assert_eq!(format!("{:?}", report.status), "READY");
    assert_eq!(report.client.name, "Northwind Freight");
    assert_eq!(
        report.requested_by.as_ref().map(|u| u.email.as_str()),
        Some("manager@test.local")
    );
    let file = report.file.as_ref().expect("its file");
    assert_eq!(file.content_type, "application/pdf");
    assert_eq!(
        file.file_name,
        "Performance report Northwind Freight 2026-01-01 to 2026-09-30.pdf"
    );
    let pdf = download(&app, report.download_url.as_deref()).await;
    assert!(pdf.starts_with(b"%PDF-"));
    assert_eq!(file.size_bytes, pdf.len() as i64);
    let sha: String = Sha256::digest(&pdf)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(file.sha256, sha);

    let text = pdf_text(&pdf);
    for expected in [
        "Northwind Freight",
        "1 Jan 2026 – 30 Sep 2026",
        "Test manager",
        "Logistics",
        "Average of 3 feedbacks",
        // (5+3+4)/3, (4+4+5)/3, (3+5+4)/3, (2+4+4)/3, (1+3+5)/3
        "Responsiveness 4.00",
        "Communication 4.33",
        "Requirements clarity 4.00",
        "Decision speed 3.33",
        "Overall satisfaction 3.00",
        "2026-Q1",
        "2026-Q3",
        "Quarterly review with the board",
        "Test recruiter",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} is missing from:\n{text}"
        );
    }
    for absent in ["2025-Q4", "Routine check-in", "Kick-off last year"] {
        assert!(
            !text.contains(absent),
            "{absent:?} is outside the report:\n{text}"
        );
    }
    let (_, sizes) = pdf_pages(&pdf);
    assert!(sizes.iter().all(|s| s.contains("(A4)")), "{sizes:?}");
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_client_name_full_of_typst_markup_is_printed_as_text(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let plain = new_client(&app, "Plain Ltd").await;
    let hostile_name = "#set page(width: 1cm) ] *Acme* $x$ <y> @z";
    let hostile = new_client(&app, hostile_name).await;
    let subject = "#pagebreak() #include \"/etc/passwd\" \\ _under_ `raw`";
    for id in [&plain, &hostile] {
        feedback(&app, id, "2026-Q1", "2026-03-31", [4, 4, 4, 4, 4]).await;
        communication(&app, id, subject, "2026-02-02", true).await;
    }

    let mut pages = Vec::new();
    for id in [&plain, &hostile] {
        let report = app
            .generate_performance_report(
                Role::Admin,
                id.clone(),
                day("2026-01-01"),
                day("2026-03-31"),
                false,
            )
            .await
            .expect("a report");
        let pdf = download(&app, report.download_url.as_deref()).await;
        let text = pdf_text(&pdf);
        assert!(text.contains(subject), "the subject as typed:\n{text}");
        if id == &hostile {
            assert!(text.contains(hostile_name), "the name as typed:\n{text}");
            assert!(!text.contains("root:"), "nothing was read from the disk");
        }
        pages.push(pdf_pages(&pdf));
    }
    assert_eq!(
        pages[0].0, pages[1].0,
        "the markup added or removed no page"
    );
    assert!(
        pages[1].1.iter().all(|s| s.contains("(A4)")),
        "the page size held: {:?}",
        pages[1].1
    );
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn an_async_report_is_pending_until_the_queue_renders_it(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let client = new_client(&app, "Queued Co").await;
    feedback(&app, &client, "2026-Q2", "2026-06-30", [4, 4, 4, 4, 4]).await;

    let pending = app
        .generate_performance_report(
            Role::Admin,
            client.clone(),
            day("2026-04-01"),
            day("2026-06-30"),
            true,
        )
        .await
        .expect("queued");
    assert_eq!(format!("{:?}", pending.status), "PENDING");
    assert!(
        pending.file.is_none() && pending.download_url.is_none() && pending.finished_at.is_none()
    );
    assert_eq!(count(&app, "background_jobs").await, 1);
    assert_eq!(count(&app, "stored_files").await, 0);

    assert_eq!(app.run_pending_jobs().await, 1);

    let ready = app
        .report(Role::Manager, pending.id.clone())
        .await
        .expect("the report");
    assert_eq!(format!("{:?}", ready.status), "READY");
    assert!(ready.finished_at.is_some());
    let text = pdf_text(&download(&app, ready.download_url.as_deref()).await);
    assert!(
        text.contains("Queued Co") && text.contains("1 Apr 2026 – 30 Jun 2026"),
        "{text}"
    );
    assert_eq!(
        count(&app, "background_jobs").await,
        0,
        "a task that ran is gone"
    );
    assert_eq!(app.run_pending_jobs().await, 0);

    for role in [Role::Recruiter, Role::Analyst] {
        app.client_reports(role, client.clone())
            .await
            .refused("FORBIDDEN");
        app.report(role, pending.id.clone())
            .await
            .refused("FORBIDDEN");
    }
    let listed = app
        .client_reports(Role::Admin, client)
        .await
        .expect("reports");
    assert_eq!(listed.reports.page_info.total, 1);
    assert_eq!(listed.reports.items[0].id, pending.id);
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_report_the_queue_cannot_store_is_retried_then_parked_and_marked_failed(pool: PgPool) {
    let store = Arc::new(FaultyStore {
        fail_put: true,
        ..FaultyStore::default()
    });
    let app = TestApp::with_storage(pool, store.clone()).await;
    let client = new_client(&app, "Unlucky Co").await;
    let pending = app
        .generate_performance_report(
            Role::Admin,
            client,
            day("2026-01-01"),
            day("2026-12-31"),
            true,
        )
        .await
        .expect("queued");

    assert_eq!(app.run_pending_jobs().await, 1);
    let (attempts, error, waits): (i32, String, bool) = sqlx::query_as(
        "select attempts, last_error, run_at > now() + interval '2 seconds' from background_jobs",
    )
    .fetch_one(&app.pool)
    .await
    .expect("the task is kept");
    assert_eq!(attempts, 1);
    assert!(error.contains("the store is down"), "{error}");
    assert!(waits, "it waits before its next attempt");
    assert_eq!(
        app.run_pending_jobs().await,
        0,
        "not retried before its time"
    );
    let still = app
        .report(Role::Admin, pending.id.clone())
        .await
        .expect("the report");
    assert_eq!(format!("{:?}", still.status), "PENDING");

    for _ in 2..=5 {
        sqlx::query("update background_jobs set run_at = now()")
            .execute(&app.pool)
            .await
            .expect("due now");
        assert_eq!(app.run_pending_jobs().await, 1);
    }
    let (attempts, parked): (i32, bool) =
        sqlx::query_as("select attempts, parked_at is not null from background_jobs")
            .fetch_one(&app.pool)
            .await
            .expect("the task is parked, not lost");
    assert_eq!((attempts, parked), (5, true));
    sqlx::query("update background_jobs set run_at = now()")
        .execute(&app.pool)
        .await
        .expect("due now");
    assert_eq!(app.run_pending_jobs().await, 0, "a parked task is not run");

    let failed = app
        .report(Role::Admin, pending.id)
        .await
        .expect("the report");
    assert_eq!(format!("{:?}", failed.status), "FAILED");
    assert!(
        failed
            .error
            .as_deref()
            .is_some_and(|e| e.contains("could not be rendered"))
    );
    assert!(failed.download_url.is_none());
    assert_eq!(count(&app, "stored_files").await, 0);
    assert!(store.keys().is_empty());
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_report_that_cannot_be_stored_now_leaves_nothing_behind(pool: PgPool) {
    let store = Arc::new(FaultyStore {
        fail_put: true,
        ..FaultyStore::default()
    });
    let app = TestApp::with_storage(pool, store.clone()).await;
    let client = new_client(&app, "Nothing Left Co").await;
    app.generate_performance_report(
        Role::Manager,
        client,
        day("2026-01-01"),
        day("2026-12-31"),
        false,
    )
    .await
    .refused("INTERNAL");
    assert_eq!(count(&app, "reports").await, 0);
    assert_eq!(count(&app, "stored_files").await, 0);
    assert!(store.keys().is_empty());
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_backwards_range_or_an_unknown_client_is_refused_and_nothing_is_queued(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let client = new_client(&app, "Ranged Co").await;
    for in_background in [false, true] {
        let refused = app
            .generate_performance_report(
                Role::Admin,
                client.clone(),
                day("2026-06-30"),
                day("2026-06-01"),
                in_background,
            )
            .await
            .refused("VALIDATION");
        assert_eq!(refused.field("dateTo"), Some("must not be before dateFrom"));
        app.generate_performance_report(
            Role::Admin,
            Uuid::new_v4().to_string(),
            day("2026-01-01"),
            day("2026-06-01"),
            in_background,
        )
        .await
        .refused("NOT_FOUND");
    }
    app.report(Role::Admin, Uuid::new_v4().to_string())
        .await
        .refused("NOT_FOUND");
    assert_eq!(count(&app, "reports").await, 0);
    assert_eq!(count(&app, "background_jobs").await, 0);
}

/// A job of `client` (or of none), with its dates.
async fn job(
    pool: &PgPool,
    client: Option<Uuid>,
    status: &str,
    opened: &str,
    filled: Option<&str>,
) -> Uuid {
    sqlx::query_scalar(
        "insert into jobs (title, status, client_id, opened_at, filled_at)
         values ('Role', $1, $2, $3::date, $4::date) returning id",
    )
    .bind(status)
    .bind(client)
    .bind(day(opened))
    .bind(filled.map(day))
    .fetch_one(pool)
    .await
    .expect("a job")
}

/// A candidate applied to `job`, now in `stage`, who entered it on `entered`.
async fn applicant(pool: &PgPool, job: Uuid, stage: &str, entered: &str) {
    let candidate: Uuid =
        sqlx::query_scalar("insert into candidates (full_name) values ('Candidate') returning id")
            .fetch_one(pool)
            .await
            .expect("a candidate");
    let application: Uuid = sqlx::query_scalar(
        "insert into applications (candidate_id, job_id, stage) values ($1, $2, $3) returning id",
    )
    .bind(candidate)
    .bind(job)
    .bind(stage)
    .fetch_one(pool)
    .await
    .expect("an application");
    sqlx::query("insert into application_stage_history (application_id, stage, entered_at) values ($1, $2, $3::date)")
        .bind(application)
        .bind(stage)
        .bind(day(entered))
        .execute(pool)
        .await
        .expect("its history");
}

async fn link(app: &TestApp, client: Uuid, job: Uuid, active: bool) {
    sqlx::query("insert into client_job_assignments (client_id, job_id, assigned_by, is_active) values ($1, $2, $3, $4)")
        .bind(client)
        .bind(job)
        .bind(app.users[&Role::Admin])
        .bind(active)
        .execute(&app.pool)
        .await
        .expect("a link");
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn job_and_pipeline_figures_count_the_clients_jobs_and_the_range(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let client = id(&new_client(&app, "Hiring Co").await);
    let other = id(&new_client(&app, "Other Co").await);

    let own_filled = job(
        &pool,
        Some(client),
        "filled",
        "2026-01-10",
        Some("2026-02-09"),
    )
    .await; // 30 days
    let linked_filled = job(&pool, None, "filled", "2026-03-01", Some("2026-03-21")).await; // 20 days
    link(&app, client, linked_filled, true).await;
    let open = job(&pool, Some(client), "open", "2026-04-01", None).await;
    let unlinked = job(&pool, None, "filled", "2026-03-01", Some("2026-03-05")).await;
    link(&app, client, unlinked, false).await;
    let others = job(
        &pool,
        Some(other),
        "filled",
        "2026-03-01",
        Some("2026-03-05"),
    )
    .await;
    let filled_before = job(
        &pool,
        Some(client),
        "filled",
        "2025-10-01",
        Some("2025-12-01"),
    )
    .await;

    applicant(&pool, own_filled, "hired", "2026-02-09").await;
    applicant(&pool, own_filled, "rejected", "2026-01-20").await;
    applicant(&pool, own_filled, "interviewed", "2026-01-25").await;
    applicant(&pool, linked_filled, "hired", "2026-03-21").await;
    applicant(&pool, linked_filled, "applied", "2026-03-02").await;
    applicant(&pool, open, "screened", "2026-04-03").await;
    applicant(&pool, open, "screened", "2026-04-04").await;
    applicant(&pool, filled_before, "hired", "2025-12-01").await;
    applicant(&pool, unlinked, "hired", "2026-03-05").await;
    applicant(&pool, others, "hired", "2026-03-05").await;

    let range =
        ReportRange::parse(Date(day("2026-01-01")), Date(day("2026-06-30"))).expect("a range");
    let data = read_only(&pool, |tx| {
        Box::pin(gather(tx, client, range, Date(day("2026-07-01"))))
    })
    .await
    .expect("gathered");
    let jobs = &data.jobs;
    assert_eq!(
        (jobs.linked, jobs.open, jobs.filled, jobs.hires),
        (4, 1, 2, 2)
    );
    assert_eq!(jobs.time_to_fill, "25.0 days");
    let stages: Vec<(&str, i64)> = jobs
        .stages
        .iter()
        .map(|s| (s.stage.as_str(), s.count))
        .collect();
    assert_eq!(
        stages,
        [
            ("Applied", 1),
            ("Screened", 2),
            ("Interviewed", 1),
            ("Hired", 3),
            ("Rejected", 1)
        ],
        "candidates by stage now, in pipeline order"
    );
    assert_eq!(data.generated_on, "1 Jul 2026");
    assert_eq!(data.averages.count, 0);
    assert!(data.criteria.iter().all(|c| c.average == "—"));
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_report_lists_the_latest_important_communications_and_how_many_there_are(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let client = new_client(&app, "Busy Co").await;
    for n in 1..=30 {
        communication(
            &app,
            &client,
            &format!("Board meeting {n:02}"),
            &format!("2026-03-{n:02}"),
            true,
        )
        .await;
    }
    let range =
        ReportRange::parse(Date(day("2026-03-01")), Date(day("2026-03-31"))).expect("a range");
    let data = read_only(&pool, |tx| {
        Box::pin(gather(tx, id(&client), range, Date(day("2026-04-01"))))
    })
    .await
    .expect("gathered");
    assert_eq!(data.communications_total, 30);
    assert_eq!(data.communications.len() as i64, IMPORTANT_SHOWN);
    assert_eq!(data.communications[0].subject, "Board meeting 30");
    assert_eq!(data.communications[0].date, "30 Mar 2026");
    assert_eq!(data.communications[0].kind, "Meeting");
    assert_eq!(data.communications[24].subject, "Board meeting 06");
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn the_dashboard_exports_as_a_pdf_with_its_figures_funnel_statuses_and_activity(
    pool: PgPool,
) {
    use crate::helpers::{ApplicationStage, JobStatus};
    let app = TestApp::new(pool).await;
    let hostile_name = "#set page(width: 1cm) ] *Dash* $x$";
    let client = new_client(&app, hostile_name).await;
    let mut jobs = Vec::new();
    for (title, status) in [
        ("Forklift driver", JobStatus::Open),
        ("Night shift lead", JobStatus::Open),
        ("Dispatcher", JobStatus::Draft),
    ] {
        let job = app.new_job(title, status, None).await;
        app.link_job(Role::Manager, client.clone(), job.clone())
            .await
            .expect("linked");
        jobs.push(job);
    }
    for (name, path) in [
        ("Ann Archer", vec![ApplicationStage::Screened]),
        (
            "Ben Booker",
            vec![ApplicationStage::Interviewed, ApplicationStage::Hired],
        ),
        ("Cy Carter", vec![]),
    ] {
        let person = app.new_candidate(name).await;
        app.apply_along(&person, &jobs[0], &path).await;
    }

    let report = app
        .export_dashboard_pdf(Role::Analyst, client.clone())
        .await
        .expect("analysts export what they may read");
    assert_eq!(format!("{:?}", report.kind), "DASHBOARD");
    assert_eq!(format!("{:?}", report.status), "READY");
    let today = chrono::Utc::now().date_naive();
    assert_eq!(report.date_to, today);
    assert_eq!(report.date_from, today - chrono::Duration::days(30));
    let file = report.file.as_ref().expect("its file");
    assert_eq!(
        file.file_name,
        format!("Dashboard #set page(width_ 1cm) ] _Dash_ $x$ {today}.pdf"),
        "the name made safe for a file"
    );
    let pdf = download(&app, report.download_url.as_deref()).await;
    let text = pdf_text(&pdf);
    assert!(text.contains(hostile_name), "the name as typed:\n{text}");
    for shown in [
        // pdftotext reads the row of figures label by label, then value by value.
        "Active jobs Linked jobs Candidates Hires Average time to fill 2 3 3 1 —",
        "Applied 1",
        "Screened 1",
        "Hired 1",
        "Open 2",
        "Draft 1",
        "Pipeline funnel",
        "Job statuses",
        "Forklift driver",
        "Ben Booker moved to Hired · Forklift driver",
        "Job linked",
        "Stage changed",
    ] {
        assert!(text.contains(shown), "{shown:?} in:\n{text}");
    }
    let (pages, sizes) = pdf_pages(&pdf);
    assert!(
        pages >= 1 && sizes.iter().all(|s| s.contains("(A4)")),
        "{sizes:?}"
    );
    let listed = app
        .client_reports(Role::Manager, client.clone())
        .await
        .expect("reports");
    assert_eq!(listed.reports.page_info.total, 1);

    app.export_dashboard_pdf(Role::Manager, Uuid::new_v4().to_string())
        .await
        .refused("NOT_FOUND");
}
