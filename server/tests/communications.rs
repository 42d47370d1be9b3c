//! Communications: logging with participants and a job, the client's log with its filters,
//! importance, and follow-ups from asking to completing.

use chrono::{Duration, NaiveDate, Utc};
use clientele::auth::Role;
use clientele_core::CommunicationType;
use sqlx::PgPool;
use uuid::Uuid;

use crate::helpers::{
    Refused, TestApp, client_communications, contact, log_communication,
    log_communication::{LogCommunicationInput, ParticipantInput},
};

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// A note with just a subject.
pub fn note(subject: &str) -> LogCommunicationInput {
    LogCommunicationInput {
        type_: CommunicationType::Note,
        subject: subject.to_owned(),
        notes: None,
        communication_date: None,
        participants: Vec::new(),
        job_reference_id: None,
        is_important: false,
        follow_up_required: false,
        follow_up_date: None,
        follow_up_notes: None,
    }
}

fn with_contact(id: &str) -> ParticipantInput {
    ParticipantInput {
        contact_id: Some(id.to_owned()),
        name: None,
        email: None,
    }
}

fn named(name: &str, email: Option<&str>) -> ParticipantInput {
    ParticipantInput {
        contact_id: None,
        name: Some(name.to_owned()),
        email: email.map(str::to_owned),
    }
}

/// A job of the host system for this client (jobs have no API yet).
async fn job_for(app: &TestApp, client: Option<&str>, title: &str) -> String {
    let client: Option<Uuid> = client.map(|c| c.parse().expect("a client id"));
    sqlx::query_scalar::<_, Uuid>(
        "insert into jobs (title, status, client_id, opened_at) values ($1, 'open', $2, now()) returning id",
    )
    .bind(title)
    .bind(client)
    .fetch_one(&app.pool)
    .await
    .expect("job")
    .to_string()
}

