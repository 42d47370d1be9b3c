//! Clients: codes, duplicates, validation, the list, updates and deactivation.

use clientele::auth::Role;
use clientele_core::ClientStatus;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::helpers::{
    ClientStatus as Status, CreateClientInput, Outcome, Refused, TestApp, client_names, contact,
    update_client,
};

fn named(name: &str) -> CreateClientInput {
    CreateClientInput {
        name: name.to_owned(),
        ..CreateClientInput::default()
    }
}

fn year() -> String {
    chrono::Utc::now().format("%Y").to_string()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_one(&app.pool)
        .await
        .expect("count")
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_manager_creates_a_client_with_contacts_and_a_yearly_code(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let input = CreateClientInput {
        name: "  Initech  ".into(),
        website: Some("initech.com".into()),
        industry: Some("Technology".into()),
        account_manager_id: Some(app.users[&Role::Manager].to_string()),
        contacts: vec![
            contact("Bill Lumbergh", "bill@initech.com", false),
            contact("Peter Gibbons", "peter@initech.com", true),
            contact("Milton Waddams", "milton@initech.com", false),
        ],
        ..CreateClientInput::default()
    };
    let client = app
        .create_client(Role::Manager, input)
        .await
        .expect("created");
    assert_eq!(client.client_code, format!("CLT-{}-0001", year()));
    assert_eq!(client.name, "Initech");
    assert_eq!(client.status, ClientStatus::Active);
    assert_eq!(client.website.as_deref(), Some("https://initech.com"));
    assert_eq!(
        client.primary_contact.map(|c| c.full_name).as_deref(),
        Some("Peter Gibbons")
    );
    assert_eq!(client.contacts.len(), 3);
    assert_eq!(
        client.contacts[0].full_name, "Peter Gibbons",
        "primary first"
    );
    assert_eq!(
        client.account_manager.map(|m| m.email).as_deref(),
        Some("manager@test.local")
    );
    assert_eq!(
        client.created_by.map(|u| u.email).as_deref(),
        Some("manager@test.local")
    );

    let second = app.create_named_client("Vandelay Industries", vec![]).await;
    let second = app.client(Role::Analyst, second).await.expect("client");
    assert_eq!(second.client_code, format!("CLT-{}-0002", year()));
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn twenty_concurrent_creates_get_twenty_distinct_consecutive_codes(pool: PgPool) {
    let app = std::sync::Arc::new(TestApp::new(pool).await);
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..20 {
        let app = app.clone();
        tasks.spawn(async move {
            let input = CreateClientInput {
                confirm_not_duplicate: true,
                ..named(&format!("Concurrent Client {i:02}"))
            };
            app.create_client(Role::Admin, input).await
        });
    }
    let mut codes = Vec::new();
    while let Some(result) = tasks.join_next().await {
        codes.push(result.expect("task").expect("created").client_code);
    }
    codes.sort();
    let expected: Vec<String> = (1..=20).map(|n| format!("CLT-{}-{n:04}", year())).collect();
    assert_eq!(codes, expected);
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_similar_name_is_a_likely_duplicate_unless_confirmed(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let acme = app.create_named_client("Acme Corp", vec![]).await;

    let refused = app
        .create_client(Role::Admin, named("ACME Corporation, Ltd."))
        .await
        .refused("CONFLICT");
    let duplicates = &refused.extensions["duplicates"];
    assert_eq!(duplicates[0]["id"], acme);
    assert_eq!(duplicates[0]["name"], "Acme Corp");
    assert_eq!(duplicates[0]["reasons"], json!(["SIMILAR_NAME"]));
    assert_eq!(duplicates[0]["score"], 1.0);
    assert_eq!(
        count(&app, "select count(*) from clients").await,
        1,
        "nothing is written when a duplicate is refused"
    );

    let confirmed = app
        .create_client(
            Role::Admin,
            CreateClientInput {
                confirm_not_duplicate: true,
                ..named("ACME Corporation, Ltd.")
            },
        )
        .await
        .expect("created");
    assert_eq!(confirmed.name, "ACME Corporation, Ltd.");
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_shared_company_domain_is_a_likely_duplicate_but_a_public_one_is_not(pool: PgPool) {
    let app = TestApp::new(pool).await;
    app.create_client(
        Role::Admin,
        CreateClientInput {
            website: Some("https://www.stark.example".into()),
            contacts: vec![
                contact("Pepper Potts", "pepper@starkmail.example", true),
                contact("Happy Hogan", "happy@gmail.com", false),
            ],
            confirm_not_duplicate: true,
            ..named("Stark Industries")
        },
    )
    .await
    .expect("created");

    let by_email = app
        .create_client(
            Role::Admin,
            CreateClientInput {
                contacts: vec![contact("Tony", "tony@StarkMail.example", true)],
                ..named("Potts Consulting")
            },
        )
        .await
        .refused("CONFLICT");
    assert_eq!(
        by_email.extensions["duplicates"][0]["reasons"],
        json!(["SAME_EMAIL_DOMAIN"])
    );

    let by_website = app
        .create_client(
            Role::Admin,
            CreateClientInput {
                website: Some("stark.example/about".into()),
                ..named("Hogan Haulage")
            },
        )
        .await
        .refused("CONFLICT");
    assert_eq!(
        by_website.extensions["duplicates"][0]["reasons"],
        json!(["SAME_WEBSITE_DOMAIN"])
    );

    let public = app
        .create_client(
            Role::Admin,
            CreateClientInput {
                contacts: vec![contact("Jo", "jo@gmail.com", true)],
                ..named("Hogan Haulage")
            },
        )
        .await
        .expect("a public mail domain says nothing");
    assert_eq!(public.name, "Hogan Haulage");
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn an_unrelated_name_does_not_match(pool: PgPool) {
    let app = TestApp::new(pool).await;
    app.create_named_client("Acme Corp", vec![]).await;
    for name in [
        "Globex Logistics",
        "Umbrella Health",
        "Acne Dermatology Clinic",
    ] {
        let created = app.create_client(Role::Admin, named(name)).await;
        assert_eq!(created.expect("created").name, name);
    }
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn client_duplicates_explains_each_match_with_a_score(pool: PgPool) {
    let app = TestApp::new(pool).await;
    app.create_client(
        Role::Admin,
        CreateClientInput {
            website: Some("wayne.example".into()),
            confirm_not_duplicate: true,
            ..named("Wayne Enterprises GmbH")
        },
    )
    .await
    .expect("created");
    app.create_named_client("Wonka Candy", vec![]).await;

    let matches = app
        .client_duplicates(
            Role::Analyst,
            Some("wayne enterprises inc".into()),
            Some("https://wayne.example".into()),
            Some(vec!["gmail.com".into()]),
            None,
        )
        .await
        .expect("matches");
    assert_eq!(matches.len(), 1);
    assert_eq!(matches[0].client.name, "Wayne Enterprises GmbH");
    assert_eq!(matches[0].score, 1.0);
    assert_eq!(
        serde_json::to_value(&matches[0].reasons).expect("json"),
        json!(["SIMILAR_NAME", "SAME_WEBSITE_DOMAIN"])
    );
    assert_eq!(matches[0].domains, ["wayne.example"]);
    assert!(matches[0].explanation.contains("similar name"));

    let none = app
        .client_duplicates(
            Role::Analyst,
            Some("Cyberdyne Systems".into()),
            None,
            None,
            None,
        )
        .await
        .expect("no matches");
    assert!(none.is_empty());
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn bad_input_is_reported_field_by_field_and_nothing_is_written(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let mut ann = contact("Ann", "ann(at)acme.com", true);
    ann.phone = Some("12".into());
    let mut bob = contact("Bob", "bob@acme.example", false);
    bob.email = None;
    bob.mobile = Some("+1 (555) 010-9999".into());
    let refused = app
        .create_client(
            Role::Admin,
            CreateClientInput {
                website: Some("not a website".into()),
                contacts: vec![ann, bob],
                ..named("")
            },
        )
        .await
        .refused("VALIDATION");
    assert_eq!(
        refused.fields(),
        ["contacts[0].email", "contacts[0].phone", "name", "website"]
    );
    assert_eq!(refused.field("name"), Some("is required"));
    assert_eq!(
        refused.field("website"),
        Some("must be a web address like acme.com")
    );
    assert_eq!(
        refused.field("contacts[0].email"),
        Some("must look like name@example.com")
    );
    assert_eq!(
        refused.field("contacts[0].phone"),
        Some("must have 7 to 15 digits")
    );

    let two_primaries = app
        .create_client(
            Role::Admin,
            CreateClientInput {
                contacts: vec![
                    contact("A", "a@duo.example", true),
                    contact("B", "b@duo.example", true),
                ],
                ..named("Duo")
            },
        )
        .await
        .refused("VALIDATION");
    assert!(
        two_primaries
            .field("contacts")
            .is_some_and(|m| m.starts_with("exactly one contact must be primary"))
    );

    let not_a_manager = app
        .create_client(
            Role::Admin,
            CreateClientInput {
                account_manager_id: Some(app.users[&Role::Recruiter].to_string()),
                ..named("Managed")
            },
        )
        .await
        .refused("VALIDATION");
    assert_eq!(
        not_a_manager.field("accountManagerId"),
        Some("must be an active manager or admin")
    );

    let counts: (i64, i64, i64) = sqlx::query_as(
        "select (select count(*) from clients), (select count(*) from client_contacts), (select count(*) from client_code_counters)",
    )
    .fetch_one(&app.pool)
    .await
    .expect("counts");
    assert_eq!(counts, (0, 0, 0));
}

/// Six clients over every status, two of them the test manager's.
async fn seed_list(app: &TestApp) {
    let manager = app.users[&Role::Manager].to_string();
    let clients = [
        ("Alpha Analytics", "Technology", ClientStatus::Active),
        ("Beta Bakeries", "Retail", ClientStatus::Active),
        ("Gamma Grids", "Energy", ClientStatus::OnHold),
        ("Delta Dental", "Healthcare", ClientStatus::Inactive),
        ("Epsilon Exports", "Logistics", ClientStatus::Archived),
        ("Zeta Zinc", "Manufacturing", ClientStatus::Active),
    ];
    for (name, industry, status) in clients {
        let email = format!("hr@{}.example", name.to_lowercase().replace(' ', ""));
        let input = CreateClientInput {
            industry: Some(industry.into()),
            account_manager_id: (name.starts_with('A') || name.starts_with('Z'))
                .then(|| manager.clone()),
            contacts: vec![contact(&format!("{} Contact", &name[..4]), &email, true)],
            status: (status == ClientStatus::OnHold).then_some(status),
            confirm_not_duplicate: true,
            ..named(name)
        };
        let id = app
            .create_client(Role::Admin, input)
            .await
            .expect("created")
            .id;
        if !status.is_editable() {
            let archive = status == ClientStatus::Archived;
            app.deactivate_client(Role::Admin, id, "Seeded".into(), None, archive)
                .await
                .expect("deactivated");
        }
    }
}

type Listing = client_names::ClientNamesClients;

async fn list(app: &TestApp, variables: client_names::Variables) -> Outcome<Listing> {
    let client_names::Variables {
        filter,
        sort,
        page,
        limit,
    } = variables;
    app.client_names(Role::Analyst, filter, sort, page, limit)
        .await
}

fn names(list: &Listing) -> Vec<String> {
    list.items.iter().map(|c| c.name.clone()).collect()
}

fn filtered(filter: client_names::ClientFilter) -> client_names::Variables {
    client_names::Variables {
        filter: Some(filter),
        ..client_names::Variables::default()
    }
}

fn summary(list: &Listing) -> [i64; 4] {
    let s = &list.summary;
    [s.active, s.inactive, s.on_hold, s.archived]
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn the_list_filters_by_status_industry_and_account_manager(pool: PgPool) {
    let app = TestApp::new(pool).await;
    seed_list(&app).await;

    let all = list(&app, client_names::Variables::default())
        .await
        .expect("list");
    assert_eq!(all.page_info.total, 6);
    assert_eq!(summary(&all), [3, 1, 1, 1]);

    let active = list(
        &app,
        filtered(client_names::ClientFilter {
            status: Some(vec![Status::Active, Status::OnHold]),
            ..client_names::ClientFilter::default()
        }),
    )
    .await
    .expect("list");
    assert_eq!(
        names(&active),
        [
            "Alpha Analytics",
            "Beta Bakeries",
            "Gamma Grids",
            "Zeta Zinc"
        ]
    );
    assert_eq!(active.page_info.total, 4);
    assert_eq!(
        active.summary.inactive, 1,
        "the summary ignores the status filter"
    );

    let retail = list(
        &app,
        filtered(client_names::ClientFilter {
            industry: Some("retail".into()),
            ..client_names::ClientFilter::default()
        }),
    )
    .await
    .expect("list");
    assert_eq!(names(&retail), ["Beta Bakeries"]);

    let managed = list(
        &app,
        filtered(client_names::ClientFilter {
            account_manager_id: Some(app.users[&Role::Manager].to_string()),
            ..client_names::ClientFilter::default()
        }),
    )
    .await
    .expect("list");
    assert_eq!(names(&managed), ["Alpha Analytics", "Zeta Zinc"]);
    assert_eq!(summary(&managed), [2, 0, 0, 0]);
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn the_list_sorts_by_name_code_and_age(pool: PgPool) {
    let app = TestApp::new(pool).await;
    seed_list(&app).await;
    let sorted = |sort: client_names::ClientSort| {
        let app = &app;
        async move {
            let variables = client_names::Variables {
                sort: Some(sort),
                ..client_names::Variables::default()
            };
            names(&list(app, variables).await.expect("list"))
        }
    };
    use client_names::ClientSort::*;
    let asc = sorted(NAME_ASC).await;
    assert_eq!(asc.first().map(String::as_str), Some("Alpha Analytics"));
    let mut reversed = asc.clone();
    reversed.reverse();
    assert_eq!(sorted(NAME_DESC).await, reversed);
    let creation_order = [
        "Alpha Analytics",
        "Beta Bakeries",
        "Gamma Grids",
        "Delta Dental",
        "Epsilon Exports",
        "Zeta Zinc",
    ];
    assert_eq!(sorted(CODE_ASC).await, creation_order);
    assert_eq!(sorted(OLDEST).await, creation_order);
    let mut newest = creation_order.to_vec();
    newest.reverse();
    assert_eq!(sorted(NEWEST).await, newest);
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn pagination_reports_totals_and_rejects_bad_limits(pool: PgPool) {
    let app = TestApp::new(pool).await;
    seed_list(&app).await;
    let page = |page: i64, limit: i64| client_names::Variables {
        page: Some(page),
        limit: Some(limit),
        sort: Some(client_names::ClientSort::NAME_ASC),
        filter: None,
    };
    let page2 = list(&app, page(2, 4)).await.expect("list");
    assert_eq!(names(&page2), ["Gamma Grids", "Zeta Zinc"]);
    let info = &page2.page_info;
    assert_eq!(
        (info.total, info.page, info.limit, info.total_pages),
        (6, 2, 4, 2)
    );

    let past_end = list(&app, page(9, 4)).await.expect("list");
    assert!(past_end.items.is_empty());
    assert_eq!(past_end.page_info.total, 6);

    for (number, limit, field) in [(1, 0, "limit"), (1, 101, "limit"), (0, 20, "page")] {
        let refused = list(&app, page(number, limit)).await.refused("VALIDATION");
        assert_eq!(refused.fields(), [field]);
    }
    let max = list(&app, page(1, 100)).await.expect("list");
    assert_eq!(max.page_info.limit, 100);
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn search_matches_partial_names_codes_and_contacts_case_insensitively(pool: PgPool) {
    let app = TestApp::new(pool).await;
    seed_list(&app).await;
    app.create_named_client("Analytic Minds", vec![]).await;
    let search = |text: String| {
        let app = &app;
        async move {
            let filter = client_names::ClientFilter {
                search: Some(text),
                ..client_names::ClientFilter::default()
            };
            names(&list(app, filtered(filter)).await.expect("list"))
        }
    };
    assert_eq!(search("BAKER".into()).await, ["Beta Bakeries"]);
    assert_eq!(
        search("zeta c".into()).await,
        ["Zeta Zinc"],
        "matches the contact 'Zeta Contact'"
    );
    assert_eq!(
        search(format!("clt-{}-0003", year())).await,
        ["Gamma Grids"]
    );
    // A name starting with the text ranks above one merely containing it.
    assert_eq!(
        search("analytic".into()).await,
        ["Analytic Minds", "Alpha Analytics"]
    );
    assert_eq!(
        search("100%".into()).await,
        Vec::<String>::new(),
        "wildcards are literal"
    );
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn an_update_changes_only_the_given_fields(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let id = app
        .create_client(
            Role::Admin,
            CreateClientInput {
                industry: Some("Food".into()),
                city: Some("Austin".into()),
                confirm_not_duplicate: true,
                ..named("Soylent")
            },
        )
        .await
        .expect("created")
        .id;
    let paused = app
        .pause_client_and_clear_industry(Role::Manager, id.clone())
        .await
        .expect("updated");
    assert_eq!(paused.name, "Soylent");
    assert_eq!(paused.industry, None, "null clears");
    assert_eq!(paused.city.as_deref(), Some("Austin"), "left out keeps");
    assert_eq!(paused.status, ClientStatus::OnHold);

    let change = |input: update_client::UpdateClientInput| {
        let (app, id) = (&app, id.clone());
        async move { app.update_client(Role::Manager, id, input).await }
    };
    let moved = change(update_client::UpdateClientInput {
        city: Some("Dallas".into()),
        status: Some(Status::Active),
        ..update_client::UpdateClientInput::default()
    })
    .await
    .expect("updated");
    assert_eq!(
        (moved.city.as_deref(), moved.status, moved.name.as_str()),
        (Some("Dallas"), ClientStatus::Active, "Soylent")
    );

    let refused = change(update_client::UpdateClientInput {
        status: Some(Status::Inactive),
        ..update_client::UpdateClientInput::default()
    })
    .await
    .refused("VALIDATION");
    assert_eq!(refused.fields(), ["status"]);
    let blank = change(update_client::UpdateClientInput {
        name: Some(" ".into()),
        ..update_client::UpdateClientInput::default()
    })
    .await
    .refused("VALIDATION");
    assert_eq!(blank.fields(), ["name"]);
    app.update_client(
        Role::Manager,
        uuid::Uuid::new_v4().to_string(),
        update_client::UpdateClientInput {
            city: Some("Paris".into()),
            ..update_client::UpdateClientInput::default()
        },
    )
    .await
    .refused("NOT_FOUND");
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn an_admin_deactivates_and_reactivates_with_an_audit_trail_and_jobs_stay_linked(
    pool: PgPool,
) {
    let app = TestApp::new(pool).await;
    let id = app.create_named_client("Massive Dynamic", vec![]).await;
    let job_id: uuid::Uuid = sqlx::query_scalar("insert into jobs (title, status, client_id) values ('Engineer', 'open', $1::uuid) returning id")
        .bind(&id)
        .fetch_one(&app.pool)
        .await
        .expect("job");
    sqlx::query("insert into client_job_assignments (client_id, job_id, assigned_by) values ($1::uuid, $2, $3)")
        .bind(&id)
        .bind(job_id)
        .bind(app.users[&Role::Admin])
        .execute(&app.pool)
        .await
        .expect("assignment");

    let deactivate = || {
        app.deactivate_client(
            Role::Admin,
            id.clone(),
            "Contract ended".into(),
            Some("No renewal".into()),
            false,
        )
    };
    let client = deactivate().await.expect("deactivated");
    assert_eq!(client.status, ClientStatus::Inactive);
    assert_eq!(
        client.deactivation_reason.as_deref(),
        Some("Contract ended")
    );
    assert_eq!(client.deactivation_details.as_deref(), Some("No renewal"));
    assert!(client.deactivated_at.is_some());
    deactivate().await.refused("CONFLICT");

    let linked: (Option<uuid::Uuid>, bool) = sqlx::query_as(
        "select j.client_id, a.is_active from jobs j join client_job_assignments a on a.job_id = j.id where j.id = $1",
    )
    .bind(job_id)
    .fetch_one(&app.pool)
    .await
    .expect("job row");
    assert_eq!(linked.0.map(|u| u.to_string()), Some(id.clone()));
    assert!(linked.1, "the assignment stays active");

    let reactivated = app
        .reactivate_client(Role::Admin, id.clone())
        .await
        .expect("reactivated");
    assert_eq!(
        (
            reactivated.status,
            reactivated.deactivated_at,
            reactivated.deactivation_reason
        ),
        (ClientStatus::Active, None, None)
    );
    app.reactivate_client(Role::Admin, id.clone())
        .await
        .refused("CONFLICT");

    let audit: Vec<(String, Option<uuid::Uuid>, Value, Value)> = sqlx::query_as(
        "select action, actor_id, before, after from audit_log where entity = 'client' and entity_id = $1::uuid and action <> 'client.created' order by at, action",
    )
    .bind(&id)
    .fetch_all(&app.pool)
    .await
    .expect("audit");
    assert_eq!(audit.len(), 2);
    assert_eq!(audit[0].0, "client.deactivated");
    assert_eq!(audit[0].1, Some(app.users[&Role::Admin]));
    assert_eq!(audit[0].2["status"], "active");
    assert_eq!(audit[0].3["status"], "inactive");
    assert_eq!(audit[0].3["deactivation_reason"], "Contract ended");
    assert_eq!(audit[1].0, "client.reactivated");
    assert_eq!(audit[1].3["status"], "active");
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn deactivation_needs_a_reason(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let id = app.create_named_client("Tyrell", vec![]).await;
    let refused = app
        .deactivate_client(Role::Admin, id, "  ".into(), None, false)
        .await
        .refused("VALIDATION");
    assert_eq!(refused.field("reason"), Some("is required"));
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_create_rolled_back_by_its_caller_leaves_nothing_behind(pool: PgPool) {
    // The service never commits: a caller that rolls back (a dry run) writes nothing, not
    // the client, its contacts, its audit row or the advanced code counter.
    let app = TestApp::new(pool).await;
    let admin = clientele::auth::Viewer {
        user_id: app.users[&Role::Admin],
        role: Role::Admin,
    };
    let input = clientele::clients::CreateClientInput {
        name: "Dry Run Dynamics".into(),
        contacts: vec![clientele::contacts::ContactInput {
            full_name: "Dee Ryan".into(),
            is_primary: true,
            ..Default::default()
        }],
        ..Default::default()
    };
    let new = clientele::clients::NewClient::try_from(&input).expect("valid input");
    let tables = [
        "clients",
        "client_contacts",
        "audit_log",
        "client_code_counters",
        "email_outbox",
    ];
    let mut before = Vec::new();
    for table in tables {
        before.push(count(&app, &format!("select count(*) from {table}")).await);
    }
    let mut tx = app.pool.begin().await.expect("transaction");
    let (client, contacts) = clientele::clients::create(&mut tx, admin, &new)
        .await
        .expect("created inside the transaction");
    assert_eq!(contacts.len(), 1);
    let inside: i64 = sqlx::query_scalar("select count(*) from audit_log where entity_id = $1")
        .bind(client.id)
        .fetch_one(&mut *tx)
        .await
        .expect("count");
    assert_eq!(
        inside, 1,
        "the audit row is written in the same transaction"
    );
    tx.rollback().await.expect("rolled back");

    for (table, before) in tables.into_iter().zip(before) {
        let rows = count(&app, &format!("select count(*) from {table}")).await;
        assert_eq!(rows, before, "{table} after the rollback");
    }
}
