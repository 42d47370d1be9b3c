//! Jobs of the host system and their pipeline, and jobs linked to clients: status dates,
//! stage history, soft links that come back, all-or-nothing bulk links, per-job figures.

use clientele::auth::Role;
use sqlx::PgPool;

use crate::helpers::{
    ApplicationStage, JobStatus, Refused, TestApp, create_job::CreateJobInput,
    update_job::UpdateJobInput,
};

async fn count(app: &TestApp, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&app.pool)
        .await
        .expect("count")
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_job_records_when_it_opened_and_filled_and_refuses_a_bad_title(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let client = app.create_named_client("Hiring Co", vec![]).await;
    let created = app
        .create_job(
            Role::Admin,
            CreateJobInput {
                title: "Platform Engineer".into(),
                status: JobStatus::Draft,
                client_id: Some(client.clone()),
            },
        )
        .await
        .expect("created");
    assert_eq!(
        created.client.as_ref().map(|c| c.name.as_str()),
        Some("Hiring Co")
    );
    assert!(created.opened_at.is_none() && created.filled_at.is_none());

    let open = app
        .set_job_status(Role::Manager, created.id.clone(), JobStatus::Open)
        .await
        .expect("opened");
    let opened_at = open.opened_at.expect("opened now");
    let filled = app
        .set_job_status(Role::Manager, created.id.clone(), JobStatus::Filled)
        .await
        .expect("filled");
    assert_eq!(
        filled.opened_at.as_ref(),
        Some(&opened_at),
        "opening is kept"
    );
    assert!(filled.filled_at.is_some());
    let reopened = app
        .set_job_status(Role::Manager, created.id.clone(), JobStatus::Open)
        .await
        .expect("reopened");
    assert!(
        reopened.filled_at.is_none(),
        "leaving filled clears the fill date"
    );
    assert_eq!(reopened.opened_at.as_ref(), Some(&opened_at));
    app.set_job_status(Role::Manager, created.id.clone(), JobStatus::Open)
        .await
        .refused("CONFLICT");

    let refused = app
        .create_job(
            Role::Manager,
            CreateJobInput {
                title: "  ".into(),
                status: JobStatus::Open,
                client_id: Some(uuid::Uuid::new_v4().to_string()),
            },
        )
        .await
        .refused("VALIDATION");
    assert_eq!(refused.fields(), ["title"]);
    let refused = app
        .create_job(
            Role::Manager,
            CreateJobInput {
                title: "Ghost job".into(),
                status: JobStatus::Open,
                client_id: Some(uuid::Uuid::new_v4().to_string()),
            },
        )
        .await
        .refused("VALIDATION");
    assert_eq!(refused.field("clientId"), Some("is not a client"));

    let moved = app
        .update_job(
            Role::Manager,
            created.id.clone(),
            UpdateJobInput {
                title: Some("Staff Platform Engineer".into()),
                client_id: None,
            },
        )
        .await
        .expect("renamed");
    assert_eq!(moved.title, "Staff Platform Engineer");
    assert!(moved.client.is_some(), "a client left out stays");
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn jobs_are_found_by_client_status_and_title(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let north = app.create_named_client("North Ltd", vec![]).await;
    let south = app.create_named_client("South Ltd", vec![]).await;
    app.new_job("Data Engineer", JobStatus::Open, Some(&north))
        .await;
    app.new_job("Data Analyst", JobStatus::Draft, Some(&north))
        .await;
    let linked = app.new_job("Designer", JobStatus::Open, Some(&south)).await;
    app.link_job(Role::Manager, north.clone(), linked)
        .await
        .expect("linked");

    let of_north = app
        .jobs(
            Role::Analyst,
            Some(crate::helpers::jobs::JobFilter {
                client_id: Some(north.clone()),
                status: None,
                search: None,
            }),
            1,
            20,
        )
        .await
        .expect("jobs");
    assert_eq!(of_north.page_info.total, 3, "its own and the linked one");
    let data_open = app
        .jobs(
            Role::Recruiter,
            Some(crate::helpers::jobs::JobFilter {
                client_id: None,
                status: Some(vec![JobStatus::Open]),
                search: Some("data".into()),
            }),
            1,
            20,
        )
        .await
        .expect("jobs");
    let titles: Vec<&str> = data_open.items.iter().map(|j| j.title.as_str()).collect();
    assert_eq!(titles, ["Data Engineer"]);
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn an_application_moves_through_stages_and_keeps_its_history(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let job_id = app.new_job("Nurse", JobStatus::Open, None).await;
    let ann = app.new_candidate("Ann Lee").await;
    let applied = app
        .apply_candidate(Role::Recruiter, ann.clone(), job_id.clone())
        .await
        .expect("applied");
    assert_eq!(applied.stage, ApplicationStage::Applied);
    app.apply_candidate(Role::Manager, ann.clone(), job_id.clone())
        .await
        .refused("CONFLICT");

    app.move_application(
        Role::Recruiter,
        applied.id.clone(),
        ApplicationStage::Screened,
    )
    .await
    .expect("screened");
    app.move_application(
        Role::Recruiter,
        applied.id.clone(),
        ApplicationStage::Screened,
    )
    .await
    .refused("CONFLICT");
    let hired = app
        .move_application(Role::Manager, applied.id.clone(), ApplicationStage::Hired)
        .await
        .expect("hired");
    let stages: Vec<ApplicationStage> = hired.history.iter().map(|h| h.stage).collect();
    assert_eq!(
        stages,
        [
            ApplicationStage::Applied,
            ApplicationStage::Screened,
            ApplicationStage::Hired
        ]
    );
    let movers: Vec<Option<&str>> = hired
        .history
        .iter()
        .map(|h| h.changed_by.as_ref().map(|u| u.email.as_str()))
        .collect();
    assert_eq!(
        movers,
        [
            Some("recruiter@test.local"),
            Some("recruiter@test.local"),
            Some("manager@test.local")
        ]
    );

    let listed = app.job(Role::Analyst, job_id).await.expect("the job");
    assert_eq!(listed.applications.page_info.total, 1);
    assert_eq!(listed.applications.items[0].candidate.full_name, "Ann Lee");
    app.move_application(Role::Analyst, applied.id, ApplicationStage::Rejected)
        .await
        .refused("FORBIDDEN");
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn unlinking_keeps_who_and_when_and_linking_again_brings_the_same_link_back(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let client = app.create_named_client("Linked Co", vec![]).await;
    let job_id = app.new_job("Welder", JobStatus::Open, None).await;

    app.link_job(Role::Manager, client.clone(), job_id.clone())
        .await
        .expect("linked");
    app.link_job(Role::Admin, client.clone(), job_id.clone())
        .await
        .expect("linking again changes nothing");
    let listed = app
        .client_jobs(Role::Analyst, client.clone(), None)
        .await
        .expect("jobs");
    assert_eq!(listed.jobs.page_info.total, 1);

    app.unlink_job(Role::Admin, client.clone(), job_id.clone())
        .await
        .expect("unlinked");
    let listed = app
        .client_jobs(Role::Analyst, client.clone(), None)
        .await
        .expect("jobs");
    assert_eq!(listed.jobs.page_info.total, 0);
    let (active, unassigned_by_admin): (bool, bool) = sqlx::query_as(
        "select is_active, unassigned_by = $1 and unassigned_at is not null from client_job_assignments",
    )
    .bind(app.users[&Role::Admin])
    .fetch_one(&app.pool)
    .await
    .expect("the link row");
    assert_eq!((active, unassigned_by_admin), (false, true));
    app.unlink_job(Role::Admin, client.clone(), job_id.clone())
        .await
        .refused("NOT_FOUND");

    app.link_job(Role::Manager, client.clone(), job_id.clone())
        .await
        .expect("linked again");
    assert_eq!(
        count(
            &app,
            "select count(*) from client_job_assignments where is_active and unassigned_at is null"
        )
        .await,
        1
    );
    assert_eq!(
        count(&app, "select count(*) from client_job_assignments").await,
        1,
        "the same row came back"
    );
    assert_eq!(
        count(&app, "select count(*) from audit_log where action in ('client.job_linked', 'client.job_unlinked')").await,
        3,
        "link, unlink, link: the no-op link is not recorded"
    );

    let own = app.new_job("Own job", JobStatus::Open, Some(&client)).await;
    app.unlink_job(Role::Manager, client.clone(), own)
        .await
        .refused("CONFLICT");
    app.link_job(Role::Recruiter, client, job_id)
        .await
        .refused("FORBIDDEN");
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn linking_several_jobs_is_all_or_nothing(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let client = app.create_named_client("Bulk Co", vec![]).await;
    let mut ids = Vec::new();
    for n in 0..3 {
        ids.push(
            app.new_job(&format!("Role {n}"), JobStatus::Open, None)
                .await,
        );
    }
    let stranger = uuid::Uuid::new_v4().to_string();
    let mut with_bad = ids.clone();
    with_bad.push(stranger.clone());
    let refused = app
        .link_jobs(Role::Manager, client.clone(), with_bad)
        .await
        .refused("VALIDATION");
    assert!(
        refused
            .field("jobIds")
            .is_some_and(|m| m.contains(&stranger)),
        "{refused:?}"
    );
    assert_eq!(
        count(&app, "select count(*) from client_job_assignments").await,
        0,
        "nothing linked"
    );
    assert_eq!(
        count(
            &app,
            "select count(*) from audit_log where action = 'client.job_linked'"
        )
        .await,
        0
    );

    let mut twice = ids.clone();
    twice.push(ids[0].clone());
    let linked = app
        .link_jobs(Role::Admin, client.clone(), twice)
        .await
        .expect("linked");
    assert_eq!(linked.len(), 3);
    let listed = app
        .client_jobs(Role::Analyst, client.clone(), None)
        .await
        .expect("jobs");
    assert_eq!(listed.jobs.page_info.total, 3);
    let too_many: Vec<String> = (0..101).map(|_| uuid::Uuid::new_v4().to_string()).collect();
    let refused = app
        .link_jobs(Role::Admin, client, too_many)
        .await
        .refused("VALIDATION");
    assert_eq!(refused.field("jobIds"), Some("must name 1 to 100 jobs"));
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn deactivating_a_client_leaves_its_jobs_linked_but_takes_no_new_links(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let client = app.create_named_client("Paused Co", vec![]).await;
    let first = app.new_job("First", JobStatus::Open, None).await;
    let second = app.new_job("Second", JobStatus::Open, None).await;
    app.link_job(Role::Manager, client.clone(), first)
        .await
        .expect("linked");
    app.deactivate_client(
        Role::Admin,
        client.clone(),
        "Budget freeze".into(),
        None,
        false,
    )
    .await
    .expect("deactivated");
    let listed = app
        .client_jobs(Role::Analyst, client.clone(), None)
        .await
        .expect("jobs");
    assert_eq!(listed.jobs.page_info.total, 1, "still linked");
    let refused = app
        .link_job(Role::Manager, client, second)
        .await
        .refused("CONFLICT");
    assert!(
        refused.message.contains("reactivate it"),
        "{}",
        refused.message
    );
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_clients_jobs_carry_their_pipeline_and_a_job_its_funnel(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let client = app.create_named_client("Funnel Co", vec![]).await;
    let job_id = app.new_job("Chemist", JobStatus::Open, Some(&client)).await;
    let other = app.new_job("Other", JobStatus::Draft, Some(&client)).await;
    // Four candidates: one hired (applied → screened → interviewed → hired), one rejected
    // after screening, one interviewed, one only applied.
    let paths: [&[ApplicationStage]; 4] = [
        &[
            ApplicationStage::Screened,
            ApplicationStage::Interviewed,
            ApplicationStage::Hired,
        ],
        &[ApplicationStage::Screened, ApplicationStage::Rejected],
        &[ApplicationStage::Screened, ApplicationStage::Interviewed],
        &[],
    ];
    for (n, path) in paths.iter().enumerate() {
        let person = app.new_candidate(&format!("Person {n}")).await;
        let application = app
            .apply_candidate(Role::Recruiter, person, job_id.clone())
            .await
            .expect("applied");
        for stage in *path {
            app.move_application(Role::Recruiter, application.id.clone(), *stage)
                .await
                .expect("moved");
        }
    }
    let listed = app
        .client_jobs(Role::Analyst, client.clone(), None)
        .await
        .expect("jobs");
    let chemist = listed
        .jobs
        .items
        .iter()
        .find(|j| j.id == job_id)
        .expect("listed");
    assert_eq!((chemist.candidate_count, chemist.hires), (4, 1));
    let pipeline: Vec<(ApplicationStage, i64)> = chemist
        .pipeline
        .iter()
        .map(|s| (s.stage, s.count))
        .collect();
    assert_eq!(
        pipeline,
        [
            (ApplicationStage::Applied, 1),
            (ApplicationStage::Screened, 0),
            (ApplicationStage::Shortlisted, 0),
            (ApplicationStage::Interviewed, 1),
            (ApplicationStage::Offered, 0),
            (ApplicationStage::Hired, 1),
            (ApplicationStage::Rejected, 1),
        ]
    );
    assert!(
        chemist.days_open.is_some_and(|d| (0.0..0.01).contains(&d)),
        "opened just now"
    );
    let draft = listed
        .jobs
        .items
        .iter()
        .find(|j| j.id == other)
        .expect("listed");
    assert_eq!((draft.candidate_count, draft.days_open), (0, None));

    let figures = app
        .client_job_analytics(Role::Analyst, client.clone(), job_id)
        .await
        .expect("figures")
        .job_analytics;
    let reached: Vec<i64> = figures.reached.iter().map(|s| s.count).collect();
    // applied 4, screened 3, shortlisted 0, interviewed 2, offered 0, hired 1, rejected 1
    assert_eq!(reached, [4, 3, 0, 2, 0, 1, 1]);
    assert_eq!((figures.candidates, figures.hires), (4, 1));
    assert!(figures.average_days_to_hire.is_some_and(|d| d < 0.01));
    assert_eq!(figures.average_quality_score, None);
    app.client_job_analytics(Role::Analyst, client, uuid::Uuid::new_v4().to_string())
        .await
        .refused("NOT_FOUND");
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_clients_jobs_are_filtered_by_the_day_they_opened(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let client = app.create_named_client("Dated Co", vec![]).await;
    let early = app.new_job("Early", JobStatus::Open, Some(&client)).await;
    app.new_job("Late", JobStatus::Open, Some(&client)).await;
    sqlx::query("update jobs set opened_at = '2026-01-10T23:30:00Z' where id = $1::uuid")
        .bind(&early)
        .execute(&app.pool)
        .await
        .expect("backdated");
    let day = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").expect("a day");
    let january = crate::helpers::client_jobs::ClientJobFilter {
        status: None,
        date_from: Some(day("2026-01-01")),
        date_to: Some(day("2026-01-10")),
    };
    let listed = app
        .client_jobs(Role::Analyst, client.clone(), Some(january))
        .await
        .expect("jobs");
    let titles: Vec<&str> = listed.jobs.items.iter().map(|j| j.title.as_str()).collect();
    assert_eq!(titles, ["Early"], "the last day is included whole");
    let backwards = crate::helpers::client_jobs::ClientJobFilter {
        status: None,
        date_from: Some(day("2026-02-01")),
        date_to: Some(day("2026-01-01")),
    };
    app.client_jobs(Role::Analyst, client, Some(backwards))
        .await
        .refused("VALIDATION");
}