async fn contact_ids(app: &TestApp, client: &str) -> Vec<(String, String)> {
    app.client(Role::Analyst, client.to_owned())
        .await
        .expect("client")
        .contacts
        .into_iter()
        .map(|c| (c.full_name, c.id))
        .collect()
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_recruiter_logs_a_meeting_with_contacts_a_guest_and_the_clients_job(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let client = app
        .create_named_client(
            "Hooli",
            vec![
                contact("Gavin Belson", "gavin@hooli.example", true),
                contact("Denpok", "denpok@hooli.example", false),
            ],
        )
        .await;
    let job = job_for(&app, Some(&client), "Staff Engineer").await;
    let contacts = contact_ids(&app, &client).await;
    let follow_up = today() + Duration::days(7);
    let input = LogCommunicationInput {
        type_: CommunicationType::Meeting,
        subject: "  Hiring plan for Q1 ".into(),
        notes: Some("Two senior engineers, one designer.".into()),
        participants: vec![
            with_contact(&contacts[0].1),
            named("Jian Yang", Some("jian@consultant.example")),
        ],
        job_reference_id: Some(job.clone()),
        is_important: true,
        follow_up_required: true,
        follow_up_date: Some(follow_up),
        follow_up_notes: Some("Send shortlists".into()),
        ..note("")
    };
    let logged = app
        .log_communication(Role::Recruiter, client.clone(), input)
        .await
        .expect("logged");
    assert_eq!(logged.type_, CommunicationType::Meeting);
    assert_eq!(logged.subject, "Hiring plan for Q1");
    assert!(logged.is_important);
    assert_eq!(logged.follow_up_date, Some(follow_up));
    assert_eq!(logged.follow_up_notes.as_deref(), Some("Send shortlists"));
    assert!(!logged.follow_up_overdue);
    assert!((Utc::now() - logged.communication_date).num_seconds().abs() < 60);
    assert_eq!(
        logged.logged_by.map(|u| u.email).as_deref(),
        Some("recruiter@test.local")
    );
    assert_eq!(logged.client.map(|c| c.name).as_deref(), Some("Hooli"));
    assert_eq!(
        logged.job.map(|j| (j.id, j.title)),
        Some((job, "Staff Engineer".into()))
    );
    let people: Vec<(String, Option<String>, Option<String>)> = logged
        .participants
        .into_iter()
        .map(|p| (p.name, p.email, p.contact.map(|c| c.id)))
        .collect();
    assert_eq!(
        people,
        [
            (
                "Gavin Belson".to_owned(),
                Some("gavin@hooli.example".to_owned()),
                Some(contacts[0].1.clone())
            ),
            (
                "Jian Yang".to_owned(),
                Some("jian@consultant.example".to_owned()),
                None
            ),
        ]
    );
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn bad_communications_are_refused_field_by_field_and_nothing_is_written(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let client = app
        .create_named_client(
            "Raviga",
            vec![contact("Laurie", "laurie@raviga.example", true)],
        )
        .await;
    let other = app
        .create_named_client(
            "Bachmanity",
            vec![contact("Erlich", "erlich@bachmanity.example", true)],
        )
        .await;
    let strangers_contact = contact_ids(&app, &other).await[0].1.clone();
    let strangers_job = job_for(&app, Some(&other), "Mascot").await;
    let log = |input: LogCommunicationInput| {
        let (app, client) = (&app, client.clone());
        async move { app.log_communication(Role::Manager, client, input).await }
    };

    let refused = log(LogCommunicationInput {
        subject: " ".into(),
        participants: vec![
            ParticipantInput {
                contact_id: None,
                name: None,
                email: None,
            },
            named("Monica", Some("monica(at)raviga")),
        ],
        follow_up_required: true,
        follow_up_date: Some(today() - Duration::days(1)),
        ..note("")
    })
    .await
    .refused("VALIDATION");
    assert_eq!(
        refused.fields(),
        [
            "followUpDate",
            "participants[0].name",
            "participants[1].email",
            "subject"
        ]
    );
    assert_eq!(refused.field("followUpDate"), Some("is in the past"));

    let without_flag = log(LogCommunicationInput {
        follow_up_date: Some(today() + Duration::days(1)),
        ..note("Lunch")
    })
    .await
    .refused("VALIDATION");
    assert_eq!(
        without_flag.field("followUpDate"),
        Some("needs followUpRequired: true")
    );
    let without_date = log(LogCommunicationInput {
        follow_up_required: true,
        ..note("Lunch")
    })
    .await
    .refused("VALIDATION");
    assert_eq!(without_date.fields(), ["followUpDate"]);

    let not_ours = log(LogCommunicationInput {
        participants: vec![with_contact(&strangers_contact)],
        ..note("Lunch")
    })
    .await
    .refused("VALIDATION");
    assert_eq!(
        not_ours.field("participants[0].contactId"),
        Some("is not an active contact of this client")
    );
    let not_our_job = log(LogCommunicationInput {
        job_reference_id: Some(strangers_job),
        ..note("Lunch")
    })
    .await
    .refused("VALIDATION");
    assert_eq!(
        not_our_job.field("jobReferenceId"),
        Some("is not a job of this client")
    );

    app.log_communication(Role::Manager, Uuid::new_v4().to_string(), note("Lunch"))
        .await
        .refused("NOT_FOUND");
    let rows: i64 = sqlx::query_scalar("select count(*) from client_communications")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    assert_eq!(rows, 0);
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_job_linked_to_the_client_may_be_referenced(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let client = app.create_named_client("Endframe", vec![]).await;
    let job = job_for(&app, None, "Compression Engineer").await;
    sqlx::query("insert into client_job_assignments (client_id, job_id, assigned_by) values ($1::uuid, $2::uuid, $3)")
        .bind(&client)
        .bind(&job)
        .bind(app.users[&Role::Admin])
        .execute(&app.pool)
        .await
        .expect("link");
    let logged = app
        .log_communication(
            Role::Recruiter,
            client,
            LogCommunicationInput {
                job_reference_id: Some(job.clone()),
                ..note("Role brief")
            },
        )
        .await
        .expect("logged");
    assert_eq!(logged.job.map(|j| j.id), Some(job));
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn the_log_is_newest_first_paged_and_filtered_by_type_date_and_importance(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let client = app.create_named_client("Pied Piper", vec![]).await;
    let other = app.create_named_client("Nucleus", vec![]).await;
    let base = Utc::now() - Duration::days(30);
    let kinds = [
        CommunicationType::Call,
        CommunicationType::Email,
        CommunicationType::Meeting,
        CommunicationType::VideoCall,
        CommunicationType::Note,
    ];
    for day in 0..10 {
        let input = LogCommunicationInput {
            type_: kinds[day % kinds.len()],
            subject: format!("Day {day}"),
            communication_date: Some(base + Duration::days(day as i64)),
            is_important: day % 3 == 0,
            ..note("")
        };
        app.log_communication(Role::Recruiter, client.clone(), input)
            .await
            .expect("logged");
    }
    app.log_communication(Role::Recruiter, other, note("Someone else's"))
        .await
        .expect("logged");

    let page =
        |filter: Option<client_communications::CommunicationFilter>, page: i64, limit: i64| {
            let (app, client) = (&app, client.clone());
            async move {
                let found = app
                    .client_communications(Role::Analyst, client, filter, page, limit)
                    .await
                    .expect("the log")
                    .communications;
                let subjects: Vec<String> = found.items.into_iter().map(|c| c.subject).collect();
                (subjects, found.page_info.total)
            }
        };
    let (first, total) = page(None, 1, 4).await;
    assert_eq!(first, ["Day 9", "Day 8", "Day 7", "Day 6"]);
    assert_eq!(total, 10);
    let (last, _) = page(None, 3, 4).await;
    assert_eq!(last, ["Day 1", "Day 0"]);

    let filter = |f: client_communications::CommunicationFilter| Some(f);
    let (calls_and_notes, total) = page(
        filter(client_communications::CommunicationFilter {
            types: Some(vec![CommunicationType::Call, CommunicationType::Note]),
            ..Default::default()
        }),
        1,
        20,
    )
    .await;
    assert_eq!(calls_and_notes, ["Day 9", "Day 5", "Day 4", "Day 0"]);
    assert_eq!(total, 4);

    let day = |n: i64| (base + Duration::days(n)).date_naive();
    let (window, _) = page(
        filter(client_communications::CommunicationFilter {
            date_from: Some(day(2)),
            date_to: Some(day(4)),
            ..Default::default()
        }),
        1,
        20,
    )
    .await;
    assert_eq!(
        window,
        ["Day 4", "Day 3", "Day 2"],
        "both ends of the range count"
    );

    let (important, _) = page(
        filter(client_communications::CommunicationFilter {
            important_only: true,
            ..Default::default()
        }),
        1,
        20,
    )
    .await;
    assert_eq!(important, ["Day 9", "Day 6", "Day 3", "Day 0"]);

    let backwards = app
        .client_communications(
            Role::Analyst,
            client,
            filter(client_communications::CommunicationFilter {
                date_from: Some(day(4)),
                date_to: Some(day(2)),
                ..Default::default()
            }),
            1,
            20,
        )
        .await
        .refused("VALIDATION");
    assert_eq!(backwards.fields(), ["filter.dateTo"]);
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn importance_is_toggled_and_a_follow_up_is_set_completed_and_listed(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let client = app.create_named_client("Gilfoyle Security", vec![]).await;
    let logged = app
        .log_communication(Role::Recruiter, client.clone(), note("Pen test results"))
        .await
        .expect("logged");
    let marked = app
        .mark_communication_important(Role::Manager, logged.id.clone(), true)
        .await
        .expect("marked");
    assert!(marked.is_important);

    app.set_follow_up(
        Role::Recruiter,
        logged.id.clone(),
        today() - Duration::days(1),
        None,
    )
    .await
    .refused("VALIDATION");
    let set = app
        .set_follow_up(
            Role::Recruiter,
            logged.id.clone(),
            today(),
            Some("Ask about the budget".into()),
        )
        .await
        .expect("set");
    assert!(set.follow_up_required);
    assert_eq!(set.follow_up_date, Some(today()));

    let mine = app
        .my_follow_ups(Role::Recruiter, Some(today()), 1, 20)
        .await
        .expect("follow-ups");
    assert_eq!(mine.page_info.total, 1);
    assert_eq!(mine.items[0].subject, "Pen test results");
    assert_eq!(
        mine.items[0].client.as_ref().map(|c| c.name.as_str()),
        Some("Gilfoyle Security")
    );
    let nobody_elses = app
        .my_follow_ups(Role::Manager, None, 1, 20)
        .await
        .expect("follow-ups");
    assert_eq!(nobody_elses.page_info.total, 0, "only the user's own");

    let due = app
        .client_communications(
            Role::Analyst,
            client.clone(),
            Some(client_communications::CommunicationFilter {
                follow_up_due: true,
                ..Default::default()
            }),
            1,
            20,
        )
        .await
        .expect("log");
    assert_eq!(due.communications.page_info.total, 1);

    let done = app
        .complete_follow_up(Role::Manager, logged.id.clone())
        .await
        .expect("completed");
    assert!(done.follow_up_completed_at.is_some());
    assert_eq!(
        done.follow_up_completed_by.map(|u| u.email).as_deref(),
        Some("manager@test.local")
    );
    app.complete_follow_up(Role::Manager, logged.id.clone())
        .await
        .refused("CONFLICT");
    let after = app
        .my_follow_ups(Role::Recruiter, None, 1, 20)
        .await
        .expect("follow-ups");
    assert_eq!(
        after.page_info.total, 0,
        "a completed follow-up is no longer open"
    );
    let read = app
        .communication(Role::Analyst, logged.id)
        .await
        .expect("communication");
    assert!(read.follow_up_required && read.follow_up_completed_at.is_some());
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn an_overdue_follow_up_is_flagged(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let client = app.create_named_client("Dunn Holdings", vec![]).await;
    let logged = app
        .log_communication(
            Role::Recruiter,
            client,
            LogCommunicationInput {
                follow_up_required: true,
                follow_up_date: Some(today()),
                ..note("Call back")
            },
        )
        .await
        .expect("logged");
    // Time passes: the follow-up date is now behind us.
    sqlx::query(
        "update client_communications set follow_up_date = current_date - 3 where id = $1::uuid",
    )
    .bind(&logged.id)
    .execute(&app.pool)
    .await
    .expect("ageing");
    let read = app
        .communication(Role::Analyst, logged.id)
        .await
        .expect("communication");
    assert!(read.follow_up_overdue);
}

#[test]
fn the_communication_type_travels_with_its_graphql_name() {
    let input = log_communication::Variables {
        client_id: "x".into(),
        input: LogCommunicationInput {
            type_: CommunicationType::VideoCall,
            ..note("")
        },
    };
    let json = serde_json::to_value(input).expect("json");
    assert_eq!(json["input"]["type"], "VIDEO_CALL");
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_client_lists_its_own_and_linked_jobs_for_the_job_reference(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let client = app.create_named_client("Jobs For Us", vec![]).await;
    let other = app.create_named_client("Jobs For Them", vec![]).await;
    let own = job_for(&app, Some(&client), "Data Engineer").await;
    let linked = job_for(&app, None, "Designer").await;
    let unlinked = job_for(&app, None, "Recruiter").await;
    job_for(&app, Some(&other), "Not ours").await;
    for (job, active) in [(&linked, true), (&unlinked, false)] {
        sqlx::query("insert into client_job_assignments (client_id, job_id, assigned_by, is_active) values ($1::uuid, $2::uuid, $3, $4)")
            .bind(&client)
            .bind(job)
            .bind(app.users[&Role::Admin])
            .bind(active)
            .execute(&app.pool)
            .await
            .expect("assignment");
    }
    sqlx::query("update jobs set status = 'filled' where id = $1::uuid")
        .bind(&own)
        .execute(&app.pool)
        .await
        .expect("filled");
    let all = app
        .client_jobs(Role::Recruiter, client.clone(), None)
        .await
        .expect("jobs")
        .jobs;
    let mut titles: Vec<String> = all.items.iter().map(|j| j.title.clone()).collect();
    titles.sort();
    assert_eq!(titles, ["Data Engineer", "Designer"]);
    assert_eq!(all.page_info.total, 2);
    let open = app
        .client_jobs(
            Role::Recruiter,
            client,
            Some(crate::helpers::client_jobs::ClientJobFilter {
                status: Some(vec![clientele_core::JobStatus::Open]),
                date_from: None,
                date_to: None,
            }),
        )
        .await
        .expect("jobs")
        .jobs;
    assert_eq!(open.items.len(), 1);
    assert_eq!(open.items[0].id, linked);
}
